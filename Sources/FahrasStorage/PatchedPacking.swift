/// Patched bit packing (PFOR): a block of `UInt32` values packed at a width chosen for the bulk of
/// the values, with the few larger ones ("exceptions") patched in afterwards.
///
/// Fixed-width packing pays the width of the block's largest value for every value: one document
/// gap of 5 000 in a block of gaps around 30 costs 13 bits × 128 instead of 5 bits × 128. Here the
/// writer picks the width that minimizes the block's bytes, storing the high bits of each larger value
/// separately (the idea of Zukowski et al.'s PFOR and of Lucene's `PForUtil`; this layout is Fahras's):
///
/// ```
/// Patched(n) --> Token u8, (Token & 0x80 != 0 ? ExceptionCount u8), BitPacked(n, Width),
///                <Exception>^ExceptionCount
/// Token      --> bits 0-5: Width (0...32), bit 7: exceptions follow, bit 6: 0
/// Exception  --> Index u8, High VInt        value[Index] = low bits | High << Width
/// ```
///
/// Without exceptions the layout is exactly `PackedInts(n)` (a width byte, then the bit-packed
/// values), so a block whose values share one width costs nothing extra. `n` is at most 255 (Fahras
/// uses 128); exception indexes are strictly increasing, each below `n`, and each `High` is non-zero
/// and fits in `32 − Width` bits. `BitPacked` is `BitPacking`'s stream.
public enum PatchedPacking {
  /// Largest number of values in one block.
  public static let maxCount = 255

  /// Appends `values[0..<count]` in the patched layout, at the width that needs the fewest bytes
  /// (among equal sizes, the widest, which has the fewest exceptions to patch).
  ///
  /// - Precondition: `count` is in 0...255.
  /// - Complexity: O(count); the width choice works on a histogram of bit lengths.
  public static func encode(
    _ values: UnsafePointer<UInt32>, count: Int, into w: inout ByteWriter
  ) {
    precondition(count >= 0 && count <= maxCount)
    // histogram[L] = number of values whose bit length is L (0 for the value 0).
    var histogram = (
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0
    )
    var maxLength = 0
    withUnsafeMutableBytes(of: &histogram) { raw in
      let h = raw.bindMemory(to: Int.self)
      for i in 0..<count {
        let length = UInt32.bitWidth &- values[i].leadingZeroBitCount
        h[length] &+= 1
        if length > maxLength { maxLength = length }
      }
    }
    let (width, exceptions) = withUnsafeBytes(of: &histogram) { raw in
      bestWidth(raw.bindMemory(to: Int.self), count: count, maxLength: maxLength)
    }
    if exceptions == 0 {
      w.writeUInt8(UInt8(width))
    } else {
      w.writeUInt8(UInt8(width) | 0x80)
      w.writeUInt8(UInt8(exceptions))
    }
    w.append(byteCount: BitPacking.byteCount(count: count, width: width)) { out in
      BitPacking.pack(values, count: count, width: width, into: out)
    }
    guard exceptions > 0 else { return }
    for i in 0..<count where values[i] >> UInt32(width) != 0 {
      w.writeUInt8(UInt8(i))
      w.writeVInt(values[i] >> UInt32(width))
    }
  }

  /// The width with the smallest encoding, and how many values exceed it.
  private static func bestWidth(_ h: UnsafeBufferPointer<Int>, count: Int, maxLength: Int) -> (
    Int, Int
  ) {
    var best = maxLength
    var bestBytes = BitPacking.byteCount(count: count, width: maxLength)
    var bestExceptions = 0
    var width = maxLength
    while width > 0 {
      width -= 1
      var exceptions = 0
      var patchBytes = 0
      for length in (width + 1)...maxLength where h[length] > 0 {
        exceptions += h[length]
        patchBytes += h[length] * (1 + (length - width + 6) / 7)
      }
      let bytes = BitPacking.byteCount(count: count, width: width) + 1 + patchBytes
      if bytes < bestBytes {
        best = width
        bestBytes = bytes
        bestExceptions = exceptions
      }
    }
    return (best, bestExceptions)
  }

