extension QueryParser {
  /// `text` as a query of plain words: every syntax character (`" ( ) * + - : \ ^ ~`) becomes a
  /// space and the operator words `AND`, `OR`, `NOT` are lower-cased, so the result parses (within
  /// the limits) as the words side by side, joined by the default operator.
  ///
  /// For natural-language queries that are not meant as query syntax: batch searches over topic
  /// files (`fahras search --queries`) fall back to it when a line does not parse, so that a topic
  /// such as `what is covid-19? (symptoms` is answered instead of rejected.
  public static func plainWords(_ text: String) -> String {
    var cleaned = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"", "(", ")", "*", "+", "-", ":", "\\", "^", "~": cleaned.append(" ")
      default: cleaned.append(scalar)
      }
    }
    return String(cleaned).split(whereSeparator: {
      $0.unicodeScalars.allSatisfy(QuerySyntax.isWhitespace)
    })
    .map { QuerySyntax.keywords.contains(String($0)) ? $0.lowercased() : String($0) }
    .joined(separator: " ")
  }
}
