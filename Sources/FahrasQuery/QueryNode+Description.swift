/// The canonical printed form of a query tree.
///
/// The output is valid query syntax for a parser with the default OR operator: for every node that
/// `QueryParser` produces (with either default operator), `QueryParser().parse(node.description) == node`.
///
/// - Booleans print as `( … )` with `+` before `must` clauses, `-` before `mustNot` clauses and nothing before
///   `should` clauses; an empty boolean prints as the empty string.
/// - Leaves print their field as `field:`; words escape white space, `" ( ) * ~ ^ \ :`, a leading `+` or `-`
///   and the operator words `AND`/`OR`/`NOT` with a backslash; phrases escape `"` and `\`.
/// - `^boost` is printed only when the boost is not 1, `~slop` only when the slop is not 0; fuzzy nodes always
///   print their edit distance (`word~2`).
///
/// Nodes built by hand that the parser could not produce (an invalid field name, an empty word, a boolean of a
/// single unboosted `should` clause, a nested empty boolean, a non-positive boost) still print, but may not
/// parse back to the same tree.
extension QueryNode: CustomStringConvertible {
  public var description: String {
    var out = ""
    write(to: &out)
    return out
  }

  /// Appends the canonical form to `out`.
  /// - Complexity: O(size of the tree and its texts).
  func write(to out: inout String) {
    switch self {
    case .term(let field, let text, let boost):
      Self.writeField(field, to: &out)
      Self.writeWord(text, to: &out)
      Self.writeBoost(boost, to: &out)
    case .phrase(let field, let text, let slop, let boost):
      Self.writeField(field, to: &out)
      out.append("\"")
      for scalar in text.unicodeScalars {
        if scalar == "\"" || scalar == "\\" { out.unicodeScalars.append("\\") }
        out.unicodeScalars.append(scalar)
      }
      out.append("\"")
      if slop != 0 { out.append("~\(slop)") }
      Self.writeBoost(boost, to: &out)
    case .prefix(let field, let text, let boost):
      Self.writeField(field, to: &out)
      Self.writeWord(text, to: &out)
      out.append("*")
      Self.writeBoost(boost, to: &out)
    case .fuzzy(let field, let text, let maxEdits, let boost):
      Self.writeField(field, to: &out)
      Self.writeWord(text, to: &out)
      out.append("~\(maxEdits)")
      Self.writeBoost(boost, to: &out)
    case .boolean(let clauses, let boost):
      if clauses.isEmpty && boost == 1 { return }
      out.append("(")
      for (index, clause) in clauses.enumerated() {
        if index > 0 { out.append(" ") }
        clause.write(to: &out)
      }
      out.append(")")
      Self.writeBoost(boost, to: &out)
    }
  }

  private static func writeField(_ field: String?, to out: inout String) {
    guard let field else { return }
    out.append(field)
    out.append(":")
  }

  private static func writeWord(_ text: String, to out: inout String) {
    if QuerySyntax.keywords.contains(text) {
      out.append("\\")
      out.append(text)
      return
    }
    var first = true
    for scalar in text.unicodeScalars {
      if QuerySyntax.needsEscapeInWord(scalar) || (first && (scalar == "+" || scalar == "-")) {
        out.unicodeScalars.append("\\")
      }
      out.unicodeScalars.append(scalar)
      first = false
    }
  }

  private static func writeBoost(_ boost: Float, to out: inout String) {
    guard boost != 1 else { return }
    out.append("^")
    if boost.isFinite && boost == boost.rounded() && abs(boost) < 1e15 {
      out.append(String(Int(boost)))
    } else {
      out.append(boost.description)
    }
  }
}

/// A clause prints as its node preceded by `+` (`must`), `-` (`mustNot`) or nothing (`should`).
extension QueryClause: CustomStringConvertible {
  public var description: String {
    var out = ""
    write(to: &out)
    return out
  }

  func write(to out: inout String) {
    switch occur {
    case .should: break
    case .must: out.append("+")
    case .mustNot: out.append("-")
    }
    node.write(to: &out)
  }
}
