/// The fields of a segment.
///
/// Internal field names start with `$` so they can never clash with a user's JSON field (the query
/// language only accepts names starting with a letter or `_`):
/// - `$text`: title and body, analyzed to primary (stemmed) terms, with positions. Title tokens count
///   `titleWeight` times in term frequency and document length (BM25F with one b, see `docs/SCORING.md`);
///   title positions come first, the body starts at `bodyStart` (a gap of `Segment.positionGap`).
///   The user-facing fields `title` and `body` are views of `$text` restricted by position.
/// - `$light`: the same words in their light form (Arabic: only و and the article stripped; other
///   scripts: unstemmed), stopwords included, frequencies and lengths as in `$text`, no positions.
/// - `$id`, `$path`: one untokenized term per document, no norms, no positions (updates, deletes).
/// - any other name: a stored JSON field, analyzed to primary terms, with positions and norms.
public struct FieldInfo: Sendable, Equatable {
  public var number: Int
  public var name: String
  public var hasPositions: Bool
  public var hasNorms: Bool
  public var isKeyword: Bool
  /// Documents with at least one token in this field.
  public var docCount: Int
  /// Sum over documents of the field length (weighted as the norms are).
  public var sumLength: UInt64

  public init(
    number: Int, name: String, hasPositions: Bool, hasNorms: Bool, isKeyword: Bool,
    docCount: Int = 0, sumLength: UInt64 = 0
  ) {
    self.number = number
    self.name = name
    self.hasPositions = hasPositions
    self.hasNorms = hasNorms
    self.isKeyword = isKeyword
    self.docCount = docCount
    self.sumLength = sumLength
  }

  public static let text = "$text"
  public static let light = "$light"
  public static let id = "$id"
  public static let path = "$path"

  /// The fixed fields every segment starts with, numbered 0...3.
  static func builtin() -> [FieldInfo] {
    [
      FieldInfo(number: 0, name: text, hasPositions: true, hasNorms: true, isKeyword: false),
      FieldInfo(number: 1, name: light, hasPositions: false, hasNorms: true, isKeyword: false),
      FieldInfo(number: 2, name: id, hasPositions: false, hasNorms: false, isKeyword: true),
      FieldInfo(number: 3, name: path, hasPositions: false, hasNorms: false, isKeyword: true),
    ]
  }

  /// Most fields a segment may have (field numbers are one byte in term keys).
  public static let maxFields = 250
}

/// Segment-wide constants of the format.
public enum Segment {
  /// Postings block size.
  public static let blockSize = 128
  /// Positions between the last title token and the first body token, so phrases do not span them.
  public static let positionGap: UInt32 = 16
  /// How many times a title token counts (BM25F field weight), baked into frequencies and lengths.
  public static let titleWeight: UInt32 = 2
}
