import Dispatch
import FahrasSearch

/// `fahras bench`: query latency per class.
///
/// Method: one or more warm-up passes over all queries, then `iterations` measured passes, each in a
/// freshly shuffled order (seeded), timing every query with a monotonic clock. Per query we keep the
/// minimum and the median over passes; per class (and `all`) we report count, mean, p50, p90, p99 and
/// max of the per-query minimums in microseconds, and qps = 1e6 / mean. Snippets are not computed.
/// With `--threads T`, T threads search concurrently and the wall-clock throughput is reported too.
enum BenchCommand {
  struct Query {
    var klass: String
    var text: String
  }

  struct ClassStats {
    var n: Int
    var mean, p50, p90, p99, max, medianMean: Double
    var qps: Double { mean > 0 ? 1e6 / mean : 0 }
  }

  static func run(_ args: ParsedArguments, _ console: Console) throws -> Int32 {
    guard let file = args.value("queries") else {
      throw UsageError(message: "bench needs --queries FILE", command: "bench")
    }
    guard args.value("index") != nil else {
      throw UsageError(message: "bench needs --index DIR", command: "bench")
    }
    let mode = args.value("mode") ?? "top"
    guard ["top", "count", "both"].contains(mode) else {
      throw UsageError(message: "--mode must be top, count or both", command: "bench")
    }
    let k = try args.int("k", default: 10, range: 1...100_000)
    let warmup = try args.int("warmup", default: 1, range: 0...1000)
    let iterations = try args.int("iterations", default: 5, range: 1...100_000)
    let threads = try args.int("threads", default: 1, range: 1...256)
    var seed = UInt64(try args.int("seed", default: 1))
    let pruningName = args.value("pruning") ?? DisjunctionAlgorithm.maxScore.rawValue
    guard let pruning = DisjunctionAlgorithm(rawValue: pruningName) else {
      throw UsageError(message: "--pruning must be maxscore or wand", command: "bench")
    }
    let queries: [Query] = try readLines(file).map { line in
      let p = line.split(separator: "\t", maxSplits: 1)
      return p.count == 2
        ? Query(klass: String(p[0]), text: String(p[1])) : Query(klass: "query", text: line)
    }
    guard !queries.isEmpty else { throw UsageError(message: "\(file) holds no queries") }
    let searcher = try openSearcher(indexPath(args))
    // Reject bad queries up front, naming them.
    for (i, q) in queries.enumerated() {
      do {
        _ = try searcher.search(q.text, options: options(k: k, mode: .top, pruning: pruning))
      } catch {
        console.err("fahras: \(file):\(i + 1): \(error)")
        return 1
      }
    }
    var modes: [(String, SearchOptions.Mode)] = []
    if mode != "count" { modes.append(("top", .top)) }
    if mode != "top" { modes.append(("count", .count)) }
    var report: [(String, [(String, ClassStats)], Double?)] = []
    for (name, m) in modes {
      let o = options(k: k, mode: m, pruning: pruning)
      var times = [[Double]](repeating: [], count: queries.count)
      for _ in 0..<warmup { for q in queries { _ = try? searcher.search(q.text, options: o) } }
      var throughput: Double? = nil
      for _ in 0..<iterations {
        let order = shuffled(queries.count, seed: &seed)
        if threads == 1 {
          for i in order {
            let t = now()
            _ = try? searcher.search(queries[i].text, options: o)
            times[i].append((now() - t) * 1e6)
          }
        } else {
          let results = ThreadResults(count: queries.count)
          let t0 = now()
          let box = SearcherBox(
            searcher: searcher, queries: queries, order: order, options: o, results: results)
          DispatchQueue.concurrentPerform(iterations: threads) { _ in box.work() }
          let wall = now() - t0
          throughput = max(throughput ?? 0, Double(queries.count) / wall)
          for i in 0..<queries.count { times[i].append(results.get(i)) }
        }
      }
      report.append((name, summarize(queries, times), throughput))
    }
    if args.has("json") {
      let modesJSON = report.map { (name, classes, thr) -> (String, String) in
        var pairs = classes.map { (c, s) in
          (
            c,
            JSON.object([
              ("n", "\(s.n)"), ("mean_us", JSON.number(s.mean)), ("p50_us", JSON.number(s.p50)),
              ("p90_us", JSON.number(s.p90)), ("p99_us", JSON.number(s.p99)),
              ("max_us", JSON.number(s.max)),
              ("median_mean_us", JSON.number(s.medianMean)), ("qps", JSON.number(s.qps)),
            ])
          )
        }
        if let thr { pairs.append(("throughput_qps", JSON.number(thr))) }
        return (name, JSON.object(pairs))
      }
      console.line(
        JSON.object([
          ("k", "\(k)"), ("passes", "\(iterations)"), ("warmup", "\(warmup)"),
          ("threads", "\(threads)"),
          ("documents", "\(searcher.reader.documentCount)"), ("modes", JSON.object(modesJSON)),
        ]))
    } else {
      console.line(
        "\(queries.count) queries, \(iterations) passes after \(warmup) warm-up, k = \(k), \(threads) thread\(threads == 1 ? "" : "s"), \(searcher.reader.documentCount) documents"
      )
      for (name, classes, thr) in report {
        console.line("")
        console.line(
          console.bold("mode \(name)") + (thr.map { "   throughput \(Int($0)) queries/s" } ?? ""))
        console.line(
          pad("class", 10) + pad("n", 6) + pad("mean µs", 10) + pad("p50", 10) + pad("p90", 10)
            + pad("p99", 10) + pad("max", 10) + pad("qps", 10))
        for (c, s) in classes {
          console.line(
            pad(c, 10) + pad("\(s.n)", 6) + pad(format1(s.mean), 10) + pad(format1(s.p50), 10)
              + pad(format1(s.p90), 10) + pad(format1(s.p99), 10) + pad(format1(s.max), 10)
              + pad("\(Int(s.qps))", 10))
        }
      }
    }
    return 0
  }

