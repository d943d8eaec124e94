import Testing

@testable import FahrasQuery

/// Leaves: terms in every script, escapes, phrases, prefixes, fuzzy terms and boosts.
@Suite struct TermSyntaxTests {
  @Test(arguments: ["روسيا", "search", "中文", "2024", "e-mail", "a+b", "C#", "x/y", "naïve", "🙂"])
  func singleWordIsATerm(_ word: String) throws {
    #expect(try parse(word) == term(word))
  }

  @Test func surroundingWhitespaceIsIgnored() throws {
    #expect(try parse("  \tروسيا\n") == term("روسيا"))
    #expect(try parse("\u{3000}中文\u{00A0}") == term("中文"))
  }

  @Test func unicodeWhitespaceSeparatesTerms() throws {
    #expect(try parse("中文\u{3000}检索") == bool(should(term("中文")), should(term("检索"))))
    #expect(try parse("قمة\u{00A0}الرياض") == bool(should(term("قمة")), should(term("الرياض"))))
  }

  @Test func emptyQueryIsAnEmptyBoolean() throws {
    #expect(try parse("") == .boolean(clauses: [], boost: 1))
    #expect(try parse("   \t\n\u{3000}") == .boolean(clauses: [], boost: 1))
    #expect(try parse("", .and) == .boolean(clauses: [], boost: 1))
  }

  @Test func lowerCaseOperatorWordsAreTerms() throws {
    #expect(
      try parse("rock and roll")
        == bool(should(term("rock")), should(term("and")), should(term("roll"))))
    #expect(try parse("or not") == bool(should(term("or")), should(term("not"))))
    #expect(
      try parse("ANDROID ORBIT NOTE")
        == bool(should(term("ANDROID")), should(term("ORBIT")), should(term("NOTE"))))
  }

  @Test func backslashEscapesSyntaxCharacters() throws {
    #expect(try parse(#"a\:b"#) == term("a:b"))
    #expect(try parse(#"\"quoted\""#) == term("\"quoted\""))
    #expect(try parse(#"\(1\+1\)"#) == term("(1+1)"))
    #expect(try parse(#"a\*"#) == term("a*"))
    #expect(try parse(#"a\~1"#) == term("a~1"))
    #expect(try parse(#"x\^2"#) == term("x^2"))
    #expect(try parse(#"back\\slash"#) == term("back\\slash"))
    #expect(try parse(#"\-minus \+plus"#) == bool(should(term("-minus")), should(term("+plus"))))
    #expect(try parse(#"two\ words"#) == term("two words"))
    #expect(try parse(#"\AND"#) == term("AND"))
    #expect(try parse(#"\ش"#) == term("ش"))
  }

  @Test func colonAfterNonASCIIWordIsText() throws {
    #expect(try parse("شويغو: روسيا") == bool(should(term("شويغو:")), should(term("روسيا"))))
    #expect(try parse("شويغو:روسيا") == term("شويغو:روسيا"))
    #expect(try parse("12:30") == term("12:30"))
    #expect(try parse(":x") == term(":x"))
    #expect(try parse("a,b:c") == term("a,b:c"))
    #expect(try parse("titleشويغو:") == term("titleشويغو:"))
  }

  @Test func phrases() throws {
    #expect(try parse(#""a b c""#) == phrase("a b c"))
    #expect(try parse(#""قمة الرياض""#) == phrase("قمة الرياض"))
    #expect(try parse(#"" spaced  out ""#) == phrase(" spaced  out "))
    #expect(try parse(#""a \"quoted\" word""#) == phrase(#"a "quoted" word"#))
    #expect(try parse(#""back\\slash""#) == phrase("back\\slash"))
    #expect(try parse(#""AND OR NOT (x) * ~ ^ : +""#) == phrase("AND OR NOT (x) * ~ ^ : +"))
    #expect(try parse(#""one""#) == phrase("one"))
  }

  @Test func sloppyPhrases() throws {
    #expect(try parse(#""a b"~2"#) == phrase("a b", slop: 2))
    #expect(try parse(#""a b"~0"#) == phrase("a b", slop: 0))
    #expect(try parse(#""a b"~100"#) == phrase("a b", slop: 100))
    #expect(try parse(#""a b"~3^2"#) == phrase("a b", slop: 3, boost: 2))
  }

  @Test func prefixes() throws {
    #expect(try parse("كتا*") == prefix("كتا"))
    #expect(try parse("comp*") == prefix("comp"))
    #expect(try parse("d*^2") == prefix("d", boost: 2))
    #expect(try parse(#"a\**"#) == prefix("a*"))
    #expect(try parse("a* b") == bool(should(prefix("a")), should(term("b"))))
  }

  @Test func fuzzyTerms() throws {
    #expect(try parse("color~") == fuzzy("color", edits: 2))
    #expect(try parse("color~0") == fuzzy("color", edits: 0))
    #expect(try parse("color~1") == fuzzy("color", edits: 1))
    #expect(try parse("color~2") == fuzzy("color", edits: 2))
    #expect(try parse("color~1^3") == fuzzy("color", edits: 1, boost: 3))
    #expect(try parse("color~^3") == fuzzy("color", edits: 2, boost: 3))
    #expect(try parse("روسيا~1") == fuzzy("روسيا", edits: 1))
  }

  @Test func boosts() throws {
    #expect(try parse("a^2") == term("a", boost: 2))
    #expect(try parse("a^1.5") == term("a", boost: 1.5))
    #expect(try parse("a^0.25") == term("a", boost: 0.25))
    #expect(try parse("a^.5") == term("a", boost: 0.5))
    #expect(try parse("a^2.") == term("a", boost: 2))
    #expect(try parse("a^1e3") == term("a", boost: 1000))
    #expect(try parse("a^1e-05") == term("a", boost: 1e-5))
    #expect(try parse("a^1E+2") == term("a", boost: 100))
    #expect(try parse("a^1") == term("a"))
    #expect(try parse(#""b c"^1.5"#) == phrase("b c", boost: 1.5))
    #expect(try parse("(a b)^3") == bool(should(term("a")), should(term("b")), boost: 3))
  }

  @Test func wordsEndAtSyntaxCharacters() throws {
    #expect(try parse("a(b)c") == bool(should(term("a")), should(term("b")), should(term("c"))))
    #expect(
      try parse(#"a"b c"d"#) == bool(should(term("a")), should(phrase("b c")), should(term("d"))))
  }
}
