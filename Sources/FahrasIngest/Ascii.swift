/// ASCII byte constants and classifications shared by the readers.
enum Ascii {
  static let tab: UInt8 = 0x09
  static let lineFeed: UInt8 = 0x0A
  static let formFeed: UInt8 = 0x0C
  static let carriageReturn: UInt8 = 0x0D
  static let space: UInt8 = 0x20
  static let quote: UInt8 = 0x22
  static let hash: UInt8 = 0x23
  static let ampersand: UInt8 = 0x26
  static let apostrophe: UInt8 = 0x27
  static let comma: UInt8 = 0x2C
  static let dot: UInt8 = 0x2E
  static let slash: UInt8 = 0x2F
  static let colon: UInt8 = 0x3A
  static let semicolon: UInt8 = 0x3B
  static let lessThan: UInt8 = 0x3C
  static let equals: UInt8 = 0x3D
  static let greaterThan: UInt8 = 0x3E
  static let openBracket: UInt8 = 0x5B
  static let backslash: UInt8 = 0x5C
  static let closeBracket: UInt8 = 0x5D
  static let openBrace: UInt8 = 0x7B
  static let closeBrace: UInt8 = 0x7D

  @inline(__always)
  static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

  @inline(__always)
  static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }

  @inline(__always)
  static func isAlphanumeric(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) }

  /// Space, tab, line feed, form feed, carriage return (the HTML and Markdown notion of whitespace).
  @inline(__always)
  static func isWhitespace(_ b: UInt8) -> Bool {
    b == space || b == tab || b == lineFeed || b == carriageReturn || b == formFeed
  }

  /// Space, tab, form feed or carriage return: whitespace that does not end a line.
  @inline(__always)
  static func isBlank(_ b: UInt8) -> Bool {
    b == space || b == tab || b == carriageReturn || b == formFeed
  }

  @inline(__always)
  static func lowercased(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }

  /// Whether every byte is ASCII whitespace (true for an empty buffer).
  static func isAllWhitespace(_ bytes: UnsafeRawBufferPointer) -> Bool {
    for b in bytes where !isWhitespace(b) { return false }
    return true
  }

  /// `bytes` without leading and trailing ASCII whitespace.
  static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    var lower = 0
    var upper = bytes.count
    while lower < upper && isWhitespace(bytes[lower]) { lower += 1 }
    while upper > lower && isWhitespace(bytes[upper - 1]) { upper -= 1 }
    return UnsafeRawBufferPointer(rebasing: bytes[lower..<upper])
  }

  /// Decodes bytes already known to be valid UTF-8.
  @inline(__always)
  static func string(_ bytes: UnsafeRawBufferPointer) -> String {
    String(decoding: bytes, as: UTF8.self)
  }
}
