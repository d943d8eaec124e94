import FahrasStorage
import FahrasText

/// Merges segments into one new segment, dropping deleted documents.
///
/// Documents keep their relative order (segment order, then doc order). Fields are matched by name;
/// the merged segment numbers the built-in fields 0...3 and other fields by first appearance.
/// Terms are merged field by field with a k-way merge of the segments' dictionaries, and each term's
/// postings are re-encoded with remapped doc ids.
enum SegmentMerger {
  /// `compactLightLists`: derive long `$light` lists too (`IndexWriter.Options`).
  static func merge(
    _ readers: [SegmentReader], directory: String, name: String, compactLightLists: Bool = false
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
    writer.derivedLimit = Segment.derivedLimit(maxDoc: newCount, compact: compactLightLists)
    writer.derivedDense = compactLightLists
    let dict = TermDictionaryWriter(file: dictFile)
    let share = Segment.canShareLightPostings(fields: fields, norms: norms)
    // The merged `$text` lists (offset, document frequency), for deriving `$light` lists.
    var textTerms = TermTable()
    var textLists: [(offset: UInt64, docFreq: Int)] = []
    let analyzer = Analyzer()
    var baseDocs: [UInt32] = []
    var baseTfs: [UInt32] = []

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
        var baseList: (offset: UInt64, docFreq: Int)? = nil
        var mostDocFreq = Int.max
        if f.number == 1 && !f.hasPositions {
          // The segments holding the term, and bounds on its merged document frequency (the
          // sources' counts include their deleted documents).
          var first = Int.max
          var last = Int.min
          var most = 0
          var deleted = 0
          for i in its.indices {
            guard let h = heads[i], h.term == term else { continue }
            let ri = its[i].0
            first = min(first, ri)
            last = max(last, ri)
            most += h.info.docFreq
            deleted += readers[ri].info.deletedCount
          }
          mostDocFreq = most
          if first <= last {
            baseList = try mergedBase(
              of: term, segments: first...last, docs: max(1, most - deleted)...max(1, most),
              limit: writer.derivedLimit, dense: writer.derivedDense, readers: readers,
              docMaps: docMaps,
              analyzer: analyzer, textTerms: &textTerms, textLists: textLists, docs: &baseDocs,
              tfs: &baseTfs)
          }
        }
        try baseDocs.withBuffer { bd throws(StorageError) in
          try baseTfs.withBuffer { bt throws(StorageError) in
            writer.startTerm(
              hasPositions: f.hasPositions,
              averageLength: f.docCount > 0 ? Double(f.sumLength) / Double(f.docCount) : 0,
              sharing: share ? Segment.postingsSharing(field: f.number) : .none,
              base: baseList.map {
                DerivedBase(docs: bd, tfs: bt, offset: $0.offset, docFreq: $0.docFreq)
              }, mostDocFreq: mostDocFreq)
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
              if f.number == 0 && info.docFreq > 1 {
                let id = term.withUnsafeBytes { textTerms.intern($0) }
                precondition(Int(id) == textLists.count, "merged terms are unique")
                textLists.append((info.postOffset, info.docFreq))
              }
            }
          }
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

  /// The merged `$text` list a `$light` term may be derived from — its stem's, found by analyzing the
  /// light form (the writer checks that the term's documents are a selection of it) — with that
  /// list's documents and frequencies in `docs`/`tfs`, read from the source segments spanning the
  /// term's documents (`segments`, the first and last holding it). Nil when the stem has no merged
  /// list of two or more documents, or when a term with `docCount` documents (a range: the sources'
  /// deletions are not known per term) could not be derived from it (`Segment.mayDerive`).
  private static func mergedBase(
    of term: [UInt8], segments: ClosedRange<Int>, docs docCount: ClosedRange<Int>, limit: Int,
    dense: Bool, readers: [SegmentReader],
    docMaps: [[Int32]], analyzer: Analyzer, textTerms: inout TermTable,
    textLists: [(offset: UInt64, docFreq: Int)], docs: inout [UInt32], tfs: inout [UInt32]
  ) throws(StorageError) -> (offset: UInt64, docFreq: Int)? {
    docs.removeAll(keepingCapacity: true)
    tfs.removeAll(keepingCapacity: true)
    // Past the limit only a dense selection can be derived: skip the analysis when there is none.
    guard dense || docCount.lowerBound <= limit else { return nil }
    let tokens = analyzer.analyze(String(decoding: term, as: UTF8.self))
    guard tokens.count == 1, !tokens[0].isStopword else { return nil }
    let stem = Array(tokens[0].term.utf8)
    let id = Int(stem.withUnsafeBytes { textTerms.intern($0) })
    guard id < textLists.count,
      Segment.mayDerive(
        docFreq: docCount.lowerBound, mostDocFreq: docCount.upperBound,
        baseDocFreq: textLists[id].docFreq, limit: limit, dense: dense)
    else { return nil }
    for ri in segments {
      let r = readers[ri]
      guard let text = r.field(named: FieldInfo.text),
        let info = try r.dictionary.lookup(field: text.number, term: stem)
      else { continue }
      let c = r.cursor(field: text, info: info)
      while true {
        let d = c.nextDoc()
        if d == PostingsCursor.noMore { break }
        let nd = docMaps[ri][Int(d)]
        if nd < 0 { continue }
        docs.append(UInt32(nd))
        tfs.append(c.freq)
      }
      if let bad = c.corruptDetail { throw .corrupt(file: c.corruptFile, detail: bad) }
    }
    return textLists[id]
  }

  private static func advance(_ it: inout TermIterator, field: Int) throws(StorageError) -> (
    term: [UInt8], info: TermInfo
  )? {
    guard try it.next(), it.field == field else { return nil }
    return (Array(it.term), it.info)
  }
}
