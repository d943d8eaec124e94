import FahrasIndex
import Testing

@testable import FahrasSearch

/// Disjunctions of 64 words or more are scored term at a time (`ScoreAccumulator`): the same hits
/// and scores, bit for bit, as exhaustive scoring.
@Suite("Pruning: many words")
struct ManyWordsPruningTests {
  @Test(
    "prefixes and long queries equal exhaustive top-k",
    arguments: [PruningPropertyTests.specs[0], PruningPropertyTests.specs[2]])
  func manyWordsAreExact(spec: PruningPropertyTests.Spec) throws {
    let (index, searcher, corpus) = try PruningPropertyTests.build(spec)
    _ = index
    let v = corpus.vocabulary
    var rng = SearchRNG(seed: spec.seed &+ 99)
    var queries = ["zq*", "zq* -\(v[0])", "zq* \(v[3])^3"]
    for n in [64, 65, 80, 150] {
      queries.append((0..<n).map { _ in v[rng.below(v.count)] }.joined(separator: " "))
    }
    for text in queries {
      for k in [1, 10, 100] {
        let full = try expectPrunedEqualsExhaustive(
          searcher, text, k: k, "\(text.prefix(60)) k=\(k)")
        // Every document holds some word of the vocabulary; only an exclusion leaves fewer than k.
        if !text.contains("-") { #expect(full.hits.count == k, "\(text.prefix(60)) k=\(k)") }
      }
    }
    // The prefix really expands past the accumulator's threshold.
    let plan = try searcher.search("zq*", options: .test(k: 1, mode: .top, pruning: true))
    #expect(plan.hits.count == 1)
    #expect(v.filter { $0.hasPrefix("zq") }.count >= ScoreAccumulator.minimumWords)
  }
}

/// The fuzzy expansion's bounded edit distance against a plain dynamic program over scalars.
@Suite("Bounded Levenshtein")
struct BoundedLevenshteinTests {
  static func reference(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in stride(from: 1, through: a.count, by: 1) {
      for j in stride(from: 1, through: b.count, by: 1) {
        d[i][j] = min(
          d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
    }
    return d[a.count][b.count]
  }

  @Test("random Arabic and Latin strings, bounds 0 to 3")
  func matchesReference() {
    var rng = SearchRNG(seed: 4242)
    let alphabet: [Unicode.Scalar] = ["ا", "ب", "ت", "ي", "ه", "a", "b", "c", "é", "😀"]
    func word(_ rng: inout SearchRNG) -> [Unicode.Scalar] {
      (0..<rng.below(8)).map { _ in alphabet[rng.below(alphabet.count)] }
    }
    var within = 0
    for _ in 0..<3000 {
      let a = word(&rng)
      // Often a small edit of `a`, so that distances within the bound are common.
      var b = a
      if rng.chance(0.7) {
        for _ in 0..<rng.below(4) {
          let p = b.isEmpty ? 0 : rng.below(b.count + 1)
          switch rng.below(3) {
          case 0: b.insert(alphabet[rng.below(alphabet.count)], at: p)
          case 1: if !b.isEmpty { b.remove(at: min(p, b.count - 1)) }
          default: if !b.isEmpty { b[min(p, b.count - 1)] = alphabet[rng.below(alphabet.count)] }
          }
        }
      } else {
        b = word(&rng)
      }
      let k = rng.below(4)
      let want = Self.reference(a, b)
      var lev = BoundedLevenshtein(
        target: Array(String(String.UnicodeScalarView(a)).utf8), maxEdits: k)
      let got = lev.distance(to: Array(String(String.UnicodeScalarView(b)).utf8))
      #expect(
        got == (want <= k ? want : nil),
        "\(String(String.UnicodeScalarView(a))) / \(String(String.UnicodeScalarView(b))) k=\(k)")
      if got != nil { within += 1 }
    }
    #expect(within > 800)
  }

  @Test("malformed UTF-8 counts byte by byte and never traps")
  func malformed() {
    var lev = BoundedLevenshtein(target: Array("ab".utf8), maxEdits: 2)
    #expect(lev.distance(to: [0x61, 0xFF, 0x62]) == 1)  // a, stray byte, b
    #expect(lev.distance(to: [0x61, 0xD8]) == 1)  // a, truncated sequence
    #expect(lev.distance(to: [0xE2, 0x82, 0x61, 0x62]) == 1)  // bad continuation, then a b
    #expect(lev.distance(to: []) == 2)
  }
}
