import FahrasIndex

/// One word's top k, visiting its blocks in decreasing order of their score bound instead of in
/// document order.
///
/// In document order, block-max pruning decodes every block whose bound beats the threshold *when
/// the walk reaches it*. The threshold starts low and climbs as better documents turn up, so a long
/// list decodes many blocks that the final threshold would have passed over: about k·ln(blocks)
/// of them. A single word needs no merge of lists in document order, so its blocks can be taken
/// best bound first: the top k fill with the best documents at once, and a walk stops at the first
/// block whose bound cannot reach the threshold, since every later one is lower.
///
/// A word is its stem's list plus, for the default field, its light form's, whose documents are a
/// subset of the stem's (`docs/SCORING.md` §3). How its blocks are walked depends on how rare the
/// light form is:
/// - **Nearly as common as its stem** (at least half its documents), or no light form: the stem's
///   blocks, each bounded by its own bound plus the light form's part (the smaller of
///   `lightRatio` times the stem's bound and the largest bound of the light blocks it overlaps, as
///   `Lane.windowBound` computes it). A block's stems are scored in one pass; a document's light
///   form is read only if its stem score lets it reach the threshold.
/// - **Rarer**: most stem blocks then owe their bound to a few light documents, and would be
///   decoded for nothing. Two walks instead:
///   1. *documents holding the light form*, light block by light block. A light block's bound is
///      the largest bound of the stem blocks it overlaps plus its own (or `lightRatio` times that
///      stem bound, if smaller). Each of its documents gets its exact light score plus the bound of
///      the one stem block holding it; only a document that can still reach the threshold has its
///      stem block decoded and its exact stem score added;
///   2. *documents without it*, stem block by stem block, bounded by the stem alone. A document the
///      light form holds is passed over: walk 1 scored it, or its light block's bound showed it
///      cannot compete. Walk 1 usually leaves a threshold that few stem blocks reach.
///
/// Documents arrive out of order, so they are offered to the top k when they *equal* the threshold
/// too. `TopK` breaks ties by segment and document whatever the arrival order, so the result is
/// the document-ordered walk's, to the bit. Excluded clauses (`-word`) are walked forwards only,
/// so a query with one keeps the document-ordered walk (`BlockMaxWAND.single`); so does a stem
/// list of fewer than `minimumBlocks` blocks, which has little to gain.
enum BoundOrderedWord {
  /// Shorter stem lists take the document-ordered walk.
  static let minimumBlocks = 3

