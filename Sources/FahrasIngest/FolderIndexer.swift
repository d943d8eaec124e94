import FahrasIndex
import FahrasStorage

/// Indexes a corpus folder into an index folder, incrementally: new and changed files are
/// (re)indexed, documents of deleted files are removed, unchanged files are not read at all.
///
/// Files are read and parsed in batches of about `batchBytes`, then analyzed and inverted on
/// `threads` threads (`IndexWriter.add(contentsOf:)`). JSON Lines files larger than `batchBytes`
/// are mapped and read in line-aligned pieces, so memory stays bounded by the budget whatever the
/// file size. The run ends with merges by the merge policy and one commit (plus one every
/// `commitEvery` documents when set).
public struct FolderIndexer {
  public struct Options: Sendable {
    public var threads: Int
    public var memoryBudget: Int
    public var commitEvery: Int?
    public var batchBytes: Int = 32 << 20
    public init(threads: Int = 1, memoryBudget: Int = 512 << 20, commitEvery: Int? = nil) {
      self.threads = max(1, threads)
      self.memoryBudget = memoryBudget
      self.commitEvery = commitEvery
    }
  }

  public struct Progress: Sendable {
    public var filesDone: Int
    public var filesTotal: Int
    public var documents: Int
    public var bytesDone: Int64
    public var bytesTotal: Int64
    public var seconds: Double
  }

  public struct Summary: Sendable {
    public var added = 0
    public var updated = 0
    public var deleted = 0
    public var unchangedFiles = 0
    public var indexedFiles = 0
    public var skippedFiles = 0
    public var skippedDocuments = 0
    public var warnings: [SkippedInput] = []
    public var bytes: Int64 = 0
    public var seconds: Double = 0
    public var segments = 0
    public var documents = 0
    public var committed = false
  }

  public let corpus: String
  public let index: String
  public let options: Options

  public init(corpus: String, index: String, options: Options = Options()) {
    self.corpus = corpus
    self.index = index
    self.options = options
  }

  /// The default index folder of a corpus: `CORPUS/.fahras`.
  public static func defaultIndex(for corpus: String) -> String {
    (corpus.hasSuffix("/") ? String(corpus.dropLast()) : corpus) + "/.fahras"
  }

