import Foundation

/// Command-line settings of a benchmark run.
struct BenchOptions {
  /// A folder Fahras can index, or one `.jsonl`/`.json`/`.txt`… file.
  var corpus: String?
  /// Documents to generate when no corpus is given.
  var generate: Int?
  /// Language of a generated corpus (`ar`, `en`, `mixed`).
  var language = "ar"
  /// `class<TAB>query` lines; generated from the corpus when absent.
  var queries: String?
  /// Indexing threads of the parallel runs.
  var threads = max(1, ProcessInfo.processInfo.activeProcessorCount)
  /// Timed query passes (after `warmup` untimed ones).
  var iterations = 5
  var warmup = 1
  /// Repetitions of each throughput measurement (analysis, indexing, merge); medians are reported.
  var runs = 3
  /// `IndexReader.open` calls timed for the open time.
  var opens = 9
  /// Hits per query in top mode.
  var k = 10
  /// Indexing memory budget in MiB (the `fahras index` default).
  var memoryMB = 512
  /// Queries per class when they are generated.
  var perClass = 200
  var seed = 1
  var out: String?
  var compare: String?
  /// With `compare`: an existing report to compare instead of measuring.
  var against: String?
  /// Reports to combine into one of per-metric medians instead of measuring.
  var medianOf: [String] = []
  var workdir: String?
  var keep = false
  /// Folder of `gen_corpus.py`/`gen_queries.py`.
  var tools: String?

  static let usage = """
    usage: fahras-benchmarks [--corpus DIR_OR_FILE | --generate N [--lang ar|en|mixed]]
                             [--queries FILE.tsv] [--threads N] [--iterations N] [--runs N]
                             [--out report.json] [--compare previous.json [--against new.json]]
           fahras-benchmarks --median-of r1.json r2.json ... [--out median.json]
           fahras-benchmarks --space-bounds INDEX_DIR

    Measures, on one corpus: analysis MB/s, indexing MB/s and docs/s with 1 and N threads, merge
    time, index size per file kind, open time and memory, and query latency per class.

      --corpus PATH       a folder Fahras can index, or a single .jsonl/.json/.txt/.md/.html file
      --generate N        generate N documents instead (tools/gen_corpus.py, else a built-in
                          generator); the default when no corpus is given is --generate 10000
      --lang L            language of the generated corpus: ar (default), en, mixed
      --queries FILE      class<TAB>query lines; default: tools/gen_queries.py on the corpus
                          (--per-class N, default 200), else built-in sampling
      --threads N         threads of the parallel indexing runs (default: online CPUs)
      --runs N            repetitions of each throughput measurement, medians reported (default 3)
      --iterations N      timed query passes, per-query minimum kept (default 5)
      --warmup N          untimed query passes first (default 1)
      --opens N           IndexReader.open calls timed (default 9)
      --k N               hits per query in top mode (default 10)
      --memory MB         indexing memory budget (default 512)
      --seed N            seed of generated corpus/queries and of the pass shuffles (default 1)
      --out FILE          write the JSON report there
      --compare FILE      print every metric with its ratio to this earlier report
      --against FILE      with --compare: compare this report instead of measuring
      --median-of FILE... combine reports of repeated runs: every metric becomes its median, with
                          min and max printed; --out writes the combined report
      --workdir DIR       scratch folder for indexes (default /tmp/fahras-benchmarks.PID, removed)
      --keep              keep the scratch folder
      --tools DIR         folder holding gen_corpus.py and gen_queries.py

    --space-bounds prints, per field, the index's bytes next to the information-theoretic bounds
    of its postings and positions (Benchmarks/README.md, "How far from the bound").

    Progress goes to stderr, the summary to stdout.
    """

  struct Problem: Error, CustomStringConvertible {
    var description: String
  }

  /// Parses `--name value`, `--name=value` and the flags `--keep`, `--help`.
  static func parse(_ arguments: [String]) throws(Problem) -> BenchOptions {
    var o = BenchOptions()
    var i = 0
    func value(_ name: String, _ inline: String?) throws(Problem) -> String {
      if let inline { return inline }
      i += 1
      guard i < arguments.count else { throw Problem(description: "--\(name) needs a value") }
      return arguments[i]
    }
    func int(_ name: String, _ inline: String?, _ range: ClosedRange<Int>) throws(Problem) -> Int {
      let text = try value(name, inline)
      guard let n = Int(text), range.contains(n) else {
        throw Problem(
          description:
            "--\(name) must be an integer in \(range.lowerBound)...\(range.upperBound), not \(text)"
        )
      }
      return n
    }
    while i < arguments.count {
      let argument = arguments[i]
      guard argument.hasPrefix("--") else {
        throw Problem(description: "unexpected argument \(argument)")
      }
      var name = String(argument.dropFirst(2))
      var inline: String?
      if let eq = name.firstIndex(of: "=") {
        inline = String(name[name.index(after: eq)...])
        name = String(name[..<eq])
      }
      switch name {
      case "corpus": o.corpus = try value(name, inline)
      case "generate": o.generate = try int(name, inline, 1...100_000_000)
      case "lang":
        o.language = try value(name, inline)
        guard ["ar", "en", "mixed"].contains(o.language) else {
          throw Problem(description: "--lang must be ar, en or mixed")
        }
      case "queries": o.queries = try value(name, inline)
      case "threads": o.threads = try int(name, inline, 1...256)
      case "iterations": o.iterations = try int(name, inline, 1...10_000)
      case "warmup": o.warmup = try int(name, inline, 0...1000)
      case "runs": o.runs = try int(name, inline, 1...100)
      case "opens": o.opens = try int(name, inline, 1...1000)
      case "k": o.k = try int(name, inline, 1...100_000)
      case "memory": o.memoryMB = try int(name, inline, 16...1 << 20)
      case "per-class": o.perClass = try int(name, inline, 1...100_000)
      case "seed": o.seed = try int(name, inline, 0...Int.max)
      case "out": o.out = try value(name, inline)
      case "compare": o.compare = try value(name, inline)
      case "against": o.against = try value(name, inline)
      case "median-of":
        if let inline { o.medianOf.append(inline) }
        while i + 1 < arguments.count, !arguments[i + 1].hasPrefix("--") {
          i += 1
          o.medianOf.append(arguments[i])
        }
        if o.medianOf.isEmpty { throw Problem(description: "--median-of needs report files") }
      case "workdir": o.workdir = try value(name, inline)
      case "tools": o.tools = try value(name, inline)
      case "keep": o.keep = true
      default: throw Problem(description: "unknown option \(argument)")
      }
      i += 1
    }
    if o.corpus != nil && o.generate != nil {
      throw Problem(description: "give either --corpus or --generate, not both")
    }
    if o.against != nil && o.compare == nil {
      throw Problem(description: "--against needs --compare")
    }
    if o.corpus == nil && o.generate == nil { o.generate = 10_000 }
    return o
  }
}
