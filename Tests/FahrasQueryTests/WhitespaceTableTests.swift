import Testing

@testable import FahrasQuery

/// The parser's white-space table must agree with Unicode's `White_Space` property everywhere.
@Suite struct WhitespaceTableTests {
  @Test("isWhitespace equals Unicode.Scalar.Properties.isWhitespace for every scalar")
  func agreesWithTheStandardLibrary() {
    var mismatches: [UInt32] = []
    for v in UInt32(0)...0x10FFFF {
      guard let scalar = Unicode.Scalar(v) else { continue }
      if QuerySyntax.isWhitespace(scalar) != scalar.properties.isWhitespace { mismatches.append(v) }
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(10).map { String($0, radix: 16) })")
  }

  @Test("non-ASCII spaces separate words")
  func nonASCIISpacesSeparate() throws {
    for space in ["\u{A0}", "\u{2003}", "\u{3000}", "\u{202F}"] {
      let node = try QueryParser().parse("a\(space)b")
      #expect(
        node == (try QueryParser().parse("a b")),
        "U+\(String(space.unicodeScalars.first!.value, radix: 16))")
    }
  }
}
