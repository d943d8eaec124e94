/// The recursive-descent parser behind `QueryParser` (see its documentation for the grammar).
///
/// Recursion happens only at `(`, and the depth is checked before descending, so the stack stays bounded
/// by `maxDepth`. Every other construct is read in a loop. Work is linear in the length of the query: each
/// byte is scanned once, and parsing stops at the first error (including the clause limit).
struct QueryGrammar {
  var scanner: QueryScanner
  let defaultOperator: DefaultOperator
  let maxClauses: Int
  let maxDepth: Int
  /// Leaves read so far (a phrase counts one per word).
  var clauseCount = 0

  init(
    bytes: UnsafeBufferPointer<UInt8>, defaultOperator: DefaultOperator, maxClauses: Int,
    maxDepth: Int
  ) {
    self.scanner = QueryScanner(bytes: bytes)
    self.defaultOperator = defaultOperator
    self.maxClauses = maxClauses
    self.maxDepth = maxDepth
  }

  /// A clause as written: its explicit `+`/`-`/`NOT` prefix (nil when it had none) and its node.
  struct WrittenClause {
    var prefix: Occur?
    var node: QueryNode
  }

  /// What comes next, looking past nothing (white space has been skipped).
  enum Lookahead: Equatable {
    case end, closeParen, and, or, not, other
  }

  // MARK: - Grammar

  /// `query = ws, [or-expr], ws`.
  mutating func parseQuery() throws(QueryParseError) -> QueryNode {
    scanner.skipWhitespace()
    switch lookahead() {
    case .end: return .boolean(clauses: [], boost: 1)
    case .closeParen: throw unmatchedCloseParen()
    case .and, .or: throw operatorWithoutLeftOperand()
    case .not, .other: break
    }
    let alternatives = try parseOr(field: nil, depth: 0)
    if !scanner.isAtEnd { throw unmatchedCloseParen() }
    return Self.assemble(alternatives, boost: 1)
  }

  /// `or-expr = and-expr, {("OR" | juxtaposition under default OR), and-expr}`.
  ///
  /// Returns the alternatives, each a list of clauses joined by `AND`. Stops before `)` or the end.
  /// Precondition: white space skipped and the lookahead starts a clause.
  mutating func parseOr(field: String?, depth: Int) throws(QueryParseError) -> [[WrittenClause]] {
    var alternatives: [[WrittenClause]] = []
    var conjunction = [try parseUnary(field: field, depth: depth)]
    while true {
      scanner.skipWhitespace()
      switch lookahead() {
      case .end, .closeParen:
        alternatives.append(conjunction)
        return alternatives
      case .and:
        scanner.position += 3
        try requireOperand(after: "'AND'")
        conjunction.append(try parseUnary(field: field, depth: depth))
      case .or:
        scanner.position += 2
        try requireOperand(after: "'OR'")
        alternatives.append(conjunction)
        conjunction = [try parseUnary(field: field, depth: depth)]
      case .not, .other:
        if defaultOperator == .or {
          alternatives.append(conjunction)
          conjunction = []
        }
        conjunction.append(try parseUnary(field: field, depth: depth))
      }
    }
  }

  /// `unary = ["+" | "-" | "NOT", ws], primary`. Precondition: the lookahead is `.not` or `.other`.
  mutating func parseUnary(field: String?, depth: Int) throws(QueryParseError) -> WrittenClause {
    if lookahead() == .not {
      scanner.position += 3
      scanner.skipWhitespace()
      let node = try parsePrimary(field: field, depth: depth, after: "'NOT'")
      return WrittenClause(prefix: .mustNot, node: node)
    }
    let byte = scanner.byte(at: scanner.position)
    if byte == QuerySyntax.plus || byte == QuerySyntax.minus {
      scanner.position += 1
      let sign = byte == QuerySyntax.plus ? "'+'" : "'-'"
      let node = try parsePrimary(field: field, depth: depth, after: sign)
      return WrittenClause(prefix: byte == QuerySyntax.plus ? .must : .mustNot, node: node)
    }
    return WrittenClause(
      prefix: nil, node: try parsePrimary(field: field, depth: depth, after: nil))
  }

