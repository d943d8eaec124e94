import FahrasIndex
import FahrasIngest

enum IndexCommand {
  static func run(_ args: ParsedArguments, _ console: Console) throws -> Int32 {
    guard args.positionals.count == 1 else {
      throw UsageError(message: "index needs exactly one CORPUS_DIR", command: "index")
    }
    let corpus = args.positionals[0]
    let index = args.value("index") ?? FolderIndexer.defaultIndex(for: corpus)
    let threads = try args.int("threads", default: availableCores(), range: 1...256)
    let memory = try args.int("memory", default: 512, range: 16...1_000_000)
    let every =
      args.value("commit-every") != nil
      ? try args.int("commit-every", default: 0, range: 1...Int.max) : nil
    let summary = try indexFolder(
      corpus: corpus, index: index, threads: threads, memoryMB: memory, commitEvery: every,
      compact: args.has("compact"), quiet: args.has("quiet"), console: console)
    if args.has("json") {
      console.line(summaryJSON(summary, index: index))
    } else if !args.has("quiet") {
      console.err(summaryText(summary, index: index))
    }
    return summary.committed ? 0 : 1
  }

  /// Runs the folder indexer with a live progress line on a terminal.
  static func indexFolder(
    corpus: String, index: String, threads: Int, memoryMB: Int, commitEvery: Int?,
    compact: Bool = false, quiet: Bool, console: Console
  ) throws -> FolderIndexer.Summary {
    var options = FolderIndexer.Options(
      threads: threads, memoryBudget: memoryMB << 20, commitEvery: commitEvery)
    options.compactLightLists = compact
    let indexer = FolderIndexer(corpus: corpus, index: index, options: options)
    let live = console.stderrIsTerminal && !quiet
    var lastDraw = 0.0
    let summary = try indexer.run(
      progress: { p in
        guard live else { return }
        let t = now()
        if t - lastDraw < 0.1 && p.filesDone < p.filesTotal { return }
        lastDraw = t
        let mb = Double(p.bytesDone) / 1_048_576
        let rate = p.seconds > 0 ? Double(p.documents) / p.seconds : 0
        let eta =
          p.bytesDone > 0 && p.bytesTotal > p.bytesDone
          ? " · ETA \(Int(p.seconds * Double(p.bytesTotal - p.bytesDone) / Double(p.bytesDone)))s"
          : ""
        console.errInline(
          "\r\u{1B}[K  files \(p.filesDone)/\(p.filesTotal) · docs \(p.documents) · \(format1(mb)) MB · \(Int(rate)) docs/s\(eta)"
        )
      },
      warning: { w in
        if !quiet {
          if live { console.errInline("\r\u{1B}[K") }
          console.err(w.isNotice ? "note: \(w)" : "warning: skipped \(w)")
        }
      })
    if live { console.errInline("\r\u{1B}[K") }
    return summary
  }

  static func summaryText(_ s: FolderIndexer.Summary, index: String) -> String {
    let mb = Double(s.bytes) / 1_048_576
    let rate = s.seconds > 0 ? mb / s.seconds : 0
    let dps = s.seconds > 0 ? Double(s.added + s.updated) / s.seconds : 0
    return """
      indexed into \(index): \(s.added) added, \(s.updated) updated, \(s.deleted) deleted, \
      \(s.skippedFiles) files and \(s.skippedDocuments) lines skipped, \(s.unchangedFiles) files unchanged
      \(format1(mb)) MB in \(format2(s.seconds)) s (\(format1(rate)) MB/s, \(Int(dps)) docs/s); \
      \(s.documents) documents in \(s.segments) segment\(s.segments == 1 ? "" : "s")
      """
  }

  static func summaryJSON(_ s: FolderIndexer.Summary, index: String) -> String {
    JSON.object([
      ("index", JSON.string(index)),
      ("added", "\(s.added)"), ("updated", "\(s.updated)"), ("deleted", "\(s.deleted)"),
      ("skipped_files", "\(s.skippedFiles)"), ("skipped_documents", "\(s.skippedDocuments)"),
      ("unchanged_files", "\(s.unchangedFiles)"), ("indexed_files", "\(s.indexedFiles)"),
      ("bytes", "\(s.bytes)"), ("seconds", JSON.number(s.seconds)),
      ("documents", "\(s.documents)"), ("segments", "\(s.segments)"),
      ("split_documents", "\(s.splitDocuments)"),
      ("warnings", JSON.array(s.warnings.map { JSON.string($0.description) })),
    ])
  }
}
