/// What the reader should do after `LineEditor.handle(_:)`.
public enum LineEditorOutcome: Equatable, Sendable {
  /// Keep reading; redraw the line if it changed.
  case editing
  /// Clear the screen, then redraw (Ctrl-L).
  case clearScreen
  /// Suspend the process like a shell's Ctrl-Z, then redraw.
  case suspend
  /// The line is finished.
  case finished(LineReadResult)
}

/// The line-editing state machine behind `fahras repl`: a buffer, a cursor and the history,
/// driven one `TerminalKey` at a time. Pure: no I/O, no terminal, so it is tested by scripting keys.
///
/// The buffer holds Unicode scalars in logical (typing) order. The cursor always sits on a
/// *unit* boundary, where a unit is a base scalar plus the combining marks after it (Arabic
/// harakat U+064B–U+065F, superscript alef U+0670, and every Mn/Me scalar), so a letter and
/// its harakat move and delete together. This is grapheme-ish, not full UAX #29: emoji ZWJ
/// sequences and Hangul jamo are several units.
///
/// Keys (emacs-style, as in readline):
/// - text: insert at the cursor (Tab inserts a space; control characters are ignored)
/// - Left/Right, Ctrl-B/Ctrl-F: one unit; Home/End, Ctrl-A/Ctrl-E: line start/end
/// - Alt-B/Alt-F, Ctrl-Left/Ctrl-Right: to the start of the previous word / end of the next
///   word, where words are runs of letters, digits, marks and `_` (Arabic and Latin alike)
/// - Backspace: delete the unit before the cursor; Delete, Ctrl-D: the unit under it
/// - Ctrl-K: kill to end; Ctrl-U: kill to start; Ctrl-W: kill the previous
///   whitespace-delimited word; Alt-Backspace: kill the previous word; Alt-D: kill the next
///   word; Ctrl-Y: yank the last kill
/// - Up/Down, Ctrl-P/Ctrl-N: history (see `LineHistory` for how edits are kept)
/// - Enter: accept; Ctrl-C: cancel (`.interrupted`); Ctrl-D on an empty line: `.endOfInput`
/// - Ctrl-L: clear screen; Ctrl-Z: suspend
public struct LineEditor: Sendable {
  /// The line being edited, in logical order.
  public private(set) var scalars: [Unicode.Scalar] = []
  /// The cursor as an offset into `scalars`; always a unit boundary.
  public private(set) var cursor: Int = 0
  /// The history browsed with Up/Down. Adding lines is the caller's job.
  public var history: LineHistory
  /// The text removed by the last kill command, inserted again by Ctrl-Y.
  public private(set) var killBuffer: [Unicode.Scalar] = []

  public init(history: LineHistory = LineHistory()) {
    self.history = history
  }