  /// `primary = [field, ":"], (group | phrase | word-clause)`. `after` names what came before, for errors.
  mutating func parsePrimary(field: String?, depth: Int, after: String?) throws(QueryParseError)
    -> QueryNode
  {
    let start = scanner.position
    switch lookahead() {
    case .end, .closeParen, .and, .or, .not:
      throw expectedTerm(after: after, at: start)
    case .other:
      break
    }
    if scanner.whitespaceLength(at: start) > 0 { throw expectedTerm(after: after, at: start) }
    switch scanner.bytes[start] {
    case QuerySyntax.openParen:
      return try parseGroup(field: field, depth: depth)
    case QuerySyntax.quote:
      return try parsePhrase(field: field)
    case QuerySyntax.plus, QuerySyntax.minus:
      throw expectedTerm(after: after, at: start)
    case QuerySyntax.star, QuerySyntax.tilde, QuerySyntax.caret:
      throw misplacedSuffix(at: start)
    default:
      break
    }
    if let (name, colon) = scanner.fieldPrefix() {
      scanner.position = colon + 1
      return try parseFieldOperand(field: name, depth: depth)
    }
    return try parseWordClause(field: field)
  }

  /// What follows `field:`: a group, a phrase or a word clause, with nothing in between. Operator words
  /// are plain words here (`title:AND` searches for "AND").
  mutating func parseFieldOperand(field: String, depth: Int) throws(QueryParseError) -> QueryNode {
    let start = scanner.position
    guard let byte = scanner.current, byte != QuerySyntax.closeParen,
      scanner.whitespaceLength(at: start) == 0
    else {
      throw scanner.error("expected a term, phrase or group after '\(field):'", at: start)
    }
    switch byte {
    case QuerySyntax.openParen:
      return try parseGroup(field: field, depth: depth)
    case QuerySyntax.quote:
      return try parsePhrase(field: field)
    case QuerySyntax.plus, QuerySyntax.minus:
      let sign = Character(Unicode.Scalar(byte))
      throw scanner.error(
        "expected a term after '\(field):' (put '\(sign)' before the field: \(sign)\(field):word)",
        at: start)
    case QuerySyntax.star, QuerySyntax.tilde, QuerySyntax.caret:
      throw misplacedSuffix(at: start)
    default:
      return try parseWordClause(field: field)
    }
  }

  /// `group = "(", ws, or-expr, ws, ")", [boost]`.
  mutating func parseGroup(field: String?, depth: Int) throws(QueryParseError) -> QueryNode {
    let open = scanner.position
    guard depth < maxDepth else {
      throw scanner.error("nesting too deep (limit \(maxDepth))", at: open)
    }
    scanner.position += 1
    scanner.skipWhitespace()
    switch lookahead() {
    case .end: throw scanner.error("expected a term after '('", at: scanner.position)
    case .closeParen:
      throw scanner.error("empty group: expected a term between '(' and ')'", at: scanner.position)
    case .and, .or: throw operatorWithoutLeftOperand()
    case .not, .other: break
    }
    let alternatives = try parseOr(field: field, depth: depth + 1)
    guard !scanner.isAtEnd else {
      throw scanner.error(
        "expected ')' to close the group opened at \(scanner.scalarOffset(ofByte: open))",
        at: scanner.position)
    }
    scanner.position += 1  // the ')' that stopped parseOr
    let boost = try parseOptionalBoost()
    try rejectSuffix(after: boost == nil ? "')'" : "the boost")
    return Self.assemble(alternatives, boost: boost ?? 1)
  }

  /// `phrase = '"', {phrase-char}, '"', ["~", slop], [boost]`.
  mutating func parsePhrase(field: String?) throws(QueryParseError) -> QueryNode {
    let open = scanner.position
    let bytes = scanner.bytes
    var text: [UInt8] = []
    scanner.position += 1
    var runStart = scanner.position
    var closed = false
    while scanner.position < bytes.count {
      let byte = bytes[scanner.position]
      if byte == QuerySyntax.quote {
        closed = true
        break
      }
      if byte == QuerySyntax.backslash && scanner.position + 1 < bytes.count {
        text.append(contentsOf: bytes[runStart..<scanner.position])
        let next = scanner.position + 1
        let length = scanner.scalarLength(at: next)
        text.append(contentsOf: bytes[next..<next + length])
        scanner.position = next + length
        runStart = scanner.position
        continue
      }
      scanner.position += 1
    }
    guard closed else {
      throw scanner.error(
        "expected '\"' to close the phrase opened at \(scanner.scalarOffset(ofByte: open))",
        at: bytes.count)
    }
    text.append(contentsOf: bytes[runStart..<scanner.position])
    scanner.position += 1  // closing quote
    let phrase = String(decoding: text, as: UTF8.self)
    let words = Self.wordCount(phrase)
    guard words > 0 else {
      throw scanner.error("empty phrase: expected words between the quotes", at: open)
    }
    var slop = 0
    if scanner.current == QuerySyntax.tilde {
      scanner.position += 1
      let runStart = scanner.position
      let run = scanner.scanRun()
      guard let value = Self.smallInteger(run), value <= 100 else {
        throw scanner.error(
          "expected a phrase slop (an integer from 0 to 100) after '~'", at: runStart)
      }
      slop = value
    }
    let boost = try parseOptionalBoost()
    try rejectSuffix(after: boost == nil ? "a phrase" : "the boost")
    try countClauses(words, at: open)
    return .phrase(field: field, text: phrase, slop: slop, boost: boost ?? 1)
  }

