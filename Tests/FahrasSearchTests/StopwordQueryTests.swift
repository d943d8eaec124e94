import FahrasIndex
import FahrasText
import Testing

@testable import FahrasSearch

@Suite("Stopwords in queries")
struct StopwordQueryTests {
  static let docs: [IndexDocument] = [
    IndexDocument(id: "en-the", title: "", body: "the zqb"),
    IndexDocument(id: "en-of", title: "", body: "of zqc"),
    IndexDocument(id: "ar-fi", title: "", body: "اجتماع في الرياض"),
    IndexDocument(id: "ar-min", title: "", body: "خبر من جدة"),
    IndexDocument(id: "plain", title: "", body: "zqb zqc zqd"),
  ]

  @Test("stopwords are stopwords for the analyzer")
  func analyzerAgrees() {
    let a = Analyzer()
    for w in ["the", "of", "في", "من"] { #expect(a.analyze(w).first?.isStopword == true, "\(w)") }
  }

  @Test(
    "a stopword-only query matches the stopword, with a notice",
    arguments: [
      ("the", ["en-the"]),
      ("في", ["ar-fi"]),
      ("the of", ["en-the", "en-of"]),
      (#""of the""#, ["en-the", "en-of"]),
      ("في OR من", ["ar-fi", "ar-min"]),
    ])
  func stopwordOnly(query: String, expected: [String]) throws {
    let (index, searcher) = try makeIndex("stop", Self.docs)
    _ = index
    for pruning in [true, false] {
      let r = try searcher.search(query, options: .test(pruning: pruning, snippets: true))
      #expect(Set(r.hits.map(\.id)) == Set(expected), "\(query)")
      #expect(r.notices.contains { $0.contains("stopwords") }, "\(query): \(r.notices)")
      #expect(r.total == expected.count)
      // The stopword is what the snippet marks.
      for h in r.hits { #expect(h.snippet?.highlights.isEmpty == false, "\(query) \(h.id)") }
    }
  }

  @Test(
    "stopwords in a query with content words are ignored",
    arguments: [
      ("the zqb", "zqb", ["en-the", "plain"]),
      ("zqb AND the", "zqb", ["en-the", "plain"]),
      ("+the +zqd", "zqd", ["plain"]),
      ("zqc في", "zqc", ["en-of", "plain"]),
      ("اجتماع في", "اجتماع", ["ar-fi"]),
    ])
  func stopwordsIgnored(query: String, equivalent: String, expected: [String]) throws {
    let (index, searcher) = try makeIndex("stop2", Self.docs)
    _ = index
    let r = try searcher.search(query, options: .test())
    #expect(Set(r.hits.map(\.id)) == Set(expected), "\(query)")
    #expect(r.notices.isEmpty, "\(query): \(r.notices)")
    // Ignored means ignored: hits and scores are those of the content words alone.
    let alone = try searcher.search(equivalent, options: .test())
    #expect(alone.hits.map(\.id) == r.hits.map(\.id), "\(query)")
    #expect(alone.hits.map(\.score) == r.hits.map(\.score), "\(query)")
  }

  /// With stopwords and only excluded content words, the stopwords are the only positive part of the
  /// query and should be matched (as for a stopword-only query), not dropped, which leaves a pure
  /// negative query that matches every document without the excluded word.
  @Test("stopwords with only excluded words are not dropped")
  func stopwordsWithNegation() throws {
    let (index, searcher) = try makeIndex("stop3", Self.docs)
    _ = index
    let ids = try searcher.ids("the -zqd")
    #expect(ids == ["en-the"], "the -zqd returned \(ids.sorted())")
  }
}
