@testable import FahrasIngest

/// Reproducible pseudo-random numbers (SplitMix64).
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Reads `bytes` as the file at `path`.
func read(_ bytes: [UInt8], path: String) -> ReadOutcome {
  bytes.withUnsafeBytes { DocumentReader.read(bytes: $0, relativePath: path) }
}

/// Reads `text` (UTF-8) as the file at `path`.
func read(_ text: String, path: String) -> ReadOutcome {
  read(Array(text.utf8), path: path)
}

func parseJSON(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
  let result = bytes.withUnsafeBytes { buffer in
    Result { () throws(JSONParseError) -> JSONValue in try JSONParser.parse(buffer) }
  }
  return try result.get()
}

/// The parse error for `text`, or nil when it parses.
func jsonError(_ text: String) -> JSONParseError? {
  do {
    _ = try JSONParser.parse(text)
    return nil
  } catch {
    return error
  }
}

func html(_ text: String) -> HTMLText { HTMLTextExtractor.extract(text) }
