/// Fixed-width bit packing of `UInt32` values, the inner codec of postings blocks.
///
/// Layout: a little-endian bit stream. Value `i` occupies bits `[i * width, (i + 1) * width)`, where bit
/// `k` of the stream is bit `k % 8` (LSB = 0) of byte `k / 8`. Each value is stored LSB first. The final
/// byte is zero-padded, so `count` values take exactly `byteCount(count:width:)` bytes. Width 0 stores
/// nothing (every value is 0); width 32 is a plain little-endian `UInt32` array.
///
/// Eight consecutive values always span exactly `width` whole bytes, which the decoder exploits: for a
/// fixed width the byte offset and shift of each value within a group of 8 are compile-time constants.
public enum BitPacking {
  /// Bytes needed to pack `count` values of `width` bits: `(count * width + 7) / 8`.
  @inlinable
  public static func byteCount(count: Int, width: Int) -> Int {
    (count * width + 7) / 8
  }

  /// Smallest width (0...32) that holds every one of the `count` values (0 when all are 0 or `count` is 0).
  ///
  /// - Complexity: O(count).
  public static func requiredWidth(_ values: UnsafePointer<UInt32>, count: Int) -> Int {
    var union: UInt32 = 0
    for i in 0..<max(count, 0) {
      union |= values[i]
    }
    return UInt32.bitWidth - union.leadingZeroBitCount
  }

  /// Packs `count` values of `width` bits (0...32) into `output` as described in the type's documentation.
  ///
  /// Writes exactly `byteCount(count:width:)` bytes; `output` needs no alignment. Bits of a value above
  /// `width` are ignored (masked off), so an oversized value never corrupts its neighbours.
  ///
  /// - Precondition: `width` is in 0...32.
  /// - Complexity: O(count).
  public static func pack(
    _ values: UnsafePointer<UInt32>, count: Int, width: Int, into output: UnsafeMutableRawPointer
  ) {
    precondition((0...32).contains(width), "BitPacking width must be in 0...32")
    guard width > 0, count > 0 else { return }
    if width == 32 {
      for i in 0..<count {
        output.storeBytes(of: values[i].littleEndian, toByteOffset: i &* 4, as: UInt32.self)
      }
      return
    }
    let mask = (UInt64(1) << UInt64(width)) &- 1
    var accumulator: UInt64 = 0  // pending bits, LSB first
    var pending = 0  // number of valid bits in `accumulator`, always < 32 between values
    var out = output
    for i in 0..<count {
      accumulator |= (UInt64(values[i]) & mask) << UInt64(pending)
      pending &+= width
      if pending >= 32 {
        out.storeBytes(
          of: UInt32(truncatingIfNeeded: accumulator).littleEndian, as: UInt32.self)
        out += 4
        accumulator &>>= 32
        pending &-= 32
      }
    }
    while pending > 0 {
      out.storeBytes(of: UInt8(truncatingIfNeeded: accumulator), as: UInt8.self)
      out += 1
      accumulator &>>= 8
      pending &-= 8
    }
  }

