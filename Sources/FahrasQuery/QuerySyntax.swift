/// Character classes of the query language, shared by the parser and the printer.
///
/// All syntax characters are ASCII, so the parser classifies UTF-8 bytes directly and only decodes a scalar
/// when it meets a non-ASCII byte (to know whether it is Unicode white space).
enum QuerySyntax {
  static let quote = UInt8(ascii: "\"")
  static let openParen = UInt8(ascii: "(")
  static let closeParen = UInt8(ascii: ")")
  static let star = UInt8(ascii: "*")
  static let plus = UInt8(ascii: "+")
  static let minus = UInt8(ascii: "-")
  static let colon = UInt8(ascii: ":")
  static let backslash = UInt8(ascii: "\\")
  static let caret = UInt8(ascii: "^")
  static let tilde = UInt8(ascii: "~")

  /// The operator words. They are operators only in upper case, unescaped, and standing alone.
  static let keywords: Set<String> = ["AND", "OR", "NOT"]

  /// Bytes that end a word besides white space: `" ( ) * ~ ^`.
  @inline(__always)
  static func endsWord(_ byte: UInt8) -> Bool {
    switch byte {
    case quote, openParen, closeParen, star, tilde, caret: return true
    default: return false
    }
  }

  /// ASCII white space: space, tab, line feed, vertical tab, form feed, carriage return.
  @inline(__always)
  static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || (0x09...0x0D).contains(byte)
  }

  /// Unicode white space (`White_Space` property), e.g. U+00A0 and the ideographic space U+3000.
  static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    scalar.isASCII ? isASCIIWhitespace(UInt8(scalar.value)) : isNonASCIIWhitespace(scalar.value)
  }

  /// The non-ASCII scalars with the `White_Space` property (Unicode 15; the set has not changed since
  /// Unicode 6.3): U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
  /// A table instead of `Unicode.Scalar.Properties`, whose lookup was a tenth of a query's cost.
  @inline(__always)
  static func isNonASCIIWhitespace(_ v: UInt32) -> Bool {
    if v < 0x1680 { return v == 0x85 || v == 0xA0 }
    if v < 0x2000 { return v == 0x1680 }
    if v <= 0x200A { return true }
    return v == 0x2028 || v == 0x2029 || v == 0x202F || v == 0x205F || v == 0x3000
  }

  /// `[A-Za-z_]`: the first character of a field name.
  @inline(__always)
  static func isFieldStart(_ byte: UInt8) -> Bool {
    let lower = byte | 0x20
    return (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
  }

  /// `[A-Za-z0-9_.-]`: the other characters of a field name.
  @inline(__always)
  static func isFieldPart(_ byte: UInt8) -> Bool {
    isFieldStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
      || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
  }

  /// Whether `name` can be written as `name:` in a query.
  static func isValidFieldName(_ name: String) -> Bool {
    var bytes = name.utf8.makeIterator()
    guard let first = bytes.next(), isFieldStart(first) else { return false }
    while let byte = bytes.next() {
      guard isFieldPart(byte) else { return false }
    }
    return true
  }

  /// Whether the printer must put a backslash before `scalar` inside a word.
  static func needsEscapeInWord(_ scalar: Unicode.Scalar) -> Bool {
    guard scalar.isASCII else { return isNonASCIIWhitespace(scalar.value) }
    let byte = UInt8(scalar.value)
    return isASCIIWhitespace(byte) || endsWord(byte) || byte == backslash || byte == colon
  }
}
