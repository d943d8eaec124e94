import FahrasIndex
import FahrasText
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

/// One term's bounded edit distance to a target: `FuzzyTermWalk` applied to a single term, fresh
/// each time (no rows shared with an earlier term). The reference the walk's tests compare against.
struct BoundedLevenshtein {
  let target: [UInt8]
  let maxEdits: Int

  /// The distance to `utf8` when it is at most `maxEdits`, else nil.
  mutating func distance(to utf8: [UInt8]) -> Int? {
    var walk = FuzzyTermWalk(target: target, maxEdits: maxEdits)
    return walk.visit(utf8).distance
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
    // A sequence cut short: its lead and continuation bytes count one each, then a b.
    #expect(lev.distance(to: [0xE2, 0x82, 0x61, 0x62]) == 2)
    #expect(lev.distance(to: []) == 2)
  }
}

/// Fuzzy expansion walks the dictionary with shared rows and seeks past dead prefixes
/// (`FuzzyTermWalk`); it must find exactly what comparing every term finds.
@Suite("Fuzzy dictionary walk")
struct FuzzyTermWalkTests {
  /// Words over a small alphabet (Arabic and Latin letters), so that many share prefixes and some
  /// dead branches are long enough to be sought past.
  static func vocabulary(_ rng: inout SearchRNG, count: Int) -> [String] {
    let arabic: [Character] = ["س", "ع", "د", "ي", "ب", "ك"]
    let latin: [Character] = ["k", "o", "r", "e", "z"]
    var words = Set<String>()
    while words.count < count {
      // One script per word: the analyzer splits a word where the script changes.
      let letters = rng.chance(0.5) ? arabic : latin
      words.insert(String((0..<(2 + rng.below(6))).map { _ in letters[rng.below(letters.count)] }))
    }
    return words.sorted()
  }

  @Test("the walk's matches and dead prefixes agree with brute force")
  func walkAgainstBruteForce() {
    var rng = SearchRNG(seed: 31)
    let terms = Self.vocabulary(&rng, count: 3000).map { Array($0.utf8) }.sorted {
      $0.lexicographicallyPrecedes($1)
    }
    for _ in 0..<60 {
      let target = Array(Self.vocabulary(&rng, count: 1)[0].utf8)
      let k = 1 + rng.below(2)
      var walk = FuzzyTermWalk(target: target, maxEdits: k)
      var found: [[UInt8]: Int] = [:]
      var i = 0
      while i < terms.count {
        let v = walk.visit(terms[i])
        if let d = v.distance { found[terms[i]] = d }
        i += 1
        if let dead = v.deadPrefix {
          // Nothing under the dead prefix may match; skip it all.
          let prefix = Array(terms[i - 1].prefix(dead))
          while i < terms.count && terms[i].starts(with: prefix) {
            var lev = BoundedLevenshtein(target: target, maxEdits: k)
            #expect(lev.distance(to: terms[i]) == nil)
            i += 1
          }
        }
      }
      var expected: [[UInt8]: Int] = [:]
      for t in terms {
        var lev = BoundedLevenshtein(target: target, maxEdits: k)
        if let d = lev.distance(to: t) { expected[t] = d }
      }
      #expect(found == expected, "\(String(decoding: target, as: UTF8.self)) k=\(k)")
    }
  }

  @Test("the successor of a prefix sorts after everything that starts with it")
  func successor() {
    #expect(FuzzyTermWalk.successor(ofPrefix: [1, 2, 3]) == [1, 2, 4])
    #expect(FuzzyTermWalk.successor(ofPrefix: [1, 0xFF, 0xFF]) == [2])
    #expect(FuzzyTermWalk.successor(ofPrefix: [0xFF]) == nil)
  }

  @Test("expansions on a real index equal comparing every term")
  func plannerAgainstBruteForce() throws {
    var rng = SearchRNG(seed: 77)
    let words = Self.vocabulary(&rng, count: 2500)
    let docs = words.enumerated().map { i, w in
      IndexDocument(
        id: "d\(i)", title: "", body: w + (i % 3 == 0 ? " " + words[(i * 7) % words.count] : ""))
    }
    let (index, searcher) = try makeIndex("fuzzywalk", docs)
    _ = index
    let seg = searcher.reader.segments[0]
    let light = seg.field(named: FieldInfo.light)!.number
    // Every light form with its document frequency.
    var all: [([UInt8], Int)] = []
    var it = try seg.dictionary.iterator(from: [UInt8(light)])
    while try it.next(), it.field == light { all.append((Array(it.term), it.info.docFreq)) }
    #expect(all.count > 1500)
    for q in 0..<40 {
      let target = words[rng.below(words.count)]
      let k = 1 + q % 2
      var planner = QueryPlanner(analyzer: Analyzer(), reader: searcher.reader)
      let plan = try planner.plan(.fuzzy(field: nil, text: target, maxEdits: k, boost: 1))
      let got = plan.termRefs.map(\.term)
      let pattern = Array(Analyzer().analyze(target).last!.light.utf8)
      var matches: [([UInt8], Int, Int)] = []
      for (t, df) in all {
        var lev = BoundedLevenshtein(target: pattern, maxEdits: k)
        if let d = lev.distance(to: t) { matches.append((t, d, df)) }
      }
      matches.sort { a, b in
        a.1 != b.1 ? a.1 < b.1 : (a.2 != b.2 ? a.2 > b.2 : a.0.lexicographicallyPrecedes(b.0))
      }
      let want = matches.prefix(QueryPlanner.maxFuzzyExpansions).map(\.0)
      #expect(got == Array(want), "\(target)~\(k): \(got.count) against \(want.count)")
    }
  }
}
