/// One key press (or one decoded character) read from a terminal in raw mode.
///
/// `TerminalKey` names physical keys; what they *do* is decided by `LineEditor`. Control
/// characters that have their own key (Tab, Enter, Backspace, Escape) get their own
/// case and never appear as `.ctrl`.
public enum TerminalKey: Hashable, Sendable {
  /// A character to insert: any Unicode scalar at or above U+0020 except DEL. Invalid
  /// UTF-8 arrives as U+FFFD, one per maximal invalid subsequence.
  case character(Unicode.Scalar)
  /// Ctrl plus a key, named by the lowercase letter or symbol: Ctrl-A is `.ctrl("a")`,
  /// Ctrl-@ (NUL) is `.ctrl("@")`, Ctrl-\ is `.ctrl("\\")`.
  case ctrl(Unicode.Scalar)
  /// Alt (Meta) plus a printable ASCII key, sent by terminals as ESC + key: Alt-B is
  /// `.alt("b")`. Alt-Backspace is `.alt("\u{7F}")`.
  case alt(Unicode.Scalar)
  /// CR or LF. A LF directly after a CR is swallowed, so pasted CRLF text gives one `.enter`
  /// per line.
  case enter
  case tab
  /// DEL (0x7F) or Ctrl-H (0x08).
  case backspace
  /// A lone ESC (after the reader's timeout, see `KeyDecoder.flushPendingEscape()`).
  case escape
  case up, down, left, right
  case home, end
  /// The Delete key (`ESC [ 3 ~`), which deletes forward.
  case delete
  case insert, pageUp, pageDown
  /// Left or right arrow with Ctrl or Alt held (`ESC [ 1 ; 5 D`, `ESC ESC [ D`, rxvt's `ESC O d`).
  case wordLeft, wordRight
  /// A well-formed escape sequence this decoder does not name (function keys, Shift-Tab, …).
  case unknown
}

/// Incremental decoder from the raw bytes of a terminal to `TerminalKey`s.
///
/// Bytes may arrive in any chunking: a UTF-8 character or an escape sequence split across
/// reads is completed by the next `feed`. Decoding never traps; malformed UTF-8 becomes
/// U+FFFD and malformed escape sequences become `.unknown`.
///
/// Recognised escape sequences, in both the CSI (`ESC [`) and SS3 (`ESC O`) forms:
/// arrows `A B C D`, Home/End `H F`, `1~ 7~` Home, `4~ 8~` End, `3~` Delete, `2~` Insert,
/// `5~ 6~` Page Up/Down, xterm modifiers (`ESC [ 1 ; 5 C`: Ctrl or Alt arrows become word
/// jumps), `ESC ESC [ C` (Alt-arrow on macOS terminals), rxvt's `ESC O c`/`ESC O d`
/// (Ctrl-arrows), `ESC [ a`…`d` (Shift-arrows) and `^`/`$` terminators, SS3 keypad keys in
/// application mode. Bracketed-paste markers (`ESC [ 200 ~`, `ESC [ 201 ~`) are dropped.
///
/// A lone ESC is ambiguous (it starts every sequence), so the decoder holds it until more
/// bytes arrive; the reader calls `flushPendingEscape()` when no byte follows within a short
/// timeout.
public struct KeyDecoder: Sendable {
  private enum State: Sendable {
    case ground
    /// Inside a UTF-8 sequence: `remaining` continuation bytes still expected, the next one
    /// must lie in `lower...upper`.
    case utf8(value: UInt32, remaining: Int, lower: UInt8, upper: UInt8)
    /// After ESC. `doubled` is true after ESC ESC (an Alt prefix on the sequence that follows).
    case escape(doubled: Bool)
    /// Inside `ESC [` (`ss3 == false`) or `ESC O` (`ss3 == true`), collecting parameter bytes.
    case sequence(ss3: Bool, alt: Bool)
  }

  /// The longest parameter string kept; longer sequences are still consumed up to their
  /// final byte, then reported as `.unknown`.
  private static let maxParameterBytes = 32

  private var state: State = .ground
  private var parameters: [UInt8] = []
  private var overflowed = false
  private var lastWasCR = false

  public init() {}

  /// True while an escape sequence is incomplete; if no byte follows soon, the user pressed
  /// a bare ESC (or Alt-[ / Alt-O) and the reader should call `flushPendingEscape()`.
  public var hasPendingEscape: Bool {
    switch state {
    case .escape, .sequence: return true
    case .ground, .utf8: return false
    }
  }

  /// Decodes `bytes`, returning the keys they complete. Incomplete trailing input is kept.
  /// - Complexity: O(n) in the number of bytes.
  public mutating func feed<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> [TerminalKey] {
    var keys: [TerminalKey] = []
    for byte in bytes { consume(byte, into: &keys) }
    return keys
  }

