import FahrasIndex
import FahrasSearch
import FahrasText
import Foundation

/// The measurement stages of one benchmark run, in the order `BenchmarkMain.measure` calls them.
struct Stages {
  let options: BenchOptions
  /// Scratch folder for indexes and generated files.
  let workdir: String

  /// Thread counts of the indexing runs: 1, and `--threads` when above 1.
  var threadCounts: [Int] { options.threads > 1 ? [1, options.threads] : [1] }

  /// The query file: `--queries`, else `tools/gen_queries.py` on the corpus, else the built-in
  /// sampler. Returns its path and a description of where it came from.
  func queries(corpus: LoadedCorpus, source: CorpusSource, tools: String?) throws -> (
    file: String, source: String
  ) {
    if let given = options.queries { return (given, given) }
    let file = workdir + "/queries.tsv"
    if let tools {
      Progress.line("generating queries with \(tools)/gen_queries.py")
      let r = Subprocess.run([
        "python3", tools + "/gen_queries.py", "--corpus", source.queryInput, "--seed",
        String(options.seed),
        "--per-class", String(options.perClass), "--out", file, "--quiet",
      ])
      if r?.status == 0, !((try? QueryFile.read(file))?.isEmpty ?? true) {
        return (
          file,
          "tools/gen_queries.py --seed \(options.seed) --per-class \(options.perClass) on the corpus"
        )
      }
    }
    Progress.line("sampling queries with the built-in generator")
    let queries = BuiltinQueries.generate(
      corpus.documents, perClass: options.perClass, seed: UInt64(options.seed))
    try QueryFile.write(queries, to: file)
    return (file, "built-in sampler, seed \(options.seed), \(options.perClass) per class")
  }

