/// The fields of a segment.
///
/// Internal field names start with `$` so they can never clash with a user's JSON field (the query
/// language only accepts names starting with a letter or `_`):
/// - `$text`: title and body, analyzed to primary (stemmed) terms, with positions. Title tokens count
///   `titleWeight` times in term frequency and document length (BM25F with one b, see `docs/SCORING.md`);
///   title positions come first, the body starts at `bodyStart` (a gap of `Segment.positionGap`).
///   The user-facing fields `title` and `body` are views of `$text` restricted by position.
/// - `$light`: the same words in their light form (Arabic: only و and the article stripped; other
///   scripts: unstemmed, English without a possessive `'s`), stopwords included, frequencies and
///   lengths as in `$text`, no positions.
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
  /// A `$light` list is stored as a selection from its `$text` list (`docs/FORMAT.md` §8,
  /// "Derived lists") only when that list has at most this many times its documents: reading a
  /// derived list decodes the base list's blocks it spans, so a sparse selection would decode many
  /// base blocks per block of its own.
  static let derivedSpread = 4
  /// The longest `$light` list stored as a derived list in a segment of `maxDoc` documents (unless
  /// `derivedDenseSpread` applies): a short list (one block, decoded once when its cursor opens), or
  /// with `compact` also longer ones up to 1/32 of the segment. Decoding a derived block also
  /// decodes its base's blocks: short lists alone cost nothing measurable, `compact` costs
  /// SaudiNewsNet single words about 16% (Benchmarks/README.md, eighth session).
  static func derivedLimit(maxDoc: Int, compact: Bool) -> Int {
    compact ? max(blockSize - 1, maxDoc / 32) : blockSize - 1
  }

  /// With `compact`, a `$light` list holding at least 1/`derivedDenseSpread` of its stem's
  /// documents is derived whatever its length. Its selection costs a bit or two per document
  /// against about eleven for an ordinary list. Reading it costs single words about 15%
  /// (`Benchmarks/README.md`, eighth session), which is why the default leaves such lists alone.
  static let derivedDenseSpread = 2

  /// Whether a list of `docFreq` documents from a base of `baseDocFreq` is stored derived (when that
  /// is also smaller): a selection at most `derivedSpread` times sparser up to `limit` documents,
  /// and with `dense` also one at most `derivedDenseSpread` times sparser of any length.
  static func derives(docFreq: Int, baseDocFreq: Int, limit: Int, dense: Bool) -> Bool {
    (dense && baseDocFreq <= derivedDenseSpread * docFreq)
      || (docFreq <= limit && baseDocFreq <= derivedSpread * docFreq)
  }

  /// Whether a list with at least `docFreq` documents (so far, or after a merge's deletions) and at
  /// most `mostDocFreq` can end up derived (`derives`): true for every list some final count in
  /// between would derive, and for a few others.
  static func mayDerive(
    docFreq: Int, mostDocFreq: Int, baseDocFreq: Int, limit: Int, dense: Bool
  ) -> Bool {
    (docFreq <= limit && baseDocFreq <= derivedSpread * mostDocFreq)
      || (dense && baseDocFreq <= derivedDenseSpread * mostDocFreq)
  }

  /// Whether a segment's `$light` terms may point at identical `$text` posting lists: `$light`
  /// has no positions, and no document is shorter in `$light` than in `$text` (true by construction,
  /// since `$light` counts the stopwords `$text` leaves out; checked so that a `$text` block impact
  /// stays an upper bound for `$light`, whose BM25 part only shrinks with a longer document).
  static func canShareLightPostings(fields: [FieldInfo], norms: [[UInt32]]) -> Bool {
    guard fields.count >= 2, fields[0].name == FieldInfo.text, fields[1].name == FieldInfo.light,
      !fields[1].hasPositions, fields[0].hasNorms, fields[1].hasNorms, norms.count >= 2
    else { return false }
    let text = norms[0]
    let light = norms[1]
    guard text.count == light.count else { return false }
    for i in text.indices where text[i] > light[i] { return false }
    return true
  }

  /// The sharing role of a field's terms when `canShareLightPostings` holds.
  static func postingsSharing(field: Int) -> PostingsSharing {
    field == 0 ? .offer : field == 1 ? .reuse : .none
  }
}
