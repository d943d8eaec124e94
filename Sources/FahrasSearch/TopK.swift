/// A bounded min-heap keeping the k best (score, document) pairs. Ties keep the document seen
/// first (lower segment, then lower doc), so pruned and exhaustive evaluation agree exactly.
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
      var i = heap.count - 1
      while i > 0 {
        let p = (i - 1) / 2
        if TopK.worse(heap[i], heap[p]) {
          heap.swapAt(i, p)
          i = p
        } else {
          break
        }
      }
    } else if e.score > heap[0].score {
      heap[0] = e
      var i = 0
      let n = heap.count
      while true {
        let l = 2 * i + 1
        let r = l + 1
        var m = i
        if l < n && TopK.worse(heap[l], heap[m]) { m = l }
        if r < n && TopK.worse(heap[r], heap[m]) { m = r }
        if m == i { break }
        heap.swapAt(i, m)
        i = m
      }
    }
  }

  /// Best first.
  func sorted() -> [Entry] { heap.sorted { TopK.worse($1, $0) } }
}
