import Testing

@testable import FahrasIngest

@Suite("JSON parser")
struct JSONParserTests {
  // MARK: Values

  @Test func parsesEveryValueKind() throws {
    #expect(try JSONParser.parse("null") == .null)
    #expect(try JSONParser.parse("true") == .bool(true))
    #expect(try JSONParser.parse("false") == .bool(false))
    #expect(try JSONParser.parse("\"hi\"") == .string("hi"))
    #expect(try JSONParser.parse("[]") == .array([]))
    #expect(try JSONParser.parse("{}") == .object([]))
    #expect(try JSONParser.parse(" \t\r\n 42 \n") == .number(JSONNumber(text: "42")))
    let value = try JSONParser.parse(
      #"{"a": [1, -2.5e+3, true, null, "x", {"b": []}], "c": {}, "d": "e"}"#)
    #expect(
      value
        == .object([
          JSONMember(
            key: "a",
            value: .array([
              .number(JSONNumber(text: "1")), .number(JSONNumber(text: "-2.5e+3")), .bool(true),
              .null,
              .string("x"), .object([JSONMember(key: "b", value: .array([]))]),
            ])),
          JSONMember(key: "c", value: .object([])),
          JSONMember(key: "d", value: .string("e")),
        ]))
    #expect(value["d"] == .string("e"))
    #expect(value["a"]?[1]?.numberValue?.doubleValue == -2500)
    #expect(value["a"]?[5]?["b"] == .array([]))
    #expect(value["missing"] == nil)
    #expect(value["a"]?[99] == nil)
  }

  @Test func numbersKeepTheirLiteralText() throws {
    for literal in [
      "0", "-0", "7", "-12", "3.25", "1e5", "1E5", "1e+5", "1e-5", "-0.0e0",
      "12345678901234567890123",
    ] {
      #expect(try JSONParser.parse(literal) == .number(JSONNumber(text: literal)), "\(literal)")
    }
    let big = try JSONParser.parse("12345678901234567890123").numberValue
    #expect(big?.int64Value == nil)
    #expect(big?.doubleValue == 1.2345678901234568e22)
    #expect(try JSONParser.parse("-9223372036854775808").numberValue?.int64Value == Int64.min)
    #expect(try JSONParser.parse("2.5").numberValue?.doubleValue == 2.5)
  }

