import FahrasStorage
import Testing

@Suite struct BitPackingTests {
  /// Seeded SplitMix64, so every run sees the same "random" data.
  struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
  }

  static let counts = [0, 1, 7, 8, 9, 127, 128, 129, 300]

  static func mask(_ width: Int) -> UInt32 {
    width == 32 ? .max : (UInt32(1) << UInt32(width)) - 1
  }

  /// Bit-by-bit reference packer, straight from the documented layout.
  static func referencePack(_ values: [UInt32], width: Int) -> [UInt8] {
    var bytes = [UInt8](
      repeating: 0, count: BitPacking.byteCount(count: values.count, width: width))
    for (i, value) in values.enumerated() {
      for b in 0..<width where (value >> UInt32(b)) & 1 == 1 {
        let bit = i * width + b
        bytes[bit / 8] |= UInt8(1) << UInt8(bit % 8)
      }
    }
    return bytes
  }

  /// Packs into, and unpacks from, buffers of exactly `byteCount` bytes (so the address sanitizer
  /// catches any access past them), starting `shift` bytes into an allocation to test misalignment.
  static func roundTrip(_ values: [UInt32], width: Int, shift: Int = 0) -> (
    packed: [UInt8], unpacked: [UInt32]
  ) {
    let size = BitPacking.byteCount(count: values.count, width: width)
    let raw = UnsafeMutableRawPointer.allocate(byteCount: size + shift, alignment: 16)
    defer { raw.deallocate() }
    let buffer = raw + shift
    values.withUnsafeBufferPointer {
      BitPacking.pack($0.baseAddress!, count: values.count, width: width, into: buffer)
    }
    let packed = Array(UnsafeRawBufferPointer(start: buffer, count: size))
    // The decoder's output buffer is also exactly sized.
    let output = UnsafeMutablePointer<UInt32>.allocate(capacity: max(values.count, 1))
    defer { output.deallocate() }
    output.initialize(repeating: 0xDEAD_BEEF, count: max(values.count, 1))
    BitPacking.unpack(from: buffer, count: values.count, width: width, into: output)
    return (packed, Array(UnsafeBufferPointer(start: output, count: values.count)))
  }

  @Test func byteCountFormula() {
    #expect(BitPacking.byteCount(count: 0, width: 13) == 0)
    #expect(BitPacking.byteCount(count: 128, width: 0) == 0)
    #expect(BitPacking.byteCount(count: 1, width: 1) == 1)
    #expect(BitPacking.byteCount(count: 8, width: 1) == 1)
    #expect(BitPacking.byteCount(count: 9, width: 1) == 2)
    #expect(BitPacking.byteCount(count: 128, width: 7) == 112)
    #expect(BitPacking.byteCount(count: 3, width: 13) == 5)
    #expect(BitPacking.byteCount(count: 128, width: 32) == 512)
  }

  @Test func layoutIsLittleEndianLSBFirst() {
    #expect(Self.roundTrip([1, 2, 3], width: 2).packed == [0b0011_1001])
    #expect(Self.roundTrip([0x1, 0x2, 0xF], width: 4).packed == [0x21, 0x0F])
    #expect(Self.roundTrip([0x1FFF, 0], width: 13).packed == [0xFF, 0x1F, 0x00, 0x00])
    #expect(Self.roundTrip([0, 0x1FFF], width: 13).packed == [0x00, 0xE0, 0xFF, 0x03])
    #expect(Self.roundTrip([0x1234_5678], width: 32).packed == [0x78, 0x56, 0x34, 0x12])
  }

  @Test(arguments: 0...32)
  func roundTripsAtEveryWidthAndCount(width: Int) {
    var random = SplitMix64(state: UInt64(width) &+ 100)
    let mask = Self.mask(width)
    for count in Self.counts {
      let randomValues = (0..<count).map { _ in UInt32(truncatingIfNeeded: random.next()) & mask }
      let maxValues = [UInt32](repeating: mask, count: count)
      let alternating = (0..<count).map { $0 % 2 == 0 ? mask : 0 }
      for values in [randomValues, maxValues, alternating] {
        for shift in [0, 3] {
          let (packed, unpacked) = Self.roundTrip(values, width: width, shift: shift)
          #expect(unpacked == values, "width \(width) count \(count) shift \(shift)")
          #expect(
            packed == Self.referencePack(values, width: width), "width \(width) count \(count)")
        }
      }
    }
  }

  @Test func roundTripsRandomCountsAndWidths() {
    var random = SplitMix64(state: 7)
    for _ in 0..<500 {
      let width = random.below(33)
      let count = random.below(1_100)
      let values = (0..<count).map { _ in
        UInt32(truncatingIfNeeded: random.next()) & Self.mask(width)
      }
      #expect(Self.roundTrip(values, width: width, shift: random.below(8)).unpacked == values)
    }
  }

  @Test func packWritesExactlyByteCountBytes() {
    var random = SplitMix64(state: 8)
    for width in 0...32 {
      for count in Self.counts {
        let size = BitPacking.byteCount(count: count, width: width)
        var buffer = [UInt8](repeating: 0xA5, count: size + 16)
        let values = (0..<count).map { _ in UInt32(truncatingIfNeeded: random.next()) }
        values.withUnsafeBufferPointer { v in
          buffer.withUnsafeMutableBytes { out in
            BitPacking.pack(v.baseAddress!, count: count, width: width, into: out.baseAddress! + 8)
          }
        }
        #expect(buffer[0..<8].allSatisfy { $0 == 0xA5 }, "width \(width) count \(count)")
        #expect(buffer[(8 + size)...].allSatisfy { $0 == 0xA5 }, "width \(width) count \(count)")
      }
    }
  }

  @Test func packIgnoresBitsAboveTheWidth() {
    let values: [UInt32] = [0xFFFF_FFFF, 0, 0xFFFF_FFF0, 5]
    for width in 1..<32 {
      let expected = values.map { $0 & Self.mask(width) }
      #expect(Self.roundTrip(values, width: width).unpacked == expected, "width \(width)")
    }
  }

  @Test func widthZeroWritesNothingAndUnpacksZeros() {
    var sentinel: UInt8 = 0x77
    let values: [UInt32] = [0, 0, 0]
    values.withUnsafeBufferPointer {
      BitPacking.pack($0.baseAddress!, count: 3, width: 0, into: &sentinel)
    }
    #expect(sentinel == 0x77)
    var output: [UInt32] = [9, 9, 9]
    output.withUnsafeMutableBufferPointer {
      BitPacking.unpack(from: &sentinel, count: 3, width: 0, into: $0.baseAddress!)
    }
    #expect(output == [0, 0, 0])
  }

  @Test func requiredWidthIsTheBitLengthOfTheLargestValue() {
    func width(_ values: [UInt32]) -> Int {
      values.withUnsafeBufferPointer {
        BitPacking.requiredWidth($0.baseAddress ?? UnsafePointer(bitPattern: 8)!, count: $0.count)
      }
    }
    #expect(width([]) == 0)
    #expect(width([0, 0, 0]) == 0)
    #expect(width([1]) == 1)
    #expect(width([2, 3]) == 2)
    #expect(width([4]) == 3)
    #expect(width([0, 255, 1]) == 8)
    #expect(width([256]) == 9)
    #expect(width([0x8000_0000]) == 32)
    #expect(width([.max]) == 32)
    var random = SplitMix64(state: 9)
    for _ in 0..<300 {
      let bits = random.below(33)
      let values = (0..<(1 + random.below(200))).map { _ in
        UInt32(truncatingIfNeeded: random.next()) & Self.mask(bits)
      }
      let largest = values.max()!
      let expected = largest == 0 ? 0 : 32 - largest.leadingZeroBitCount
      #expect(width(values) == expected)
      #expect(values.allSatisfy { $0 <= Self.mask(expected) })
      if expected > 0 { #expect(values.contains { $0 > Self.mask(expected - 1) }) }
    }
  }
}
