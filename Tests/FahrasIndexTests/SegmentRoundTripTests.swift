import FahrasIndex
import FahrasStorage
import Foundation
import Testing

@Suite struct SegmentRoundTripTests {
  /// Reads back every `$text` term of the index and compares it with the analyzer's own output.
  func verifyText(_ reader: IndexReader, docs: [IndexDocument], live: Set<Int>) throws {
    let expected = expectedTextPostings(docs)
    // Map global doc numbers (insertion order) to (segment, doc) through the stored ids.
    var location: [String: (Int, Int)] = [:]
    var ids: [[String]] = []
    for (si, s) in reader.segments.enumerated() {
      var segIDs: [String] = []
      for d in 0..<s.maxDoc {
        let id = try s.document(d).id
        segIDs.append(id)
        if !s.isDeleted(d) { location[id] = (si, d) }
      }
      ids.append(segIDs)
    }
    #expect(location.count == live.count)
    for g in live { #expect(location[docs[g].id] != nil, "document \(docs[g].id) missing") }
    var checked = 0
    for (term, postings) in expected {
      var seen: [Int: (UInt32, [UInt32])] = [:]
      for (si, s) in reader.segments.enumerated() {
        guard let c = try s.postings(field: "$text", term: Array(term.utf8)) else { continue }
        while c.nextDoc() != PostingsCursor.noMore {
          if s.isDeleted(Int(c.doc)) { continue }
          let id = ids[si][Int(c.doc)]
          let g = Int(id.dropFirst(4))!
          #expect(location[id]! == (si, Int(c.doc)))
          seen[g] = (c.freq, Array(c.positions()))
        }
        #expect(c.corruption == nil)
      }
      let want = postings.filter { live.contains($0.key) }
      #expect(seen.count == want.count, "term \(term): \(seen.count) docs, expected \(want.count)")
      for (g, e) in want {
        #expect(seen[g]?.0 == e.freq, "term \(term) doc \(g) freq")
        #expect(seen[g]?.1 == e.positions, "term \(term) doc \(g) positions")
      }
      checked += 1
    }
    #expect(checked > 100)
  }

  /// Positions are decoded lazily, one chunk of 128 at a time, skipping chunks no requested
  /// document needs: asking for every k-th document's positions (and twice for some) must give
  /// exactly what the analyzer produced, for every stride.
  @Test func sparsePositionsMatchTheAnalyzer() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    let docs = randomDocuments(count: 900, seed: 5, vocabulary: 60)
    do {
      let w = try IndexWriter(directory: dir.path)
      for d in docs { try w.add(d) }
      try w.commit()
    }
    let reader = try IndexReader.open(dir.path)
    #expect(reader.segments.count == 1)
    let s = reader.segments[0]
    let expected = expectedTextPostings(docs)
    var checked = 0
    for (term, postings) in expected where postings.count > 300 {
      for stride in [1, 2, 7, 31, 128] {
        guard let c = try s.postings(field: "$text", term: Array(term.utf8)) else { continue }
        var n = 0
        while c.nextDoc() != PostingsCursor.noMore {
          n += 1
          guard n % stride == 0 else { continue }
          let g = Int(c.doc)  // one segment, no deletes: doc numbers are insertion order
          #expect(
            Array(c.positions()) == postings[g]?.positions, "\(term) doc \(g) stride \(stride)")
          if n % 3 == 0 { #expect(Array(c.positions()) == postings[g]?.positions) }
          checked += 1
        }
        #expect(c.corruption == nil)
      }
    }
    #expect(checked > 1000)
  }

