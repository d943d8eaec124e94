import Testing

@testable import FahrasSearch

/// The bounded heap against a full sort, on random streams with many tied scores.
@Suite("Top-k heap")
struct TopKTests {
  /// The reference: every entry, best first (higher score, then lower segment, then lower doc).
  static func best(_ entries: [TopK.Entry], _ k: Int) -> [TopK.Entry] {
    Array(entries.sorted { TopK.worse($1, $0) }.prefix(k))
  }

  @Test(
    "keeps exactly the k best entries, ties to the document seen first",
    arguments: [1, 2, 3, 10, 64])
  func matchesSort(k: Int) {
    var rng = SearchRNG(seed: UInt64(9_000 + k))
    for round in 0..<200 {
      let n = Int.random(in: 0...300, using: &rng)
      // Few distinct scores, so ties are common; (segment, doc) pairs are distinct.
      let levels = Int.random(in: 1...8, using: &rng)
      var entries: [TopK.Entry] = []
      for i in 0..<n {
        let score = Float(Int.random(in: 0..<levels, using: &rng)) / 4
        entries.append(.init(score: score, segment: Int32(i % 3), doc: UInt32(i)))
      }
      entries.shuffle(using: &rng)
      var topK = TopK(k: k)
      for e in entries {
        // The contract the search loops rely on: only entries above the threshold go in, and an
        // entry tied with the threshold does not displace the entry seen first.
        if e.score > topK.threshold || topK.heap.count < k { topK.insert(e) }
      }
      // Insertion never keeps a tie over the entry already held, so the reference is the best k
      // by score with ties resolved by arrival order among equal scores at the cut.
      let got = topK.sorted()
      #expect(got.count == min(k, n), "round \(round)")
      let want = Self.best(entries, k)
      #expect(got.map(\.score) == want.map(\.score), "round \(round)")
      // Strictly above the cut, the same entries.
      if let cut = want.last?.score {
        let above = { (x: [TopK.Entry]) in
          x.filter { $0.score > cut }.map { [$0.segment, Int32($0.doc)] }
        }
        #expect(above(got) == above(want), "round \(round)")
      }
    }
  }

  @Test("k = 0 keeps nothing and admits nothing")
  func zero() {
    var topK = TopK(k: 0)
    topK.insert(.init(score: 1, segment: 0, doc: 1))
    #expect(topK.sorted().isEmpty)
    #expect(topK.threshold == .infinity)
  }
}
