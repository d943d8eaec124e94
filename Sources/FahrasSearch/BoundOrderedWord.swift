import FahrasIndex

/// One word's top k, visiting its stem's blocks in decreasing order of their score bound instead
/// of in document order.
///
/// In document order, block-max pruning decodes every block whose bound beats the threshold *when
/// the walk reaches it*. The threshold starts low and climbs as better documents turn up, so a long
/// list decodes many blocks that the final threshold would have passed over: about k·ln(blocks)
/// of them. A single word needs no merge of lists in document order, so its blocks can be taken
/// best bound first: the top k fill with the best documents at once, and the walk stops at the
/// first block whose bound cannot reach the threshold, since every later one is lower.
///
/// - The skip data of the stem's list and the light form's are read once (the document-ordered
///   walk reads them too).
/// - A stem block's bound is its own plus the light form's part: the smaller of `lightRatio` times
///   the stem's bound and the largest bound of the light blocks overlapping the stem block (as
///   `Lane.windowBound` computes it for several words).
/// - Within a block the stems are scored in one pass; a document's light form is read only if its
///   stem score lets it reach the threshold.
///
/// Documents arrive out of order, so they are offered to the top k when they *equal* the threshold
/// too. `TopK` breaks ties by segment and document whatever the arrival order, so the result is
/// the document-ordered walk's, to the bit. Excluded clauses (`-word`) are walked forwards only,
/// so a query with one keeps the document-ordered walk; so does a list of fewer than
/// `minimumBlocks` blocks, which has little to gain.
enum BoundOrderedWord {
  /// Shorter stem lists take the document-ordered walk (`BlockMaxWAND.single`).
  static let minimumBlocks = 8

  /// Searches one segment for the word; returns false, having done nothing, when the list is too
  /// short for this walk.
  static func run(
    _ lane: inout BlockMaxWAND.Lane, segment: SegmentReader, segmentIndex: Int32,
    topK: inout TopK
  ) -> Bool {
    let docFreq = lane.main.with { $0.docFreq }
    guard docFreq >= minimumBlocks * Segment.blockSize else { return false }
    if let light = lane.light, light.with({ $0.docFreq }) * 2 < docFreq { return false }
    defer { lane.main.doc = Scorer.noMore }
    let stemBlocks = lane.main.with { $0.blockTable() }
    // Damaged skip data leave the table empty; the cursor records what is damaged.
    guard !stemBlocks.isEmpty else { return true }
    var lightBlocks: [PostingsCursor.BlockHandle] = []
    if let light = lane.light {
      lightBlocks = light.with { $0.blockTable() }
      if light.with({ $0.corruption }) != nil { return true }
    }
    let n = stemBlocks.count
    return withUnsafeTemporaryAllocation(of: Float.self, capacity: n) { boundBuffer in
      withUnsafeTemporaryAllocation(of: Int32.self, capacity: n) { orderBuffer in
        let bounds = boundBuffer.baseAddress!
        let order = orderBuffer.baseAddress!
        blockBounds(lane, stemBlocks, lightBlocks, into: bounds)
        for i in 0..<n { order[i] = Int32(i) }
        var heap = BoundHeap(bounds: bounds, order: order, count: n)
        var threshold = topK.threshold
        let deletes = segment.deletes
        while let i = heap.popBest() {
          if bounds[i] < threshold { break }
          scoreBlock(
            &lane, stemBlocks[i], lightBlocks, deletes: deletes, segmentIndex: segmentIndex,
            threshold: &threshold, topK: &topK)
        }
        return true
      }
    }
  }

  /// Each stem block's bound: the stem's own (its impacts, as `TermLane.blockMax` computes it)
  /// plus the light form's part.
  private static func blockBounds(
    _ lane: BlockMaxWAND.Lane, _ stemBlocks: [PostingsCursor.BlockHandle],
    _ lightBlocks: [PostingsCursor.BlockHandle], into bounds: UnsafeMutablePointer<Float>
  ) {
    let stemBM25 = lane.main.bm25
    let lightBM25 = lane.light?.bm25
    var j0 = 0
    for (i, block) in stemBlocks.enumerated() {
      let stem = bound(block, stemBM25)
      var b = stem
      if let lightBM25 {
        // The light blocks overlapping [firstDoc, lastDoc]: `j0` is the first that ends at or
        // after the stem block's start, and stem blocks only move forwards.
        while j0 < lightBlocks.count && lightBlocks[j0].lastDoc < block.firstDoc { j0 += 1 }
        var light: Float = 0
        var j = j0
        while j < lightBlocks.count && lightBlocks[j].firstDoc <= block.lastDoc {
          light = max(light, bound(lightBlocks[j], lightBM25))
          j += 1
        }
        let viaRatio = lane.lightRatio * stem
        b += viaRatio.isNaN ? light : min(viaRatio, light)
      }
      bounds[i] = b
    }
  }

  @inline(__always) private static func bound(_ block: PostingsCursor.BlockHandle, _ bm25: BM25Term)
    -> Float
  {
    var m: Float = 0
    for i in 0..<block.impactCount {
      let p = block.impact(i)
      m = max(m, bm25.score(tf: Float(p.tf), dl: Float(p.dl)))
    }
    return m * BlockMaxWAND.slack
  }

  /// Scores the documents of one stem block that can reach the threshold.
  private static func scoreBlock(
    _ lane: inout BlockMaxWAND.Lane, _ block: PostingsCursor.BlockHandle,
    _ lightBlocks: [PostingsCursor.BlockHandle], deletes: DeletedDocs?, segmentIndex: Int32,
    threshold: inout Float, topK: inout TopK
  ) {
    lane.main.doc = lane.main.with { $0.seek(to: block) }
    guard lane.main.doc != Scorer.noMore else { return }
    let (docs, _, _, count) = lane.main.with { $0.blockEntries }
    let stems = lane.main.scoreEntries(0..<count)
    var lightPlaced = false
    for x in 0..<count {
      let s = stems[x]
      if lane.upperBound(stem: s) < threshold { continue }
      let d = docs[x]
      if deletes?.contains(Int(d)) ?? false { continue }
      var score = s
      if lane.light != nil {
        if !lightPlaced {
          // The light block that can hold `d` first; later candidates of this block follow it.
          let j = firstBlock(endingAtOrAfter: d, in: lightBlocks)
          lane.light!.doc =
            j < lightBlocks.count ? lane.light!.with { $0.seek(to: lightBlocks[j]) } : Scorer.noMore
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

  /// The index of the first block whose last document is at least `d` (`blocks.count` if none).
  private static func firstBlock(endingAtOrAfter d: UInt32, in blocks: [PostingsCursor.BlockHandle])
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
}

/// A binary max-heap of block indices by bound (ties: the lower index first, i.e. document order),
/// built in linear time; the walk pops only the blocks it visits.
private struct BoundHeap {
  let bounds: UnsafeMutablePointer<Float>
  let order: UnsafeMutablePointer<Int32>
  var count: Int

  init(bounds: UnsafeMutablePointer<Float>, order: UnsafeMutablePointer<Int32>, count: Int) {
    self.bounds = bounds
    self.order = order
    self.count = count
    var i = count / 2
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
