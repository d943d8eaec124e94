import FahrasIndex
import FahrasStorage
import Testing

/// The term dictionary through the index: exact lookup, ordered iteration and prefix ranges
/// agree with a sorted model of the indexed keywords.
@Suite struct TermDictionaryTests {
  @Test func lookupIterationAndPrefixRangesMatchAModel() throws {
    let dir = TempDir("dict")
    defer { dir.cleanup() }
    var rng = SplitMix64(seed: 77)
    let alphabet = Array("ab") + Array("تعز")
    var ids = Set<String>()
    while ids.count < 3000 {
      let n = 1 + Int(rng.next() % 12)
      ids.insert(String((0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }))
    }
    let w = try IndexWriter(directory: dir.path)
    let order = Array(ids)
    for id in order { try w.add(IndexDocument(id: id, title: "", body: "x")) }
    try w.commit()
    let seg = try IndexReader.open(dir.path).segments[0]
    let model = ids.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
    // Ordered iteration of field 2 ($id).
    var it = try seg.dictionary.iterator(from: [2])
    var seen: [[UInt8]] = []
    while try it.next(), it.field == 2 { seen.append(Array(it.term)) }
    #expect(seen == model)
    // Exact lookups, present and absent.
    for id in ids.prefix(500) {
      let info = try seg.dictionary.lookup(field: 2, term: Array(id.utf8))
      #expect(info?.docFreq == 1)
    }
    for _ in 0..<500 {
      let probe = Array("q\(rng.next() % 1000)".utf8)
      #expect(try seg.dictionary.lookup(field: 2, term: probe) == nil)
    }
    // Every key finds its own document; probes over the same alphabet (mostly absent, many of
    // them prefixes or extensions of present keys) are found exactly when present.
    for (doc, id) in order.enumerated() {
      #expect(try seg.dictionary.lookup(field: 2, term: Array(id.utf8))?.inlineDoc == UInt32(doc))
    }
    for _ in 0..<5000 {
      let n = 1 + Int(rng.next() % 13)
      let probe = String((0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
      let found = try seg.dictionary.lookup(field: 2, term: Array(probe.utf8))
      #expect((found != nil) == ids.contains(probe), "probe \(probe)")
    }
    #expect(try seg.dictionary.lookup(field: 1, term: Array("zzzz".utf8)) == nil)
    #expect(try seg.dictionary.lookup(field: 3, term: Array("a".utf8)) == nil)
    // Prefix ranges.
    for p in ["a", "ab", "ت", "تع", "bز"] {
      let prefix = Array(p.utf8)
      var it = try seg.dictionary.iterator(from: [2] + prefix)
      var got: [[UInt8]] = []
      while try it.next(), it.field == 2, it.term.starts(with: prefix) {
        got.append(Array(it.term))
      }
      #expect(got == model.filter { $0.starts(with: prefix) }, "prefix \(p)")
    }
  }

  /// Keys sharing a prefix longer than the 16 bytes the in-memory block index keeps: the block
  /// search must fall back to full keys among the blocks with equal prefixes.
  @Test func keysSharingLongPrefixesAcrossBlocks() throws {
    let dir = TempDir("dict-prefix")
    defer { dir.cleanup() }
    var rng = SplitMix64(seed: 78)
    let stems = ["aaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaab", "تعزتعزتعزتعزتعز"]
    let alphabet = Array("abz") + Array("تع")
    var ids = Set<String>()
    while ids.count < 2000 {
      let n = Int(rng.next() % 6)
      let stem = stems[Int(rng.next() % UInt64(stems.count))]
      ids.insert(stem + String((0..<n).map { _ in alphabet[Int(rng.next() % 5)] }))
    }
    let w = try IndexWriter(directory: dir.path)
    let order = Array(ids)
    for id in order { try w.add(IndexDocument(id: id, title: "", body: "x")) }
    try w.commit()
    let seg = try IndexReader.open(dir.path).segments[0]
    for (doc, id) in order.enumerated() {
      #expect(try seg.dictionary.lookup(field: 2, term: Array(id.utf8))?.inlineDoc == UInt32(doc))
    }
    for _ in 0..<3000 {
      let n = Int(rng.next() % 7)
      let stem = stems[Int(rng.next() % UInt64(stems.count))]
      let probe = stem + String((0..<n).map { _ in alphabet[Int(rng.next() % 5)] })
      let found = try seg.dictionary.lookup(field: 2, term: Array(probe.utf8))
      #expect((found != nil) == ids.contains(probe), "probe \(probe)")
    }
  }
}
