import FahrasIndex
import FahrasText
import Testing

@testable import FahrasSearch

@Suite("Prefix and fuzzy expansion")
struct ExpansionTests {
  static let docs: [IndexDocument] = [
    IndexDocument(id: "connect", title: "", body: "connect the cables"),
    IndexDocument(id: "cooperation", title: "", body: "cooperation agreement"),
    IndexDocument(id: "colour", title: "", body: "colour television"),
    IndexDocument(id: "clock", title: "", body: "clock tower"),
    IndexDocument(id: "color", title: "color", body: "printer"),
    IndexDocument(id: "calor", title: "", body: "calor heating"),
    IndexDocument(id: "colours", title: "", body: "colours palette"),
  ]

  @Test(
    "prefix and fuzzy queries find exactly the expected documents",
    arguments: [
      ("co*", ["connect", "cooperation", "colour", "color", "colours"]),
      ("col*", ["colour", "color", "colours"]),
      ("colou*", ["colour", "colours"]),
      ("CO*", ["connect", "cooperation", "colour", "color", "colours"]),
      ("title:co*", ["color"]),
      ("body:col*", ["colour", "colours"]),
      ("zz*", []),
      ("co* -col*", ["connect", "cooperation"]),
      ("co* AND tower", []),
      ("cl* OR heat*", ["clock", "calor"]),
      ("colour~0", ["colour"]),
      ("colour~1", ["colour", "color", "colours"]),
      ("colour~2", ["colour", "color", "colours", "calor"]),
      ("colour~", ["colour", "color", "colours", "calor"]),
      ("clock~1", ["clock"]),
      ("televison~1", ["colour"]),
    ])
  func expansions(query: String, expected: [String]) throws {
    let (index, searcher) = try makeIndex("expand", Self.docs)
    _ = index
    for pruning in [true, false] {
      let r = try searcher.search(query, options: .test(pruning: pruning))
      #expect(Set(r.hits.map(\.id)) == Set(expected), "\(query)")
      #expect(r.total == expected.count, "\(query)")
    }
  }

  @Test("a prefix matching every term is capped, says so, and still answers")
  func cappedPrefix() throws {
    // 1100 distinct words, all starting with "zq"; word i occurs in 1 + i % 3 documents.
    var docs: [IndexDocument] = []
    for i in 0..<1100 {
      let w = PlainWords.word(i + 30)
      for c in 0..<(1 + i % 3) {
        docs.append(IndexDocument(id: "\(w)-\(c)", title: "", body: "\(w) zqb"))
      }
    }
    let (index, searcher) = try makeIndex("cap", docs)
    _ = index
    let r = try searcher.search("zq*", options: .test(k: 10))
    #expect(r.hits.count == 10)
    #expect(r.notices.contains { $0.contains("zq*") && $0.contains("1024") }, "\(r.notices)")
    #expect(r.total.map { $0 > 0 && $0 <= docs.count } == true)
    // The plan holds at most the cap of expansions, the most frequent first.
    var planner = QueryPlanner(analyzer: Analyzer(), reader: searcher.reader)
    let plan = try planner.plan(.prefix(field: nil, text: "zq", boost: 1))
    #expect(plan.termRefs.count == QueryPlanner.maxPrefixExpansions)
    #expect(plan.termRefs.contains { $0.term == Array("zqb".utf8) })
    // Exhaustive and pruned evaluation agree even over a thousand terms.
    let full = try searcher.search("zq*", options: .test(k: 10, mode: .top, pruning: false))
    #expect(full.hits.map(\.id) == r.hits.map(\.id))
    #expect(full.hits.map(\.score) == r.hits.map(\.score))
  }

  static let arabic: [IndexDocument] = [
    IndexDocument(id: "taawun", title: "", body: "التعاون بين البلدين"),
    IndexDocument(id: "korea", title: "", body: "العاصمة الكورية"),
    IndexDocument(id: "shoigu", title: "", body: "سيرغي شويغو"),
  ]

  @Test(
    "Arabic prefix and fuzzy queries",
    arguments: [
      ("تعاون*", ["taawun"]),
      ("تع*", ["taawun"]),
      ("التعا*", ["taawun"]),
      ("وتعاون*", ["taawun"]),
      ("كو*", ["korea"]),
      ("الكو*", ["korea"]),
      ("شويجو~1", ["shoigu"]),
      ("شويغوو~1", ["shoigu"]),
      ("شيغو~1", ["shoigu"]),
    ])
  func arabicExpansions(query: String, expected: [String]) throws {
    let (index, searcher) = try makeIndex("arexp", Self.arabic)
    _ = index
    #expect(try searcher.ids(query) == Set(expected), "\(query)")
  }

  /// The light field holds words without their article, and a query word keeps its article only
  /// when it is too short to strip (light10 wants two letters left). So a prefix typed with the
  /// article and one more letter, `الك*`, looks for light forms starting with "الك", which no
  /// article-bearing word has: `الكورية` is indexed as `كوريه`.
  @Test(
    "an Arabic prefix typed with the article finds the words that have it",
    arguments: [
      ("الك*", "korea"),
      ("الت*", "taawun"),
    ])
  func arabicPrefixWithArticle(query: String, expected: String) throws {
    let (index, searcher) = try makeIndex("arart", Self.arabic)
    _ = index
    #expect(try searcher.ids(query).contains(expected), "\(query) should find \(expected)")
  }
}