  public func run(progress: ((Progress) -> Void)? = nil, warning: ((SkippedInput) -> Void)? = nil)
    throws -> Summary
  {
    let start = monotonicSeconds()
    var summary = Summary()
    let walked = try CorpusWalker(root: corpus).walk()
    for p in walked.problems {
      summary.warnings.append(p)
      warning?(p)
    }
    let writer = try IndexWriter(
      directory: index,
      options: .init(memoryBudget: options.memoryBudget, threads: options.threads))
    var previous = IngestState()
    var lostState = false
    if !writer.commitUserData.isEmpty {
      do {
        previous = try IngestState.load(indexDirectory: index, name: writer.commitUserData)
      } catch {
        // Every file is re-read; documents of files that are gone are found through the index.
        let w = SkippedInput(
          path: writer.commitUserData,
          reason: "ingest state unreadable (\(error)); re-reading every file")
        summary.warnings.append(w)
        warning?(w)
        lostState = true
      }
    }

    var state = IngestState()
    state.root = corpus

    // Removed files.
    let present = Set(walked.files.map(\.relativePath))
    if lostState {
      for path in try writer.indexedPaths() where !present.contains(path) {
        summary.deleted += try writer.delete(path: path)
      }
    }
    for (path, entry) in previous.files where !present.contains(path) {
      let n = try writer.delete(path: path)
      summary.deleted += n > 0 ? n : entry.documents
    }

    // Decide what to read.
    var toRead: [(CorpusFile, IngestState.Entry?)] = []
    for f in walked.files {
      if let old = previous.files[f.relativePath], old.size == f.size,
        old.modified == f.modifiedNanoseconds
      {
        state.files[f.relativePath] = old
        summary.unchangedFiles += 1
      } else {
        toRead.append((f, previous.files[f.relativePath]))
      }
    }
    let bytesTotal = toRead.reduce(Int64(0)) { $0 + $1.0.size }
    var bytesDone: Int64 = 0
    var filesDone = 0
    var batch: [IndexDocument] = []
    var batchBytes = 0
    var sinceCommit = 0

    func flushBatch() throws {
      if batch.isEmpty { return }
      try writer.add(contentsOf: batch)
      sinceCommit += batch.count
      batch.removeAll(keepingCapacity: true)
      batchBytes = 0
      if let every = options.commitEvery, sinceCommit >= every {
        try commit(
          writer, state: mergedState(state, previous: previous, pending: toRead), summary: &summary)
        sinceCommit = 0
      }
    }

    func report() {
      progress?(
        Progress(
          filesDone: filesDone, filesTotal: toRead.count,
          documents: summary.added + summary.updated,
          bytesDone: bytesDone, bytesTotal: bytesTotal, seconds: monotonicSeconds() - start))
    }

    for (file, old) in toRead {
      let mapped: MappedFile
      do {
        mapped = try MappedFile(path: file.absolutePath, access: .sequential)
      } catch {
        let w = SkippedInput(path: file.relativePath, reason: "unreadable: \(error)")
        summary.warnings.append(w)
        summary.skippedFiles += 1
        warning?(w)
        filesDone += 1
        continue
      }
      let crc = CRC32C.checksum(mapped.bytes)
      if let old, old.crc == crc, old.size == Int64(mapped.count) {
        state.files[file.relativePath] = .init(
          size: file.size, modified: file.modifiedNanoseconds, crc: crc, documents: old.documents)
        summary.unchangedFiles += 1
        filesDone += 1
        bytesDone += file.size
        continue
      }
      // Also for files new to the state: an interrupted run may have committed some of their documents.
      let removed = try writer.delete(path: file.relativePath)
      let before = old?.documents ?? removed
      var docs = 0
      let consume: (ReadOutcome) throws -> Void = { outcome in
        for s in outcome.skipped {
          summary.warnings.append(s)
          warning?(s)
          if s.line != nil { summary.skippedDocuments += 1 } else { summary.skippedFiles += 1 }
        }
        for d in outcome.documents {
          if d.id.utf8.count > IndexWriter.maxKeywordBytes {
            let w = SkippedInput(
              path: file.relativePath,
              reason: "document id longer than \(IndexWriter.maxKeywordBytes) bytes")
            summary.warnings.append(w)
            summary.skippedDocuments += 1
            warning?(w)
            continue
          }
          batch.append(
            IndexDocument(
              id: d.id, path: d.path, title: d.title, body: d.body,
              fields: d.fields.map { IndexDocument.Field(name: $0.name, value: $0.value) }))
          batchBytes += d.body.utf8.count + d.title.utf8.count
          docs += 1
        }
        let due = options.commitEvery.map { sinceCommit + batch.count >= $0 } ?? false
        if batchBytes >= options.batchBytes || due { try flushBatch() }
      }
      let isLines = DocumentReader.format(ofPath: file.relativePath) == .jsonLines
      if isLines && mapped.count > options.batchBytes {
        // Line-aligned pieces of a large JSON Lines file.
        let bytes = mapped.bytes
        // A byte order mark is dropped, as DocumentReader.read does for whole files.
        var at =
          bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        var line = 1
        while at < bytes.count {
          var end = min(bytes.count, at + options.batchBytes)
          while end < bytes.count && bytes[end - 1] != 10 { end += 1 }
          let piece = UnsafeRawBufferPointer(rebasing: bytes[at..<end])
          try consume(
            DocumentReader.readJSONLines(
              bytes: piece, relativePath: file.relativePath, firstLine: line, byteOffset: at))
          line += piece.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
          // Consumed bytes leave the resident set, so memory stays within the budget.
          mapped.dontNeed(0..<end)
          at = end
          bytesDone += Int64(piece.count)
          report()
        }
      } else {
        try consume(DocumentReader.read(bytes: mapped.bytes, relativePath: file.relativePath))
        bytesDone += file.size
      }
      // A changed file's documents count as updated up to its old number; the rest were added
      // (more documents now) or deleted (fewer), so before + added − deleted = after.
      summary.updated += min(before, docs)
      summary.added += max(0, docs - before)
      summary.deleted += max(0, before - docs)
      if docs > 0 { summary.indexedFiles += 1 }
      summary.bytes += file.size
      state.files[file.relativePath] = .init(
        size: file.size, modified: file.modifiedNanoseconds, crc: crc, documents: docs)
      filesDone += 1
      if filesDone % 64 == 0 { report() }
    }
    try flushBatch()
    report()
    try writer.maybeMerge()
    try commit(writer, state: state, summary: &summary)
    summary.seconds = monotonicSeconds() - start
    return summary
  }

  /// State for an intermediate commit: files read so far, plus the previous state of files not yet read.
  private func mergedState(
    _ state: IngestState, previous: IngestState, pending: [(CorpusFile, IngestState.Entry?)]
  ) -> IngestState {
    var s = state
    for (f, old) in pending where s.files[f.relativePath] == nil {
      if let old { s.files[f.relativePath] = old }
    }
    return s
  }

  private func commit(_ writer: IndexWriter, state: IngestState, summary: inout Summary) throws {
    let name = "ingest.\(writer.committed.generation + 1)"
    try state.write(indexDirectory: index, name: name)
    try writer.commit(userData: name)
    summary.committed = true
    summary.segments = writer.committed.segments.count
    summary.documents = writer.committed.documentCount
  }
}

func monotonicSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

#if canImport(Glibc)
  import Glibc
#endif
