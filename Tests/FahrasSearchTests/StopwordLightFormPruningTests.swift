import FahrasIndex
import FahrasText
import Testing

@testable import FahrasSearch

/// A content word whose light form is also a stopword's (`آلي` and the stopword `إلى` are both
/// `$light:الي`; `علي` the name and `على`; `وهذا` and `هذا`) breaks what the pruning bounds assume
/// of a word's light form elsewhere: the light form can occur more often than the stem in a
/// document, and in documents without the stem. Pruned answers must still equal exhaustive scoring
/// bit for bit, for single words and for every query shape.
@Suite("Pruning: light forms shared with stopwords")
struct StopwordLightFormPruningTests {
  /// Content words whose light forms collide with stopwords, the stopwords, and other words.
  static let colliding = ["آلي", "علي", "وهذا", "الي"]
  static let stopwords = ["إلى", "على", "هذا", "في", "من"]
  static let others = [
    "الرياض", "مدرسة", "المدارس", "كتاب", "الكتب", "وزير", "الوزراء", "سوق", "الأسواق", "نسيج",
    "الفرنسية", "فرنسا", "تعليم", "المعلمين", "طريق", "الطرق", "شركة", "الشركات", "مشروع",
    "المشاريع",
  ]

  static func build() throws -> (TestIndex, Searcher) {
    var rng = SearchRNG(seed: 7070)
    func word(_ rng: inout SearchRNG) -> String {
      let u = rng.below(100)
      if u < 30 { return stopwords[rng.below(stopwords.count)] }
      if u < 38 { return colliding[rng.below(colliding.count)] }
      // Skewed over the other words, so that some lists span many blocks.
      let x = Double(rng.next() % 1_000_000) / 1_000_000
      return others[min(others.count - 1, Int(x * x * Double(others.count)))]
    }
    let index = try TestIndex(tag: "stopword-light")
    var next = 0
    for (b, batch) in [2500, 300].enumerated() {
      for _ in 0..<batch {
        var words: [String] = []
        // Some documents hold a colliding word once and its stopword many times: the light
        // form's frequency is then far above the stem's.
        if rng.chance(0.15) {
          let c = rng.below(3)
          words.append(colliding[c])
          for _ in 0..<(3 + rng.below(20)) { words.append(stopwords[c]) }
        }
        for _ in 0..<(1 + rng.below(60)) {
          let w = word(&rng)
          // Bursts: a word (often a stopword) repeated, as `إلى` is in a long article.
          let n = rng.chance(0.05) ? 2 + rng.below(12) : 1
          for _ in 0..<n { words.append(w) }
        }
        let title = (0..<rng.below(4)).map { _ in word(&rng) }.joined(separator: " ")
        try index.add(
          IndexDocument(
            id: "d\(next)", path: "p.txt", title: title, body: words.joined(separator: " ")))
        next += 1
        if b == 0 && rng.chance(0.02) { _ = try index.delete("d\(rng.below(next))") }
      }
      try index.commit()
    }
    return (index, try index.finish())
  }

  @Test("the corpus' colliding words share their light form with a stopword")
  func collisions() {
    let a = Analyzer()
    for (word, stopword) in [("آلي", "إلى"), ("علي", "على"), ("وهذا", "هذا")] {
      let w = a.analyze(word)[0]
      let s = a.analyze(stopword)[0]
      #expect(!w.isStopword && s.isStopword && w.light == s.light, "\(word) \(stopword)")
    }
  }

  @Test("which light forms are shared with stopwords")
  func sharedLightForms() {
    for form in ["الي", "علي", "هذا", "اي", "في", "the", "it"] {
      #expect(Analyzer.isStopwordLightForm(Array(form.utf8)), "\(form)")
    }
    // Listed forms that are never stopwords on their own, and ordinary words.
    for form in ["بعد", "قبل", "بين", "رياض", "walk", "ال"] {
      #expect(!Analyzer.isStopwordLightForm(Array(form.utf8)), "\(form)")
    }
  }

  @Test("single words, OR, AND and exclusions equal exhaustive scoring")
  func equalsExhaustive() throws {
    let (index, searcher) = try Self.build()
    _ = index
    var nonEmpty = 0
    for (i, w) in Self.colliding.enumerated() {
      for k in [1, 10, 100] {
        let full = try expectPrunedEqualsExhaustive(searcher, w, k: k, "\(w) k=\(k)")
        if !full.hits.isEmpty { nonEmpty += 1 }
      }
      for (j, other) in Self.others.enumerated() {
        let third = Self.colliding[(i + j + 1) % Self.colliding.count]
        for text in [
          "\(w) \(other)", "\(other) \(w) \(third)", "\(w) -\(other)", "+\(w) +\(other)",
          "\(other) \(Self.others[(j * 7 + 3) % Self.others.count]) \(w)",
        ] {
          for k in [1, 5, 10, 20] {
            _ = try expectPrunedEqualsExhaustive(searcher, text, k: k, "\(text) k=\(k)")
          }
        }
      }
    }
    #expect(nonEmpty == 3 * Self.colliding.count)
  }
}