  /// Unpacks `count` values of `width` bits (0...32) from `input` into `output`; the inverse of `pack`.
  ///
  /// Reads exactly the `byteCount(count:width:)` bytes at `input` and never beyond them, so the packed
  /// data may end right at the end of a mapping. `input` needs no alignment. Width 0 yields zeros.
  ///
  /// The bulk is decoded by a kernel specialised per width that extracts each value with one unaligned
  /// 64-bit load; the last few values, whose 8-byte loads would cross the end of the input, are decoded
  /// from a small zero-padded copy on the stack.
  ///
  /// - Precondition: `width` is in 0...32 (callers decoding stored data must validate it first).
  /// - Complexity: O(count). This is the hottest loop of query evaluation.
  public static func unpack(
    from input: UnsafeRawPointer, count: Int, width: Int, into output: UnsafeMutablePointer<UInt32>
  ) {
    precondition((0...32).contains(width), "BitPacking width must be in 0...32")
    guard count > 0 else { return }
    switch width {
    case 0: output.update(repeating: 0, count: count)
    case 1: unpackBounded(input, count, 1, output)
    case 2: unpackBounded(input, count, 2, output)
    case 3: unpackBounded(input, count, 3, output)
    case 4: unpackBounded(input, count, 4, output)
    case 5: unpackBounded(input, count, 5, output)
    case 6: unpackBounded(input, count, 6, output)
    case 7: unpackBounded(input, count, 7, output)
    case 8:
      for i in 0..<count { output[i] = UInt32(input.load(fromByteOffset: i, as: UInt8.self)) }
    case 9: unpackBounded(input, count, 9, output)
    case 10: unpackBounded(input, count, 10, output)
    case 11: unpackBounded(input, count, 11, output)
    case 12: unpackBounded(input, count, 12, output)
    case 13: unpackBounded(input, count, 13, output)
    case 14: unpackBounded(input, count, 14, output)
    case 15: unpackBounded(input, count, 15, output)
    case 16:
      for i in 0..<count {
        output[i] = UInt32(
          UInt16(littleEndian: input.loadUnaligned(fromByteOffset: i &* 2, as: UInt16.self)))
      }
    case 17: unpackBounded(input, count, 17, output)
    case 18: unpackBounded(input, count, 18, output)
    case 19: unpackBounded(input, count, 19, output)
    case 20: unpackBounded(input, count, 20, output)
    case 21: unpackBounded(input, count, 21, output)
    case 22: unpackBounded(input, count, 22, output)
    case 23: unpackBounded(input, count, 23, output)
    case 24: unpackBounded(input, count, 24, output)
    case 25: unpackBounded(input, count, 25, output)
    case 26: unpackBounded(input, count, 26, output)
    case 27: unpackBounded(input, count, 27, output)
    case 28: unpackBounded(input, count, 28, output)
    case 29: unpackBounded(input, count, 29, output)
    case 30: unpackBounded(input, count, 30, output)
    case 31: unpackBounded(input, count, 31, output)
    default:  // 32
      for i in 0..<count {
        output[i] = UInt32(
          littleEndian: input.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self))
      }
    }
  }

  /// Decodes `count` values of `width` (1...31) bits without reading past the packed bytes: the longest
  /// prefix of whole groups of 8 whose 8-byte loads stay inside the input is decoded in place, the rest
  /// from a zero-padded stack copy of the remaining bytes.
  @inline(__always)
  private static func unpackBounded(
    _ input: UnsafeRawPointer, _ count: Int, _ width: Int, _ output: UnsafeMutablePointer<UInt32>
  ) {
    let total = byteCount(count: count, width: width)
    // Group g (values 8g..<8g+8) starts at byte g*width and its last load ends at
    // g*width + (7*width)/8 + 8, which must not exceed `total`.
    let reach = (7 &* width) &>> 3 &+ 8
    var groups = 0
    if total >= reach {
      groups = min((total &- reach) / width &+ 1, count &>> 3)
    }
    if groups > 0 {
      unpackKernel(input, groups &* 8, width, output)
    }
    let done = groups &* 8
    guard done < count else { return }
    let start = groups &* width
    let rest = total &- start  // < reach <= 35 bytes (or the bytes of < 8 values)
    withUnsafeTemporaryAllocation(byteCount: 48, alignment: 8) { padded in
      let scratch = padded.baseAddress!
      scratch.initializeMemory(as: UInt8.self, repeating: 0, count: 48)
      scratch.copyMemory(from: input + start, byteCount: min(rest, 40))
      unpackKernel(UnsafeRawPointer(scratch), count &- done, width, output + done)
    }
  }

  /// Decodes `count` values of `width` (1...31) bits, assuming that 8 bytes can be loaded at the byte
  /// offset of every value (callers guarantee this by bounds or padding). Inlined with a constant width,
  /// the group loop below has constant offsets and shifts.
  @inline(__always)
  private static func unpackKernel(
    _ input: UnsafeRawPointer, _ count: Int, _ width: Int, _ output: UnsafeMutablePointer<UInt32>
  ) {
    let mask = (UInt64(1) << UInt64(width)) &- 1
    var inp = input
    var out = output
    for _ in 0..<(count &>> 3) {
      out[0] = extract(inp, 0, width, mask)
      out[1] = extract(inp, 1, width, mask)
      out[2] = extract(inp, 2, width, mask)
      out[3] = extract(inp, 3, width, mask)
      out[4] = extract(inp, 4, width, mask)
      out[5] = extract(inp, 5, width, mask)
      out[6] = extract(inp, 6, width, mask)
      out[7] = extract(inp, 7, width, mask)
      inp += width
      out += 8
    }
    for j in 0..<(count & 7) {
      out[j] = extract(inp, j, width, mask)
    }
  }

  /// Value `index` counted from a byte-aligned `base`, read with one unaligned 64-bit load.
  @inline(__always)
  private static func extract(
    _ base: UnsafeRawPointer, _ index: Int, _ width: Int, _ mask: UInt64
  ) -> UInt32 {
    let bit = index &* width
    let word = UInt64(
      littleEndian: base.loadUnaligned(fromByteOffset: bit &>> 3, as: UInt64.self))
    return UInt32(truncatingIfNeeded: (word &>> UInt64(bit & 7)) & mask)
  }
}
