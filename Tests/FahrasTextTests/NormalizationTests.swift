import Testing

@testable import FahrasText

@Suite("Normalization: case, diacritics, compatibility forms")
struct NormalizationTests {
  @Test("ASCII case folding")
  func asciiCase() {
    #expect(Support.lights("HELLO World mIxEd") == ["hello", "world", "mixed"])
  }

  @Test(
    "Latin diacritics are removed",
    arguments: [
      ("café", "cafe"), ("Ärger", "arger"), ("naïve", "naive"), ("ÀÉÎÕÜ", "aeiou"),
      ("Ñandú", "nandu"),
      ("Łódź", "lodz"), ("Straße", "strasse"), ("Æsir", "aesir"), ("Œuvre", "oeuvre"),
      ("Søren", "soren"), ("Þór", "thor"), ("İstanbul", "istanbul"), ("ıslak", "islak"),
      ("Đorđe", "dorde"), ("Nguyễn", "nguyen"), ("Ångström", "angstrom"), ("ǅemal", "dzemal"),
    ])
  func latinDiacritics(word: String, expected: String) {
    #expect(Support.light(word) == expected)
  }

  @Test("decomposed input equals precomposed input")
  func decomposed() {
    #expect(Support.light("cafe\u{0301}") == "cafe")
    #expect(Support.light("A\u{0308}rger") == "arger")
    #expect(Support.light("\u{0391}\u{0301}") == Support.light("Ά"))
  }

  @Test("every letter of Latin-1 and Latin Extended-A folds to lower-case ASCII")
  func latinTableComplete() {
    for value in UInt32(0x00C0)...0x017F {
      let scalar = Unicode.Scalar(value)!
      guard scalar.properties.isAlphabetic else { continue }
      let folded = Support.light(String(scalar))
      #expect(folded != nil, "U+\(String(value, radix: 16))")
      guard let folded else { continue }
      #expect(
        !folded.isEmpty && folded.utf8.allSatisfy { $0 >= 0x61 && $0 <= 0x7A },
        "U+\(String(value, radix: 16)) → \(folded)")
    }
  }

  @Test("other scripts: case folded and accents removed, not stemmed")
  func otherScripts() {
    #expect(Support.tokens("Москва").map(\.term) == ["москва"])
    #expect(Support.tokens("Ёлка").map(\.term) == ["елка"])
    #expect(Support.tokens("Αθήνα").map(\.term) == ["αθηνα"])
    #expect(Support.terms("ΟΔΟΣ") == Support.terms("οδος"))  // final sigma
    #expect(Support.terms("ὁδός") == ["οδοσ"])  // polytonic
    #expect(Support.terms("שָׁלוֹם") == ["שלום"])  // niqqud removed
    #expect(Support.terms("Կարեն") == ["կարեն"])
    // Stemming never applies outside Latin and Arabic.
    let russian = Support.tokens("книгами")
    #expect(russian.map(\.term) == russian.map(\.light))
  }

  @Test("full-width ASCII folds")
  func fullWidth() {
    #expect(Support.lights("ＦＵＬＬ") == ["full"])
    #expect(Support.terms("１２３") == ["123"])
    #expect(Support.terms("３．５") == ["3.5"])
    #expect(Support.lights("ｗｗｗ．ｓｐａ") == ["www", "spa"])
  }

  @Test("Latin ligatures and letterlike symbols fold")
  func ligatures() {
    #expect(Support.light("ﬁnance") == "finance")
    #expect(Support.light("ﬀ") == "ff")
    #expect(Support.light("\u{212A}elvin") == "kelvin")  // Kelvin sign
    #expect(Support.light("𝐁𝐨𝐥𝐝") == "bold")  // mathematical bold
  }

  @Test("every Nd digit becomes ASCII")
  func digits() {
    #expect(Support.terms("٠١٢٣٤٥٦٧٨٩") == ["0123456789"])
    #expect(Support.terms("۰۱۲۳۴۵۶۷۸۹") == ["0123456789"])
    #expect(Support.terms("०१२३") == ["0123"])
    #expect(Support.terms("٢٠٢٣") == ["2023"])
  }

  @Test("format characters inside words are removed")
  func formatCharacters() {
    #expect(Support.lights("co\u{00AD}operate") == ["cooperate"])  // soft hyphen
    #expect(Support.lights("ab\u{200E}cd") == ["abcd"])  // LRM
    #expect(Support.lights("\u{FEFF}start") == ["start"])  // BOM
  }
}
