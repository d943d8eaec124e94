import Foundation

@testable import FahrasText

/// Shared helpers for the FahrasText tests.
enum Support {
  static let analyzer = Analyzer()

  /// All tokens of `text` (String API).
  static func tokens(_ text: String) -> [Token] { analyzer.analyze(text) }

  /// The terms of all tokens, stopwords included.
  static func terms(_ text: String) -> [String] { tokens(text).map(\.term) }

  /// The light forms of all tokens.
  static func lights(_ text: String) -> [String] { tokens(text).map(\.light) }

  /// The single term of a one-word text, or nil if it does not give exactly one token.
  static func term(_ word: String) -> String? {
    let result = tokens(word)
    return result.count == 1 ? result[0].term : nil
  }

  /// The single light form of a one-word text, or nil if it does not give exactly one token.
  static func light(_ word: String) -> String? {
    let result = tokens(word)
    return result.count == 1 ? result[0].light : nil
  }

  /// The normalized form of a word list entry, straight from the character table (no stemming).
  static func normalized(_ text: String) -> String {
    String(decoding: CharTable.shared.normalizedBytes(text), as: UTF8.self)
  }

  /// Tokens of arbitrary bytes through the byte API; scalar offsets are left at 0.
  static func byteTokens(_ bytes: [UInt8]) -> [Token] {
    var result: [Token] = []
    bytes.withUnsafeBufferPointer { buffer in
      analyzer.analyze(utf8: buffer) { view in
        result.append(
          Token(
            term: String(decoding: view.term, as: UTF8.self),
            light: String(decoding: view.light, as: UTF8.self), position: view.position,
            startByte: view.startByte, endByte: view.endByte, startScalar: 0, endScalar: 0,
            isStopword: view.isStopword))
      }
    }
    return result
  }

  /// The original text a token covers, by byte offsets.
  static func byteSlice(_ text: String, _ token: Token) -> String {
    let utf8 = Array(text.utf8)
    return String(decoding: utf8[token.startByte..<token.endByte], as: UTF8.self)
  }

  /// The original text a token covers, by scalar offsets.
  static func scalarSlice(_ text: String, _ token: Token) -> String {
    var view = String.UnicodeScalarView()
    view.append(contentsOf: Array(text.unicodeScalars)[token.startScalar..<token.endScalar])
    return String(view)
  }

  /// A string from code points.
  static func string(_ scalars: UInt32...) -> String {
    var view = String.UnicodeScalarView()
    for value in scalars { view.append(Unicode.Scalar(value)!) }
    return String(view)
  }

  /// The seed article (`seeds/000_52f18522089cecc5.txt`), read relative to this file.
  static func seedArticle(filePath: String = #filePath) throws -> String {
    let directory = (filePath as NSString).deletingLastPathComponent
    let path = directory + "/../../seeds/000_52f18522089cecc5.txt"
    return try String(contentsOfFile: path, encoding: .utf8)
  }

  /// Porter2 of a lower-case ASCII word, through the stemmer's pointer API.
  static func porter2(_ word: String) -> String {
    var bytes = Array(word.utf8)
    let length = bytes.withUnsafeMutableBufferPointer { buffer in
      EnglishStemmer.stem(buffer.baseAddress!, count: buffer.count)
    }
    return String(decoding: bytes[..<length], as: UTF8.self)
  }
}

/// SplitMix64: a tiny seeded generator so property tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
