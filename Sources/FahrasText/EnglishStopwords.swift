/// English stopwords: Lucene's English stop set (33 words), matched on the lower-cased, diacritic-folded
/// token before stemming.
enum EnglishStopwords {
  static let list: [String] = [
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no",
    "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they",
    "this",
    "to", "was", "will", "with",
  ]

  /// The list as a set of bytes.
  static let set = ByteSet(strings: list)
}