  /// JSON members named like the built-in fields (`$id`, `$path`, `$text`, `$light`) are stored,
  /// never indexed into those fields (FORMAT.md §15 item 12: they used to trap or corrupt them).
  @Test func reservedFieldNamesAreNotIndexed() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    let reserved = ["$id", "$path", "$text", "$light"].map {
      IndexDocument.Field(name: $0, value: "red intruder")
    }
    do {
      let w = try IndexWriter(directory: dir.path)
      try w.add(
        IndexDocument(id: "a", path: "x.json", title: "red", body: "red fox", fields: reserved))
      try w.add(IndexDocument(id: "b", path: "x.json", title: "", body: "blue", fields: reserved))
      try w.commit()
    }
    let reader = try IndexReader.open(dir.path, verify: true)
    #expect(reader.documentCount == 2)
    let s = reader.segments[0]
    try s.verifyDeep()
    #expect(try s.dictionary.lookup(field: 2, term: Array("a".utf8)) != nil)
    #expect(try s.dictionary.lookup(field: 2, term: Array("red intruder".utf8)) == nil)
    #expect(try s.dictionary.lookup(field: 3, term: Array("red intruder".utf8)) == nil)
    // "intruder" is in no title or body: it must not be in $text.
    #expect(try s.postings(field: "$text", term: Array("intrud".utf8)) == nil)
    #expect(try s.postings(field: "$text", term: Array("intruder".utf8)) == nil)
    let c = try #require(try s.postings(field: "$text", term: Array("red".utf8)))
    #expect(c.nextDoc() == 0 && c.freq == 3)  // title counts twice, body once
    #expect(c.nextDoc() == PostingsCursor.noMore)
  }

  @Test func writeCommitReopenMergeAndDelete() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    let docs = randomDocuments(count: 1500, seed: 42)
    do {
      // A small budget forces several segments.
      let w = try IndexWriter(directory: dir.path, options: .init(memoryBudget: 1 << 20))
      for d in docs { try w.add(d) }
      try w.commit()
    }
    var reader = try IndexReader.open(dir.path, verify: true)
    #expect(reader.segments.count > 1)
    #expect(reader.documentCount == docs.count)
    try verifyText(reader, docs: docs, live: Set(docs.indices))
    for s in reader.segments { try s.verifyDeep() }

    // Delete some documents by id and a whole path, then check before and after merging.
    var live = Set(docs.indices)
    do {
      let w = try IndexWriter(directory: dir.path)
      for g in stride(from: 0, to: docs.count, by: 7) {
        #expect(try w.delete(id: docs[g].id) == 1)
        live.remove(g)
      }
      let removed = try w.delete(path: "f3.txt")
      #expect(removed == docs.indices.filter { $0 % 50 == 3 && $0 % 7 != 0 }.count)
      for g in docs.indices where g % 50 == 3 { live.remove(g) }
      try w.commit()
    }
    reader = try IndexReader.open(dir.path, verify: true)
    #expect(reader.documentCount == live.count)
    try verifyText(reader, docs: docs, live: live)

    do {
      let w = try IndexWriter(directory: dir.path)
      try w.forceMerge(maxSegments: 1)
      try w.commit()
    }
    reader = try IndexReader.open(dir.path, verify: true)
    #expect(reader.segments.count == 1)
    #expect(reader.deletedCount == 0)
    #expect(reader.documentCount == live.count)
    try verifyText(reader, docs: docs, live: live)
    try reader.segments[0].verifyDeep()
  }

  /// One committed segment of `count` random documents (`randomDocuments`), written into `dir`.
  static func oneSegment(_ dir: TempDir, count: Int, seed: UInt64, vocabulary: Int) throws
    -> SegmentReader
  {
    let w = try IndexWriter(directory: dir.path)
    for d in randomDocuments(count: count, seed: seed, vocabulary: vocabulary) { try w.add(d) }
    try w.commit()
    return try IndexReader.open(dir.path).segments[0]
  }

  /// Calls `body` for every `$text` list of `seg` with the field, the term, its dictionary entry and
  /// its documents (`documents`).
  static func forEachTextList(
    _ seg: SegmentReader,
    _ body: (FieldInfo, ArraySlice<UInt8>, TermInfo, [UInt32]) throws -> Void
  ) throws {
    let field = seg.meta.fields[0]
    var it = try seg.dictionary.iterator(from: [0])
    while try it.next(), it.field == 0 {
      try body(field, it.term, it.info, documents(seg, field: field, info: it.info))
    }
  }

  /// Every document of a term's list, read with `nextDoc` alone.
  static func documents(_ seg: SegmentReader, field: FieldInfo, info: TermInfo) -> [UInt32] {
    let c = seg.cursor(field: field, info: info)
    var out: [UInt32] = []
    while c.nextDoc() != PostingsCursor.noMore { out.append(c.doc) }
    return out
  }

  @Test func advanceMatchesLinearScan() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    let seg = try Self.oneSegment(dir, count: 3000, seed: 7, vocabulary: 60)
    var rng = SplitMix64(seed: 99)
    var multiBlock = 0
    try Self.forEachTextList(seg) { field, _, info, all in
      #expect(all.count == info.docFreq)
      if all.count > 128 { multiBlock += 1 }
      // Random increasing targets, with shallow advances in between.
      let c = seg.cursor(field: field, info: info)
      var target: UInt32 = 0
      while true {
        target += UInt32(rng.next() % 40)
        if rng.next() % 3 == 0 {
          let last = c.shallowAdvance(to: target)
          if let want = all.first(where: { $0 >= target }) { #expect(last >= want) }
        }
        let got = c.advance(to: target)
        let want = all.first { $0 >= target } ?? PostingsCursor.noMore
        #expect(got == want, "advance(\(target))")
        if got == PostingsCursor.noMore { break }
        target = got + 1
      }
    }
    #expect(multiBlock > 5)
  }

  /// The shallow pointer may run past the list's end (a bound asked for far ahead) while the cursor
  /// still has documents to visit: advancing must still find them, in every block.
  @Test func advanceAfterShallowAdvancePastTheEnd() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    let seg = try Self.oneSegment(dir, count: 3000, seed: 13, vocabulary: 60)
    var checked = 0
    try Self.forEachTextList(seg) { field, term, info, all in
      guard all.count > 128 else { return }
      // From the start, from inside the first block, and from the second-to-last block.
      for startAt in [nil, 0, all.count - 129] as [Int?] {
        let c = seg.cursor(field: field, info: info)
        if let s = startAt { #expect(c.advance(to: all[s]) == all[s]) }
        #expect(c.shallowAdvance(to: UInt32(seg.maxDoc + 5)) == PostingsCursor.noMore)
        for target in all.suffix(3) {
          #expect(c.advance(to: target) == target, "\(String(decoding: term, as: UTF8.self))")
        }
        #expect(c.nextDoc() == PostingsCursor.noMore)
        #expect(c.corruption == nil)
      }
      checked += 1
    }
    #expect(checked > 5)
  }

  /// `blockTable` lists every block with the bounds the forward walk sees, and `seek` decodes
  /// blocks in any order: backwards, the same block twice, then `advance`/`nextDoc` onwards.
  @Test func blocksVisitedOutOfOrderMatchTheList() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    let seg = try Self.oneSegment(dir, count: 3000, seed: 17, vocabulary: 60)
    var rng = SplitMix64(seed: 23)
    var multiBlock = 0
    try Self.forEachTextList(seg) { field, _, info, all in
      let c = seg.cursor(field: field, info: info)
      let table = c.blockTable()
      #expect(table.count == (all.count + 127) / 128)
      // Each block's documents: the list cut every 128, within [firstDoc, lastDoc].
      let blocks = stride(from: 0, to: all.count, by: 128).map {
        Array(all[$0..<min($0 + 128, all.count)])
      }
      let forward = seg.cursor(field: field, info: info)
      for (b, h) in table.enumerated() {
        #expect(h.lastDoc == blocks[b].last!)
        #expect(h.firstDoc <= blocks[b].first!)
        if b > 0 { #expect(h.firstDoc == blocks[b - 1].last! + 1) }
        // The impacts are those the forward walk reads for the same block.
        #expect(forward.shallowAdvance(to: blocks[b].first!) == h.lastDoc)
        #expect(forward.blockImpactCount == h.impactCount)
        for i in 0..<h.impactCount {
          #expect(forward.blockImpact(i) == h.impact(i))
          let tf = h.impact(i).tf
          #expect(tf >= 1)
        }
      }
      if table.count > 1 { multiBlock += 1 }
      // Random blocks in random order, each read partly, then a walk to the end of the list.
      for _ in 0..<12 {
        let b = Int(rng.next() % UInt64(table.count))
        #expect(c.seek(to: table[b]) == blocks[b][0])
        let steps = Int(rng.next() % 4)
        for s in 1...max(1, steps) where s < blocks[b].count {
          #expect(c.nextDoc() == blocks[b][s])
        }
      }
      let b = Int(rng.next() % UInt64(table.count))
      #expect(c.seek(to: table[b]) == blocks[b][0])
      let rest = Array(all[(b * 128)...])
      if rest.count > 2 {
        let t = rest[rest.count / 2]
        #expect(c.advance(to: t) == t)
        var tail: [UInt32] = [t]
        while c.nextDoc() != PostingsCursor.noMore { tail.append(c.doc) }
        #expect(tail == Array(rest[(rest.count / 2)...]))
      }
      #expect(c.corruption == nil)
    }
    #expect(multiBlock > 5)
  }

  /// Random mixes of `nextDoc`, `advance` and `shallowAdvance` (as block-max WAND issues them)
  /// must always agree with the plain list of documents.
  @Test func interleavedOperationsMatchLinearScan() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    let seg = try Self.oneSegment(dir, count: 4000, seed: 11, vocabulary: 80)
    var rng = SplitMix64(seed: 5)
    var tested = 0
    try Self.forEachTextList(seg) { field, _, info, all in
      tested += 1
      for _ in 0..<20 {
        let c = seg.cursor(field: field, info: info)
        var at = -1
        for _ in 0..<40 {
          switch rng.next() % 3 {
          case 0:
            let t = UInt32(rng.next() % UInt64(seg.maxDoc + 10))
            let last = c.shallowAdvance(to: t)
            if let want = all.first(where: { $0 >= t }) { #expect(last >= want) }
          case 1:
            at += 1
            let want = at < all.count ? all[at] : PostingsCursor.noMore
            #expect(c.nextDoc() == want)
          default:
            let base = at < 0 ? 0 : Int(all[min(at, all.count - 1)]) + 1
            let t = UInt32(base + Int(rng.next() % 300))
            at = all.firstIndex { $0 >= t } ?? all.count
            let want = at < all.count ? all[at] : PostingsCursor.noMore
            #expect(c.advance(to: t) == want)
          }
          if at >= all.count { break }
        }
        #expect(c.corruption == nil)
      }
    }
    #expect(tested > 50)
  }

  @Test func storedDocumentsRoundTrip() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    var docs = randomDocuments(count: 500, seed: 3)
    docs[0].body = "نص عربي مع تشكيل: كُتِبَ — and «quotes» " + String(repeating: "x", count: 100_000)
    let w = try IndexWriter(directory: dir.path)
    for d in docs { try w.add(d) }
    try w.commit()
    let reader = try IndexReader.open(dir.path, verify: true)
    for (i, d) in docs.enumerated() {
      #expect(try reader.segments[0].document(i) == StoredDocument(d))
      #expect(try reader.segments[0].documentID(i) == d.id)
    }
  }

  @Test("a damaged stored block fails an id fetch as it fails a document fetch")
  func damagedStoredBlockFailsIDFetch() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    let docs = randomDocuments(count: 300, seed: 5)
    let w = try IndexWriter(directory: dir.path)
    for d in docs { try w.add(d) }
    try w.commit()
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
    let store = dir.path + "/" + (try #require(files.first { $0.hasSuffix(".store") }))
    var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: store)))
    // A byte in the first compressed block (past the 32-byte header).
    bytes[100] ^= 0x5A
    try Data(bytes).write(to: URL(fileURLWithPath: store))
    let reader = try IndexReader.open(dir.path)
    #expect(throws: StorageError.self) { _ = try reader.segments[0].documentID(0) }
    #expect(throws: StorageError.self) { _ = try reader.segments[0].document(0) }
    #expect(try reader.segments[0].documentID(docs.count - 1) == docs[docs.count - 1].id)
  }

  @Test func secondWriterIsRefusedWithPid() throws {
    let dir = TempDir()
    defer { dir.cleanup() }
    let w = try IndexWriter(directory: dir.path)
    _ = w
    #expect(throws: IndexError.self) { _ = try IndexWriter(directory: dir.path) }
    do {
      _ = try IndexWriter(directory: dir.path)
    } catch {
      #expect("\(error)".contains("\(getpid())"))
    }
  }
}

#if canImport(Glibc)
  import Glibc
#endif
