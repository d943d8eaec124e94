/// Larkey's light10 Arabic stemmer, on normalized UTF-8 (after `ArabicNormalization`, so ة is already ه
/// and ى is ي).
///
/// 1. Strip a leading `و` if at least 3 letters remain.
/// 2. Strip one article, the first of `ال وال بال كال فال لل` that matches, if at least 2 letters remain.
/// 3. Go once through the suffixes `ها ان ات ون ين يه ه ي` in this order (light10's `ية` and `ة` are
///    `يه` and `ه` once normalized), stripping each one found at the end if at least 2 letters remain.
///
/// Steps 1–2 alone give the `light` form. Letters are counted in Unicode scalars.
enum ArabicLightStemmer {
  /// Where the light form starts and where the stem ends, as byte offsets into the normalized word.
  struct Result: Equatable {
    var lightStart: Int
    var stemEnd: Int
  }

  // Normalized letters as their two UTF-8 bytes, packed big-endian into a UInt16.
  private static let alef: UInt16 = 0xD8A7  // ا
  private static let lam: UInt16 = 0xD984  // ل
  private static let waw: UInt16 = 0xD988  // و
  private static let beh: UInt16 = 0xD8A8  // ب
  private static let kaf: UInt16 = 0xD983  // ك
  private static let feh: UInt16 = 0xD981  // ف
  private static let heh: UInt16 = 0xD987  // ه
  private static let yeh: UInt16 = 0xD98A  // ي
  private static let noon: UInt16 = 0xD986  // ن
  private static let teh: UInt16 = 0xD8AA  // ت

  /// Stems the normalized word at `word` (`count` bytes).
  ///
  /// - Complexity: O(`count`).
  static func stem(_ word: UnsafePointer<UInt8>, count: Int) -> Result {
    var letters = 0
    for index in 0..<count where word[index] & 0xC0 != 0x80 { letters += 1 }
    @inline(__always) func letter(_ offset: Int) -> UInt16 {
      UInt16(word[offset]) << 8 | UInt16(word[offset + 1])
    }
    var start = 0
    var end = count
    // 1. و (conjunction)
    if letters >= 4 && count >= 2 && letter(0) == waw {
      start = 2
      letters -= 1
    }
    // 2. One article.
    if letters >= 4 && end - start >= 4 {
      let first = letter(start)
      let second = letter(start + 2)
      if first == alef && second == lam {
        start += 4
        letters -= 2
      } else if letters >= 5 && end - start >= 6 && second == alef && letter(start + 4) == lam
        && (first == waw || first == beh || first == kaf || first == feh)
      {
        start += 6
        letters -= 3
      } else if first == lam && second == lam {
        start += 4
        letters -= 2
      }
    }
    // 3. Suffixes, once, in order.
    @inline(__always) func strip2(_ penultimate: UInt16, _ last: UInt16) {
      if letters >= 4 && end - start >= 4 && letter(end - 2) == last
        && letter(end - 4) == penultimate
      {
        end -= 4
        letters -= 2
      }
    }
    @inline(__always) func strip1(_ last: UInt16) {
      if letters >= 3 && end - start >= 2 && letter(end - 2) == last {
        end -= 2
        letters -= 1
      }
    }
    strip2(heh, alef)  // ها
    strip2(alef, noon)  // ان
    strip2(alef, teh)  // ات
    strip2(waw, noon)  // ون
    strip2(yeh, noon)  // ين
    strip2(yeh, heh)  // يه (and ية)
    strip1(heh)  // ه (and ة)
    strip1(yeh)  // ي
    return Result(lightStart: start, stemEnd: end)
  }
}
