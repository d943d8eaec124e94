import FahrasIndex
import Testing

@testable import FahrasSearch

/// Disjunctions that mix words with other clauses (phrases, sloppy phrases, prefixes, field terms,
/// nested groups) take `ClauseMaxScore`: the same hits and scores, bit for bit, as exhaustive
/// scoring, on random indexes with deletes and several segments.
@Suite("Pruning: mixed disjunctions")
struct MixedDisjunctionPruningTests {
  /// A random clause: a word, a phrase of two or three words that follow each other in some
  /// document (sometimes sloppy, sometimes boosted), a prefix, a field term, or a nested group.
  static func clause(_ corpus: PlainCorpus, _ rng: inout SearchRNG) -> String {
    let v = corpus.vocabulary
    func word(_ rng: inout SearchRNG) -> String {
      rng.chance(0.5) ? v[rng.below(min(v.count, 12))] : v[rng.below(v.count)]
    }
    switch rng.below(9) {
    case 0, 1, 2:
      return word(&rng)
    case 3, 4:
      // Words that follow each other in a random document's body, so that the phrase matches.
      let body = corpus.documents[rng.below(corpus.documents.count)].body.split(separator: " ")
      guard body.count >= 3 else { return "\"\(word(&rng)) \(word(&rng))\"" }
      let start = rng.below(body.count - 2)
      let length = 2 + rng.below(2)
      var phrase = "\"" + body[start..<(start + length)].joined(separator: " ") + "\""
      if rng.chance(0.3) { phrase += "~\(1 + rng.below(3))" }
      if rng.chance(0.2) { phrase += "^2" }
      return phrase
    case 5:
      return String(word(&rng).prefix(3)) + "*"
    case 6:
      return (rng.chance(0.5) ? "title:" : "body:") + word(&rng)
    case 7:
      return "(\(word(&rng)) OR \"\(word(&rng)) \(word(&rng))\")"
    default:
      return word(&rng) + "^0.5"
    }
  }

  /// Builds `spec`'s index and runs 60 queries made by `query` at several k, each expected to
  /// equal exhaustive scoring; returns how many had hits at k = 10.
  static func expectExact(
    _ spec: PruningPropertyTests.Spec, seed: UInt64, ks: [Int],
    query: (PlainCorpus, inout SearchRNG) -> String
  ) throws -> Int {
    let (index, searcher, corpus) = try PruningPropertyTests.build(spec)
    _ = index
    var rng = SearchRNG(seed: spec.seed &+ seed)
    var withHits = 0
    for q in 0..<60 {
      let text = query(corpus, &rng)
      for k in ks {
        let full = try expectPrunedEqualsExhaustive(
          searcher, text, k: k, "query #\(q) \(text) k=\(k)")
        if k == 10 && !full.hits.isEmpty { withHits += 1 }
      }
    }
    return withHits
  }

  @Test(
    "mixed top-k equals exhaustive top-k",
    arguments: [PruningPropertyTests.specs[0], PruningPropertyTests.specs[2]])
  func mixedIsExact(spec: PruningPropertyTests.Spec) throws {
    let withHits = try Self.expectExact(spec, seed: 77, ks: [1, 10, 50]) { corpus, rng in
      var parts = (0..<(2 + rng.below(4))).map { _ in Self.clause(corpus, &rng) }
      if rng.chance(0.25) {
        parts.append("-" + corpus.vocabulary[rng.below(corpus.vocabulary.count)])
      }
      return parts.joined(separator: " ")
    }
    #expect(withHits > 40)
  }

  /// A phrase among frequent words: the words' bounds fall under the threshold and the phrase is
  /// read only for documents that can still make the top k, yet the result is exact.
  @Test("a phrase among frequent words")
  func phraseAmongFrequentWords() throws {
    let spec = PruningPropertyTests.specs[1]
    let (index, searcher, corpus) = try PruningPropertyTests.build(spec)
    _ = index
    let v = corpus.vocabulary
    var rng = SearchRNG(seed: 5)
    for q in 0..<30 {
      let body = corpus.documents[rng.below(corpus.documents.count)].body.split(separator: " ")
      guard body.count >= 2 else { continue }
      let s = rng.below(body.count - 1)
      let text =
        "\"\(body[s]) \(body[s + 1])\" \(v[q % 5]) \(v[(q + 1) % 7]) \(v[rng.below(v.count)])"
      for k in [1, 10, 100] {
        try expectPrunedEqualsExhaustive(searcher, text, k: k, "\(text) k=\(k)")
      }
    }
  }

  /// Required clauses with optional ones (`+a b c`, `+a +"b c" d -e`): candidates from the required
  /// part, optional clauses read only while they can matter; exact against exhaustive scoring.
  @Test(
    "required-and-optional top-k equals exhaustive top-k",
    arguments: [PruningPropertyTests.specs[0], PruningPropertyTests.specs[2]])
  func requiredOptionalIsExact(spec: PruningPropertyTests.Spec) throws {
    let withHits = try Self.expectExact(spec, seed: 555, ks: [1, 10, 50]) { corpus, rng in
      var parts = (0..<(1 + rng.below(2))).map { _ in "+" + Self.clause(corpus, &rng) }
      parts += (0..<(1 + rng.below(3))).map { _ in Self.clause(corpus, &rng) }
      if rng.chance(0.25) {
        parts.append("-" + corpus.vocabulary[rng.below(corpus.vocabulary.count)])
      }
      parts.shuffle(using: &rng)
      return parts.joined(separator: " ")
    }
    #expect(withHits > 30)
  }

  /// `+a b c` and `+a +b c` with words only take block-max MaxScore with the rarest required word
  /// as the only essential one.
  @Test(
    "required words with optional words equal exhaustive top-k",
    arguments: [PruningPropertyTests.specs[1], PruningPropertyTests.specs[2]])
  func requiredWordIsExact(spec: PruningPropertyTests.Spec) throws {
    let withHits = try Self.expectExact(spec, seed: 4040, ks: [1, 10, 100]) { corpus, rng in
      let v = corpus.vocabulary
      func word(_ rng: inout SearchRNG) -> String {
        rng.chance(0.5) ? v[rng.below(min(v.count, 12))] : v[rng.below(v.count)]
      }
      var parts = (0..<(1 + rng.below(3))).map { _ in "+" + word(&rng) }
      parts += (0..<(1 + rng.below(4))).map { _ in word(&rng) + (rng.chance(0.2) ? "^2" : "") }
      if rng.chance(0.25) { parts.append("-" + word(&rng)) }
      parts.shuffle(using: &rng)
      return parts.joined(separator: " ")
    }
    #expect(withHits > 40)
  }
}
