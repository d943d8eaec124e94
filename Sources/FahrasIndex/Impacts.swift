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
  static func front(_ pairs: inout [Impact], cap: Int) -> [Impact] {
    // Sort by tf descending, then dl ascending; sweep keeping strictly smaller dl.
    pairs.sort { $0.tf != $1.tf ? $0.tf > $1.tf : $0.dl < $1.dl }
    var out: [Impact] = []
    var bestDl = UInt32.max
    for p in pairs where p.dl < bestDl {
      out.append(p)
      bestDl = p.dl
    }
    out.reverse()
    while out.count > cap {
      // Merge the neighbours whose lengths are closest (smallest loss of tightness).
      var best = 0
      var bestRatio = Double.infinity
      for i in 0..<(out.count - 1) {
        let r = Double(out[i + 1].dl + 1) / Double(out[i].dl + 1)
        if r < bestRatio {
          bestRatio = r
          best = i
        }
      }
      out[best] = Impact(tf: out[best + 1].tf, dl: out[best].dl)
      out.remove(at: best + 1)
    }
    return out
  }
}
