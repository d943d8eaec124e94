import Foundation

/// The benchmark run: prepares the corpus and queries, measures every stage, writes the report.
enum BenchmarkMain {
  static func run(_ arguments: [String]) -> Int32 {
    if arguments.first == Probe.flag { return Probe.main(Array(arguments.dropFirst())) }
    if arguments.first == SpaceBounds.flag {
      return SpaceBounds.main(Array(arguments.dropFirst()))
    }
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
      if !options.medianOf.isEmpty {
        let combined = try Comparison.median(of: options.medianOf)
        if let out = options.out {
          try (combined.rendered() + "\n").write(toFile: out, atomically: true, encoding: .utf8)
        }
        if let old = options.compare {
          print("")
          try Comparison.printComparison(
            new: combined, newName: "median of \(options.medianOf.count)", oldPath: old)
        }
        return 0
      }
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
    let stages = Stages(options: options, workdir: workdir)

    report.corpusSource = try CorpusPreparation.prepare(options, workdir: workdir, tools: tools)
    Progress.line("loading \(report.corpusSource.folder)")
    var corpus = try CorpusPreparation.load(folder: report.corpusSource.folder)
    guard !corpus.documents.isEmpty else {
      throw BenchOptions.Problem(description: "the corpus holds no documents Fahras can read")
    }
    Progress.line(
      "\(corpus.documentCount) documents, \(Format.mib(Double(corpus.textBytes))) MB of text in \(corpus.files) files"
    )
    let (queryFile, querySource) = try stages.queries(
      corpus: corpus, source: report.corpusSource, tools: tools)
    report.querySource = querySource

    report.analysis = stages.analysis(corpus)
    report.writer = try stages.inMemoryIndexing(corpus)
    corpus.documents = []  // the rest runs in child processes or on the index
    report.corpus = corpus

    let finalIndex = workdir + "/index"
    let folder = try stages.folderIndexing(
      corpusFolder: report.corpusSource.folder, textBytes: corpus.textBytes, finalIndex: finalIndex)
    report.folder = folder.runs
    report.merge = folder.merge
    report.size.beforeMergeBytes = folder.beforeMergeBytes
    report.size.entries = try IndexFiles.sizeByKind(finalIndex)

    report.open = try stages.open(index: finalIndex, queryFile: queryFile)
    let latency = try stages.latency(index: finalIndex, queryFile: queryFile)
    report.queryCount = latency.accepted
    report.rejectedQueries = latency.rejected
    report.queryClasses = latency.classes
    report.latency = latency.modes

    report.loadAverageEnd = MachineInfo.loadAverage()
    report.totalSeconds = Monotonic.seconds() - started
    return report
  }
}