  /// `word-clause = word, ["*" | "~", [edits]], [boost]`.
  mutating func parseWordClause(field: String?) throws(QueryParseError) -> QueryNode {
    let start = scanner.position
    let text = try scanner.scanWord()
    // Callers start here only at a word character, so the word is never empty; stay safe regardless.
    guard !text.isEmpty else { throw expectedTerm(after: nil, at: start) }
    enum Kind {
      case term, prefix
      case fuzzy(Int)
    }
    var kind = Kind.term
    var suffix = "a term"
    if scanner.current == QuerySyntax.star {
      let star = scanner.position
      scanner.position += 1
      if scanner.isWordCharacter(at: scanner.position) || scanner.current == QuerySyntax.star {
        throw scanner.error("wildcard '*' is only supported at the end of a term", at: star)
      }
      kind = .prefix
      suffix = "'*'"
    } else if scanner.current == QuerySyntax.tilde {
      scanner.position += 1
      let runStart = scanner.position
      let run = scanner.scanRun()
      if run.isEmpty {
        kind = .fuzzy(2)
      } else {
        guard let edits = Self.smallInteger(run), edits <= 2 else {
          throw scanner.error("expected a fuzzy edit distance of 0, 1 or 2 after '~'", at: runStart)
        }
        kind = .fuzzy(edits)
      }
      suffix = "'~'"
    }
    let boost = try parseOptionalBoost()
    try rejectSuffix(after: boost == nil ? suffix : "the boost")
    try countClauses(1, at: start)
    let value = boost ?? 1
    switch kind {
    case .term: return .term(field: field, text: text, boost: value)
    case .prefix: return .prefix(field: field, text: text, boost: value)
    case .fuzzy(let edits): return .fuzzy(field: field, text: text, maxEdits: edits, boost: value)
    }
  }

  /// `boost = "^", number` where number is `digits [. digits] [(e|E) [+|-] digits]`, positive and finite.
  /// Returns nil when there is no `^`.
  mutating func parseOptionalBoost() throws(QueryParseError) -> Float? {
    guard scanner.current == QuerySyntax.caret else { return nil }
    scanner.position += 1
    let start = scanner.position
    let run = scanner.scanRun()
    guard Self.isDecimalNumber(run), let value = Float(String(decoding: run, as: UTF8.self)) else {
      throw scanner.error("expected a number after '^'", at: start)
    }
    guard value > 0 && value.isFinite else {
      throw scanner.error("expected a positive finite boost after '^'", at: start)
    }
    return value
  }

  // MARK: - Helpers

  /// Classifies what is at the cursor (white space must have been skipped).
  func lookahead() -> Lookahead {
    let position = scanner.position
    guard position < scanner.bytes.count else { return .end }
    let byte = scanner.bytes[position]
    let next = scanner.byte(at: position + 1)
    let third = scanner.byte(at: position + 2)
    switch byte {
    case QuerySyntax.closeParen:
      return .closeParen
    case UInt8(ascii: "A") where next == UInt8(ascii: "N") && third == UInt8(ascii: "D"):
      return scanner.isDelimiter(at: position + 3) ? .and : .other
    case UInt8(ascii: "N") where next == UInt8(ascii: "O") && third == UInt8(ascii: "T"):
      return scanner.isDelimiter(at: position + 3) ? .not : .other
    case UInt8(ascii: "O") where next == UInt8(ascii: "R"):
      return scanner.isDelimiter(at: position + 2) ? .or : .other
    default:
      return .other
    }
  }

  /// After a binary operator: skips white space and requires the start of a clause.
  mutating func requireOperand(after op: String) throws(QueryParseError) {
    scanner.skipWhitespace()
    switch lookahead() {
    case .end, .closeParen, .and, .or:
      throw scanner.error("expected a term after \(op)", at: scanner.position)
    case .not, .other: return
    }
  }

