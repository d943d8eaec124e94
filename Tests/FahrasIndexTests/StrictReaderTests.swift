import Foundation
import Testing

@testable import FahrasIndex
@testable import FahrasStorage

/// Crafted files that a writer never produces but whose checksum is right: the reader must name
/// what is wrong instead of accepting them (docs/FORMAT.md §15, items 4, 7 and 9).
@Suite struct StrictReaderTests {
  /// Replaces a file's bytes and recomputes its footer checksum, as a damage that the CRC cannot
  /// catch (or a buggy writer) would leave it.
  static func rewrite(_ path: String, _ change: (inout [UInt8]) -> Void) throws {
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    bytes.removeLast(8)  // footer: magic + checksum
    change(&bytes)
    bytes += Array("SRHF".utf8)
    let crc = bytes.withUnsafeBytes { CRC32C.checksum($0) }
    withUnsafeBytes(of: crc.littleEndian) { bytes += $0 }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
  }

  static func u64(_ v: UInt64) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

  static func vint(_ bytes: [UInt8], _ at: inout Int) -> UInt64 {
    var v: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      let b = bytes[at]
      at += 1
      v |= UInt64(b & 0x7F) << shift
      if b < 0x80 { return v }
      shift += 7
    }
  }

  /// One block of more than 32 entries (the writer's two blocks joined, the term count lowered to
  /// match): the entries up to the 32nd still read, the 33rd is reported by lookup and iteration.
  @Test func dictionaryBlockOfMoreThan32EntriesIsReported() throws {
    let dir = TempDir("strict-dict")
    defer { dir.cleanup() }
    let w = try IndexWriter(directory: dir.path)
    let ids = (0..<31).map { String(format: "id%02d", $0) }
    for id in ids { try w.add(IndexDocument(id: id, title: "", body: "zebra")) }
    try w.commit()
    let pristine = try IndexReader.open(dir.path).segments[0]
    // `zebra` in `$text` and `$light`, then the 31 ids: `id30` is the 33rd key, in the second block.
    try #require((33...64).contains(pristine.dictionary.termCount))
    let last = try #require(try pristine.dictionary.lookup(field: 2, term: Array("id30".utf8)))
    #expect(last.inlineDoc == 30)

    let dict = dir.path + "/s1.dict"
    try Self.rewrite(dict) { bytes in
      let end = bytes.count
      var at = end - 8
      let indexOffset = Int(Self.readU64(bytes, &at))
      // Keep the blocks, the first block's offset, and a trailer saying one block of 32 terms.
      bytes =
        Array(bytes[0..<(indexOffset + 8)]) + Self.u64(1) + Self.u64(32)
        + Self.u64(UInt64(indexOffset))
    }
    let seg = try IndexReader.open(dir.path).segments[0]
    #expect(try seg.dictionary.lookup(field: 2, term: Array("id05".utf8))?.inlineDoc == 5)
    do {
      _ = try seg.dictionary.lookup(field: 2, term: Array("id30".utf8))
      Issue.record("the 33rd entry was read")
    } catch {
      #expect("\(error)".contains("more than 32 entries"), "\(error)")
    }
    var it = try seg.dictionary.iterator(from: [2])
    var read = 0
    do {
      while try it.next() { read += 1 }
      Issue.record("iteration read past 32 entries")
    } catch {
      #expect("\(error)".contains("more than 32 entries"), "\(error)")
    }
    #expect(read == 30)  // id00 ... id29; the 32nd entry of the block is the last one read
  }

  /// Reads the little-endian u64 at `at` (the dictionary trailer is fixed-width).
  static func readU64(_ bytes: [UInt8], _ at: inout Int) -> UInt64 {
    var v: UInt64 = 0
    for i in 0..<8 { v |= UInt64(bytes[at + i]) << (8 * UInt64(i)) }
    at += 8
    return v
  }

  /// A short list's explicit frequency of 1 (the writer flags those instead) is reported.
  @Test func explicitTailFrequencyBelowTwoIsReported() throws {
    let dir = TempDir("strict-tail")
    defer { dir.cleanup() }
    let w = try IndexWriter(directory: dir.path)
    try w.add(IndexDocument(id: "a", title: "", body: "zebra zebra"))
    try w.add(IndexDocument(id: "b", title: "", body: "zebra"))
    try w.commit()
    func read() throws -> ([UInt32], String?) {
      let seg = try IndexReader.open(dir.path).segments[0]
      let c = try #require(try seg.postings(field: FieldInfo.text, term: Array("zebra".utf8)))
      var freqs: [UInt32] = []
      while c.nextDoc() != PostingsCursor.noMore { freqs.append(c.freq) }
      return (freqs, c.corruption)
    }
    #expect(try read().0 == [2, 1])
    let seg = try IndexReader.open(dir.path).segments[0]
    let info = try #require(try seg.dictionary.lookup(field: 0, term: Array("zebra".utf8)))
    let at = Int(info.postOffset)
    try Self.rewrite(dir.path + "/s1.post") { bytes in
      // TailDoc 0: code 00 (delta 0, explicit frequency), Freq 02; TailDoc 1: code 01.
      #expect(Array(bytes[at..<(at + 3)]) == [0x00, 0x02, 0x01])
      bytes[at + 1] = 0x01
    }
    let (freqs, corruption) = try read()
    #expect(freqs.isEmpty)
    #expect(corruption?.contains("explicit frequency 1 below 2") == true, "\(corruption ?? "none")")
  }

  /// A full block whose stored `Freq − 1` is 2^32 − 1 would wrap to a frequency of 0.
  @Test func fullBlockFrequencyWrappingToZeroIsReported() throws {
    let dir = TempDir("strict-full")
    defer { dir.cleanup() }
    let w = try IndexWriter(directory: dir.path)
    // Distinct paths, so that `$path` terms are inlined and the `zebra` list ends `.post`.
    for i in 0..<128 {
      try w.add(IndexDocument(id: "d\(i)", path: "p\(i)", title: "", body: "zebra"))
    }
    try w.commit()
    let pristine = try IndexReader.open(dir.path).segments[0]
    let info = try #require(try pristine.dictionary.lookup(field: 0, term: Array("zebra".utf8)))
    #expect(info.docFreq == 128)
    let light = try #require(try pristine.dictionary.lookup(field: 1, term: Array("zebra".utf8)))
    try #require(light.sharedPostings)  // so the `$text` list is the last thing in `.post`
    try Self.rewrite(dir.path + "/s1.post") { bytes in
      var at = Int(info.postOffset)
      let skipLength = Int(Self.vint(bytes, &at))
      let blockStart = at + skipLength
      // Consecutive documents with frequency 1: both packed arrays are width 0, one byte each.
      #expect(Array(bytes[blockStart...]) == [0x00, 0x00])
      // Skip the term impacts to the one skip entry: LastDocDelta (128), then DocBytes (2).
      let pairs = Int(bytes[at])
      at += 1
      for _ in 0..<(2 * pairs) { _ = Self.vint(bytes, &at) }
      #expect(Self.vint(bytes, &at) == 128)
      #expect(bytes[at] == 2)
      // Frequencies: width 0 with one exception, index 0, High = 2^32 − 1.
      let frequencies: [UInt8] = [0x80, 0x01, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]
      bytes[at] = UInt8(1 + frequencies.count)
      bytes = Array(bytes[..<(blockStart + 1)]) + frequencies
    }
    let seg = try IndexReader.open(dir.path).segments[0]
    let c = try #require(try seg.postings(field: FieldInfo.text, term: Array("zebra".utf8)))
    var docs = 0
    while c.nextDoc() != PostingsCursor.noMore { docs += 1 }
    #expect(docs == 0)
    #expect(c.corruption?.contains("frequency of 0") == true, "\(c.corruption ?? "none")")
  }

  /// Set padding bits past the last document are reported, even with a matching count.
  @Test func deletionPaddingBitsAreReported() throws {
    let dir = TempDir("strict-del")
    defer { dir.cleanup() }
    var deletes = DeletedDocs(maxDoc: 3)
    deletes.insert(1)
    let id = [UInt8](repeating: 7, count: 16)
    let path = dir.path + "/s1_1.del"
    try Data(deletes.encode(segmentID: id)).write(to: URL(fileURLWithPath: path))
    #expect(try DeletedDocs.read(path: path, segmentID: id, maxDoc: 3) == deletes)
    try Self.rewrite(path) { bytes in
      let body = 28
      bytes[body + 4] = 2  // DeletedCount
      bytes[body + 8] |= 0x80  // document 7, past MaxDoc 3
    }
    do {
      _ = try DeletedDocs.read(path: path, segmentID: id, maxDoc: 3)
      Issue.record("padding bits were accepted")
    } catch {
      #expect("\(error)".contains("padding bits past document 2"), "\(error)")
    }
  }
}
