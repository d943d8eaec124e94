/// Letter folds of the Arabic chain: Lucene's ArabicNormalizer and PersianNormalizer, plus hamza
/// carriers, Urdu letters and alef variants.
///
/// Marks (harakat U+064B–U+065F, superscript alef U+0670, combining hamza U+0653–U+0655, Quranic
/// annotations), tatweel U+0640 and zero-width characters are not letters: `CharTable` classifies them
/// as ignorable, so they never reach this map. Arabic-Indic digits are decimal digits and fold to ASCII
/// through the generic digit rule.
enum ArabicNormalization {
  static let alef: UInt32 = 0x0627
  static let yeh: UInt32 = 0x064A
  static let heh: UInt32 = 0x0647
  static let kaf: UInt32 = 0x0643
  static let hamza: UInt32 = 0x0621
  static let waw: UInt32 = 0x0648
  static let alefMaksura: UInt32 = 0x0649
  static let farsiYeh: UInt32 = 0x06CC

  /// The normalized form of an Arabic-script letter, or nil when it stays as it is.
  ///
  /// - `أ إ آ ٱ ٲ ٳ ٵ` → `ا`
  /// - `ى ی ے ۓ` → `ي` (alef maksura, Persian yeh, Urdu yeh barree)
  /// - `ة ۀ ہ ۂ ۃ ە ھ` → `ه` (teh marbuta, Persian/Urdu heh forms)
  /// - `ک ڪ` → `ك` (Persian keheh, swash kaf)
  /// - `ؤ ئ` → `ء`: the hamza carriers fold to the bare hamza so that `مسؤول` = `مسئول`, `شؤون` =
  ///   `شئون` (the carrier is a spelling convention; the hamza is the phoneme).
  static func fold(_ scalar: UInt32) -> UInt32? {
    switch scalar {
    case 0x0622, 0x0623, 0x0625, 0x0671, 0x0672, 0x0673, 0x0675: return alef
    case alefMaksura, farsiYeh, 0x06D2, 0x06D3: return yeh
    case 0x0629, 0x06C0, 0x06C1, 0x06C2, 0x06C3, 0x06D5, 0x06BE: return heh
    case 0x06A9, 0x06AA: return kaf
    case 0x0624, 0x0626: return hamza
    default: return nil
    }
  }

  /// Whether a combining hamza above (U+0654) after `letter` spells a hamza carrier (`و` + ٔ = `ؤ`,
  /// `ي ى ی` + ٔ = `ئ`), so the letter must become `ء` like the precomposed carrier.
  @inline(__always)
  static func takesCombiningHamza(_ letter: UInt32) -> Bool {
    letter == waw || letter == yeh || letter == alefMaksura || letter == farsiYeh
  }
}
