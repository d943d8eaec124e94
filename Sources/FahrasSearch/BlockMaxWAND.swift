import FahrasIndex

/// Block-max WAND (Ding & Suel, 2011) over a disjunction of term scorers.
///
/// Cursors are kept sorted by their current document. The pivot is the first cursor at which the
/// running sum of the terms' global score bounds exceeds the heap threshold; documents before it
/// cannot enter the top k. The pivot is then checked against the sum of the *block* bounds of the
/// cursors up to it: when even those cannot beat the threshold, every cursor up to the pivot jumps
/// past the end of the shallowest block, skipping whole blocks without decoding them. Scores of
/// candidates are summed in clause order, as exhaustive evaluation does.
///
/// The loop works on `Lane` structs that reach their cursors through unretained references:
/// the scorers array keeps them alive, and the loop does no reference counting per posting.
enum BlockMaxWAND {
  /// One query word for the loop: its stemmed-term scorer and, for default-field words, the
  /// light-form scorer that adds to the score of documents the stem matches.
  struct Word {
    let main: TermScorer
    let light: TermScorer?
    /// The light form is also a stopword's (`Analyzer.isStopwordLightForm`): its frequency is not
    /// bounded by the stem's, so `Lane.lightRatio` does not hold.
    var lightSharedWithStopword = false
  }

  /// One term's cursor and scoring constants.
  struct TermLane {
    let cursorRef: Unmanaged<PostingsCursor>
    let bm25: BM25Term
    let lengths: LengthArray?
    let maxScore: Float
    /// The list fits one block, decoded when the cursor opened: moving along it costs no decoding.
    let isShort: Bool
    var doc: UInt32 = Scorer.unpositioned
    var cachedLast: UInt32 = Scorer.unpositioned
    var cachedBound: Float = 0
    /// Scores of the decoded block's documents, computed in one pass on the block's second
    /// request (independent divisions pipeline; a lane touched once per block pays for one).
    /// The cursor's `blockScoreBuffer`.
    let blockScores: UnsafeMutablePointer<Float>
    var scoresGeneration = -1
    var requestGeneration = -1

    init(_ t: TermScorer) {
      cursorRef = Unmanaged.passUnretained(t.cursor)
      bm25 = t.bm25
      lengths = t.lengths
      maxScore = t.maxScore
      isShort = t.cursor.docFreq < Segment.blockSize
      blockScores = t.cursor.blockScoreBuffer
    }

    /// Calls `body` with the cursor, without retaining it (the scorers keep it alive).
    @inline(__always) func with<R>(_ body: (PostingsCursor) -> R) -> R {
      cursorRef._withUnsafeGuaranteedRef(body)
    }

    @inline(__always) mutating func next() { doc = with { $0.nextDoc() } }
    @inline(__always) mutating func advance(_ t: UInt32) { doc = with { $0.advance(to: t) } }

    @inline(__always) mutating func score() -> Float {
      let (generation, entries) = with { ($0.decodeGeneration, $0.blockEntries) }
      if generation == scoresGeneration { return blockScores[entries.index] }
      if generation == requestGeneration {
        // Second document of this block: score all of them at once.
        return scoreBlock()[entries.index]
      }
      requestGeneration = generation
      return currentScore()
    }

    /// The score at the cursor's document, computed on its own.
    @inline(__always) func currentScore() -> Float {
      let dl: Float = lengths.map { Float($0[doc: Int(doc)]) } ?? 0
      return bm25.score(tf: Float(with { $0.freq }), dl: dl)
    }

    /// The scores of every document of the decoded block (computed once per block), indexed like
    /// `blockEntries`.
    @inline(__always) mutating func scoreBlock() -> UnsafePointer<Float> {
      let (generation, count) = with { ($0.decodeGeneration, $0.blockEntries.count) }
      if generation != scoresGeneration {
        _ = scoreEntries(0..<count)
        scoresGeneration = generation
      }
      return UnsafePointer(blockScores)
    }

