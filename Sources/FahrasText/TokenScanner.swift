/// The tokenizer state machine of one `Analyzer.analyze(utf8:_:)` call.
///
/// It walks the input once, scalar by scalar (runs of ASCII letters and digits byte by byte), appends
/// the fold of every word scalar to a fixed scratch buffer, and at each word end routes the word
/// through its script's chain and hands it to the sink. The scratch buffers are borrowed from the
/// caller for the duration of the call; nothing is allocated here.
struct TokenScanner {
  /// What the last non-ignorable scalar of the current word was (for `3.5` and `don't`).
  private enum Previous: UInt8 {
    case none, latinLetter, digit, other
  }

  /// Bytes needed per scratch buffer (the term cap plus room for one fold).
  static let bufferSize = Analyzer.maxTokenBytes + 1

  private let text: UnsafePointer<UInt8>
  private let count: Int
  private let table: CharTable
  private let info: UnsafePointer<UInt32>
  private let arabicStopwords: ArabicStopwords.Matcher
  private let englishStopwords: ByteSet
  /// The normalized word.
  private let norm: UnsafeMutablePointer<UInt8>
  /// Arabic words only: the letters as typed (harakat, tatweel removed), for stopword matching.
  private let raw: UnsafeMutablePointer<UInt8>
  /// A copy of a Latin word, stemmed in place.
  private let work: UnsafeMutablePointer<UInt8>

  // The current word.
  private var active = false
  private var start = 0
  private var end = 0
  private var script = Script.none
  private var hasDigits = false
  private var previous = Previous.none
  private var normCount = 0
  private var rawCount = 0
  private var overflow = false
  /// The last Arabic letter as typed and where its bytes are, for a following combining hamza.
  private var lastLetter: UInt32 = 0
  private var lastLetterNorm = 0
  private var lastLetterRaw = 0

  private var position = 0

  /// `scratch` must hold `3 * bufferSize` bytes.
  init(text: UnsafePointer<UInt8>, count: Int, scratch: UnsafeMutablePointer<UInt8>) {
    self.text = text
    self.count = count
    table = CharTable.shared
    info = UnsafePointer(table.info)
    arabicStopwords = ArabicStopwords.shared
    englishStopwords = EnglishStopwords.set
    norm = scratch
    raw = scratch + Self.bufferSize
    work = scratch + 2 * Self.bufferSize
  }

  // MARK: - Scanning

  /// Tokenizes the whole input, calling `sink` once per token in order.
  mutating func run(_ sink: (TokenView) -> Void) {
    var index = 0
    while index < count {
      let byte = text[index]
      if byte < 0x80 {
        if (byte | 0x20) &- 0x61 < 26 || byte &- 0x30 < 10,
          !active || script == Script.none || script == Script.latin
        {
          index = asciiRun(from: index)
          continue
        }
        let entry = ScalarInfo(raw: info[Int(byte)])
        if entry.kind == ScalarKind.separator {
          flush(sink)
        } else {
          process(
            UInt32(byte), entry, from: index, to: index + 1, bytes: text + index, length: 1,
            next: index + 1, sink)
        }
        index += 1
        continue
      }
      // Arabic block U+0600–U+06FF (lead bytes D8–DB): letters and marks inside an Arabic word.
      if byte &- 0xD8 < 4 && index + 1 < count && text[index + 1] & 0xC0 == 0x80 && active
        && script == Script.arabic
      {
        let scalar = UInt32(byte & 0x1F) << 6 | UInt32(text[index + 1] & 0x3F)
        let entry = ScalarInfo(raw: info[Int(scalar)])
        if entry.kind == ScalarKind.letter {
          appendArabicLetter(scalar, entry, at: index)
          index += 2
          continue
        }
        if entry.kind == ScalarKind.ignorable {
          end = index + 2
          if scalar == 0x0654 { composeHamza() }
          index += 2
          continue
        }
      }
      let (scalar, length) = UTF8Decoding.decodeMultibyte(text, at: index, count: count)
      if scalar == UTF8Decoding.invalid {
        flush(sink)  // an invalid byte separates
        index += 1
        continue
      }
      let entry = table.lookup(scalar)
      if entry.kind == ScalarKind.expansion || entry.kind == ScalarKind.phraseExpansion {
        expand(entry, from: index, to: index + length, next: index + length, sink)
      } else {
        process(
          scalar, entry, from: index, to: index + length, bytes: text + index, length: length,
          next: index + length, sink)
      }
      index += length
    }
    flush(sink)
  }

