/// A cursor over the UTF-8 bytes of a query: white space, words, numbers, and error positions.
///
/// Syntax characters are ASCII, so the scanner classifies bytes and decodes a scalar only at non-ASCII bytes.
/// It never traps: every index is checked against the buffer.
struct QueryScanner {
  let bytes: UnsafeBufferPointer<UInt8>
  /// Byte offset of the next unread byte.
  var position = 0

  init(bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
  }

  var isAtEnd: Bool { position >= bytes.count }

  /// The byte at `index`, or 0 past the end.
  @inline(__always)
  func byte(at index: Int) -> UInt8 {
    index >= 0 && index < bytes.count ? bytes[index] : 0
  }

  /// The byte at the cursor, or `nil` at the end.
  var current: UInt8? { isAtEnd ? nil : bytes[position] }

  /// Length in bytes of the scalar that starts at `index` (1 past the end or on a malformed byte).
  @inline(__always)
  func scalarLength(at index: Int) -> Int {
    let lead = byte(at: index)
    let length = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    return max(1, min(length, bytes.count - index))
  }

  /// The scalar that starts at `index` (U+FFFD if the bytes are not a whole scalar).
  func scalar(at index: Int) -> Unicode.Scalar {
    let lead = byte(at: index)
    if lead < 0x80 { return Unicode.Scalar(lead) }
    let length = scalarLength(at: index)
    guard length > 1 else { return "\u{FFFD}" }
    var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
    for offset in 1..<length {
      value = value << 6 | UInt32(bytes[index + offset] & 0x3F)
    }
    return Unicode.Scalar(value) ?? "\u{FFFD}"
  }

  /// Length in bytes of the white-space scalar at `index`, or 0 if there is none there.
  @inline(__always)
  func whitespaceLength(at index: Int) -> Int {
    guard index < bytes.count else { return 0 }
    let lead = bytes[index]
    if lead < 0x80 { return QuerySyntax.isASCIIWhitespace(lead) ? 1 : 0 }
    return QuerySyntax.isNonASCIIWhitespace(scalar(at: index).value) ? scalarLength(at: index) : 0
  }

  /// Whether a word cannot continue at `index`: end, white space, or one of `( ) "`.
  /// (Used to recognize the operator words, which must stand alone.)
  func isDelimiter(at index: Int) -> Bool {
    guard index < bytes.count else { return true }
    let byte = bytes[index]
    return byte == QuerySyntax.openParen || byte == QuerySyntax.closeParen
      || byte == QuerySyntax.quote
      || whitespaceLength(at: index) > 0
  }

  /// Whether a word character (including a backslash) starts at `index`.
  func isWordCharacter(at index: Int) -> Bool {
    guard index < bytes.count else { return false }
    return !QuerySyntax.endsWord(bytes[index]) && whitespaceLength(at: index) == 0
  }

  mutating func skipWhitespace() {
    while true {
      let length = whitespaceLength(at: position)
      guard length > 0 else { return }
      position += length
    }
  }

  /// Reads a word: scalars up to white space, the end, or one of `" ( ) * ~ ^`; a backslash takes the next
  /// scalar literally. Returns the unescaped text.
  /// - Complexity: O(length of the word).
  mutating func scanWord() throws(QueryParseError) -> String {
    let start = position
    var unescaped: [UInt8] = []
    var runStart = position
    while position < bytes.count {
      let byte = bytes[position]
      if byte < 0x80 {
        if QuerySyntax.isASCIIWhitespace(byte) || QuerySyntax.endsWord(byte) { break }
        if byte == QuerySyntax.backslash {
          let next = position + 1
          guard next < bytes.count else {
            throw error("expected a character after '\\'", at: position)
          }
          unescaped.append(contentsOf: bytes[runStart..<position])
          let length = scalarLength(at: next)
          unescaped.append(contentsOf: bytes[next..<next + length])
          position = next + length
          runStart = position
          continue
        }
        position += 1
      } else {
        if whitespaceLength(at: position) > 0 { break }
        position += scalarLength(at: position)
      }
    }
    if runStart != start {  // an escape was seen
      unescaped.append(contentsOf: bytes[runStart..<position])
      return String(decoding: unescaped, as: UTF8.self)
    }
    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
  }

  /// Reads the raw run of word characters after `~` or `^` (backslashes are not interpreted: they make the
  /// run an invalid number).
  mutating func scanRun() -> Slice<UnsafeBufferPointer<UInt8>> {
    let start = position
    while isWordCharacter(at: position) { position += scalarLength(at: position) }
    return bytes[start..<position]
  }

  /// If a field name `[A-Za-z_][A-Za-z0-9_.-]*` immediately followed by `:` starts at the cursor, returns it
  /// and the offset of the colon.
  func fieldPrefix() -> (name: String, colon: Int)? {
    guard position < bytes.count, QuerySyntax.isFieldStart(bytes[position]) else { return nil }
    var end = position + 1
    while end < bytes.count && QuerySyntax.isFieldPart(bytes[end]) { end += 1 }
    guard byte(at: end) == QuerySyntax.colon else { return nil }
    let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<end]), as: UTF8.self)
    return (name, end)
  }

  /// Number of scalars in the first `byteOffset` bytes.
  /// - Complexity: O(byteOffset); only called to report an error.
  func scalarOffset(ofByte byteOffset: Int) -> Int {
    var count = 0
    for index in 0..<min(max(byteOffset, 0), bytes.count) where bytes[index] & 0xC0 != 0x80 {
      count += 1
    }
    return count
  }

  /// An error at byte `offset`, with both offsets filled in.
  func error(_ message: String, at offset: Int) -> QueryParseError {
    QueryParseError(
      message: message, scalarOffset: scalarOffset(ofByte: offset), byteOffset: offset)
  }
}
