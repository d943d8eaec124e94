// The Porter2 ("Snowball English") stemmer, working in place on lower-case ASCII bytes.
//
// Written from the published description of the algorithm (Martin Porter's English stemmer as defined by
// the Snowball project, before the Snowball 3.0 revisions): exceptional forms, leading-apostrophe removal,
// y → Y marking, regions R1/R2 (with the gener/commun/arsen prefixes), steps 0, 1a, 1b, 1c, 2, 3, 4, 5 and
// the final Y → y.

/// The Porter2 (Snowball English) stemming algorithm.
///
/// The pointer API works on bytes in place and never allocates; every rewrite the algorithm makes is
/// length-preserving or shortening, so a word never outgrows its buffer.
public enum EnglishStemmer {
  /// Stems a lower-case ASCII word in place (bytes a-z, digits, and apostrophe U+0027) and returns its new
  /// length, which is never larger than `count`. Words shorter than 3 letters are returned unchanged.
  /// Bytes outside that alphabet: return `count` unchanged. Never traps, whatever the input.
  ///
  /// - Complexity: O(`count`).
  public static func stem(_ word: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
    guard count >= 3 else { return count }
    for index in 0..<count where !isAlphabetByte(word[index]) {
      return count
    }
    var stemmer = Porter2Word(bytes: word, count: count)
    return stemmer.run()
  }

  /// Convenience for tests and query-time use.
  ///
  /// Returns `word` unchanged when it is shorter than 3 bytes or holds any byte outside a-z, 0-9 and `'`.
  public static func stem(_ word: String) -> String {
    var bytes = Array(word.utf8)
    let length = bytes.withUnsafeMutableBufferPointer { buffer -> Int in
      guard let base = buffer.baseAddress else { return 0 }
      return stem(base, count: buffer.count)
    }
    return String(decoding: bytes[..<length], as: UTF8.self)
  }

  /// Whether `byte` belongs to the stemmer's input alphabet: a-z, 0-9 and the apostrophe.
  @inline(__always)
  static func isAlphabetByte(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
      || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "'")
  }
}

// MARK: - The algorithm

private let letterY = UInt8(ascii: "y")
/// A `y` that acts as a consonant; only ever present between the prelude and the postlude.
private let markedY = UInt8(ascii: "Y")
private let letterE = UInt8(ascii: "e")
private let letterL = UInt8(ascii: "l")
private let letterS = UInt8(ascii: "s")
private let letterT = UInt8(ascii: "t")
private let apostrophe = UInt8(ascii: "'")

/// One word being stemmed: its bytes, current length and the starts of regions R1 and R2.
///
/// Invariant: `count` never exceeds the caller's count. Every step ends no longer than it began (step 1b
/// appends `e` only after removing a suffix of two or more letters), so every write stays inside the buffer.
private struct Porter2Word {
  let bytes: UnsafeMutablePointer<UInt8>
  var count: Int
  /// Start of region R1 (`count` when R1 is empty).
  var r1 = 0
  /// Start of region R2 (`count` when R2 is empty).
  var r2 = 0

  init(bytes: UnsafeMutablePointer<UInt8>, count: Int) {
    self.bytes = bytes
    self.count = count
  }

  mutating func run() -> Int {
    if replaceExceptionalForm() { return count }
    removeLeadingApostrophe()
    let foundY = markConsonantYs()
    markRegions()
    step0()
    step1a()
    if !isInvariantAfterStep1a() {
      step1b()
      step1c()
      step2()
      step3()
      step4()
      step5()
    }
    if foundY {
      for index in 0..<count where bytes[index] == markedY {
        bytes[index] = letterY
      }
    }
    return count
  }

  // MARK: Character classes

