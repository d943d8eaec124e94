import FahrasIndex

/// Scores one term of one field with BM25, with block-max upper bounds for dynamic pruning.
///
/// `positionFilter` restricts `$text` to its title or body part (the `title:` and `body:` fields),
/// counting only positions on the right side of the document's body start; such scorers have no
/// block bounds tighter than their weight.
final class TermScorer: LeafScorer {
  enum PositionFilter { case none, title, body }

  /// Owns the cursor; `cursor` reads it without reference counting in the hot loop.
  private let cursorOwner: PostingsCursor
  unowned(unsafe) let cursor: PostingsCursor
  let bm25: BM25Term
  let lengths: LengthArray?
  let segment: SegmentReader
  let filter: PositionFilter
  let idf: Float
  let boost: Float
  let docFreq: Int
  let docCount: Int
  let averageLength: Float
  /// Score bound of the block under the skip pointer (cached per block).
  private var cachedBlockLast: UInt32 = Scorer.unpositioned
  private var cachedBlockMax: Float = 0
  let termMaxScore: Float
  private var filteredFreq: Float = 0

  init(
    cursor: PostingsCursor, segment: SegmentReader, field: FieldInfo, label: QueryTermLabel,
    idf: Float, boost: Float, docFreq: Int, docCount: Int, averageLength: Float,
    parameters: BM25Parameters, filter: PositionFilter = .none
  ) {
    self.cursorOwner = cursor
    self.cursor = cursor
    self.segment = segment
    self.filter = filter
    self.idf = idf
    self.boost = boost
    self.docFreq = docFreq
    self.docCount = docCount
    self.averageLength = averageLength
    lengths = segment.lengths.lengths(field: field.number)
    bm25 = BM25Term(weight: boost * idf, parameters: parameters, averageLength: averageLength)
    if filter == .none {
      var m: Float = 0
      for p in cursor.termImpacts { m = max(m, bm25.bound(tf: p.tf, dl: p.dl)) }
      termMaxScore = m
    } else {
      termMaxScore = bm25.weight
    }
    super.init(label: label)
  }

  override var maxScore: Float { termMaxScore }
  override var cost: Int { cursor.docFreq }
  override var corruption: String? { cursor.corruption }
  override var leaves: [LeafScorer] { [self] }

  @inline(__always) func length(_ d: UInt32) -> Float {
    guard let lengths else { return 0 }
    return Float(lengths[doc: Int(d)])
  }

  @inline(__always) override func nextDoc() -> UInt32 {
    doc = cursor.nextDoc()
    if filter != .none { return settleFiltered() }
    return doc
  }

  @inline(__always) override func advance(to target: UInt32) -> UInt32 {
    doc = cursor.advance(to: target)
    if filter != .none { return settleFiltered() }
    return doc
  }

  /// Skips documents where the term occurs only on the other side of the title/body boundary.
  private func settleFiltered() -> UInt32 {
    while doc != Scorer.noMore {
      let start = segment.lengths.bodyStart(doc: Int(doc))
      var n = 0
      for p in cursor.positions() where (p < start) == (filter == .title) { n += 1 }
      if n > 0 {
        filteredFreq = Float(n)
        return doc
      }
      doc = cursor.nextDoc()
    }
    return doc
  }

  @inline(__always) func filteredLength(_ d: UInt32) -> Float {
    let title = Float(segment.lengths.titleLength(doc: Int(d)))
    switch filter {
    case .none: return length(d)
    case .title: return title
    case .body: return max(0, length(d) - Float(Segment.titleWeight) * title)
    }
  }

  @inline(__always) override func score() -> Float {
    if filter == .none {
      return bm25.score(tf: Float(cursor.freq), dl: length(doc))
    }
    return bm25.score(tf: filteredFreq, dl: filteredLength(doc))
  }

  /// Moves the skip pointer to the block holding `target` and returns (block's last doc, bound).
  @inline(__always) func blockMax(at target: UInt32) -> (last: UInt32, bound: Float) {
    if filter != .none { return (Scorer.noMore, termMaxScore) }
    let last = cursor.shallowAdvance(to: target)
    if last != cachedBlockLast {
      cachedBlockLast = last
      cachedBlockMax = bm25.bound(impactCount: cursor.blockImpactCount, cursor.blockImpact)
    }
    return (last, cachedBlockMax)
  }

  override func explain(doc d: UInt32) -> TermExplanation? {
    guard doc == d else { return nil }
    let tf = filter == .none ? Float(cursor.freq) : filteredFreq
    let dl = filteredLength(d)
    return TermExplanation(
      label: label, score: score(), tf: tf, dl: dl, averageLength: averageLength, idf: idf,
      boost: boost,
      docFreq: docFreq, docCount: docCount)
  }
}
