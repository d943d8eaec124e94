import Testing

@testable import FahrasQuery

/// Bounded work on pathological input: clause, depth and length limits.
@Suite struct LimitTests {
  static func elapsedSeconds(_ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    let duration = clock.measure(body)
    return Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
  }

  @Test func exactlyTheClauseLimitParses() throws {
    let query = Array(repeating: "a", count: 1024).joined(separator: " ")
    guard case .boolean(let clauses, _) = try parse(query) else {
      Issue.record("expected a boolean")
      return
    }
    #expect(clauses.count == 1024)
  }

  @Test func oneClauseOverTheLimitFails() {
    let query = Array(repeating: "ab", count: 1025).joined(separator: " ")
    let error = parseError(query)
    #expect(error?.message == "too many clauses (limit 1024)")
    #expect(error?.scalarOffset == 1024 * 3)  // the 1025th term
  }

  @Test func phraseWordsCountAsClauses() {
    let words = Array(repeating: "w", count: 1025).joined(separator: " ")
    let error = parseError("\"\(words)\"")
    #expect(error?.message == "too many clauses (limit 1024)")
    #expect(error?.scalarOffset == 0)
    let limited = QueryParser(maxClauses: 3)
    #expect(parseError(#""a b" c"#, parser: limited) == nil)
    #expect(parseError(#""a b" c d"#, parser: limited)?.scalarOffset == 8)
  }

  @Test func hundredThousandTermsFailQuickly() {
    let query = String(repeating: "term ", count: 100_000)
    var error: QueryParseError?
    let seconds = Self.elapsedSeconds { error = parseError(query) }
    #expect(error?.message == "query too long (limit 65536 bytes)")
    #expect(error?.scalarOffset == 65_536)
    #expect(seconds < 2)

    // With the length limit lifted, the clause limit stops the parse at the 1025th term.
    let lifted = QueryParser(maxQueryBytes: 1 << 20)
    var clauseError: QueryParseError?
    let clauseSeconds = Self.elapsedSeconds { clauseError = parseError(query, parser: lifted) }
    #expect(clauseError?.message == "too many clauses (limit 1024)")
    #expect(clauseError?.scalarOffset == 1024 * 5)
    #expect(clauseSeconds < 2)
  }

  @Test func clauseLimitUnderTheLengthLimit() {
    let query = String(repeating: "a ", count: 30_000)  // 60,000 bytes
    let error = parseError(query)
    #expect(error?.message == "too many clauses (limit 1024)")
    #expect(error?.scalarOffset == 2048)
  }

  @Test func parsingIsLinearWhenLimitsAreLifted() throws {
    let parser = QueryParser(maxClauses: .max, maxQueryBytes: .max)
    // 40k leaves in 20k alternatives, about 310 KB.
    let query = String(repeating: "كلمة AND title:x* OR \"a b\" ", count: 10_000)
    var node: QueryNode?
    let seconds = Self.elapsedSeconds {
      node = try? parser.parse(query)
    }
    guard case .boolean(let clauses, _)? = node else {
      Issue.record("expected a boolean")
      return
    }
    #expect(clauses.count == 20_000)
    #expect(seconds < 10)
  }

  @Test func maximumDepthParses() throws {
    let query = String(repeating: "(", count: 64) + "a b" + String(repeating: ")", count: 64)
    #expect(try parse(query) == bool(should(term("a")), should(term("b"))))
    let boosted = String(repeating: "(", count: 64) + "a" + String(repeating: ")^2", count: 64)
    #expect(parseError(boosted) == nil)
  }

  @Test func oneLevelTooDeepFails() {
    let query = String(repeating: "(", count: 65) + "a" + String(repeating: ")", count: 65)
    let error = parseError(query)
    #expect(error?.message == "nesting too deep (limit 64)")
    #expect(error?.scalarOffset == 64)
  }

  @Test func tenThousandNestedParenthesesFailWithoutCrashing() {
    let query = String(repeating: "(", count: 10_000) + "a" + String(repeating: ")", count: 10_000)
    #expect(parseError(query)?.message == "nesting too deep (limit 64)")
    let prefixed = String(repeating: "+(", count: 10_000) + "a"
    #expect(parseError(prefixed)?.scalarOffset == 129)
    let fielded = String(repeating: "title:(", count: 9_000) + "a"
    #expect(parseError(fielded)?.message == "nesting too deep (limit 64)")
    let closing = String(repeating: ")", count: 10_000)
    #expect(parseError(closing)?.scalarOffset == 0)
  }

  @Test func otherPathologicalInputs() {
    #expect(parseError(String(repeating: "NOT ", count: 10_000) + "a")?.scalarOffset == 4)
    #expect(
      parseError(String(repeating: "\"", count: 10_001))?.message
        == "empty phrase: expected words between the quotes")
    #expect(parseError(String(repeating: "\\", count: 60_001)) != nil)
    #expect(parseError(String(repeating: "*", count: 60_000))?.scalarOffset == 0)
    #expect(parseError(String(repeating: "a", count: 60_000) + "~3") != nil)
  }

  @Test func queryLengthLimit() throws {
    let atLimit = String(repeating: "a", count: 65_536)
    #expect(try parse(atLimit) == term(atLimit))
    let error = parseError(atLimit + "b")
    #expect(error?.message == "query too long (limit 65536 bytes)")
    #expect(error?.byteOffset == 65_536)
  }

  @Test func lengthErrorLandsOnAScalarBoundary() {
    let arabic = String(repeating: "ش", count: 40_000)  // 80,000 bytes, two per letter
    let error = parseError("x" + arabic)  // byte 65,536 falls inside a letter
    #expect(error?.byteOffset == 65_535)
    #expect(error?.scalarOffset == 1 + 32_767)
  }

  @Test func configuredLimits() {
    let parser = QueryParser(maxClauses: 2, maxDepth: 1, maxQueryBytes: 10)
    #expect(parseError("a b", parser: parser) == nil)
    #expect(parseError("a b c", parser: parser)?.message == "too many clauses (limit 2)")
    #expect(parseError("(a)", parser: parser) == nil)
    #expect(parseError("((a))", parser: parser)?.message == "nesting too deep (limit 1)")
    #expect(parseError("abcdefghijk", parser: parser)?.message == "query too long (limit 10 bytes)")
  }
}
