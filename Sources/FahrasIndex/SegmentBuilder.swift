import FahrasStorage
import FahrasText

/// The in-memory indexing buffer: inverts documents as they arrive and writes them out as one
/// immutable segment on `flush`.
///
/// Stored documents stream straight to the segment's `.store` file; everything else is held in flat
/// arrays (no object per term or posting): one posting = (term id, doc, frequency, position start,
/// position count), positions in one array. `flush` sorts postings by term with a counting sort
/// (stable, so each term's documents stay in order), sorts the term keys, and writes the dictionary,
/// postings, positions and norms.
final class SegmentBuilder {
  let directory: String
  let name: String
  let segmentID: [UInt8]
  private let analyzer: Analyzer

  private var terms = TermTable()
  /// For a `$light` term id, the id of its `$text` term (the stem is a function of the light
  /// form), or `UInt32.max` when not known yet: one hash lookup per token instead of two.
  private var stemOfLight: [UInt32] = []
  private var fields: [FieldInfo] = FieldInfo.builtin()
  private var fieldNumbers: [String: Int] = [:]
  private var norms: [[UInt32]] = []
  private var titleLengths: [UInt32] = []
  private var bodyStarts: [UInt32] = []

  private var pTerm: [UInt32] = []
  private var pDoc: [UInt32] = []
  private var pFreq: [UInt32] = []
  private var pPosStart: [UInt32] = []
  private var pPosCount: [UInt32] = []
  private var positions: [UInt32] = []

  private let store: StoredFieldsWriter
  private(set) var docCount: Int = 0

  // Per-document scratch.
  private var key: [UInt8] = []
  private var local: [UInt64] = []
  private var localLight: [UInt64] = []
  private var posScratch: [UInt32] = []

  /// Whether long `$light` lists may be derived too (`IndexWriter.Options.compactLightLists`).
  let compactLightLists: Bool

  init(
    directory: String, name: String, analyzer: Analyzer, compactLightLists: Bool = false
  ) throws(StorageError) {
    self.compactLightLists = compactLightLists
    self.directory = directory
    self.name = name
    self.analyzer = analyzer
    var rng = SystemRandomNumberGenerator()
    segmentID = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
    for f in fields { fieldNumbers[f.name] = f.number }
    norms = fields.map { _ in [] }
    store = StoredFieldsWriter(
      file: try FileWriter(
        path: SegmentFile.store.path(in: directory, segment: name), kind: "STOR",
        segmentID: segmentID))
  }

  /// Approximate heap bytes the buffer will need at its peak, during `flush` (for the memory
  /// budget): what it holds (array capacities, the term table) plus what `flush` allocates while
  /// all of that is still alive — the term-ordered copy of the positions and the per-term offsets
  /// and order (see `flush`).
  var memoryBytes: Int {
    let held =
      terms.memoryBytes
      + (pTerm.capacity + pDoc.capacity + pFreq.capacity + pPosStart.capacity
        + pPosCount.capacity + positions.capacity + stemOfLight.capacity + titleLengths.capacity
        + bodyStarts.capacity) * 4 + norms.reduce(0) { $0 + $1.capacity * 4 }
    let flushing = positions.count * 4 + (terms.count + 1) * (3 * 8 + 4)
    return held + flushing
  }

  /// The budget `reserve` grows the posting arrays within (`Int.max`: plain doubling).
  var memoryLimit = Int.max

  /// Makes room for `postings` more postings and `positions` more positions. Arrays double while
  /// the buffer stays within `memoryLimit`; near it they grow only by what fits (at least what is
  /// asked), so a buffer fills its budget instead of overshooting it by a doubling. The writer
  /// flushes as soon as `memoryBytes` passes the budget.
  private func reserve(postings: Int, positions extra: Int) {
    let n = pTerm.count + postings
    if n > pTerm.capacity {
      // A posting costs 5 arrays × 4 bytes.
      let spare = max(0, memoryLimit - memoryBytes) / 20
      let grown = max(n, min(pTerm.capacity * 2, pTerm.capacity + spare), 1024)
      pTerm.reserveCapacity(grown)
      pDoc.reserveCapacity(grown)
      pFreq.reserveCapacity(grown)
      pPosStart.reserveCapacity(grown)
      pPosCount.reserveCapacity(grown)
    }
    let p = positions.count + extra
    if p > positions.capacity {
      // A position costs 4 bytes held and 4 more at the flush.
      let spare = max(0, memoryLimit - memoryBytes) / 8
      positions.reserveCapacity(
        max(p, min(positions.capacity * 2, positions.capacity + spare), 1024))
    }
  }

