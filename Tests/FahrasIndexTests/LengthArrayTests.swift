import FahrasStorage
import Testing

@testable import FahrasIndex

/// The two-byte length arrays of `.norm` (docs/FORMAT.md §6): exact values through the overflow
/// list, and damage reported instead of read.
@Suite struct LengthArrayTests {
  /// Encodes `values` and reads them back from the bytes.
  static func roundTrip(_ values: [UInt32]) throws -> [UInt32] {
    var w = ByteWriter()
    LengthArray.encode(values, into: &w)
    #expect(
      w.count
        == LengthArray.size(maxDoc: values.count, overflowCount: values.count { $0 >= 0xFFFF }))
    return try w.bytes.withUnsafeBytes { raw throws(StorageError) in
      let a = try LengthArray(
        base: raw.baseAddress!, offset: 0, end: raw.count, maxDoc: values.count, file: "t.norm")
      #expect(a.byteSize == raw.count)
      return (0..<values.count).map { a[doc: $0] }
    }
  }

  @Test("random values of every size, long ones included, read back exactly (fixed seeds)")
  func randomRoundTrip() throws {
    for seed in UInt64(1)...40 {
      var rng = SplitMix64(seed: seed)
      let n = Int(rng.next() % 3000)
      let values: [UInt32] = (0..<n).map { _ in
        switch rng.next() % 10 {
        case 0: return UInt32(truncatingIfNeeded: rng.next())  // any u32
        case 1: return 0xFFFF - 1 + UInt32(rng.next() % 3)  // around the escape
        default: return UInt32(rng.next() % 2000)
        }
      }
      #expect(try Self.roundTrip(values) == values, "seed \(seed)")
    }
    #expect(try Self.roundTrip([]) == [])
  }

  @Test("an escaped value without its overflow entry, or an entry out of order, is an error")
  func damage() throws {
    func opens(_ bytes: [UInt8], maxDoc: Int) -> Bool {
      bytes.withUnsafeBytes { raw in
        (try? LengthArray(
          base: raw.baseAddress!, offset: 0, end: raw.count, maxDoc: maxDoc, file: "t.norm")) != nil
      }
    }
    var w = ByteWriter()
    LengthArray.encode([3, 70_000, 5, 80_000], into: &w)
    let good = w.bytes
    #expect(opens(good, maxDoc: 4))
    var escaped = good
    escaped[4] = 0xFF  // doc 2 escaped, no entry for it
    escaped[5] = 0xFF
    #expect(!opens(escaped, maxDoc: 4))
    var swapped = good  // entries (1, 70000), (3, 80000) → (3, …), (1, …)
    swapped[12] = 3
    swapped[20] = 1
    #expect(!opens(swapped, maxDoc: 4))
    var counted = good
    counted[8] = 200  // more entries than bytes
    #expect(!opens(counted, maxDoc: 4))
    #expect(!opens(Array(good.prefix(7)), maxDoc: 4))
  }

  @Test("a document longer than 65534 tokens keeps its exact length")
  func longDocument() throws {
    let dir = TempDir("long-doc")
    defer { dir.cleanup() }
    let long = (0..<70_000).map { "w\($0 % 997)" }.joined(separator: " ")
    do {
      let w = try IndexWriter(directory: dir.path)
      try w.add(IndexDocument(id: "short", title: "", body: "w1 w2 w3"))
      try w.add(IndexDocument(id: "long", title: "w5", body: long))
      try w.commit()
    }
    let seg = try IndexReader.open(dir.path).segments[0]
    #expect(seg.lengths.length(field: 0, doc: 0) == 3)
    #expect(seg.lengths.length(field: 0, doc: 1) == 70_000 + Segment.titleWeight)
    #expect(seg.lengths.length(field: 1, doc: 1) == 70_000 + Segment.titleWeight)
    #expect(seg.lengths.bodyStart(doc: 1) == 1 + Segment.positionGap)
  }
}
