import Foundation

/// Computes the `CharTable` entries from the Unicode properties of the standard library and Foundation's
/// normalization forms. Runs once per process; nothing here is on the hot path.
struct CharTableBuilder {
  var info = [UInt32](repeating: 0, count: CharTable.size)
  var foldBytes: [UInt8] = []
  /// Fold 0 is the identity and has no text.
  var foldStarts: [UInt32] = [0, 0]
  private var foldIndex: [[UInt8]: Int] = [:]

  mutating func build() {
    // Large uniform blocks are filled directly (they are a third of the table and need no property
    // lookups): unified CJK ideographs, Hangul syllables; private use stays a separator.
    let ideograph = ScalarInfo(kind: ScalarKind.letter, script: Script.cjk).raw
    let hangul = ScalarInfo(kind: ScalarKind.letter, script: Script.hangul).raw
    for value in 0..<UInt32(CharTable.size) {
      switch value {
      case 0x3400...0x4DBF, 0x4E00...0x9FFF:
        info[Int(value)] = ideograph
      case 0xAC00...0xD7A3:
        info[Int(value)] = hangul
      case 0xD800...0xF8FF:  // surrogates and private use: separators
        continue
      default:
        guard let scalar = Unicode.Scalar(value) else { continue }
        info[Int(value)] = classify(scalar).raw
      }
    }
  }

  // MARK: - Classification

  private mutating func classify(_ scalar: Unicode.Scalar) -> ScalarInfo {
    let value = scalar.value
    switch value {
    case 0x002E, 0x066B:  // . and the Arabic decimal separator ٫
      return ScalarInfo(kind: ScalarKind.decimalPoint, fold: addFold([0x2E]))
    case 0x0027, 0x2019:  // ' and ’
      return ScalarInfo(kind: ScalarKind.apostrophe, fold: addFold([0x27]))
    case 0x200B:  // zero-width space separates (it is a format character)
      return .separator
    case 0x0640, 0x07FA, 0x06E5, 0x06E6:  // tatweel, NKo lajanyalan, Quranic small waw and yeh
      return .ignorable
    default:
      break
    }
    if Self.isCompatibilityRange(value), let expansion = expansion(of: scalar) {
      return expansion
    }
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
      .letterNumber:
      let script = ScriptRanges.script(of: value)
      return ScalarInfo(kind: ScalarKind.letter, script: script, fold: letterFold(scalar, script))
    case .decimalNumber:
      guard let number = scalar.properties.numericValue, number >= 0, number <= 9 else {
        return ScalarInfo(kind: ScalarKind.digit)
      }
      let ascii = 0x30 + UInt8(number)
      return ScalarInfo(kind: ScalarKind.digit, fold: value == UInt32(ascii) ? 0 : addFold([ascii]))
    case .nonspacingMark, .spacingMark, .enclosingMark:
      return Self.isRemovedMark(scalar) ? .ignorable : ScalarInfo(kind: ScalarKind.mark)
    case .format:
      return .ignorable
    default:
      return .separator
    }
  }

  /// Combining marks the analyzer removes: generic diacritics (so `é` = `e`, `ά` = `α`), every mark of
  /// the Arabic, Hebrew and Syriac scripts (vowel points and cantillation), variation selectors.
  /// Marks that spell letters (Indic vowel signs, Thai, nukta) are kept.
  static func isRemovedMark(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .spacingMark, .enclosingMark: break
    default: return false
    }
    let value = scalar.value
    switch value {
    case 0x0300...0x036F, 0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0x20D0...0x20FF, 0xFE20...0xFE2F,
      0xFE00...0xFE0F, 0xE0100...0xE01EF:
      return true
    default:
      let script = ScriptRanges.script(of: value)
      return script == Script.arabic || script == Script.hebrew || script == Script.syriac
    }
  }

  /// Whether `value` is in a block of compatibility characters that the analyzer folds with NFKC:
  /// alphabetic presentation forms (ﬁ, Hebrew, Armenian), Arabic presentation forms A and B (including
  /// the lam-alef ligatures), half-width and full-width forms, mathematical alphanumerics.
  static func isCompatibilityRange(_ value: UInt32) -> Bool {
    (value >= 0xFB00 && value <= 0xFFEF) || (value >= 0x1D400 && value <= 0x1D7FF)
      || (value >= 0x1EE00 && value <= 0x1EEFF)
  }

  private mutating func expansion(of scalar: Unicode.Scalar) -> ScalarInfo? {
    let expanded = String(scalar).precomposedStringWithCompatibilityMapping
    let scalars = Array(expanded.unicodeScalars)
    if scalars.isEmpty || (scalars.count == 1 && scalars[0] == scalar) { return nil }
    // An expansion is fed back once; it must not contain further expansions.
    for inner in scalars where Self.isCompatibilityRange(inner.value) {
      if String(inner).precomposedStringWithCompatibilityMapping != String(inner) { return nil }
    }
    let kind =
      scalars.contains(" ") ? ScalarKind.phraseExpansion : ScalarKind.expansion
    return ScalarInfo(kind: kind, fold: addFold(Array(expanded.utf8)))
  }

  // MARK: - Letter folds

  /// Whether canonical decomposition applies to letters at `value`: alphabets with precomposed
  /// diacritic letters (Latin, Greek, Cyrillic, Indic nukta forms, kana voicing, letterlike symbols such
  /// as K Å Ω, CJK compatibility ideographs). Not Arabic (its own normalizer) and not Hangul syllables.
  private static func decomposes(_ value: UInt32) -> Bool {
    if value >= 0x0600 && value <= 0x08FF { return false }
    return value < 0x3100 || (value >= 0xF900 && value <= 0xFAFF)
  }

  private mutating func letterFold(_ scalar: Unicode.Scalar, _ script: UInt8) -> Int {
    if script == Script.arabic {
      guard let target = ArabicNormalization.fold(scalar.value), let folded = Unicode.Scalar(target)
      else { return 0 }
      return addFold(Array(String(folded).utf8))
    }
    let pieces: [Unicode.Scalar] =
      Self.decomposes(scalar.value)
      ? Array(String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars) : [scalar]
    var out = ""
    for piece in pieces where !Self.isRemovedMark(piece) {
      let lowered =
        piece.properties.changesWhenLowercased
        ? Array(piece.properties.lowercaseMapping.unicodeScalars) : [piece]
      for letter in lowered where !Self.isRemovedMark(letter) {
        if let special = LatinFolding.specials[letter.value] {
          out += special
        } else {
          out.unicodeScalars.append(letter)
        }
      }
    }
    if out.isEmpty || out == String(scalar) { return 0 }
    return addFold(Array(out.utf8))
  }

  private mutating func addFold(_ bytes: [UInt8]) -> Int {
    if let existing = foldIndex[bytes] { return existing }
    let index = foldStarts.count - 1
    foldBytes.append(contentsOf: bytes)
    foldStarts.append(UInt32(foldBytes.count))
    foldIndex[bytes] = index
    return index
  }
}