  // MARK: - Adding

  func add(_ doc: IndexDocument) throws(StorageError) {
    let docID = UInt32(docCount)
    for i in 4..<norms.count { norms[i].append(0) }
    // $text and $light from title then body.
    local.removeAll(keepingCapacity: true)
    localLight.removeAll(keepingCapacity: true)
    var titleLen: UInt32 = 0
    var titleAll: UInt32 = 0
    var bodyLen: UInt32 = 0
    var bodyAll: UInt32 = 0
    var nextPos: UInt32 = 0
    analyze(doc.title) { t, isStop, termID, lightID in
      let p = UInt32(t.position)
      nextPos = max(nextPos, p + 1)
      titleAll += 1
      localLight.append(UInt64(lightID) << 32 | 1)
      if !isStop {
        titleLen += 1
        local.append(UInt64(termID) << 32 | UInt64(p) << 1 | 1)
      }
    }
    let bodyStart = titleAll > 0 ? nextPos + Segment.positionGap : 0
    analyze(doc.body) { t, isStop, termID, lightID in
      let p = bodyStart + UInt32(t.position)
      bodyAll += 1
      localLight.append(UInt64(lightID) << 32)
      if !isStop {
        bodyLen += 1
        local.append(UInt64(termID) << 32 | UInt64(p) << 1)
      }
    }
    let w = Segment.titleWeight
    let textLength = w * titleLen + bodyLen
    let lightLength = w * titleAll + bodyAll
    norms[0].append(textLength)
    norms[1].append(lightLength)
    titleLengths.append(titleLen)
    bodyStarts.append(bodyStart)
    if textLength > 0 {
      fields[0].docCount += 1
      fields[0].sumLength += UInt64(textLength)
    }
    if lightLength > 0 {
      fields[1].docCount += 1
      fields[1].sumLength += UInt64(lightLength)
    }
    emitGrouped(&local, doc: docID, withPositions: true)
    emitGrouped(&localLight, doc: docID, withPositions: false)

    // Keyword fields.
    addKeyword(field: 2, doc.id, doc: docID)
    addKeyword(field: 3, doc.path, doc: docID)

    // Extra fields (each its own field with positions and norms).
    var seen: Set<Int> = []
    for f in doc.fields {
      guard let number = fieldNumber(for: f.name), !seen.contains(number) else { continue }
      seen.insert(number)
      local.removeAll(keepingCapacity: true)
      var len: UInt32 = 0
      // Several values of one name are concatenated with a position gap.
      let values = doc.fields.filter { $0.name == f.name }
      var base: UInt32 = 0
      for v in values {
        var maxPos: UInt32 = base
        analyze(v.value, fieldNumber: number) { t, isStop, termID, _ in
          let p = base + UInt32(t.position)
          maxPos = max(maxPos, p + 1)
          if !isStop {
            len += 1
            local.append(UInt64(termID) << 32 | UInt64(p) << 1)
          }
        }
        base = maxPos + Segment.positionGap
      }
      norms[number][Int(docID)] = len
      if len > 0 {
        fields[number].docCount += 1
        fields[number].sumLength += UInt64(len)
      }
      emitGrouped(&local, doc: docID, withPositions: true)
    }
    try store.add(StoredDocument(doc))
    docCount += 1
  }

  /// The field number of a stored JSON field, creating it. Names starting with `$` (reserved for
  /// built-in fields) and empty names are stored with the document but not indexed.
  private func fieldNumber(for userName: String) -> Int? {
    if userName.isEmpty || userName.hasPrefix("$") { return nil }
    if let n = fieldNumbers[userName] { return n }
    guard fields.count < FieldInfo.maxFields else { return nil }
    let n = fields.count
    fields.append(
      FieldInfo(number: n, name: userName, hasPositions: true, hasNorms: true, isKeyword: false))
    fieldNumbers[userName] = n
    norms.append([UInt32](repeating: 0, count: docCount + 1))
    return n
  }

  /// Runs the analyzer and interns the primary term (field `fieldNumber`) and light term (`$light`).
  private func analyze(
    _ text: String, fieldNumber: Int = 0,
    _ body: (TokenView, Bool, UInt32, UInt32) -> Void
  ) {
    var text = text
    text.withUTF8 { utf8 in
      analyzer.analyze(utf8: utf8) { t in
        if fieldNumber != 0 {
          body(t, t.isStopword, t.isStopword ? 0 : intern(field: fieldNumber, t.term), 0)
          return
        }
        let lightID = intern(field: 1, t.light)
        // Stopwords are not indexed in the primary field: do not create a term for them.
        if t.isStopword {
          body(t, true, 0, lightID)
          return
        }
        let l = Int(lightID)
        if l >= stemOfLight.count {
          stemOfLight.append(
            contentsOf: repeatElement(
              UInt32.max, count: max(l + 1 - stemOfLight.count, stemOfLight.count)))
        }
        var termID = stemOfLight[l]
        if termID == UInt32.max {
          termID = intern(field: 0, t.term)
          stemOfLight[l] = termID
        }
        body(t, false, termID, lightID)
      }
    }
  }

