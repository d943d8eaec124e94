/// Everything one run measured, as JSON and as a text summary.
struct BenchmarkReport {
  var options: BenchOptions
  var machine: MachineInfo
  var corpusSource = CorpusSource(description: "", folder: "", queryInput: "")
  var corpus = LoadedCorpus()
  var querySource = ""
  var queryCount = 0
  var rejectedQueries = 0
  var queryClasses: [(String, Int)] = []
  var analysis = AnalysisResult()
  var writer: [IndexingResult] = []
  var folder: [IndexingResult] = []
  var merge = MergeResult()
  var size = IndexSize()
  var open = OpenResult()
  var latency: [(String, [LatencyBenchmark.ClassStats])] = []
  var loadAverageEnd: [Double] = []
  var totalSeconds = 0.0

  init(options: BenchOptions, machine: MachineInfo) {
    self.options = options
    self.machine = machine
  }

  /// Key of an indexing configuration: `1_thread` or `n_threads` (N in its `threads` member), so
  /// reports from machines with different core counts still line up.
  static func configurationKey(_ prefix: String, threads: Int) -> String {
    threads == 1 ? "\(prefix)_1_thread" : "\(prefix)_n_threads"
  }

  var json: JSONValue {
    var machineJSON = machine.json
    if case .object(var m) = machineJSON {
      m.append(("loadavg_end", .array(loadAverageEnd.map { .double($0) })))
      machineJSON = .object(m)
    }
    var indexing: [(String, JSONValue)] = []
    for r in writer {
      indexing.append((Self.configurationKey("memory", threads: r.threads), r.json(folder: false)))
    }
    for r in folder {
      indexing.append((Self.configurationKey("folder", threads: r.threads), r.json(folder: true)))
    }
    return .object([
      ("schema", .int(1)),
      ("tool", .string("fahras-benchmarks")),
      ("date", .string(machine.date)),
      ("git_commit", machine.gitCommit.map { .string($0) } ?? .null),
      ("git_dirty", machine.gitDirty.map { .bool($0) } ?? .null),
      ("binary_modified", machine.binaryModified.map { .string($0) } ?? .null),
      ("machine", machineJSON),
      (
        "settings",
        .object([
          ("threads", .int(options.threads)), ("runs", .int(options.runs)),
          ("iterations", .int(options.iterations)),
          ("warmup", .int(options.warmup)), ("opens", .int(options.opens)), ("k", .int(options.k)),
          ("memory_mb", .int(options.memoryMB)), ("seed", .int(options.seed)),
        ])
      ),
      (
        "corpus",
        .object([
          ("source", .string(corpusSource.description)),
          ("files", .int(corpus.files)),
          ("documents", .int(corpus.documentCount)),
          ("text_bytes", .int(corpus.textBytes)),
          ("title_bytes", .int(corpus.titleBytes)),
          ("body_bytes", .int(corpus.bodyBytes)),
          ("file_bytes", .int(Int(corpus.fileBytes))),
          ("skipped_documents", .int(corpus.skippedDocuments)),
          ("skipped_files", .int(corpus.skippedFiles)),
        ])
      ),
      (
        "queries",
        .object(
          [
            ("source", .string(querySource)), ("count", .int(queryCount)),
            ("rejected", .int(rejectedQueries)),
          ]
            + queryClasses.map { ("class_\($0.0)", .int($0.1)) })
      ),
      ("analysis", analysis.json),
      ("indexing", .object(indexing)),
      ("merge", merge.json),
      ("index_size", size.json(textBytes: corpus.textBytes)),
      ("open", open.json),
      (
        "latency",
        .object(
          [
            ("k", .int(options.k)), ("passes", .int(options.iterations)),
            ("warmup", .int(options.warmup)),
          ]
            + latency.map { mode, classes in (mode, .object(classes.map { ($0.name, $0.json) })) })
      ),
      ("total_seconds", .double(totalSeconds)),
    ])
  }

