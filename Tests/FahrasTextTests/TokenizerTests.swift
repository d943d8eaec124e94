import Testing

@testable import FahrasText

@Suite("Tokenizer: word boundaries")
struct TokenizerTests {
  @Test("number ranges split at the hyphen")
  func numberRanges() {
    #expect(Support.terms("1950-1953") == ["1950", "1953"])
    #expect(Support.terms("25-27") == ["25", "27"])
    #expect(Support.terms("من 25-27 يوليو").suffix(3) == ["25", "27", "يوليو"])
  }

  @Test("a dot between digits stays in the number; elsewhere it splits")
  func decimalPoint() {
    #expect(Support.terms("3.5") == ["3.5"])
    #expect(Support.terms("٣٫٥") == ["3.5"])
    #expect(Support.terms("192.168.0.1") == ["192.168.0.1"])
    #expect(Support.terms("3. 5") == ["3", "5"])
    #expect(Support.terms("end.") == ["end"])
    #expect(Support.terms(".5") == ["5"])
    #expect(Support.terms("3.") == ["3"])
    #expect(Support.terms("a.b") == ["a", "b"])
  }

  @Test("commas and the Arabic thousands separator split numbers")
  func thousands() {
    #expect(Support.terms("1,000") == ["1", "000"])
    #expect(Support.terms("١٬٠٠٠") == ["1", "000"])
  }

