import FahrasIndex

/// Block-max MaxScore (Turtle & Flood's MaxScore with per-block bounds, as in Lucene's
/// `MaxScoreBulkScorer` and PISA's `block_max_maxscore`) over a disjunction of words.
///
/// The documents are walked in windows. A window starts at `target` and ends at the smallest last
/// document of the blocks that hold `target` in each word's lists, so every word has one block bound
/// valid for the whole window. The words are sorted by that bound; the longest prefix whose bounds
/// sum to at most the heap threshold is *non-essential*: a document they alone match cannot enter
/// the top k. Candidates come from the essential words only; the non-essential ones are consulted
/// from the highest bound down, and only while the candidate can still beat the threshold. A window
/// whose bounds all together cannot beat the threshold is passed over with the skip data alone.
///
/// Compared with block-max WAND there is no pivot search and no re-sorting per document, which is
/// what made WAND's loop the hot spot for two to four words. Final scores are summed in clause
/// order, as exhaustive evaluation does, so both agree to the bit.
///
/// With `requiredCount` r > 0 (`+a +b c d`: the first r words required, the others optional), the
/// rarest required word is the only essential one: candidates come from its documents alone. The
/// other required words are read first (a candidate one of them lacks is no match), then the
/// optional ones while they can still lift the candidate over the threshold; a window is skipped
/// when all bounds together cannot.
enum BlockMaxMaxScore {
  static func loop(
    _ lanes: UnsafeMutableBufferPointer<BlockMaxWAND.Lane>, excluded: [Scorer],
    segment: SegmentReader, segmentIndex: Int32, requiredCount: Int = 0, topK: inout TopK
  ) {
    // The per-word arrays live on the stack (a few words; more go to `ScoreAccumulator`).
    let n = lanes.count
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 3 * n) { floats in
      withUnsafeTemporaryAllocation(of: Int.self, capacity: n) { order in
        withUnsafeTemporaryAllocation(of: Bool.self, capacity: n) { holds in
          let f = floats.baseAddress!
          loop(
            lanes, excluded: excluded, segment: segment, segmentIndex: segmentIndex,
            requiredCount: requiredCount, bound: f, lightBound: f + n, partial: f + 2 * n,
            order: order.baseAddress!, holds: holds.baseAddress!, topK: &topK)
        }
      }
    }
  }

  /// `loop` with its per-word arrays: each word's bound over the window and its light form's part
  /// of it, each word's score at the candidate and whether its stem holds the candidate, and the
  /// words by bound.
  private static func loop(
    _ lanes: UnsafeMutableBufferPointer<BlockMaxWAND.Lane>, excluded: [Scorer],
    segment: SegmentReader, segmentIndex: Int32, requiredCount: Int,
    bound: UnsafeMutablePointer<Float>, lightBound: UnsafeMutablePointer<Float>,
    partial: UnsafeMutablePointer<Float>, order: UnsafeMutablePointer<Int>,
    holds: UnsafeMutablePointer<Bool>, topK: inout TopK
  ) {
    let n = lanes.count
    let noMore = Scorer.noMore
    let unpositioned = Scorer.unpositioned
    let deletes = segment.deletes
    var threshold = topK.threshold
    for i in 0..<n { order[i] = i }
    // The rarest required word leads (its documents are the candidates).
    var lead = -1
    for i in 0..<requiredCount
    where lead < 0 || lanes[i].main.with({ $0.docFreq }) < lanes[lead].main.with({ $0.docFreq }) {
      lead = i
    }
    var target: UInt32 = 0
    while true {
      // The window and each word's bound over it.
      var windowEnd = noMore
      var anyLeft = false
      for i in 0..<n {
        let (last, b, lb) = lanes[i].windowBound(at: target)
        bound[i] = b
        lightBound[i] = lb
        if last == noMore && b == 0 {
          // A required word without documents left: nothing else can match.
          if i < requiredCount { return }
          continue
        }
        anyLeft = true
        if last < windowEnd { windowEnd = last }
      }
      if !anyLeft { return }
      // Words by bound, ascending (insertion sort: few words, order changes little).
      var a = 1
      while a < n {
        let x = order[a]
        var j = a - 1
        while j >= 0 && bound[order[j]] > bound[x] {
          order[j + 1] = order[j]
          j -= 1
        }
        order[j + 1] = x
        a += 1
      }
      var nonEssentialSum: Float = 0
      var m = 0
      while m < n && nonEssentialSum + bound[order[m]] <= threshold {
        nonEssentialSum += bound[order[m]]
        m += 1
      }
      if lead >= 0, m < n {
        // The lead last and alone essential; before it the other required words (read first),
        // and before those the optional ones, still by bound.
        var k = 0
        for j in 0..<n where order[j] >= requiredCount {
          order[k] = order[j]
          k += 1
        }
        for i in 0..<requiredCount where i != lead {
          order[k] = i
          k += 1
        }
        order[n - 1] = lead
        m = n - 1
        nonEssentialSum = 0
        for j in 0..<m { nonEssentialSum += bound[order[j]] }
      }
      if m < n {
        for j in m..<n {
          let i = order[j]
          let d = lanes[i].doc
          if d == unpositioned || d < target { lanes[i].advance(target) }
        }
        // The candidate: the smallest document of the essential words. Each pass over them below
        // also finds the next one.
        var d = noMore
        for j in m..<n {
          let x = lanes[order[j]].doc
          if x < d { d = x }
        }
        while d != noMore && d <= windowEnd {
          var nextD = noMore
          if BlockMaxWAND.isLive(d, deletes: deletes, excluded: excluded) {
            // The essential words' stems first (their light forms, which cost a second cursor,
            // are bounded by `lightRest` until the end). Each essential stem on `d` moves past it
            // once scored: `holds` remembers which were on it.
            var score: Float = 0
            var lightRest: Float = 0
            for j in m..<n {
              let i = order[j]
              if lanes[i].doc == d {
                holds[i] = true
                partial[i] = lanes[i].main.score()
                score += partial[i]
                lightRest += min(lightBound[i], lanes[i].lightRatio * partial[i])
                lanes[i].next()
              } else {
                holds[i] = false
                partial[i] = 0
              }
              let x = lanes[i].doc
              if x < nextD { nextD = x }
            }
            // Then the non-essential words' stems, highest bound first, and all light forms last
            // (a non-essential word's light form, too, is only bounded until then), while the
            // known scores plus the bounds still unread can beat the threshold.
            var pruned = false
            var rest = nonEssentialSum + lightRest
            var j = m - 1
            while j >= 0 {
              if score + rest <= threshold {
                pruned = true
                break
              }
              let i = order[j]
              let x = lanes[i].doc
              if x == unpositioned || x < d { lanes[i].advance(d) }
              rest -= bound[i]
              holds[i] = lanes[i].doc == d
              if !holds[i] && i < requiredCount {
                // A required word lacks the candidate: no match.
                pruned = true
                break
              }
              if holds[i] {
                partial[i] = lanes[i].main.score()
                score += partial[i]
                if lanes[i].light != nil {
                  let l = min(lightBound[i], lanes[i].lightRatio * partial[i])
                  lightRest += l
                  rest += l
                }
              } else {
                partial[i] = 0
              }
              j -= 1
            }
            if !pruned && lightRest > 0 {
              if score + lightRest > threshold {
                for i in 0..<n where lanes[i].light != nil && holds[i] {
                  partial[i] += lanes[i].lightScore(at: d)
                }
              } else {
                pruned = true
              }
            }
            if !pruned {
              // Every word was scored: the exact score, summed in clause order.
              var exact: Float = 0
              for i in 0..<n { exact += partial[i] }
              if exact > threshold {
                topK.insert(.init(score: exact, segment: segmentIndex, doc: d))
                threshold = topK.threshold
              }
            }
          } else {
            for j in m..<n {
              let i = order[j]
              if lanes[i].doc == d { lanes[i].next() }
              let x = lanes[i].doc
              if x < nextD { nextD = x }
            }
          }
          d = nextD
        }
      }
      if windowEnd == noMore { return }
      target = windowEnd &+ 1
    }
  }
}