  @Test func objectsKeepOrderAndDuplicates() throws {
    let value = try JSONParser.parse(#"{"z": 1, "a": 2, "z": 3}"#)
    #expect(value.objectValue?.map(\.key) == ["z", "a", "z"])
    #expect(value["z"] == .number(JSONNumber(text: "3")), "the last duplicate wins on lookup")
  }

  // MARK: Strings

  @Test func decodesAllEscapes() throws {
    #expect(try JSONParser.parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{8}\u{C}\n\r\t"))
    #expect(try JSONParser.parse(#""\u0041\u00e9\u0645\u4E2D""#) == .string("Aéم中"))
    #expect(try JSONParser.parse(#""a\u0000b""#) == .string("a\u{0}b"))
    #expect(
      try JSONParser.parse(#""mixed \"quotes\" and ٱلْعَرَبِيَّة""#)
        == .string("mixed \"quotes\" and ٱلْعَرَبِيَّة"))
  }

  @Test func combinesSurrogatePairsAndReplacesLoneSurrogates() throws {
    #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
    #expect(try JSONParser.parse(#""\uD834\uDD1E!""#) == .string("𝄞!"))
    #expect(try JSONParser.parse(#""\ud83d""#) == .string("\u{FFFD}"))
    #expect(try JSONParser.parse(#""\ude00x""#) == .string("\u{FFFD}x"))
    #expect(try JSONParser.parse(#""\ud83dA""#) == .string("\u{FFFD}A"))
    #expect(try JSONParser.parse(#""\ud83d\u0041""#) == .string("\u{FFFD}A"))
    #expect(try JSONParser.parse(#""\ud83d\ud83d\ude00""#) == .string("\u{FFFD}😀"))
  }

  @Test func readsRawUnicode() throws {
    let text = "{\"title\": \"الفهرس\", \"emoji\": \"🌙\", \"cjk\": \"中文\"}"
    let value = try JSONParser.parse(text)
    #expect(value["title"] == .string("الفهرس"))
    #expect(value["emoji"] == .string("🌙"))
    #expect(value["cjk"] == .string("中文"))
  }

  @Test func longStringsCrossTheWordScanner() throws {
    for length in 0..<40 {
      let body = String(repeating: "a", count: length)
      #expect(try JSONParser.parse("\"\(body)\"") == .string(body))
      #expect(try JSONParser.parse("\"\(body)\\n\(body)\"") == .string(body + "\n" + body))
      #expect(jsonError("\"\(body)\n\"")?.offset == length + 1)
    }
  }

  // MARK: Errors

  @Test func reportsErrorsWithOffsetsAndExpectations() {
    let cases: [(String, Int, JSONParseError.Reason)] = [
      ("", 0, .unexpectedEnd(expected: "a JSON value")),
      ("   ", 3, .unexpectedEnd(expected: "a JSON value")),
      ("[1,]", 3, .unexpectedByte(UInt8(ascii: "]"), expected: "a value")),
      (#"{"a" 1}"#, 5, .unexpectedByte(UInt8(ascii: "1"), expected: "':' after the key")),
      (#"{"a":1,}"#, 7, .unexpectedByte(UInt8(ascii: "}"), expected: "'\"' starting a key")),
      ("{1:2}", 1, .unexpectedByte(UInt8(ascii: "1"), expected: "'\"' starting a key, or '}'")),
      ("{", 1, .unexpectedEnd(expected: "'\"' starting a key, or '}'")),
      ("[1 2]", 3, .unexpectedByte(UInt8(ascii: "2"), expected: "',' or ']'")),
      (#"{"a":1"#, 6, .unexpectedEnd(expected: "',' or '}'")),
      ("[1", 2, .unexpectedEnd(expected: "',' or ']'")),
      ("01", 1, .unexpectedByte(UInt8(ascii: "1"), expected: "end of input")),
      ("[1] x", 4, .unexpectedByte(UInt8(ascii: "x"), expected: "end of input")),
      ("-", 1, .unexpectedEnd(expected: "a digit")),
      ("-a", 1, .unexpectedByte(UInt8(ascii: "a"), expected: "a digit")),
      ("1.", 2, .unexpectedEnd(expected: "a digit after '.'")),
      ("1.e5", 2, .unexpectedByte(UInt8(ascii: "e"), expected: "a digit after '.'")),
      ("1e", 2, .unexpectedEnd(expected: "a digit in the exponent")),
      ("1e+x", 3, .unexpectedByte(UInt8(ascii: "x"), expected: "a digit in the exponent")),
      ("+1", 0, .unexpectedByte(UInt8(ascii: "+"), expected: "a JSON value")),
      (".5", 0, .unexpectedByte(UInt8(ascii: "."), expected: "a JSON value")),
      ("tru", 3, .unexpectedEnd(expected: "'true'")),
      ("trux", 3, .unexpectedByte(UInt8(ascii: "x"), expected: "'true'")),
      ("nul", 3, .unexpectedEnd(expected: "'null'")),
      ("False", 0, .unexpectedByte(UInt8(ascii: "F"), expected: "a JSON value")),
      ("\"abc", 4, .unexpectedEnd(expected: "'\"' closing the string")),
      (
        #""a\x""#, 3,
        .unexpectedByte(UInt8(ascii: "x"), expected: "an escape character (\" \\ / b f n r t u)")
      ),
      (#""a\"#, 3, .unexpectedEnd(expected: "an escape character (\" \\ / b f n r t u)")),
      (#""\u12G4""#, 5, .unexpectedByte(UInt8(ascii: "G"), expected: "a hexadecimal digit")),
      (#""\u12"#, 5, .unexpectedEnd(expected: "a hexadecimal digit")),
      (#""\ud83d\uZ""#, 9, .unexpectedByte(UInt8(ascii: "Z"), expected: "a hexadecimal digit")),
      ("\"a\nb\"", 2, .unexpectedByte(0x0A, expected: "'\"' or an escaped control character")),
      ("\"a\\n\tb\"", 4, .unexpectedByte(0x09, expected: "'\"' or an escaped control character")),
      ("[\"a\" \"b\"]", 5, .unexpectedByte(UInt8(ascii: "\""), expected: "',' or ']'")),
      ("'single'", 0, .unexpectedByte(UInt8(ascii: "'"), expected: "a JSON value")),
      ("[1,\n2,\n]", 7, .unexpectedByte(UInt8(ascii: "]"), expected: "a value")),
    ]
    for (input, offset, reason) in cases {
      let error = jsonError(input)
      #expect(
        error == JSONParseError(offset: offset, reason: reason), "input: \(input.debugDescription)")
    }
  }

  @Test func errorDescriptionsNamePositionAndExpectation() {
    #expect(jsonError("[1,]")?.description == "at byte 3: expected a value, found ']'")
    #expect(
      jsonError("{\"a\":1")?.description == "at byte 6: expected ',' or '}', found end of input")
    #expect(
      jsonError("\"a\u{1}\"")?.message
        == "expected '\"' or an escaped control character, found byte 0x01")
    #expect(jsonError("[")?.description == "at byte 1: expected a value, found end of input")
  }

  @Test func rejectsInvalidUTF8InStrings() {
    let cases: [([UInt8], Int)] = [
      ([0x22, 0x61, 0xFF, 0x22], 2),
      ([0x22, 0xC3, 0x22], 1),  // truncated 2-byte sequence
      ([0x22, 0xED, 0xA0, 0x80, 0x22], 1),  // encoded surrogate
      ([0x22, 0xC0, 0xAF, 0x22], 1),  // overlong
      // After an escape, a lead byte above U+10FFFF.
      ([0x22, 0x5C, 0x6E, 0x61, 0xF5, 0x80, 0x80, 0x80, 0x22], 4),
      ([0x5B, 0x22, 0x78, 0x22, 0x2C, 0x22, 0xD9, 0x22, 0x5D], 6),
    ]
    for (bytes, offset) in cases {
      #expect(throws: JSONParseError(offset: offset, reason: .invalidUTF8)) { try parseJSON(bytes) }
    }
    // Non-ASCII outside strings is a syntax error.
    #expect(
      throws: JSONParseError(offset: 0, reason: .unexpectedByte(0xD9, expected: "a JSON value"))
    ) {
      try parseJSON([0xD9, 0x85])
    }
  }

  // MARK: Nesting

  @Test func nestingLimitIs512Levels() throws {
    let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
    var value = try JSONParser.parse(ok)
    var depth = 0
    while case .array(let elements) = value, let first = elements.first {
      value = first
      depth += 1
    }
    #expect(depth == 511)
    let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
    #expect(jsonError(tooDeep) == JSONParseError(offset: 512, reason: .tooDeep(limit: 512)))
    #expect(
      jsonError(
        String(repeating: "{\"a\":", count: 600) + "1" + String(repeating: "}", count: 600))?.reason
        == .tooDeep(limit: 512))
  }

  @Test func hugeNestingFailsWithoutCrashing() {
    let arrays = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect(jsonError(arrays) == JSONParseError(offset: 512, reason: .tooDeep(limit: 512)))
    let unclosed = String(repeating: "[{\"k\":", count: 100_000)
    #expect(jsonError(unclosed)?.reason == .tooDeep(limit: 512))
  }

  @Test func customDepthLimit() throws {
    #expect(
      try JSONParser.parse("[[1]]", maximumDepth: 2)
        == .array([.array([.number(JSONNumber(text: "1"))])]))
    #expect(
      jsonErrorWithLimit("[[[1]]]", 2) == JSONParseError(offset: 2, reason: .tooDeep(limit: 2)))
    #expect(try JSONParser.parse("7", maximumDepth: 0) == .number(JSONNumber(text: "7")))
    #expect(jsonErrorWithLimit("[]", 0)?.reason == .tooDeep(limit: 0))
  }

  private func jsonErrorWithLimit(_ text: String, _ limit: Int) -> JSONParseError? {
    do {
      _ = try JSONParser.parse(text, maximumDepth: limit)
      return nil
    } catch {
      return error
    }
  }

  @Test func reusedParserIsCleanAfterErrors() throws {
    var parser = JSONParser()
    let inputs = [#"{"a":[1,2,{"b":"#, #"{"a":[3]}"#, "[1,", #"["x",{"y":null}]"#]
    var results: [JSONValue?] = []
    for input in inputs {
      var bytes = Array(input.utf8)
      results.append(bytes.withUnsafeMutableBytes { try? parser.parse(UnsafeRawBufferPointer($0)) })
    }
    #expect(results[0] == nil)
    #expect(
      results[1] == .object([JSONMember(key: "a", value: .array([.number(JSONNumber(text: "3"))]))])
    )
    #expect(results[2] == nil)
    #expect(results[3] == .array([.string("x"), .object([JSONMember(key: "y", value: .null)])]))
  }

  // MARK: Properties

  @Test func randomValuesRoundTrip() throws {
    var rng = SplitMix64(seed: 0x5EED_0001)
    for _ in 0..<400 {
      let value = JSONGenerator.value(&rng, depth: 0)
      let text = JSONGenerator.serialize(value, &rng)
      let parsed = try JSONParser.parse(text)
      #expect(parsed == value, "text: \(text)")
    }
  }

  @Test func mutatedInputNeverTraps() throws {
    var rng = SplitMix64(seed: 0xF022_0002)
    var parsedCount = 0
    var failedCount = 0
    for _ in 0..<1500 {
      let value = JSONGenerator.value(&rng, depth: 0)
      var bytes = Array(JSONGenerator.serialize(value, &rng).utf8)
      for _ in 0...(Int(rng.next() % 4)) {
        JSONGenerator.mutate(&bytes, &rng)
      }
      do {
        let parsed = try parseJSON(bytes)
        // Whatever parses must survive a second round trip unchanged.
        #expect(try JSONParser.parse(JSONGenerator.serialize(parsed, &rng)) == parsed)
        parsedCount += 1
      } catch {
        #expect(error.offset >= 0 && error.offset <= bytes.count)
        failedCount += 1
      }
    }
    #expect(parsedCount > 0 && failedCount > 0)
  }
}

/// Random JSON values and a small serializer (with random whitespace and escaping) for property tests.
enum JSONGenerator {
  static let alphabet: [Unicode.Scalar] = Array(
    "abcXYZ019 _-/\\\"'\n\t\u{0}\u{1F}\u{7F}éßمرحبا ٱلْعَرَبِيَّة中文😀𝄞\u{200C}\u{FEFF}".unicodeScalars)

