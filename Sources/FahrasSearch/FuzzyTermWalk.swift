/// Walks a sorted term dictionary for the terms within `maxEdits` of a target (fuzzy expansion),
/// sharing work between neighbouring terms and skipping whole branches.
///
/// The edit-distance table of a term against the target is built row by row, one row per scalar
/// of the term. Sorted terms share prefixes, so the rows of the shared prefix are kept from the
/// previous term and only the new scalars' rows are computed. A row's minimum never decreases
/// further down, so once a row exceeds `maxEdits` no term with that prefix can match: `visit`
/// reports the prefix and the caller seeks the dictionary past every term that starts with it
/// (`successor(ofPrefix:)`). At a million documents this visits a few thousand of the 2.2M light
/// forms instead of all of them. Bytes that are not well-formed UTF-8 (a damaged dictionary)
/// count as one scalar each, never trap. A visit allocates nothing once the buffers have grown.
struct FuzzyTermWalk {
  let maxEdits: Int
  private let target: [UInt32]
  /// The table rows, `target.count + 1` values each: row `d` follows the term's first `d`
  /// scalars (row 0 is 0, 1, 2, …).
  private var rows: [Int32]
  /// The byte offset where each scalar with a row ends, in the previous term.
  private var ends: [Int] = []
  /// The previous term's bytes.
  private var previous: [UInt8] = []

  init(target utf8: some Collection<UInt8>, maxEdits: Int) {
    self.maxEdits = max(0, maxEdits)
    var t: [UInt32] = []
    Self.decode(Array(utf8), into: &t)
    target = t
    rows = (0...t.count).map { Int32($0) }
  }

  /// What a term's visit found: its distance when at most `maxEdits`, and the length in bytes of a
  /// prefix of it that no matching term can start with (then every later term with that prefix
  /// can be skipped).
  struct Visit {
    var distance: Int?
    var deadPrefix: Int?
  }

  mutating func visit(_ term: some Collection<UInt8>) -> Visit {
    // Keep the rows of the scalars that lie entirely inside the prefix shared with the previous
    // term, and make `previous` this term.
    var shared = 0
    for (a, b) in zip(term, previous) {
      if a != b { break }
      shared += 1
    }
    previous.removeSubrange(shared...)
    previous.append(contentsOf: term.dropFirst(shared))
    var depth = ends.count
    while depth > 0 && ends[depth - 1] > shared { depth -= 1 }
    ends.removeSubrange(depth...)
    let width = target.count + 1
    let k = Int32(maxEdits)
    var i = depth > 0 ? ends[depth - 1] : 0
    while i < previous.count {
      let (s, end) = Self.scalar(previous, at: i)
      i = end
      // Row depth + 1 from row depth.
      if rows.count < (depth + 2) * width {
        rows.append(contentsOf: repeatElement(0, count: width))
      }
      let above = depth * width
      let row = above + width
      var minimum = Int32(depth + 1)
      rows[row] = minimum
      for j in stride(from: 1, to: width, by: 1) {
        let cost: Int32 = target[j - 1] == s ? 0 : 1
        let v = min(rows[above + j] + 1, rows[row + j - 1] + 1, rows[above + j - 1] + cost)
        rows[row + j] = v
        if v < minimum { minimum = v }
      }
      ends.append(end)
      depth += 1
      if minimum > k { return Visit(distance: nil, deadPrefix: end) }
    }
    let d = rows[depth * width + width - 1]
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

  /// Decodes UTF-8 into scalar values (see `scalar(_:at:)`).
  static func decode(_ bytes: [UInt8], into out: inout [UInt32]) {
    out.removeAll(keepingCapacity: true)
    var i = 0
    while i < bytes.count {
      let (s, end) = scalar(bytes, at: i)
      out.append(s)
      i = end
    }
  }

  /// The scalar starting at byte `i` and the offset where it ends. A malformed byte stands for
  /// itself (offset past Unicode) and decoding resumes at the next byte.
  @inline(__always) static func scalar(_ bytes: [UInt8], at i: Int) -> (UInt32, Int) {
    let b0 = bytes[i]
    let need: Int
    var v: UInt32
    switch b0 {
    case 0..<0x80: return (UInt32(b0), i + 1)
    case 0xC2..<0xE0:
      need = 1
      v = UInt32(b0 & 0x1F)
    case 0xE0..<0xF0:
      need = 2
      v = UInt32(b0 & 0x0F)
    case 0xF0..<0xF5:
      need = 3
      v = UInt32(b0 & 0x07)
    default: return (0x110000 + UInt32(b0), i + 1)
    }
    var j = i + 1
    for _ in 0..<need {
      guard j < bytes.count, bytes[j] & 0xC0 == 0x80 else { return (0x110000 + UInt32(b0), i + 1) }
      v = v << 6 | UInt32(bytes[j] & 0x3F)
      j += 1
    }
    return (v, j)
  }
}
