import FahrasIndex
import FahrasQuery
import FahrasText
import Foundation
import Testing

@testable import FahrasSearch

/// Seeded SplitMix64, so every random test is reproducible from its seed.
struct SearchRNG: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  /// Uniform in 0..<n.
  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
  /// True with probability p.
  mutating func chance(_ p: Double) -> Bool { Double(next() % 1_000_000) / 1_000_000 < p }
}

/// A fresh folder under the system temporary directory; `remove()` deletes it.
struct SearchTempDir {
  let path: String
  init(_ tag: String) {
    self.init(path: NSTemporaryDirectory() + "fahras-search-\(tag)-\(UUID().uuidString)")
  }
  /// A fresh folder at `path` (emptied first if it exists).
  init(path: String) {
    self.path = path
    try? FileManager.default.removeItem(atPath: path)
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }
  func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Words the analyzer leaves alone: `zq` + consonants (no vowel, so Porter2's R1 is empty and no suffix
/// rule applies; no `s` or `y`, so steps 1a and 1c do nothing).
enum PlainWords {
  static let letters = Array("bcdfghjklmnpqrtvwxz")

  static func word(_ i: Int) -> String {
    var w = "zq"
    var x = i
    repeat {
      w.append(letters[x % letters.count])
      x /= letters.count
    } while x > 0
    return w
  }

  static func vocabulary(_ n: Int) -> [String] { (0..<n).map(word) }
}

/// English stopwords sprinkled into random documents (indexed in `$light` only).
let sprinkledStopwords = ["the", "of", "and", "to", "a", "in"]

/// A random corpus of plain words over a skewed vocabulary, with the set of words of each document.
struct PlainCorpus {
  var documents: [IndexDocument] = []
  var vocabulary: [String]

  /// - Parameters:
  ///   - bodyWords: maximum body length in words.
  ///   - skew: exponent of the word distribution (index = n · uᵉ): higher means a few very common words.
  init(
    count: Int, vocabulary size: Int, bodyWords: Int, titleWords: Int = 5, skew: Double = 3,
    seed: UInt64
  ) {
    var rng = SearchRNG(seed: seed)
    vocabulary = PlainWords.vocabulary(size)
    let v = vocabulary
    func word(_ rng: inout SearchRNG) -> String {
      let u = Double(rng.next() % 1_000_000) / 1_000_000
      return v[min(v.count - 1, Int(pow(u, skew) * Double(v.count)))]
    }
    func text(_ n: Int, _ rng: inout SearchRNG) -> String {
      var words: [String] = []
      while words.count < n {
        if rng.chance(0.08) {
          words.append(sprinkledStopwords[rng.below(sprinkledStopwords.count)])
        } else if rng.chance(0.02) {
          // A burst: one word many times (high term frequencies for the impacts).
          let w = word(&rng)
          for _ in 0..<(2 + rng.below(12)) { words.append(w) }
        } else {
          words.append(word(&rng))
        }
      }
      return words.joined(separator: " ")
    }
    for i in 0..<count {
      let title = text(rng.below(titleWords + 1), &rng)
      let body = text(rng.below(bodyWords + 1), &rng)
      documents.append(IndexDocument(id: "d\(i)", path: "p\(i % 7).txt", title: title, body: body))
    }
  }
}

/// Words of a document as the model sees them (plain words only, stopwords left out).
struct DocumentWords {
  var title: Set<String>
  var body: Set<String>
  var all: Set<String> { title.union(body) }

  init(_ doc: IndexDocument) {
    func words(_ s: String) -> Set<String> {
      Set(s.split(separator: " ").map(String.init).filter { !sprinkledStopwords.contains($0) })
    }
    title = words(doc.title)
    body = words(doc.body)
  }
}

/// An index built in a temporary folder, with the model of its live documents.
final class TestIndex {
  let dir: SearchTempDir
  /// Live documents by id, as the index should hold them.
  private(set) var live: [String: IndexDocument] = [:]
  private var writer: IndexWriter?

  init(tag: String, memoryBudget: Int = 256 << 20, compact: Bool = false) throws {
    dir = SearchTempDir(tag)
    writer = try IndexWriter(
      directory: dir.path,
      options: .init(memoryBudget: memoryBudget, compactLightLists: compact))
  }

  deinit { dir.remove() }

  func add(_ doc: IndexDocument) throws {
    try writer!.add(doc)
    live[doc.id] = doc
  }

  func add(_ docs: [IndexDocument]) throws { for d in docs { try add(d) } }

  func update(_ doc: IndexDocument) throws {
    try writer!.update(doc)
    live[doc.id] = doc
  }

  @discardableResult
  func delete(_ id: String) throws -> Int {
    live[id] = nil
    return try writer!.delete(id: id)
  }

  func commit() throws { try writer!.commit() }

  func forceMerge(maxSegments: Int) throws { try writer!.forceMerge(maxSegments: maxSegments) }

  /// Commits, releases the writer and opens a searcher on the commit.
  func finish() throws -> Searcher {
    try writer!.commit()
    writer = nil
    return Searcher(reader: try IndexReader.open(dir.path))
  }
}

/// Builds a one-segment index of `docs` and returns its searcher (the folder lives as long as `index`).
func makeIndex(_ tag: String, _ docs: [IndexDocument]) throws -> (TestIndex, Searcher) {
  let index = try TestIndex(tag: tag)
  try index.add(docs)
  return (index, try index.finish())
}

extension SearchOptions {
  /// Options for tests: large k, no snippets unless asked.
  static func test(
    k: Int = 10_000, mode: Mode = .both, pruning: Bool = true, snippets: Bool = false,
    defaultOperator: DefaultOperator = .or, explain: Bool = false,
    parameters: BM25Parameters = BM25Parameters(), loadDocuments: Bool = true
  ) -> SearchOptions {
    var o = SearchOptions()
    o.k = k
    o.mode = mode
    o.pruning = pruning
    o.snippets = snippets
    o.defaultOperator = defaultOperator
    o.explain = explain
    o.parameters = parameters
    o.loadDocuments = loadDocuments
    return o
  }
}

extension Searcher {
  /// The ids of every hit of `query` (k large), as a set.
  func ids(_ query: String, _ options: SearchOptions = .test()) throws -> Set<String> {
    Set(try search(query, options: options).hits.map(\.id))
  }

  /// The ids of the hits of `query` in rank order.
  func rankedIDs(_ query: String, _ options: SearchOptions = .test()) throws -> [String] {
    try search(query, options: options).hits.map(\.id)
  }
}

/// Relative closeness for floating-point reference checks.
func isClose(_ a: Double, _ b: Double, relative: Double = 1e-5) -> Bool {
  abs(a - b) <= relative * max(abs(a), abs(b), 1e-12)
}

extension Snippet {
  /// The text of each highlight.
  var highlightedWords: [String] {
    let bytes = Array(text.utf8)
    return highlights.map { String(decoding: bytes[$0], as: UTF8.self) }
  }
}

/// Checks the invariants every snippet must satisfy against the stored text it came from: the passage is
/// a verbatim part of the original, highlights are sorted, disjoint, inside the passage, on scalar
/// boundaries, and leave no combining mark of a highlighted word outside.
func checkSnippet(
  _ s: Snippet, of original: String, sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(
    original.utf8.count >= s.text.utf8.count
      && Array(original.utf8).firstRange(of: Array(s.text.utf8)) != nil,
    "snippet is not a verbatim part of the original: \(s.text)", sourceLocation: sourceLocation)
  let bytes = Array(s.text.utf8)
  var previousEnd = 0
  for h in s.highlights {
    #expect(
      h.lowerBound >= previousEnd && h.lowerBound < h.upperBound && h.upperBound <= bytes.count,
      "bad highlight \(h) in \(bytes.count) bytes", sourceLocation: sourceLocation)
    guard h.lowerBound >= 0 && h.upperBound <= bytes.count && h.lowerBound < h.upperBound else {
      continue
    }
    previousEnd = h.upperBound
    // Scalar boundaries: neither end inside a multi-byte sequence.
    #expect(
      bytes[h.lowerBound] & 0xC0 != 0x80, "highlight starts inside a scalar",
      sourceLocation: sourceLocation)
    #expect(
      h.upperBound == bytes.count || bytes[h.upperBound] & 0xC0 != 0x80,
      "highlight ends inside a scalar",
      sourceLocation: sourceLocation)
    // No combining mark (harakat, diacritics) right after a highlight: it belongs to the word.
    if h.upperBound < bytes.count {
      let rest = String(decoding: bytes[h.upperBound...], as: UTF8.self)
      if let next = rest.unicodeScalars.first {
        #expect(
          next.properties.generalCategory != .nonspacingMark,
          "highlight leaves the mark U+\(String(next.value, radix: 16)) of its word outside",
          sourceLocation: sourceLocation)
      }
    }
  }
}