    /// The scores of the decoded block's entries in `range`, indexed like `blockEntries`. The
    /// lengths are gathered first: independent loads, so their cache misses overlap (at a million
    /// documents the lengths array no longer fits the cache). The other entries' scores are left
    /// undefined, so the whole-block cache of `scoreBlock` is marked stale.
    @inline(__always) mutating func scoreEntries(_ range: Range<Int>) -> UnsafePointer<Float> {
      let entries = with { $0.blockEntries }
      let bm25 = bm25
      if let lengths {
        for i in range {
          blockScores[i] = Float(lengths[doc: Int(entries.docs[i])])
        }
        for i in range {
          blockScores[i] = bm25.score(tf: Float(entries.freqs[i]), dl: blockScores[i])
        }
      } else {
        for i in range { blockScores[i] = bm25.score(tf: Float(entries.freqs[i]), dl: 0) }
      }
      scoresGeneration = -1
      return UnsafePointer(blockScores)
    }

    /// The score at document `d` computed on its own (no block scoring), moving the cursor up to
    /// it; nil when the list does not hold `d`.
    @inline(__always) mutating func exactScore(at d: UInt32) -> Float? {
      if doc == Scorer.unpositioned || doc < d { advance(d) }
      return doc == d ? currentScore() : nil
    }

    /// The score at document `d`, moving the cursor up to it; 0 when the list does not hold `d`.
    @inline(__always) mutating func score(at d: UInt32) -> Float {
      if doc == Scorer.unpositioned || doc < d { advance(d) }
      return doc == d ? score() : 0
    }

    /// The last document and score bound of the block holding `target` (bound 0 past the end).
    @inline(__always) mutating func blockMax(at target: UInt32) -> (UInt32, Float) {
      let bm25 = bm25
      let (last, changed, bound) = with { c -> (UInt32, Bool, Float) in
        let last = c.shallowAdvance(to: target)
        if last == cachedLast { return (last, false, 0) }
        if last == Scorer.noMore { return (last, true, 0) }
        return (last, true, bm25.bound(impactCount: c.blockImpactCount, c.blockImpact))
      }
      if changed {
        cachedLast = last
        cachedBound = bound * BlockMaxWAND.slack
      }
      return (last, cachedBound)
    }
  }

  /// A word's state in the loop: positioned on its stemmed term's documents.
  struct Lane {
    var main: TermLane
    var light: TermLane?
    let maxScore: Float
    /// The stem block (by its last document) whose light-form bound `lightSpanBound` holds.
    var lightSpanLast: UInt32 = Scorer.unpositioned
    var lightSpanBound: Float = 0

    /// `lightRatio · (stem score)` bounds the light form's score in the same document (0 without a
    /// light form, ∞ when no such ratio exists). The light form occurs at most as often as its stem (tf_light ≤ tf_stem)
    /// in a document at least as long (dl_light ≥ dl_text), and BM25 grows with tf and falls with
    /// dl, so light ≤ W_light·tf/(tf + c + p_light·dl_text); dividing by the stem's score
    /// W_stem·tf/(tf + c + p_stem·dl_text) leaves (W_light/W_stem)·(tf + c + p_stem·dl)/(tf + c +
    /// p_light·dl) ≤ (W_light/W_stem)·max(1, p_stem/p_light). Padded by 2⁻¹⁶ against rounding.
    /// A light form shared with a stopword (`Word.lightSharedWithStopword`) counts the stopword's
    /// occurrences too, so tf_light ≤ tf_stem fails there and the ratio is ∞.
    let lightRatio: Float

    init(_ w: Word) {
      main = TermLane(w.main)
      light = w.light.map(TermLane.init)
      maxScore = (main.maxScore + (light?.maxScore ?? 0)) * BlockMaxWAND.slack
      if let l = light, main.bm25.weight > 0, main.bm25.constant == l.bm25.constant,
        !w.lightSharedWithStopword
      {
        let lengthRatio: Float =
          l.bm25.perLength > 0
          ? max(1, main.bm25.perLength / l.bm25.perLength)
          : (main.bm25.perLength == 0 ? 1 : .infinity)
        lightRatio = l.bm25.weight / main.bm25.weight * lengthRatio * (1 + 1.0 / 65_536)
      } else {
        lightRatio = light == nil ? 0 : .infinity
      }
    }

    @inline(__always) var doc: UInt32 { main.doc }
    @inline(__always) mutating func next() { main.next() }
    @inline(__always) mutating func advance(_ t: UInt32) { main.advance(t) }

