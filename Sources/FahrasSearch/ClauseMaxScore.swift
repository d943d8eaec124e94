import FahrasIndex

/// MaxScore (Turtle & Flood) over a disjunction of arbitrary clauses, with each clause's global
/// bound (`Scorer.maxScore`) instead of per-block bounds: the top-k path for disjunctions the
/// word-only paths do not take, such as a phrase among words (`"وزير الدفاع" الروسي شويغو`), a
/// prefix or fuzzy expansion among words, or a field term.
///
/// The clauses are sorted by bound; the longest prefix whose bounds sum to at most the heap
/// threshold is *non-essential*: a document matching only those cannot enter the top k, so the
/// candidates come from the essential clauses alone. A candidate's non-essential clauses are
/// consulted from the highest bound down, and only while it can still beat the threshold; a
/// phrase among them reads positions only for such candidates, and a phrase skips documents whose
/// best phrase score plus the other clauses' bounds cannot win. The partition is recomputed each
/// time the threshold rises. Final scores are summed in clause order, as `DisjunctionScorer`
/// does, so the hits and scores equal exhaustive evaluation's to the bit.
enum ClauseMaxScore {
  /// Each clause's bound, padded against rounding (the scores of nested clauses are sums of float
  /// terms); the clause indices by bound, ascending; and `prefix[m]`, the sum of the m smallest.
  static func sortedBounds(_ clauses: [Scorer]) -> (bound: [Float], order: [Int], prefix: [Float]) {
    let bound = clauses.map { $0.maxScore * BlockMaxWAND.slack }
    let order = clauses.indices.sorted {
      bound[$0] != bound[$1] ? bound[$0] < bound[$1] : $0 < $1
    }
    var prefix = [Float](repeating: 0, count: clauses.count + 1)
    for j in order.indices { prefix[j + 1] = prefix[j] + bound[order[j]] }
    return (bound, order, prefix)
  }

  static func run(
    clauses: [Scorer], excluded: [Scorer], segment: SegmentReader, segmentIndex: Int32,
    topK: inout TopK
  ) {
    let n = clauses.count
    guard n > 0 else { return }
    let noMore = Scorer.noMore
    let unpositioned = Scorer.unpositioned
    let deletes = segment.deletes
    let (bound, order, prefix) = sortedBounds(clauses)
    var partial = [Float](repeating: 0, count: n)
    var threshold = topK.threshold

    /// The number of non-essential clauses for the current threshold.
    func essentialStart() -> Int {
      var m = 0
      while m < n && prefix[m + 1] <= threshold { m += 1 }
      return m
    }
    // A phrase clause skips the documents where even its largest possible score plus every other
    // clause's bound cannot beat the threshold (without reading their positions): such a document
    // cannot enter the top k whatever the phrase contributes, so leaving it out changes nothing.
    let phrases = (0..<n).compactMap { i in (clauses[i] as? PhraseScorer).map { (i, $0) } }
    func tellPhrases() {
      for (i, p) in phrases {
        let room = threshold - (prefix[n] - bound[i])
        // Less a relative 2⁻¹⁸ of the threshold, for the rounding of the subtraction.
        p.minCompetitiveScore = room > 0 ? room - threshold / 262_144 : -.infinity
      }
    }
    tellPhrases()
    var m = essentialStart()
    while m < n {
      // The next candidate: the smallest document of the essential clauses.
      var d = noMore
      for j in m..<n {
        let c = clauses[order[j]]
        var x = c.doc
        if x == unpositioned { x = c.nextDoc() }
        if x < d { d = x }
      }
      if d == noMore { return }
      if BlockMaxWAND.isLive(d, deletes: deletes, excluded: excluded) {
        var score: Float = 0
        for j in m..<n {
          let i = order[j]
          if clauses[i].doc == d {
            partial[i] = clauses[i].score()
            score += partial[i]
          } else {
            partial[i] = 0
          }
        }
        // The non-essential clauses, highest bound first, while the candidate can still win.
        if readDown(
          clauses, order: order, prefix: prefix, below: m, at: d, score: &score, partial: &partial,
          threshold: threshold)
        {
          var exact: Float = 0
          for i in 0..<n { exact += partial[i] }
          if exact > threshold {
            topK.insert(.init(score: exact, segment: segmentIndex, doc: d))
            if topK.threshold > threshold {
              threshold = topK.threshold
              m = max(m, essentialStart())
              tellPhrases()
            }
          }
        }
      }
      // Past `d` in every clause that is on it (non-essential clauses too: they are behind or on
      // `d` and move forward only when asked).
      for j in 0..<n where clauses[order[j]].doc == d { _ = clauses[order[j]].nextDoc() }
    }
  }

  /// Reads the clauses `order[count − 1]`, `order[count − 2]`, … (highest bound first) at `d`,
  /// adding their scores to `score` and setting `partial` (0 where a clause does not match), while
  /// `score` plus the bounds still unread can beat `threshold`. False when it stopped early: the
  /// document cannot enter the top k.
  @inline(__always) static func readDown(
    _ clauses: [Scorer], order: [Int], prefix: [Float], below count: Int, at d: UInt32,
    score: inout Float, partial: inout [Float], threshold: Float
  ) -> Bool {
    var j = count - 1
    while j >= 0 {
      if score + prefix[j + 1] <= threshold { return false }
      let i = order[j]
      let c = clauses[i]
      if c.doc == Scorer.unpositioned || c.doc < d { _ = c.advance(to: d) }
      partial[i] = c.doc == d ? c.score() : 0
      score += partial[i]
      j -= 1
    }
    return true
  }

  /// Required clauses with optional ones (`+a b c`): the candidates are the required scorer's
  /// documents; a candidate's optional clauses are read from the highest bound down, and only while
  /// the required score plus the optional bounds still unread can beat the threshold. The score is
  /// the required one plus the matching optional ones in clause order, as `RequiredOptionalScorer`
  /// sums it.
  static func run(
    required: Scorer, optional clauses: [Scorer], excluded: [Scorer], segment: SegmentReader,
    segmentIndex: Int32, topK: inout TopK
  ) {
    let n = clauses.count
    let noMore = Scorer.noMore
    let deletes = segment.deletes
    let (_, order, prefix) = sortedBounds(clauses)
    var partial = [Float](repeating: 0, count: n)
    var threshold = topK.threshold
    // Nothing the required scorer matches can win any more: stop.
    let requiredBound = required.maxScore * BlockMaxWAND.slack
    while required.nextDoc() != noMore {
      if requiredBound + prefix[n] <= threshold { return }
      let d = required.doc
      guard BlockMaxWAND.isLive(d, deletes: deletes, excluded: excluded) else { continue }
      let base = required.score()
      var score = base
      guard
        readDown(
          clauses, order: order, prefix: prefix, below: n, at: d, score: &score,
          partial: &partial, threshold: threshold)
      else { continue }
      // Unmatched clauses add 0, which leaves the sum as it was.
      var exact = base
      for i in 0..<n { exact += partial[i] }
      if exact > threshold {
        topK.insert(.init(score: exact, segment: segmentIndex, doc: d))
        threshold = topK.threshold
      }
    }
  }
}