  /// Ends an incomplete escape sequence: `ESC` alone becomes `.escape`, `ESC [` and `ESC O`
  /// become Alt-[ and Alt-O, anything longer becomes `.unknown`. An incomplete UTF-8
  /// character is kept (it is not ambiguous, just late).
  public mutating func flushPendingEscape() -> [TerminalKey] {
    switch state {
    case .ground, .utf8:
      return []
    case .escape(let doubled):
      state = .ground
      return doubled ? [.escape, .escape] : [.escape]
    case .sequence(let ss3, let alt):
      state = .ground
      let empty = parameters.isEmpty && !overflowed
      parameters.removeAll(keepingCapacity: true)
      overflowed = false
      if !empty { return [.unknown] }
      let key = TerminalKey.alt(ss3 ? "O" : "[")
      return alt ? [.escape, key] : [key]
    }
  }

  // MARK: - State machine

  private mutating func consume(_ byte: UInt8, into keys: inout [TerminalKey]) {
    switch state {
    case .ground:
      ground(byte, into: &keys)
    case .utf8(let value, let remaining, let lower, let upper):
      guard byte >= lower && byte <= upper else {
        // Maximal invalid subsequence ends here; the byte starts something new.
        keys.append(.character("\u{FFFD}"))
        state = .ground
        ground(byte, into: &keys)
        return
      }
      let next = value << 6 | UInt32(byte & 0x3F)
      if remaining == 1 {
        state = .ground
        keys.append(.character(Unicode.Scalar(next) ?? "\u{FFFD}"))
      } else {
        state = .utf8(value: next, remaining: remaining - 1, lower: 0x80, upper: 0xBF)
      }
    case .escape(let doubled):
      escape(byte, doubled: doubled, into: &keys)
    case .sequence(let ss3, let alt):
      sequence(byte, ss3: ss3, alt: alt, into: &keys)
    }
  }

  private mutating func ground(_ byte: UInt8, into keys: inout [TerminalKey]) {
    let afterCR = lastWasCR
    lastWasCR = false
    switch byte {
    case 0x1B:
      state = .escape(doubled: false)
    case 0x0D:
      lastWasCR = true
      keys.append(.enter)
    case 0x0A:
      if !afterCR { keys.append(.enter) }
    case 0x09:
      keys.append(.tab)
    case 0x08, 0x7F:
      keys.append(.backspace)
    case 0x00:
      keys.append(.ctrl("@"))
    case 0x01...0x1A:
      keys.append(.ctrl(Unicode.Scalar(byte + 0x60)))
    case 0x1C...0x1F:
      keys.append(.ctrl(Unicode.Scalar(byte + 0x40)))
    case 0x20...0x7E:
      keys.append(.character(Unicode.Scalar(byte)))
    case 0xC2...0xDF:
      state = .utf8(value: UInt32(byte & 0x1F), remaining: 1, lower: 0x80, upper: 0xBF)
    case 0xE0:
      state = .utf8(value: UInt32(byte & 0x0F), remaining: 2, lower: 0xA0, upper: 0xBF)
    case 0xED:
      state = .utf8(value: UInt32(byte & 0x0F), remaining: 2, lower: 0x80, upper: 0x9F)
    case 0xE1...0xEF:
      state = .utf8(value: UInt32(byte & 0x0F), remaining: 2, lower: 0x80, upper: 0xBF)
    case 0xF0:
      state = .utf8(value: UInt32(byte & 0x07), remaining: 3, lower: 0x90, upper: 0xBF)
    case 0xF4:
      state = .utf8(value: UInt32(byte & 0x07), remaining: 3, lower: 0x80, upper: 0x8F)
    case 0xF1...0xF3:
      state = .utf8(value: UInt32(byte & 0x07), remaining: 3, lower: 0x80, upper: 0xBF)
    default:
      // Stray continuation byte, overlong lead (C0, C1) or out-of-range lead (F5...FF).
      keys.append(.character("\u{FFFD}"))
    }
  }

  private mutating func escape(_ byte: UInt8, doubled: Bool, into keys: inout [TerminalKey]) {
    switch byte {
    case UInt8(ascii: "["), UInt8(ascii: "O"):
      parameters.removeAll(keepingCapacity: true)
      overflowed = false
      state = .sequence(ss3: byte == UInt8(ascii: "O"), alt: doubled)
      return
    case 0x1B:
      if doubled { keys.append(.escape) }
      state = .escape(doubled: true)
      return
    default:
      break
    }
    if doubled {
      // ESC ESC x: the first ESC was a lone Escape; the second one starts `x`'s Alt prefix.
      keys.append(.escape)
      state = .escape(doubled: false)
      escape(byte, doubled: false, into: &keys)
      return
    }
    state = .ground
    switch byte {
    case 0x20...0x7E:
      keys.append(.alt(Unicode.Scalar(byte)))
    case 0x7F, 0x08:
      keys.append(.alt("\u{7F}"))
    case 0x0D, 0x0A:
      keys.append(.enter)
      lastWasCR = byte == 0x0D
    default:
      // ESC followed by a control byte or non-ASCII text: a lone Escape, then that input.
      keys.append(.escape)
      ground(byte, into: &keys)
    }
  }