  /// Decodes `count` values starting at `offset` into `out`, reading no byte at or after `end`, and
  /// moves `offset` past the block. Returns false (leaving `out` partly written) when the block is
  /// malformed: a width above 32, reserved bits set, a block running past `end`, an exception index
  /// out of order or range, or high bits that do not fit.
  ///
  /// - Precondition: `out` has room for `count` values; `base[0..<end]` is readable.
  @inline(__always)
  public static func decode(
    from base: UnsafeRawPointer, offset: inout Int, end: Int, count: Int,
    into out: UnsafeMutablePointer<UInt32>
  ) -> Bool {
    var off = offset
    guard let (width, exceptions) = header(base, &off, end) else { return false }
    let bytes = BitPacking.byteCount(count: count, width: width)
    guard bytes <= end &- off else { return false }
    BitPacking.unpack(from: base + off, count: count, width: width, into: out)
    off &+= bytes
    if exceptions > 0 {
      guard patch(base, &off, end, count, width, exceptions, out) else { return false }
    }
    offset = off
    return true
  }

  /// Moves `offset` past a block of `count` values without decoding it. Returns false when the
  /// block is malformed or runs past `end` (the same checks as `decode`, except the values of the
  /// exceptions, which are not read).
  @inline(__always)
  public static func skip(from base: UnsafeRawPointer, offset: inout Int, end: Int, count: Int)
    -> Bool
  {
    var off = offset
    guard let (width, exceptions) = header(base, &off, end) else { return false }
    let bytes = BitPacking.byteCount(count: count, width: width)
    guard bytes <= end &- off else { return false }
    off &+= bytes
    for _ in 0..<exceptions {
      // Index byte, then the High VInt (at most 5 bytes).
      guard off < end else { return false }
      off &+= 1
      var length = 0
      while true {
        guard off < end, length < 5 else { return false }
        let b = base.load(fromByteOffset: off, as: UInt8.self)
        off &+= 1
        length &+= 1
        if b < 0x80 { break }
      }
    }
    offset = off
    return true
  }

  /// Reads a block's token and exception count at `off` (moving past them); nil when malformed: a
  /// width above 32, the reserved bit set, exceptions with width 32, or bytes missing before `end`.
  @inline(__always)
  private static func header(_ base: UnsafeRawPointer, _ off: inout Int, _ end: Int) -> (
    width: Int, exceptions: Int
  )? {
    guard off < end else { return nil }
    let token = base.load(fromByteOffset: off, as: UInt8.self)
    off &+= 1
    let width = Int(token & 0x3F)
    guard width <= 32, token & 0x40 == 0 else { return nil }
    guard token & 0x80 != 0 else { return (width, 0) }
    guard off < end, width < 32 else { return nil }
    let exceptions = Int(base.load(fromByteOffset: off, as: UInt8.self))
    off &+= 1
    return (width, exceptions)
  }

  private static func patch(
    _ base: UnsafeRawPointer, _ off: inout Int, _ end: Int, _ count: Int, _ width: Int,
    _ exceptions: Int, _ out: UnsafeMutablePointer<UInt32>
  ) -> Bool {
    var previous = -1
    for _ in 0..<exceptions {
      guard off < end else { return false }
      let index = Int(base.load(fromByteOffset: off, as: UInt8.self))
      off &+= 1
      guard index > previous, index < count else { return false }
      previous = index
      // High VInt: at most 32 − width bits, so at most 5 bytes.
      var high: UInt64 = 0
      var shift: UInt64 = 0
      while true {
        guard off < end, shift < 35 else { return false }
        let b = base.load(fromByteOffset: off, as: UInt8.self)
        off &+= 1
        high |= UInt64(b & 0x7F) << shift
        if b < 0x80 { break }
        shift &+= 7
      }
      guard high != 0, high >> UInt64(32 - width) == 0 else { return false }
      out[index] |= UInt32(truncatingIfNeeded: high) << UInt32(width)
    }
    return true
  }
}
