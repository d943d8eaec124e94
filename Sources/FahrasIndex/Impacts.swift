/// Block-max impacts: the (term frequency, document length) pairs that bound a block's best score.
///
/// BM25's term score grows with tf and shrinks with the length dl, for every k1 ≥ 0 and b in [0, 1],
/// so the Pareto front of the block's (tf, dl) pairs (no pair has both a higher tf and a lower dl)
/// bounds the score of every document in it, whatever the parameters and collection statistics at
/// query time. Fronts are capped at `maxPairs` by merging neighbours (tf₂, dl₁), which dominates both
/// and keeps the bound valid, only looser.
public struct Impact: Sendable, Equatable {
  public var tf: UInt32
  public var dl: UInt32
  public init(tf: UInt32, dl: UInt32) {
    self.tf = tf
    self.dl = dl
  }
}

enum Impacts {
  static let maxPairsPerBlock = 4
  static let maxPairsPerTerm = 8

  /// The Pareto front of `pairs`, sorted by tf ascending (and so dl ascending), capped at `cap`.
  ///
  /// Capping merges neighbours (tf₂, dl₁); of all possible merges it picks the one that inflates
  /// the bound least under BM25's default parameters (k1 = 1.2, b = 0.75) and `averageLength`.
  /// Any choice keeps the bound valid; this one keeps it tight where queries usually run.
  static func front(_ pairs: some Sequence<Impact>, cap: Int, averageLength: Double = 0)
    -> [Impact]
  {
    // Insert each pair into the front (kept sorted by tf ascending, so dl ascending too) unless a
    // front pair dominates it (tf ≥ and dl ≤), dropping the front pairs it dominates. Fronts are
    // a handful of pairs, so this beats sorting the block's pairs and allocates only the result.
    var out: [Impact] = []
    out.reserveCapacity(8)
    for p in pairs {
      // First front pair with tf ≥ p.tf: it dominates p if its dl is ≤ p.dl (later ones have
      // larger dl; earlier ones smaller tf).
      var i = 0
      while i < out.count && out[i].tf < p.tf { i += 1 }
      if i < out.count && out[i].dl <= p.dl { continue }
      // p dominates out[i] if it has the same tf (its dl is then larger), and the pairs before i
      // whose dl is ≥ p.dl (a suffix of out[..<i]).
      let end = i < out.count && out[i].tf == p.tf ? i + 1 : i
      var j = i
      while j > 0 && out[j - 1].dl >= p.dl { j -= 1 }
      out.replaceSubrange(j..<end, with: CollectionOfOne(p))
    }
    let avg = averageLength > 0 ? averageLength : Double(max(1, out.last?.dl ?? 1))
    func score(_ p: Impact) -> Double {
      let tf = Double(p.tf)
      return tf / (tf + 1.2 * (0.25 + 0.75 * Double(p.dl) / avg))
    }
    while out.count > cap {
      var best = 0
      var bestLoss = Double.infinity
      for i in 0..<(out.count - 1) {
        let merged = score(Impact(tf: out[i + 1].tf, dl: out[i].dl))
        let loss = merged - max(score(out[i]), score(out[i + 1]))
        if loss < bestLoss {
          bestLoss = loss
          best = i
        }
      }
      out[best] = Impact(tf: out[best + 1].tf, dl: out[best].dl)
      out.remove(at: best + 1)
    }
    return out
  }
}
