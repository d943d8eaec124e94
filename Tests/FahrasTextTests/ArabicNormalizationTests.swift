import Testing

@testable import FahrasText

@Suite("Arabic normalization")
struct ArabicNormalizationTests {
  @Test(
    "letter folds (golden)",
    arguments: [
      ("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ة", "ه"), ("ی", "ي"),
      ("ے", "ي"),
      ("ک", "ك"), ("ۀ", "ه"), ("ہ", "ه"), ("ە", "ه"), ("ھ", "ه"), ("ؤ", "ء"), ("ئ", "ء"),
      ("٠١٢٣٤٥٦٧٨٩", "0123456789"), ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),
    ])
  func letterFolds(input: String, expected: String) {
    #expect(Support.normalized(input) == expected)
  }

  @Test(
    "removed: harakat, superscript alef, combining hamza, tatweel, zero-width joiners",
    arguments: Array(UInt32(0x064B)...0x0652) + [
      0x0670, 0x0653, 0x0654, 0x0655, 0x0640, 0x200C, 0x200D,
    ])
  func removed(value: UInt32) {
    let mark = Support.string(value)
    #expect(Support.term("كتاب\(mark)ها") == Support.term("كتابها"))
    #expect(Support.light("مدر\(mark)سة") == "مدرسه")
  }

  @Test(
    "spelling variants conflate",
    arguments: [
      ("مسؤول", "مسئول"), ("شؤون", "شئون"), ("مسؤولية", "مسئولية"), ("أحمد", "احمد"),
      ("إسلام", "اسلام"),
      ("آخر", "اخر"), ("ٱلله", "الله"), ("مستشفى", "مستشفي"), ("مدرسة", "مدرسه"),
      ("تعزيز", "تعزیز"),
      ("كتاب", "کتاب"), ("فارسی", "فارسي"), ("خانۀ", "خانه"), ("رئيس", "رءيس"),
      ("مسؤول", "مسو\u{0654}ول"),
      ("رئيس", "ري\u{0654}يس"), ("أحمد", "ا\u{0654}حمد"), ("آخر", "ا\u{0653}خر"),
      ("إسلام", "ا\u{0655}سلام"),
      ("مُحَمَّدٌ", "محمد"), ("كـــتـــاب", "كتاب"), ("قرآن", "قران"), ("هيئة", "هيئه"),
    ])
  func variantsConflate(first: String, second: String) {
    let a = Support.tokens(first)
    let b = Support.tokens(second)
    #expect(a.count == 1 && b.count == 1)
    #expect(a.map(\.term) == b.map(\.term))
    #expect(a.map(\.light) == b.map(\.light))
  }

  @Test("hamza carriers fold to the bare hamza")
  func hamzaTarget() {
    #expect(Support.light("مسؤول") == "مسءول")
    #expect(Support.light("مسئول") == "مسءول")
    #expect(Support.light("شؤون") == "شءون")
  }

  @Test("presentation forms and ligatures fold to the letters")
  func presentationForms() {
    #expect(Support.normalized("\u{FEFB}") == "لا")  // ﻻ
    #expect(Support.terms("\u{FEFB}") == ["لا"])
    #expect(Support.terms("\u{FEF7}") == ["لا"])  // ﻷ lam-alef with hamza above
    // السلام written in isolated/initial/medial/final presentation forms.
    let presentation = Support.string(0xFE8D, 0xFEDF, 0xFEB4, 0xFEFC, 0xFEE1)
    #expect(Support.tokens(presentation).map(\.term) == Support.tokens("السلام").map(\.term))
    #expect(Support.tokens(presentation).map(\.light) == ["سلام"])
    // ؤ as a presentation form is the carrier, not a bare waw.
    #expect(Support.light("مس\u{FE86}ول") == "مسءول")
    // A word ligature with spaces is its own phrase: ﷺ → صلى الله عليه وسلم
    let phrase = Support.tokens("محمد\u{FDFA}")
    #expect(phrase.map(\.light) == ["محمد", "صلي", "له", "عليه", "سلم"])
  }

  @Test("zero-width non-joiner inside a Persian word neither splits nor stays")
  func persianZWNJ() {
    #expect(Support.tokens("می\u{200C}خواهم").map(\.light) == ["ميخواهم"])
    #expect(
      Support.tokens("می\u{200C}خواهم").map(\.endByte) == [Array("می\u{200C}خواهم".utf8).count])
  }

  @Test("a combining hamza after harakat still composes with its carrier")
  func hamzaAfterHarakat() {
    #expect(Support.light("مسو\u{064F}\u{0654}ول") == "مسءول")
    #expect(Support.light("ا\u{064E}\u{0654}حمد") == "احمد")
  }

  @Test("word ligatures without spaces fold in place")
  func wordLigature() {
    #expect(Support.tokens("\u{FDF2}").map(\.term) == Support.tokens("الله").map(\.term))
    #expect(Support.tokens("\u{FDF2}").map(\.light) == ["له"])
  }

  @Test("Arabic-Indic digits and the decimal separator")
  func digits() {
    #expect(Support.terms("٢٠٢٣") == ["2023"])
    #expect(Support.terms("۲۰۲۳") == ["2023"])
    #expect(Support.terms("٣٫٥") == ["3.5"])
  }

  @Test("digits and Arabic letters split")
  func digitsAndLetters() {
    #expect(Support.terms("٢٠٢٣م") == ["2023", "م"])
    #expect(Support.terms("1436هـ") == ["1436", "ه"])
    #expect(Support.terms("م2023") == ["م", "2023"])
  }
}
