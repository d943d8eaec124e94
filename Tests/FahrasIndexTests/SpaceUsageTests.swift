import FahrasStorage
import Foundation
import Testing

@testable import FahrasIndex

/// `SegmentReader.spaceUsage()` must attribute every byte of the postings, positions and dictionary
/// entries to exactly one field, and to the right one.
@Suite struct SpaceUsageTests {
  func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? -1
  }

  @Test func everyByteBelongsToOneField() throws {
    let dir = TempDir("space")
    defer { dir.cleanup() }
    let docs = randomDocuments(count: 900, seed: 0x5EED_5A11)
    let w = try IndexWriter(directory: dir.path)
    for d in docs { try w.add(d) }
    try w.commit()
    try w.forceMerge(maxSegments: 1)
    try w.commit()
    let reader = try IndexReader.open(dir.path)
    #expect(reader.segments.count == 1)
    let seg = reader.segments[0]
    let usage = try seg.spaceUsage()
    let envelope = FileEnvelope.headerSize + FileEnvelope.footerSize
    let post = fileSize("\(dir.path)/\(seg.info.name).post") - envelope
    let pos = fileSize("\(dir.path)/\(seg.info.name).pos") - envelope
    let dict = fileSize("\(dir.path)/\(seg.info.name).dict") - envelope
    #expect(usage.values.reduce(0) { $0 + $1.postings } == post)
    #expect(usage.values.reduce(0) { $0 + $1.positions } == pos)
    // Entries take all of the dictionary but its block index (8 bytes per block) and trailer.
    let entries = usage.values.reduce(0) { $0 + $1.dictionary }
    #expect(entries == dict - 24 - 8 * seg.dictionary.blockCount)
    #expect(usage.values.reduce(0) { $0 + $1.terms } == seg.dictionary.termCount)
    // Only fields with positions have positions; keyword fields have no norms.
    #expect(usage["$text"]!.positions > 0)
    #expect(usage["$light"]!.positions == 0)
    #expect(usage["$id"]!.positions == 0 && usage["$id"]!.norms == 0)
    #expect(usage["$id"]!.terms == docs.count)
    #expect(usage["$text"]!.norms == 2 * seg.maxDoc + 4)
    // `$light` lists equal to their `$text` list are counted once, under `$text`.
    #expect(usage["$light"]!.sharedLists > 0)
  }
}
