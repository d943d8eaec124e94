import Testing

@testable import FahrasQuery

/// `field:` restrictions on terms, phrases, prefixes, fuzzy terms and groups.
@Suite struct FieldSyntaxTests {
  @Test func fieldOnLeaves() throws {
    #expect(try parse("title:روسيا") == term("روسيا", field: "title"))
    #expect(try parse(#"title:"a b"~2"#) == phrase("a b", field: "title", slop: 2))
    #expect(try parse("title:comp*") == prefix("comp", field: "title"))
    #expect(try parse("title:color~1") == fuzzy("color", field: "title", edits: 1))
    #expect(try parse("title:a^2") == term("a", field: "title", boost: 2))
  }

  @Test(arguments: ["title", "_", "a.b", "x_1", "t-2", "Body", "AND", "NOT", "OR"])
  func fieldNamesAreASCIIIdentifiers(_ name: String) throws {
    #expect(try parse("\(name):word") == term("word", field: name))
  }

  @Test func fieldOnGroupIsFoldedIntoItsLeaves() throws {
    #expect(
      try parse("title:(a b)")
        == bool(should(term("a", field: "title")), should(term("b", field: "title"))))
    #expect(
      try parse(#"title:(+a "b c" -d*)"#)
        == bool(
          must(term("a", field: "title")), should(phrase("b c", field: "title")),
          mustNot(prefix("d", field: "title"))))
    #expect(
      try parse("title:(a (b c))")
        == bool(
          should(term("a", field: "title")),
          should(bool(should(term("b", field: "title")), should(term("c", field: "title"))))))
    #expect(try parse("title:(a)") == term("a", field: "title"))
    #expect(
      try parse("title:(a b)^3")
        == bool(should(term("a", field: "title")), should(term("b", field: "title")), boost: 3))
  }

  @Test func innerFieldWinsInsideAFieldGroup() throws {
    #expect(
      try parse("title:(a body:b)")
        == bool(should(term("a", field: "title")), should(term("b", field: "body"))))
  }

  @Test func fieldMixesWithUnfieldedClauses() throws {
    #expect(
      try parse("title:روسيا شويغو")
        == bool(should(term("روسيا", field: "title")), should(term("شويغو"))))
  }

  @Test func operandAfterFieldKeepsItsColons() throws {
    #expect(try parse("title:شويغو:") == term("شويغو:", field: "title"))
    #expect(try parse("time:12:30") == term("12:30", field: "time"))
  }

  @Test func operatorWordsAfterAFieldAreWords() throws {
    #expect(try parse("title:AND") == term("AND", field: "title"))
    #expect(
      try parse("title:NOT a") == bool(should(term("NOT", field: "title")), should(term("a"))))
  }

  @Test func prefixesGoBeforeTheField() throws {
    #expect(
      try parse("-title:a +body:b")
        == bool(mustNot(term("a", field: "title")), must(term("b", field: "body"))))
    #expect(try parse("NOT title:a") == bool(mustNot(term("a", field: "title"))))
  }

  @Test func identifierFollowedByEscapedColonIsNotAField() throws {
    #expect(try parse(#"title\:a"#) == term("title:a"))
  }
}