  @inline(__always)
  private func intern(field: Int, _ term: UnsafeBufferPointer<UInt8>) -> UInt32 {
    key.removeAll(keepingCapacity: true)
    key.append(UInt8(field))
    key.append(contentsOf: term)
    return key.withUnsafeBytes { terms.intern($0) }
  }

  private func addKeyword(field: Int, _ value: String, doc: UInt32) {
    var v = value
    let id = v.withUTF8 { intern(field: field, $0) }
    reserve(postings: 1, positions: 0)
    pTerm.append(id)
    pDoc.append(doc)
    pFreq.append(1)
    pPosStart.append(0)
    pPosCount.append(0)
  }

  /// Sorts one document's (term, position, isTitle) entries and appends one posting per term.
  private func emitGrouped(_ entries: inout [UInt64], doc: UInt32, withPositions: Bool) {
    guard !entries.isEmpty else { return }
    reserve(postings: entries.count, positions: withPositions ? entries.count : 0)
    entries.sort()
    var i = 0
    let n = entries.count
    while i < n {
      let term = UInt32(truncatingIfNeeded: entries[i] >> 32)
      var freq: UInt32 = 0
      let start = positions.count
      var j = i
      while j < n && UInt32(truncatingIfNeeded: entries[j] >> 32) == term {
        let e = entries[j]
        freq += e & 1 != 0 ? Segment.titleWeight : 1
        if withPositions {
          let p = UInt32(truncatingIfNeeded: e >> 1) & 0x7FFF_FFFF
          if positions.count == start || positions[positions.count - 1] != p { positions.append(p) }
        }
        j += 1
      }
      pTerm.append(term)
      pDoc.append(doc)
      pFreq.append(freq)
      pPosStart.append(UInt32(start))
      pPosCount.append(UInt32(positions.count - start))
      i = j
    }
  }

  // MARK: - Flushing

