import FahrasIndex
import Testing

@testable import FahrasSearch

/// A single word over a long list visits its blocks best bound first (`BoundOrderedWord`), so its
/// documents reach the top k out of document order. Ties must still go to the earlier document,
/// as exhaustive scoring gives them.
@Suite("Pruning: single words, blocks by bound")
struct BoundOrderedWordTests {
  /// 2,560 documents with equal scores for `zqalpha`, except one in the second half that scores
  /// higher: its block has the best bound and is visited first, filling the top k with its own
  /// tied documents; the earlier blocks, visited next, hold tied documents with lower ids, which
  /// must displace them.
  @Test("ties visited out of order go to the earlier document", arguments: [1, 2, 10, 200])
  func tiesOutOfOrder(k: Int) throws {
    let index = try TestIndex(tag: "bound-order-ties")
    for i in 0..<2560 {
      let body = i == 2000 ? "zqalpha zqalpha zqgamma" : "zqalpha zqbeta zqgamma"
      try index.add(IndexDocument(id: "d\(i)", title: "", body: body))
    }
    let searcher = try index.finish()
    #expect(searcher.reader.segments.count == 1)
    let full = try expectPrunedEqualsExhaustive(searcher, "zqalpha", k: k, "zqalpha k=\(k)")
    // The best document first, then the tied ones from document 0 on.
    let docs: [Int] = full.hits.map { Int($0.doc) }
    let expected: [Int] = [2000] + Array(0..<(k - 1))
    #expect(docs == expected)
  }

  /// A small vocabulary, so that most words' lists span 8 blocks or more (the walk by bound) in
  /// two segments with deletes and updates: every word at several k, against exhaustive scoring.
  @Test("every word of long lists equals exhaustive scoring")
  func everyLongWord() throws {
    let spec = PruningPropertyTests.Spec(
      name: "few words", seed: 44, batches: [3000, 1500], vocabulary: 40, bodyWords: 30,
      mergeTo: nil, queries: 0)
    let (index, searcher, corpus) = try PruningPropertyTests.build(spec)
    _ = index
    var checked = 0
    for w in corpus.vocabulary {
      for k in [1, 10, 100] {
        checked += try expectPrunedEqualsExhaustive(searcher, w, k: k, "\(w) k=\(k)").hits.count
      }
    }
    #expect(checked > 2000)
  }
}
