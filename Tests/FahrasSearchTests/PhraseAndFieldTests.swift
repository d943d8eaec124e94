import FahrasIndex
import Testing

@testable import FahrasSearch

@Suite("Phrases and field restrictions")
struct PhraseAndFieldTests {
  static let docs: [IndexDocument] = [
    IndexDocument(id: "P1", title: "", body: "zqb zqc zqd"),
    IndexDocument(id: "P2", title: "", body: "zqb zqx zqc"),  // one word between
    IndexDocument(id: "P3", title: "zqb", body: "zqc zqd"),  // across the title/body boundary
    IndexDocument(id: "P4", title: "", body: "zqb zqb zqb"),  // repeated word
    IndexDocument(id: "P5", title: "", body: "zqc zqb"),  // reversed
    IndexDocument(id: "P6", title: "", body: "zqb the zqc"),  // stopword between
    IndexDocument(id: "P7", title: "zqb zqc", body: "zqf"),  // phrase in the title
    IndexDocument(id: "P8", title: "zqf", body: "zqm zqb zqc"),  // phrase in the body
  ]

  static func searcher() throws -> (TestIndex, Searcher) {
    let index = try TestIndex(tag: "phrase")
    try index.add(Array(docs[0..<4]))
    try index.commit()
    try index.add(Array(docs[4...]))
    return (index, try index.finish())
  }