  private mutating func sequence(
    _ byte: UInt8, ss3: Bool, alt: Bool, into keys: inout [TerminalKey]
  ) {
    let isRxvtDollar =
      byte == UInt8(ascii: "$") && !ss3 && !parameters.isEmpty
      && parameters.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    switch byte {
    case 0x20...0x3F where !isRxvtDollar:
      // Parameter (0x30–0x3F) or intermediate (0x20–0x2F) byte.
      if parameters.count < Self.maxParameterBytes {
        parameters.append(byte)
      } else {
        overflowed = true
      }
    case 0x40...0x7E, UInt8(ascii: "$"):
      state = .ground
      if overflowed {
        keys.append(.unknown)
      } else if let key = ss3 ? Self.ss3Key(byte, parameters) : Self.csiKey(byte, parameters, alt) {
        keys.append(key)
      }
      parameters.removeAll(keepingCapacity: true)
      overflowed = false
    default:
      // A control or non-ASCII byte cannot occur inside a sequence: abandon it.
      state = .ground
      parameters.removeAll(keepingCapacity: true)
      overflowed = false
      keys.append(.unknown)
      ground(byte, into: &keys)
    }
  }

  // MARK: - Sequence tables

  /// Splits `1;5` into `[1, 5]`; empty fields are nil. Nil when the parameters are not plain
  /// digits and semicolons (private sequences such as mouse reports).
  private static func numbers(_ parameters: [UInt8]) -> [Int?]? {
    var result: [Int?] = []
    var current: Int? = nil
    for byte in parameters {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"):
        current = min((current ?? 0) * 10 + Int(byte - UInt8(ascii: "0")), 1_000_000)
      case UInt8(ascii: ";"):
        result.append(current)
        current = nil
      default:
        return nil
      }
    }
    result.append(current)
    return result
  }

  /// True when an xterm modifier parameter (1 + bitmask: 1 Shift, 2 Alt, 4 Ctrl) has Alt or Ctrl.
  private static func hasWordModifier(_ modifier: Int?) -> Bool {
    guard let modifier, modifier >= 2 else { return false }
    return (modifier - 1) & 0b110 != 0
  }

  private static func arrow(_ final: UInt8, word: Bool) -> TerminalKey? {
    switch final {
    case UInt8(ascii: "A"): return .up
    case UInt8(ascii: "B"): return .down
    case UInt8(ascii: "C"): return word ? .wordRight : .right
    case UInt8(ascii: "D"): return word ? .wordLeft : .left
    case UInt8(ascii: "H"): return .home
    case UInt8(ascii: "F"): return .end
    default: return nil
    }
  }

  /// The key for `ESC [ parameters final`; nil for sequences that are dropped on purpose.
  private static func csiKey(_ final: UInt8, _ parameters: [UInt8], _ alt: Bool) -> TerminalKey? {
    guard let numbers = numbers(parameters) else { return .unknown }
    switch final {
    case UInt8(ascii: "A"), UInt8(ascii: "B"), UInt8(ascii: "C"), UInt8(ascii: "D"),
      UInt8(ascii: "H"), UInt8(ascii: "F"):
      // `ESC [ 1 ; 5 C` (xterm) or `ESC [ 5 C` (older terminals) carry a modifier.
      let modifier = numbers.count >= 2 ? numbers[1] : numbers[0]
      return arrow(final, word: alt || hasWordModifier(modifier))
    case UInt8(ascii: "a"): return .up  // rxvt Shift-arrows
    case UInt8(ascii: "b"): return .down
    case UInt8(ascii: "c"): return .right
    case UInt8(ascii: "d"): return .left
    case UInt8(ascii: "~"), UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "@"):
      switch numbers[0] ?? 0 {
      case 1, 7: return .home
      case 4, 8: return .end
      case 3: return .delete
      case 2: return .insert
      case 5: return .pageUp
      case 6: return .pageDown
      case 200, 201: return nil  // bracketed paste markers
      default: return .unknown
      }
    default:
      return .unknown
    }
  }

  /// The key for `ESC O parameters final`.
  private static func ss3Key(_ final: UInt8, _ parameters: [UInt8]) -> TerminalKey? {
    guard let numbers = numbers(parameters) else { return .unknown }
    if let key = arrow(final, word: hasWordModifier(numbers.last ?? nil)) { return key }
    switch final {
    case UInt8(ascii: "a"): return .up  // rxvt Ctrl-arrows
    case UInt8(ascii: "b"): return .down
    case UInt8(ascii: "c"): return .wordRight
    case UInt8(ascii: "d"): return .wordLeft
    case UInt8(ascii: "M"): return .enter  // keypad Enter in application mode
    case UInt8(ascii: "p")...UInt8(ascii: "y"):
      return .character(Unicode.Scalar(final - UInt8(ascii: "p") + UInt8(ascii: "0")))
    case UInt8(ascii: "j"): return .character("*")
    case UInt8(ascii: "k"): return .character("+")
    case UInt8(ascii: "l"): return .character(",")
    case UInt8(ascii: "m"): return .character("-")
    case UInt8(ascii: "n"): return .character(".")
    case UInt8(ascii: "o"): return .character("/")
    case UInt8(ascii: "X"): return .character("=")
    default: return .unknown
    }
  }
}