  /// Searches one segment for the word; returns false, having done nothing, when the list is too
  /// short for this walk.
  static func run(
    _ lane: inout BlockMaxWAND.Lane, segment: SegmentReader, segmentIndex: Int32,
    topK: inout TopK
  ) -> Bool {
    let stemFreq = lane.main.with { $0.docFreq }
    guard stemFreq >= minimumBlocks * Segment.blockSize else { return false }
    defer { lane.main.doc = Scorer.noMore }
    let stemBlocks = lane.main.with { $0.blockTable() }
    // Damaged skip data leave the table empty; the cursor records what is damaged.
    guard !stemBlocks.isEmpty else { return true }
    var lightBlocks: [PostingsCursor.BlockHandle] = []
    if let light = lane.light {
      lightBlocks = light.with { $0.blockTable() }
      if light.with({ $0.corruption }) != nil { return true }
      // A light list derived from the stem's moves its base with the stem's table.
      lane.main.with { stem in light.with { $0.shareBaseBlockTable(stemBlocks, of: stem) } }
    }
    let n = stemBlocks.count
    let m = lightBlocks.count
    withUnsafeTemporaryAllocation(of: Float.self, capacity: n + m) { floats in
      withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(n, m)) { orderBuffer in
        var walk = Walk(
          stemBlocks: stemBlocks, lightBlocks: lightBlocks, stemBounds: floats.baseAddress!,
          deletes: segment.deletes, segmentIndex: segmentIndex, threshold: topK.threshold)
        let order = orderBuffer.baseAddress!
        for i in 0..<n { walk.stemBounds[i] = bound(stemBlocks[i], lane.main.bm25) }
        let lightBM25 = lane.light?.bm25
        if let lightBM25, m > 0, lane.light!.with({ $0.docFreq }) * 2 < stemFreq {
          // A light form rarer than half its stem: walk 1, then walk 2.
          let lightBounds = floats.baseAddress! + n
          walk.lightBlockBounds(lane.lightRatio, lightBM25, into: lightBounds)
          var heap = BoundHeap(bounds: lightBounds, order: order, count: m)
          while let j = heap.popBest(), lightBounds[j] >= walk.threshold {
            walk.lightBlock(j, &lane, &topK)
          }
          // Only the stem blocks that can still reach the threshold (usually few).
          heap = BoundHeap(
            bounds: walk.stemBounds, order: order, count: n, atLeast: walk.threshold)
          while let i = heap.popBest(), walk.stemBounds[i] >= walk.threshold {
            walk.stemOnlyBlock(i, &lane, &topK)
          }
        } else {
          // No light form, or one nearly as common as its stem: the stem's blocks alone, each
          // bounded with the light form's part.
          if let lightBM25 {
            walk.addLightParts(lane.lightRatio, lightBM25, scratch: floats.baseAddress! + n)
          }
          var heap = BoundHeap(bounds: walk.stemBounds, order: order, count: n)
          while let i = heap.popBest(), walk.stemBounds[i] >= walk.threshold {
            walk.stemBlock(i, &lane, &topK)
          }
        }
      }
    }
    return true
  }

  /// A block's bound, with the slack `TermLane.blockMax` adds.
  @inline(__always) static func bound(_ block: PostingsCursor.BlockHandle, _ bm25: BM25Term)
    -> Float
  {
    bm25.bound(impactCount: block.impactCount, block.impact) * BlockMaxWAND.slack
  }

  /// The index of the first block whose last document is at least `d` (`blocks.count` if none).
  static func firstBlock(endingAtOrAfter d: UInt32, in blocks: [PostingsCursor.BlockHandle])
    -> Int
  {
    var lo = 0
    var hi = blocks.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if blocks[mid].lastDoc < d { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }

  /// For each block of `blocks`, in order, calls `body(index, largest)` with the largest
  /// `otherBounds[j]` over the blocks j of `others` that overlap it (0 if none). Both lists are in
  /// document order, so the first overlapping block only moves forwards.
  @inline(__always) static func forEachLargestOverlap(
    _ blocks: [PostingsCursor.BlockHandle], _ others: [PostingsCursor.BlockHandle],
    _ otherBounds: UnsafeMutablePointer<Float>, _ body: (Int, Float) -> Void
  ) {
    var j0 = 0
    for (i, block) in blocks.enumerated() {
      while j0 < others.count && others[j0].lastDoc < block.firstDoc { j0 += 1 }
      var largest: Float = 0
      var j = j0
      while j < others.count && others[j].firstDoc <= block.lastDoc {
        largest = max(largest, otherBounds[j])
        j += 1
      }
      body(i, largest)
    }
  }

  /// The state of the two walks over one segment.
  private struct Walk {
    let stemBlocks: [PostingsCursor.BlockHandle]
    let lightBlocks: [PostingsCursor.BlockHandle]
    /// Each stem block's bound.
    let stemBounds: UnsafeMutablePointer<Float>
    let deletes: DeletedDocs?
    let segmentIndex: Int32
    var threshold: Float

    /// Each light block's bound for the documents it holds: the largest bound of the stem blocks
    /// it overlaps plus the light form's part, as `Lane.windowBound` adds them.
    func lightBlockBounds(
      _ lightRatio: Float, _ bm25: BM25Term, into bounds: UnsafeMutablePointer<Float>
    ) {
      BoundOrderedWord.forEachLargestOverlap(lightBlocks, stemBlocks, stemBounds) { j, stem in
        let own = BoundOrderedWord.bound(lightBlocks[j], bm25)
        let viaRatio = lightRatio * stem
        bounds[j] = stem + (viaRatio.isNaN ? own : min(viaRatio, own))
      }
    }

    /// Adds to each stem block's bound the light form's part: the smaller of `lightRatio` times
    /// the stem's bound and the largest bound of the light blocks overlapping the stem block (as
    /// `Lane.windowBound` computes it for several words).
    func addLightParts(
      _ lightRatio: Float, _ bm25: BM25Term, scratch lightBounds: UnsafeMutablePointer<Float>
    ) {
      for j in 0..<lightBlocks.count {
        lightBounds[j] = BoundOrderedWord.bound(lightBlocks[j], bm25)
      }
      BoundOrderedWord.forEachLargestOverlap(stemBlocks, lightBlocks, lightBounds) { i, light in
        let viaRatio = lightRatio * stemBounds[i]
        stemBounds[i] += viaRatio.isNaN ? light : min(viaRatio, light)
      }
    }

    /// Decodes stem block `i` and scores its stems in one pass; nil when it holds no document.
    func scoredStemBlock(_ i: Int, _ lane: inout BlockMaxWAND.Lane) -> (
      docs: UnsafePointer<UInt32>, stems: UnsafePointer<Float>, count: Int
    )? {
      lane.main.doc = lane.main.with { $0.seek(to: stemBlocks[i]) }
      guard lane.main.doc != Scorer.noMore else { return nil }
      let (docs, _, _, count) = lane.main.with { $0.blockEntries }
      return (docs, lane.main.scoreEntries(0..<count), count)
    }

    /// The documents of stem block `i` that can reach the threshold, stem and light form.
    mutating func stemBlock(_ i: Int, _ lane: inout BlockMaxWAND.Lane, _ topK: inout TopK) {
      guard let (docs, stems, count) = scoredStemBlock(i, &lane) else { return }
      var lightPlaced = false
      for x in 0..<count {
        let s = stems[x]
        if lane.upperBound(stem: s) < threshold { continue }
        let d = docs[x]
        if deletes?.contains(Int(d)) ?? false { continue }
        var score = s
        if lane.light != nil {
          if !lightPlaced {
            placeLight(before: d, &lane)
            lightPlaced = true
          }
          score += lane.lightScore(at: d)
        }
        if score >= threshold {
          topK.insert(.init(score: score, segment: segmentIndex, doc: d))
          threshold = topK.threshold
        }
      }
    }

    /// Moves the light form's cursor to the start of the light block that can hold `d` first, for
    /// a run of increasing documents from `d` on.
    func placeLight(before d: UInt32, _ lane: inout BlockMaxWAND.Lane) {
      let j = BoundOrderedWord.firstBlock(endingAtOrAfter: d, in: lightBlocks)
      lane.light!.doc =
        j < lightBlocks.count ? lane.light!.with { $0.seek(to: lightBlocks[j]) } : Scorer.noMore
    }

    /// Walk 1: the documents of light block `j` that can reach the threshold.
    mutating func lightBlock(_ j: Int, _ lane: inout BlockMaxWAND.Lane, _ topK: inout TopK) {
      lane.light!.doc = lane.light!.with { $0.seek(to: lightBlocks[j]) }
      guard lane.light!.doc != Scorer.noMore else { return }
      let (docs, _, _, count) = lane.light!.with { $0.blockEntries }
      let lights = lane.light!.scoreEntries(0..<count)
      var i = BoundOrderedWord.firstBlock(endingAtOrAfter: docs[0], in: stemBlocks)
      for x in 0..<count {
        let d = docs[x]
        while i < stemBlocks.count && stemBlocks[i].lastDoc < d { i += 1 }
        if i == stemBlocks.count { break }
        let l = lights[x]
        if stemBounds[i] + l < threshold { continue }
        if deletes?.contains(Int(d)) ?? false { continue }
        // The stem cursor stays in the block it was last moved to; seek when that is not
        // block `i` or when it is already past `d`.
        let at = lane.main.doc
        if at > d || at < stemBlocks[i].firstDoc {
          lane.main.doc = lane.main.with { $0.seek(to: stemBlocks[i]) }
        }
        // A light document the stem does not hold is no match (docs/SCORING.md §3).
        guard let s = lane.main.exactScore(at: d) else { continue }
        let score = s + l
        if score >= threshold {
          topK.insert(.init(score: score, segment: segmentIndex, doc: d))
          threshold = topK.threshold
        }
      }
    }

    /// Walk 2: the documents of stem block `i` without the light form that can reach the threshold.
    mutating func stemOnlyBlock(_ i: Int, _ lane: inout BlockMaxWAND.Lane, _ topK: inout TopK) {
      guard let (docs, stems, count) = scoredStemBlock(i, &lane) else { return }
      var lightPlaced = false
      for x in 0..<count {
        let s = stems[x]
        if s < threshold { continue }
        let d = docs[x]
        if deletes?.contains(Int(d)) ?? false { continue }
        if lane.light != nil {
          if !lightPlaced {
            placeLight(before: d, &lane)
            lightPlaced = true
          }
          var ld = lane.light!.doc
          if ld < d { ld = lane.light!.with { $0.advance(to: d) } }
          lane.light!.doc = ld
          if ld == d { continue }
        }
        topK.insert(.init(score: s, segment: segmentIndex, doc: d))
        threshold = topK.threshold
      }
    }
  }
}

