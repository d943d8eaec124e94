/// Why and where a JSON text failed to parse.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Reason: Sendable, Equatable {
    /// The input ended where `expected` was required.
    case unexpectedEnd(expected: String)
    /// The byte at `offset` is not what the grammar allows there.
    case unexpectedByte(UInt8, expected: String)
    /// A string holds bytes that are not well-formed UTF-8 (`offset` is the first bad byte).
    case invalidUTF8
    /// An array or object opens at `offset` beyond the nesting limit.
    case tooDeep(limit: Int)
  }

  /// Byte offset into the parsed buffer where the problem was found.
  public var offset: Int
  public var reason: Reason

  public init(offset: Int, reason: Reason) {
    self.offset = offset
    self.reason = reason
  }

  /// The problem without its position, e.g. `expected ',' or '}', found ']'`.
  public var message: String {
    switch reason {
    case .unexpectedEnd(let expected): return "expected \(expected), found end of input"
    case .unexpectedByte(let byte, let expected):
      return "expected \(expected), found \(JSONParseError.describe(byte))"
    case .invalidUTF8: return "invalid UTF-8 in string"
    case .tooDeep(let limit): return "arrays and objects nested deeper than \(limit) levels"
    }
  }

  public var description: String { "at byte \(offset): \(message)" }

  static func describe(_ byte: UInt8) -> String {
    if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
    let hex = String(byte, radix: 16, uppercase: true)
    return "byte 0x\(hex.count == 1 ? "0" + hex : hex)"
  }
}

/// An RFC 8259 JSON parser working directly on UTF-8 bytes.
///
/// - Strings: all escapes; `\uD83D\uDE00` surrogate pairs are combined, lone surrogates become U+FFFD;
///   raw bytes must be well-formed UTF-8 and control characters must be escaped.
/// - Numbers: the exact RFC grammar (no leading zeros, no `+`, no `.5`), kept as literal text.
/// - Nesting is handled with explicit stacks (no recursion), limited to `maximumDepth` levels, so hostile
///   input cannot overflow the call stack.
/// - Errors carry the byte offset and what was expected there.
///
/// A parser value keeps its scratch buffers between calls, so reuse one when parsing many small texts
/// (e.g. JSON Lines). It is not thread-safe; use one per thread.
/// - Complexity: O(n) time in the input size.
public struct JSONParser {
  /// Arrays/objects may nest this deep by default (`[[…]]` with 512 brackets parses, 513 does not).
  public static let defaultMaximumDepth = 512

  public let maximumDepth: Int

  private struct Frame {
    var isObject: Bool
    var start: Int
  }

  private var pos = 0
  private var end = 0
  private var scratch: [UInt8] = []
  private var elementStack: [JSONValue] = []
  private var memberStack: [JSONMember] = []
  private var keyStack: [String] = []
  private var frames: [Frame] = []

  public init(maximumDepth: Int = JSONParser.defaultMaximumDepth) {
    self.maximumDepth = max(0, maximumDepth)
  }

  /// Parses one JSON text (surrounding whitespace allowed, nothing else).
  public static func parse(
    _ bytes: UnsafeRawBufferPointer, maximumDepth: Int = JSONParser.defaultMaximumDepth
  ) throws(JSONParseError) -> JSONValue {
    var parser = JSONParser(maximumDepth: maximumDepth)
    return try parser.parse(bytes)
  }

  /// Parses one JSON text given as a string.
  public static func parse(
    _ text: String, maximumDepth: Int = JSONParser.defaultMaximumDepth
  ) throws(JSONParseError) -> JSONValue {
    var text = text
    let result = text.withUTF8 { utf8 in
      Result { () throws(JSONParseError) -> JSONValue in
        try JSONParser.parse(UnsafeRawBufferPointer(utf8), maximumDepth: maximumDepth)
      }
    }
    return try result.get()
  }

