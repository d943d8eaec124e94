import FahrasIndex
import FahrasText
import Testing

@testable import FahrasSearch

/// Block-max WAND must be an optimization only: the same hits, the same scores bit for bit, the same
/// order as scoring every matching document.
@Suite("Pruning equals exhaustive scoring")
struct PruningPropertyTests {
  /// One random index of the property test. Segments come from explicit commits (one per batch), not
  /// from the writer's memory budget, so the layout does not depend on its memory accounting.
  struct Spec: Sendable, CustomTestStringConvertible {
    var name: String
    var seed: UInt64
    /// Documents per commit.
    var batches: [Int]
    var vocabulary: Int
    var bodyWords: Int
    /// Merge down to this many segments before the last batch's commit (nil: no merge).
    var mergeTo: Int?
    var queries: Int
    var testDescription: String { name }
  }

  static let specs: [Spec] = [
    // Many small segments.
    Spec(
      name: "small segments", seed: 11, batches: Array(repeating: 60, count: 8), vocabulary: 250,
      bodyWords: 24, mergeTo: nil, queries: 60),
    // Few large segments: common terms span dozens of 128-document blocks.
    Spec(
      name: "large segments", seed: 22, batches: [2600, 900], vocabulary: 500, bodyWords: 30,
      mergeTo: nil,
      queries: 80),
    // Small segments merged (postings and impacts rewritten by the merger), then more deletes.
    Spec(
      name: "merged segments", seed: 33, batches: Array(repeating: 100, count: 12), vocabulary: 300,
      bodyWords: 30, mergeTo: 2, queries: 60),
  ]

  /// Builds the index of `spec`: batches committed one by one, deletes and updates between them.
  static func build(_ spec: Spec) throws -> (TestIndex, Searcher, PlainCorpus) {
    var rng = SearchRNG(seed: spec.seed &* 7919)
    let total = spec.batches.reduce(0, +)
    let corpus = PlainCorpus(
      count: total + total / 20, vocabulary: spec.vocabulary, bodyWords: spec.bodyWords,
      seed: spec.seed)
    let index = try TestIndex(tag: "prune")
    var next = 0
    for (b, n) in spec.batches.enumerated() {
      for _ in 0..<n {
        try index.add(corpus.documents[next])
        next += 1
        // Deletes of committed and of buffered documents, interleaved with adds.
        if rng.chance(0.04) { try index.delete("d\(rng.below(next))") }
      }
      if b == spec.batches.count - 1, let m = spec.mergeTo {
        try index.commit()
        try index.forceMerge(maxSegments: m)
      }
      try index.commit()
    }
    // Updates: the old version is deleted, the new one lands in a new segment.
    for _ in 0..<(total / 40) {
      var doc = corpus.documents[next]
      doc.id = "d\(rng.below(total))"
      next += 1
      try index.update(doc)
    }
    for _ in 0..<(total / 50) { try index.delete("d\(rng.below(total))") }
    let searcher = try index.finish()
    return (index, searcher, corpus)
  }

  /// A random OR query: 1–6 terms (a few unknown, some boosted), sometimes with excluded terms.
  static func randomQuery(_ vocabulary: [String], _ rng: inout SearchRNG) -> (
    text: String, positive: [String], excluded: [String]
  ) {
    func pick(_ rng: inout SearchRNG) -> String {
      if rng.chance(0.05) { return "zqvvvvv\(rng.below(9))" }  // not in the index
      // Half from the common head, half uniform.
      if rng.chance(0.5) { return vocabulary[rng.below(min(vocabulary.count, 12))] }
      return vocabulary[rng.below(vocabulary.count)]
    }
    var parts: [String] = []
    var positive: [String] = []
    var excluded: [String] = []
    for _ in 0..<(1 + rng.below(6)) {
      let w = pick(&rng)
      positive.append(w)
      switch rng.below(10) {
      case 0: parts.append(w + "^2")
      case 1: parts.append(w + "^0.5")
      default: parts.append(w)
      }
    }
    if rng.chance(0.3) {
      for _ in 0..<(1 + rng.below(2)) {
        let w = pick(&rng)
        excluded.append(w)
        parts.append("-" + w)
      }
    }
    return (parts.joined(separator: " "), positive, excluded)
  }

