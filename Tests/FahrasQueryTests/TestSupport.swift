@testable import FahrasQuery

/// SplitMix64: a tiny seeded PRNG so property tests are reproducible.
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

// MARK: - Tree builders

func term(_ text: String, field: String? = nil, boost: Float = 1) -> QueryNode {
  .term(field: field, text: text, boost: boost)
}

func phrase(_ text: String, field: String? = nil, slop: Int = 0, boost: Float = 1) -> QueryNode {
  .phrase(field: field, text: text, slop: slop, boost: boost)
}

func prefix(_ text: String, field: String? = nil, boost: Float = 1) -> QueryNode {
  .prefix(field: field, text: text, boost: boost)
}

func fuzzy(_ text: String, field: String? = nil, edits: Int = 2, boost: Float = 1) -> QueryNode {
  .fuzzy(field: field, text: text, maxEdits: edits, boost: boost)
}

func bool(_ clauses: QueryClause..., boost: Float = 1) -> QueryNode {
  .boolean(clauses: clauses, boost: boost)
}

func should(_ node: QueryNode) -> QueryClause { QueryClause(occur: .should, node: node) }
func must(_ node: QueryNode) -> QueryClause { QueryClause(occur: .must, node: node) }
func mustNot(_ node: QueryNode) -> QueryClause { QueryClause(occur: .mustNot, node: node) }

// MARK: - Parsing helpers

/// Parses with the given default operator.
func parse(_ query: String, _ op: DefaultOperator = .or) throws(QueryParseError) -> QueryNode {
  try QueryParser(defaultOperator: op).parse(query)
}

/// The error `parser` reports for `query`, or nil if it parses.
func parseError(_ query: String, parser: QueryParser = QueryParser()) -> QueryParseError? {
  do {
    _ = try parser.parse(query)
    return nil
  } catch {
    return error
  }
}

/// The UTF-8 offset of the scalar at `scalarOffset` in `text` (its length for the end).
func byteOffset(ofScalar scalarOffset: Int, in text: String) -> Int {
  text.unicodeScalars.prefix(scalarOffset).reduce(0) { $0 + UTF8.width($1) }
}
