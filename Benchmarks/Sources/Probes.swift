import FahrasIndex
import FahrasIngest
import FahrasSearch
import Foundation

/// Measurements that run in a fresh child process (this binary, first argument `__probe`), so that
/// their peak and resident memory are not mixed with the parent's corpus and earlier runs.
/// Each prints one JSON object on standard output.
enum Probe {
  static let flag = "__probe"

  /// Entry point in the child: `__probe index CORPUS INDEX THREADS MEMORY_MB`,
  /// `__probe merge INDEX`, `__probe open INDEX OPENS [QUERIES K]`.
  static func main(_ arguments: [String]) -> Int32 {
    do {
      let result: JSONValue
      switch arguments.first {
      case "index" where arguments.count == 5:
        result = try index(
          corpus: arguments[1], index: arguments[2], threads: Int(arguments[3]) ?? 1,
          memoryMB: Int(arguments[4]) ?? 512)
      case "merge" where arguments.count == 2:
        result = try merge(index: arguments[1])
      case "open" where arguments.count == 3 || arguments.count == 5:
        result = try open(
          index: arguments[1], opens: Int(arguments[2]) ?? 1,
          queries: arguments.count == 5 ? arguments[3] : nil,
          k: arguments.count == 5 ? Int(arguments[4]) ?? 10 : 10)
      default:
        throw BenchOptions.Problem(description: "bad probe arguments: \(arguments)")
      }
      print(result.rendered())
      return 0
    } catch {
      FileHandle.standardError.write(Data("fahras-benchmarks probe: \(error)\n".utf8))
      return 1
    }
  }

  /// `FolderIndexer.run()` into a fresh index, timed from before the indexer to after its commit.
  static func index(corpus: String, index: String, threads: Int, memoryMB: Int) throws -> JSONValue
  {
    let before = ProcessMemory.sample()
    let (summary, seconds) = try Monotonic.time {
      try FolderIndexer(
        corpus: corpus, index: index,
        options: .init(threads: threads, memoryBudget: memoryMB << 20)
      ).run()
    }
    let after = ProcessMemory.sample()
    return .object([
      ("seconds", .double(seconds)),
      ("documents", .int(summary.documents)),
      ("file_bytes", .int(Int(summary.bytes))),
      ("segments", .int(summary.segments)),
      ("skipped_documents", .int(summary.skippedDocuments)),
      ("rss_start_kb", .int(before.resident)),
      ("peak_rss_kb", .int(after.peak)),
    ])
  }

  /// `forceMerge(maxSegments: 1)` then `commit()`, timed separately.
  static func merge(index: String) throws -> JSONValue {
    let before = ProcessMemory.sample()
    let writer = try IndexWriter(directory: index)
    let segments = writer.committed.segments.count
    let ((), mergeSeconds) = try Monotonic.time { try writer.forceMerge(maxSegments: 1) }
    let ((), commitSeconds) = try Monotonic.time { try writer.commit() }
    let after = ProcessMemory.sample()
    return .object([
      ("merge_seconds", .double(mergeSeconds)),
      ("commit_seconds", .double(commitSeconds)),
      ("segments_before", .int(segments)),
      ("segments_after", .int(writer.committed.segments.count)),
      ("rss_start_kb", .int(before.resident)),
      ("peak_rss_kb", .int(after.peak)),
    ])
  }

  /// `IndexReader.open` `opens` times (the first reader is kept, the others released at once), then
  /// `Searcher(reader:)`, then one top-k pass over the queries; resident memory after each step.
  static func open(index: String, opens: Int, queries: String?, k: Int) throws -> JSONValue {
    let start = ProcessMemory.sample()
    let (reader, first) = try Monotonic.time { try IndexReader.open(index) }
    let afterOpen = ProcessMemory.sample()
    var times = [first]
    for _ in 1..<max(1, opens) {
      let t0 = Monotonic.seconds()
      let again = try IndexReader.open(index)
      times.append(Monotonic.seconds() - t0)
      withExtendedLifetime(again) {}
    }
    let (searcher, searcherSeconds) = Monotonic.time { Searcher(reader: reader) }
    let afterSearcher = ProcessMemory.sample()
    var members: [(String, JSONValue)] = [
      ("first_ms", .double(first * 1000)),
      ("median_ms", .double(Statistics.median(times) * 1000)),
      ("min_ms", .double((times.min() ?? 0) * 1000)),
      ("searcher_init_ms", .double(searcherSeconds * 1000)),
      ("rss_start_kb", .int(start.resident)),
      ("rss_after_open_kb", .int(afterOpen.resident)),
      ("rss_file_after_open_kb", .int(afterOpen.file)),
      ("rss_after_searcher_kb", .int(afterSearcher.resident)),
      ("segments", .int(reader.segments.count)),
      ("documents", .int(reader.documentCount)),
    ]
    if let queries {
      let list = try QueryFile.read(queries)
      let options = LatencyBenchmark.options(k: k, mode: .top)
      for q in list { _ = try? searcher.search(q.text, options: options) }
      let afterQueries = ProcessMemory.sample()
      members.append(("rss_after_queries_kb", .int(afterQueries.resident)))
      members.append(("rss_file_after_queries_kb", .int(afterQueries.file)))
    }
    return .object(members)
  }

  /// Runs a probe in a child process and parses its JSON.
  static func spawn(_ arguments: [String]) throws -> JSONValue {
    guard let r = Subprocess.run([Subprocess.selfPath, flag] + arguments) else {
      throw BenchOptions.Problem(description: "cannot start \(Subprocess.selfPath)")
    }
    guard r.status == 0, let object = try? JSONValue.parse(r.output) else {
      throw BenchOptions.Problem(
        description: "probe \(arguments.first ?? "") failed (status \(r.status))")
    }
    return object
  }
}
