import FahrasIndex
import Testing

@testable import FahrasSearch

@Suite("Snippets and highlighting")
struct SnippetTests {
  /// The snippet of the first hit of `query` over one document with `body` (and `title`).
  static func snippet(_ query: String, body: String, title: String = "", length: Int = 220) throws
    -> Snippet?
  {
    let (index, searcher) = try makeIndex(
      "snip", [IndexDocument(id: "1", title: title, body: body)])
    _ = index
    var options = SearchOptions.test(snippets: true)
    options.snippetLength = length
    let r = try searcher.search(query, options: options)
    guard let hit = r.hits.first else { return nil }
    let s = try #require(hit.snippet)
    checkSnippet(s, of: body.isEmpty ? title : body)
    return s
  }

  /// Texts over 64 KiB are searched chunk by chunk (cut at white space): the match is found wherever
  /// it is, the passage is verbatim, and Arabic letters with their marks are never split.
  @Test("huge texts: the passage is found chunk by chunk", arguments: [0.0, 0.45, 0.97])
  func hugeText(at fraction: Double) throws {
    let filler = "وَالتَّعاوُنُ بين الدول مستمر في المنطقة "  // 30 words × 7
    var words: [String] = []
    while words.joined(separator: " ").utf8.count < 300_000 {
      words.append(contentsOf: filler.split(separator: " ").map(String.init))
    }
    let at = Int(Double(words.count) * fraction)
    words.insert("زقزقة", at: at)
    let body = words.joined(separator: " ")
    let s = try #require(try Self.snippet("زقزقة", body: body))
    #expect(s.highlightedWords == ["زقزقة"])
    #expect(s.clippedStart == (at > 30))
    #expect(s.clippedEnd)
  }

