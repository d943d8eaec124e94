import FahrasIndex

/// Block-max WAND (Ding & Suel, 2011) over a disjunction of term scorers.
///
/// Cursors are kept sorted by their current document. The pivot is the first cursor at which the
/// running sum of the terms' global score bounds exceeds the heap threshold; documents before it
/// cannot enter the top k. The pivot is then checked against the sum of the *block* bounds of the
/// cursors up to it (`TermScorer.blockMax`): when even those cannot beat the threshold, every
/// cursor up to the pivot jumps past the end of the shallowest block, skipping whole blocks without
/// decoding them. Scores of candidates are summed in clause order so results equal exhaustive
/// evaluation bit for bit.
enum BlockMaxWAND {
  static func run(
    terms: [TermScorer], excluded: [Scorer], segment: SegmentReader, segmentIndex: Int32, topK: inout TopK
  ) {
    let n = terms.count
    guard n > 0 else { return }
    var order = Array(0..<n)
    for t in terms { _ = t.nextDoc() }
    let deletes = segment.deletes
    var threshold = topK.threshold
    let noMore = Scorer.noMore

    @inline(__always) func resort() {
      // Insertion sort: the order changes little between steps.
      for i in 1..<max(1, n) {
        let x = order[i]
        let dx = terms[x].doc
        var j = i - 1
        while j >= 0 && terms[order[j]].doc > dx {
          order[j + 1] = order[j]
          j -= 1
        }
        order[j + 1] = x
      }
    }
    resort()
    while true {
      // Pivot.
      var acc: Float = 0
      var p = -1
      for j in 0..<n {
        let t = terms[order[j]]
        if t.doc == noMore { break }
        acc += t.maxScore
        if acc > threshold {
          p = j
          break
        }
      }
      if p < 0 { return }
      let pivotDoc = terms[order[p]].doc
      while p + 1 < n && terms[order[p + 1]].doc == pivotDoc { p += 1 }
      // Block bounds up to the pivot.
      var blockSum: Float = 0
      var minLast = noMore
      for j in 0...p {
        let (last, bound) = terms[order[j]].blockMax(at: pivotDoc)
        blockSum += bound
        if last < minLast { minLast = last }
      }
      if blockSum > threshold {
        if terms[order[0]].doc == pivotDoc {
          let deleted = deletes?.contains(Int(pivotDoc)) ?? false
          if !deleted && !isExcluded(pivotDoc, excluded) {
            var score: Float = 0
            for t in terms where t.doc == pivotDoc { score += t.score() }
            if score > threshold {
              topK.insert(.init(score: score, segment: segmentIndex, doc: pivotDoc))
              threshold = topK.threshold
            }
          }
          for j in 0...p { _ = terms[order[j]].nextDoc() }
        } else {
          for j in 0..<p where terms[order[j]].doc < pivotDoc { _ = terms[order[j]].advance(to: pivotDoc) }
        }
      } else {
        var next = minLast == noMore ? noMore : minLast &+ 1
        if p + 1 < n && terms[order[p + 1]].doc < next { next = terms[order[p + 1]].doc }
        if next <= pivotDoc { next = pivotDoc &+ 1 }
        for j in 0...p where terms[order[j]].doc < next { _ = terms[order[j]].advance(to: next) }
      }
      resort()
    }
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
