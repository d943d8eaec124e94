import Testing

@testable import FahrasQuery

/// Every syntax error, with its message and position.
@Suite struct ParseErrorTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var query: String
    var message: String
    var position: Int
    var testDescription: String { query }
  }

  static let cases: [Case] = [
    Case(
      query: #""unclosed"#, message: #"expected '"' to close the phrase opened at 0"#, position: 9),
    Case(query: #"a "b c"#, message: #"expected '"' to close the phrase opened at 2"#, position: 6),
    Case(
      query: #""ends with backslash\"#, message: #"expected '"' to close the phrase opened at 0"#,
      position: 21),
    Case(query: "title:", message: "expected a term, phrase or group after 'title:'", position: 6),
    Case(
      query: "title: x", message: "expected a term, phrase or group after 'title:'", position: 6),
    Case(
      query: "(title:)", message: "expected a term, phrase or group after 'title:'", position: 7),
    Case(
      query: "title:-a",
      message: "expected a term after 'title:' (put '-' before the field: -title:word)", position: 6
    ),
    Case(query: "((a)", message: "expected ')' to close the group opened at 0", position: 4),
    Case(query: "(a", message: "expected ')' to close the group opened at 0", position: 2),
    Case(query: "(", message: "expected a term after '('", position: 1),
    Case(query: "a)", message: "unexpected ')' without a matching '('", position: 1),
    Case(query: ")", message: "unexpected ')' without a matching '('", position: 0),
    Case(query: "(a))", message: "unexpected ')' without a matching '('", position: 3),
    Case(query: "a AND", message: "expected a term after 'AND'", position: 5),
    Case(query: "a AND ", message: "expected a term after 'AND'", position: 6),
    Case(query: "a AND OR b", message: "expected a term after 'AND'", position: 6),
    Case(query: "(a AND)", message: "expected a term after 'AND'", position: 6),
    Case(query: "a OR", message: "expected a term after 'OR'", position: 4),
    Case(query: "AND a", message: "expected a term before 'AND'", position: 0),
    Case(query: "OR", message: "expected a term before 'OR'", position: 0),
    Case(query: "(OR a)", message: "expected a term before 'OR'", position: 1),
    Case(query: "NOT", message: "expected a term after 'NOT'", position: 3),
    Case(query: "NOT NOT a", message: "expected a term after 'NOT'", position: 4),
    Case(query: "NOT -a", message: "expected a term after 'NOT'", position: 4),
    Case(query: "a -", message: "expected a term after '-'", position: 3),
    Case(query: "- a", message: "expected a term after '-'", position: 1),
    Case(query: "+-a", message: "expected a term after '+'", position: 1),
    Case(query: "+AND a", message: "expected a term after '+'", position: 1),
    Case(
      query: "*", message: "expected a term before '*' (leading wildcards are not supported)",
      position: 0),
    Case(
      query: "*abc", message: "expected a term before '*' (leading wildcards are not supported)",
      position: 0),
    Case(
      query: "title:*", message: "expected a term before '*' (leading wildcards are not supported)",
      position: 6),
    Case(query: "a*b", message: "wildcard '*' is only supported at the end of a term", position: 1),
    Case(query: "a**", message: "wildcard '*' is only supported at the end of a term", position: 1),
    Case(
      query: #"a*\b"#, message: "wildcard '*' is only supported at the end of a term", position: 1),
    Case(query: "a^", message: "expected a number after '^'", position: 2),
    Case(query: "a^ 2", message: "expected a number after '^'", position: 2),
    Case(query: "a^x", message: "expected a number after '^'", position: 2),
    Case(query: "a^2x", message: "expected a number after '^'", position: 2),
    Case(query: "a^inf", message: "expected a number after '^'", position: 2),
    Case(query: "a^-1", message: "expected a number after '^'", position: 2),
    Case(query: "a^0", message: "expected a positive finite boost after '^'", position: 2),
    Case(query: "a^1e50", message: "expected a positive finite boost after '^'", position: 2),
    Case(query: "^2", message: "expected a term, phrase or group before '^'", position: 0),
    Case(query: "a ^2", message: "expected a term, phrase or group before '^'", position: 2),
    Case(
      query: "a~5", message: "expected a fuzzy edit distance of 0, 1 or 2 after '~'", position: 2),
    Case(
      query: "a~3", message: "expected a fuzzy edit distance of 0, 1 or 2 after '~'", position: 2),
    Case(
      query: "a~1.5", message: "expected a fuzzy edit distance of 0, 1 or 2 after '~'", position: 2),
    Case(query: "~", message: "expected a term or phrase before '~'", position: 0),
    Case(
      query: #""a b"~101"#, message: "expected a phrase slop (an integer from 0 to 100) after '~'",
      position: 6),
    Case(
      query: #""a b"~"#, message: "expected a phrase slop (an integer from 0 to 100) after '~'",
      position: 6),
    Case(
      query: #""a b"~x"#, message: "expected a phrase slop (an integer from 0 to 100) after '~'",
      position: 6),
    Case(query: "()", message: "empty group: expected a term between '(' and ')'", position: 1),
    Case(query: "a ( )", message: "empty group: expected a term between '(' and ')'", position: 4),
    Case(query: #""""#, message: "empty phrase: expected words between the quotes", position: 0),
    Case(
      query: #"x "  ""#, message: "empty phrase: expected words between the quotes", position: 2),
    Case(query: #"a\"#, message: #"expected a character after '\'"#, position: 1),
    Case(query: "a^2^3", message: "unexpected '^' after the boost", position: 3),
    Case(query: "a*~", message: "unexpected '~' after '*'", position: 2),
    Case(query: "a~1*", message: "unexpected '*' after '~'", position: 3),
    Case(query: "(a b)*", message: "unexpected '*' after ')'", position: 5),
    Case(query: #""a b"*"#, message: "unexpected '*' after a phrase", position: 5),
    Case(query: #""a b"~2~3"#, message: "unexpected '~' after a phrase", position: 7),
  ]

  @Test(arguments: cases)
  func reportsMessageAndPosition(_ testCase: Case) {
    let error = parseError(testCase.query)
    #expect(error?.message == testCase.message)
    #expect(error?.scalarOffset == testCase.position)
    #expect(error?.byteOffset == byteOffset(ofScalar: testCase.position, in: testCase.query))
  }

  @Test func defaultAndReportsTheSameErrors() {
    for testCase in Self.cases {
      let error = parseError(testCase.query, parser: QueryParser(defaultOperator: .and))
      #expect(error?.message == testCase.message, "\(testCase.query)")
      #expect(error?.scalarOffset == testCase.position, "\(testCase.query)")
    }
  }

  @Test func positionsCountScalarsAndBytesSeparately() {
    let error = parseError("روسيا AND")
    #expect(error?.message == "expected a term after 'AND'")
    #expect(error?.scalarOffset == 9)
    #expect(error?.byteOffset == 14)  // five 2-byte letters, a space, "AND"

    let phraseError = parseError(#"中文 "未闭合"#)
    #expect(phraseError?.message == #"expected '"' to close the phrase opened at 3"#)
    #expect(phraseError?.scalarOffset == 7)
    #expect(phraseError?.byteOffset == 17)

    let emoji = parseError("🙂 a*b")
    #expect(emoji?.scalarOffset == 3)
    #expect(emoji?.byteOffset == 6)
  }

  @Test func descriptionNamesThePosition() {
    let error = parseError("a AND ")
    #expect(error?.description == "expected a term after 'AND' at position 6")
    #expect(
      QueryParseError(message: "m", scalarOffset: 3, byteOffset: 5).description == "m at position 3"
    )
  }
}
