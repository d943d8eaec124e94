/// A bounded min-heap keeping the k best (score, document) pairs. Ties keep the lower segment,
/// then the lower doc, whatever the order documents arrive in, so pruned and exhaustive
/// evaluation agree exactly (documents in order need only beat `threshold`; a walk out of order,
/// `BoundOrderedWord`, also offers documents that equal it).
struct TopK {
  struct Entry: Sendable {
    var score: Float
    var segment: Int32
    var doc: UInt32
  }

  let k: Int
  private(set) var heap: [Entry] = []

  init(k: Int) {
    self.k = max(0, k)
    heap.reserveCapacity(min(self.k, 10_000))
  }

  /// Scores a document must beat to enter (−∞ while not full).
  @inline(__always) var threshold: Float {
    if heap.count < k { return -Float.infinity }
    return k == 0 ? Float.infinity : heap[0].score
  }

  @inline(__always) static func worse(_ a: Entry, _ b: Entry) -> Bool {
    if a.score != b.score { return a.score < b.score }
    if a.segment != b.segment { return a.segment > b.segment }
    return a.doc > b.doc
  }

  mutating func insert(_ e: Entry) {
    guard k > 0 else { return }
    if heap.count < k {
      heap.append(e)
      heap.withUnsafeMutableBufferPointer { h in
        var i = h.count - 1
        while i > 0 {
          let p = (i - 1) / 2
          guard TopK.worse(h[i], h[p]) else { break }
          h.swapAt(i, p)
          i = p
        }
      }
    } else if TopK.worse(heap[0], e) {
      // Sift the new entry down from the root, moving the hole instead of swapping, with one
      // uniqueness check for the whole walk. Entries are distinct, so `worse` is a strict order.
      heap.withUnsafeMutableBufferPointer { h in
        let n = h.count
        var i = 0
        while true {
          let l = 2 * i + 1
          if l >= n { break }
          let r = l + 1
          let c = r < n && TopK.worse(h[r], h[l]) ? r : l
          guard TopK.worse(h[c], e) else { break }
          h[i] = h[c]
          i = c
        }
        h[i] = e
      }
    }
  }

  /// Best first.
  func sorted() -> [Entry] { heap.sorted { TopK.worse($1, $0) } }
}
