import FahrasIndex
import FahrasText
import Foundation

/// Seeded SplitMix64 for reproducible random tests.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// A fresh temporary folder, removed by `cleanup()`.
struct TempDir {
  let path: String
  init(_ tag: String = "idx") {
    path = NSTemporaryDirectory() + "fahras-test-\(tag)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }
  func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// Random documents over a skewed vocabulary, so that some terms fill several postings blocks.
func randomDocuments(count: Int, seed: UInt64, vocabulary: Int = 400) -> [IndexDocument] {
  var rng = SplitMix64(seed: seed)
  let letters = Array("abcdefghijklmnopqrstuvwxyz")
  let words: [String] = (0..<vocabulary).map { i in
    var w = ""
    var x = i + 7
    repeat {
      w.append(letters[x % 26])
      x /= 26
    } while x > 0
    return "w" + w + "q"
  }
  func word() -> String {
    // Roughly Zipfian: square of a uniform picks small indices often.
    let u = Double(rng.next() % 1_000_000) / 1_000_000
    return words[min(vocabulary - 1, Int(u * u * u * Double(vocabulary)))]
  }
  return (0..<count).map { i in
    let tl = Int(rng.next() % 6)
    let bl = Int(rng.next() % 200)
    let title = (0..<tl).map { _ in word() }.joined(separator: " ")
    let body = (0..<bl).map { _ in word() }.joined(separator: " ")
    var fields: [IndexDocument.Field] = []
    if rng.next() % 3 == 0 { fields.append(.init(name: "source", value: "src\(rng.next() % 5)q")) }
    return IndexDocument(
      id: "doc-\(i)", path: "f\(i % 50).txt", title: title, body: body, fields: fields)
  }
}

/// What the index must hold for one term: doc → (frequency, positions).
typealias ExpectedPostings = [String: [Int: (freq: UInt32, positions: [UInt32])]]

/// Computes the expected `$text` postings of `docs` (global doc numbers = array index) with the
/// same analyzer and the documented title weighting and position layout.
func expectedTextPostings(_ docs: [IndexDocument]) -> ExpectedPostings {
  let analyzer = Analyzer()
  var out: ExpectedPostings = [:]
  for (d, doc) in docs.enumerated() {
    var titleAll = 0
    var maxPos = 0
    let title = analyzer.analyze(doc.title)
    for t in title {
      titleAll += 1
      maxPos = max(maxPos, t.position + 1)
    }
    let bodyStart = titleAll > 0 ? UInt32(maxPos) + Segment.positionGap : 0
    for t in title where !t.isStopword {
      var e = out[t.term, default: [:]][d] ?? (0, [])
      e.freq += Segment.titleWeight
      e.positions.append(UInt32(t.position))
      out[t.term, default: [:]][d] = e
    }
    for t in analyzer.analyze(doc.body) where !t.isStopword {
      var e = out[t.term, default: [:]][d] ?? (0, [])
      e.freq += 1
      e.positions.append(bodyStart + UInt32(t.position))
      out[t.term, default: [:]][d] = e
    }
  }
  return out
}
