import FahrasStorage

/// Merges segments into one new segment, dropping deleted documents.
///
/// Documents keep their relative order (segment order, then doc order). Fields are matched by name;
/// the merged segment numbers the built-in fields 0...3 and other fields by first appearance.
/// Terms are merged field by field with a k-way merge of the segments' dictionaries, and each term's
/// postings are re-encoded with remapped doc ids.
enum SegmentMerger {
  static func merge(
    _ readers: [SegmentReader], directory: String, name: String
  ) throws(StorageError) -> SegmentInfo {
    var rng = SystemRandomNumberGenerator()
    let segmentID = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
    // Field table.
    var fields = FieldInfo.builtin()
    var numbers: [String: Int] = [:]
    for f in fields { numbers[f.name] = f.number }
    for r in readers {
      for f in r.meta.fields where numbers[f.name] == nil && fields.count < FieldInfo.maxFields {
        numbers[f.name] = fields.count
        fields.append(
          FieldInfo(
            number: fields.count, name: f.name, hasPositions: f.hasPositions, hasNorms: f.hasNorms,
            isKeyword: f.isKeyword))
      }
    }
    // Doc maps.
    var docMaps: [[Int32]] = []
    var newCount = 0
    for r in readers {
      var map = [Int32](repeating: -1, count: r.maxDoc)
      for d in 0..<r.maxDoc where !r.isDeleted(d) {
        map[d] = Int32(newCount)
        newCount += 1
      }
      docMaps.append(map)
    }
    // Stored documents and norms.
    let store = StoredFieldsWriter(
      file: try FileWriter(
        path: SegmentFile.store.path(in: directory, segment: name), kind: "STOR",
        segmentID: segmentID))
    var norms = fields.map { _ in [UInt32]() }
    var titleLengths: [UInt32] = []
    var bodyStarts: [UInt32] = []
    for (ri, r) in readers.enumerated() {
      let local = r.meta.fields.map { numbers[$0.name] }
      var cache = StoredFieldsReader.BlockCache()
      for d in 0..<r.maxDoc where docMaps[ri][d] >= 0 {
        try store.add(try r.document(d, cache: &cache))
        for (i, f) in fields.enumerated() where f.hasNorms {
          var v: UInt32 = 0
          if let src = r.fieldNumbers[f.name], local[src] == i {
            v = r.lengths.length(field: src, doc: d)
          }
          norms[i].append(v)
          if v > 0 {
            fields[i].docCount += 1
            fields[i].sumLength += UInt64(v)
          }
        }
        titleLengths.append(r.lengths.titleLength(doc: d))
        bodyStarts.append(r.lengths.bodyStart(doc: d))
        // Drop the pages of stored documents already copied from this process's memory (they
        // stay in the page cache): a merge reads gigabytes of them once, in order.
        if d & 4095 == 4095 { r.releaseStoredPages(throughDoc: d) }
      }
      r.releaseStoredPages(throughDoc: r.maxDoc - 1)
    }
    _ = try store.finish()

    let post = try FileWriter(
      path: SegmentFile.post.path(in: directory, segment: name), kind: "POST", segmentID: segmentID)
    let pos = try FileWriter(
      path: SegmentFile.pos.path(in: directory, segment: name), kind: "POSN", segmentID: segmentID)
    let dictFile = try FileWriter(
      path: SegmentFile.dict.path(in: directory, segment: name), kind: "DICT", segmentID: segmentID)
    let writer = PostingsWriter(post: post, pos: pos)
    let dict = TermDictionaryWriter(file: dictFile)
    let share = Segment.canShareLightPostings(fields: fields, norms: norms)

    for f in fields {
      // One iterator per segment over this field's key range.
      var its: [(Int, TermIterator, FieldInfo)] = []
      for (ri, r) in readers.enumerated() {
        guard let src = r.field(named: f.name) else { continue }
        let it = try r.dictionary.iterator(from: [UInt8(src.number)])
        its.append((ri, it, src))
      }
      var heads: [(term: [UInt8], info: TermInfo)?] = []
      for i in its.indices {
        heads.append(try advance(&its[i].1, field: its[i].2.number))
      }
      while true {
        // Smallest current term.
        var smallest: [UInt8]? = nil
        for h in heads {
          if let h, smallest == nil || h.term.lexicographicallyPrecedes(smallest!) {
            smallest = h.term
          }
        }
        guard let term = smallest else { break }
        writer.startTerm(
          hasPositions: f.hasPositions,
          averageLength: f.docCount > 0 ? Double(f.sumLength) / Double(f.docCount) : 0,
          sharing: share ? Segment.postingsSharing(field: f.number) : .none)
        var any = false
        for i in its.indices {
          guard let h = heads[i], h.term == term else { continue }
          let (ri, _, src) = its[i]
          let r = readers[ri]
          let c = r.cursor(field: src, info: h.info)
          while true {
            let d = c.nextDoc()
            if d == PostingsCursor.noMore { break }
            let nd = docMaps[ri][Int(d)]
            if nd < 0 { continue }
            let dl = f.hasNorms ? norms[f.number][Int(nd)] : 0
            try writer.add(doc: UInt32(nd), tf: c.freq, dl: dl, positions: c.positions())
            any = true
          }
          if let bad = c.corruptDetail {
            throw .corrupt(file: c.corruptFile, detail: bad)
          }
          heads[i] = try advance(&its[i].1, field: src.number)
        }
        if any {
          let info = try writer.finishTerm()
          var key = [UInt8(f.number)]
          key.append(contentsOf: term)
          try key.withBytes { k throws(StorageError) in try dict.add(key: k, info: info) }
        }
      }
    }
    _ = try dict.finish()
    try post.finish()
    try pos.finish()
    _ = try FieldLengths.write(
      path: SegmentFile.norm.path(in: directory, segment: name), segmentID: segmentID,
      fields: fields,
      norms: norms, titleLengths: titleLengths, bodyStarts: bodyStarts)
    let meta = SegmentMeta(
      maxDoc: newCount, titleWeight: Segment.titleWeight, positionGap: Segment.positionGap,
      fields: fields)
    try FileSystem.writeFile(
      SegmentFile.meta.path(in: directory, segment: name), meta.encode(segmentID: segmentID))
    return SegmentInfo(name: name, id: segmentID, maxDoc: newCount)
  }

  private static func advance(_ it: inout TermIterator, field: Int) throws(StorageError) -> (
    term: [UInt8], info: TermInfo
  )? {
    guard try it.next(), it.field == field else { return nil }
    return (Array(it.term), it.info)
  }
}
