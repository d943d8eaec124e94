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
  let slop: Int64
  let bm25: BM25Term
  let lengths: LengthArray?
  let segment: SegmentReader
  let filter: TermScorer.PositionFilter
  let idf: Float
  let boost: Float
  let averageLength: Float
  let docCount: Int
  private var freq: Float = 0
  /// Top-k pruning, set by the searcher when this phrase is the whole query: documents whose score
  /// cannot exceed it are passed over without reading positions (never in count mode).
  var minCompetitiveScore: Float = -.infinity
  /// Pairs of phrase slots holding the same term (they must match distinct positions).
  let repeats: [(Int, Int)]
  /// The phrase is on `$text`, where title and body must not be bridged.
  let isText: Bool
  /// The hot loops' state in one allocation owned by the scorer (no reference counting or
  /// copy-on-write checks per step): each term's cursor (kept alive by `cursors`), the conjunction
  /// order, the query offsets, and per term its decoded positions and the match pointer into them.
  private let termCount: Int
  private let refs: UnsafeMutablePointer<Unmanaged<PostingsCursor>>
  private let order: UnsafeMutablePointer<Int>
  private let offsetsBuffer: UnsafeMutablePointer<Int64>
  private let pointers: UnsafeMutablePointer<Int>
  private let lists: UnsafeMutablePointer<UnsafeBufferPointer<UInt32>>

  init(
    cursors: [PostingsCursor], terms: [[UInt8]], offsets: [Int], slop: Int, segment: SegmentReader,
    field: FieldInfo,
    label: QueryTermLabel, idf: Float, boost: Float, docCount: Int, averageLength: Float,
    parameters: BM25Parameters, filter: TermScorer.PositionFilter
  ) {
    self.cursors = cursors
    var repeats: [(Int, Int)] = []
    for i in terms.indices {
      for j in terms.indices where j > i && terms[i] == terms[j] { repeats.append((i, j)) }
    }
    self.repeats = repeats
    isText = field.name == FieldInfo.text
    self.slop = Int64(slop)
    self.segment = segment
    self.filter = filter
    self.idf = idf
    self.boost = boost
    self.averageLength = averageLength
    self.docCount = docCount
    lengths = segment.lengths.lengths(field: field.number)
    bm25 = BM25Term(weight: boost * idf, parameters: parameters, averageLength: averageLength)
    var bound = bm25.weight
    if filter == .none {
      for c in cursors {
        var m: Float = 0
        for p in c.termImpacts {
          m = max(m, bm25.score(tf: Float(p.tf), dl: lengths == nil ? 0 : Float(p.dl)))
        }
        bound = min(bound, m)
      }
    }
    phraseMaxScore = bound
    let n = cursors.count
    termCount = n
    refs = .allocate(capacity: n)
    order = .allocate(capacity: n)
    offsetsBuffer = .allocate(capacity: n)
    pointers = .allocate(capacity: n)
    lists = .allocate(capacity: n)
    // Leapfrog order: the rarest term leads.
    let conjunctionOrder = cursors.indices.sorted { cursors[$0].docFreq < cursors[$1].docFreq }
    for i in 0..<n {
      refs[i] = Unmanaged.passUnretained(cursors[i])
      order[i] = conjunctionOrder[i]
      offsetsBuffer[i] = Int64(offsets[i])
      pointers[i] = 0
      lists[i] = UnsafeBufferPointer(start: nil, count: 0)
    }
    super.init(label: label)
  }

  deinit {
    refs.deallocate()
    order.deallocate()
    offsetsBuffer.deallocate()
    pointers.deallocate()
    lists.deallocate()
  }

  /// Calls `body` with term `i`'s cursor, without retaining it (`cursors` keeps it alive).
  @inline(__always) private func cursor<R>(_ i: Int, _ body: (PostingsCursor) -> R) -> R {
    refs[i]._withUnsafeGuaranteedRef(body)
  }

  override var maxScore: Float { phraseMaxScore }
  /// A bound of the phrase's score. A match takes a position of every term, so the phrase frequency
  /// is at most each term's (weighted) frequency in the document, whose length is the term's too:
  /// each term's impacts (its Pareto front of frequency and length) bound the phrase's BM25 as they
  /// bound the term's; the smallest of these bounds holds. `title:`/`body:` phrases score with
  /// another length, so they keep the weight (`tf/(tf + K) < 1`).
  private let phraseMaxScore: Float
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
    let n = termCount
    let lead = order[0]
    while true {
      var d = cursor(lead) { $0.advance(to: target) }
      var aligned = false
      while d != Scorer.noMore && !aligned {
        aligned = true
        for j in 1..<n {
          let x = cursor(order[j]) { $0.advance(to: d) }
          if x > d {
            d = cursor(lead) { $0.advance(to: x) }
            aligned = false
            break
          }
        }
      }
      if d == Scorer.noMore {
        doc = Scorer.noMore
        return doc
      }
      if minCompetitiveScore > -.infinity {
        // A phrase matches at most min(positions) times, and a term has at most its (weighted)
        // frequency of positions; BM25 grows with the frequency. Padded by 2⁻²⁰ against rounding.
        var f = Float.infinity
        for i in 0..<n { f = min(f, Float(cursor(i) { $0.freq })) }
        if bm25.score(tf: f, dl: length(at: d)) * BlockMaxWAND.slack <= minCompetitiveScore {
          target = d + 1
          continue
        }
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
  ///
  /// A match takes one position per term (distinct positions for repeated terms), all on the same
  /// side of the title/body boundary of `$text` (and on the filtered side for `title:`/`body:`).
  /// Before a match is counted its window is tightened: the earliest term moves on while its next
  /// position stays within the window, so `"a b"~1` on "a a b" counts the exact match.
  private func phraseFreq(_ d: UInt32) -> Float {
    let n = termCount
    let offsets = offsetsBuffer
    for i in 0..<n {
      lists[i] = cursor(i) { $0.positions() }
      if lists[i].isEmpty { return 0 }
      pointers[i] = 0
    }
    let boundary: Int64? = isText ? Int64(segment.lengths.bodyStart(doc: Int(d))) : nil
    @inline(__always) func q(_ i: Int) -> Int64 { Int64(lists[i][pointers[i]]) - offsets[i] }
    var total: Float = 0
    while true {
      var minV = Int64.max
      var maxV = Int64.min
      var minI = 0
      for i in 0..<n {
        let v = q(i)
        if v < minV {
          minV = v
          minI = i
        }
        if v > maxV { maxV = v }
      }
      if maxV - minV <= slop {
        // Tighten the window from the left.
        while pointers[minI] + 1 < lists[minI].count
          && Int64(lists[minI][pointers[minI] + 1]) - offsets[minI] <= maxV
        {
          pointers[minI] += 1
          minV = Int64.max
          for i in 0..<n {
            let v = q(i)
            if v < minV {
              minV = v
              minI = i
            }
          }
        }
        if isValidMatch(boundary) {
          total += 1 / Float(1 + (maxV - minV))
          var done = false
          for i in 0..<n {
            pointers[i] += 1
            if pointers[i] >= lists[i].count { done = true }
          }
          if done { break }
          continue
        }
      }
      pointers[minI] += 1
      if pointers[minI] >= lists[minI].count { break }
    }
    return total
  }

  /// Distinct positions for repeated terms; one side of the title/body boundary; the filter's side.
  @inline(__always) private func isValidMatch(_ boundary: Int64?) -> Bool {
    for (i, j) in repeats where lists[i][pointers[i]] == lists[j][pointers[j]] { return false }
    guard let boundary else { return true }
    var inTitle = false
    var inBody = false
    for i in 0..<termCount {
      if Int64(lists[i][pointers[i]]) < boundary { inTitle = true } else { inBody = true }
    }
    if inTitle && inBody { return false }
    switch filter {
    case .none: return true
    case .title: return inTitle
    case .body: return inBody
    }
  }

  private func currentLength() -> Float { length(at: doc) }

  private func length(at doc: UInt32) -> Float {
    guard let lengths else { return 0 }
    let full = Float(
      lengths[doc: Int(doc)])
    let title = Float(segment.lengths.titleLength(doc: Int(doc)))
    switch filter {
    case .none: return full
    case .title: return title
    case .body: return max(0, full - Float(Segment.titleWeight) * title)
    }
  }

  override func score() -> Float {
    bm25.score(tf: freq, dl: currentLength())
  }

  override func explain(doc d: UInt32) -> TermExplanation? {
    guard doc == d else { return nil }
    return TermExplanation(
      label: label, score: score(), tf: freq, dl: currentLength(), averageLength: averageLength,
      idf: idf,
      boost: boost, docFreq: cursors.map(\.docFreq).min() ?? 0, docCount: docCount)
  }
}
