import Testing

@testable import FahrasText

@Suite("Offsets slice the original text")
struct OffsetTests {
  /// Checks that byte and scalar offsets of every token slice the same original text, and returns
  /// the slices.
  private func slices(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String]
  {
    Support.tokens(text).map { token in
      let bytes = Support.byteSlice(text, token)
      let scalars = Support.scalarSlice(text, token)
      #expect(bytes == scalars, "\(token)", sourceLocation: sourceLocation)
      return bytes
    }
  }

  @Test("plain ASCII and Arabic")
  func plain() {
    #expect(slices("Hello, world! كوريا الشمالية") == ["Hello", "world", "كوريا", "الشمالية"])
  }

  @Test("harakat and tatweel are inside the token's range")
  func harakat() {
    let text = "كُورِيَا كـــوريا، مُحَمَّدٌ."
    #expect(slices(text) == ["كُورِيَا", "كـــوريا", "مُحَمَّدٌ"])
    // Leading marks are not part of a token.
    #expect(slices("\u{064E}كوريا") == ["كوريا"])
  }

  @Test("presentation forms keep their own range")
  func presentationForms() {
    let presentation = Support.string(0xFE8D, 0xFEDF, 0xFEB4, 0xFEFC, 0xFEE1)
    let text = "قال \(presentation) \u{FEFB}"
    #expect(slices(text) == ["قال", presentation, "\u{FEFB}"])
    let tokens = Support.tokens(text)
    #expect(tokens.map(\.startScalar) == [0, 4, 10])
    #expect(tokens.map(\.endScalar) == [3, 9, 11])
  }

  @Test("phrase ligatures: every token covers the ligature")
  func phraseLigature() {
    let text = "محمد \u{FDFA} قال"
    let result = Support.tokens(text)
    #expect(result.count == 6)
    for token in result[1...4] {
      #expect(Support.byteSlice(text, token) == "\u{FDFA}")
    }
    #expect(result.map(\.position) == Array(0..<6))
  }

  @Test("scalar and byte offsets with multi-byte scripts, emoji and combining marks")
  func mixed() {
    let text = "👋 café e\u{0301}t\u{00E9} 東京 Ünïcödé ١٢٣ don’t"
    #expect(slices(text) == ["café", "e\u{0301}t\u{00E9}", "東", "京", "Ünïcödé", "١٢٣", "don’t"])
    let tokens = Support.tokens(text)
    #expect(tokens.first?.startScalar == 2)
    #expect(tokens.first?.startByte == 5)
  }

  @Test("split at a script change leaves adjacent ranges")
  func scriptSplit() {
    #expect(slices("Fahrasفهرس2023") == ["Fahras", "فهرس", "2023"])
  }
}
