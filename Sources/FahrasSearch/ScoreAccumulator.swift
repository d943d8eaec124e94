import FahrasIndex

/// Term-at-a-time scoring into one score per document: the top-k path for disjunctions of very many
/// words (a prefix or fuzzy expansion to hundreds of terms, a pasted paragraph).
///
/// Block-max MaxScore walks the words' lists together and spends, per window and per candidate,
/// time proportional to the number of words: with a thousand words that dominates (a one-letter
/// prefix took 80–120 ms on SaudiNewsNet). Here each word's list is read once, start to end, and
/// its score added to its documents' sums, in clause order, so every sum is the float the
/// exhaustive `DisjunctionScorer` computes; the sums are then visited in document order through the
/// deletes and exclusions into the top k. The cost is the lists' length plus one float per document
/// of the segment, whatever the number of words.
enum ScoreAccumulator {
  /// From this many words on, `BlockMaxWAND.run` accumulates instead of pruning.
  static let minimumWords = 64

  static func run(
    _ lanes: UnsafeMutableBufferPointer<BlockMaxWAND.Lane>, excluded: [Scorer],
    segment: SegmentReader, segmentIndex: Int32, topK: inout TopK
  ) {
    let maxDoc = segment.maxDoc
    guard maxDoc > 0 else { return }
    let sums = UnsafeMutablePointer<Float>.allocate(capacity: maxDoc)
    sums.initialize(repeating: 0, count: maxDoc)
    // Which documents some word matched (a sum alone cannot tell a match from none).
    let words = (maxDoc + 63) / 64
    let matched = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
    matched.initialize(repeating: 0, count: words)
    defer {
      sums.deallocate()
      matched.deallocate()
    }
    var first = maxDoc
    var last = -1
    for i in 0..<lanes.count {
      while true {
        lanes[i].next()
        let d = lanes[i].doc
        // A damaged list ends early (its cursor reports the corruption to the caller).
        if d == Scorer.noMore || Int(d) >= maxDoc { break }
        sums[Int(d)] += lanes[i].score()
        matched[Int(d) >> 6] |= 1 << UInt64(d & 63)
        if Int(d) < first { first = Int(d) }
        if Int(d) > last { last = Int(d) }
      }
    }
    guard last >= first else { return }
    var threshold = topK.threshold
    let deletes = segment.deletes
    for d in first...last where sums[d] > threshold && matched[d >> 6] & (1 << UInt64(d & 63)) != 0
    {
      let doc = UInt32(d)
      guard BlockMaxWAND.isLive(doc, deletes: deletes, excluded: excluded) else { continue }
      topK.insert(.init(score: sums[d], segment: segmentIndex, doc: doc))
      threshold = topK.threshold
    }
  }
}
