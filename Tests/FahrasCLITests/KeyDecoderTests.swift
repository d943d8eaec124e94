import FahrasCLI
import Testing

private func decode(_ bytes: [UInt8]) -> [TerminalKey] {
  var decoder = KeyDecoder()
  return decoder.feed(bytes)
}

private func decode(_ text: String) -> [TerminalKey] { decode(Array(text.utf8)) }

private func characters(_ text: String) -> [TerminalKey] {
  text.unicodeScalars.map { .character($0) }
}

@Suite("KeyDecoder")
struct KeyDecoderTests {
  @Test("ASCII and Arabic text decode to characters")
  func text() {
    #expect(decode("ab 1") == characters("ab 1"))
    #expect(decode("سَلام") == characters("سَلام"))
    #expect(decode("日本😀") == characters("日本😀"))
  }

  @Test("UTF-8 split across reads at every byte is completed by the next read")
  func utf8SplitAcrossReads() {
    let text = "aسَ日😀z"
    let bytes = Array(text.utf8)
    for split in 0...bytes.count {
      var decoder = KeyDecoder()
      let keys = decoder.feed(bytes[..<split]) + decoder.feed(bytes[split...])
      #expect(keys == characters(text), "split at \(split)")
    }
    var decoder = KeyDecoder()
    var keys: [TerminalKey] = []
    for byte in bytes {
      keys += decoder.feed([byte])
      #expect(!decoder.hasPendingEscape)
    }
    #expect(keys == characters(text))
  }

  @Test("invalid UTF-8 becomes U+FFFD per maximal invalid subsequence")
  func invalidUTF8() {
    let fffd = TerminalKey.character("\u{FFFD}")
    #expect(decode([0xFF]) == [fffd])
    #expect(decode([0x80, 0x61]) == [fffd, .character("a")])
    #expect(decode([0xD8, 0x61]) == [fffd, .character("a")])  // truncated 2-byte
    #expect(decode([0xE2, 0x82, 0x61]) == [fffd, .character("a")])  // truncated 3-byte
    #expect(decode([0xC0, 0x80]) == [fffd, fffd])  // overlong
    #expect(decode([0xED, 0xA0, 0x80]) == [fffd, fffd, fffd])  // surrogate
    #expect(decode([0xF4, 0x90, 0x80, 0x80]) == [fffd, fffd, fffd, fffd])  // above U+10FFFF
    #expect(decode([0xD8, 0x1B, 0x5B, 0x43]) == [fffd, .right])  // escape interrupts
  }

  @Test("random bytes never trap, and valid UTF-8 always round-trips", arguments: [1, 2, 3])
  func randomBytes(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    for _ in 0..<200 {
      let bytes = (0..<Int.random(in: 0...64, using: &rng)).map { _ in
        UInt8.random(in: 0...255, using: &rng)
      }
      var decoder = KeyDecoder()
      var keys: [TerminalKey] = []
      var index = 0
      while index < bytes.count {
        let end = min(bytes.count, index + Int.random(in: 1...5, using: &rng))
        keys += decoder.feed(bytes[index..<end])
        index = end
      }
      keys += decoder.flushPendingEscape()
      #expect(keys.count <= bytes.count)

      let scalars = (0..<Int.random(in: 0...20, using: &rng)).compactMap { _ in
        Unicode.Scalar(UInt32.random(in: 0x20...0x10FFFF, using: &rng))
      }.filter { $0.value != 0x7F && !(0x80..<0xA0).contains($0.value) }
      var view = String.UnicodeScalarView()
      view.append(contentsOf: scalars)
      #expect(decode(String(view)) == scalars.map { .character($0) })
    }
  }

  @Test("control keys")
  func controlKeys() {
    #expect(decode([0x01, 0x05, 0x03, 0x04]) == [.ctrl("a"), .ctrl("e"), .ctrl("c"), .ctrl("d")])
    #expect(decode([0x0B, 0x15, 0x17, 0x0C]) == [.ctrl("k"), .ctrl("u"), .ctrl("w"), .ctrl("l")])
    #expect(decode([0x10, 0x0E, 0x19, 0x1A]) == [.ctrl("p"), .ctrl("n"), .ctrl("y"), .ctrl("z")])
    #expect(decode([0x00, 0x1C, 0x1F]) == [.ctrl("@"), .ctrl("\\"), .ctrl("_")])
    #expect(decode([0x7F, 0x08, 0x09]) == [.backspace, .backspace, .tab])
  }

