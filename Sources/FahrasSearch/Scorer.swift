import FahrasIndex

/// A document-at-a-time iterator that scores the documents it matches (tantivy's `DocSet` +
/// `Scorer`). Subclasses are final; the hot loops of plain term queries use `TermScorer` directly.
///
/// Protocol: `doc` starts at `Scorer.unpositioned`; `nextDoc()` and `advance(to:)` move forward and
/// return the new `doc`, `noMore` at the end; `score()` is valid on a matched document.
class Scorer {
  static let noMore = PostingsCursor.noMore
  static let unpositioned = UInt32.max - 1

  var doc: UInt32 = Scorer.unpositioned

  func nextDoc() -> UInt32 { fatalError("abstract") }
  func advance(to target: UInt32) -> UInt32 { fatalError("abstract") }
  func score() -> Float { fatalError("abstract") }
  /// An upper bound of `score()` over all documents.
  var maxScore: Float { fatalError("abstract") }
  /// A cost estimate (number of documents it may match), to order conjunctions.
  var cost: Int { fatalError("abstract") }
  /// The first corruption met by any cursor below this scorer.
  var corruption: String? { nil }
  /// Leaf term scorers below this one (for explanations and highlighting).
  var leaves: [LeafScorer] { [] }

  /// The first document strictly after the current one (or the first one when unpositioned).
  @inline(__always) final var nextTarget: UInt32 { doc == Scorer.unpositioned ? 0 : doc &+ 1 }
}

/// A scorer that reads one term of one field: what `explain` and the highlighter look at.
class LeafScorer: Scorer {
  let label: QueryTermLabel
  init(label: QueryTermLabel) { self.label = label }
  /// The term's contribution to `doc`, with its inputs, if the term matches it.
  func explain(doc: UInt32) -> TermExplanation? { nil }
}

/// Identifies a query term in explanations and highlighting.
public struct QueryTermLabel: Sendable, Hashable {
  /// User-facing field (`text`, `title`, `body`, `light`, or a JSON field).
  public var field: String
  /// The indexed term (normalized, maybe stemmed).
  public var term: String
  /// The query text it came from.
  public var source: String
}

/// One term's share of a score.
public struct TermExplanation: Sendable {
  public var label: QueryTermLabel
  public var score: Float
  public var tf: Float
  public var dl: Float
  public var averageLength: Float
  public var idf: Float
  public var boost: Float
  public var docFreq: Int
  public var docCount: Int
}
