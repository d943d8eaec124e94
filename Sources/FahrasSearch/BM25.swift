/// BM25 as Lucene computes it (no `k1 + 1` factor in the numerator):
///
///     idf(t)   = ln(1 + (N − df + 0.5) / (df + 0.5))
///     score    = boost · idf · tf / (tf + k1 · (1 − b + b · dl / avgdl))
///
/// `N` and `df` are counted over every segment of the snapshot (deleted documents included, as in
/// Lucene), `dl` is the exact field length and `avgdl` the field's mean length over documents that
/// have it. See `docs/SCORING.md` for how title, body and the light field combine.
public struct BM25Parameters: Sendable, Equatable {
  public var k1: Float
  public var b: Float
  public init(k1: Float = 1.2, b: Float = 0.75) {
    self.k1 = k1
    self.b = b
  }

  public static func idf(docFreq: Int, docCount: Int) -> Float {
    let df = Double(docFreq)
    let n = Double(max(docCount, docFreq))
    return Float(log(1 + (n - df + 0.5) / (df + 0.5)))
  }
}

/// The per-term constants of BM25, so that scoring a posting is two multiply-adds and a division.
public struct BM25Term: Sendable {
  /// boost · idf.
  public let weight: Float
  /// k1 · (1 − b).
  let constant: Float
  /// k1 · b / avgdl.
  let perLength: Float

  public init(weight: Float, parameters p: BM25Parameters, averageLength: Float) {
    self.weight = weight
    constant = p.k1 * (1 - p.b)
    perLength = averageLength > 0 ? p.k1 * p.b / averageLength : 0
  }

  @inline(__always) public func score(tf: Float, dl: Float) -> Float {
    weight * tf / (tf + constant + perLength * dl)
  }

  /// Upper bound over impact pairs.
  @inline(__always) func bound(tf: UInt32, dl: UInt32) -> Float {
    score(tf: Float(tf), dl: Float(dl))
  }

  /// The largest score over `count` impact pairs (a block's bound before any slack): every
  /// document of the block has a frequency at most some pair's and a length at least its.
  @inline(__always) func bound(
    impactCount count: Int, _ impact: (Int) -> (tf: UInt32, dl: UInt32)
  ) -> Float {
    var m: Float = 0
    for i in 0..<count {
      let p = impact(i)
      m = max(m, bound(tf: p.tf, dl: p.dl))
    }
    return m
  }
}

#if canImport(Glibc)
  import Glibc
#endif
