import FahrasIndex
import FahrasSearch
import FahrasText
import Foundation

/// The benchmark run: prepares the corpus and queries, measures every stage, writes the report.
enum BenchmarkMain {
  static func run(_ arguments: [String]) -> Int32 {
    if arguments.first == Probe.flag { return Probe.main(Array(arguments.dropFirst())) }
    if arguments.contains("--help") || arguments.contains("-h") {
      print(BenchOptions.usage)
      return 0
    }
    let options: BenchOptions
    do { options = try BenchOptions.parse(arguments) } catch {
      FileHandle.standardError.write(
        Data("fahras-benchmarks: \(error)\n\n\(BenchOptions.usage)\n".utf8))
      return 2
    }
    do {
      if let old = options.compare, let new = options.against {
        try Comparison.printComparison(
          new: try JSONValue.parse(file: new), newName: new, oldPath: old)
        return 0
      }
      let report = try measure(options)
      let json = report.json
      if let out = options.out {
        try (json.rendered() + "\n").write(toFile: out, atomically: true, encoding: .utf8)
        Progress.line("report written to \(out)")
      }
      print(report.summary)
      if let old = options.compare {
        print("")
        try Comparison.printComparison(new: json, newName: "this run", oldPath: old)
      }
      return 0
    } catch {
      FileHandle.standardError.write(Data("fahras-benchmarks: \(error)\n".utf8))
      return 1
    }
  }