  /// The line being edited.
  public var text: String {
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars)
    return String(view)
  }

  /// Starts a new, empty line and resets history navigation (the kill buffer is kept).
  public mutating func reset() {
    scalars.removeAll(keepingCapacity: true)
    cursor = 0
    history.resetNavigation()
  }

  /// Replaces the line with `text`, cursor at the end.
  public mutating func setText(_ text: String) {
    scalars = Array(text.unicodeScalars)
    cursor = scalars.count
  }

  /// Applies one key.
  /// - Complexity: O(n) in the line length at worst (insertions and deletions shift the tail).
  @discardableResult
  public mutating func handle(_ key: TerminalKey) -> LineEditorOutcome {
    switch key {
    case .character(let scalar):
      insert(scalar)
    case .tab:
      insert(" ")
    case .enter:
      return .finished(.line(text))
    case .backspace:
      delete(TextUnits.previousBoundary(scalars, before: cursor)..<cursor)
    case .delete:
      delete(cursor..<TextUnits.nextBoundary(scalars, after: cursor))
    case .left:
      cursor = TextUnits.previousBoundary(scalars, before: cursor)
    case .right:
      cursor = TextUnits.nextBoundary(scalars, after: cursor)
    case .home:
      cursor = 0
    case .end:
      cursor = scalars.count
    case .wordLeft:
      cursor = wordStart(before: cursor, isWord: TextUnits.isWordScalar)
    case .wordRight:
      cursor = wordEnd(after: cursor)
    case .up:
      recall(older: true)
    case .down:
      recall(older: false)
    case .ctrl(let letter):
      return control(letter)
    case .alt(let letter):
      alt(letter)
    case .escape, .insert, .pageUp, .pageDown, .unknown:
      break
    }
    return .editing
  }

  /// Applies keys in order, stopping at the first that finishes the line. Returns that
  /// outcome (or the last one) and the number of keys consumed.
  public mutating func handle(_ keys: some Sequence<TerminalKey>) -> (
    LineEditorOutcome, consumed: Int
  ) {
    var outcome = LineEditorOutcome.editing
    var consumed = 0
    for key in keys {
      outcome = handle(key)
      consumed += 1
      if case .finished = outcome { break }
    }
    return (outcome, consumed)
  }

  private mutating func control(_ letter: Unicode.Scalar) -> LineEditorOutcome {
    switch letter {
    case "a": cursor = 0
    case "e": cursor = scalars.count
    case "b": cursor = TextUnits.previousBoundary(scalars, before: cursor)
    case "f": cursor = TextUnits.nextBoundary(scalars, after: cursor)
    case "c": return .finished(.interrupted)
    case "d":
      if scalars.isEmpty { return .finished(.endOfInput) }
      delete(cursor..<TextUnits.nextBoundary(scalars, after: cursor))
    case "k": kill(cursor..<scalars.count)
    case "u": kill(0..<cursor)
    case "w": kill(wordStart(before: cursor) { !$0.properties.isWhitespace }..<cursor)
    case "y": yank()
    case "p": recall(older: true)
    case "n": recall(older: false)
    case "l": return .clearScreen
    case "z": return .suspend
    default: break
    }
    return .editing
  }

  private mutating func alt(_ letter: Unicode.Scalar) {
    switch letter {
    case "b", "B": cursor = wordStart(before: cursor, isWord: TextUnits.isWordScalar)
    case "f", "F": cursor = wordEnd(after: cursor)
    case "d", "D": kill(cursor..<wordEnd(after: cursor))
    case "\u{7F}": kill(wordStart(before: cursor, isWord: TextUnits.isWordScalar)..<cursor)
    default: break
    }
  }

  // MARK: - Editing primitives

  private mutating func insert(_ scalar: Unicode.Scalar) {
    guard scalar.properties.generalCategory != .control else { return }
    scalars.insert(scalar, at: cursor)
    cursor += 1
    // A base typed in front of orphan marks absorbs them into its unit.
    if !TextUnits.isBoundary(scalars, cursor) {
      cursor = TextUnits.nextBoundary(scalars, after: cursor)
    }
  }

  private mutating func delete(_ range: Range<Int>) {
    guard !range.isEmpty else { return }
    scalars.removeSubrange(range)
    cursor = range.lowerBound
  }

  private mutating func kill(_ range: Range<Int>) {
    guard !range.isEmpty else { return }
    killBuffer = Array(scalars[range])
    delete(range)
  }

  private mutating func yank() {
    guard !killBuffer.isEmpty else { return }
    scalars.insert(contentsOf: killBuffer, at: cursor)
    cursor += killBuffer.count
    if !TextUnits.isBoundary(scalars, cursor) {
      cursor = TextUnits.nextBoundary(scalars, after: cursor)
    }
  }

  private mutating func recall(older: Bool) {
    let current = text
    let recalled = older ? history.previous(current: current) : history.next(current: current)
    if let recalled { setText(recalled) }
  }

  // MARK: - Words

  /// The start of the word before `offset`: skip non-word units leftwards, then word units.
  private func wordStart(before offset: Int, isWord: (Unicode.Scalar) -> Bool) -> Int {
    var position = offset
    while position > 0 {
      let start = TextUnits.previousBoundary(scalars, before: position)
      if isWord(scalars[start]) { break }
      position = start
    }
    while position > 0 {
      let start = TextUnits.previousBoundary(scalars, before: position)
      if !isWord(scalars[start]) { break }
      position = start
    }
    return position
  }

  /// The end of the word after `offset`: skip non-word units rightwards, then word units.
  private func wordEnd(after offset: Int) -> Int {
    var position = offset
    while position < scalars.count && !TextUnits.isWordScalar(scalars[position]) {
      position = TextUnits.nextBoundary(scalars, after: position)
    }
    while position < scalars.count && TextUnits.isWordScalar(scalars[position]) {
      position = TextUnits.nextBoundary(scalars, after: position)
    }
    return position
  }
}

