import FahrasStorage
import Testing

@Suite struct PatchedPackingTests {
  typealias SplitMix64 = BitPackingTests.SplitMix64

  static func encode(_ values: [UInt32]) -> [UInt8] {
    var w = ByteWriter()
    values.withUnsafeBufferPointer {
      PatchedPacking.encode($0.baseAddress!, count: $0.count, into: &w)
    }
    return w.bytes
  }

  /// Decodes from a buffer of exactly the encoded size, so reads past it are caught by ASan and by
  /// the `end` checks.
  static func decode(_ bytes: [UInt8], count: Int) -> (values: [UInt32], consumed: Int)? {
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
    defer { buffer.deallocate() }
    bytes.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
    var out = [UInt32](repeating: 0, count: count)
    var offset = 0
    let ok = out.withUnsafeMutableBufferPointer {
      PatchedPacking.decode(
        from: buffer, offset: &offset, end: bytes.count, count: count, into: $0.baseAddress!)
    }
    return ok ? (out, offset) : nil
  }

  /// Random blocks shaped like postings: mostly small values with a few large outliers, uniform
  /// values of every width, all zeros, all 2^32 − 1.
  static func randomBlock(_ rng: inout SplitMix64) -> [UInt32] {
    let count = [0, 1, 2, 5, 64, 127, 128, 200, 255][rng.below(9)]
    let base = rng.below(33)
    let outliers = rng.below(4) == 0 ? 0 : rng.below(10)
    var values = (0..<count).map { _ -> UInt32 in
      base == 0 ? 0 : UInt32(truncatingIfNeeded: rng.next()) >> UInt32(32 - rng.below(base + 1))
    }
    for _ in 0..<min(outliers, count) {
      values[rng.below(count)] = UInt32(truncatingIfNeeded: rng.next()) >> UInt32(rng.below(32))
    }
    if rng.below(20) == 0 { values = values.map { _ in .max } }
    return values
  }

  @Test("random blocks round-trip and consume exactly their bytes")
  func roundTrip() throws {
    var rng = SplitMix64(state: 0xFA4A5)
    for _ in 0..<3000 {
      let values = Self.randomBlock(&rng)
      let bytes = Self.encode(values)
      let decoded = try #require(Self.decode(bytes, count: values.count), "\(values)")
      #expect(decoded.values == values)
      #expect(decoded.consumed == bytes.count)
    }
  }

  @Test("skip moves past exactly the bytes decode reads, and fails where decode fails")
  func skipAgreesWithDecode() {
    var rng = SplitMix64(state: 4242)
    for _ in 0..<2000 {
      let values = Self.randomBlock(&rng)
      var bytes = Self.encode(values)
      if rng.below(3) == 0 && !bytes.isEmpty { bytes.removeLast(1 + rng.below(bytes.count)) }
      let decoded = Self.decode(bytes, count: values.count)
      bytes.withUnsafeBytes { raw in
        var offset = 0
        let ok = PatchedPacking.skip(
          from: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!, offset: &offset,
          end: bytes.count, count: values.count)
        #expect(ok == (decoded != nil))
        if ok { #expect(offset == decoded?.consumed) }
      }
    }
  }

  @Test("never larger than fixed-width packing, and smaller with outliers")
  func neverLargerThanFixedWidth() {
    var rng = SplitMix64(state: 77)
    for _ in 0..<2000 {
      let values = Self.randomBlock(&rng)
      let width = values.withUnsafeBufferPointer {
        BitPacking.requiredWidth($0.baseAddress!, count: $0.count)
      }
      #expect(
        Self.encode(values).count <= 1 + BitPacking.byteCount(count: values.count, width: width))
    }
    // 127 gaps below 32 and one of 5000: 5 bits each plus one patch, not 13 bits each.
    var gaps = [UInt32](repeating: 17, count: 128)
    gaps[40] = 5000
    let bytes = Self.encode(gaps)
    #expect(bytes.count == 2 + 80 + 3)
    #expect(Self.decode(bytes, count: 128)?.values == gaps)
  }

  @Test("a block without exceptions is byte for byte PackedInts")
  func plainBlockIsPackedInts() {
    let values: [UInt32] = [1, 2, 1]
    #expect(Self.encode(values) == [0x02, 0x19])
    #expect(Self.encode([4, 0, 4, 10]) == [0x04, 0x04, 0xA4])
    #expect(Self.encode([]) == [0x00])
  }

  @Test("worked example: an outlier becomes one exception")
  func workedExample() {
    // 16 ones and a 300: width 1 plus one exception (index 16, high 300 >> 1 = 150 = VInt 96 01).
    // (Width 2 would take 9 bytes, width 9 would take 21.)
    let values: [UInt32] = Array(repeating: 1, count: 16) + [300]
    let bytes = Self.encode(values)
    #expect(bytes == [0x81, 0x01, 0xFF, 0xFF, 0x00, 0x10, 0x96, 0x01])
    #expect(Self.decode(bytes, count: 17)?.values == values)
  }

  @Test("malformed blocks are rejected, never read past the end")
  func malformedBlocks() {
    let good = Self.encode([1, 1, 1, 1, 1, 1, 1, 300])
    // Every truncation fails.
    for cut in 0..<good.count {
      #expect(Self.decode(Array(good[0..<cut]), count: 8) == nil, "cut at \(cut)")
    }
    let malformed: [(String, [UInt8])] = [
      ("width 33", [0x21]),
      ("reserved bit", [0x41, 0xFF]),
      ("width 32 with a patch", [0xA0, 0x01] + [UInt8](repeating: 0, count: 32)),
      ("index 8 of 8", [0x81, 0x01, 0xFF, 0x08, 0x01]),
      ("repeated index", [0x81, 0x02, 0xFF, 0x03, 0x01, 0x03, 0x01]),
      ("zero high bits", [0x81, 0x01, 0xFF, 0x03, 0x00]),
      ("high bits too wide", [0x9F, 0x01] + [UInt8](repeating: 0, count: 31) + [0x00, 0x02]),
    ]
    for (what, bytes) in malformed {
      #expect(Self.decode(bytes, count: 8) == nil, "\(what)")
    }
    // Random garbage never traps.
    var rng = SplitMix64(state: 9)
    for _ in 0..<5000 {
      let bytes = (0..<rng.below(40)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      _ = Self.decode(bytes, count: rng.below(129))
    }
  }
}