    /// Stem score plus the light form's where it occurs (the order exhaustive scoring sums in).
    @inline(__always) mutating func score() -> Float {
      var s = main.score()
      if light != nil { s += light!.score(at: main.doc) }
      return s
    }

    /// The light form's score at document `d` (0 without a light form or where it is absent).
    /// Computed on its own: the light form is asked about a few of its documents (the candidates
    /// that survive the other bounds), so scoring its whole block on the second request, as the
    /// stems do, costs more than it saves (OR queries 3% slower on SaudiNewsNet).
    @inline(__always) mutating func lightScore(at d: UInt32) -> Float {
      light == nil ? 0 : (light!.exactScore(at: d) ?? 0)
    }

    /// The most the word can score in a document where its stem scores `stem`.
    @inline(__always) func upperBound(stem: Float) -> Float { stem + lightRatio * stem }

    @inline(__always) mutating func blockMax(at target: UInt32) -> (UInt32, Float) {
      guard light != nil else { return main.blockMax(at: target) }
      let (last, bound, _) = windowBound(at: target)
      return (last, bound)
    }
  }

  /// Bounds are inflated by a relative 2⁻²⁰ so that float rounding in summing them (in doc order)
  /// never drops a document whose score (summed in clause order) beats the threshold by an ulp.
  static let slack: Float = 1 + 1.0 / 1_048_576

  /// - Parameter requiredCount: the first words are required (`+a +b c`), the others optional.
  static func run(
    words: [Word], excluded: [Scorer], segment: SegmentReader, segmentIndex: Int32,
    algorithm: DisjunctionAlgorithm = .wand, requiredCount: Int = 0, topK: inout TopK
  ) {
    guard !words.isEmpty else { return }
    withExtendedLifetime(words) {
      var lanes = words.map(Lane.init)
      lanes.withUnsafeMutableBufferPointer { lanes in
        if requiredCount > 0 && lanes.count > 1 {
          BlockMaxMaxScore.loop(
            lanes, excluded: excluded, segment: segment, segmentIndex: segmentIndex,
            requiredCount: requiredCount,
            topK: &topK)
        } else if lanes.count == 1 {
          if excluded.isEmpty
            && BoundOrderedWord.run(
              &lanes[0], segment: segment, segmentIndex: segmentIndex, topK: &topK)
          {
            return
          }
          single(
            &lanes[0], excluded: excluded, segment: segment, segmentIndex: segmentIndex,
            topK: &topK)
        } else if lanes.count >= ScoreAccumulator.minimumWords {
          ScoreAccumulator.run(
            lanes, excluded: excluded, segment: segment, segmentIndex: segmentIndex, topK: &topK)
        } else if algorithm == .maxScore {
          BlockMaxMaxScore.loop(
            lanes, excluded: excluded, segment: segment, segmentIndex: segmentIndex, topK: &topK)
        } else {
          loop(lanes, excluded: excluded, segment: segment, segmentIndex: segmentIndex, topK: &topK)
        }
      }
      // Leave the scorers consistent for callers that inspect them.
      for (i, w) in words.enumerated() { w.main.doc = lanes[i].doc }
    }
  }