  static func value(_ rng: inout SplitMix64, depth: Int) -> JSONValue {
    let choice = rng.next() % (depth < 4 ? 8 : 5)
    switch choice {
    case 0: return .null
    case 1: return .bool(rng.next() % 2 == 0)
    case 2: return .number(number(&rng))
    case 3, 4: return .string(string(&rng))
    case 5: return .array((0..<Int(rng.next() % 5)).map { _ in value(&rng, depth: depth + 1) })
    default:
      return .object(
        (0..<Int(rng.next() % 5)).map { _ in
          JSONMember(
            key: rng.next() % 4 == 0 ? "k" : string(&rng), value: value(&rng, depth: depth + 1))
        })
    }
  }

  static func string(_ rng: inout SplitMix64) -> String {
    var text = String.UnicodeScalarView()
    for _ in 0..<Int(rng.next() % 24) {
      text.append(alphabet[Int(rng.next() % UInt64(alphabet.count))])
    }
    return String(text)
  }

  static func number(_ rng: inout SplitMix64) -> JSONNumber {
    var text = rng.next() % 3 == 0 ? "-" : ""
    if rng.next() % 4 == 0 {
      text += "0"
    } else {
      text += String(1 + rng.next() % 9)
      for _ in 0..<Int(rng.next() % 20) { text += String(rng.next() % 10) }
    }
    if rng.next() % 3 == 0 {
      text += "."
      for _ in 0...Int(rng.next() % 6) { text += String(rng.next() % 10) }
    }
    if rng.next() % 4 == 0 {
      text += ["e", "E"][Int(rng.next() % 2)] + ["", "+", "-"][Int(rng.next() % 3)]
      for _ in 0...Int(rng.next() % 3) { text += String(rng.next() % 10) }
    }
    return JSONNumber(text: text)
  }

