/// How a clause of a boolean query takes part in matching.
public enum Occur: Sendable, Equatable {
  /// Optional: a match adds to the score (`a OR b`, or plain juxtaposition under the default OR operator).
  case should
  /// Required: `+a`, either side of `AND`, or plain juxtaposition under the default AND operator.
  case must
  /// Excluded: `-a` or `NOT a`.
  case mustNot
}

/// The syntax tree of a parsed query.
///
/// The tree is pure syntax: `text` is exactly what the user typed (escapes removed); it has not been analyzed,
/// so the search layer must still run it through the field's analyzer. Fields are `nil` when the query did not
/// name one (the search layer picks the default fields). A field given to a group (`title:(a b)`) has been
/// folded into the group's leaves, so boolean nodes carry no field.
///
/// `boost` is a positive finite multiplier, `1` when the query gave none.
public indirect enum QueryNode: Sendable, Equatable {
  /// A single word: `word`, `title:word`, `word^2`.
  case term(field: String?, text: String, boost: Float)
  /// The raw words between the quotes of `"a b c"` (escapes removed, spacing kept); `slop` is the `~N` of a
  /// sloppy phrase (0...100, `0` when absent).
  case phrase(field: String?, text: String, slop: Int, boost: Float)
  /// A prefix query `word*`; `text` is without the `*`.
  case prefix(field: String?, text: String, boost: Float)
  /// A fuzzy query `word~N`; `maxEdits` is 0, 1 or 2 (`word~` means 2).
  case fuzzy(field: String?, text: String, maxEdits: Int, boost: Float)
  /// A group of clauses. An empty query parses to an empty boolean; every other boolean the parser produces
  /// has at least one clause.
  case boolean(clauses: [QueryClause], boost: Float)

  /// The boost of the node, whatever its kind.
  public var boost: Float {
    switch self {
    case .term(_, _, let boost), .phrase(_, _, _, let boost), .prefix(_, _, let boost),
      .fuzzy(_, _, _, let boost), .boolean(_, let boost):
      return boost
    }
  }

  /// The field of a leaf node; `nil` for a leaf without a field and for booleans.
  public var field: String? {
    switch self {
    case .term(let field, _, _), .phrase(let field, _, _, _), .prefix(let field, _, _),
      .fuzzy(let field, _, _, _):
      return field
    case .boolean:
      return nil
    }
  }
}

/// One clause of a boolean query: a node and how it occurs.
public struct QueryClause: Sendable, Equatable {
  public var occur: Occur
  public var node: QueryNode

  public init(occur: Occur, node: QueryNode) {
    self.occur = occur
    self.node = node
  }
}
