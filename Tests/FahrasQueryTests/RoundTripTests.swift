import Testing

@testable import FahrasQuery

/// Produces random query trees in the normal form the parser produces, so that each one must survive
/// `parse(node.description)` unchanged.
struct QueryTreeGenerator {
  var rng: SplitMix64

  static let wordPieces = [
    "a", "b", "z", "ش", "و", "ر", "ي", "ة", "中", "文", "é", "1", "0", ".", "_", "🙂", ":", "*", "~",
    "^", "\"", "(",
    ")", "\\", "+", "-", " ", "\u{3000}", "\u{00A0}", "\n", "AND", "OR", "NOT", "title",
  ]
  static let wholeWords = [
    "AND", "OR", "NOT", "and", "+", "-", ":", "title:", "شويغو:", "12:30", "\\",
  ]
  static let fields: [String?] = [
    nil, nil, nil, "title", "body", "a.b", "x_1", "t-2", "_", "AND", "NOT",
  ]
  static let boosts: [Float] = [
    1, 1, 1, 1, 2, 0.5, 1.5, 3, 0.25, 1e-5, 1e20, 123_456.78, 7e-3, 1_000_000,
  ]

  init(seed: UInt64) { rng = SplitMix64(seed: seed) }

  mutating func pick<T>(_ values: [T]) -> T {
    values[Int.random(in: 0..<values.count, using: &rng)]
  }

  mutating func word() -> String {
    if Int.random(in: 0..<10, using: &rng) == 0 { return pick(Self.wholeWords) }
    var text = ""
    for _ in 0..<Int.random(in: 1...5, using: &rng) { text += pick(Self.wordPieces) }
    return text
  }

  mutating func phraseText() -> String {
    var text = ""
    for _ in 0..<Int.random(in: 1...6, using: &rng) {
      text += pick(Self.wordPieces)
      if Bool.random(using: &rng) { text += " " }
    }
    return text.unicodeScalars.allSatisfy(QuerySyntax.isWhitespace) ? text + "x" : text
  }

  mutating func leaf() -> QueryNode {
    let field = pick(Self.fields)
    let boost = pick(Self.boosts)
    switch Int.random(in: 0..<4, using: &rng) {
    case 0: return .term(field: field, text: word(), boost: boost)
    case 1:
      let slop = Bool.random(using: &rng) ? 0 : Int.random(in: 0...100, using: &rng)
      return .phrase(field: field, text: phraseText(), slop: slop, boost: boost)
    case 2: return .prefix(field: field, text: word(), boost: boost)
    default:
      return .fuzzy(
        field: field, text: word(), maxEdits: Int.random(in: 0...2, using: &rng), boost: boost)
    }
  }

  mutating func node(depth: Int) -> QueryNode {
    if depth == 0 || Int.random(in: 0..<10, using: &rng) < 4 { return leaf() }
    var clauses: [QueryClause] = []
    for _ in 0..<Int.random(in: 1...4, using: &rng) {
      let occur = pick([Occur.should, .must, .mustNot])
      clauses.append(QueryClause(occur: occur, node: node(depth: depth - 1)))
    }
    var boost = pick(Self.boosts)
    // The parser unwraps a lone unprefixed clause of an unboosted group, so such a group is not normal.
    if clauses.count == 1 && clauses[0].occur == .should && boost == 1 { boost = 2 }
    return .boolean(clauses: clauses, boost: boost)
  }
}

/// The canonical printed form and its round trip through the parser.
@Suite struct RoundTripTests {
  @Test func canonicalForms() throws {
    #expect(
      bool(
        must(phrase("a b", field: "title", slop: 2)), mustNot(term("c")),
        should(prefix("d", boost: 2))
      ).description == #"(+title:"a b"~2 -c d*^2)"#)
    #expect(term("AND").description == #"\AND"#)
    #expect(term("-x").description == #"\-x"#)
    #expect(term("a-b").description == "a-b")
    #expect(term("two words").description == #"two\ words"#)
    #expect(term("شويغو:").description == #"شويغو\:"#)
    #expect(term("(1+1)^2*~\"\\").description == #"\(1+1\)\^2\*\~\"\\"#)
    #expect(phrase(#"say "hi" \ bye"#).description == #""say \"hi\" \\ bye""#)
    #expect(fuzzy("color", edits: 2).description == "color~2")
    #expect(term("a", boost: 1.5).description == "a^1.5")
    #expect(term("a", boost: 1e20).description == "a^1e+20")
    #expect(term("a", boost: 1_000_000).description == "a^1000000")
    #expect(bool(should(term("a")), boost: 2).description == "(a)^2")
    #expect(QueryNode.boolean(clauses: [], boost: 1).description == "")
    #expect(must(term("x")).description == "+x")
  }

  @Test func parsedExamplesPrintCanonically() throws {
    let examples: [(String, String)] = [
      ("a AND b OR c", "((+a +b) c)"),
      ("title:(a b)^3", "(title:a title:b)^3"),
      ("شويغو: روسيا", #"(شويغو\: روسيا)"#),
      ("NOT a", "(-a)"),
      ("color~", "color~2"),
      (#"\(1\+1\)"#, #"\(1+1\)"#),
      ("  ", ""),
    ]
    for (query, canonical) in examples {
      #expect(try parse(query).description == canonical, "\(query)")
    }
  }

  @Test func randomTreesSurviveTheRoundTrip() throws {
    var generator = QueryTreeGenerator(seed: 0xF4_8A5)
    let parser = QueryParser()
    for _ in 0..<3_000 {
      let node = generator.node(depth: 4)
      let printed = node.description
      do {
        let reparsed = try parser.parse(printed)
        #expect(reparsed == node, "\(printed)")
        if reparsed != node { return }
      } catch {
        Issue.record("\(printed) did not parse: \(error)")
        return
      }
    }
  }

  @Test func canonicalFormIsAFixedPoint() throws {
    var generator = QueryTreeGenerator(seed: 42)
    for _ in 0..<500 {
      let printed = generator.node(depth: 3).description
      #expect(try parse(printed).description == printed)
    }
  }

  @Test func defaultAndResultsPrintInDefaultOrSyntax() throws {
    for query in ["a b", "a b OR c d", "+a b -c", "(a b) c", "x"] {
      let node = try parse(query, .and)
      #expect(try parse(node.description) == node, "\(query)")
    }
  }
}