  /// The documents in [`target`, `last`] that hold the light form, in order, for a window where the
  /// stem's block bound `stemBound` cannot beat the threshold by itself. A document competes only
  /// if `stemBound` plus its exact light score does; only then is the stem's block read and the
  /// document's exact stem score added (stem first, the order exhaustive scoring sums in). A light
  /// document the stem does not hold is not a match of the word.
  private static func lightDriven(
    _ lane: inout Lane, through last: UInt32, from target: UInt32, stemBound: Float, bound: Float,
    excluded: [Scorer], deletes: DeletedDocs?, segmentIndex: Int32, threshold: inout Float,
    topK: inout TopK
  ) {
    var ld = lane.light!.doc
    if ld == Scorer.unpositioned || ld < target {
      lane.light!.advance(target)
      ld = lane.light!.doc
    }
    while ld <= last && ld != Scorer.noMore {
      // Scan the light form's decoded block in place: its scores come in one pass, and most of
      // its documents fall short of the threshold even with the stem's bound.
      // Only the entries inside the window are scored: windows end at stem blocks, which are
      // shorter than the light form's, and the windows in between are often passed unread.
      let (docs, _, start, count) = lane.light!.with { $0.blockEntries }
      var windowEnd = start
      while windowEnd < count && docs[windowEnd] <= last { windowEnd += 1 }
      let scores = lane.light!.scoreEntries(start..<windowEnd)
      var i = start
      while i < count && docs[i] <= last {
        let l = scores[i]
        if stemBound + l > threshold {
          let d = docs[i]
          if let s = lane.main.exactScore(at: d), isLive(d, deletes: deletes, excluded: excluded) {
            let score = s + l
            if score > threshold {
              topK.insert(.init(score: score, segment: segmentIndex, doc: d))
              threshold = topK.threshold
              if bound <= threshold { break }
            }
          }
        }
        i += 1
      }
      if i < count {
        // Stopped inside the block: the window is done.
        lane.light!.with { $0.moveInBlock(to: i) }
        lane.light!.doc = docs[i]
        return
      }
      // The block is used up: on to the light form's next block.
      lane.light!.with { $0.moveInBlock(to: count - 1) }
      lane.light!.next()
      ld = lane.light!.doc
    }
  }

  /// One word: block-max pruning without a pivot. Blocks whose bound cannot beat the threshold are
  /// passed over with the skip data alone (never decoded); inside a competitive block every
  /// document is scored until the threshold rises above the block's bound.
  private static func single(
    _ lane: inout Lane, excluded: [Scorer], segment: SegmentReader, segmentIndex: Int32,
    topK: inout TopK
  ) {
    let noMore = Scorer.noMore
    let deletes = segment.deletes
    var threshold = topK.threshold
    var target: UInt32 = 0
    while true {
      // The stem's block holding `target`; none means the stem (and so the word) is done.
      let (stemLast, stemBound) = lane.main.blockMax(at: target)
      if stemLast == noMore { break }
      // Most blocks cannot compete even with the light form at its largest (`lightRatio` times
      // the stem): pass them without reading the light form's skip data.
      if lane.upperBound(stem: stemBound) <= threshold {
        target = stemLast &+ 1
        continue
      }
      let (last, bound, _) = lane.windowBound(at: target, wholeStemBlock: false)
      if bound <= threshold {
        target = last &+ 1
        continue
      }
      if lane.light != nil && stemBound <= threshold {
        // The stem alone cannot compete anywhere in the window: only documents holding the light
        // form can. Walk those (a subset of the stem's, far fewer) and score the stem only where
        // the stem's bound plus the exact light score beats the threshold.
        lightDriven(
          &lane, through: last, from: target, stemBound: stemBound, bound: bound,
          excluded: excluded, deletes: deletes, segmentIndex: segmentIndex, threshold: &threshold,
          topK: &topK)
        if last == noMore { break }
        target = last &+ 1
        continue
      }
      var d = lane.doc
      if d == Scorer.unpositioned || d < target {
        lane.advance(target)
        d = lane.doc
      }
      if d == noMore { break }
      // Every document in [target, last] is in the stem's decoded block: score their stems in one
      // pass (independent divisions, no cursor calls), then look closer only at those that can
      // compete.
      let (docs, _, start, count) = lane.main.with { $0.blockEntries }
      var end = start
      while end < count && docs[end] <= last { end += 1 }
      let stems = lane.main.scoreEntries(start..<end)
      var i = start
      while i < end {
        let s = stems[i]
        if lane.upperBound(stem: s) > threshold {
          let doc = docs[i]
          if isLive(doc, deletes: deletes, excluded: excluded) {
            var score = s
            if lane.light != nil { score += lane.lightScore(at: doc) }
            if score > threshold {
              topK.insert(.init(score: score, segment: segmentIndex, doc: doc))
              threshold = topK.threshold
              if bound <= threshold { break }
            }
          }
        }
        i += 1
      }
      // Past the block's documents up to `last`.
      lane.main.with { $0.moveInBlock(to: end) }
      lane.main.doc = end < count ? docs[end] : last
      if last == noMore { break }
      target = last &+ 1
    }
  }