  @Test("WAND top-k equals exhaustive top-k; count equals brute force", arguments: specs)
  func pruningIsExact(spec: Spec) throws {
    let (index, searcher, corpus) = try Self.build(spec)
    #expect(
      searcher.reader.segments.count >= 2, "\(spec.name): \(searcher.reader.segments.map(\.maxDoc))"
    )
    #expect(searcher.reader.segments.contains { $0.deletes != nil }, "no segment has deletes")
    let words = index.live.mapValues { DocumentWords($0).all }
    var rng = SearchRNG(seed: spec.seed &+ 1)
    for q in 0..<spec.queries {
      let (text, positive, excluded) = Self.randomQuery(corpus.vocabulary, &rng)
      let expected = Set(
        words.filter { _, w in
          positive.contains(where: w.contains) && !excluded.contains(where: w.contains)
        }.keys)
      let counted = try searcher.search(text, options: .test(mode: .count))
      #expect(counted.total == expected.count, "query #\(q) \(text): count")
      #expect(counted.hits.isEmpty)
      for k in [1, 5, 10, 50] {
        // Hits as (segment, doc, score bits): stored documents are not read, which is what costs most.
        let full = try searcher.search(
          text, options: .test(k: k, mode: .top, pruning: false, loadDocuments: false))
        let b = full.hits.map { "\($0.segment)/\($0.doc) \($0.score.bitPattern)" }
        for algorithm in DisjunctionAlgorithm.allCases {
          var options = SearchOptions.test(k: k, mode: .top, pruning: true, loadDocuments: false)
          options.disjunction = algorithm
          let pruned = try searcher.search(text, options: options)
          let a = pruned.hits.map { "\($0.segment)/\($0.doc) \($0.score.bitPattern)" }
          #expect(
            a == b,
            "query #\(q) \(text) k=\(k) \(algorithm): pruned \(pruned.hits.map { ($0.segment, $0.doc, $0.score) }) exhaustive \(full.hits.map { ($0.segment, $0.doc, $0.score) })"
          )
        }
        #expect(full.hits.count == min(k, expected.count), "query #\(q) \(text) k=\(k)")
        // Exhaustive order: score descending, then segment, then document.
        for (x, y) in zip(full.hits, full.hits.dropFirst()) {
          #expect(
            x.score > y.score || (x.score == y.score && (x.segment, x.doc) < (y.segment, y.doc)))
        }
        #expect(full.hits.map(\.rank) == Array(0..<full.hits.count).map { $0 + 1 })
      }
      // The ids of a pruned top 10 are matching documents, and the total of `both` mode is exact.
      let both = try searcher.search(text, options: .test(k: 10, mode: .both, pruning: true))
      #expect(
        Set(both.hits.map(\.id)).isSubset(of: expected), "query #\(q) \(text): a hit does not match"
      )
      #expect(both.total == expected.count, "query #\(q) \(text): total in both mode")
    }
  }
}

/// Runs `text` with and without pruning (top `k`, no stored documents), expects the same hits and
/// scores to the bit, and returns the exhaustive result.
@discardableResult
func expectPrunedEqualsExhaustive(
  _ searcher: Searcher, _ text: String, k: Int, _ comment: String,
  sourceLocation: SourceLocation = #_sourceLocation
) throws -> SearchResult {
  let pruned = try searcher.search(
    text, options: .test(k: k, mode: .top, pruning: true, loadDocuments: false))
  let full = try searcher.search(
    text, options: .test(k: k, mode: .top, pruning: false, loadDocuments: false))
  #expect(
    pruned.hits.map { "\($0.segment)/\($0.doc) \($0.score.bitPattern)" }
      == full.hits.map { "\($0.segment)/\($0.doc) \($0.score.bitPattern)" },
    Comment(rawValue: comment), sourceLocation: sourceLocation)
  return full
}

/// Single-word queries take their own block-max path (no pivot, blocks skipped with the skip data
/// alone): every word of the vocabulary, alone and with an exclusion, must give exactly the
/// exhaustive top k.
@Suite("Pruning: single words")
struct SingleWordPruningTests {
  @Test("single-word top-k equals exhaustive top-k for every word")
  func everyWord() throws {
    let spec = PruningPropertyTests.specs[1]  // large segments: lists of dozens of blocks
    let (index, searcher, corpus) = try PruningPropertyTests.build(spec)
    _ = index
    var checked = 0
    for (i, w) in corpus.vocabulary.enumerated() {
      let text = i % 4 == 3 ? "\(w) -\(corpus.vocabulary[(i * 7) % corpus.vocabulary.count])" : w
      for k in [1, 10, 100] {
        let full = try expectPrunedEqualsExhaustive(searcher, text, k: k, "\(text) k=\(k)")
        checked += full.hits.count
      }
    }
    #expect(checked > 1000)
  }
}