  @Test("URLs and e-mail addresses split at punctuation")
  func urlsAndEmail() {
    #expect(Support.lights("www.spa.gov.sa") == ["www", "spa", "gov", "sa"])
    #expect(Support.lights("info@spa.gov.sa") == ["info", "spa", "gov", "sa"])
    #expect(
      Support.lights("https://www.spa.gov.sa/ar/news?id=12")
        == ["https", "www", "spa", "gov", "sa", "ar", "news", "id", "12"])
  }

  @Test("apostrophes between Latin letters stay in the word")
  func apostrophes() {
    #expect(Support.lights("don't") == ["don't"])
    #expect(Support.lights("don\u{2019}t") == ["don't"])
    #expect(Support.lights("'quoted'") == ["quoted"])
    #expect(Support.lights("rock 'n' roll") == ["rock", "n", "roll"])
    #expect(Support.lights("students' books") == ["students", "books"])
    #expect(Support.lights("l'homme") == ["l'homme"])
    // The possessive is Porter2's business in the stem, and dropped from the light form, so that
    // `john` meets `John's` in both fields.
    #expect(Support.terms("John's") == ["john"])
    #expect(
      Support.lights("John's O'Brien\u{2019}s isn't s's") == ["john", "o'brien", "isn't", "s"])
    #expect(Support.terms("O'Brien's") == Support.terms("O'Brien"))
    // Not between Latin letters: splits.
    #expect(Support.lights("كوريا'روسيا") == ["كوريا", "روسيا"])
  }

  @Test("Arabic punctuation splits", arguments: ["،", "؛", "؟", "«", "»", "٪", "۔", "٭", "٬"])
  func arabicPunctuation(mark: String) {
    #expect(Support.terms("كوريا\(mark)روسيا") == ["كوريا", "روسيا"])
  }

  @Test(
    "ASCII and general punctuation split",
    arguments: [
      ",", ";", ":", "!", "?", "(", ")", "[", "]", "{", "}", "\"", "/", "\\", "-", "_", "@", "#",
      "&",
      "*", "+", "=", "<", ">", "|", "~", "^", "%", "$", "\u{2014}", "\u{2026}", "\u{201C}",
      "\u{00A0}",
      "\u{3000}", "\u{200B}", "\u{1F600}",
    ])
  func asciiPunctuation(mark: String) {
    #expect(Support.lights("alpha\(mark)beta") == ["alpha", "beta"])
  }

  @Test("harakat, tatweel, combining hamza and zero-width joiners do not split")
  func nonSplitting() {
    // (After و or ي a combining hamza spells ؤ or ئ; see ArabicNormalizationTests.)
    for inner in [
      "\u{064B}", "\u{064C}", "\u{064D}", "\u{064E}", "\u{064F}", "\u{0650}", "\u{0651}",
      "\u{0652}",
      "\u{0670}", "\u{0640}", "\u{0653}", "\u{0654}", "\u{0655}", "\u{200C}", "\u{200D}",
    ] {
      let result = Support.tokens("كور\(inner)يا")
      #expect(result.count == 1, "U+\(String(inner.unicodeScalars.first!.value, radix: 16))")
      #expect(result.first?.term == "كوريا")
    }
  }

  @Test("CJK ideographs and kana give one token per character")
  func cjk() {
    #expect(Support.terms("東京タワー") == ["東", "京", "タ", "ワ", "ー"])
    #expect(Support.terms("日本語abc") == ["日", "本", "語", "abc"])
    #expect(Support.terms("2023年") == ["2023", "年"])
    #expect(Support.terms("ひらがな") == ["ひ", "ら", "が", "な"])
    // A decomposed voiced kana stays one token and equals the precomposed one.
    #expect(Support.terms("か\u{3099}") == Support.terms("が"))
    // Half-width katakana fold to full-width.
    #expect(Support.terms("ｶﾀｶﾅ") == ["カ", "タ", "カ", "ナ"])
  }

  @Test("Hangul, Thai and other scripts form words")
  func otherScripts() {
    #expect(Support.terms("한국어 문장") == ["한국어", "문장"])
    #expect(Support.terms("ภาษาไทย") == ["ภาษาไทย"])
    #expect(Support.terms("हिन्दी भाषा") == ["हिन्दी", "भाषा"])
  }

  @Test("positions count words; stopwords keep theirs")
  func positions() {
    let result = Support.tokens("the cat and the hat")
    #expect(result.map(\.position) == [0, 1, 2, 3, 4])
    #expect(result.map(\.isStopword) == [true, false, true, true, false])
    let arabic = Support.tokens("ذهب الوزير إلى الرياض")
    #expect(arabic.map(\.position) == [0, 1, 2, 3])
    #expect(arabic.map(\.isStopword) == [false, false, true, false])
  }

  @Test("words of removed characters only are no tokens and take no position")
  func emptyWords() {
    #expect(Support.tokens("\u{064E} \u{0640}\u{0640} \u{200D}").isEmpty)
    let result = Support.tokens("قال \u{0651} كوريا")
    #expect(result.map(\.term) == ["قال", "كوريا"])
    #expect(result.map(\.position) == [0, 1])
  }

  @Test("tokens longer than 255 bytes are skipped but keep a position")
  func longTokens() {
    let long = String(repeating: "a", count: 300)
    let result = Support.tokens("first \(long) last")
    #expect(result.map(\.light) == ["first", "last"])
    #expect(result.map(\.position) == [0, 2])
    let arabicLong = String(repeating: "ب", count: 200)
    #expect(Support.tokens("\(arabicLong) كوريا").map(\.position) == [1])
    // Exactly 255 bytes is kept.
    let edge = String(repeating: "x", count: 255)
    #expect(Support.lights(edge) == [edge])
    #expect(Support.lights(edge + "x").isEmpty)
  }

  @Test("empty and separator-only input")
  func emptyInput() {
    #expect(Support.tokens("").isEmpty)
    #expect(Support.tokens("  ،. \n\t!!").isEmpty)
  }

  @Test("invalid UTF-8 bytes separate words and never trap")
  func invalidUTF8() {
    let bytes: [UInt8] = [0x61, 0x62, 0xFF, 0x63, 0xC3, 0x28, 0x64, 0xED, 0xA0, 0x80, 0x65, 0xD9]
    let result = Support.byteTokens(bytes)
    #expect(result.map(\.term) == ["ab", "c", "d", "e"])
    #expect(result.map(\.startByte) == [0, 3, 6, 10])
    // A truncated Arabic letter at the end.
    #expect(Support.byteTokens(Array("كوريا".utf8) + [0xD9]).map(\.term) == ["كوريا"])
    // Overlong encoding of "/" and a code point above U+10FFFF.
    #expect(
      Support.byteTokens([0x61, 0xC0, 0xAF, 0x62, 0xF4, 0x90, 0x80, 0x80]).map(\.term) == [
        "a", "b",
      ])
  }
}
