import FahrasIndex
import FahrasStorage
import Foundation
import Testing

/// Crafted damage to derived `$light` lists (docs/FORMAT.md §8): bytes changed and the file's
/// checksum recomputed, so that only the readers' structural checks stand between the bytes and the
/// decoders. Every way of reading a list must end cleanly: documents in range and increasing, or a
/// corruption report, never a trap.
@Suite struct DerivedDamageTests {
  @Test("flipped bytes in the light lists of a compact index, checksum fixed: no trap (fixed seed)")
  func flippedBytes() throws {
    let dir = TempDir("derived-damage")
    defer { dir.cleanup() }
    let pristine = dir.path + "/pristine"
    do {
      let w = try IndexWriter(
        directory: pristine, options: IndexWriter.Options(compactLightLists: true))
      for d in DerivedListTests.documents(count: 9000, seed: 47) { try w.add(d) }
      try w.commit()
    }
    let seg = try IndexReader.open(pristine).segments[0]
    // Where the light lists start in .post: lists are written in key order, `$text` first.
    let light = try #require(seg.field(named: FieldInfo.light))
    var it = try seg.dictionary.iterator(from: [UInt8(light.number)])
    var firstLight = Int.max
    var derived = 0
    while try it.next(), it.field == light.number {
      if it.info.docFreq > 1 && !it.info.sharedPostings {
        firstLight = min(firstLight, Int(it.info.postOffset))
      }
      if it.info.isDerived && it.info.docFreq >= Segment.blockSize { derived += 1 }
    }
    #expect(derived > 0)
    let postName = try #require(
      try FileManager.default.contentsOfDirectory(atPath: pristine).first { $0.hasSuffix(".post") })
    let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: pristine + "/" + postName)))
    let bodyEnd = original.count - 8
    try #require(firstLight < bodyEnd)

    var rng = SplitMix64(seed: 5)
    var opened = 0
    var reported = 0
    for trial in 0..<40 {
      let copy = dir.path + "/trial\(trial)"
      try FileManager.default.copyItem(atPath: pristine, toPath: copy)
      var bytes = original
      for _ in 0..<(1 + Int(rng.next() % 4)) {
        let at = firstLight + Int(rng.next() % UInt64(bodyEnd - firstLight))
        bytes[at] ^= UInt8(1 + rng.next() % 255)
      }
      let crc = bytes.withUnsafeBytes {
        CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<(bodyEnd + 4)]))
      }
      withUnsafeBytes(of: crc.littleEndian) { for i in 0..<4 { bytes[bodyEnd + 4 + i] = $0[i] } }
      try Data(bytes).write(to: URL(fileURLWithPath: copy + "/" + postName))
      guard let reader = try? IndexReader.open(copy) else { continue }
      opened += 1
      reported += try Self.readEveryLightList(reader.segments[0], seed: UInt64(trial))
      try? FileManager.default.removeItem(atPath: copy)
    }
    // The damage reached the decoders (the index opened) and was noticed there at least sometimes.
    #expect(opened >= 30)
    #expect(reported > 0)
  }

  /// Reads every `$light` list forwards, by `advance`, and block by block backwards; returns how
  /// many reported corruption.
  static func readEveryLightList(_ seg: SegmentReader, seed: UInt64) throws -> Int {
    var reported = 0
    var rng = SplitMix64(seed: seed)
    let light = try #require(seg.field(named: FieldInfo.light))
    var it = try seg.dictionary.iterator(from: [UInt8(light.number)])
    while try it.next(), it.field == light.number {
      let c = seg.cursor(field: light, info: it.info)
      var last: Int64 = -1
      while c.nextDoc() != PostingsCursor.noMore {
        #expect(Int64(c.doc) > last && Int(c.doc) < seg.maxDoc)
        last = Int64(c.doc)
      }
      let a = seg.cursor(field: light, info: it.info)
      var target: UInt32 = 0
      while a.advance(to: target) != PostingsCursor.noMore {
        #expect(a.doc >= target && Int(a.doc) < seg.maxDoc)
        target = a.doc + 1 + UInt32(rng.next() % 300)
      }
      let b = seg.cursor(field: light, info: it.info)
      for handle in b.blockTable().reversed() {
        let d = b.seek(to: handle)
        #expect(d == PostingsCursor.noMore || Int(d) < seg.maxDoc)
        _ = b.nextDoc()
      }
      if c.corruption != nil || a.corruption != nil || b.corruption != nil { reported += 1 }
    }
    return reported
  }
}
