import FahrasIndex

/// Top-k over a conjunction of words (`+a +b`, or `a b` with AND as the default operator) with
/// block-max pruning, as Lucene's `BlockMaxConjunctionScorer` does.
///
/// The documents are walked in windows that end at the smallest last document of the blocks
/// holding the window's first document, one block per word; when the words' block bounds together
/// cannot beat the top-k threshold, the window is passed over with the skip data alone. Inside a
/// window the words are intersected by leapfrog (the rarest stem leads). A match's stems are scored
/// first; its light forms only when the per-document bound (`Lane.lightRatio`) says they can lift it
/// above the threshold. Exact scores are summed in clause order, as `ConjunctionScorer` over
/// `RequiredOptionalScorer`s does, so pruned and exhaustive evaluation agree to the bit.
enum BlockMaxConjunction {
  static func run(
    words: [BlockMaxWAND.Word], excluded: [Scorer], segment: SegmentReader, segmentIndex: Int32,
    topK: inout TopK
  ) {
    guard !words.isEmpty else { return }
    withExtendedLifetime(words) {
      var lanes = words.map(BlockMaxWAND.Lane.init)
      lanes.withUnsafeMutableBufferPointer { lanes in
        loop(lanes, excluded: excluded, segment: segment, segmentIndex: segmentIndex, topK: &topK)
      }
      for (i, w) in words.enumerated() { w.main.doc = lanes[i].doc }
    }
  }

  private static func loop(
    _ lanes: UnsafeMutableBufferPointer<BlockMaxWAND.Lane>, excluded: [Scorer],
    segment: SegmentReader, segmentIndex: Int32, topK: inout TopK
  ) {
    let n = lanes.count
    let noMore = Scorer.noMore
    let deletes = segment.deletes
    var threshold = topK.threshold
    // Leapfrog order: the rarest stem leads.
    let cost = (0..<n).map { i in lanes[i].main.with { $0.docFreq } }
    let byCost = (0..<n).sorted { cost[$0] < cost[$1] }
    let lead = byCost[0]
    let mainScores = UnsafeMutablePointer<Float>.allocate(capacity: n)
    let lightBounds = UnsafeMutablePointer<Float>.allocate(capacity: n)
    defer {
      mainScores.deallocate()
      lightBounds.deallocate()
    }
    var target: UInt32 = 0
    while true {
      var windowEnd = noMore
      var sum: Float = 0
      for i in 0..<n {
        let (last, bound, lightBound) = lanes[i].windowBound(at: target)
        if last == noMore && bound == 0 { return }  // a word has no document left
        sum += bound
        lightBounds[i] = lightBound
        if last < windowEnd { windowEnd = last }
      }
      if sum > threshold {
        var d = lanes[lead].doc
        if d == Scorer.unpositioned || d < target {
          lanes[lead].advance(target)
          d = lanes[lead].doc
        }
        search: while d <= windowEnd && d != noMore {
          // Indexes, not `dropFirst()`: a slice per step retains the array.
          for j in 1..<n {
            let i = byCost[j]
            var x = lanes[i].doc
            if x == Scorer.unpositioned || x < d {
              lanes[i].advance(d)
              x = lanes[i].doc
            }
            if x > d {
              if x == noMore { return }
              lanes[lead].advance(x)
              d = lanes[lead].doc
              continue search
            }
          }
          // Every word matches d.
          if BlockMaxWAND.isLive(d, deletes: deletes, excluded: excluded) {
            var stems: Float = 0
            var lightRest: Float = 0
            for i in 0..<n {
              let s = lanes[i].main.score()
              mainScores[i] = s
              stems += s
              lightRest += min(lightBounds[i], lanes[i].lightRatio * s)
            }
            if stems + lightRest > threshold {
              var exact: Float = 0
              for i in 0..<n {
                var s = mainScores[i]
                if lanes[i].light != nil { s += lanes[i].lightScore(at: d) }
                exact += s
              }
              if exact > threshold {
                topK.insert(.init(score: exact, segment: segmentIndex, doc: d))
                threshold = topK.threshold
              }
            }
          }
          lanes[lead].next()
          d = lanes[lead].doc
        }
      }
      if windowEnd == noMore { return }
      target = windowEnd &+ 1
    }
  }
}
