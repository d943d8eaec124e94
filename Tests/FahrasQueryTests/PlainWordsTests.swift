import Testing

@testable import FahrasQuery

/// `QueryParser.plainWords`: natural-language text made into a query of its words, which always
/// parses (within the limits) as those words side by side.
@Suite("Plain words from natural-language text")
struct PlainWordsTests {
  @Test(
    "syntax characters become spaces, operator words lower case",
    arguments: [
      ("what is covid-19? (symptoms", "what is covid 19? symptoms"),
      ("re: the \"unclosed quote", "re the unclosed quote"),
      ("C++ programming AND", "C programming and"),
      ("U.S. economy: growth * rate ~ ^2", "U.S. economy growth rate 2"),
      ("NOT this OR that", "not this or that"),
      ("ANDROID ORANGE NOTE", "ANDROID ORANGE NOTE"),
      ("تعزيز: التعاون\"", "تعزيز التعاون"),
      ("a\\b", "a b"),
      ("  \u{3000}spaced\u{00A0}out  ", "spaced out"),
      ("***", ""),
    ])
  func examples(input: String, expected: String) {
    #expect(QueryParser.plainWords(input) == expected)
  }

  @Test("the result parses as a flat list of its words, for random text")
  func alwaysParses() throws {
    var rng = SplitMix64(seed: 2026)
    let pieces = [
      "\"", "(", ")", "*", "+", "-", ":", "\\", "^", "~", "AND", "OR", "NOT", "title:", "x:",
      "word", "كلمة", "1.5", "?", "!", "،", "\u{00A0}", " ", "  ", "é", "a~2", "b^3", "\"c d\"~1",
    ]
    for _ in 0..<2_000 {
      let n = Int(rng.next() % 12)
      let text = (0..<n).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }
        .joined(separator: rng.next() % 3 == 0 ? "" : " ")
      let plain = QueryParser.plainWords(text)
      let parsed = try QueryParser().parse(plain)
      let words = plain.split(separator: " ").map(String.init)
      // Nothing but terms, joined by the default operator.
      switch parsed {
      case .term(let field, let t, _):
        #expect(field == nil && words == [t], "\(text) → \(plain)")
      case .boolean(let clauses, _):
        #expect(clauses.count == words.count, "\(text) → \(plain)")
        for (c, w) in zip(clauses, words) {
          guard case .term(nil, let t, _) = c.node else {
            Issue.record("\(text) → \(plain): \(c)")
            continue
          }
          #expect(t == w, "\(text) → \(plain)")
        }
      default:
        Issue.record("\(text) → \(plain): \(parsed)")
      }
    }
  }
}
