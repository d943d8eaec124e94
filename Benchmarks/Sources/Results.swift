/// One indexing configuration measured `runs` times.
struct IndexingResult {
  var threads: Int
  var seconds = Runs()
  var textBytes = 0
  var fileBytes = 0
  var documents = 0
  var segments = 0
  /// Peak resident memory of the indexing process (folder runs only: they run in a child).
  var peakRSSKB: Int?

  var mbPerSecond: Double {
    seconds.median > 0 ? Double(textBytes) / 1_048_576 / seconds.median : 0
  }
  var docsPerSecond: Double { seconds.median > 0 ? Double(documents) / seconds.median : 0 }
  var fileMBPerSecond: Double {
    seconds.median > 0 ? Double(fileBytes) / 1_048_576 / seconds.median : 0
  }

  func json(folder: Bool) -> JSONValue {
    var m: [(String, JSONValue)] = [
      ("threads", .int(threads)),
      ("seconds", .double(seconds.median)),
      ("mb_per_s", .double(mbPerSecond)),
      ("docs_per_s", .double(docsPerSecond)),
    ]
    if folder { m.append(("file_mb_per_s", .double(fileMBPerSecond))) }
    m.append(("segments", .int(segments)))
    if let peakRSSKB { m.append(("peak_rss_mb", .double(Double(peakRSSKB) / 1024))) }
    m.append(("runs_seconds", .array(seconds.values.map { .double($0) })))
    return .object(m)
  }
}

/// `forceMerge(maxSegments: 1)` of the last parallel index, `runs` times (once per indexing run).
struct MergeResult {
  var seconds = Runs()
  var commitSeconds = Runs()
  var segmentsBefore = 0
  var peakRSSKB = 0

  var json: JSONValue {
    .object([
      ("segments_before", .int(segmentsBefore)),
      ("seconds", .double(seconds.median)),
      ("commit_seconds", .double(commitSeconds.median)),
      ("peak_rss_mb", .double(Double(peakRSSKB) / 1024)),
      ("runs_seconds", .array(seconds.values.map { .double($0) })),
    ])
  }
}

/// Bytes of the final (merged) index per file kind.
struct IndexSize {
  struct Entry {
    var key: String
    var kind: String
    var bytes: Int64
  }
  var entries: [Entry] = []
  var beforeMergeBytes: Int64 = 0
  var total: Int64 { entries.reduce(0) { $0 + $1.bytes } }

  func json(textBytes: Int) -> JSONValue {
    func pct(_ b: Int64) -> JSONValue {
      .double(textBytes > 0 ? Double(b) * 100 / Double(textBytes) : 0)
    }
    return .object([
      ("total_bytes", .int(Int(total))),
      ("total_pct_text", pct(total)),
      ("before_merge_bytes", .int(Int(beforeMergeBytes))),
      (
        "files",
        .object(
          entries.map { e in
            (
              e.key,
              .object([
                ("kind", .string(e.kind)), ("bytes", .int(Int(e.bytes))),
                ("pct_text", pct(e.bytes)),
              ])
            )
          })
      ),
    ])
  }
}

/// Open time and resident memory, from the open probe.
struct OpenResult {
  var opens = 0
  var medianMS = 0.0
  var minMS = 0.0
  var firstMS = 0.0
  var searcherInitMS = 0.0
  var rssStartKB = 0
  var rssAfterOpenKB = 0
  var rssAfterSearcherKB = 0
  var rssAfterQueriesKB: Int?
  var rssFileAfterQueriesKB: Int?

  init() {}

  init(probe: JSONValue, opens: Int) {
    self.opens = opens
    medianMS = probe["median_ms"]?.double ?? 0
    minMS = probe["min_ms"]?.double ?? 0
    firstMS = probe["first_ms"]?.double ?? 0
    searcherInitMS = probe["searcher_init_ms"]?.double ?? 0
    rssStartKB = probe["rss_start_kb"]?.int ?? 0
    rssAfterOpenKB = probe["rss_after_open_kb"]?.int ?? 0
    rssAfterSearcherKB = probe["rss_after_searcher_kb"]?.int ?? 0
    rssAfterQueriesKB = probe["rss_after_queries_kb"]?.int
    rssFileAfterQueriesKB = probe["rss_file_after_queries_kb"]?.int
  }

  var json: JSONValue {
    func mb(_ kb: Int) -> JSONValue { .double(Double(kb) / 1024) }
    var m: [(String, JSONValue)] = [
      ("opens", .int(opens)),
      ("median_ms", .double(medianMS)),
      ("min_ms", .double(minMS)),
      ("first_ms", .double(firstMS)),
      ("searcher_init_ms", .double(searcherInitMS)),
      ("rss_start_mb", mb(rssStartKB)),
      ("rss_open_delta_mb", mb(rssAfterOpenKB - rssStartKB)),
      ("rss_searcher_delta_mb", mb(rssAfterSearcherKB - rssStartKB)),
    ]
    if let q = rssAfterQueriesKB { m.append(("rss_queries_delta_mb", mb(q - rssStartKB))) }
    if let f = rssFileAfterQueriesKB { m.append(("rss_file_after_queries_mb", mb(f))) }
    return .object(m)
  }
}

/// Analysis alone (single thread) over every title and body.
struct AnalysisResult {
  var seconds = Runs()
  var textBytes = 0
  var tokens = 0
  var stopwords = 0

  var mbPerSecond: Double {
    seconds.median > 0 ? Double(textBytes) / 1_048_576 / seconds.median : 0
  }
  var tokensPerSecond: Double { seconds.median > 0 ? Double(tokens) / seconds.median : 0 }

  var json: JSONValue {
    .object([
      ("seconds", .double(seconds.median)),
      ("mb_per_s", .double(mbPerSecond)),
      ("tokens", .int(tokens)),
      ("stopwords", .int(stopwords)),
      ("tokens_per_s", .double(tokensPerSecond)),
      ("runs_seconds", .array(seconds.values.map { .double($0) })),
    ])
  }
}