/// Conjunctions of words (`+a +b`, with exclusions) take the block-max conjunction path.
@Suite("Pruning: conjunctions")
struct ConjunctionPruningTests {
  @Test("conjunction top-k equals exhaustive top-k", arguments: [0, 1, 2])
  func conjunctions(specIndex: Int) throws {
    let spec = PruningPropertyTests.specs[specIndex]
    let (index, searcher, corpus) = try PruningPropertyTests.build(spec)
    _ = index
    var rng = SearchRNG(seed: spec.seed &+ 99)
    let vocabulary = corpus.vocabulary
    var nonEmpty = 0
    for q in 0..<120 {
      func pick() -> String {
        rng.chance(0.6)
          ? vocabulary[rng.below(min(vocabulary.count, 15))]
          : vocabulary[rng.below(vocabulary.count)]
      }
      var parts = (0..<(2 + rng.below(3))).map { _ in "+" + pick() }
      if rng.chance(0.3) { parts.append("-" + pick()) }
      if rng.chance(0.1) { parts[0] += "^2" }
      let text = parts.joined(separator: " ")
      for k in [1, 10, 50] {
        let full = try expectPrunedEqualsExhaustive(
          searcher, text, k: k, "query #\(q) \(text) k=\(k)")
        if k == 10 && !full.hits.isEmpty { nonEmpty += 1 }
      }
    }
    #expect(nonEmpty > 30)
  }
}

/// A phrase alone skips documents whose bound (from the smallest term frequency) cannot beat the
/// threshold, without reading their positions.
@Suite("Pruning: phrases")
struct PhrasePruningTests {
  @Test("phrase top-k equals exhaustive top-k")
  func phrases() throws {
    let spec = PruningPropertyTests.specs[1]
    let (index, searcher, corpus) = try PruningPropertyTests.build(spec)
    _ = index
    var rng = SearchRNG(seed: 404)
    var nonEmpty = 0
    for q in 0..<150 {
      let words = corpus.documents[rng.below(corpus.documents.count)].body.split(separator: " ")
      guard words.count >= 4 else { continue }
      let n = 2 + rng.below(2)
      let start = rng.below(words.count - n)
      var text = "\"" + words[start..<(start + n)].joined(separator: " ") + "\""
      if rng.chance(0.3) { text += "~\(1 + rng.below(3))" }
      for k in [1, 10, 50] {
        let full = try expectPrunedEqualsExhaustive(
          searcher, text, k: k, "query #\(q) \(text) k=\(k)")
        if k == 1 && !full.hits.isEmpty { nonEmpty += 1 }
      }
      let both = try searcher.search(text, options: .test(k: 1, mode: .both, pruning: true))
      let count = try searcher.search(text, options: .test(k: 1, mode: .count, pruning: false))
      #expect(both.total == count.total, "\(text): total with pruning")
    }
    #expect(nonEmpty > 50)
  }
}

/// Regression test for a false corruption report the property test found: a cursor moved past its last
/// block by `shallowAdvance` decoded a block that does not exist when advanced.
@Suite("Pruning over multi-block postings")
struct PruningCursorTests {
  /// `zqb` fills three 128-document blocks early in the segment; `zqc` occurs only far after them. With
  /// k = 1 the pivot lands on `zqc`'s document, block-max WAND asks `zqb` for the block bound there
  /// (`shallowAdvance` past its last block) and then advances it: the cursor must report the end of
  /// the list, not decode a block that does not exist.
  @Test("a pruned disjunction whose pivot lies past a term's last block")
  func pivotPastLastBlock() throws {
    var docs: [IndexDocument] = []
    for i in 0..<300 { docs.append(IndexDocument(id: "b\(i)", title: "", body: "zqb zqd")) }
    for i in 0..<200 { docs.append(IndexDocument(id: "d\(i)", title: "", body: "zqd zqd")) }
    docs.append(IndexDocument(id: "c", title: "", body: "zqc zqd"))
    let (index, searcher) = try makeIndex("pivot", docs)
    _ = index
    for k in [1, 2, 5] {
      let exhaustive = try searcher.search(
        "zqb zqc", options: .test(k: k, mode: .top, pruning: false))
      let pruned: SearchResult
      do {
        pruned = try searcher.search("zqb zqc", options: .test(k: k, mode: .top, pruning: true))
      } catch {
        Issue.record("k=\(k): pruned search failed on a healthy index: \(error)")
        continue
      }
      #expect(pruned.hits.map(\.id) == exhaustive.hits.map(\.id))
      #expect(pruned.hits.map(\.score) == exhaustive.hits.map(\.score))
      #expect(pruned.hits.first?.id == "c")
    }
  }
}
