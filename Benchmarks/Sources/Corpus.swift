import FahrasIndex
import FahrasIngest
import FahrasStorage
import Foundation

/// The corpus of a run: the folder handed to `FolderIndexer` and where it came from.
struct CorpusSource {
  /// What the user gave (a path) or how it was generated.
  var description: String
  /// The folder that `FolderIndexer` walks.
  var folder: String
  /// What `gen_queries.py` reads (the file itself when one file was given).
  var queryInput: String
}

/// Every document of a corpus in memory, as `FolderIndexer` would hand them to the writer.
struct LoadedCorpus {
  var documents: [IndexDocument] = []
  /// Documents read (kept when `documents` is emptied to free memory).
  var documentCount = 0
  var files = 0
  var fileBytes: Int64 = 0
  var titleBytes = 0
  var bodyBytes = 0
  var skippedDocuments = 0
  var skippedFiles = 0

  /// UTF-8 bytes of all titles and bodies: the denominator of every MB/s and size percentage.
  var textBytes: Int { titleBytes + bodyBytes }
}

/// Locating the repository and its tools, preparing and loading the corpus.
enum CorpusPreparation {
  /// The repository root, from this source file's path at build time (…/Benchmarks/Sources/x.swift).
  static var repositoryRoot: String? {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent()
      .deletingLastPathComponent()
    return FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path)
      ? url.path : nil
  }

  /// The folder holding `gen_corpus.py` and `gen_queries.py`, if any.
  static func toolsFolder(_ option: String?) -> String? {
    var candidates: [String] = []
    if let option { candidates.append(option) }
    if let root = repositoryRoot { candidates.append(root + "/tools") }
    candidates.append(FileManager.default.currentDirectoryPath + "/tools")
    return candidates.first { FileManager.default.fileExists(atPath: $0 + "/gen_corpus.py") }
  }

  /// Resolves `--corpus` (a folder, or one file linked alone into WORKDIR/corpus) or generates
  /// `--generate N` documents into WORKDIR/corpus.
  static func prepare(_ options: BenchOptions, workdir: String, tools: String?) throws
    -> CorpusSource
  {
    let fm = FileManager.default
    if let given = options.corpus {
      let path = URL(fileURLWithPath: given).standardizedFileURL.path
      guard fm.fileExists(atPath: path) else {
        throw BenchOptions.Problem(description: "no such corpus: \(given)")
      }
      if FileSizes.isDirectory(path) {
        return CorpusSource(description: path, folder: path, queryInput: path)
      }
      guard DocumentReader.isSupported(path: path) else {
        throw BenchOptions.Problem(description: "\(given): not a file type Fahras reads")
      }
      let folder = workdir + "/corpus"
      try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
      let link = folder + "/" + URL(fileURLWithPath: path).lastPathComponent
      if !fm.fileExists(atPath: link) {
        try fm.createSymbolicLink(atPath: link, withDestinationPath: path)
      }
      return CorpusSource(description: path, folder: folder, queryInput: path)
    }
    let count = options.generate ?? 10_000
    let folder = workdir + "/corpus"
    try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let file = folder + "/generated-\(options.language)-\(count)-seed\(options.seed).jsonl"
    var how = "built-in generator"
    if tools != nil {
      how = "tools/gen_corpus.py --lang \(options.language) --docs \(count) --seed \(options.seed)"
    }
    if fm.fileExists(atPath: file) {
      Progress.line("reusing \(file)")
    } else {
      let partial = file + ".partial"
      var done = false
      if let tools {
        Progress.line("generating \(count) documents with \(tools)/gen_corpus.py")
        let r = Subprocess.run([
          "python3", tools + "/gen_corpus.py", "--lang", options.language, "--docs", String(count),
          "--seed",
          String(options.seed), "--out", partial, "--quiet",
        ])
        done = r?.status == 0
        if !done { Progress.line("gen_corpus.py failed; using the built-in generator") }
      }
      if !done {
        how = "built-in generator (\(options.language), seed \(options.seed))"
        Progress.line("generating \(count) documents with the built-in generator")
        try BuiltinCorpus.write(
          documents: count, language: options.language, seed: UInt64(options.seed), to: partial)
      }
      try fm.moveItem(atPath: partial, toPath: file)
    }
    return CorpusSource(
      description: "\(count) generated documents (\(how))", folder: folder, queryInput: file)
  }

  /// Reads every document of the corpus folder into memory (the same readers as `FolderIndexer`).
  static func load(folder: String) throws -> LoadedCorpus {
    var corpus = LoadedCorpus()
    let walked = try CorpusWalker(root: folder).walk()
    corpus.skippedFiles += walked.problems.count
    for file in walked.files {
      let mapped: MappedFile
      do { mapped = try MappedFile(path: file.absolutePath, access: .sequential) } catch {
        corpus.skippedFiles += 1
        continue
      }
      corpus.files += 1
      corpus.fileBytes += Int64(mapped.count)
      let outcome = DocumentReader.read(bytes: mapped.bytes, relativePath: file.relativePath)
      for s in outcome.skipped {
        if s.line != nil { corpus.skippedDocuments += 1 } else { corpus.skippedFiles += 1 }
      }
      corpus.documents.reserveCapacity(corpus.documents.count + outcome.documents.count)
      for d in outcome.documents where d.id.utf8.count <= IndexWriter.maxKeywordBytes {
        corpus.documents.append(
          IndexDocument(
            id: d.id, path: d.path, title: d.title, body: d.body,
            fields: d.fields.map { IndexDocument.Field(name: $0.name, value: $0.value) }))
        corpus.titleBytes += d.title.utf8.count
        corpus.bodyBytes += d.body.utf8.count
      }
    }
    corpus.documentCount = corpus.documents.count
    return corpus
  }
}