extension BlockMaxWAND.Lane {
  /// The bound of this word over the block holding `target` in its stem's list (plus its light
  /// form's), and the last document up to which that bound holds. `(noMore, 0)` when the stem has no
  /// document at or after `target`: the word cannot match any more.
  /// Also returns the light form's part of the bound.
  ///
  /// The light form's part is the smaller of `lightRatio` times the stem's block bound (valid over
  /// the stem's block, since the light form's score never exceeds `lightRatio` times the stem's in
  /// a document) and the light form's own block bound:
  /// - `wholeStemBlock: false` (one word alone): the bound of the light block holding `target`,
  ///   which then also ends the window at that block's end;
  /// - `wholeStemBlock: true` (several words): the largest bound of the light blocks overlapping
  ///   the stem's block, read ahead up to its end (the skip pointer only moves forward; later
  ///   targets in the same stem block reuse it), so light-form blocks never cut the window. Several
  ///   words' windows already end at every word's stem blocks; cutting them at light blocks too
  ///   made 54% more windows on SaudiNewsNet's OR queries (2% slower overall).
  @inline(__always) mutating func windowBound(at target: UInt32, wholeStemBlock: Bool = true)
    -> (UInt32, Float, Float)
  {
    var (last, bound) = main.blockMax(at: target)
    if last == Scorer.noMore { return (last, 0, 0) }
    var lightPart: Float = 0
    if light != nil {
      let viaRatio = lightRatio * bound
      if !wholeStemBlock {
        let (lightLast, lightBound) = light!.blockMax(at: target)
        if viaRatio <= lightBound {
          lightPart = viaRatio
        } else {
          lightPart = lightBound
          if lightLast < last { last = lightLast }
        }
      } else {
        if last != lightSpanLast {
          var t = target
          var m: Float = 0
          while true {
            let (lightLast, lightBound) = light!.blockMax(at: t)
            m = max(m, lightBound)
            if lightLast >= last { break }  // also at the light form's end (`noMore`)
            t = lightLast &+ 1
          }
          lightSpanLast = last
          lightSpanBound = m
        }
        lightPart = min(viaRatio, lightSpanBound)
        if light!.isShort {
          // A short light list (a rare form of a common stem) is one block whose bound holds
          // everywhere; its decoded documents tell exactly whether any lies in this stem block.
          var ld = light!.doc
          if ld == Scorer.unpositioned || ld < target {
            light!.advance(target)
            ld = light!.doc
          }
          if ld > last { lightPart = 0 }
        }
      }
      bound += lightPart
    }
    return (last, bound, lightPart)
  }
}
