import FahrasIndex
import FahrasText
import Foundation
import Testing

@testable import FahrasSearch

/// Scores checked against BM25 computed by hand from the documents, independently of the index.
///
/// The model (see `FieldInfo`): `$text` holds title and body, a title token counting
/// `Segment.titleWeight` = 2 times in term frequency and document length, stopwords left out;
/// `$light` holds the same words with stopwords, weighted the same way, and is scored at weight 0.5.
/// Statistics (N, df, average length) are summed over every segment.
@Suite("BM25 against a hand-computed reference")
struct BM25ReferenceTests {
  /// Five documents in two segments. `e` has only stopwords: it counts in `$light`'s statistics only.
  static let segment1: [IndexDocument] = [
    IndexDocument(id: "a", title: "zqb zqc", body: "zqb zqd zqb the zqf"),
    IndexDocument(id: "b", title: "", body: "zqc zqc zqd"),
    IndexDocument(id: "c", title: "zqd", body: "zqb of zqc zqg zqg"),
    IndexDocument(id: "e", title: "the", body: "of and"),
  ]
  static let segment2: [IndexDocument] = [
    IndexDocument(id: "d", title: "zqf", body: "zqb")
  ]
  static let stopwords: Set<String> = ["the", "of", "and"]

  /// The reference, from first principles.
  struct Reference {
    struct Doc {
      var id: String
      var title: [String]
      var body: [String]
    }
    var docs: [Doc]
    var k1: Double
    var b: Double

    func words(_ s: String) -> [String] { s.split(separator: " ").map(String.init) }

    init(_ documents: [IndexDocument], k1: Double, b: Double) {
      docs = []
      self.k1 = k1
      self.b = b
      for d in documents {
        docs.append(
          Doc(
            id: d.id, title: d.title.split(separator: " ").map(String.init),
            body: d.body.split(separator: " ").map(String.init)))
      }
    }

    static let w = 2.0  // title weight

    func textTf(_ d: Doc, _ t: String) -> Double {
      Self.w * Double(d.title.filter { $0 == t }.count) + Double(d.body.filter { $0 == t }.count)
    }
    func textLength(_ d: Doc) -> Double {
      Self.w * Double(d.title.filter { !stopwords.contains($0) }.count)
        + Double(d.body.filter { !stopwords.contains($0) }.count)
    }
    func lightLength(_ d: Doc) -> Double { Self.w * Double(d.title.count) + Double(d.body.count) }

    func idf(df: Double, n: Double) -> Double { log(1 + (n - df + 0.5) / (df + 0.5)) }

    func bm25(tf: Double, dl: Double, avgdl: Double, idf: Double, boost: Double) -> Double {
      boost * idf * tf / (tf + k1 * (1 - b + b * dl / avgdl))
    }

    /// Score of `d` for an OR query of plain (unstemmed, non-stopword) words.
    func score(_ d: Doc, _ terms: [String]) -> Double? {
      let textDocs = docs.filter { textLength($0) > 0 }
      let lightDocs = docs.filter { lightLength($0) > 0 }
      let textAvg = textDocs.map(textLength).reduce(0, +) / Double(textDocs.count)
      let lightAvg = lightDocs.map(lightLength).reduce(0, +) / Double(lightDocs.count)
      var total = 0.0
      var matched = false
      for t in terms {
        let tf = textTf(d, t)
        guard tf > 0 else { continue }
        matched = true
        let df = Double(docs.filter { textTf($0, t) > 0 }.count)
        // Main (stemmed) field; a plain word is its own stem.
        total += bm25(
          tf: tf, dl: textLength(d), avgdl: textAvg, idf: idf(df: df, n: Double(textDocs.count)),
          boost: 1)
        // Light field: same frequency, length with stopwords, its own N and average.
        total += bm25(
          tf: tf, dl: lightLength(d), avgdl: lightAvg, idf: idf(df: df, n: Double(lightDocs.count)),
          boost: 0.5)
      }
      return matched ? total : nil
    }

    /// Score of `d` for `title:t`: the title seen as a field of its own (unweighted title counts).
    func titleScore(_ d: Doc, _ t: String) -> Double? {
      let tf = Double(d.title.filter { $0 == t }.count)
      guard tf > 0 else { return nil }
      let titled = docs.filter { $0.title.contains { !stopwords.contains($0) } }
      let lengths = titled.map { Double($0.title.filter { !stopwords.contains($0) }.count) }
      let avg = lengths.reduce(0, +) / Double(titled.count)
      let df = Double(titled.filter { $0.title.contains(t) }.count)
      let dl = Double(d.title.filter { !stopwords.contains($0) }.count)
      return bm25(tf: tf, dl: dl, avgdl: avg, idf: idf(df: df, n: Double(titled.count)), boost: 1)
    }
  }

  static func build() throws -> (TestIndex, Searcher) {
    let a = Analyzer()
    // The reference assumes these words are indexed as written and these are stopwords.
    for w in ["zqb", "zqc", "zqd", "zqf", "zqg"] {
      let t = a.analyze(w)
      precondition(t.count == 1 && t[0].term == w && t[0].light == w && !t[0].isStopword)
    }
    for w in stopwords { precondition(a.analyze(w).first?.isStopword == true) }
    let index = try TestIndex(tag: "bm25")
    try index.add(segment1)
    try index.commit()
    try index.add(segment2)
    let searcher = try index.finish()
    precondition(searcher.reader.segments.count == 2)
    return (index, searcher)
  }