  /// Parses one JSON text (surrounding whitespace allowed, nothing else), reusing this parser's buffers.
  public mutating func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
    guard let raw = bytes.baseAddress, !bytes.isEmpty else {
      throw JSONParseError(offset: 0, reason: .unexpectedEnd(expected: "a JSON value"))
    }
    pos = 0
    end = bytes.count
    defer {
      elementStack.removeAll(keepingCapacity: true)
      memberStack.removeAll(keepingCapacity: true)
      keyStack.removeAll(keepingCapacity: true)
      frames.removeAll(keepingCapacity: true)
    }
    return try parseDocument(raw.assumingMemoryBound(to: UInt8.self))
  }

  // MARK: - Structure

  private mutating func parseDocument(_ p: UnsafePointer<UInt8>) throws(JSONParseError) -> JSONValue
  {
    skipWhitespace(p)
    nextValue: while true {
      guard pos < end else {
        throw error(.unexpectedEnd(expected: frames.isEmpty ? "a JSON value" : "a value"))
      }
      var value: JSONValue
      let byte = p[pos]
      switch byte {
      case Ascii.openBrace:
        guard frames.count < maximumDepth else { throw error(.tooDeep(limit: maximumDepth)) }
        pos &+= 1
        skipWhitespace(p)
        if pos < end && p[pos] == Ascii.closeBrace {
          pos &+= 1
          value = .object([])
        } else {
          frames.append(Frame(isObject: true, start: memberStack.count))
          try parseKeyAndColon(p, expected: "'\"' starting a key, or '}'")
          continue nextValue
        }
      case Ascii.openBracket:
        guard frames.count < maximumDepth else { throw error(.tooDeep(limit: maximumDepth)) }
        pos &+= 1
        skipWhitespace(p)
        if pos < end && p[pos] == Ascii.closeBracket {
          pos &+= 1
          value = .array([])
        } else {
          frames.append(Frame(isObject: false, start: elementStack.count))
          continue nextValue
        }
      case Ascii.quote:
        value = .string(try parseString(p))
      case UInt8(ascii: "t"):
        try expectLiteral(p, "true")
        value = .bool(true)
      case UInt8(ascii: "f"):
        try expectLiteral(p, "false")
        value = .bool(false)
      case UInt8(ascii: "n"):
        try expectLiteral(p, "null")
        value = .null
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        value = .number(try parseNumber(p))
      default:
        throw error(.unexpectedByte(byte, expected: frames.isEmpty ? "a JSON value" : "a value"))
      }

      // Attach the finished value to its container, closing containers as long as they end here.
      while true {
        skipWhitespace(p)
        guard let frame = frames.last else {
          if pos < end { throw error(.unexpectedByte(p[pos], expected: "end of input")) }
          return value
        }
        if frame.isObject {
          memberStack.append(JSONMember(key: keyStack.removeLast(), value: value))
          guard pos < end else { throw error(.unexpectedEnd(expected: "',' or '}'")) }
          let c = p[pos]
          if c == Ascii.comma {
            pos &+= 1
            skipWhitespace(p)
            try parseKeyAndColon(p, expected: "'\"' starting a key")
            continue nextValue
          }
          guard c == Ascii.closeBrace else {
            throw error(.unexpectedByte(c, expected: "',' or '}'"))
          }
          pos &+= 1
          value = .object(Array(memberStack[frame.start...]))
          memberStack.removeSubrange(frame.start...)
          frames.removeLast()
        } else {
          elementStack.append(value)
          guard pos < end else { throw error(.unexpectedEnd(expected: "',' or ']'")) }
          let c = p[pos]
          if c == Ascii.comma {
            pos &+= 1
            skipWhitespace(p)
            continue nextValue
          }
          guard c == Ascii.closeBracket else {
            throw error(.unexpectedByte(c, expected: "',' or ']'"))
          }
          pos &+= 1
          value = .array(Array(elementStack[frame.start...]))
          elementStack.removeSubrange(frame.start...)
          frames.removeLast()
        }
      }
    }
  }

  /// Parses `"key"`, whitespace, `:` and whitespace; the key waits on `keyStack` for its value.
  private mutating func parseKeyAndColon(
    _ p: UnsafePointer<UInt8>, expected: String
  ) throws(JSONParseError) {
    guard pos < end else { throw error(.unexpectedEnd(expected: expected)) }
    guard p[pos] == Ascii.quote else { throw error(.unexpectedByte(p[pos], expected: expected)) }
    let key = try parseString(p)
    skipWhitespace(p)
    guard pos < end else { throw error(.unexpectedEnd(expected: "':' after the key")) }
    guard p[pos] == Ascii.colon else {
      throw error(.unexpectedByte(p[pos], expected: "':' after the key"))
    }
    pos &+= 1
    skipWhitespace(p)
    keyStack.append(key)
  }

  @inline(__always)
  private mutating func skipWhitespace(_ p: UnsafePointer<UInt8>) {
    while pos < end {
      switch p[pos] {
      case 0x20, 0x0A, 0x0D, 0x09: pos &+= 1
      default: return
      }
    }
  }

  private func error(_ reason: JSONParseError.Reason) -> JSONParseError {
    JSONParseError(offset: pos, reason: reason)
  }

  // MARK: - Scalars

  private mutating func expectLiteral(
    _ p: UnsafePointer<UInt8>, _ literal: StaticString
  ) throws(JSONParseError) {
    let expected = "'\(literal)'"
    let bytes = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
    for expectedByte in bytes {
      guard pos < end else { throw error(.unexpectedEnd(expected: expected)) }
      guard p[pos] == expectedByte else { throw error(.unexpectedByte(p[pos], expected: expected)) }
      pos &+= 1
    }
  }

  private mutating func parseNumber(_ p: UnsafePointer<UInt8>) throws(JSONParseError) -> JSONNumber
  {
    let start = pos
    if p[pos] == UInt8(ascii: "-") { pos &+= 1 }
    guard pos < end else { throw error(.unexpectedEnd(expected: "a digit")) }
    let first = p[pos]
    if first == UInt8(ascii: "0") {
      pos &+= 1
    } else if Ascii.isDigit(first) {
      pos &+= 1
      skipDigits(p)
    } else {
      throw error(.unexpectedByte(first, expected: "a digit"))
    }
    if pos < end && p[pos] == UInt8(ascii: ".") {
      pos &+= 1
      try requireDigit(p, expected: "a digit after '.'")
      skipDigits(p)
    }
    if pos < end && (p[pos] == UInt8(ascii: "e") || p[pos] == UInt8(ascii: "E")) {
      pos &+= 1
      if pos < end && (p[pos] == UInt8(ascii: "+") || p[pos] == UInt8(ascii: "-")) { pos &+= 1 }
      try requireDigit(p, expected: "a digit in the exponent")
      skipDigits(p)
    }
    let text = String(
      decoding: UnsafeBufferPointer(start: p + start, count: pos &- start), as: UTF8.self)
    return JSONNumber(text: text)
  }

  @inline(__always)
  private mutating func skipDigits(_ p: UnsafePointer<UInt8>) {
    while pos < end && Ascii.isDigit(p[pos]) { pos &+= 1 }
  }

  private mutating func requireDigit(
    _ p: UnsafePointer<UInt8>, expected: String
  ) throws(JSONParseError) {
    guard pos < end else { throw error(.unexpectedEnd(expected: expected)) }
    guard Ascii.isDigit(p[pos]) else { throw error(.unexpectedByte(p[pos], expected: expected)) }
    pos &+= 1
  }

  // MARK: - Strings

  /// Whether any of the 8 bytes in `word` is `"`, `\` or a control character (< 0x20). May not report
  /// false negatives; it is exact in practice, and the byte loop re-checks every byte anyway.
  @inline(__always)
  private static func needsAttention(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let quotes = word ^ (ones &* 0x22)
    let backslashes = word ^ (ones &* 0x5C)
    let hasQuote = (quotes &- ones) & ~quotes
    let hasBackslash = (backslashes &- ones) & ~backslashes
    let hasControl = (word &- ones &* 0x20) & ~word
    return (hasQuote | hasBackslash | hasControl) & highs != 0
  }

  /// Parses a string starting at its opening quote; leaves `pos` after the closing quote.
  private mutating func parseString(_ p: UnsafePointer<UInt8>) throws(JSONParseError) -> String {
    pos &+= 1
    let start = pos
    while true {
      while pos &+ 8 <= end,
        !JSONParser.needsAttention(UnsafeRawPointer(p + pos).loadUnaligned(as: UInt64.self))
      {
        pos &+= 8
      }
      let stop = min(pos &+ 8, end)
      while pos < stop {
        let byte = p[pos]
        if byte == Ascii.quote {
          let text = try makeString(p, from: start, to: pos)
          pos &+= 1
          return text
        }
        if byte == Ascii.backslash { return try parseEscapedString(p, from: start) }
        if byte < 0x20 {
          throw error(.unexpectedByte(byte, expected: "'\"' or an escaped control character"))
        }
        pos &+= 1
      }
      if pos >= end { throw error(.unexpectedEnd(expected: "'\"' closing the string")) }
    }
  }

  private func makeString(
    _ p: UnsafePointer<UInt8>, from start: Int, to stop: Int
  ) throws(JSONParseError) -> String {
    let bytes = UnsafeBufferPointer(start: p + start, count: stop &- start)
    if let text = String(validating: bytes, as: UTF8.self) { return text }
    let bad = UTF8Validator.firstInvalidOffset(in: UnsafeRawBufferPointer(bytes)) ?? 0
    throw JSONParseError(offset: start &+ bad, reason: .invalidUTF8)
  }

  /// The slow path for strings with escapes: decodes into `scratch`. `pos` is at the first backslash.
  private mutating func parseEscapedString(
    _ p: UnsafePointer<UInt8>, from start: Int
  ) throws(JSONParseError) -> String {
    scratch.removeAll(keepingCapacity: true)
    scratch.append(contentsOf: UnsafeBufferPointer(start: p + start, count: pos &- start))
    while true {
      guard pos < end else { throw error(.unexpectedEnd(expected: "'\"' closing the string")) }
      let byte = p[pos]
      if byte == Ascii.quote {
        pos &+= 1
        if let text = scratch.withUnsafeBufferPointer({ String(validating: $0, as: UTF8.self) }) {
          return text
        }
        // Escapes decode to complete UTF-8 sequences and are ASCII themselves, so the decoded text is
        // invalid exactly when the raw bytes are; report the first bad raw byte.
        let raw = UnsafeRawBufferPointer(start: p + start, count: pos &- 1 &- start)
        let bad = UTF8Validator.firstInvalidOffset(in: raw) ?? 0
        throw JSONParseError(offset: start &+ bad, reason: .invalidUTF8)
      }
      if byte == Ascii.backslash {
        try decodeEscape(p)
        continue
      }
      if byte < 0x20 {
        throw error(.unexpectedByte(byte, expected: "'\"' or an escaped control character"))
      }
      let runStart = pos
      pos &+= 1
      while pos &+ 8 <= end,
        !JSONParser.needsAttention(UnsafeRawPointer(p + pos).loadUnaligned(as: UInt64.self))
      {
        pos &+= 8
      }
      while pos < end {
        let c = p[pos]
        if c == Ascii.quote || c == Ascii.backslash || c < 0x20 { break }
        pos &+= 1
      }
      scratch.append(contentsOf: UnsafeBufferPointer(start: p + runStart, count: pos &- runStart))
    }
  }

  /// Decodes the escape at `pos` (a backslash) into `scratch`.
  private mutating func decodeEscape(_ p: UnsafePointer<UInt8>) throws(JSONParseError) {
    let expected = "an escape character (\" \\ / b f n r t u)"
    pos &+= 1
    guard pos < end else { throw error(.unexpectedEnd(expected: expected)) }
    let kind = p[pos]
    pos &+= 1
    switch kind {
    case Ascii.quote, Ascii.backslash, UInt8(ascii: "/"): scratch.append(kind)
    case UInt8(ascii: "b"): scratch.append(0x08)
    case UInt8(ascii: "f"): scratch.append(0x0C)
    case UInt8(ascii: "n"): scratch.append(0x0A)
    case UInt8(ascii: "r"): scratch.append(0x0D)
    case UInt8(ascii: "t"): scratch.append(0x09)
    case UInt8(ascii: "u"):
      let unit = try readHex4(p)
      switch unit {
      case 0xD800...0xDBFF:
        if pos &+ 1 < end && p[pos] == Ascii.backslash && p[pos &+ 1] == UInt8(ascii: "u") {
          let second = pos
          pos &+= 2
          let low = try readHex4(p)
          if (0xDC00...0xDFFF).contains(low) {
            appendScalar(0x10000 &+ ((unit &- 0xD800) << 10) &+ (low &- 0xDC00))
          } else {
            appendScalar(0xFFFD)
            pos = second  // decode the second escape on its own
          }
        } else {
          appendScalar(0xFFFD)
        }
      case 0xDC00...0xDFFF:
        appendScalar(0xFFFD)
      default:
        appendScalar(unit)
      }
    default:
      pos &-= 1
      throw error(.unexpectedByte(kind, expected: expected))
    }
  }

  private mutating func readHex4(_ p: UnsafePointer<UInt8>) throws(JSONParseError) -> UInt32 {
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard pos < end else { throw error(.unexpectedEnd(expected: "a hexadecimal digit")) }
      let c = p[pos]
      let digit: UInt8
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c &- UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c &- UInt8(ascii: "a") &+ 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c &- UInt8(ascii: "A") &+ 10
      default: throw error(.unexpectedByte(c, expected: "a hexadecimal digit"))
      }
      value = value << 4 | UInt32(digit)
      pos &+= 1
    }
    return value
  }

  private mutating func appendScalar(_ scalar: UInt32) {
    switch scalar {
    case 0..<0x80:
      scratch.append(UInt8(truncatingIfNeeded: scalar))
    case 0x80..<0x800:
      scratch.append(UInt8(truncatingIfNeeded: 0xC0 | scalar >> 6))
      scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
    case 0x800..<0x10000:
      scratch.append(UInt8(truncatingIfNeeded: 0xE0 | scalar >> 12))
      scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F))
      scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
    default:
      scratch.append(UInt8(truncatingIfNeeded: 0xF0 | scalar >> 18))
      scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 12 & 0x3F))
      scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F))
      scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
    }
  }
}
