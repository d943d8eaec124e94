import FahrasSearch

/// Query latency per class, by the method of `fahras bench`: `warmup` untimed passes over all
/// queries, then `iterations` timed passes, each in a freshly shuffled (seeded) order, one query at
/// a time on one thread. A query's latency is its fastest pass; per class (and `all`) we report the
/// mean, p50, p90, p99 and max of those minimums in microseconds, and qps = 1e6 / mean.
enum LatencyBenchmark {
  struct ClassStats {
    var name: String
    var count: Int
    var mean, p50, p90, p99, max: Double
    /// Queries of the class that matched nothing (top mode only).
    var noHit: Int
    var qps: Double { mean > 0 ? 1e6 / mean : 0 }

    var json: JSONValue {
      .object([
        ("n", .int(count)), ("mean_us", .double(mean)), ("p50_us", .double(p50)),
        ("p90_us", .double(p90)),
        ("p99_us", .double(p99)), ("max_us", .double(max)), ("qps", .double(qps)),
      ])
    }
  }

  /// Search options of the benchmark: no snippets, no stored documents loaded.
  static func options(k: Int, mode: SearchOptions.Mode) -> SearchOptions {
    var o = SearchOptions()
    o.k = k
    o.mode = mode
    o.snippets = false
    o.loadDocuments = false
    return o
  }

  /// Splits `queries` into the ones the searcher accepts and the rejected ones (with the error).
  static func validate(_ queries: [BenchQuery], searcher: Searcher, k: Int) -> (
    accepted: [BenchQuery], rejected: [(BenchQuery, String)]
  ) {
    var accepted: [BenchQuery] = []
    var rejected: [(BenchQuery, String)] = []
    let o = options(k: k, mode: .top)
    for q in queries {
      do {
        _ = try searcher.search(q.text, options: o)
        accepted.append(q)
      } catch {
        rejected.append((q, "\(error)"))
      }
    }
    return (accepted, rejected)
  }

  static func measure(
    _ queries: [BenchQuery], searcher: Searcher, mode: SearchOptions.Mode, k: Int, warmup: Int,
    iterations: Int, seed: UInt64
  ) -> [ClassStats] {
    let o = options(k: k, mode: mode)
    var noHit = [Bool](repeating: false, count: queries.count)
    for pass in 0..<warmup {
      for (i, q) in queries.enumerated() {
        let result = try? searcher.search(q.text, options: o)
        if pass == 0, mode == .top { noHit[i] = result?.hits.isEmpty ?? true }
      }
    }
    var best = [Double](repeating: .infinity, count: queries.count)
    var rng = SplitMix64(seed: seed)
    for _ in 0..<iterations {
      var order = Array(queries.indices)
      order.shuffle(using: &rng)
      for i in order {
        let t0 = Monotonic.seconds()
        _ = try? searcher.search(queries[i].text, options: o)
        let us = (Monotonic.seconds() - t0) * 1e6
        if us < best[i] { best[i] = us }
      }
    }
    var classes: [String] = []
    for q in queries where !classes.contains(q.klass) { classes.append(q.klass) }
    func stats(_ name: String, _ indices: [Int]) -> ClassStats {
      let sorted = indices.map { best[$0] }.sorted()
      let mean = sorted.reduce(0, +) / Double(Swift.max(1, sorted.count))
      return ClassStats(
        name: name, count: sorted.count, mean: mean, p50: Statistics.percentile(sorted, 0.5),
        p90: Statistics.percentile(sorted, 0.9), p99: Statistics.percentile(sorted, 0.99),
        max: sorted.last ?? 0, noHit: indices.filter { noHit[$0] }.count)
    }
    var out = classes.map { c in stats(c, queries.indices.filter { queries[$0].klass == c }) }
    out.append(stats("all", Array(queries.indices)))
    return out
  }
}
