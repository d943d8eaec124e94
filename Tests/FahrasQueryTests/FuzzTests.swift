import Testing

@testable import FahrasQuery

/// Random strings rich in syntax characters: the parser returns a node or an error, never traps, reports
/// positions inside the query, and whatever it accepts prints back to an equal tree.
@Suite struct FuzzTests {
  static let pieces = [
    "a", "b", "ش", "و", "中", "🙂", "1", "2", "0", ".", "e", " ", " ", "  ", "\u{3000}", "\t", "\"",
    "\"", "(", ")",
    "(", ")", ":", "*", "~", "^", "\\", "+", "-", "AND", "OR", "NOT", "and", "title", "title:",
    "x_1:", "^2",
    "~1", "\u{00A0}", "\u{0301}",
  ]

  static func randomQuery(_ rng: inout SplitMix64) -> String {
    var query = ""
    for _ in 0..<Int.random(in: 0...30, using: &rng) {
      query += pieces[Int.random(in: 0..<pieces.count, using: &rng)]
    }
    return query
  }

  static func check(_ query: String, parser: QueryParser) -> Bool {
    do {
      let node = try parser.parse(query)
      let reparsed = try? QueryParser().parse(node.description)
      #expect(reparsed == node, "\(query) printed as \(node)")
      return reparsed == node
    } catch {
      let bytes = query.utf8.count
      #expect((0...bytes).contains(error.byteOffset), "\(query): \(error)")
      #expect(
        error.byteOffset == byteOffset(ofScalar: error.scalarOffset, in: query),
        "\(query): \(error)")
      #expect(!error.message.isEmpty)
      return (0...bytes).contains(error.byteOffset)
        && error.byteOffset == byteOffset(ofScalar: error.scalarOffset, in: query)
    }
  }

  @Test func tenThousandRandomQueries() {
    var rng = SplitMix64(seed: 0x5EED)
    let parsers = [QueryParser(), QueryParser(defaultOperator: .and)]
    var accepted = 0
    for index in 0..<10_000 {
      let query = Self.randomQuery(&rng)
      let parser = parsers[index % 2]
      if (try? parser.parse(query)) != nil { accepted += 1 }
      if !Self.check(query, parser: parser) { return }
    }
    // The alphabet is syntax-heavy, but a fair share of queries must still parse.
    #expect(accepted > 500)
  }

  @Test func randomQueriesUnderTightLimits() {
    var rng = SplitMix64(seed: 7)
    let parser = QueryParser(maxClauses: 3, maxDepth: 2, maxQueryBytes: 24)
    for _ in 0..<3_000 {
      if !Self.check(Self.randomQuery(&rng), parser: parser) { return }
    }
  }

  @Test func randomBytesDecodedAsUTF8() {
    var rng = SplitMix64(seed: 99)
    for _ in 0..<2_000 {
      let bytes = (0..<Int.random(in: 0...24, using: &rng)).map { _ in
        UInt8.random(in: 0...255, using: &rng)
      }
      if !Self.check(String(decoding: bytes, as: UTF8.self), parser: QueryParser()) { return }
    }
  }
}