  /// Appends a run of ASCII letters and digits to a Latin (or not yet scripted) word.
  @inline(__always)
  private mutating func asciiRun(from first: Int) -> Int {
    if !active { begin(at: first) }
    var index = first
    var filled = normCount
    var sawLetter = false
    var sawDigit = false
    var lastWasDigit = false
    while index < count {
      let byte = text[index]
      let lower = byte | 0x20
      let out: UInt8
      if lower &- 0x61 < 26 {
        out = lower
        sawLetter = true
        lastWasDigit = false
      } else if byte &- 0x30 < 10 {
        out = byte
        sawDigit = true
        lastWasDigit = true
      } else {
        break
      }
      if filled < Analyzer.maxTokenBytes {
        norm[filled] = out
        filled += 1
      } else {
        overflow = true
      }
      index += 1
    }
    normCount = filled
    if sawLetter { script = Script.latin }
    if sawDigit { hasDigits = true }
    previous = lastWasDigit ? .digit : .latinLetter
    end = index
    return index
  }

  /// Appends a two-byte letter of the Arabic block, found at `index` of the input, to the current
  /// Arabic word (the fast path of `process`).
  @inline(__always)
  private mutating func appendArabicLetter(_ scalar: UInt32, _ entry: ScalarInfo, at index: Int) {
    lastLetter = scalar
    lastLetterNorm = normCount
    lastLetterRaw = rawCount
    if rawCount + 2 <= Analyzer.maxTokenBytes {
      raw[rawCount] = text[index]
      raw[rawCount + 1] = text[index + 1]
      rawCount += 2
    }
    append(entry, text + index, 2)
    end = index + 2
    previous = .other
  }

  /// Feeds the NFKC expansion of a compatibility character, scalar by scalar, with the source range of
  /// the character. Expansions with spaces (ﷺ) form their own phrase.
  private mutating func expand(
    _ entry: ScalarInfo, from lower: Int, to upper: Int, next: Int, _ sink: (TokenView) -> Void
  ) {
    let phrase = entry.kind == ScalarKind.phraseExpansion
    if phrase { flush(sink) }
    let (bytes, length) = table.fold(entry.fold)
    var offset = 0
    while offset < length {
      let (scalar, scalarLength) = UTF8Decoding.decodeTrusted(bytes, at: offset)
      process(
        scalar, table.lookup(scalar), from: lower, to: upper, bytes: bytes + offset,
        length: scalarLength, next: next, sink)
      offset += scalarLength
    }
    if phrase { flush(sink) }
  }

  /// Handles one scalar that is not an expansion. `bytes` is its UTF-8; `next` is the index of the
  /// scalar that follows it in the input.
  @inline(__always)
  private mutating func process(
    _ scalar: UInt32, _ entry: ScalarInfo, from lower: Int, to upper: Int,
    bytes: UnsafePointer<UInt8>, length: Int, next: Int, _ sink: (TokenView) -> Void
  ) {
    switch entry.kind {
    case ScalarKind.letter:
      let letterScript = entry.script
      if active {
        if script == Script.none {
          if hasDigits && (letterScript == Script.arabic || letterScript == Script.cjk) {
            flush(sink)
          }
        } else if script != letterScript || letterScript == Script.cjk {
          flush(sink)
        }
      }
      if !active { begin(at: lower) }
      if script == Script.none { script = letterScript }
      if letterScript == Script.arabic {
        lastLetter = scalar
        lastLetterNorm = normCount
        lastLetterRaw = rawCount
        if rawCount + length <= Analyzer.maxTokenBytes {
          for offset in 0..<length { raw[rawCount + offset] = bytes[offset] }
          rawCount += length
        }
      }
      append(entry, bytes, length)
      end = upper
      previous = letterScript == Script.latin ? .latinLetter : .other
    case ScalarKind.digit:
      if active && (script == Script.arabic || script == Script.cjk) { flush(sink) }
      if !active { begin(at: lower) }
      append(entry, bytes, length)
      hasDigits = true
      end = upper
      previous = .digit
    case ScalarKind.ignorable:
      guard active else { return }
      end = upper
      if scalar == 0x0654 { composeHamza() }
    case ScalarKind.mark:
      if !active { begin(at: lower) }
      append(entry, bytes, length)
      end = upper
      previous = .other
    case ScalarKind.decimalPoint:
      if active && previous == .digit && peek(next).kind == ScalarKind.digit {
        append(entry, bytes, length)
        end = upper
        previous = .other
      } else {
        flush(sink)
      }
    case ScalarKind.apostrophe:
      if active && script == Script.latin && previous == .latinLetter {
        let following = peek(next)
        if following.kind == ScalarKind.letter && following.script == Script.latin {
          append(entry, bytes, length)
          end = upper
          previous = .other
          return
        }
      }
      flush(sink)
    default:  // separators; nested expansions cannot occur (the table builder excludes them)
      flush(sink)
    }
  }