  @Test("CR, LF and CRLF each give one Enter")
  func enter() {
    #expect(
      decode("a\rb\nc\r\nd") == [
        .character("a"), .enter, .character("b"), .enter, .character("c"), .enter,
        .character("d"),
      ])
    #expect(decode("\n\n") == [.enter, .enter])
    #expect(decode("\r\r") == [.enter, .enter])
    var decoder = KeyDecoder()
    #expect(decoder.feed([0x0D]) == [.enter])
    #expect(decoder.feed([0x0A]) == [])  // CRLF split across reads
  }

  @Test(
    "CSI and SS3 cursor keys",
    arguments: [
      ("\u{1B}[A", TerminalKey.up), ("\u{1B}[B", .down), ("\u{1B}[C", .right), ("\u{1B}[D", .left),
      ("\u{1B}[H", .home), ("\u{1B}[F", .end),
      ("\u{1B}OA", .up), ("\u{1B}OB", .down), ("\u{1B}OC", .right), ("\u{1B}OD", .left),
      ("\u{1B}OH", .home), ("\u{1B}OF", .end),
      ("\u{1B}[1~", .home), ("\u{1B}[7~", .home), ("\u{1B}[4~", .end), ("\u{1B}[8~", .end),
      ("\u{1B}[3~", .delete), ("\u{1B}[2~", .insert), ("\u{1B}[5~", .pageUp),
      ("\u{1B}[6~", .pageDown), ("\u{1B}[3;5~", .delete), ("\u{1B}[7^", .home),
      ("\u{1B}[8$", .end), ("\u{1B}[a", .up), ("\u{1B}[d", .left),
    ])
  func cursorKeys(sequence: String, key: TerminalKey) {
    #expect(decode(sequence) == [key])
  }

  @Test(
    "Ctrl and Alt arrows are word jumps, Shift arrows are not",
    arguments: [
      ("\u{1B}[1;5D", TerminalKey.wordLeft), ("\u{1B}[1;5C", .wordRight),
      ("\u{1B}[1;3D", .wordLeft), ("\u{1B}[1;3C", .wordRight),
      ("\u{1B}[1;7C", .wordRight), ("\u{1B}[1;2C", .right), ("\u{1B}[1;2D", .left),
      ("\u{1B}[5D", .wordLeft), ("\u{1B}[5C", .wordRight),
      ("\u{1B}O5D", .wordLeft), ("\u{1B}O5C", .wordRight),
      ("\u{1B}Od", .wordLeft), ("\u{1B}Oc", .wordRight),
      ("\u{1B}\u{1B}[D", .wordLeft), ("\u{1B}\u{1B}[C", .wordRight),
      ("\u{1B}[1;5A", .up), ("\u{1B}[1;5H", .home),
    ])
  func wordJumps(sequence: String, key: TerminalKey) {
    #expect(decode(sequence) == [key])
  }

  @Test("Alt keys: ESC followed by a key")
  func altKeys() {
    #expect(decode("\u{1B}b\u{1B}f\u{1B}d") == [.alt("b"), .alt("f"), .alt("d")])
    #expect(decode([0x1B, 0x7F]) == [.alt("\u{7F}")])
    #expect(decode([0x1B, 0x08]) == [.alt("\u{7F}")])
    #expect(decode("\u{1B}\u{1B}b") == [.escape, .alt("b")])
    #expect(decode([0x1B, 0x01]) == [.escape, .ctrl("a")])
    #expect(decode("\u{1B}س") == [.escape, .character("س")])
  }

  @Test("unknown, private and over-long sequences are consumed whole")
  func unknownSequences() {
    #expect(decode("\u{1B}[15~x") == [.unknown, .character("x")])  // F5
    #expect(decode("\u{1B}[Zx") == [.unknown, .character("x")])  // Shift-Tab
    #expect(decode("\u{1B}OPx") == [.unknown, .character("x")])  // F1
    #expect(decode("\u{1B}[<0;12;5Mx") == [.unknown, .character("x")])  // SGR mouse
    let long = "\u{1B}[" + String(repeating: "1;", count: 100) + "Cx"
    #expect(decode(long) == [.unknown, .character("x")])
    #expect(decode("\u{1B}[1\rx") == [.unknown, .enter, .character("x")])
  }

  @Test("bracketed paste markers are dropped")
  func bracketedPaste() {
    #expect(decode("\u{1B}[200~ab\u{1B}[201~") == characters("ab"))
  }

  @Test("SS3 keypad keys in application mode")
  func keypad() {
    #expect(
      decode("\u{1B}Op\u{1B}Oy\u{1B}Ok\u{1B}OM") == [
        .character("0"), .character("9"), .character("+"), .enter,
      ])
  }

  @Test("escape sequences split across reads")
  func splitEscapes() {
    let sequence = Array("\u{1B}[1;5C".utf8)
    for split in 1..<sequence.count {
      var decoder = KeyDecoder()
      #expect(decoder.feed(sequence[..<split]) == [])
      #expect(decoder.hasPendingEscape)
      #expect(decoder.feed(sequence[split...]) == [.wordRight])
      #expect(!decoder.hasPendingEscape)
    }
  }

  @Test("a lone ESC is held until flushed")
  func loneEscape() {
    var decoder = KeyDecoder()
    #expect(decoder.feed([0x1B]) == [])
    #expect(decoder.hasPendingEscape)
    #expect(decoder.flushPendingEscape() == [.escape])
    #expect(!decoder.hasPendingEscape)
    #expect(decoder.feed(Array("b".utf8)) == [.character("b")])

    #expect(decoder.feed(Array("\u{1B}[".utf8)) == [])
    #expect(decoder.flushPendingEscape() == [.alt("[")])
    #expect(decoder.feed(Array("\u{1B}O".utf8)) == [])
    #expect(decoder.flushPendingEscape() == [.alt("O")])
    #expect(decoder.feed(Array("\u{1B}\u{1B}".utf8)) == [])
    #expect(decoder.flushPendingEscape() == [.escape, .escape])
    #expect(decoder.feed(Array("\u{1B}[1;".utf8)) == [])
    #expect(decoder.flushPendingEscape() == [.unknown])
    #expect(decoder.flushPendingEscape() == [])
  }

  @Test("a partial UTF-8 character is not flushed as an escape")
  func partialUTF8NotFlushed() {
    var decoder = KeyDecoder()
    let bytes = Array("س".utf8)
    #expect(decoder.feed(bytes[..<1]) == [])
    #expect(!decoder.hasPendingEscape)
    #expect(decoder.flushPendingEscape() == [])
    #expect(decoder.feed(bytes[1...]) == [.character("س")])
  }
}