  /// The sum of the block bounds at `target` of the lanes `order[0...p]`, and the first of their
  /// blocks' last documents (where the sum stops holding).
  @inline(__always) private static func blockBounds(
    _ lanes: UnsafeMutableBufferPointer<Lane>, _ order: UnsafeMutablePointer<Int>, through p: Int,
    at target: UInt32
  ) -> (sum: Float, last: UInt32) {
    var sum: Float = 0
    var last = Scorer.noMore
    for j in 0...p {
      let (l, bound) = lanes[order[j]].blockMax(at: target)
      sum += bound
      if l < last { last = l }
    }
    return (sum, last)
  }

  private static func loop(
    _ lanes: UnsafeMutableBufferPointer<Lane>, excluded: [Scorer], segment: SegmentReader,
    segmentIndex: Int32,
    topK: inout TopK
  ) {
    let n = lanes.count
    let noMore = Scorer.noMore
    for i in 0..<n { lanes[i].next() }
    let deletes = segment.deletes
    var threshold = topK.threshold
    let order = UnsafeMutablePointer<Int>.allocate(capacity: n)
    defer { order.deallocate() }
    for i in 0..<n { order[i] = i }

    @inline(__always) func resort() {
      // Insertion sort: the order changes little between steps.
      var i = 1
      while i < n {
        let x = order[i]
        let dx = lanes[x].doc
        var j = i - 1
        while j >= 0 && lanes[order[j]].doc > dx {
          order[j + 1] = order[j]
          j -= 1
        }
        order[j + 1] = x
        i += 1
      }
    }
    resort()
    while true {
      // Pivot.
      var acc: Float = 0
      var p = -1
      for j in 0..<n {
        let l = lanes[order[j]]
        if l.doc == noMore { break }
        acc += l.maxScore
        if acc > threshold {
          p = j
          break
        }
      }
      if p < 0 { return }
      let pivotDoc = lanes[order[p]].doc
      while p + 1 < n && lanes[order[p + 1]].doc == pivotDoc { p += 1 }
      // Block bounds up to the pivot.
      let (blockSum, minLast) = blockBounds(lanes, order, through: p, at: pivotDoc)
      if blockSum > threshold {
        if lanes[order[0]].doc == pivotDoc {
          if isLive(pivotDoc, deletes: deletes, excluded: excluded) {
            var score: Float = 0
            for i in 0..<n where lanes[i].doc == pivotDoc { score += lanes[i].score() }
            if score > threshold {
              topK.insert(.init(score: score, segment: segmentIndex, doc: pivotDoc))
              threshold = topK.threshold
            }
          }
          for j in 0...p { lanes[order[j]].next() }
        } else {
          for j in 0..<p where lanes[order[j]].doc < pivotDoc { lanes[order[j]].advance(pivotDoc) }
        }
      } else {
        // No document up to `minLast` can compete using lanes 0...p, and the other lanes start at
        // `limit` or later. Keep skipping whole blocks with the skip data alone (Lucene's
        // advanceShallow): only the block that can compete, or `limit`, gets decoded.
        let limit = p + 1 < n ? lanes[order[p + 1]].doc : noMore
        var next = minLast == noMore ? noMore : minLast &+ 1
        if next <= pivotDoc { next = pivotDoc &+ 1 }
        while next < limit {
          let (sum, last) = blockBounds(lanes, order, through: p, at: next)
          if sum > threshold || last == noMore { break }
          next = last &+ 1
        }
        if limit < next { next = limit }
        for j in 0...p where lanes[order[j]].doc < next { lanes[order[j]].advance(next) }
      }
      resort()
    }
  }

  /// Whether `d` may be a hit: not deleted and not matched by an excluded clause (whose cursors
  /// move up to `d`).
  @inline(__always) static func isLive(
    _ d: UInt32, deletes: DeletedDocs?, excluded: [Scorer]
  ) -> Bool {
    !(deletes?.contains(Int(d)) ?? false) && (excluded.isEmpty || !isExcluded(d, excluded))
  }

  @inline(__always) static func isExcluded(_ d: UInt32, _ excluded: [Scorer]) -> Bool {
    for e in excluded {
      var x = e.doc
      if x == Scorer.unpositioned || x < d { x = e.advance(to: d) }
      if x == d { return true }
    }
    return false
  }
}
