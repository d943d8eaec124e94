import FahrasStorage
import Foundation
import Testing

@Suite struct BlockCompressorTests {
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

  static func compress(_ data: [UInt8]) -> [UInt8] {
    var output: [UInt8] = []
    data.withUnsafeBytes { BlockCompressor.compress($0, into: &output) }
    return output
  }

  /// Decompresses into an exactly sized heap buffer (so the address sanitizer sees any overrun),
  /// reading the compressed data from an exactly sized copy too.
  static func decompress(_ compressed: [UInt8], size: Int) throws -> [UInt8] {
    let input = UnsafeMutableRawBufferPointer.allocate(byteCount: compressed.count, alignment: 1)
    defer { input.deallocate() }
    input.copyBytes(from: compressed)
    let output = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 1)
    defer { output.deallocate() }
    output.initializeMemory(as: UInt8.self, repeating: 0xCD)
    let produced = try BlockCompressor.decompress(UnsafeRawBufferPointer(input), into: output)
    #expect(produced == size)
    return Array(output)
  }

  /// Checks the round trip and LZ4's end-of-block rules; returns the compressed size.
  @discardableResult
  static func checkRoundTrip(
    _ data: [UInt8], sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Int {
    let compressed = compress(data)
    #expect(
      compressed.count <= BlockCompressor.maxCompressedSize(data.count),
      sourceLocation: sourceLocation)
    let restored = try decompress(compressed, size: data.count)
    #expect(restored == data, "size \(data.count)", sourceLocation: sourceLocation)
    let layout = try parse(compressed)
    #expect(layout.lastLiterals >= min(5, data.count), sourceLocation: sourceLocation)
    #expect(
      layout.lastMatchStart.map { $0 <= data.count - 13 } ?? true, sourceLocation: sourceLocation)
    return compressed.count
  }

  /// Independent minimal parser of the documented format: the length of the final literal run and the
  /// output position where the last match starts.
  static func parse(_ block: [UInt8]) throws -> (lastLiterals: Int, lastMatchStart: Int?) {
    var ip = 0
    var produced = 0
    var lastMatchStart: Int?
    func length(_ nibble: Int) throws -> Int {
      var total = nibble
      guard nibble == 15 else { return total }
      while true {
        guard ip < block.count else { throw BlockCompressor.Error.corrupt("parse") }
        total += Int(block[ip])
        ip += 1
        if block[ip - 1] != 255 { return total }
      }
    }
    while true {
      let token = Int(block[ip])
      ip += 1
      let literals = try length(token >> 4)
      ip += literals
      produced += literals
      if ip == block.count { return (literals, lastMatchStart) }
      ip += 2
      lastMatchStart = produced
      produced += try length(token & 15) + 4
    }
  }

  static func seedText() throws -> [UInt8] {
    let testFile = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    let root = testFile.deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    return Array(
      try Data(contentsOf: root.appendingPathComponent("seeds/000_52f18522089cecc5.txt")))
  }

  /// Data of a given length and redundancy: a mix of random bytes from a small or large alphabet and
  /// copies (possibly overlapping) of earlier data.
  static func redundantData(length: Int, random: inout SplitMix64) -> [UInt8] {
    let copyPercent = random.below(101)
    let alphabet = [2, 4, 16, 64, 256][random.below(5)]
    var data: [UInt8] = []
    data.reserveCapacity(length)
    while data.count < length {
      if !data.isEmpty && random.below(100) < copyPercent {
        let distance = 1 + random.below(min(data.count, random.below(2) == 0 ? 64 : 70_000))
        let count = min(length - data.count, 1 + random.below(300))
        let from = data.count - distance
        for i in 0..<count { data.append(data[from + i]) }
      } else {
        for _ in 0..<min(length - data.count, 1 + random.below(40)) {
          data.append(UInt8(random.below(alphabet)))
        }
      }
    }
    return data
  }

  @Test func emptyInputIsOneZeroToken() throws {
    #expect(Self.compress([]) == [0x00])
    #expect(try Self.decompress([0x00], size: 0) == [])
    try Self.checkRoundTrip([])
  }

  @Test func compressAppendsToExistingOutput() {
    var output: [UInt8] = [1, 2, 3]
    let data = Array("hello hello hello hello hello".utf8)
    data.withUnsafeBytes { BlockCompressor.compress($0, into: &output) }
    #expect(output[0..<3] == [1, 2, 3])
    #expect(Array(output[3...]) == Self.compress(data))
  }

  @Test func tinyInputs() throws {
    try Self.checkRoundTrip([42])
    #expect(Self.compress([42]) == [0x10, 42])
    var random = SplitMix64(state: 11)
    for length in 0...40 {
      try Self.checkRoundTrip(random.bytes(length))
      try Self.checkRoundTrip([UInt8](repeating: 7, count: length))
    }
  }

  @Test func allZeroMegabyte() throws {
    let size = try Self.checkRoundTrip([UInt8](repeating: 0, count: 1 << 20))
    #expect(size < 5_000)
  }

  @Test func randomDataIsStoredNearlyVerbatim() throws {
    var random = SplitMix64(state: 12)
    for length in [13, 100, 4_096, 65_536, 200_000] {
      let size = try Self.checkRoundTrip(random.bytes(length))
      #expect(size <= length + length / 255 + 16)
    }
  }

  @Test func repetitiveTextShrinks() throws {
    let text = Array(
      String(repeating: "the quick brown fox jumps over the lazy dog. ", count: 2_000).utf8)
    let size = try Self.checkRoundTrip(text)
    #expect(size * 50 < text.count)
  }

  @Test func arabicTextRoundTripsAndShrinks() throws {
    let text = try Self.seedText()
    #expect(text.count > 1_000)
    let size = try Self.checkRoundTrip(text)
    #expect(size < text.count)
    // Concatenated copies compress much better: later copies are long matches.
    let repeated = Array(repeating: text, count: 8).flatMap { $0 }
    let repeatedSize = try Self.checkRoundTrip(repeated)
    #expect(repeatedSize < size + text.count / 4)
  }

  @Test func randomLengthsAndRedundancy() throws {
    var random = SplitMix64(state: 13)
    for _ in 0..<60 {
      let length = random.below(100_001)
      try Self.checkRoundTrip(Self.redundantData(length: length, random: &random))
    }
  }

  @Test("decoding stops after the sequence that reaches the limit, with the original's prefix")
  func stopsAtLimit() throws {
    var random = SplitMix64(state: 14)
    for _ in 0..<60 {
      let data = Self.redundantData(length: 1 + random.below(40_000), random: &random)
      let compressed = Self.compress(data)
      for _ in 0..<8 {
        let limit = random.below(data.count + 1)
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: data.count, alignment: 1)
        defer { output.deallocate() }
        output.initializeMemory(as: UInt8.self, repeating: 0xCD)
        let produced = try compressed.withUnsafeBytes {
          try BlockCompressor.decompress($0, into: output, stoppingAfter: limit)
        }
        #expect(produced >= limit && produced <= data.count, "limit \(limit) of \(data.count)")
        #expect(Array(output[..<produced]) == Array(data[..<produced]), "limit \(limit)")
        if limit == data.count { #expect(produced == data.count) }
      }
    }
  }

  @Test func decodesABlockProducedByTheReferenceLZ4() throws {
    // `lz4 -9` on the text below; exercises an overlapping match (offset 3, length 9) and length
    // extension bytes.
    let text = Array(
      (String(repeating: "abcabcabcabc hello hello hello world, the world says hello! ", count: 3)
        + "xyz 0123456789 0123456789 end.").utf8)
    let block: [UInt8] = [
      0x35, 0x61, 0x62, 0x63, 0x03, 0x00, 0x69, 0x20, 0x68, 0x65, 0x6C, 0x6C, 0x6F, 0x06, 0x00,
      0xA2,
      0x77, 0x6F, 0x72, 0x6C, 0x64, 0x2C, 0x20, 0x74, 0x68, 0x65, 0x0B, 0x00, 0x52, 0x20, 0x73,
      0x61,
      0x79, 0x73, 0x1C, 0x00, 0x2F, 0x21, 0x20, 0x3C, 0x00, 0x65, 0xE7, 0x78, 0x79, 0x7A, 0x20,
      0x30,
      0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x0B, 0x00, 0x50, 0x20, 0x65, 0x6E,
      0x64,
      0x2E,
    ]
    #expect(try Self.decompress(block, size: text.count) == text)
    try Self.checkRoundTrip(text)
  }

  @Test func handWrittenBlocks() throws {
    // "a", then offset 1 length 8 (overlapping run), then the literal-only sequence "bcdef".
    let block: [UInt8] = [0x14, 0x61, 0x01, 0x00, 0x50, 0x62, 0x63, 0x64, 0x65, 0x66]
    #expect(try Self.decompress(block, size: 14) == Array("aaaaaaaaabcdef".utf8))
    // Literal length 15 needs one extension byte of 0; a last token's low nibble is ignored.
    let fifteen = [UInt8](repeating: 0x41, count: 15)
    #expect(try Self.decompress([0xF7, 0x00] + fifteen, size: 15) == fifteen)
    // Match length 4 + 15 + 255 + 1 = 275 via extension bytes 0xFF 0x01.
    let longRun: [UInt8] = [0x1F, 0x7A, 0x01, 0x00, 0xFF, 0x01, 0x00]
    #expect(try Self.decompress(longRun, size: 276) == [UInt8](repeating: 0x7A, count: 276))
  }

  @Test func malformedBlocksThrow() {
    func rejects(_ block: [UInt8], size: Int, _ comment: Comment) {
      #expect(throws: BlockCompressor.Error.self, comment) {
        try Self.decompress(block, size: size)
      }
    }
    rejects([], size: 0, "empty input")
    rejects([0x00], size: 1, "ends short of the output size")
    rejects([0x10, 0x61], size: 0, "literal overruns the output")
    rejects([0x20, 0x61], size: 2, "truncated literals")
    rejects([0xF0], size: 20, "truncated literal length extension")
    rejects([0x10, 0x61, 0x00, 0x00, 0x00], size: 5, "offset 0")
    rejects([0x10, 0x61, 0x02, 0x00, 0x00], size: 5, "offset before the start")
    rejects([0x10, 0x61, 0x01], size: 5, "truncated offset")
    rejects([0x1F, 0x61, 0x01, 0x00], size: 100, "truncated match length extension")
    rejects([0x10, 0x61, 0x01, 0x00], size: 5, "ends after a match, without a last sequence")
    rejects([0x10, 0x61, 0x01, 0x00, 0x00], size: 4, "match overruns the output")
    rejects([0x10, 0x61, 0x01, 0x00, 0x00], size: 6, "ends short of the output size")
    rejects([0x10, 0x61, 0x00, 0x07], size: 1, "trailing garbage")
    rejects(
      [0x10, 0x61, 0x01, 0x00, 0x00, 0x33], size: 5, "trailing garbage after the last sequence")
  }

  @Test func corruptedBlocksNeverTrap() throws {
    var random = SplitMix64(state: 14)
    var thrown = 0
    var accepted = 0
    func attempt(_ block: [UInt8], size: Int) {
      do {
        _ = try Self.decompress(block, size: size)
        accepted += 1
      } catch {
        #expect(error is BlockCompressor.Error)
        thrown += 1
      }
    }
    for _ in 0..<400 {
      let data = Self.redundantData(length: random.below(3_000), random: &random)
      let block = Self.compress(data)
      for _ in 0..<5 {  // random byte changes
        var broken = block
        for _ in 0..<(1 + random.below(3)) {
          broken[random.below(broken.count)] = UInt8(truncatingIfNeeded: random.next())
        }
        attempt(broken, size: data.count)
      }
      attempt(Array(block.prefix(random.below(block.count))), size: data.count)  // truncation
      attempt(block + random.bytes(1 + random.below(8)), size: data.count)  // trailing garbage
      attempt(block, size: max(0, data.count - 1 - random.below(10)))  // too small a buffer
      attempt(block, size: data.count + 1 + random.below(10))  // too large a buffer
    }
    for _ in 0..<3_000 {  // pure garbage, biased towards small offsets and lengths
      var garbage = random.bytes(random.below(64))
      if random.below(2) == 0 {
        for i in garbage.indices where random.below(3) == 0 { garbage[i] &= 0x0F }
      }
      attempt(garbage, size: random.below(300))
    }
    #expect(thrown > 3_000)
    #expect(accepted > 0)
  }
}