  @inline(__always)
  static func isVowel(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"),
      UInt8(ascii: "u"),
      UInt8(ascii: "y"):
      return true
    default:
      return false
    }
  }

  /// The letters that may be undoubled in step 1b.
  @inline(__always)
  static func isDoubleLetter(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "b"), UInt8(ascii: "d"), UInt8(ascii: "f"), UInt8(ascii: "g"),
      UInt8(ascii: "m"),
      UInt8(ascii: "n"), UInt8(ascii: "p"), UInt8(ascii: "r"), UInt8(ascii: "t"):
      return true
    default:
      return false
    }
  }

  /// The letters that may precede a deletable `li` in step 2.
  @inline(__always)
  static func isValidLiEnding(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "c"), UInt8(ascii: "d"), UInt8(ascii: "e"), UInt8(ascii: "g"),
      UInt8(ascii: "h"),
      UInt8(ascii: "k"), UInt8(ascii: "m"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
      return true
    default:
      return false
    }
  }

  // MARK: Byte helpers

  /// Whether the first `length` bytes of the word end with `suffix`.
  @inline(__always)
  func prefix(_ length: Int, endsWith suffix: StaticString) -> Bool {
    let suffixCount = suffix.utf8CodeUnitCount
    guard suffixCount <= length else { return false }
    let start = length - suffixCount
    let suffixBytes = suffix.utf8Start
    for offset in 0..<suffixCount where bytes[start + offset] != suffixBytes[offset] {
      return false
    }
    return true
  }

  @inline(__always)
  func endsWith(_ suffix: StaticString) -> Bool {
    prefix(count, endsWith: suffix)
  }

  @inline(__always)
  func startsWith(_ prefixText: StaticString) -> Bool {
    let prefixCount = prefixText.utf8CodeUnitCount
    guard prefixCount <= count else { return false }
    let prefixBytes = prefixText.utf8Start
    for offset in 0..<prefixCount where bytes[offset] != prefixBytes[offset] {
      return false
    }
    return true
  }

  /// Whether the whole word is exactly `text`.
  @inline(__always)
  func equals(_ text: StaticString) -> Bool {
    text.utf8CodeUnitCount == count && startsWith(text)
  }

  /// Replaces the last `removing` bytes with `replacement`, which must not be longer than `removing`.
  @inline(__always)
  mutating func replaceSuffix(length removing: Int, with replacement: StaticString) {
    let start = count - removing
    let replacementCount = replacement.utf8CodeUnitCount
    let replacementBytes = replacement.utf8Start
    for offset in 0..<replacementCount {
      bytes[start + offset] = replacementBytes[offset]
    }
    count = start + replacementCount
  }

  /// Whether bytes `0..<end` contain a vowel.
  @inline(__always)
  func hasVowel(before end: Int) -> Bool {
    var index = 0
    while index < end {
      if Self.isVowel(bytes[index]) { return true }
      index += 1
    }
    return false
  }

  /// Whether the first `length` bytes end in a short syllable: a non-vowel, a vowel, then a non-vowel
  /// other than `w`, `x` or `Y`; or a word-initial vowel followed by a non-vowel.
  func endsInShortSyllable(_ length: Int) -> Bool {
    if length == 2 {
      return Self.isVowel(bytes[0]) && !Self.isVowel(bytes[1])
    }
    guard length >= 3 else { return false }
    let last = bytes[length - 1]
    if Self.isVowel(last) || last == UInt8(ascii: "w") || last == UInt8(ascii: "x")
      || last == markedY
    {
      return false
    }
    return Self.isVowel(bytes[length - 2]) && !Self.isVowel(bytes[length - 3])
  }

  // MARK: Prelude

  /// Handles the words stemmed by table rather than by rule; returns whether the word was one of them.
  mutating func replaceExceptionalForm() -> Bool {
    switch count {
    case 3:
      return equals("sky")
    case 4:
      if equals("skis") {
        count = 3
        return true
      }
      if equals("idly") {
        count = 3
        return true
      }
      if equals("ugly") || equals("only") {
        bytes[3] = UInt8(ascii: "i")
        return true
      }
      return equals("news") || equals("howe") || equals("bias")
    case 5:
      if equals("skies") {
        replaceSuffix(length: 3, with: "y")
        return true
      }
      if equals("dying") || equals("lying") || equals("tying") {
        replaceSuffix(length: 4, with: "ie")
        return true
      }
      if equals("early") {
        bytes[4] = UInt8(ascii: "i")
        return true
      }
      return equals("atlas") || equals("andes")
    case 6:
      if equals("gently") || equals("singly") {
        count = 5
        return true
      }
      return equals("cosmos")
    default:
      return false
    }
  }

  mutating func removeLeadingApostrophe() {
    guard bytes[0] == apostrophe else { return }
    for index in 1..<count {
      bytes[index - 1] = bytes[index]
    }
    count -= 1
  }

  /// Turns an initial `y`, and every `y` after a vowel, into the consonant `Y`; returns whether any was.
  mutating func markConsonantYs() -> Bool {
    guard count > 0 else { return false }
    var found = false
    if bytes[0] == letterY {
      bytes[0] = markedY
      found = true
    }
    var index = 1
    while index < count {
      if bytes[index] == letterY && Self.isVowel(bytes[index - 1]) {
        bytes[index] = markedY
        found = true
      }
      index += 1
    }
    return found
  }

  /// Index just past the first non-vowel that follows a vowel at or after `start`, or `count`.
  func regionStart(after start: Int) -> Int {
    var index = start
    while index < count && !Self.isVowel(bytes[index]) { index += 1 }
    while index < count && Self.isVowel(bytes[index]) { index += 1 }
    return index < count ? index + 1 : count
  }

  mutating func markRegions() {
    if startsWith("gener") || startsWith("arsen") {
      r1 = 5
    } else if startsWith("commun") {
      r1 = 6
    } else {
      r1 = regionStart(after: 0)
    }
    r2 = regionStart(after: r1)
  }

  // MARK: Steps

  /// Step 0: remove the longest of `'s'`, `'s`, `'`.
  mutating func step0() {
    if endsWith("'s'") {
      count -= 3
    } else if endsWith("'s") {
      count -= 2
    } else if endsWith("'") {
      count -= 1
    }
  }

  /// Step 1a: plural endings `sses`, `ied`/`ies`, `s` (keeping `us` and `ss`).
  mutating func step1a() {
    if endsWith("sses") {
      count -= 2
    } else if endsWith("ied") || endsWith("ies") {
      // "i" when more than one letter precedes the suffix, otherwise "ie".
      replaceSuffix(length: 3, with: count > 4 ? "i" : "ie")
    } else if endsWith("us") || endsWith("ss") {
      return
    } else if endsWith("s") {
      // Delete when a vowel occurs before the letter immediately preceding the s.
      if hasVowel(before: count - 2) { count -= 1 }
    }
  }

  /// Words left alone from step 1b on.
  func isInvariantAfterStep1a() -> Bool {
    switch count {
    case 6: return equals("inning") || equals("outing") || equals("exceed")
    case 7:
      return equals("canning") || equals("herring") || equals("earring") || equals("proceed")
        || equals("succeed")
    default: return false
    }
  }

  /// Step 1b: `eed`/`eedly` → `ee` in R1; `ed`, `edly`, `ing`, `ingly` removed after a vowel, then tidied.
  mutating func step1b() {
    if endsWith("eedly") {
      if count - 5 >= r1 { replaceSuffix(length: 5, with: "ee") }
      return
    }
    if endsWith("eed") {
      if count - 3 >= r1 { count -= 1 }
      return
    }
    let suffixLength: Int
    if endsWith("ingly") {
      suffixLength = 5
    } else if endsWith("edly") {
      suffixLength = 4
    } else if endsWith("ing") {
      suffixLength = 3
    } else if endsWith("ed") {
      suffixLength = 2
    } else {
      return
    }
    guard hasVowel(before: count - suffixLength) else { return }
    count -= suffixLength
    if endsWith("at") || endsWith("bl") || endsWith("iz") {
      bytes[count] = letterE
      count += 1
    } else if count >= 2 && bytes[count - 1] == bytes[count - 2]
      && Self.isDoubleLetter(bytes[count - 1])
    {
      count -= 1
    } else if r1 >= count && endsInShortSyllable(count) {
      bytes[count] = letterE
      count += 1
    }
  }

  /// Step 1c: final `y`/`Y` → `i` after a non-vowel that is not the first letter.
  mutating func step1c() {
    guard count >= 3 else { return }
    let last = bytes[count - 1]
    if (last == letterY || last == markedY) && !Self.isVowel(bytes[count - 2]) {
      bytes[count - 1] = UInt8(ascii: "i")
    }
  }

  /// Replaces the suffix `length` bytes long by `replacement` when it lies in R1.
  @inline(__always)
  mutating func replaceInR1(length: Int, with replacement: StaticString) {
    if count - length >= r1 { replaceSuffix(length: length, with: replacement) }
  }

  /// Replaces the suffix `length` bytes long by `replacement` when it lies in R2.
  @inline(__always)
  mutating func replaceInR2(length: Int, with replacement: StaticString) {
    if count - length >= r2 { replaceSuffix(length: length, with: replacement) }
  }

  /// Step 2: derivational suffixes in R1. Within each final letter the candidates are tried longest
  /// first, so the first match is the longest; its R1 test then decides alone.
  mutating func step2() {
    guard count > 0 else { return }
    switch bytes[count - 1] {
    case UInt8(ascii: "l"):
      if endsWith("ational") {
        replaceInR1(length: 7, with: "ate")
      } else if endsWith("tional") {
        replaceInR1(length: 6, with: "tion")
      }
    case UInt8(ascii: "n"):
      if endsWith("ization") {
        replaceInR1(length: 7, with: "ize")
      } else if endsWith("ation") {
        replaceInR1(length: 5, with: "ate")
      }
    case UInt8(ascii: "r"):
      if endsWith("izer") {
        replaceInR1(length: 4, with: "ize")
      } else if endsWith("ator") {
        replaceInR1(length: 4, with: "ate")
      }
    case UInt8(ascii: "m"):
      if endsWith("alism") { replaceInR1(length: 5, with: "al") }
    case UInt8(ascii: "s"):
      if endsWith("fulness") {
        replaceInR1(length: 7, with: "ful")
      } else if endsWith("ousness") {
        replaceInR1(length: 7, with: "ous")
      } else if endsWith("iveness") {
        replaceInR1(length: 7, with: "ive")
      }
    case UInt8(ascii: "i"):
      step2EndingInI()
    default:
      break
    }
  }

  mutating func step2EndingInI() {
    if endsWith("biliti") {
      replaceInR1(length: 6, with: "ble")
    } else if endsWith("lessli") {
      replaceInR1(length: 6, with: "less")
    } else if endsWith("aliti") {
      replaceInR1(length: 5, with: "al")
    } else if endsWith("iviti") {
      replaceInR1(length: 5, with: "ive")
    } else if endsWith("ousli") {
      replaceInR1(length: 5, with: "ous")
    } else if endsWith("entli") {
      replaceInR1(length: 5, with: "ent")
    } else if endsWith("fulli") {
      replaceInR1(length: 5, with: "ful")
    } else if endsWith("alli") {
      replaceInR1(length: 4, with: "al")
    } else if endsWith("enci") {
      replaceInR1(length: 4, with: "ence")
    } else if endsWith("anci") {
      replaceInR1(length: 4, with: "ance")
    } else if endsWith("abli") {
      replaceInR1(length: 4, with: "able")
    } else if endsWith("bli") {
      replaceInR1(length: 3, with: "ble")
    } else if endsWith("ogi") {
      // "ogi" → "og" only after an l (the l itself need not be in R1).
      if count - 3 >= r1 && count >= 4 && bytes[count - 4] == letterL {
        replaceSuffix(length: 3, with: "og")
      }
    } else if endsWith("li") {
      if count - 2 >= r1 && count >= 3 && Self.isValidLiEnding(bytes[count - 3]) {
        count -= 2
      }
    }
  }

  /// Step 3: further derivational suffixes in R1 (`ative` needs R2).
  mutating func step3() {
    guard count > 0 else { return }
    switch bytes[count - 1] {
    case UInt8(ascii: "l"):
      if endsWith("ational") {
        replaceInR1(length: 7, with: "ate")
      } else if endsWith("tional") {
        replaceInR1(length: 6, with: "tion")
      } else if endsWith("ical") {
        replaceInR1(length: 4, with: "ic")
      } else if endsWith("ful") {
        replaceInR1(length: 3, with: "")
      }
    case UInt8(ascii: "e"):
      if endsWith("alize") {
        replaceInR1(length: 5, with: "al")
      } else if endsWith("icate") {
        replaceInR1(length: 5, with: "ic")
      } else if endsWith("ative") {
        if count - 5 >= r1 { replaceInR2(length: 5, with: "") }
      }
    case UInt8(ascii: "i"):
      if endsWith("iciti") { replaceInR1(length: 5, with: "ic") }
    case UInt8(ascii: "s"):
      if endsWith("ness") { replaceInR1(length: 4, with: "") }
    default:
      break
    }
  }

  /// Step 4: residual suffixes deleted in R2 (`ion` only after `s` or `t`).
  mutating func step4() {
    guard count > 0 else { return }
    switch bytes[count - 1] {
    case UInt8(ascii: "l"):
      if endsWith("al") { replaceInR2(length: 2, with: "") }
    case UInt8(ascii: "e"):
      if endsWith("ance") || endsWith("ence") || endsWith("able") || endsWith("ible") {
        replaceInR2(length: 4, with: "")
      } else if endsWith("ate") || endsWith("ive") || endsWith("ize") {
        replaceInR2(length: 3, with: "")
      }
    case UInt8(ascii: "r"):
      if endsWith("er") { replaceInR2(length: 2, with: "") }
    case UInt8(ascii: "c"):
      if endsWith("ic") { replaceInR2(length: 2, with: "") }
    case UInt8(ascii: "t"):
      if endsWith("ement") {
        replaceInR2(length: 5, with: "")
      } else if endsWith("ment") {
        replaceInR2(length: 4, with: "")
      } else if endsWith("ant") || endsWith("ent") {
        replaceInR2(length: 3, with: "")
      }
    case UInt8(ascii: "m"):
      if endsWith("ism") { replaceInR2(length: 3, with: "") }
    case UInt8(ascii: "i"):
      if endsWith("iti") { replaceInR2(length: 3, with: "") }
    case UInt8(ascii: "s"):
      if endsWith("ous") { replaceInR2(length: 3, with: "") }
    case UInt8(ascii: "n"):
      if endsWith("ion") && count - 3 >= r2 && count >= 4
        && (bytes[count - 4] == letterS || bytes[count - 4] == letterT)
      {
        count -= 3
      }
    default:
      break
    }
  }

  /// Step 5: final `e` (in R2, or in R1 unless after a short syllable) and `ll` → `l` in R2.
  mutating func step5() {
    guard count > 0 else { return }
    let last = count - 1
    if bytes[last] == letterE {
      if last >= r2 || (last >= r1 && !endsInShortSyllable(last)) {
        count -= 1
      }
    } else if bytes[last] == letterL {
      if last >= r2 && last >= 1 && bytes[last - 1] == letterL {
        count -= 1
      }
    }
  }
}
