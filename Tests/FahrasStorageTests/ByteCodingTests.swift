import FahrasStorage
import Testing

@Suite struct ByteCodingTests {
  struct RNG: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  @Test func variableBytesRoundTripAtEveryMagnitude() throws {
    var rng = RNG(state: 1)
    var values: [UInt64] = [0, 1, 127, 128, 255, 16383, 16384, UInt64(UInt32.max), UInt64.max]
    for shift in 0..<64 { values.append(rng.next() >> UInt64(shift)) }
    var w = ByteWriter()
    for v in values { w.writeVInt(v) }
    #expect(w.count < values.count * 10)
    try w.bytes.withBytes { raw throws(StorageError) in
      var r = ByteReader(raw)
      for v in values { #expect(try r.readVInt64() == v) }
      #expect(r.isAtEnd)
    }
    // Sizes follow LEB128: 7 bits per byte.
    var one = ByteWriter()
    one.writeVInt(UInt64(300))
    #expect(one.bytes == [0xAC, 0x02])
  }

  @Test func fixedWidthAndStringsRoundTrip() throws {
    var w = ByteWriter()
    w.writeUInt8(7)
    w.writeUInt16(0xBEEF)
    w.writeUInt32(0xDEAD_BEEF)
    w.writeUInt64(0x0123_4567_89AB_CDEF)
    w.writeString("تعزیز café 東京")
    w.writeString("")
    try w.bytes.withBytes { raw throws(StorageError) in
      var r = ByteReader(raw)
      #expect(try r.readUInt8() == 7)
      #expect(try r.readUInt16() == 0xBEEF)
      #expect(try r.readUInt32() == 0xDEAD_BEEF)
      #expect(try r.readUInt64() == 0x0123_4567_89AB_CDEF)
      #expect(try r.readString() == "تعزیز café 東京")
      #expect(try r.readString() == "")
      #expect(r.isAtEnd)
    }
  }

  /// Truncated or overlong input throws instead of trapping.
  @Test func damagedInputThrows() {
    var rng = RNG(state: 9)
    for _ in 0..<2000 {
      let n = Int(rng.next() % 24)
      let bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      bytes.withUnsafeBytes { raw in
        var r = ByteReader(raw, name: "random")
        while !r.isAtEnd {
          do {
            switch rng.next() % 5 {
            case 0: _ = try r.readVInt64()
            case 1: _ = try r.readVInt32()
            case 2: _ = try r.readString()
            case 3: _ = try r.readUInt64()
            default: _ = try r.readBytes(Int(rng.next() % 8))
            }
          } catch {
            #expect("\(error)".contains("random"))
            break
          }
        }
      }
    }
    // An unterminated variable-length integer.
    [UInt8](repeating: 0xFF, count: 11).withUnsafeBytes { raw in
      var r = ByteReader(raw)
      #expect(throws: StorageError.self) { _ = try r.readVInt64() }
    }
  }

  @Test func envelopeDetectsEveryDamage() throws {
    var w = ByteWriter()
    let id = [UInt8](repeating: 3, count: 16)
    FileEnvelope.writeHeader(&w, kind: "TEST", segmentID: id)
    w.writeString("payload")
    FileEnvelope.writeFooter(&w)
    let good = w.bytes
    _ = try good.withBytes { raw throws(StorageError) in
      try FileEnvelope.verify(raw, file: "t", kind: "TEST", segmentID: id, checksum: true)
    }
    for i in 0..<good.count {
      var bad = good
      bad[i] ^= 0x10
      #expect(throws: StorageError.self) {
        _ = try bad.withBytes { raw throws(StorageError) in
          try FileEnvelope.verify(raw, file: "t", kind: "TEST", segmentID: id, checksum: true)
        }
      }
    }
    #expect(throws: StorageError.self) {
      _ = try Array(good.dropLast(3)).withBytes { raw throws(StorageError) in
        try FileEnvelope.verify(raw, file: "t", kind: "TEST", segmentID: id, checksum: true)
      }
    }
  }
}