  /// Writes the segment files and returns the segment's description. The builder is spent after.
  func flush() throws(StorageError) -> SegmentInfo {
    let storeSize = try store.finish()
    _ = storeSize
    // Counting sort of postings by term id, scattering them (and their positions) into term order
    // so that writing reads memory sequentially (gathering by index would miss the cache per posting).
    let termCount = terms.count
    let n = pTerm.count
    var starts = [Int](repeating: 0, count: termCount + 1)
    var posStarts = [Int](repeating: 0, count: termCount + 1)
    for p in 0..<n {
      starts[Int(pTerm[p]) + 1] += 1
      posStarts[Int(pTerm[p]) + 1] += Int(pPosCount[p])
    }
    for i in 0..<termCount {
      starts[i + 1] += starts[i]
      posStarts[i + 1] += posStarts[i]
    }
    // The term-ordered copies are made one array at a time, each source freed as soon as it is
    // copied, so the peak is the buffer plus one copy of the positions (as `memoryBytes` counts).
    var fill = starts
    var tPositions = [UInt32](repeating: 0, count: positions.count)
    tPositions.withUnsafeMutableBufferPointer { tPositions in
      positions.withUnsafeBufferPointer { allPos in
        var posFill = posStarts
        for p in 0..<n {
          let c = Int(pPosCount[p])
          if c > 0 {
            let t = Int(pTerm[p])
            let from = Int(pPosStart[p])
            let to = posFill[t]
            for i in 0..<c { tPositions[to + i] = allPos[from + i] }
            posFill[t] = to + c
          }
        }
      }
    }
    positions = []
    pPosStart = []
    /// `source` scattered into term order (stable), then emptied.
    func scatter(_ source: inout [UInt32]) -> [UInt32] {
      for t in 0..<termCount { fill[t] = starts[t] }
      var out = [UInt32](repeating: 0, count: n)
      out.withUnsafeMutableBufferPointer { out in
        source.withUnsafeBufferPointer { src in
          pTerm.withUnsafeBufferPointer { pTerm in
            for p in 0..<n {
              let t = Int(pTerm[p])
              out[fill[t]] = src[p]
              fill[t] += 1
            }
          }
        }
      }
      source = []
      return out
    }
    let tDoc = scatter(&pDoc)
    let tFreq = scatter(&pFreq)
    let tPosCount = scatter(&pPosCount)
    pTerm = []
    let sorted = terms.sortedIDs()

    let post = try FileWriter(
      path: SegmentFile.post.path(in: directory, segment: name), kind: "POST", segmentID: segmentID)
    let pos = try FileWriter(
      path: SegmentFile.pos.path(in: directory, segment: name), kind: "POSN", segmentID: segmentID)
    let dictFile = try FileWriter(
      path: SegmentFile.dict.path(in: directory, segment: name), kind: "DICT", segmentID: segmentID)
    let writer = PostingsWriter(post: post, pos: pos)
    writer.derivedLimit = Segment.derivedLimit(maxDoc: docCount, compact: compactLightLists)
    writer.derivedDense = compactLightLists
    let dict = TermDictionaryWriter(file: dictFile)
    let empty = UnsafeBufferPointer<UInt32>(start: nil, count: 0)
    let share = Segment.canShareLightPostings(fields: fields, norms: norms)
    // Where each `$text` list went, for the `$light` lists derived from it.
    var textOffsets = [UInt64](repeating: UInt64.max, count: termCount)
    try tDoc.withBuffer { tDocBuf throws(StorageError) in
      try tFreq.withBuffer { tFreqBuf throws(StorageError) in
        try tPositions.withBuffer { allPos throws(StorageError) in
          for id in sorted where starts[Int(id)] < starts[Int(id) + 1] {
            let field = terms.withKey(Int(id)) { Int($0[0]) }
            let f = fields[field]
            let fieldNorms = f.hasNorms ? norms[field] : []
            var base: DerivedBase? = nil
            if field == 1, Int(id) < stemOfLight.count, stemOfLight[Int(id)] != UInt32.max,
              !f.hasPositions
            {
              let s = Int(stemOfLight[Int(id)])
              if textOffsets[s] != UInt64.max {
                let range = starts[s]..<starts[s + 1]
                base = DerivedBase(
                  docs: UnsafeBufferPointer(rebasing: tDocBuf[range]),
                  tfs: UnsafeBufferPointer(rebasing: tFreqBuf[range]), offset: textOffsets[s],
                  docFreq: range.count)
              }
            }
            writer.startTerm(
              hasPositions: f.hasPositions,
              averageLength: f.docCount > 0 ? Double(f.sumLength) / Double(f.docCount) : 0,
              sharing: share ? Segment.postingsSharing(field: field) : .none, base: base,
              mostDocFreq: starts[Int(id) + 1] - starts[Int(id)])
            var at = posStarts[Int(id)]
            for k in starts[Int(id)]..<starts[Int(id) + 1] {
              let doc = tDocBuf[k]
              let dl = f.hasNorms ? fieldNorms[Int(doc)] : 0
              let c = Int(tPosCount[k])
              let slice =
                f.hasPositions ? UnsafeBufferPointer(rebasing: allPos[at..<(at + c)]) : empty
              at += c
              try writer.add(doc: doc, tf: tFreqBuf[k], dl: dl, positions: slice)
            }
            let info = try writer.finishTerm()
            if field == 0 && info.docFreq > 1 { textOffsets[Int(id)] = info.postOffset }
            let key = terms.withKey(Int(id)) { Array($0) }
            try key.withBytes { k throws(StorageError) in try dict.add(key: k, info: info) }
          }
        }
      }
    }
    _ = try dict.finish()
    try post.finish()
    try pos.finish()
    for i in norms.indices where norms[i].count < docCount {
      norms[i].append(contentsOf: repeatElement(0, count: docCount - norms[i].count))
    }
    _ = try FieldLengths.write(
      path: SegmentFile.norm.path(in: directory, segment: name), segmentID: segmentID,
      fields: fields,
      norms: norms, titleLengths: titleLengths, bodyStarts: bodyStarts)
    let meta = SegmentMeta(
      maxDoc: docCount, titleWeight: Segment.titleWeight, positionGap: Segment.positionGap,
      fields: fields)
    try FileSystem.writeFile(
      SegmentFile.meta.path(in: directory, segment: name), meta.encode(segmentID: segmentID))
    return SegmentInfo(name: name, id: segmentID, maxDoc: docCount)
  }

  /// Removes the files of a segment that was never flushed (after an error).
  func abandon() {
    for f in SegmentFile.allCases { FileSystem.remove(f.path(in: directory, segment: name)) }
  }
}
