import FahrasIndex
import FahrasStorage

/// Indexes a corpus folder into an index folder, incrementally: new and changed files are
/// (re)indexed, documents of deleted files are removed, unchanged files are not read at all.
///
/// Files are read and parsed in batches of about `batchBytes`, then analyzed and inverted on
/// `threads` threads (`IndexWriter.add(contentsOf:)`). JSON Lines files larger than `batchBytes`
/// are mapped and read in line-aligned pieces, and plain text and Markdown files larger than
/// `Options.maxBodyBytes` are read from the mapping one part at a time (`LargeTextReader`), so memory
/// stays bounded by the budget whatever the file size (a single JSON value still costs about twice
/// its size while it is parsed). A document whose body exceeds `Options.maxBodyBytes` is indexed as
/// several documents (`DocumentSplitter`), with a warning. The run ends with merges by the merge policy and one commit
/// (plus one every `commitEvery` documents when set).
///
/// Crash safety: the ingest state of a commit lists a file only when all of its documents are in that
/// commit. A file being read when an intermediate commit happens is left out of it (its old documents
/// are already deleted, some new ones may be in), so after a kill the next run deletes its documents by
/// path and reads it again: each document ends up in the index exactly once.
public struct FolderIndexer {
  public struct Options: Sendable {
    public var threads: Int
    public var memoryBudget: Int
    /// Commit after every this many documents (parts of split documents count one each), also in the
    /// middle of a file; `nil`: only at the end.
    public var commitEvery: Int?
    /// Text read and parsed ahead of indexing, in UTF-8 bytes; nil: `memoryBudget / 8`, between
    /// 1 and 32 MiB. The batch is part of the budget: the indexing buffers get what it leaves.
    public var batchBytes: Int?
    /// Largest body of one indexed document, in UTF-8 bytes; a larger body is split into parts
    /// (`DocumentSplitter.defaultMaxBodyBytes`, 8 MiB, by default).
    public var maxBodyBytes: Int = DocumentSplitter.defaultMaxBodyBytes
    /// `IndexWriter.Options.compactLightLists`: smaller `$light` lists, slower single words.
    public var compactLightLists = false
    public init(threads: Int = 1, memoryBudget: Int = 512 << 20, commitEvery: Int? = nil) {
      self.threads = max(1, threads)
      self.memoryBudget = memoryBudget
      self.commitEvery = commitEvery
    }

    /// `batchBytes`, or its default for the budget.
    public var effectiveBatchBytes: Int {
      batchBytes ?? min(32 << 20, max(1 << 20, memoryBudget / 8))
    }