/// Unit segmentation and terminal display widths for `LineEditor` and `LineRenderer`.
public enum TextUnits {
  /// True for scalars that attach to the preceding base: Arabic harakat U+064B–U+065F,
  /// U+0670, and general categories Mn (nonspacing) and Me (enclosing).
  @inline(__always)
  public static func isCombining(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if value < 0x300 { return false }
    if (0x64B...0x65F).contains(value) || value == 0x670 { return true }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark: return true
    default: return false
    }
  }

  /// Letters, digits, marks and `_`: what word motions treat as part of a word.
  public static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
    scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType != nil
      || isCombining(scalar)
  }

  /// True when `offset` starts a unit (or is the end of the buffer).
  public static func isBoundary(_ scalars: [Unicode.Scalar], _ offset: Int) -> Bool {
    offset <= 0 || offset >= scalars.count || !isCombining(scalars[offset])
  }

  /// The start of the unit that ends at `offset` (0 stays 0).
  public static func previousBoundary(_ scalars: [Unicode.Scalar], before offset: Int) -> Int {
    var position = min(offset, scalars.count) - 1
    while position > 0 && isCombining(scalars[position]) { position -= 1 }
    return max(position, 0)
  }

  /// The end of the unit that starts at `offset` (the end stays the end).
  public static func nextBoundary(_ scalars: [Unicode.Scalar], after offset: Int) -> Int {
    guard offset < scalars.count else { return scalars.count }
    var position = max(offset, 0) + 1
    while position < scalars.count && isCombining(scalars[position]) { position += 1 }
    return position
  }

  /// Terminal columns taken by one scalar: 0 for combining marks, format characters
  /// (ZWJ, ZWNJ, bidi marks) and controls; 2 for East Asian wide and fullwidth characters
  /// (CJK, Hangul syllables, fullwidth forms) and the common emoji blocks; otherwise 1.
  public static func width(_ scalar: Unicode.Scalar) -> Int {
    let value = scalar.value
    if value < 0x300 { return value < 0x20 || (0x7F..<0xA0).contains(value) ? 0 : 1 }
    if isCombining(scalar) { return 0 }
    switch scalar.properties.generalCategory {
    case .format, .control: return 0
    default: break
    }
    if (0x1160...0x11FF).contains(value) { return 0 }  // Hangul medial vowels, final consonants
    return isWide(value) ? 2 : 1
  }

  private static func isWide(_ value: UInt32) -> Bool {
    switch value {
    case 0x1100...0x115F,  // Hangul Jamo initial consonants
      0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
      0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1,
      0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA,
      0x26F2...0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2705, 0x270A...0x270B, 0x2728, 0x274C,
      0x274E, 0x2753...0x2755, 0x2757, 0x2795...0x2797, 0x27B0, 0x27BF, 0x2B1B...0x2B1C,
      0x2B50, 0x2B55,
      0x2E80...0x303E,  // CJK radicals, Kangxi, ideographic description, CJK symbols
      0x3041...0x33FF,  // Hiragana, Katakana, Bopomofo, Hangul compatibility, CJK compat
      0x3400...0x4DBF,  // CJK extension A
      0x4E00...0x9FFF,  // CJK unified ideographs
      0xA000...0xA4CF,  // Yi
      0xA960...0xA97F,  // Hangul Jamo extended A
      0xAC00...0xD7A3,  // Hangul syllables
      0xF900...0xFAFF,  // CJK compatibility ideographs
      0xFE10...0xFE19, 0xFE30...0xFE6F,  // vertical forms, CJK compatibility forms
      0xFF00...0xFF60, 0xFFE0...0xFFE6,  // fullwidth forms
      0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF,  // Tangut, Kana supplement
      0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251,
      0x1F300...0x1F64F,  // pictographs, emoticons
      0x1F680...0x1F6FF,  // transport and map symbols
      0x1F7E0...0x1F7EB, 0x1F90C...0x1F9FF, 0x1FA70...0x1FAFF,
      0x20000...0x2FFFD, 0x30000...0x3FFFD:  // CJK extensions B and later
      return true
    default:
      return false
    }
  }

  /// Columns taken by `scalars[range]`.
  public static func width(_ scalars: [Unicode.Scalar], _ range: Range<Int>) -> Int {
    var total = 0
    for index in range { total += width(scalars[index]) }
    return total
  }

  /// Columns taken by `text` when printed, skipping ANSI escape sequences (colour codes in
  /// a prompt take no room).
  public static func visibleWidth(_ text: String) -> Int {
    var total = 0
    var inEscape = false
    var inCSI = false
    for scalar in text.unicodeScalars {
      if inCSI {
        if (0x40...0x7E).contains(scalar.value) { inCSI = false }
      } else if inEscape {
        inEscape = false
        inCSI = scalar == "["
      } else if scalar == "\u{1B}" {
        inEscape = true
      } else {
        total += width(scalar)
      }
    }
    return total
  }
}