  /// The entry of the scalar at `index` (an expansion is looked through to its first scalar).
  private func peek(_ index: Int) -> ScalarInfo {
    guard index < count else { return .separator }
    let byte = text[index]
    if byte < 0x80 { return ScalarInfo(raw: info[Int(byte)]) }
    let (scalar, _) = UTF8Decoding.decodeMultibyte(text, at: index, count: count)
    if scalar == UTF8Decoding.invalid { return .separator }
    let entry = table.lookup(scalar)
    guard entry.kind == ScalarKind.expansion || entry.kind == ScalarKind.phraseExpansion else {
      return entry
    }
    let (bytes, _) = table.fold(entry.fold)
    return table.lookup(UTF8Decoding.decodeTrusted(bytes, at: 0).scalar)
  }

  /// A combining hamza above after و or ي (ى ی) spells ؤ or ئ: fold the letter to ء like the
  /// precomposed carrier. After other letters (ا, ه, ے) the hamza is simply removed.
  @inline(__always)
  private mutating func composeHamza() {
    guard script == Script.arabic, ArabicNormalization.takesCombiningHamza(lastLetter) else {
      return
    }
    if lastLetterNorm + 2 <= normCount {
      norm[lastLetterNorm] = 0xD8  // ء U+0621
      norm[lastLetterNorm + 1] = 0xA1
    }
    if lastLetterRaw + 2 <= rawCount {
      raw[lastLetterRaw] = 0xD8  // ؤ U+0624 or ئ U+0626
      raw[lastLetterRaw + 1] = lastLetter == ArabicNormalization.waw ? 0xA4 : 0xA6
    }
    lastLetter = 0
  }

  /// Appends the fold of a scalar (or the scalar itself) to the normalized word.
  @inline(__always)
  private mutating func append(_ entry: ScalarInfo, _ bytes: UnsafePointer<UInt8>, _ length: Int) {
    var source = bytes
    var sourceCount = length
    if entry.fold != 0 { (source, sourceCount) = table.fold(entry.fold) }
    if normCount + sourceCount > Analyzer.maxTokenBytes {
      overflow = true
      return
    }
    for offset in 0..<sourceCount { norm[normCount + offset] = source[offset] }
    normCount += sourceCount
  }

  @inline(__always)
  private mutating func begin(at lower: Int) {
    active = true
    start = lower
    end = lower
    script = Script.none
    hasDigits = false
    previous = .none
    normCount = 0
    rawCount = 0
    overflow = false
    lastLetter = 0
  }

  // MARK: - Emitting

  /// Ends the current word: routes it by script and hands the token to `sink`.
  private mutating func flush(_ sink: (TokenView) -> Void) {
    guard active else { return }
    active = false
    if overflow {  // longer than maxTokenBytes: skipped, but it keeps its position
      position += 1
      return
    }
    guard normCount > 0 else { return }  // only removed characters (a lone haraka, tatweel)
    let whole = UnsafeBufferPointer(start: UnsafePointer(norm), count: normCount)
    var term = whole
    var light = whole
    var isStopword = false
    switch script {
    case Script.arabic:
      if arabicStopwords.contains(normalized: norm, count: normCount, raw: raw, rawCount: rawCount)
      {
        isStopword = true
      } else {
        let stem = ArabicLightStemmer.stem(norm, count: normCount)
        light = UnsafeBufferPointer(rebasing: whole[stem.lightStart...])
        term = UnsafeBufferPointer(rebasing: whole[stem.lightStart..<stem.stemEnd])
      }
    case Script.latin:
      if englishStopwords.contains(norm, count: normCount) {
        isStopword = true
      } else if isASCII(normCount) {
        for offset in 0..<normCount { work[offset] = norm[offset] }
        let stemmed = EnglishStemmer.stem(work, count: normCount)
        let length = stemmed >= 1 && stemmed <= normCount ? stemmed : normCount
        term = UnsafeBufferPointer(start: UnsafePointer(work), count: length)
        // The light form drops the possessive (`obama's` → `obama`, `students'` → `students`), as
        // Lucene's EnglishPossessiveFilter does: a query word then meets its possessive uses.
        light = UnsafeBufferPointer(start: whole.baseAddress, count: withoutPossessive(normCount))
      }
    default:
      break
    }
    sink(
      TokenView(
        term: term, light: light, position: position, startByte: start, endByte: end,
        isStopword: isStopword))
    position += 1
  }

  /// The length of the folded word `norm[0..<length]` without a trailing `'s` or `'`.
  @inline(__always)
  private func withoutPossessive(_ length: Int) -> Int {
    let apostrophe = UInt8(ascii: "'")
    if length > 2 && norm[length - 2] == apostrophe && norm[length - 1] == UInt8(ascii: "s") {
      return length - 2
    }
    if length > 1 && norm[length - 1] == apostrophe { return length - 1 }
    return length
  }

  @inline(__always)
  private func isASCII(_ length: Int) -> Bool {
    var bits: UInt8 = 0
    for offset in 0..<length { bits |= norm[offset] }
    return bits < 0x80
  }
}