  static let parameterSets: [(k1: Float, b: Float)] = [
    (1.2, 0.75), (2.0, 0.3), (0.5, 1.0), (1.2, 0),
  ]

  @Test(
    "one-term and two-term queries score as computed by hand",
    arguments: [["zqb"], ["zqc"], ["zqb", "zqc"], ["zqg", "zqf"]])
  func handComputed(terms: [String]) throws {
    let (index, searcher) = try Self.build()
    _ = index
    for p in Self.parameterSets {
      let reference = Reference(Self.segment1 + Self.segment2, k1: Double(p.k1), b: Double(p.b))
      let options = SearchOptions.test(pruning: true, parameters: BM25Parameters(k1: p.k1, b: p.b))
      let result = try searcher.search(terms.joined(separator: " "), options: options)
      var expected: [String: Double] = [:]
      for d in reference.docs { if let s = reference.score(d, terms) { expected[d.id] = s } }
      #expect(Set(result.hits.map(\.id)) == Set(expected.keys), "\(terms) k1=\(p.k1) b=\(p.b)")
      for h in result.hits {
        guard let e = expected[h.id] else { continue }
        #expect(
          isClose(Double(h.score), e),
          "\(terms) k1=\(p.k1) b=\(p.b) \(h.id): \(h.score) expected \(e)")
      }
      // Ranks follow the reference order where it is not a near tie.
      let order = result.hits.map(\.id)
      for (x, y) in zip(order, order.dropFirst()) {
        if let ex = expected[x], let ey = expected[y] { #expect(ex >= ey * (1 - 1e-6)) }
      }
      // Exhaustive scoring agrees.
      let full = try searcher.search(
        terms.joined(separator: " "), options: .test(pruning: false, parameters: options.parameters)
      )
      #expect(full.hits.map(\.score) == result.hits.map(\.score))
    }
  }

  @Test("explanations reproduce every term's share of the score")
  func explanations() throws {
    let (index, searcher) = try Self.build()
    _ = index
    let result = try searcher.search("zqb zqc", options: .test(explain: true))
    #expect(!result.hits.isEmpty)
    for h in result.hits {
      let parts = try #require(h.explanation)
      #expect(!parts.isEmpty)
      let sum = parts.reduce(Float(0)) { $0 + $1.score }
      #expect(
        isClose(Double(sum), Double(h.score), relative: 1e-6),
        "\(h.id): \(parts.map(\.score)) vs \(h.score)")
      for e in parts {
        let k1 = 1.2
        let b = 0.75
        let recomputed =
          Double(e.boost) * Double(e.idf) * Double(e.tf)
          / (Double(e.tf) + k1 * (1 - b + b * Double(e.dl) / Double(e.averageLength)))
        #expect(isClose(recomputed, Double(e.score), relative: 1e-5), "\(h.id) \(e.label)")
        #expect(e.label.field == "text" || e.label.field == "light")
        #expect(e.boost == (e.label.field == "light" ? 0.5 : 1))
      }
      // The public entry point gives the same.
      let again = try searcher.explain(query: "zqb zqc", hit: h, options: .test())
      #expect(again.map(\.score) == parts.map(\.score))
    }
  }

  @Test("boosts multiply a term's contribution")
  func boosts() throws {
    let (index, searcher) = try Self.build()
    _ = index
    let plain = try searcher.search("zqg", options: .test())
    let boosted = try searcher.search("zqg^3", options: .test())
    #expect(plain.hits.map(\.id) == ["c"])
    #expect(boosted.hits.map(\.id) == ["c"])
    #expect(isClose(Double(boosted.hits[0].score), 3 * Double(plain.hits[0].score), relative: 1e-6))
    let group = try searcher.search("(zqg zqf)^2", options: .test())
    let ungrouped = try searcher.search("zqg zqf", options: .test())
    for (g, u) in zip(group.hits, ungrouped.hits) {
      #expect(g.id == u.id)
      #expect(isClose(Double(g.score), 2 * Double(u.score), relative: 1e-6))
    }
  }

  /// `title:` restricts the term to the title and scores it with the title's own statistics. Its
  /// document frequency must then be the number of documents with the term *in the title*:
  /// `zqb` is in a's title only (it is in the bodies of a, c and d).
  @Test("title: scores with the title's own statistics")
  func titleStatistics() throws {
    let (index, searcher) = try Self.build()
    _ = index
    let reference = Reference(Self.segment1 + Self.segment2, k1: 1.2, b: 0.75)
    let result = try searcher.search("title:zqb", options: .test(explain: true))
    #expect(result.hits.map(\.id) == ["a"])
    let expected = try #require(reference.titleScore(reference.docs[0], "zqb"))
    let hit = try #require(result.hits.first)
    let e = try #require(hit.explanation?.first)
    #expect(e.tf == 1)
    #expect(e.dl == 2)
    #expect(e.averageLength == 4.0 / 3)
    #expect(e.docCount == 3)
    #expect(
      e.docFreq == 1,
      "title: counts documents that have zqb anywhere (\(e.docFreq)), not in the title")
    #expect(
      isClose(Double(hit.score), expected), "title:zqb scored \(hit.score), expected \(expected)")
  }
}
