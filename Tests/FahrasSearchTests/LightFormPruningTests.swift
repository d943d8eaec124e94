import FahrasIndex
import FahrasText
import Testing

@testable import FahrasSearch

/// The plain-word corpora of `PruningPropertyTests` give every word a light form equal to its stem,
/// so the light form's list is the stem's. Here every stem has five inflected forms (`walk`,
/// `walks`, `walked`, `walking`, and the rare `walkings`): a query word's light form then holds a
/// strict subset of its stem's documents, and most of a frequent stem's blocks can compete only
/// through it — the single-word path's light-driven walk, and the light lanes of MaxScore, WAND and
/// the conjunction. The rare form's list is short (one block) even where its stem's is long, the
/// case where MaxScore reads which stem blocks hold a light document from the decoded list. Every
/// answer must equal exhaustive scoring bit for bit.
@Suite("Pruning: light forms rarer than their stems")
struct LightFormPruningTests {
  static let bases = [
    "walk", "talk", "jump", "play", "work", "help", "look", "call", "open", "turn", "start", "want",
    "need", "ask", "show", "point", "mark", "kick", "pull", "learn", "visit", "follow", "answer",
    "climb", "paint", "clean", "cook", "fill", "kill", "laugh",
  ]
  static let suffixes = ["", "s", "ed", "ing", "ings"]

  /// One index: a large segment (common stems span dozens of blocks), a small one, both with
  /// deletes, and a third without any.
  static func build(compact: Bool = false) throws -> (TestIndex, Searcher, [String]) {
    var rng = SearchRNG(seed: 5151)
    let forms = bases.flatMap { b in suffixes.map { b + $0 } }
    func word(_ rng: inout SearchRNG) -> String {
      // Skewed over stems (a few very common), uneven over forms (the bare form most common).
      let u = Double(rng.next() % 1_000_000) / 1_000_000
      let base = bases[min(bases.count - 1, Int(u * u * u * Double(bases.count)))]
      let f = rng.below(200)
      return base + suffixes[f < 100 ? 0 : f < 140 ? 1 : f < 180 ? 2 : f < 199 ? 3 : 4]
    }
    let index = try TestIndex(tag: "light-prune", compact: compact)
    var next = 0
    for (b, batch) in [3000, 400, 300].enumerated() {
      for _ in 0..<batch {
        var words: [String] = []
        for _ in 0..<(1 + rng.below(40)) {
          if rng.chance(0.02) {
            let w = word(&rng)
            for _ in 0..<(2 + rng.below(10)) { words.append(w) }
          } else {
            words.append(word(&rng))
          }
        }
        let title = (0..<rng.below(4)).map { _ in word(&rng) }.joined(separator: " ")
        try index.add(
          IndexDocument(
            id: "d\(next)", path: "p.txt", title: title, body: words.joined(separator: " ")))
        next += 1
        if b < 2 && rng.chance(0.03) { try index.delete("d\(rng.below(next))") }
      }
      try index.commit()
    }
    return (index, try index.finish(), forms)
  }

  @Test("the corpus' forms share a stem and keep distinct light forms")
  func formsDiffer() {
    let tokens = Analyzer().analyze("walk walks walked walking")
    #expect(Set(tokens.map(\.term)).count == 1)
    #expect(Set(tokens.map(\.light)).count == 4)
  }

  @Test(
    "single words, OR, AND and exclusions equal exhaustive scoring",
    arguments: [false, true])
  func equalsExhaustive(compact: Bool) throws {
    // With `compact`, long light lists are derived from their stems' (the single-word walk then
    // moves their base with the stem's block table).
    let (index, searcher, forms) = try Self.build(compact: compact)
    _ = index
    var nonEmpty = 0
    for (i, w) in forms.enumerated() {
      for k in [1, 10, 100] {
        let full = try expectPrunedEqualsExhaustive(searcher, w, k: k, "\(w) k=\(k)")
        if k == 10 && !full.hits.isEmpty { nonEmpty += 1 }
      }
      let other = forms[(i * 7 + 3) % forms.count]
      for text in ["\(w) \(other)", "\(w) -\(other)", "+\(w) +\(other)", "\(w) \(other) walking"] {
        _ = try expectPrunedEqualsExhaustive(searcher, text, k: 10, text)
      }
    }
    #expect(nonEmpty > forms.count / 2)
  }

  @Test("counts equal the number of matches (segments with and without deletes)")
  func counts() throws {
    let (index, searcher, forms) = try Self.build()
    _ = index
    for w in forms + ["walk walks", "+walk +jumping", "walk -walked"] {
      let all = try searcher.search(
        w, options: .test(k: 100_000, mode: .top, pruning: false, loadDocuments: false))
      let counted = try searcher.search(w, options: .test(mode: .count))
      #expect(counted.total == all.hits.count, "\(w)")
    }
  }
}