  static func whitespace(_ rng: inout SplitMix64) -> String {
    ["", "", "", " ", "\n", "\t", "\r\n", "  "][Int(rng.next() % 8)]
  }

  static func serialize(_ value: JSONValue, _ rng: inout SplitMix64) -> String {
    var out = whitespace(&rng)
    write(value, &rng, into: &out)
    out += whitespace(&rng)
    return out
  }

  static func write(_ value: JSONValue, _ rng: inout SplitMix64, into out: inout String) {
    switch value {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let n): out += n.text
    case .string(let s): writeString(s, &rng, into: &out)
    case .array(let elements):
      out += "[" + whitespace(&rng)
      for (i, element) in elements.enumerated() {
        if i > 0 { out += "," + whitespace(&rng) }
        write(element, &rng, into: &out)
        out += whitespace(&rng)
      }
      out += "]"
    case .object(let members):
      out += "{" + whitespace(&rng)
      for (i, member) in members.enumerated() {
        if i > 0 { out += "," + whitespace(&rng) }
        writeString(member.key, &rng, into: &out)
        out += whitespace(&rng) + ":" + whitespace(&rng)
        write(member.value, &rng, into: &out)
        out += whitespace(&rng)
      }
      out += "}"
    }
  }

  static func hex4(_ unit: UInt32, _ rng: inout SplitMix64) -> String {
    let digits = String(unit, radix: 16, uppercase: rng.next() % 2 == 0)
    return "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
  }

