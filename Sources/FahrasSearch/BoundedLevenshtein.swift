/// Edit distance (insertions, deletions, substitutions of Unicode scalars) from one fixed target to
/// many candidate terms, up to a bound: what fuzzy expansion runs over every term of a field.
///
/// The target's scalars and the two rows of the dynamic program are allocated once; a candidate
/// is decoded from UTF-8 into a reused buffer, rejected at once when its length differs by more
/// than the bound, and abandoned as soon as a whole row exceeds the bound. Bytes that are not
/// well-formed UTF-8 (a damaged dictionary) count as one scalar each, never trap.
struct BoundedLevenshtein {
  let maxEdits: Int
  private var target: [UInt32]
  private var candidate: [UInt32] = []
  private var previous: [Int32]
  private var current: [Int32]

  init(target utf8: some Collection<UInt8>, maxEdits: Int) {
    self.maxEdits = max(0, maxEdits)
    var t: [UInt32] = []
    Self.decode(utf8, into: &t)
    target = t
    previous = [Int32](repeating: 0, count: t.count + 1)
    current = previous
  }

  /// The distance to `utf8` when it is at most `maxEdits`, else nil.
  mutating func distance(to utf8: some Collection<UInt8>) -> Int? {
    Self.decode(utf8, into: &candidate)
    let n = target.count
    let m = candidate.count
    let k = maxEdits
    if abs(n - m) > k { return nil }
    if m == 0 { return n <= k ? n : nil }
    return target.withUnsafeBufferPointer { x in
      candidate.withUnsafeBufferPointer { y in
        previous.withUnsafeMutableBufferPointer { prev in
          current.withUnsafeMutableBufferPointer { cur in
            var p = prev
            var c = cur
            for j in 0...n { p[j] = Int32(j) }
            for i in 1...m {
              c[0] = Int32(i)
              var rowMin = c[0]
              let yi = y[i - 1]
              for j in 1...max(1, n) where j <= n {
                let cost: Int32 = x[j - 1] == yi ? 0 : 1
                let v = min(p[j] + 1, c[j - 1] + 1, p[j - 1] + cost)
                c[j] = v
                if v < rowMin { rowMin = v }
              }
              if rowMin > Int32(k) { return nil }
              swap(&p, &c)
            }
            let d = Int(p[n])
            return d <= k ? d : nil
          }
        }
      }
    }
  }

  /// Decodes UTF-8 into scalar values; a malformed byte stands for itself (offset past Unicode),
  /// and decoding resumes at the next byte.
  static func decode(_ bytes: some Collection<UInt8>, into out: inout [UInt32]) {
    out.removeAll(keepingCapacity: true)
    var ends: [Int] = []
    FuzzyTermWalk.decode(Array(bytes), from: 0, into: &out, ends: &ends)
  }
}
