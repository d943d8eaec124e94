/// Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF) on raw bytes.
public enum UTF8Validator {
  /// The byte offset of the first byte that does not start a well-formed UTF-8 sequence, or `nil` when all
  /// of `bytes` is valid UTF-8. A sequence cut short by the end of the buffer is reported at its lead byte.
  /// - Complexity: O(n); ASCII runs are checked eight bytes at a time.
  public static func firstInvalidOffset(in bytes: UnsafeRawBufferPointer) -> Int? {
    guard let base = bytes.baseAddress else { return nil }
    let count = bytes.count
    var i = 0
    while i < count {
      if i &+ 8 <= count {
        let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        if word & 0x8080_8080_8080_8080 == 0 {
          i &+= 8
          continue
        }
      }
      let b0 = base.load(fromByteOffset: i, as: UInt8.self)
      if b0 < 0x80 {
        i &+= 1
        continue
      }
      if b0 < 0xC2 { return i }  // continuation byte or overlong 2-byte lead
      if b0 < 0xE0 {
        guard i &+ 1 < count, isContinuation(base.load(fromByteOffset: i &+ 1, as: UInt8.self))
        else { return i }
        i &+= 2
        continue
      }
      if b0 < 0xF0 {
        guard i &+ 2 < count else { return i }
        let b1 = base.load(fromByteOffset: i &+ 1, as: UInt8.self)
        let b2 = base.load(fromByteOffset: i &+ 2, as: UInt8.self)
        let secondOK: Bool
        switch b0 {
        case 0xE0: secondOK = b1 >= 0xA0 && b1 <= 0xBF  // no overlong forms
        case 0xED: secondOK = b1 >= 0x80 && b1 <= 0x9F  // no surrogates
        default: secondOK = isContinuation(b1)
        }
        guard secondOK, isContinuation(b2) else { return i }
        i &+= 3
        continue
      }
      if b0 < 0xF5 {
        guard i &+ 3 < count else { return i }
        let b1 = base.load(fromByteOffset: i &+ 1, as: UInt8.self)
        let b2 = base.load(fromByteOffset: i &+ 2, as: UInt8.self)
        let b3 = base.load(fromByteOffset: i &+ 3, as: UInt8.self)
        let secondOK: Bool
        switch b0 {
        case 0xF0: secondOK = b1 >= 0x90 && b1 <= 0xBF  // no overlong forms
        case 0xF4: secondOK = b1 >= 0x80 && b1 <= 0x8F  // nothing above U+10FFFF
        default: secondOK = isContinuation(b1)
        }
        guard secondOK, isContinuation(b2), isContinuation(b3) else { return i }
        i &+= 4
        continue
      }
      return i
    }
    return nil
  }

  /// Whether all of `bytes` is well-formed UTF-8.
  public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
    firstInvalidOffset(in: bytes) == nil
  }

  @inline(__always)
  private static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }
}
