/// Maps code points to the coarse `Script` identifiers. Used only while `CharTable` is built.
enum ScriptRanges {
  /// Named ranges, sorted by lower bound. Ranges not listed fall back to a block-derived identifier.
  private static let ranges: [(lower: UInt32, upper: UInt32, script: UInt8)] = [
    (0x0041, 0x005A, Script.latin), (0x0061, 0x007A, Script.latin),
    (0x00AA, 0x00AA, Script.latin), (0x00B5, 0x00B5, Script.greek),
    (0x00BA, 0x00BA, Script.latin), (0x00C0, 0x02FF, Script.latin),
    (0x0370, 0x03FF, Script.greek), (0x0400, 0x052F, Script.cyrillic),
    (0x0530, 0x058F, Script.armenian), (0x0590, 0x05FF, Script.hebrew),
    (0x0600, 0x06FF, Script.arabic), (0x0700, 0x074F, Script.syriac),
    (0x0750, 0x077F, Script.arabic), (0x0780, 0x07BF, Script.thaana),
    (0x07C0, 0x07FF, Script.nko), (0x0800, 0x083F, Script.samaritan),
    (0x0840, 0x085F, Script.mandaic), (0x0860, 0x086F, Script.syriac),
    (0x0870, 0x08FF, Script.arabic),
    // 0x0900…0x0DFF: Indic blocks, handled arithmetically below.
    (0x0E00, 0x0E7F, Script.thai), (0x0E80, 0x0EFF, Script.lao),
    (0x0F00, 0x0FFF, Script.tibetan), (0x1000, 0x109F, Script.myanmar),
    (0x10A0, 0x10FF, Script.georgian), (0x1100, 0x11FF, Script.hangul),
    (0x1200, 0x139F, Script.ethiopic), (0x13A0, 0x13FF, Script.cherokee),
    (0x1400, 0x167F, Script.canadian), (0x1680, 0x169F, Script.ogham),
    (0x16A0, 0x16FF, Script.runic), (0x1780, 0x17FF, Script.khmer),
    (0x1800, 0x18AF, Script.mongolian), (0x18B0, 0x18FF, Script.canadian),
    (0x19E0, 0x19FF, Script.khmer), (0x1C80, 0x1C8F, Script.cyrillic),
    (0x1C90, 0x1CBF, Script.georgian), (0x1CD0, 0x1CFF, Script.devanagari),
    (0x1D00, 0x1DBF, Script.latin), (0x1E00, 0x1EFF, Script.latin),
    (0x1F00, 0x1FFF, Script.greek), (0x2071, 0x2071, Script.latin),
    (0x207F, 0x207F, Script.latin), (0x2090, 0x209C, Script.latin),
    (0x2126, 0x2126, Script.greek), (0x212A, 0x212B, Script.latin),
    (0x2132, 0x2132, Script.latin), (0x214E, 0x214E, Script.latin),
    (0x2160, 0x2188, Script.latin), (0x2C60, 0x2C7F, Script.latin),
    (0x2D00, 0x2D2F, Script.georgian), (0x2D80, 0x2DDF, Script.ethiopic),
    (0x2DE0, 0x2DFF, Script.cyrillic), (0x2E80, 0x2FDF, Script.cjk),
    (0x3005, 0x3007, Script.cjk), (0x3021, 0x3029, Script.cjk),
    (0x3031, 0x3035, Script.cjk), (0x3038, 0x303C, Script.cjk),
    (0x3040, 0x30FF, Script.cjk), (0x3100, 0x312F, Script.cjk),
    (0x3130, 0x318F, Script.hangul), (0x31A0, 0x31BF, Script.cjk),
    (0x31F0, 0x31FF, Script.cjk), (0x3400, 0x4DBF, Script.cjk),
    (0x4E00, 0x9FFF, Script.cjk), (0xA640, 0xA69F, Script.cyrillic),
    (0xA720, 0xA7FF, Script.latin), (0xA8E0, 0xA8FF, Script.devanagari),
    (0xA960, 0xA97F, Script.hangul), (0xA9E0, 0xA9FF, Script.myanmar),
    (0xAA60, 0xAA7F, Script.myanmar), (0xAB00, 0xAB2F, Script.ethiopic),
    (0xAB30, 0xAB64, Script.latin), (0xAB65, 0xAB65, Script.greek),
    (0xAB66, 0xAB6F, Script.latin), (0xAB70, 0xABBF, Script.cherokee),
    (0xAC00, 0xD7FF, Script.hangul), (0xF900, 0xFAFF, Script.cjk),
    (0xFB00, 0xFB06, Script.latin), (0xFB13, 0xFB17, Script.armenian),
    (0xFB1D, 0xFB4F, Script.hebrew), (0xFB50, 0xFDFF, Script.arabic),
    (0xFE70, 0xFEFF, Script.arabic), (0xFF21, 0xFF3A, Script.latin),
    (0xFF41, 0xFF5A, Script.latin), (0xFF66, 0xFF9F, Script.cjk),
    (0xFFA0, 0xFFDC, Script.hangul), (0x10140, 0x1018F, Script.greek),
    (0x10780, 0x107BF, Script.latin), (0x10E60, 0x10E7F, Script.arabic),
    (0x16FE0, 0x16FFF, Script.cjk), (0x1AFF0, 0x1B2FF, Script.cjk),
    (0x1D200, 0x1D24F, Script.greek), (0x1DF00, 0x1DFFF, Script.latin),
    (0x1E030, 0x1E08F, Script.cyrillic), (0x1EC70, 0x1ECBF, Script.arabic),
    (0x1ED00, 0x1ED4F, Script.arabic), (0x1EE00, 0x1EEFF, Script.arabic),
    (0x20000, 0x3FFFF, Script.cjk),
  ]

  /// The script identifier of `scalar`.
  ///
  /// - Complexity: O(log r) for r listed ranges.
  static func script(of scalar: UInt32) -> UInt8 {
    if scalar >= 0x0900 && scalar <= 0x0DFF {
      return Script.devanagari + UInt8((scalar - 0x0900) >> 7)
    }
    var low = 0
    var high = ranges.count - 1
    while low <= high {
      let middle = (low + high) / 2
      let range = ranges[middle]
      if scalar < range.lower {
        high = middle - 1
      } else if scalar > range.upper {
        low = middle + 1
      } else {
        return range.script
      }
    }
    // Unlisted block: an identifier derived from the 256-code-point block, above the named ones.
    return 64 + UInt8(truncatingIfNeeded: (scalar >> 8) % 190)
  }
}
