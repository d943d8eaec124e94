import FahrasIndex
import FahrasText
import Foundation
import Testing

/// `$light` lists stored as selections from their stem's `$text` list (docs/FORMAT.md §8, "Derived
/// lists"): they must read back exactly as the analyzer says, in order and out of order, whether a
/// flush or a merge wrote them.
@Suite struct DerivedListTests {
  /// English word families: the Porter stem is shared, the light forms (unstemmed) differ, so each
  /// light list is a selection of its stem's.
  static let suffixes = ["", "s", "ed", "ing"]
  static let roots = [
    "walk", "jump", "play", "climb", "paint", "kick", "push", "pull", "look", "help", "call",
    "open", "point", "start", "turn", "want", "work", "talk", "clean", "crash", "mark", "rest",
    "park", "fish",
  ]

  /// Documents whose words come from `roots` (root k about 0.85^k as often as the first, so the
  /// families range from a few hundred to thousands of documents) with suffixes in proportions
  /// 30 : 30 : 25 : 15, plus a few stopwords.
  static func documents(count: Int, seed: UInt64) -> [IndexDocument] {
    var rng = SplitMix64(seed: seed)
    let weights = roots.indices.map { pow(0.85, Double($0)) }
    let total = weights.reduce(0, +)
    func word() -> String {
      if rng.next() % 10 == 0 { return "the" }
      var u = Double(rng.next() % 1_000_000) / 1_000_000 * total
      var k = 0
      while k < roots.count - 1 && u >= weights[k] {
        u -= weights[k]
        k += 1
      }
      let s = rng.next() % 100
      return roots[k] + suffixes[s < 30 ? 0 : s < 60 ? 1 : s < 85 ? 2 : 3]
    }
    return (0..<count).map { i in
      let title = (0..<Int(rng.next() % 3)).map { _ in word() }.joined(separator: " ")
      let body = (0..<Int(2 + rng.next() % 6)).map { _ in word() }.joined(separator: " ")
      return IndexDocument(id: "doc-\(i)", path: "f.txt", title: title, body: body)
    }
  }

  /// Light form → document number → weighted frequency, from the analyzer (stopwords included).
  static func expectedLight(_ docs: [IndexDocument]) -> [String: [Int: UInt32]] {
    let analyzer = Analyzer()
    var out: [String: [Int: UInt32]] = [:]
    for (d, doc) in docs.enumerated() {
      for t in analyzer.analyze(doc.title) {
        out[t.light, default: [:]][d, default: 0] += Segment.titleWeight
      }
      for t in analyzer.analyze(doc.body) { out[t.light, default: [:]][d, default: 0] += 1 }
    }
    return out
  }

  /// What a list holds: (document number in the source array, frequency) in segment order.
  static func read(_ seg: SegmentReader, _ c: PostingsCursor, ids: [Int]) -> [(Int, UInt32)] {
    var out: [(Int, UInt32)] = []
    while c.nextDoc() != PostingsCursor.noMore { out.append((ids[Int(c.doc)], c.freq)) }
    return out
  }

  /// Checks every `$light` list of the single segment against the analyzer; returns how many short
  /// and long lists were derived.
  static func verify(_ dir: TempDir, _ docs: [IndexDocument]) throws -> (short: Int, long: Int) {
    let reader = try IndexReader.open(dir.path)
    #expect(reader.segments.count == 1)
    let seg = reader.segments[0]
    // Segment document → source document (a merge may reorder segments).
    let ids = try (0..<seg.maxDoc).map { d in
      Int(try seg.documentID(d).dropFirst("doc-".count))!
    }
    var segmentDoc = [Int](repeating: -1, count: docs.count)
    for (d, id) in ids.enumerated() { segmentDoc[id] = d }
    let expected = expectedLight(docs)
    let light = try #require(seg.field(named: FieldInfo.light))
    var it = try seg.dictionary.iterator(from: [UInt8(light.number)])
    var derived = (short: 0, long: 0)
    var terms = 0
    while try it.next(), it.field == light.number {
      terms += 1
      let term = String(decoding: it.term, as: UTF8.self)
      let want = (expected[term] ?? [:]).map { ($0.key, $0.value) }
        .sorted { segmentDoc[$0.0] < segmentDoc[$1.0] }
      let c = seg.cursor(field: light, info: it.info)
      let got = read(seg, c, ids: ids)
      #expect(c.corruption == nil)
      #expect(got.map { $0.0 } == want.map { $0.0 }, "documents of \(term)")
      #expect(got.map { $0.1 } == want.map { $0.1 }, "frequencies of \(term)")
      guard it.info.isDerived else { continue }
      if it.info.docFreq < Segment.blockSize {
        derived.short += 1
        continue
      }
      derived.long += 1
      // Blocks visited backwards (the base cursor must move back) hold the list's documents.
      let all = got.map { $0.0 }
      let seeker = seg.cursor(field: light, info: it.info)
      let table = seeker.blockTable()
      #expect(table.count == (it.info.docFreq + Segment.blockSize - 1) / Segment.blockSize)
      for (b, handle) in table.enumerated().reversed() {
        let first = seeker.seek(to: handle)
        #expect(first != PostingsCursor.noMore, "block \(b) of \(term)")
        guard first != PostingsCursor.noMore else { break }
        var block: [Int] = [ids[Int(first)]]
        while block.count < Segment.blockSize, seeker.nextDoc() != PostingsCursor.noMore,
          seeker.doc <= handle.lastDoc
        {
          block.append(ids[Int(seeker.doc)])
        }
        let start = b * Segment.blockSize
        #expect(block == Array(all[start..<min(all.count, start + Segment.blockSize)]))
      }
      #expect(seeker.corruption == nil)
    }
    #expect(terms == expected.count)
    return derived
  }

  /// Indexes `docs` into `dir`, committing every `commitEvery` documents and at the end, then
  /// merging into one segment when `merge`.
  static func write(
    _ docs: [IndexDocument], to dir: TempDir, compact: Bool, commitEvery: Int = .max,
    merge: Bool = false
  ) throws {
    let w = try IndexWriter(
      directory: dir.path, options: IndexWriter.Options(compactLightLists: compact))
    for (i, d) in docs.enumerated() {
      try w.add(d)
      if (i + 1) % commitEvery == 0 { try w.commit() }
    }
    try w.commit()
    if merge {
      try w.forceMerge(maxSegments: 1)
      try w.commit()
    }
  }

  @Test(
    "a flushed segment's derived lists read back as the analyzer says, in and out of order",
    arguments: [false, true])
  func flushedSegment(compact: Bool) throws {
    let dir = TempDir("derived")
    defer { dir.cleanup() }
    let docs = Self.documents(count: 9000, seed: 41)
    try Self.write(docs, to: dir, compact: compact)
    let derived = try Self.verify(dir, docs)
    #expect(derived.short > 0)
    // Long lists are derived only when asked for (`compactLightLists`).
    #expect(compact ? derived.long > 0 : derived.long == 0)
  }

  @Test("a merge derives light lists from the merged stem lists")
  func mergedSegments() throws {
    let dir = TempDir("derived-merge")
    defer { dir.cleanup() }
    let docs = Self.documents(count: 9000, seed: 43)
    try Self.write(docs, to: dir, compact: true, commitEvery: 2000, merge: true)
    let derived = try Self.verify(dir, docs)
    #expect(derived.short > 0)
    #expect(derived.long > 0)
  }
}
