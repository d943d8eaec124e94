/// Strict UTF-8 decoding of one scalar (no overlong forms, no surrogates, nothing above U+10FFFF).
enum UTF8Decoding {
  /// Returned as the scalar of an invalid sequence.
  static let invalid: UInt32 = 0xFFFF_FFFF

  /// Decodes the scalar whose first byte (≥ 0x80) is at `index`. Returns the scalar and its length,
  /// or (`invalid`, 1) when the bytes there do not start a well-formed sequence.
  @inline(__always)
  static func decodeMultibyte(_ bytes: UnsafePointer<UInt8>, at index: Int, count: Int) -> (
    scalar: UInt32, length: Int
  ) {
    let lead = bytes[index]
    let available = count - index
    if lead >= 0xC2 && lead <= 0xDF {
      guard available >= 2 else { return (invalid, 1) }
      let second = bytes[index + 1]
      guard second & 0xC0 == 0x80 else { return (invalid, 1) }
      return (UInt32(lead & 0x1F) << 6 | UInt32(second & 0x3F), 2)
    }
    if lead >= 0xE0 && lead <= 0xEF {
      guard available >= 3 else { return (invalid, 1) }
      let second = bytes[index + 1]
      let third = bytes[index + 2]
      let lowerBound: UInt8 = lead == 0xE0 ? 0xA0 : 0x80
      let upperBound: UInt8 = lead == 0xED ? 0x9F : 0xBF
      guard second >= lowerBound && second <= upperBound && third & 0xC0 == 0x80 else {
        return (invalid, 1)
      }
      return (UInt32(lead & 0x0F) << 12 | UInt32(second & 0x3F) << 6 | UInt32(third & 0x3F), 3)
    }
    if lead >= 0xF0 && lead <= 0xF4 {
      guard available >= 4 else { return (invalid, 1) }
      let second = bytes[index + 1]
      let third = bytes[index + 2]
      let fourth = bytes[index + 3]
      let lowerBound: UInt8 = lead == 0xF0 ? 0x90 : 0x80
      let upperBound: UInt8 = lead == 0xF4 ? 0x8F : 0xBF
      guard
        second >= lowerBound && second <= upperBound && third & 0xC0 == 0x80
          && fourth & 0xC0 == 0x80
      else { return (invalid, 1) }
      return (
        UInt32(lead & 0x07) << 18 | UInt32(second & 0x3F) << 12 | UInt32(third & 0x3F) << 6
          | UInt32(fourth & 0x3F), 4
      )
    }
    return (invalid, 1)
  }

  /// Decodes the scalar at `index` of bytes known to be well-formed UTF-8 (fold texts).
  @inline(__always)
  static func decodeTrusted(_ bytes: UnsafePointer<UInt8>, at index: Int) -> (
    scalar: UInt32, length: Int
  ) {
    let lead = bytes[index]
    if lead < 0x80 { return (UInt32(lead), 1) }
    if lead < 0xE0 { return (UInt32(lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F), 2) }
    if lead < 0xF0 {
      return (
        UInt32(lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6
          | UInt32(bytes[index + 2] & 0x3F), 3
      )
    }
    return (
      UInt32(lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12
        | UInt32(bytes[index + 2] & 0x3F) << 6 | UInt32(bytes[index + 3] & 0x3F), 4
    )
  }
}
