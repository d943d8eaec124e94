import FahrasIndex

/// Exact and sloppy phrases over one positional field.
///
/// Candidates come from a leapfrog conjunction of the terms' cursors; positions are decoded only
/// for candidates. Each term i has its offset oᵢ in the query (stopword gaps kept); a match is a
/// choice of positions pᵢ whose normalized positions pᵢ − oᵢ span at most `slop` (0 = exact). The
/// phrase frequency sums 1 / (1 + span) over matches (1 per exact match), as Lucene does, and is
/// scored with BM25 using the sum of the terms' idfs.
final class PhraseScorer: LeafScorer {
  let cursors: [PostingsCursor]
  let offsets: [Int64]
  let slop: Int64
  let conjunctionOrder: [Int]
  let bm25: BM25Term
  let lengths: UnsafeRawPointer?
  let segment: SegmentReader
  let filter: TermScorer.PositionFilter
  let idf: Float
  let boost: Float
  let averageLength: Float
  let docCount: Int
  private var freq: Float = 0
  private var pointers: [Int]
  private var lists: [UnsafeBufferPointer<UInt32>]

  init(
    cursors: [PostingsCursor], offsets: [Int], slop: Int, segment: SegmentReader, field: FieldInfo,
    label: QueryTermLabel, idf: Float, boost: Float, docCount: Int, averageLength: Float,
    parameters: BM25Parameters, filter: TermScorer.PositionFilter
  ) {
    self.cursors = cursors
    self.offsets = offsets.map(Int64.init)
    self.slop = Int64(slop)
    conjunctionOrder = cursors.indices.sorted { cursors[$0].docFreq < cursors[$1].docFreq }
    self.segment = segment
    self.filter = filter
    self.idf = idf
    self.boost = boost
    self.averageLength = averageLength
    self.docCount = docCount
    lengths = segment.lengths.lengths(field: field.number)
    bm25 = BM25Term(weight: boost * idf, parameters: parameters, averageLength: averageLength)
    pointers = Array(repeating: 0, count: cursors.count)
    lists = Array(repeating: UnsafeBufferPointer(start: nil, count: 0), count: cursors.count)
    super.init(label: label)
  }

  override var maxScore: Float { bm25.weight }
  override var cost: Int { cursors.map(\.docFreq).min() ?? 0 }
  override var corruption: String? { cursors.lazy.compactMap(\.corruption).first }
  override var leaves: [LeafScorer] { [self] }

  override func nextDoc() -> UInt32 { search(from: nextTarget) }
  override func advance(to target: UInt32) -> UInt32 {
    if doc != Scorer.unpositioned && doc >= target { return doc }
    return search(from: target)
  }

  private func search(from start: UInt32) -> UInt32 {
    var target = start
    let lead = cursors[conjunctionOrder[0]]
    while true {
      var d = lead.advance(to: target)
      var aligned = false
      while d != Scorer.noMore && !aligned {
        aligned = true
        for i in conjunctionOrder.dropFirst() {
          let x = cursors[i].advance(to: d)
          if x > d {
            d = lead.advance(to: x)
            aligned = false
            break
          }
        }
      }
      if d == Scorer.noMore {
        doc = Scorer.noMore
        return doc
      }
      let f = phraseFreq(d)
      if f > 0 {
        freq = f
        doc = d
        return d
      }
      target = d + 1
    }
  }

  /// Sum over matches of 1 / (1 + span); 0 when the phrase does not occur in `d`.
  private func phraseFreq(_ d: UInt32) -> Float {
    for i in cursors.indices {
      lists[i] = cursors[i].positions()
      if lists[i].isEmpty { return 0 }
      pointers[i] = 0
    }
    var limitLow: Int64 = Int64.min
    var limitHigh: Int64 = Int64.max
    if filter != .none {
      let bs = Int64(segment.lengths.bodyStart(doc: Int(d)))
      if filter == .title { limitHigh = bs } else { limitLow = bs }
    }
    var total: Float = 0
    let n = cursors.count
    while true {
      // Current normalized positions: find min and max.
      var minV = Int64.max
      var maxV = Int64.min
      var minI = 0
      for i in 0..<n {
        let v = Int64(lists[i][pointers[i]]) - offsets[i]
        if v < minV {
          minV = v
          minI = i
        }
        maxV = max(maxV, v)
      }
      let span = maxV - minV
      if span <= slop {
        let first = minV + (offsets.min() ?? 0)
        if first >= limitLow && first < limitHigh {
          total += 1 / Float(1 + span)
        }
        // Consume this match: advance every pointer (no position reused).
        var done = false
        for i in 0..<n {
          pointers[i] += 1
          if pointers[i] >= lists[i].count { done = true }
        }
        if done { break }
      } else {
        pointers[minI] += 1
        if pointers[minI] >= lists[minI].count { break }
      }
    }
    return total
  }

  override func score() -> Float {
    let dl: Float
    if let lengths {
      let full = Float(UInt32(littleEndian: lengths.loadUnaligned(fromByteOffset: Int(doc) * 4, as: UInt32.self)))
      let title = Float(segment.lengths.titleLength(doc: Int(doc)))
      switch filter {
      case .none: dl = full
      case .title: dl = title
      case .body: dl = max(0, full - Float(Segment.titleWeight) * title)
      }
    } else {
      dl = 0
    }
    return bm25.score(tf: freq, dl: dl)
  }

  override func explain(doc d: UInt32) -> TermExplanation? {
    guard doc == d else { return nil }
    return TermExplanation(
      label: label, score: score(), tf: freq, dl: 0, averageLength: averageLength, idf: idf, boost: boost,
      docFreq: 0, docCount: docCount)
  }
}
