/// Prints every metric of a report next to the same metric of an earlier report, with new/old.
enum Comparison {
  /// The sections compared; settings, machine and corpus are checked for differences instead.
  static let sections = ["analysis", "indexing", "merge", "index_size", "open", "latency"]
  /// Leaves that describe the setup rather than measure anything.
  static let ignored: Set<String> = ["threads", "n", "k", "passes", "warmup", "opens"]

  enum Direction {
    case higherIsBetter, lowerIsBetter, neutral
  }

  /// Whether a larger value of the metric named `key` (the last path component) is an improvement.
  static func direction(_ key: String) -> Direction {
    if key.hasSuffix("per_s") || key == "qps" { return .higherIsBetter }
    let lower = ["seconds", "_ms", "_us", "bytes", "_mb", "_kb", "pct_text"]
    if lower.contains(where: { key.hasSuffix($0) }) { return .lowerIsBetter }
    return .neutral
  }

  static func printComparison(new: JSONValue, newName: String, oldPath: String) throws {
    let old = try JSONValue.parse(file: oldPath)
    var oldLeaves: [String: Double] = [:]
    for (path, value) in old.numericLeaves() { oldLeaves[path] = value }
    func describe(_ r: JSONValue) -> String {
      let commit = r["git_commit"]?.string ?? "unknown commit"
      var dirty = false
      if case .bool(true)? = r["git_dirty"] { dirty = true }
      return
        "\(r["date"]?.string ?? "undated"), \(commit)\(dirty ? " with uncommitted changes" : "")"
    }
    print("comparison: \(newName) (\(describe(new))) against \(oldPath) (\(describe(old)))")
    print(
      "ratio = new / old; better/worse when the change exceeds 5% in the metric's good/bad direction"
    )
    // Differences in setup make ratios meaningless or partly so: say so first.
    let checks: [(String, String)] = [
      ("corpus.documents", "documents"), ("corpus.text_bytes", "text bytes"),
      ("queries.count", "queries"),
      ("machine.nproc", "CPUs"), ("settings.threads", "threads"), ("settings.runs", "runs"),
      ("settings.iterations", "query passes"), ("settings.k", "k"),
      ("settings.memory_mb", "memory budget"),
    ]
    let newLeaves = new.numericLeaves()
    var newByPath: [String: Double] = [:]
    for (path, value) in newLeaves { newByPath[path] = value }
    for (path, label) in checks {
      if let a = oldLeaves[path], let b = newByPath[path], a != b {
        print("note: \(label) differ: old \(JSONValue.number(a)), new \(JSONValue.number(b))")
      }
    }
    if let a = old["machine"]?["cpu_model"]?.string, let b = new["machine"]?["cpu_model"]?.string,
      a != b
    {
      print("note: CPU models differ: old \(a), new \(b)")
    }
    print("")
    let width = max(40, newLeaves.map(\.path.count).max() ?? 0) + 2
    print(
      Format.pad("metric", width) + Format.padLeft("old", 12) + Format.padLeft("new", 12)
        + Format.padLeft("new/old", 10))
    var missing = 0
    var better = 0
    var worse = 0
    for (path, value) in newLeaves {
      guard let section = path.split(separator: ".").first, sections.contains(String(section))
      else { continue }
      let key = String(path.split(separator: ".").last ?? "")
      // Per-file percentages repeat the per-file bytes ratio.
      if ignored.contains(key) || (path.hasPrefix("index_size.files.") && key == "pct_text") {
        continue
      }
      guard let previous = oldLeaves[path] else {
        missing += 1
        continue
      }
      let ratio = previous != 0 ? value / previous : (value == 0 ? 1 : .infinity)
      var verdict = ""
      switch ratio.isFinite ? direction(key) : .neutral {
      case .higherIsBetter:
        verdict = ratio > 1.05 ? "better" : ratio < 0.95 ? "worse" : ""
      case .lowerIsBetter:
        verdict = ratio < 0.95 ? "better" : ratio > 1.05 ? "worse" : ""
      case .neutral:
        break
      }
      if verdict == "better" { better += 1 }
      if verdict == "worse" { worse += 1 }
      print(
        Format.pad(path, width) + Format.padLeft(Format.metric(previous), 12)
          + Format.padLeft(Format.metric(value), 12)
          + Format.padLeft(ratio.isFinite ? Format.fixed(ratio, 3) : "-", 10)
          + (verdict.isEmpty ? "" : "  " + verdict))
    }
    print("")
    print(
      "\(better) better, \(worse) worse"
        + (missing > 0 ? ", \(missing) metrics absent from the old report" : ""))
  }

  /// Combines reports of repeated runs: the first report's tree with every metric replaced by its
  /// median over the reports that have it; prints each measured metric's median, min and max.
  static func median(of files: [String]) throws -> JSONValue {
    let reports = try files.map { try JSONValue.parse(file: $0) }
    var values: [String: [Double]] = [:]
    for r in reports {
      for (path, value) in r.numericLeaves() { values[path, default: []].append(value) }
    }
    var runs: [String: [JSONValue]] = [:]
    for r in reports {
      for (path, items) in r.arrays() where path.hasSuffix("runs_seconds") {
        runs[path, default: []] += items
      }
    }
    var combined = reports[0].mapLeaves { path, value in
      if case .array = value { return runs[path].map { .array($0) } ?? value }
      guard let all = values[path], all.count > 1 else { return value }
      let m = Statistics.median(all)
      if case .int = value, m == m.rounded() { return .int(Int(m)) }
      return .double(m)
    }
    let dates = reports.compactMap { $0["date"]?.string }.sorted()
    // Say what the report is: which runs it combines (every `runs_seconds` holds all their runs).
    if case .object(var members) = combined {
      let at = (members.firstIndex { $0.0 == "date" } ?? -1) + 1
      members.insert(
        (
          "median_of",
          .object([("reports", .int(reports.count)), ("dates", .array(dates.map { .string($0) }))])
        ),
        at: at)
      combined = .object(members)
    }
    print("median of \(reports.count) reports (\(dates.first ?? "?") to \(dates.last ?? "?"))")
    let leaves = combined.numericLeaves()
    let width = max(40, leaves.map(\.path.count).max() ?? 0) + 2
    print(
      Format.pad("metric", width) + Format.padLeft("median", 12) + Format.padLeft("min", 12)
        + Format.padLeft("max", 12))
    for (path, value) in leaves {
      guard let section = path.split(separator: ".").first, sections.contains(String(section))
      else { continue }
      let key = String(path.split(separator: ".").last ?? "")
      if ignored.contains(key) || (path.hasPrefix("index_size.files.") && key == "pct_text") {
        continue
      }
      let all = values[path] ?? [value]
      print(
        Format.pad(path, width) + Format.padLeft(Format.metric(value), 12)
          + Format.padLeft(Format.metric(all.min() ?? value), 12)
          + Format.padLeft(Format.metric(all.max() ?? value), 12))
    }
    return combined
  }
}
