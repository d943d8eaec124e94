import Testing

@testable import FahrasText

@Suite("Properties on random input (seeded)")
struct PropertyTests {
  /// Scalars the generator draws from: every script and every special case the analyzer knows.
  private static let pool: [UInt32] = {
    var values: [UInt32] = []
    values += Array(0x20...0x7E)  // ASCII, punctuation included
    values += [0x0A, 0x09, 0x00A0, 0x00AD, 0x00DF, 0x00E9, 0x00C4, 0x0130, 0x0131, 0x0142, 0x01C5]
    values += Array(0x0621...0x064A)  // Arabic letters
    values += Array(0x064B...0x0655) + [0x0670, 0x0640, 0x0654]  // harakat, tatweel, hamza
    values += Array(0x0660...0x066D) + Array(0x06F0...0x06F9)  // digits and Arabic punctuation
    values += [
      0x060C, 0x061B, 0x061F, 0x00AB, 0x00BB, 0x06CC, 0x06A9, 0x06C0, 0x06C1, 0x06D2, 0x0671,
    ]
    values += [0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0xFEFF, 0xFE0F, 0x2019, 0x3000]
    values += [0xFEFB, 0xFEF7, 0xFE8D, 0xFEDF, 0xFEB4, 0xFE85, 0xFDFA, 0xFDF2, 0xFC5E, 0xFB01]
    values += [0xFF21, 0xFF41, 0xFF10, 0xFF0E, 0xFF65, 0xFF76]  // full-width and half-width
    values += [
      0x0391, 0x03AC, 0x03C2, 0x0410, 0x0451, 0x05D0, 0x05B8, 0x0915, 0x093F, 0x094D, 0x0E01,
    ]
    values += [0x0301, 0x0308, 0x3042, 0x30AB, 0x3099, 0x4E00, 0x6771, 0xAC00, 0x1D400, 0x20000]
    values += [0x1F600, 0x1F44B, 0xE0041, 0x10FFFF, 0xE000]
    return values
  }()

  private static func randomText(_ generator: inout SplitMix64) -> String {
    var view = String.UnicodeScalarView()
    let length = Int.random(in: 0...80, using: &generator)
    for _ in 0..<length {
      // Long Latin runs now and then, to reach the length cap.
      if Int.random(in: 0..<200, using: &generator) == 0 {
        view.append(contentsOf: String(repeating: "x", count: 250).unicodeScalars)
        continue
      }
      let value = pool[Int.random(in: 0..<pool.count, using: &generator)]
      view.append(Unicode.Scalar(value)!)
    }
    return String(view)
  }

  /// Checks the invariants of one analysis and returns the tokens.
  @discardableResult
  private static func checkInvariants(_ text: String) -> [Token] {
    let tokens = Support.tokens(text)
    let utf8 = Array(text.utf8)
    let scalars = Array(text.unicodeScalars)
    var lastStart = -1
    var lastPosition = -1
    for token in tokens {
      #expect(
        token.startByte >= 0 && token.startByte < token.endByte && token.endByte <= utf8.count)
      #expect(
        token.startScalar >= 0 && token.startScalar < token.endScalar
          && token.endScalar <= scalars.count)
      #expect(token.startByte >= lastStart)
      #expect(token.position > lastPosition)
      lastStart = token.startByte
      lastPosition = token.position
      // Offsets fall on scalar boundaries and slice the same non-empty text both ways.
      let byteSlice = utf8[token.startByte..<token.endByte]
      #expect(String(validating: byteSlice, as: UTF8.self) != nil)
      #expect(Support.byteSlice(text, token) == Support.scalarSlice(text, token))
      #expect(!token.term.isEmpty && !token.light.isEmpty)
      #expect(token.term.utf8.count <= Analyzer.maxTokenBytes)
      #expect(token.light.utf8.count <= Analyzer.maxTokenBytes)
      #expect(token.term.utf8.count <= token.light.utf8.count)
    }
    return tokens
  }

  @Test("random mixed-script strings: no trap, offsets in bounds, ordered, slicing the original")
  func randomStrings() {
    var generator = SplitMix64(seed: 0xFA4_2A5)
    for _ in 0..<3000 {
      Self.checkInvariants(Self.randomText(&generator))
    }
  }

  @Test("the byte API and the String API agree")
  func byteAPIAgrees() {
    var generator = SplitMix64(seed: 7)
    for _ in 0..<1000 {
      let text = Self.randomText(&generator)
      let viaString = Support.tokens(text)
      let viaBytes = Support.byteTokens(Array(text.utf8))
      #expect(viaString.count == viaBytes.count)
      for (a, b) in zip(viaString, viaBytes) {
        #expect(a.term == b.term && a.light == b.light && a.position == b.position)
        #expect(
          a.startByte == b.startByte && a.endByte == b.endByte && a.isStopword == b.isStopword)
      }
    }
  }

  @Test("random bytes, valid or not: no trap, offsets in bounds, terms are valid UTF-8")
  func randomBytes() {
    var generator = SplitMix64(seed: 0xBAD_B17E)
    let interesting: [UInt8] = [
      0x20, 0x2E, 0x27, 0x61, 0x41, 0x35, 0xD8, 0xD9, 0xA7, 0x84, 0xE2, 0x80, 0x8C, 0xEF, 0xBB,
      0xBB, 0xF0, 0x9F, 0xC0, 0xFF,
    ]
    for _ in 0..<3000 {
      let length = Int.random(in: 0...64, using: &generator)
      let bytes = (0..<length).map { _ in
        Bool.random(using: &generator)
          ? interesting[Int.random(in: 0..<interesting.count, using: &generator)]
          : UInt8.random(in: 0...255, using: &generator)
      }
      var lastStart = 0
      bytes.withUnsafeBufferPointer { buffer in
        Support.analyzer.analyze(utf8: buffer) { view in
          #expect(view.startByte >= lastStart)
          #expect(view.startByte < view.endByte && view.endByte <= bytes.count)
          #expect(String(validating: view.term, as: UTF8.self) != nil)
          #expect(String(validating: view.light, as: UTF8.self) != nil)
          lastStart = view.startByte
        }
      }
    }
  }

  @Test("a byte buffer that is not the whole string: offsets are relative to the buffer")
  func subBuffer() {
    let bytes = Array("xx كوريا yy".utf8)
    bytes.withUnsafeBufferPointer { buffer in
      let inner = UnsafeBufferPointer(rebasing: buffer[3..<13])
      var starts: [Int] = []
      Support.analyzer.analyze(utf8: inner) { starts.append($0.startByte) }
      #expect(starts == [0])
    }
  }

  @Test("analysis is deterministic and concurrent use is safe")
  func concurrent() async {
    var generator = SplitMix64(seed: 99)
    let texts = (0..<64).map { _ in Self.randomText(&generator) }
    let expected = texts.map(Support.tokens)
    await withTaskGroup(of: (Int, [Token]).self) { group in
      for (index, text) in texts.enumerated() {
        group.addTask { (index, Analyzer().analyze(text)) }
      }
      for await (index, result) in group {
        #expect(result == expected[index])
      }
    }
  }
}