  static func options(k: Int, mode: SearchOptions.Mode, pruning: DisjunctionAlgorithm)
    -> SearchOptions
  {
    var o = SearchOptions()
    o.disjunction = pruning
    o.k = k
    o.mode = mode
    o.snippets = false
    o.loadDocuments = false
    return o
  }

  static func pad(_ s: String, _ n: Int) -> String {
    s + String(repeating: " ", count: max(1, n - s.count))
  }

  static func shuffled(_ n: Int, seed: inout UInt64) -> [Int] {
    var a = Array(0..<n)
    for i in stride(from: n - 1, to: 0, by: -1) {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let j = Int((seed >> 33) % UInt64(i + 1))
      a.swapAt(i, j)
    }
    return a
  }

  static func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let idx = min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)
    return sorted[max(0, idx)]
  }

  static func summarize(_ queries: [Query], _ times: [[Double]]) -> [(String, ClassStats)] {
    var classes: [String] = []
    for q in queries where !classes.contains(q.klass) { classes.append(q.klass) }
    func stats(_ idx: [Int]) -> ClassStats {
      let mins = idx.map { times[$0].min() ?? 0 }.sorted()
      let medians = idx.map { i -> Double in
        let t = times[i].sorted()
        return t.isEmpty ? 0 : t[t.count / 2]
      }
      let mean = mins.reduce(0, +) / Double(max(1, mins.count))
      return ClassStats(
        n: mins.count, mean: mean, p50: percentile(mins, 0.5), p90: percentile(mins, 0.9),
        p99: percentile(mins, 0.99),
        max: mins.last ?? 0, medianMean: medians.reduce(0, +) / Double(max(1, medians.count)))
    }
    var out = classes.map { c in (c, stats(queries.indices.filter { queries[$0].klass == c })) }
    out.append(("all", stats(Array(queries.indices))))
    return out
  }
}

/// Shared state of a multi-threaded pass.
final class ThreadResults: @unchecked Sendable {
  private var values: [Double]
  private var next = 0
  private let lock = NSLockLite()
  init(count: Int) { values = Array(repeating: 0, count: count) }
  func take() -> Int? {
    lock.with {
      guard next < values.count else { return nil }
      defer { next += 1 }
      return next
    }
  }
  func set(_ i: Int, _ v: Double) { lock.with { values[i] = v } }
  func get(_ i: Int) -> Double { values[i] }
}

struct SearcherBox: @unchecked Sendable {
  let searcher: Searcher
  let queries: [BenchCommand.Query]
  let order: [Int]
  let options: SearchOptions
  let results: ThreadResults
  func work() {
    while let j = results.take() {
      let i = order[j]
      let t = now()
      _ = try? searcher.search(queries[i].text, options: options)
      results.set(i, (now() - t) * 1e6)
    }
  }
}

/// A pthread mutex.
final class NSLockLite: @unchecked Sendable {
  private var m = pthread_mutex_t()
  init() { pthread_mutex_init(&m, nil) }
  deinit { pthread_mutex_destroy(&m) }
  func with<R>(_ body: () -> R) -> R {
    pthread_mutex_lock(&m)
    defer { pthread_mutex_unlock(&m) }
    return body()
  }
}

#if canImport(Glibc)
  import Glibc
#endif