  @Test(
    "highlights cover exactly the matching words",
    arguments: [
      ("zqb", "zqb zqc zqb the zqd", ["zqb", "zqb"]),
      ("zqb zqd", "zqb zqc zqb the zqd", ["zqb", "zqb", "zqd"]),
      ("the zqd", "zqb zqc zqb the zqd", ["zqd"]),
      ("zqb -zqx", "zqb zqc", ["zqb"]),
      (#""zqc zqb""#, "zqb zqc zqb the zqd", ["zqb", "zqc", "zqb"]),
      ("run", "running runs ran runner", ["running", "runs"]),
      ("Café", "le cafe\u{301} noir, CAFÉ!", ["cafe\u{301}", "CAFÉ"]),
      ("zq*", "zqb, zqc; zqd.", ["zqb", "zqc", "zqd"]),
      ("zqbd~1", "zqbb zqcc", ["zqbb"]),
    ])
  func exactHighlights(query: String, body: String, expected: [String]) throws {
    let s = try #require(try Self.snippet(query, body: body), "\(query) found nothing")
    #expect(s.highlightedWords == expected, "\(query) in \(body)")
    #expect(s.text == body)
    #expect(!s.clippedStart && !s.clippedEnd)
  }

  @Test(
    "Arabic: the original letters and marks are highlighted, never split",
    arguments: [
      // Persian yeh (U+06CC) in the text, Arabic yeh in the query.
      ("تعزيز", "تأتي في إطار تعزیز العلاقات", ["تعزیز"]),
      // Harakat in the text stay with their word, the final one included.
      ("وزير", "صرح وَزِيرُ الدِّفَاعِ الروسي", ["وَزِيرُ"]),
      ("الدفاع", "صرح وَزِيرُ الدِّفَاعِ الروسي", ["الدِّفَاعِ"]),
      // Harakat in the query.
      ("وَزِيرُ", "صرح وزير الدفاع", ["وزير"]),
      // Tatweel inside the word.
      ("تعزيز", "تـعـزيـز التعاون", ["تـعـزيـز"]),
      // Hamza forms and taa marbuta fold; the original is shown.
      ("مسئولية", "المسؤولية كبيرة", ["المسؤولية"]),
      ("كوريا الشمالية", "زار كوريا الشماليةَ أمس", ["كوريا", "الشماليةَ"]),
    ])
  func arabicHighlights(query: String, body: String, expected: [String]) throws {
    let s = try #require(try Self.snippet(query, body: body), "\(query) found nothing in \(body)")
    #expect(s.highlightedWords == expected, "\(query) in \(body)")
  }

  @Test("a long text is cut around the best passage, on word boundaries")
  func longText() throws {
    let filler = (0..<400).map { "zqf\($0 % 10 == 0 ? "" : "k")" }.joined(separator: " ")
    let body = filler + " zqb zqc here " + filler
    let s = try #require(try Self.snippet("zqb zqc", body: body, length: 80))
    #expect(s.highlightedWords == ["zqb", "zqc"])
    #expect(s.clippedStart && s.clippedEnd)
    #expect(s.text.unicodeScalars.count <= 80)
    #expect(s.text.first?.isWhitespace == false && s.text.last?.isWhitespace == false)
    let rendered = s.rendered(open: "[", close: "]")
    #expect(rendered.hasPrefix("…") && rendered.hasSuffix("…"))
    #expect(rendered.contains("[zqb] [zqc]"))
  }

  @Test("the passage prefers the window with the most distinct query words")
  func bestWindow() throws {
    let filler = (0..<60).map { _ in "zqf" }.joined(separator: " ")
    let body = "zqb " + filler + " zqb zqc " + filler
    let s = try #require(try Self.snippet("zqb zqc", body: body, length: 60))
    #expect(Set(s.highlightedWords) == ["zqb", "zqc"])
  }

  @Test("leading newlines are trimmed and highlights still point at the words")
  func leadingNewlines() throws {
    let s = try #require(try Self.snippet("zqc", body: "\n\r\nzqb zqc\n"))
    #expect(s.text == "zqb zqc")
    #expect(s.highlightedWords == ["zqc"])
  }

  @Test("a title-only match shows the body unmarked; an empty body shows the title")
  func titleOnly() throws {
    let s = try #require(try Self.snippet("zqb", body: "zqc zqd", title: "zqb"))
    #expect(s.text == "zqc zqd")
    #expect(s.highlights.isEmpty)
    let t = try #require(try Self.snippet("zqb", body: "", title: "the zqb"))
    #expect(t.text == "the zqb")
    #expect(t.highlightedWords == ["zqb"])
  }

  @Test("snippets of many hits are verbatim parts of their documents")
  func manyHits() throws {
    let corpus = PlainCorpus(count: 60, vocabulary: 15, bodyWords: 80, skew: 1.5, seed: 77)
    let (index, searcher) = try makeIndex("snips", corpus.documents)
    _ = index
    var options = SearchOptions.test(k: 20, snippets: true)
    options.snippetLength = 50
    let queries: [(String, (String) -> Bool)] = [
      ("zqb", { $0 == "zqb" }),
      ("zqc zqd", { $0 == "zqc" || $0 == "zqd" }),
      ("zqf -zqb", { $0 == "zqf" }),
      (#""zqb zqc"~3"#, { $0 == "zqb" || $0 == "zqc" }),
      ("zqg*", { $0.hasPrefix("zqg") }),
    ]
    for (q, isQueryWord) in queries {
      let r = try searcher.search(q, options: options)
      #expect(!r.hits.isEmpty, "\(q)")
      for h in r.hits {
        let doc = try #require(index.live[h.id])
        let s = try #require(h.snippet)
        checkSnippet(s, of: doc.body.isEmpty ? doc.title : doc.body)
        #expect(s.text.unicodeScalars.count <= 50)
        // Exactly the query's words are marked, every one of them.
        #expect(s.highlightedWords.allSatisfy(isQueryWord), "\(q): \(s.highlightedWords)")
        let words = s.text.split(separator: " ").map(String.init)
        #expect(s.highlightedWords == words.filter(isQueryWord), "\(q): \(s.text)")
      }
    }
  }
}
