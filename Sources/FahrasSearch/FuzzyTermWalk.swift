/// Walks a sorted term dictionary for the terms within `maxEdits` of a target (fuzzy expansion),
/// sharing work between neighbouring terms and skipping whole branches.
///
/// The edit-distance table of a term against the target is built row by row, one row per scalar
/// of the term. Sorted terms share prefixes, so the rows of the shared prefix are kept from the
/// previous term and only the new scalars' rows are computed. A row's minimum never decreases
/// further down, so once a row exceeds `maxEdits` no term with that prefix can match: `visit`
/// reports the prefix and the caller seeks the dictionary past every term that starts with it
/// (`successor(ofPrefix:)`). At a million documents this visits a few thousand of the 2.2M light
/// forms instead of all of them. Malformed UTF-8 counts byte by byte, as in `BoundedLevenshtein`.
struct FuzzyTermWalk {
  let maxEdits: Int
  private let target: [UInt32]
  /// `rows[d]` is the table row after the term's first `d` scalars (`rows[0]` = 0, 1, 2, …).
  private var rows: [[Int32]]
  private var rowMinimum: [Int32]
  /// The current term's scalars and the byte offset where each ends.
  private var scalars: [UInt32] = []
  private var ends: [Int] = []
  private var previous: [UInt8] = []

  init(target utf8: some Collection<UInt8>, maxEdits: Int) {
    self.maxEdits = max(0, maxEdits)
    var t: [UInt32] = []
    BoundedLevenshtein.decode(utf8, into: &t)
    target = t
    rows = [(0...t.count).map { Int32($0) }]
    rowMinimum = [0]
  }

  /// What a term's visit found: its distance when at most `maxEdits`, and the length in bytes of a
  /// prefix of it that no matching term can start with (then every later term with that prefix
  /// can be skipped).
  struct Visit {
    var distance: Int?
    var deadPrefix: Int?
  }

  mutating func visit(_ term: some Collection<UInt8>) -> Visit {
    let bytes = Array(term)
    // Keep the scalars that lie entirely inside the prefix shared with the previous term.
    var shared = 0
    let limit = min(bytes.count, previous.count)
    while shared < limit && bytes[shared] == previous[shared] { shared += 1 }
    var depth = scalars.count
    while depth > 0 && ends[depth - 1] > shared { depth -= 1 }
    scalars.removeSubrange(depth...)
    ends.removeSubrange(depth...)
    previous = bytes
    let start = depth > 0 ? ends[depth - 1] : 0
    var fresh: [UInt32] = []
    var freshEnds: [Int] = []
    Self.decode(bytes, from: start, into: &fresh, ends: &freshEnds)
    let n = target.count
    let k = Int32(maxEdits)
    for (s, end) in zip(fresh, freshEnds) {
      // Row depth + 1 from row depth.
      if rows.count <= depth + 1 {
        rows.append([Int32](repeating: 0, count: n + 1))
        rowMinimum.append(0)
      }
      var minimum = Int32(depth + 1)
      rows[depth + 1][0] = minimum
      for j in stride(from: 1, through: n, by: 1) {
        let cost: Int32 = target[j - 1] == s ? 0 : 1
        let v = min(rows[depth][j] + 1, rows[depth + 1][j - 1] + 1, rows[depth][j - 1] + cost)
        rows[depth + 1][j] = v
        if v < minimum { minimum = v }
      }
      rowMinimum[depth + 1] = minimum
      scalars.append(s)
      ends.append(end)
      depth += 1
      if minimum > k { return Visit(distance: nil, deadPrefix: end) }
    }
    let d = rows[depth][n]
    return Visit(distance: d <= k ? Int(d) : nil, deadPrefix: nil)
  }

  /// The smallest byte string greater than every string that starts with `prefix` (nil when there
  /// is none: the prefix is all 0xFF bytes).
  static func successor(ofPrefix prefix: [UInt8]) -> [UInt8]? {
    var s = prefix
    while let last = s.last, last == 0xFF { s.removeLast() }
    guard !s.isEmpty else { return nil }
    s[s.count - 1] += 1
    return s
  }

  /// Decodes `bytes[from...]` into scalars, with the byte offset where each one ends.
  static func decode(
    _ bytes: [UInt8], from: Int, into out: inout [UInt32], ends: inout [Int]
  ) {
    var i = from
    while i < bytes.count {
      let b0 = bytes[i]
      let need: Int
      var v: UInt32
      switch b0 {
      case 0..<0x80:
        out.append(UInt32(b0))
        i += 1
        ends.append(i)
        continue
      case 0xC2..<0xE0:
        need = 1
        v = UInt32(b0 & 0x1F)
      case 0xE0..<0xF0:
        need = 2
        v = UInt32(b0 & 0x0F)
      case 0xF0..<0xF5:
        need = 3
        v = UInt32(b0 & 0x07)
      default:
        out.append(0x110000 + UInt32(b0))
        i += 1
        ends.append(i)
        continue
      }
      var j = i + 1
      var ok = true
      for _ in 0..<need {
        guard j < bytes.count, bytes[j] & 0xC0 == 0x80 else {
          ok = false
          break
        }
        v = v << 6 | UInt32(bytes[j] & 0x3F)
        j += 1
      }
      if ok {
        out.append(v)
        i = j
      } else {
        out.append(0x110000 + UInt32(b0))
        i += 1
      }
      ends.append(i)
    }
  }
}