  /// Analyzer alone over every title and body, one thread; tokens counted in the sink.
  func analysis(_ corpus: LoadedCorpus) -> AnalysisResult {
    let analyzer = Analyzer()  // builds the character table before timing
    var result = AnalysisResult()
    result.textBytes = corpus.textBytes
    for run in 1...options.runs {
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

  /// `IndexWriter.add(contentsOf:)` with every parsed document, then `commit()`, into a fresh index;
  /// `--runs` times per thread count, interleaved so that load changes hit every configuration.
  func inMemoryIndexing(_ corpus: LoadedCorpus) throws -> [IndexingResult] {
    let fm = FileManager.default
    var results = threadCounts.map { IndexingResult(threads: $0) }
    for run in 1...options.runs {
      for (slot, threads) in threadCounts.enumerated() {
        let dir = workdir + "/writer-\(threads)t"
        try? fm.removeItem(atPath: dir)
        let (segments, seconds) = try Monotonic.time { () throws -> Int in
          let writer = try IndexWriter(
            directory: dir, options: .init(memoryBudget: options.memoryMB << 20, threads: threads))
          try writer.add(contentsOf: corpus.documents)
          try writer.commit()
          return writer.committed.segments.count
        }
        results[slot].seconds.values.append(seconds)
        results[slot].segments = segments
        results[slot].textBytes = corpus.textBytes
        results[slot].documents = corpus.documentCount
        Progress.line(
          "indexing in memory, \(threads) thread(s), run \(run): \(Format.fixed(seconds, 2)) s")
        try? fm.removeItem(atPath: dir)
      }
    }
    return results
  }

  /// `FolderIndexer` runs (child processes) per thread count, `--runs` times, interleaved; after
  /// each run with the most threads, `forceMerge(maxSegments: 1)` of its index (child process).
  /// The last merged index is left at `finalIndex`.
  func folderIndexing(corpusFolder: String, textBytes: Int, finalIndex: String) throws -> (
    runs: [IndexingResult], merge: MergeResult, beforeMergeBytes: Int64
  ) {
    let fm = FileManager.default
    var results = threadCounts.map { IndexingResult(threads: $0) }
    var merge = MergeResult()
    var beforeMerge: Int64 = 0
    for run in 1...options.runs {
      for (slot, threads) in threadCounts.enumerated() {
        let dir = workdir + "/index-\(threads)t"
        try? fm.removeItem(atPath: dir)
        let probe = try Probe.spawn([
          "index", corpusFolder, dir, String(threads), String(options.memoryMB),
        ])
        let seconds = probe["seconds"]?.double ?? 0
        results[slot].seconds.values.append(seconds)
        results[slot].documents = probe["documents"]?.int ?? 0
        results[slot].fileBytes = probe["file_bytes"]?.int ?? 0
        results[slot].textBytes = textBytes
        results[slot].segments = probe["segments"]?.int ?? 0
        results[slot].peakRSSKB = max(results[slot].peakRSSKB ?? 0, probe["peak_rss_kb"]?.int ?? 0)
        Progress.line(
          "indexing folder, \(threads) thread(s), run \(run): \(Format.fixed(seconds, 2)) s, \(results[slot].segments) segment(s)"
        )
        guard slot == threadCounts.count - 1 else {
          try? fm.removeItem(atPath: dir)
          continue
        }
        beforeMerge = try IndexFiles.totalBytes(dir)
        let m = try Probe.spawn(["merge", dir])
        let mergeSeconds = m["merge_seconds"]?.double ?? 0
        merge.seconds.values.append(mergeSeconds)
        merge.commitSeconds.values.append(m["commit_seconds"]?.double ?? 0)
        merge.segmentsBefore = m["segments_before"]?.int ?? 0
        merge.peakRSSKB = max(merge.peakRSSKB, m["peak_rss_kb"]?.int ?? 0)
        Progress.line(
          "merge of \(merge.segmentsBefore) segment(s), run \(run): \(Format.fixed(mergeSeconds, 2)) s"
        )
        try? fm.removeItem(atPath: finalIndex)
        try fm.moveItem(atPath: dir, toPath: finalIndex)
      }
    }
    return (results, merge, beforeMerge)
  }

  /// Open time and resident memory, measured in a child process.
  func open(index: String, queryFile: String) throws -> OpenResult {
    let probe = try Probe.spawn([
      "open", index, String(options.opens), queryFile, String(options.k),
    ])
    let result = OpenResult(probe: probe, opens: options.opens)
    Progress.line("open: median \(Format.short(result.medianMS)) ms")
    return result
  }

  /// Query latency in top and count modes, after dropping the queries the parser rejects.
  func latency(index: String, queryFile: String) throws -> (
    accepted: Int, rejected: Int, classes: [(String, Int)],
    modes: [(String, [LatencyBenchmark.ClassStats])]
  ) {
    let queries = try QueryFile.read(queryFile)
    guard !queries.isEmpty else {
      throw BenchOptions.Problem(description: "\(queryFile) holds no queries")
    }
    let searcher = Searcher(reader: try IndexReader.open(index))
    let (accepted, rejected) = LatencyBenchmark.validate(queries, searcher: searcher, k: options.k)
    for (q, why) in rejected.prefix(5) {
      Progress.line("query rejected: \(q.klass) \(q.text): \(why)")
    }
    var names: [String] = []
    for q in accepted where !names.contains(q.klass) { names.append(q.klass) }
    let classes = names.map { c in (c, accepted.filter { $0.klass == c }.count) }
    var modes: [(String, [LatencyBenchmark.ClassStats])] = []
    for (name, mode) in [("top", SearchOptions.Mode.top), ("count", .count)] {
      Progress.line(
        "latency, mode \(name): \(options.warmup) warm-up + \(options.iterations) passes")
      let stats = LatencyBenchmark.measure(
        accepted, searcher: searcher, mode: mode, k: options.k, warmup: options.warmup,
        iterations: options.iterations, seed: UInt64(options.seed))
      modes.append((name, stats))
    }
    return (accepted.count, rejected.count, classes, modes)
  }
}
