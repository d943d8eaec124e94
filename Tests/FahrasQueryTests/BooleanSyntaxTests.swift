import Testing

@testable import FahrasQuery

/// Operators, prefixes, precedence, grouping and the default operator.
@Suite struct BooleanSyntaxTests {
  let a = term("a")
  let b = term("b")
  let c = term("c")
  let d = term("d")

  @Test func andOrAndJuxtaposition() throws {
    #expect(try parse("a AND b") == bool(must(a), must(b)))
    #expect(try parse("a OR b") == bool(should(a), should(b)))
    #expect(try parse("a b") == bool(should(a), should(b)))
    #expect(try parse("a b", .and) == bool(must(a), must(b)))
    #expect(try parse("a OR b", .and) == bool(should(a), should(b)))
    #expect(try parse("a AND b AND c") == bool(must(a), must(b), must(c)))
    #expect(try parse("a OR b OR c") == bool(should(a), should(b), should(c)))
  }

  @Test func prefixes() throws {
    #expect(try parse("+a b -c") == bool(must(a), should(b), mustNot(c)))
    #expect(try parse("+a b -c", .and) == bool(must(a), must(b), mustNot(c)))
    #expect(try parse("a NOT b") == bool(should(a), mustNot(b)))
    #expect(try parse("a AND NOT b") == bool(must(a), mustNot(b)))
    #expect(try parse("a OR NOT b") == bool(should(a), mustNot(b)))
    #expect(try parse("a AND -b") == bool(must(a), mustNot(b)))
    #expect(try parse("+a OR b") == bool(must(a), should(b)))
    #expect(try parse("NOT(a b)") == bool(mustNot(bool(should(a), should(b)))))
    #expect(try parse(#"-"a b""#) == bool(mustNot(phrase("a b"))))
  }

  @Test func pureNegativeQueriesAreKept() throws {
    #expect(try parse("NOT a") == bool(mustNot(a)))
    #expect(try parse("-a") == bool(mustNot(a)))
    #expect(try parse("-a -b") == bool(mustNot(a), mustNot(b)))
    #expect(try parse("NOT a", .and) == bool(mustNot(a)))
  }

  @Test func aLonePrefixedClauseStaysWrapped() throws {
    #expect(try parse("+a") == bool(must(a)))
    #expect(try parse("(+a)") == bool(must(a)))
    #expect(try parse("b (-a)") == bool(should(b), should(bool(mustNot(a)))))
  }

  @Test func precedenceNotOverAndOverOr() throws {
    #expect(try parse("a AND b OR c") == bool(should(bool(must(a), must(b))), should(c)))
    #expect(try parse("a OR b AND c") == bool(should(a), should(bool(must(b), must(c)))))
    #expect(
      try parse("a AND b OR c AND d")
        == bool(should(bool(must(a), must(b))), should(bool(must(c), must(d)))))
    #expect(try parse("NOT a AND b") == bool(mustNot(a), must(b)))
    #expect(try parse("NOT a OR b") == bool(mustNot(a), should(b)))
  }

  @Test func juxtapositionBindsLikeTheDefaultOperator() throws {
    #expect(try parse("a b AND c") == bool(should(a), should(bool(must(b), must(c)))))
    #expect(try parse("a b OR c d") == bool(should(a), should(b), should(c), should(d)))
    #expect(try parse("a b AND c", .and) == bool(must(a), must(b), must(c)))
    #expect(
      try parse("a b OR c d", .and)
        == bool(should(bool(must(a), must(b))), should(bool(must(c), must(d)))))
    #expect(
      try parse("a AND b c OR d", .and) == bool(should(bool(must(a), must(b), must(c))), should(d)))
    #expect(try parse("a -b", .and) == bool(must(a), mustNot(b)))
  }

  @Test func groups() throws {
    #expect(try parse("(a b) c") == bool(should(bool(should(a), should(b))), should(c)))
    #expect(try parse("(a OR b) AND c") == bool(must(bool(should(a), should(b))), must(c)))
    #expect(
      try parse("+(a b) -(c d)")
        == bool(must(bool(should(a), should(b))), mustNot(bool(should(c), should(d)))))
    #expect(try parse("( a  b )") == bool(should(a), should(b)))
  }

  @Test func singleChildGroupsWithoutBoostAreSimplified() throws {
    #expect(try parse("(a)") == a)
    #expect(try parse("((((a))))") == a)
    #expect(try parse("((a b))") == bool(should(a), should(b)))
    #expect(try parse("(a)", .and) == a)
    #expect(try parse("x (a)") == bool(should(term("x")), should(a)))
  }

  @Test func boostedSingleChildGroupsAreKept() throws {
    #expect(try parse("(a)^2") == bool(should(a), boost: 2))
    #expect(try parse("((a b))^2") == bool(should(bool(should(a), should(b))), boost: 2))
    #expect(try parse("((a b)^2)") == bool(should(a), should(b), boost: 2))
  }

  @Test func explicitParenthesesAreNotFlattened() throws {
    #expect(try parse("(a OR b) OR c") == bool(should(bool(should(a), should(b))), should(c)))
  }

  @Test func operatorWordsStandAloneNextToParenthesesAndQuotes() throws {
    #expect(try parse("(a)AND(b)") == bool(must(a), must(b)))
    #expect(try parse(#"NOT"a b""#) == bool(mustNot(phrase("a b"))))
  }

  @Test func mixedScriptsAndOperators() throws {
    #expect(
      try parse(#"title:"قمة الرياض" AND (روسيا OR أوكرانيا) -شويغو"#)
        == bool(
          should(
            bool(
              must(phrase("قمة الرياض", field: "title")),
              must(bool(should(term("روسيا")), should(term("أوكرانيا")))))),
          mustNot(term("شويغو"))))
  }
}