    /// The indexing buffers' share of `memoryBudget`: what the batch leaves (its documents held as
    /// strings cost about 1.5 times their text while they are parsed), at least half the budget.
    public var writerBudget: Int {
      max(memoryBudget / 2, memoryBudget - effectiveBatchBytes * 3 / 2)
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
    /// Documents whose body was larger than `Options.maxBodyBytes` and was indexed in parts.
    public var splitDocuments = 0
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
  /// Called right after each commit of `run` with the ingest state it recorded; an error thrown here
  /// ends the run there, like a kill right after that commit (for tests).
  var commitObserver: ((IngestState) throws -> Void)?

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
    // Freed flush buffers must leave resident memory, or the budget does not hold.
    MallocTuning.returnLargeBlocksToSystem()
    var summary = Summary()
    let walked = try CorpusWalker(root: corpus).walk()
    for p in walked.problems {
      summary.warnings.append(p)
      warning?(p)
    }
    let writer = try IndexWriter(
      directory: index,
      options: .init(
        memoryBudget: options.writerBudget, threads: options.threads,
        compactLightLists: options.compactLightLists))
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
    // The file being read: left out of intermediate commits until all its documents are added.
    var reading: String?

    func flushBatch() throws {
      if batch.isEmpty { return }
      try writer.add(contentsOf: batch)
      sinceCommit += batch.count
      batch.removeAll(keepingCapacity: true)
      batchBytes = 0
      if let every = options.commitEvery, sinceCommit >= every {
        try commit(
          writer, state: mergedState(state, previous: previous, pending: toRead, reading: reading),
          summary: &summary)
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

    func warn(_ w: SkippedInput) {
      summary.warnings.append(w)
      warning?(w)
    }

    let maxBody = max(options.maxBodyBytes, DocumentSplitter.minimumMaxBytes)
    func warnSplit(_ path: String, id: String, bytes: Int, parts: Int) {
      summary.splitDocuments += 1
      let shown = id.utf8.count > 80 ? String(id.prefix(60)) + "…" : id
      warn(
        SkippedInput(
          path: path,
          reason:
            "document \(shown) has a body of \(bytes) bytes (more than \(maxBody)): split into "
            + "\(parts) documents, \(shown) and \(shown)#2 to \(shown)#\(parts)", isNotice: true))
    }

    for (file, old) in toRead {
      let mapped: MappedFile
      do {
        mapped = try MappedFile(path: file.absolutePath, access: .sequential)
      } catch {
        warn(SkippedInput(path: file.relativePath, reason: "unreadable: \(error)"))
        summary.skippedFiles += 1
        filesDone += 1
        continue
      }
      let crc = checksum(mapped)
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
      var counted: Int64 = 0  // bytes of the file already counted in `bytesDone`
      reading = file.relativePath

      // Adds one document to the batch. With `commitEvery`, the batch is flushed (and committed)
      // before a document that would go past it, so a commit inside a file is one with the file
      // still being read.
      func add(_ d: SourceDocument) throws {
        if let every = options.commitEvery, sinceCommit + batch.count >= every {
          try flushBatch()
        } else if batchBytes >= options.effectiveBatchBytes {
          try flushBatch()
        }
        batch.append(
          IndexDocument(
            id: d.id, path: d.path, title: d.title, body: d.body,
            fields: d.fields.map { IndexDocument.Field(name: $0.name, value: $0.value) }))
        batchBytes += d.body.utf8.count + d.title.utf8.count
        docs += 1
      }

      // The file is complete: it goes into the state before any commit that holds its last document.
      func complete() {
        state.files[file.relativePath] = .init(
          size: file.size, modified: file.modifiedNanoseconds, crc: crc, documents: docs)
        reading = nil
      }

      // After the file's last document: record it, then flush or commit if due.
      func finish() throws {
        complete()
        let due = options.commitEvery.map { sinceCommit + batch.count >= $0 } ?? false
        if batchBytes >= options.effectiveBatchBytes || due { try flushBatch() }
      }

      func idTooLong(_ id: String, limit: Int = IndexWriter.maxKeywordBytes) -> Bool {
        guard id.utf8.count > limit else { return false }
        warn(
          SkippedInput(path: file.relativePath, reason: "document id longer than \(limit) bytes"))
        summary.skippedDocuments += 1
        return true
      }

      func consume(_ outcome: ReadOutcome, last: Bool) throws {
        for s in outcome.skipped {
          warn(s)
          if s.line != nil { summary.skippedDocuments += 1 } else { summary.skippedFiles += 1 }
        }
        for d in outcome.documents {
          if d.body.utf8.count <= maxBody {
            if !idTooLong(d.id) { try add(d) }
            continue
          }
          let parts = DocumentSplitter.parts(of: d, maxBodyBytes: maxBody)
          if idTooLong(parts.id(ofPart: parts.count)) { continue }
          warnSplit(file.relativePath, id: d.id, bytes: d.body.utf8.count, parts: parts.count)
          for part in parts { try add(part) }
        }
        if last {
          try finish()
        } else {
          let due = options.commitEvery.map { sinceCommit + batch.count >= $0 } ?? false
          if batchBytes >= options.effectiveBatchBytes || due { try flushBatch() }
        }
      }

      // A plain text or Markdown file larger than a document: read from the mapping in parts.
      func readLargeText(markdown: Bool) throws {
        let reader = LargeTextReader(
          bytes: mapped.bytes, relativePath: file.relativePath, markdown: markdown,
          chunk: options.effectiveBatchBytes, release: { mapped.dontNeed($0) })
        switch reader.read() {
        case .skipped(let s):
          try consume(ReadOutcome(skipped: [s]), last: true)
        case .document(let title, let body):
          let id = file.relativePath
          let text = UnsafeRawBufferPointer(rebasing: mapped.bytes[body])
          // An id with a part number must fit too (20 digits hold any part count).
          if !idTooLong(id, limit: IndexWriter.maxKeywordBytes - (text.count > maxBody ? 21 : 0)) {
            var start = 0
            var k = 0
            repeat {
              let end =
                text.count - start > maxBody
                ? DocumentSplitter.cut(text, from: start, limit: maxBody) : text.count
              k += 1
              try add(
                SourceDocument(
                  id: k == 1 ? id : "\(id)#\(k)", path: id, title: title,
                  body: Ascii.string(UnsafeRawBufferPointer(rebasing: text[start..<end]))))
              mapped.dontNeed((body.lowerBound + start)..<(body.lowerBound + end))
              bytesDone += Int64(end - start)
              counted += Int64(end - start)
              report()
              start = end
            } while start < text.count
            if k > 1 { warnSplit(file.relativePath, id: id, bytes: text.count, parts: k) }
          }
          try finish()
        }
      }

      let format = DocumentReader.format(ofPath: file.relativePath)
      if (format == .plainText || format == .markdown) && mapped.count > maxBody {
        try readLargeText(markdown: format == .markdown)
        bytesDone += file.size - counted
      } else if format == .jsonLines && mapped.count > options.effectiveBatchBytes {
        // Line-aligned pieces of a large JSON Lines file.
        let bytes = mapped.bytes
        // A byte order mark is dropped, as DocumentReader.read does for whole files.
        var at =
          bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        var line = 1
        while at < bytes.count {
          var end = min(bytes.count, at + options.effectiveBatchBytes)
          while end < bytes.count && bytes[end - 1] != 10 { end += 1 }
          let piece = UnsafeRawBufferPointer(rebasing: bytes[at..<end])
          let outcome = DocumentReader.readJSONLines(
            bytes: piece, relativePath: file.relativePath, firstLine: line, byteOffset: at)
          line += piece.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
          // Consumed bytes leave the resident set, so memory stays within the budget.
          mapped.dontNeed(0..<end)
          try consume(outcome, last: end == bytes.count)
          at = end
          bytesDone += Int64(piece.count)
          report()
        }
      } else {
        let outcome = DocumentReader.read(bytes: mapped.bytes, relativePath: file.relativePath)
        // The documents own copies of the text: a big file's pages need not stay resident.
        if mapped.count >= Self.releaseBytes { mapped.dontNeed() }
        try consume(outcome, last: true)
        bytesDone += file.size
      }
      if reading != nil { complete() }
      // A changed file's documents count as updated up to its old number; the rest were added
      // (more documents now) or deleted (fewer), so before + added − deleted = after.
      summary.updated += min(before, docs)
      summary.added += max(0, docs - before)
      summary.deleted += max(0, before - docs)
      if docs > 0 { summary.indexedFiles += 1 }
      summary.bytes += file.size
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

  /// Files at least this large are dropped from the resident set once read (a small file's pages
  /// cost less than the system call).
  static let releaseBytes = 1 << 20

  /// The CRC32C of a file's content; a file larger than a batch is checksummed a batch at a time,
  /// each step dropped from the resident set (so a huge file is not all resident before it is read).
  private func checksum(_ mapped: MappedFile) -> UInt32 {
    let bytes = mapped.bytes
    let step = max(options.effectiveBatchBytes, 1 << 16)
    if bytes.count <= step { return CRC32C.checksum(bytes) }
    var crc: UInt32 = 0
    var at = 0
    while at < bytes.count {
      let end = min(bytes.count, at + step)
      crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[at..<end]), previous: crc)
      mapped.dontNeed(at..<end)
      at = end
    }
    return crc
  }

  /// State for an intermediate commit: files read so far, plus the previous state of files not yet
  /// read (their old documents are still in the index). The file being read is left out: its old
  /// documents are deleted and only some of its new ones may be in the commit.
  private func mergedState(
    _ state: IngestState, previous: IngestState, pending: [(CorpusFile, IngestState.Entry?)],
    reading: String?
  ) -> IngestState {
    var s = state
    for (f, old) in pending where s.files[f.relativePath] == nil && f.relativePath != reading {
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
    try commitObserver?(state)
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