  @Test(
    "exact and sloppy phrases",
    arguments: [
      (#""zqb zqc""#, ["P1", "P7", "P8"]),
      (#""zqb zqc"~1"#, ["P1", "P2", "P6", "P7", "P8"]),
      (#""zqb zqc"~2"#, ["P1", "P2", "P5", "P6", "P7", "P8"]),
      (#""zqb zqc"~5"#, ["P1", "P2", "P5", "P6", "P7", "P8"]),
      (#""zqc zqb""#, ["P5"]),
      (#""zqb zqc zqd""#, ["P1"]),
      (#""zqc zqd""#, ["P1", "P3"]),
      (#""zqb zqb""#, ["P4"]),
      (#""zqb zqb zqb""#, ["P4"]),
      (#""zqb zqb zqb zqb""#, []),
      // A stopword keeps its place: any one word may stand there.
      (#""zqb the zqc""#, ["P2", "P6"]),
      (#""zqb of zqc""#, ["P2", "P6"]),
      // A phrase of one content word is that word.
      (#""the zqd""#, ["P1", "P3"]),
      (#"title:"zqb zqc""#, ["P7"]),
      (#"body:"zqb zqc""#, ["P1", "P8"]),
      (#"body:"zqc zqd""#, ["P1", "P3"]),
      (#"title:"zqc zqd""#, []),
      ("title:zqb", ["P3", "P7"]),
      ("body:zqb", ["P1", "P2", "P4", "P5", "P6", "P8"]),
      ("title:zqf", ["P8"]),
      ("body:zqf", ["P7"]),
      ("title:zqf OR body:zqd", ["P1", "P3", "P8"]),
      ("title:(zqb zqf)", ["P3", "P7", "P8"]),
      (#"zqd -"zqc zqd""#, []),
      (#""zqb zqc" -title:zqb"#, ["P1", "P8"]),
    ])
  func phrases(query: String, expected: [String]) throws {
    let (index, searcher) = try Self.searcher()
    _ = index
    for pruning in [true, false] {
      let r = try searcher.search(query, options: .test(pruning: pruning))
      #expect(Set(r.hits.map(\.id)) == Set(expected), "\(query)")
      #expect(r.total == expected.count, "\(query)")
    }
  }

  @Test("an exact occurrence outranks a sloppy one of the same length")
  func exactBeforeSloppy() throws {
    let (index, searcher) = try Self.searcher()
    _ = index
    let r = try searcher.search(#""zqb zqc"~1"#, options: .test())
    let p1 = try #require(r.hits.first { $0.id == "P1" })
    let p2 = try #require(r.hits.first { $0.id == "P2" })
    #expect(p1.score > p2.score)
  }

  /// The title and the body are separated by a gap of positions so that no phrase joins the end of
  /// the title to the start of the body, whatever the slop (the query language allows up to 100).
  @Test("a sloppy phrase never joins the title to the body", arguments: [5, 15, 20, 100])
  func sloppyAcrossBoundary(slop: Int) throws {
    let (index, searcher) = try Self.searcher()
    _ = index
    let ids = try searcher.ids("\"zqb zqc\"~\(slop)")
    #expect(!ids.contains("P3"), "title zqb + body zqc matched \"zqb zqc\"~\(slop)")
    let title = try searcher.ids("title:\"zqf zqm\"~\(slop)")
    #expect(title.isEmpty, "title:\"zqf zqm\"~\(slop) matched with zqm in the body: \(title)")
  }

  /// Each word of a phrase needs its own occurrence: `"zqb zqb"~1` asks for two zqb within one
  /// position of each other, so a document with a single zqb must not match (one position must not
  /// stand for both words).
  @Test("a sloppy phrase with a repeated word needs as many occurrences", arguments: [1, 2, 5])
  func sloppyRepeatedWord(slop: Int) throws {
    let docs = [
      IndexDocument(id: "one", title: "", body: "zqb zqc zqd"),
      IndexDocument(id: "two", title: "", body: "zqb zqx zqb"),
    ]
    let (index, searcher) = try makeIndex("repeat", docs)
    _ = index
    #expect(try searcher.ids(#""zqb zqb"~"# + "\(slop)") == ["two"], "slop \(slop)")
    #expect(try searcher.ids(#""zqb zqb""#).isEmpty)
  }

  /// A sloppy phrase's frequency sums 1 / (1 + span) over its occurrences; an exact occurrence has
  /// span 0. "zqb zqb zqc" holds "zqb zqc" exactly, so `"zqb zqc"~1` must count 1 for it, as it does
  /// for "zqx zqb zqc", not the 1/2 of the looser window that starts at the first zqb.
  @Test("a sloppy phrase counts its tightest occurrence")
  func sloppyTightest() throws {
    let docs = [
      IndexDocument(id: "repeated", title: "", body: "zqb zqb zqc"),
      IndexDocument(id: "plain", title: "", body: "zqx zqb zqc"),
    ]
    let (index, searcher) = try makeIndex("tight", docs)
    _ = index
    let exact = try searcher.search(#""zqb zqc""#, options: .test())
    let sloppy = try searcher.search(#""zqb zqc"~1"#, options: .test())
    let score = { (r: SearchResult, id: String) in r.hits.first { $0.id == id }?.score ?? -1 }
    #expect(score(exact, "repeated") == score(exact, "plain"))
    #expect(
      score(sloppy, "repeated") == score(exact, "repeated"),
      "sloppy \(score(sloppy, "repeated")) < exact \(score(exact, "repeated"))")
    #expect(score(sloppy, "repeated") == score(sloppy, "plain"))
  }

  @Test("phrase explanations reproduce the phrase's score")
  func phraseExplanation() throws {
    let (index, searcher) = try Self.searcher()
    _ = index
    let r = try searcher.search(#""zqb zqc""#, options: .test(explain: true))
    for h in r.hits {
      let e = try #require(h.explanation?.first)
      #expect(e.score == h.score)
      let recomputed =
        Double(e.boost) * Double(e.idf) * Double(e.tf)
        / (Double(e.tf) + 1.2 * (1 - 0.75 + 0.75 * Double(e.dl) / Double(e.averageLength)))
      #expect(
        isClose(recomputed, Double(e.score)), "\(h.id): explanation says dl=\(e.dl), tf=\(e.tf)")
      #expect(e.dl > 0)
    }
  }

  @Test("Arabic phrases match with or without harakat on either side")
  func arabicPhrase() throws {
    let docs = [
      IndexDocument(id: "plain", title: "", body: "صرح وزير الدفاع الروسي سيرغي شويغو"),
      IndexDocument(id: "voweled", title: "", body: "قال وَزِيرُ الدِّفَاعِ إنّ"),
      IndexDocument(id: "reversed", title: "", body: "الدفاع وزير"),
      IndexDocument(id: "apart", title: "", body: "وزير الخارجية وقال الدفاع"),
    ]
    let (index, searcher) = try makeIndex("arphrase", docs)
    _ = index
    #expect(try searcher.ids(#""وَزِيرُ الدِّفاعِ""#) == ["plain", "voweled"])
    #expect(try searcher.ids(#""وزير الدفاع""#) == ["plain", "voweled"])
    #expect(try searcher.ids(#""وزير الدفاع الروسي""#) == ["plain"])
    #expect(try searcher.ids(#""الدفاع وزير""#) == ["reversed"])
    #expect(try searcher.ids(#""وزير الدفاع"~2"#) == ["plain", "voweled", "apart", "reversed"])
  }

  @Test("stored fields are searchable by name and only by name")
  func jsonFields() throws {
    let docs = [
      IndexDocument(
        id: "1", title: "zqb", body: "zqc",
        fields: [.init(name: "source", value: "okaz news agency")]),
      IndexDocument(
        id: "2", title: "okaz", body: "zqc", fields: [.init(name: "source", value: "spa")]),
    ]
    let (index, searcher) = try makeIndex("fields", docs)
    _ = index
    #expect(try searcher.ids("source:okaz") == ["1"])
    #expect(try searcher.ids(#"source:"okaz news""#) == ["1"])
    #expect(try searcher.ids(#"source:"news okaz""#).isEmpty)
    #expect(try searcher.ids("source:ok*") == ["1"])
    #expect(try searcher.ids("okaz") == ["2"])
    #expect(try searcher.ids("source:spa AND zqc") == ["2"])
    #expect(searcher.reader.fieldNames.contains("source"))
  }
}
