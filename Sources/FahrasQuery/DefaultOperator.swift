/// The operator a parser puts between clauses written side by side with no `AND`/`OR` between them.
public enum DefaultOperator: Sendable {
  /// `a b` means `a OR b`: juxtaposition binds like `OR` (loosest).
  case or
  /// `a b` means `a AND b`: juxtaposition binds like `AND`.
  case and
}