  /// Every measurement, in order; see Benchmarks/README.md for the method.
  static func measure(_ options: BenchOptions) throws -> BenchmarkReport {
    let fm = FileManager.default
    let workdir = options.workdir ?? "/tmp/fahras-benchmarks.\(getpid())"
    let removeWorkdir = options.workdir == nil && !options.keep
    try fm.createDirectory(atPath: workdir, withIntermediateDirectories: true)
    defer { if removeWorkdir { try? fm.removeItem(atPath: workdir) } }
    let started = Monotonic.seconds()
    let tools = CorpusPreparation.toolsFolder(options.tools)
    var report = BenchmarkReport(
      options: options, machine: MachineInfo.collect(repository: CorpusPreparation.repositoryRoot))

    // Corpus.
    report.corpusSource = try CorpusPreparation.prepare(options, workdir: workdir, tools: tools)
    Progress.line("loading \(report.corpusSource.folder)")
    var corpus = try CorpusPreparation.load(folder: report.corpusSource.folder)
    guard !corpus.documents.isEmpty else {
      throw BenchOptions.Problem(description: "the corpus holds no documents Fahras can read")
    }
    report.corpus = corpus
    report.corpus.documents = []
    Progress.line(
      "\(corpus.documents.count) documents, \(Format.mib(Double(corpus.textBytes))) MB of text in \(corpus.files) files"
    )

    // Queries.
    let queryFile: String
    if let given = options.queries {
      queryFile = given
      report.querySource = given
    } else {
      queryFile = workdir + "/queries.tsv"
      var made = false
      if let tools {
        Progress.line("generating queries with \(tools)/gen_queries.py")
        let r = Subprocess.run([
          "python3", tools + "/gen_queries.py", "--corpus", report.corpusSource.queryInput,
          "--seed",
          String(options.seed), "--per-class", String(options.perClass), "--out", queryFile,
          "--quiet",
        ])
        made = r?.status == 0 && !((try? QueryFile.read(queryFile))?.isEmpty ?? true)
        report.querySource =
          "tools/gen_queries.py --seed \(options.seed) --per-class \(options.perClass) on the corpus"
      }
      if !made {
        Progress.line("sampling queries with the built-in generator")
        try QueryFile.write(
          BuiltinQueries.generate(
            corpus.documents, perClass: options.perClass, seed: UInt64(options.seed)),
          to: queryFile)
        report.querySource = "built-in sampler, seed \(options.seed), \(options.perClass) per class"
      }
    }
    let queries = try QueryFile.read(queryFile)
    guard !queries.isEmpty else {
      throw BenchOptions.Problem(description: "\(queryFile) holds no queries")
    }

    let threadCounts = options.threads > 1 ? [1, options.threads] : [1]

    // Analysis alone.
    report.analysis = analysis(corpus, runs: options.runs)

    // In-memory indexing: IndexWriter.add(contentsOf:) + commit(), documents already parsed.
    var writer = threadCounts.map { IndexingResult(threads: $0) }
    for run in 1...options.runs {
      for (slot, threads) in threadCounts.enumerated() {
        let dir = workdir + "/writer-\(threads)t"
        try? fm.removeItem(atPath: dir)
        let (segments, seconds) = try Monotonic.time { () throws -> Int in
          let w = try IndexWriter(
            directory: dir, options: .init(memoryBudget: options.memoryMB << 20, threads: threads))
          try w.add(contentsOf: corpus.documents)
          try w.commit()
          return w.committed.segments.count
        }
        writer[slot].seconds.values.append(seconds)
        writer[slot].segments = segments
        writer[slot].textBytes = corpus.textBytes
        writer[slot].documents = corpus.documents.count
        Progress.line(
          "indexing in memory, \(threads) thread(s), run \(run): \(Format.fixed(seconds, 2)) s")
        try? fm.removeItem(atPath: dir)
      }
    }
    report.writer = writer
    let textBytes = corpus.textBytes
    corpus.documents = []  // the rest runs in child processes or on the index

    // Folder indexing (FolderIndexer, child process), then merge of the last parallel index.
    var folder = threadCounts.map { IndexingResult(threads: $0) }
    var merge = MergeResult()
    let finalIndex = workdir + "/index"
    for run in 1...options.runs {
      for (slot, threads) in threadCounts.enumerated() {
        let dir = workdir + "/index-\(threads)t"
        try? fm.removeItem(atPath: dir)
        let probe = try Probe.spawn([
          "index", report.corpusSource.folder, dir, String(threads), String(options.memoryMB),
        ])
        let seconds = probe["seconds"]?.double ?? 0
        folder[slot].seconds.values.append(seconds)
        folder[slot].documents = probe["documents"]?.int ?? 0
        folder[slot].fileBytes = probe["file_bytes"]?.int ?? 0
        folder[slot].textBytes = textBytes
        folder[slot].segments = probe["segments"]?.int ?? 0
        let peak = probe["peak_rss_kb"]?.int ?? 0
        folder[slot].peakRSSKB = max(folder[slot].peakRSSKB ?? 0, peak)
        Progress.line(
          "indexing folder, \(threads) thread(s), run \(run): \(Format.fixed(seconds, 2)) s, \(folder[slot].segments) segment(s)"
        )
        if slot == threadCounts.count - 1 {
          report.size.beforeMergeBytes = try indexSize(dir)
          let m = try Probe.spawn(["merge", dir])
          let ms = m["merge_seconds"]?.double ?? 0
          merge.seconds.values.append(ms)
          merge.commitSeconds.values.append(m["commit_seconds"]?.double ?? 0)
          merge.segmentsBefore = m["segments_before"]?.int ?? 0
          merge.peakRSSKB = max(merge.peakRSSKB, m["peak_rss_kb"]?.int ?? 0)
          Progress.line(
            "merge of \(merge.segmentsBefore) segment(s), run \(run): \(Format.fixed(ms, 2)) s")
          try? fm.removeItem(atPath: finalIndex)
          try fm.moveItem(atPath: dir, toPath: finalIndex)
        } else {
          try? fm.removeItem(atPath: dir)
        }
      }
    }
    report.folder = folder
    report.merge = merge
    report.size.entries = try sizeByKind(finalIndex)

    // Open time and memory (child process).
    report.open = OpenResult(
      probe: try Probe.spawn([
        "open", finalIndex, String(options.opens), queryFile, String(options.k),
      ]),
      opens: options.opens)
    Progress.line("open: median \(Format.short(report.open.medianMS)) ms")

    // Query latency.
    let reader = try IndexReader.open(finalIndex)
    let searcher = Searcher(reader: reader)
    let (accepted, rejected) = LatencyBenchmark.validate(queries, searcher: searcher, k: options.k)
    for (q, why) in rejected.prefix(5) {
      Progress.line("query rejected: \(q.klass) \(q.text): \(why)")
    }
    report.queryCount = accepted.count
    report.rejectedQueries = rejected.count
    var classes: [String] = []
    for q in accepted where !classes.contains(q.klass) { classes.append(q.klass) }
    report.queryClasses = classes.map { c in (c, accepted.filter { $0.klass == c }.count) }
    for (name, mode) in [("top", SearchOptions.Mode.top), ("count", .count)] {
      Progress.line(
        "latency, mode \(name): \(options.warmup) warm-up + \(options.iterations) passes")
      let stats = LatencyBenchmark.measure(
        accepted, searcher: searcher, mode: mode, k: options.k, warmup: options.warmup,
        iterations: options.iterations, seed: UInt64(options.seed))
      report.latency.append((name, stats))
    }
    report.loadAverageEnd = MachineInfo.loadAverage()
    report.totalSeconds = Monotonic.seconds() - started
    return report
  }