/// A binary max-heap of block indices by bound (ties: the lower index first, i.e. document order),
/// built in linear time; the walk pops only the blocks it visits.
private struct BoundHeap {
  let bounds: UnsafeMutablePointer<Float>
  let order: UnsafeMutablePointer<Int32>
  var count: Int

  /// The blocks `0..<count` whose bound is at least `floor`, heaped in `order` (room for `count`).
  init(
    bounds: UnsafeMutablePointer<Float>, order: UnsafeMutablePointer<Int32>, count: Int,
    atLeast floor: Float = -.infinity
  ) {
    self.bounds = bounds
    self.order = order
    var kept = 0
    for i in 0..<count where bounds[i] >= floor {
      order[kept] = Int32(i)
      kept += 1
    }
    self.count = kept
    var i = kept / 2
    while i > 0 {
      i -= 1
      siftDown(i)
    }
  }

  /// Whether block `a` comes before block `b`.
  @inline(__always) private func before(_ a: Int32, _ b: Int32) -> Bool {
    let x = bounds[Int(a)]
    let y = bounds[Int(b)]
    return x != y ? x > y : a < b
  }

  private func siftDown(_ start: Int) {
    var i = start
    let item = order[i]
    while true {
      let l = 2 * i + 1
      if l >= count { break }
      let r = l + 1
      let c = r < count && before(order[r], order[l]) ? r : l
      guard before(order[c], item) else { break }
      order[i] = order[c]
      i = c
    }
    order[i] = item
  }

  mutating func popBest() -> Int? {
    guard count > 0 else { return nil }
    let best = order[0]
    count -= 1
    if count > 0 {
      order[0] = order[count]
      siftDown(0)
    }
    return Int(best)
  }
}