  /// After a complete clause, a further `*`, `~` or `^` is an error.
  func rejectSuffix(after what: String) throws(QueryParseError) {
    guard let byte = scanner.current,
      byte == QuerySyntax.star || byte == QuerySyntax.tilde || byte == QuerySyntax.caret
    else { return }
    let character = Character(Unicode.Scalar(byte))
    throw scanner.error("unexpected '\(character)' after \(what)", at: scanner.position)
  }

  mutating func countClauses(_ count: Int, at offset: Int) throws(QueryParseError) {
    clauseCount += count
    if clauseCount > maxClauses {
      throw scanner.error("too many clauses (limit \(maxClauses))", at: offset)
    }
  }

  func expectedTerm(after: String?, at offset: Int) -> QueryParseError {
    if let after { return scanner.error("expected a term after \(after)", at: offset) }
    switch lookahead() {
    case .and: return scanner.error("expected a term before 'AND'", at: offset)
    case .or: return scanner.error("expected a term before 'OR'", at: offset)
    default: return scanner.error("expected a term", at: offset)
    }
  }

  func operatorWithoutLeftOperand() -> QueryParseError {
    expectedTerm(after: nil, at: scanner.position)
  }

  func unmatchedCloseParen() -> QueryParseError {
    scanner.error("unexpected ')' without a matching '('", at: scanner.position)
  }

  /// `*`, `~` or `^` where a clause should start.
  func misplacedSuffix(at offset: Int) -> QueryParseError {
    switch scanner.byte(at: offset) {
    case QuerySyntax.star:
      return scanner.error(
        "expected a term before '*' (leading wildcards are not supported)", at: offset)
    case QuerySyntax.tilde:
      return scanner.error("expected a term or phrase before '~'", at: offset)
    default:
      return scanner.error("expected a term, phrase or group before '^'", at: offset)
    }
  }

  /// Builds the node of a group (or of the whole query) from its alternatives.
  ///
  /// A lone clause without prefix and without group boost is returned unwrapped. Clauses joined by `AND`
  /// (or by juxtaposition under default AND) are `must` unless prefixed; alternatives are `should` unless a
  /// single prefixed clause.
  static func assemble(_ alternatives: [[WrittenClause]], boost: Float) -> QueryNode {
    if alternatives.count == 1 {
      let conjunction = alternatives[0]
      if conjunction.count == 1 {
        let only = conjunction[0]
        if only.prefix == nil && boost == 1 { return only.node }
        return .boolean(
          clauses: [QueryClause(occur: only.prefix ?? .should, node: only.node)], boost: boost)
      }
      return .boolean(clauses: conjunction.map(requiredClause), boost: boost)
    }
    let clauses = alternatives.map { conjunction in
      if conjunction.count == 1 {
        return QueryClause(occur: conjunction[0].prefix ?? .should, node: conjunction[0].node)
      }
      return QueryClause(
        occur: .should, node: .boolean(clauses: conjunction.map(requiredClause), boost: 1))
    }
    return .boolean(clauses: clauses, boost: boost)
  }

  private static func requiredClause(_ clause: WrittenClause) -> QueryClause {
    QueryClause(occur: clause.prefix ?? .must, node: clause.node)
  }

  /// Number of white-space separated words in `text`.
  static func wordCount(_ text: String) -> Int {
    var count = 0
    var inWord = false
    for scalar in text.unicodeScalars {
      let isSpace = QuerySyntax.isWhitespace(scalar)
      if !isSpace && !inWord { count += 1 }
      inWord = !isSpace
    }
    return count
  }

  /// The value of 1 to 3 ASCII digits, or nil.
  static func smallInteger(_ run: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
    guard (1...3).contains(run.count) else { return nil }
    var value = 0
    for byte in run {
      guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
      value = value * 10 + Int(byte - UInt8(ascii: "0"))
    }
    return value
  }

  /// Whether `run` is `digits [. digits] [(e|E) [+|-] digits]` (digits on at least one side of the point).
  static func isDecimalNumber(_ run: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
    var index = run.startIndex
    func digits() -> Int {
      let start = index
      while index < run.endIndex && run[index] >= UInt8(ascii: "0")
        && run[index] <= UInt8(ascii: "9")
      {
        index += 1
      }
      return index - start
    }
    var mantissa = digits()
    if index < run.endIndex && run[index] == UInt8(ascii: ".") {
      index += 1
      mantissa += digits()
    }
    guard mantissa > 0 else { return false }
    if index < run.endIndex && (run[index] | 0x20) == UInt8(ascii: "e") {
      index += 1
      if index < run.endIndex && (run[index] == QuerySyntax.plus || run[index] == QuerySyntax.minus)
      {
        index += 1
      }
      guard digits() > 0 else { return false }
    }
    return index == run.endIndex
  }
}
