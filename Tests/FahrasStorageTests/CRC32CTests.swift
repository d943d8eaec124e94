import FahrasStorage
import Testing

@Suite struct CRC32CTests {
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
    mutating func bytes(_ count: Int) -> [UInt8] {
      (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
  }

  func crc(_ bytes: [UInt8], previous: UInt32 = 0) -> UInt32 {
    bytes.withUnsafeBytes { CRC32C.checksum($0, previous: previous) }
  }

  /// Bit-at-a-time reference implementation, straight from the definition.
  func referenceCRC(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 {
        crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1
      }
    }
    return ~crc
  }

  @Test func knownVectors() {
    #expect(crc(Array("123456789".utf8)) == 0xE306_9283)
    #expect(crc([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    #expect(crc([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
    // RFC 3720 (iSCSI) B.4: incrementing and decrementing byte runs.
    #expect(crc((0..<32).map { UInt8($0) }) == 0x46DD_794E)
    #expect(crc((0..<32).map { UInt8(31 - $0) }) == 0x113F_DB5C)
    #expect(crc([]) == 0)
    #expect(crc([], previous: 0x1234_5678) == 0x1234_5678)
  }

  @Test func matchesBitwiseReferenceAtEveryLengthAndAlignment() {
    var random = SplitMix64(state: 1)
    let data = random.bytes(600)
    for length in 0...300 {
      for shift in [0, 1, 3, 7] {
        let slice = Array(data[shift..<(shift + length)])
        #expect(crc(slice) == referenceCRC(slice), "length \(length) shift \(shift)")
      }
    }
  }

  @Test func piecewiseEqualsWhole() {
    var random = SplitMix64(state: 2)
    for _ in 0..<300 {
      let data = random.bytes(random.below(2_000))
      var cuts = (0..<random.below(5)).map { _ in random.below(data.count + 1) }
      cuts += [0, data.count]
      cuts.sort()
      var running: UInt32 = 0
      for (from, to) in zip(cuts, cuts.dropFirst()) {
        running = crc(Array(data[from..<to]), previous: running)
      }
      #expect(running == crc(data))
    }
  }

  @Test func everySingleBitFlipChangesTheChecksum() {
    var random = SplitMix64(state: 3)
    for length in [1, 7, 8, 9, 64, 1000] {
      let data = random.bytes(length)
      let original = crc(data)
      for bit in 0..<(length * 8) where length <= 64 || random.below(8) == 0 {
        var flipped = data
        flipped[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
        #expect(crc(flipped) != original, "length \(length) bit \(bit)")
      }
    }
  }

  @Test func largeBufferMatchesReference() {
    var random = SplitMix64(state: 4)
    let data = random.bytes(100_003)
    #expect(crc(data) == referenceCRC(data))
  }
}

@Suite struct CRC32CHardwareAgreementTests {
  /// The hardware path (when the CPU has one) and the table-driven path agree on random input,
  /// at every length and alignment, and piecewise.
  @Test func hardwareAndSoftwareAgree() {
    var state: UInt64 = 42
    func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      return z ^ (z >> 31)
    }
    let bytes = (0..<5000).map { _ in UInt8(truncatingIfNeeded: next()) }
    bytes.withUnsafeBytes { raw in
      for start in 0..<9 {
        for length in [0, 1, 7, 8, 9, 63, 64, 65, 1000, 4000] {
          let slice = UnsafeRawBufferPointer(rebasing: raw[start..<(start + length)])
          #expect(CRC32C.checksum(slice) == CRC32C.software(slice))
          let seed = UInt32(truncatingIfNeeded: next())
          #expect(CRC32C.checksum(slice, previous: seed) == CRC32C.software(slice, previous: seed))
        }
      }
    }
    #expect(Array("123456789".utf8).withUnsafeBytes { CRC32C.checksum($0) } == 0xE306_9283)
  }
}