  /// The text summary printed on stdout.
  var summary: String {
    var lines: [String] = []
    let documents = corpus.documentCount
    let commit = machine.gitCommit.map {
      "commit \($0)" + (machine.gitDirty == true ? " (with uncommitted changes)" : "")
    }
    lines.append(
      "Fahras benchmarks  \(machine.date)  \(commit ?? "commit unknown"), binary built \(machine.binaryModified ?? "?")"
    )
    let load = { (l: [Double]) in l.first.map { Format.fixed($0, 2) } ?? "?" }
    lines.append(
      "machine  \(machine.processors) CPUs (\(machine.cpuModel)), \(Format.fixed(Double(machine.memoryTotalMB) / 1024, 1)) GiB RAM, \(machine.kernel); load \(load(machine.loadAverage)) at start, \(load(loadAverageEnd)) at end"
    )
    lines.append(
      "corpus   \(corpusSource.description): \(corpus.files) files, \(documents) documents, \(Format.mib(Double(corpus.textBytes))) MB of text (title+body), \(Format.mib(Double(corpus.fileBytes))) MB of files"
    )
    let classes = queryClasses.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
    lines.append(
      "queries  \(querySource): \(queryCount) (\(classes))\(rejectedQueries > 0 ? ", \(rejectedQueries) rejected" : "")"
    )
    lines.append(
      "method   median of \(options.runs) run(s) [min-max]; MB = 2^20 bytes of title+body text; queries: fastest of \(options.iterations) shuffled passes after \(options.warmup) warm-up"
    )
    lines.append("")
    func seconds(_ r: Runs) -> String {
      Format.fixed(r.median, 2) + " s"
        + (r.values.count > 1 ? " [\(Format.fixed(r.min, 2))-\(Format.fixed(r.max, 2))]" : "")
    }
    let w = 40
    lines.append(
      Format.pad("analysis, 1 thread", w) + Format.padLeft(Format.short(analysis.mbPerSecond), 7)
        + " MB/s  "
        + Format.padLeft("\(Format.short(analysis.tokensPerSecond / 1e6)) M tokens/s", 18) + "  "
        + seconds(analysis.seconds))
    func indexingLine(_ label: String, _ r: IndexingResult) -> String {
      var s =
        Format.pad("\(label), \(r.threads) thread\(r.threads == 1 ? "" : "s")", w)
        + Format.padLeft(Format.short(r.mbPerSecond), 7) + " MB/s  "
        + Format.padLeft("\(Int(r.docsPerSecond.rounded())) docs/s", 18) + "  "
        + seconds(r.seconds) + ", \(r.segments) segment\(r.segments == 1 ? "" : "s")"
      if let peak = r.peakRSSKB { s += ", peak RSS \(Format.fixed(Double(peak) / 1024, 0)) MB" }
      return s
    }
    for r in writer { lines.append(indexingLine("indexing, in memory", r)) }
    for r in folder { lines.append(indexingLine("indexing, folder", r)) }
    lines.append(
      Format.pad("merge to 1 segment", w)
        + seconds(merge.seconds)
        + " from \(merge.segmentsBefore) segment\(merge.segmentsBefore == 1 ? "" : "s"), then commit \(Format.fixed(merge.commitSeconds.median, 2)) s, peak RSS \(Format.fixed(Double(merge.peakRSSKB) / 1024, 0)) MB"
    )
    let text = Double(max(1, corpus.textBytes))
    lines.append(
      Format.pad("index size", w)
        + "\(Format.mib(Double(size.total))) MB = \(Format.fixed(Double(size.total) * 100 / text, 1))% of the text"
        + " (before merge \(Format.mib(Double(size.beforeMergeBytes))) MB)")
    for e in size.entries {
      lines.append(
        "  " + Format.pad("\(e.key) (\(e.kind))", w - 2)
          + Format.padLeft(Format.mib(Double(e.bytes)), 7) + " MB  "
          + Format.padLeft(Format.fixed(Double(e.bytes) * 100 / text, 1), 5) + "%")
    }
    lines.append(
      Format.pad("open (IndexReader.open)", w)
        + "median \(Format.short(open.medianMS)) ms of \(open.opens) (first \(Format.short(open.firstMS)) ms, min \(Format.short(open.minMS)) ms); Searcher init \(Format.short(open.searcherInitMS)) ms"
    )
    func delta(_ kb: Int) -> String {
      "+\(Format.fixed(Double(kb - open.rssStartKB) / 1024, 1)) MB"
    }
    var memory =
      Format.pad("resident memory", w)
      + "\(Format.fixed(Double(open.rssStartKB) / 1024, 1)) MB at start, \(delta(open.rssAfterOpenKB)) after open, \(delta(open.rssAfterSearcherKB)) after Searcher init"
    if let q = open.rssAfterQueriesKB {
      memory += ", \(delta(q)) after one top-\(options.k) pass over the queries"
    }
    lines.append(memory)
    for (mode, classes) in latency {
      lines.append("")
      lines.append(
        mode == "top"
          ? "latency, top-\(options.k) (µs per query, fastest pass)"
          : "latency, count only (µs per query, fastest pass)")
      let widths = [10, 6, 9, 9, 9, 9, 9, 9]
      let header =
        ["class", "n", "mean", "p50", "p90", "p99", "max", "qps"]
        + (mode == "top" ? ["no hit"] : [])
      lines.append(zip(header, widths + [7]).map { Format.pad($0, $1) }.joined())
      for c in classes {
        var cells = [
          c.name, "\(c.count)", Format.short(c.mean), Format.short(c.p50), Format.short(c.p90),
          Format.short(c.p99),
          Format.short(c.max), "\(Int(c.qps.rounded()))",
        ]
        if mode == "top" { cells.append("\(c.noHit)") }
        lines.append(zip(cells, widths + [7]).map { Format.pad($0, $1) }.joined())
      }
    }
    lines.append("")
    lines.append("total time \(Format.fixed(totalSeconds, 0)) s")
    return lines.joined(separator: "\n")
  }
}
