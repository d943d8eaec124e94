/// Letter folds that canonical decomposition does not provide: Latin letters that are not "base letter +
/// diacritic" in Unicode but are commonly typed as ASCII (as Lucene's ASCIIFoldingFilter folds them),
/// and the Greek case-folding specials.
///
/// Applied to the lower-cased scalars while `CharTable` is built; the result is a table lookup.
enum LatinFolding {
  /// Lower-case scalar → replacement text.
  static let specials: [UInt32: String] = [
    0x00DF: "ss",  // ß
    0x00E6: "ae",  // æ
    0x00F0: "d",  // ð
    0x00F8: "o",  // ø
    0x00FE: "th",  // þ
    0x0111: "d",  // đ
    0x0127: "h",  // ħ
    0x0131: "i",  // ı dotless i
    0x0133: "ij",  // ĳ
    0x0138: "k",  // ĸ
    0x0140: "l",  // ŀ
    0x0142: "l",  // ł
    0x0149: "n",  // ŉ
    0x014B: "n",  // ŋ
    0x0153: "oe",  // œ
    0x0167: "t",  // ŧ
    0x017F: "s",  // ſ long s
    0x0180: "b",  // ƀ
    0x0183: "b",  // ƃ
    0x0188: "c",  // ƈ
    0x0192: "f",  // ƒ
    0x0199: "k",  // ƙ
    0x019A: "l",  // ƚ
    0x01B4: "y",  // ƴ
    0x01B6: "z",  // ƶ
    0x01C6: "dz",  // ǆ
    0x01C9: "lj",  // ǉ
    0x01CC: "nj",  // ǌ
    0x01E5: "g",  // ǥ
    0x01F3: "dz",  // ǳ
    0x0253: "b",  // ɓ
    0x0257: "d",  // ɗ
    0x0268: "i",  // ɨ
    0x1E9E: "ss",  // ẞ (when a lower-case mapping is missing)
    0x03C2: "σ",  // final sigma → sigma (case folding)
    0x00B5: "μ",  // micro sign → mu (case folding)
    0x03D0: "β", 0x03D1: "θ", 0x03D5: "φ", 0x03D6: "π", 0x03F0: "κ", 0x03F1: "ρ", 0x03F5: "ε",
  ]
}
