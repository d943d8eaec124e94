/// What the tokenizer does with one Unicode scalar.
///
/// Stored in the low 4 bits of a `CharTable` entry.
enum ScalarKind {
  /// Ends the current word (spaces, punctuation, symbols, unassigned code points, invalid bytes).
  static let separator: UInt32 = 0
  /// A letter (general categories L* and Nl). Carries a script; may carry a fold.
  static let letter: UInt32 = 1
  /// A decimal digit (Nd) of any script; its fold is the ASCII digit.
  static let digit: UInt32 = 2
  /// A combining mark that is kept (Devanagari vowel signs, Thai marks, nukta…). Script-neutral.
  static let mark: UInt32 = 3
  /// Joins a word but produces no output: harakat, tatweel, Hebrew points, generic combining diacritics,
  /// zero-width (non-)joiners, bidi and other format characters, variation selectors.
  static let ignorable: UInt32 = 4
  /// A compatibility character (presentation form, ligature, full-width form) whose NFKC expansion is
  /// fed to the tokenizer in its place. The fold holds the expansion in UTF-8.
  static let expansion: UInt32 = 5
  /// Like `expansion`, but the expansion contains spaces (ﷺ, ﷻ): it is tokenized as a separate phrase.
  static let phraseExpansion: UInt32 = 6
  /// `.` or the Arabic decimal separator `٫`: part of a number between two digits, else a separator.
  static let decimalPoint: UInt32 = 7
  /// `'` or `’`: part of a word between two Latin letters, else a separator.
  static let apostrophe: UInt32 = 8
}

/// Coarse script identifiers used to route tokens and to split words at script changes.
///
/// Values above `mongolian` are derived from the code point block and only serve to tell scripts apart.
enum Script {
  /// No letter seen yet (digits and marks are script-neutral).
  static let none: UInt8 = 0
  static let latin: UInt8 = 1
  static let arabic: UInt8 = 2
  /// Han ideographs, kana, bopomofo: one token per character.
  static let cjk: UInt8 = 3
  static let hangul: UInt8 = 4
  static let greek: UInt8 = 5
  static let cyrillic: UInt8 = 6
  static let armenian: UInt8 = 7
  static let hebrew: UInt8 = 8
  static let syriac: UInt8 = 9
  static let thaana: UInt8 = 10
  static let nko: UInt8 = 11
  static let samaritan: UInt8 = 12
  static let mandaic: UInt8 = 13
  /// Devanagari; the nine Indic blocks that follow it (U+0980…U+0DFF) take 15…23 in block order.
  static let devanagari: UInt8 = 14
  static let thai: UInt8 = 24
  static let lao: UInt8 = 25
  static let tibetan: UInt8 = 26
  static let myanmar: UInt8 = 27
  static let georgian: UInt8 = 28
  static let ethiopic: UInt8 = 29
  static let cherokee: UInt8 = 30
  static let canadian: UInt8 = 31
  static let ogham: UInt8 = 32
  static let runic: UInt8 = 33
  static let khmer: UInt8 = 35
  static let mongolian: UInt8 = 36
}

/// One packed `CharTable` entry: bits 0–3 kind, bits 4–11 script, bits 12–31 fold index (0 = identity).
struct ScalarInfo {
  var raw: UInt32

  @inline(__always) init(raw: UInt32) { self.raw = raw }

  @inline(__always) init(kind: UInt32, script: UInt8 = Script.none, fold: Int = 0) {
    raw = kind | UInt32(script) << 4 | UInt32(fold) << 12
  }

  @inline(__always) var kind: UInt32 { raw & 0xF }
  @inline(__always) var script: UInt8 { UInt8(truncatingIfNeeded: raw >> 4) }
  /// Index into the table's fold storage; 0 means "output the scalar unchanged".
  @inline(__always) var fold: Int { Int(raw >> 12) }

  static let separator = ScalarInfo(kind: ScalarKind.separator)
  static let ignorable = ScalarInfo(kind: ScalarKind.ignorable)
}