  /// Analyzer alone over every title and body, one thread; tokens counted in the sink.
  static func analysis(_ corpus: LoadedCorpus, runs: Int) -> AnalysisResult {
    let analyzer = Analyzer()  // builds the character table before timing
    var result = AnalysisResult()
    result.textBytes = corpus.textBytes
    for run in 1...runs {
      var tokens = 0
      var stopwords = 0
      let ((), seconds) = Monotonic.time {
        for doc in corpus.documents {
          var title = doc.title
          var body = doc.body
          title.withUTF8 { text in
            analyzer.analyze(utf8: text) { token in
              tokens += 1
              if token.isStopword { stopwords += 1 }
            }
          }
          body.withUTF8 { text in
            analyzer.analyze(utf8: text) { token in
              tokens += 1
              if token.isStopword { stopwords += 1 }
            }
          }
        }
      }
      result.seconds.values.append(seconds)
      result.tokens = tokens
      result.stopwords = stopwords
      Progress.line("analysis run \(run): \(Format.fixed(seconds, 2)) s")
    }
    return result
  }

  /// Sizes of the files the latest commit of the index in `dir` references, by name (older commits'
  /// files that the writer keeps for open readers are not counted).
  static func committedFiles(_ dir: String) throws -> [(name: String, bytes: Int64)] {
    let manifest = try IndexReader.open(dir).manifest
    var names = [Manifest.fileName(manifest.generation)]
    if !manifest.userData.isEmpty { names.append(manifest.userData) }
    for segment in manifest.segments {
      names += segment.files(in: dir).map { String($0.split(separator: "/").last ?? "") }
    }
    return names.map { ($0, FileSizes.size(dir + "/" + $0) ?? 0) }
  }

  /// Bytes of the latest commit of the index in `dir`.
  static func indexSize(_ dir: String) throws -> Int64 {
    try committedFiles(dir).reduce(Int64(0)) { $0 + $1.bytes }
  }

  /// Bytes of the latest commit grouped by file kind (segment file extension, manifest, ingest
  /// state, deletes).
  static func sizeByKind(_ dir: String) throws -> [IndexSize.Entry] {
    var bytes: [String: Int64] = [:]
    for (name, size) in try committedFiles(dir) {
      let key: String
      if name.hasPrefix("manifest.") {
        key = "manifest"
      } else if name.hasPrefix("ingest.") {
        key = "ingest"
      } else if let dot = name.lastIndex(of: ".") {
        key = String(name[name.index(after: dot)...])
      } else {
        key = "other"
      }
      bytes[key, default: 0] += size
    }
    var order = SegmentFile.allCases.map(\.rawValue) + ["del", "manifest", "ingest"]
    order += bytes.keys.filter { !order.contains($0) }.sorted()
    return order.compactMap { key in
      guard let b = bytes[key] else { return nil }
      let kind: String
      switch key {
      case "del": kind = "deleted documents"
      case "manifest": kind = "commit manifest"
      case "ingest": kind = "ingest state"
      default: kind = SegmentFile(rawValue: key)?.kind ?? "other"
      }
      return IndexSize.Entry(key: key, kind: kind, bytes: b)
    }
  }
}