  static func writeString(_ text: String, _ rng: inout SplitMix64, into out: inout String) {
    out += "\""
    for scalar in text.unicodeScalars {
      let escape = rng.next() % 5 == 0
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += escape ? hex4(0x0A, &rng) : "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      case "\u{8}": out += "\\b"
      case "\u{C}": out += "\\f"
      case "/": out += escape ? "\\/" : "/"
      default:
        if scalar.value < 0x20 || escape {
          if scalar.value > 0xFFFF {
            let v = scalar.value - 0x10000
            out += hex4(0xD800 + (v >> 10), &rng) + hex4(0xDC00 + (v & 0x3FF), &rng)
          } else {
            out += hex4(scalar.value, &rng)
          }
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }

  static let interesting: [UInt8] =
    Array("{}[]\",:\\u0eE.-+ tfn\n".utf8) + [0x00, 0x80, 0xC3, 0xD9, 0xED, 0xFF]

  static func mutate(_ bytes: inout [UInt8], _ rng: inout SplitMix64) {
    let position = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count))
    let byte =
      rng.next() % 2 == 0
      ? interesting[Int(rng.next() % UInt64(interesting.count))]
      : UInt8(truncatingIfNeeded: rng.next())
    switch rng.next() % 5 {
    case 0 where !bytes.isEmpty: bytes[position] = byte
    case 1: bytes.insert(byte, at: position)
    case 2 where !bytes.isEmpty: bytes.remove(at: position)
    case 3: bytes.removeSubrange(position...)
    default:
      let count = min(bytes.count - position, Int(rng.next() % 8))
      bytes.insert(contentsOf: bytes[position..<(position + count)], at: position)
    }
  }
}
