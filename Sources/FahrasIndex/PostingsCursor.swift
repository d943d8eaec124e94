import FahrasStorage

/// A document-at-a-time iterator over one term's postings in one segment, reading the mapped
/// `.post` / `.pos` bytes in place (layout: `docs/FORMAT.md`, "Postings" and "Positions").
///
/// `nextDoc()` and `advance(to:)` decode one 128-document block at a time; `shallowAdvance(to:)`
/// moves only through the skip data, so a block-max algorithm can look at the next block's impacts
/// (`blockLastDoc`, `blockImpacts`) without decoding it. Damaged bytes never trap: the cursor stops
/// (`doc == noMore`) and records `corruption`, which the searcher turns into an error.
public final class PostingsCursor {
  public static let noMore = UInt32.max

  let base: UnsafeRawPointer
  let size: Int
  let posBase: UnsafeRawPointer?
  let posSize: Int
  let fileName: String
  let posFileName: String
  public let docFreq: Int
  public let totalTermFreq: UInt64
  @usableFromInline let numBlocks: Int
  let hasPositions: Bool
  let maxDoc: Int
  /// For a derived list (`docs/FORMAT.md` §8, "Derived lists"): a cursor over the list it selects
  /// from, owned by this one, and that list's block table once a block was read out of order.
  private let baseCursor: PostingsCursor?
  private var baseTable: [BlockHandle]? = nil
  /// Offset of the list in `.post` (0 for an inlined single document).
  let listOffset: UInt64

  /// The current document, or `noMore`. Before the first `nextDoc()`/`advance` it is 0 with `idx == -1`.
  @usableFromInline var current: UInt32 = 0
  @inlinable public var doc: UInt32 {
    current
  }
  @usableFromInline let docs: UnsafeMutablePointer<UInt32>
  @usableFromInline let freqs: UnsafeMutablePointer<UInt32>
  @usableFromInline var count = 0
  @usableFromInline var idx = -1
  private var decodedBlock = -1
  private var decodedPosOffset = 0

  /// Skip state used for decoding: the entry of the block decoded last (or about to be).
  @usableFromInline private(set) var skip = SkipState()
  /// Skip state used by `shallowAdvance` and the block bounds: never behind `skip`.
  @usableFromInline private(set) var peek = SkipState()
  /// Skip state before the first skip entry of a long list (where `blockTable` starts reading).
  private var firstEntry = SkipState()
  /// The term's impacts over all its documents: `termImpactCount` pairs (at most
  /// `Impacts.maxPairsPerTerm`) kept in the cursor's buffer allocation.
  public private(set) var termImpactCount = 0
  private let termImpactStore: UnsafeMutablePointer<Impact>
  /// Room for one score per document of a block, for the caller's use (the search layer caches
  /// a block's scores there); valid while the cursor lives. The cursor never touches it.
  public let blockScoreBuffer: UnsafeMutablePointer<Float>
  /// The term's impact pairs (valid while the cursor lives).
  public var termImpacts: UnsafeBufferPointer<Impact> {
    UnsafeBufferPointer(start: termImpactStore, count: termImpactCount)
  }
  @inlinable public var blockImpactCount: Int { peek.impactCount }

  // Positions of the decoded block.
  private var posBuf: UnsafeMutablePointer<UInt32>
  private var posCap: Int
  private let posStarts: UnsafeMutablePointer<UInt32>
  private var posDecodedFor = -1
  // Lazy positions: a block's chunks of 128 deltas are decoded only when a document needs them,
  // in order (documents are visited in order). Chunks [posFirstChunk, posNextChunk) are decoded;
  // posNextOffset is where chunk posNextChunk starts; documents up to posConvertedDoc hold absolute
  // positions.
  private var posTotal = 0
  private var posChunksOffset = 0
  private var posFirstChunk = 0
  private var posNextChunk = 0
  private var posNextOffset = 0
  private var posConvertedDoc = -1
  private let scratch: UnsafeMutablePointer<UInt32>

  /// What is damaged, as "file: problem" (nil while the data decodes cleanly).
  public var corruption: String? { corruptDetail.map { "\(corruptFile): \($0)" } }
  /// The damaged file: the `.post` file, or the `.pos` file for positions damage.
  public private(set) var corruptFile: String = ""
  /// The problem found in `corruptFile`.
  public private(set) var corruptDetail: String?

  /// - Parameters:
  ///   - lengths: the field's per-document lengths (for the impacts of short lists), or nil.
  init(
    post: MappedFile, pos: MappedFile?, info: TermInfo, hasPositions: Bool,
    lengths: LengthArray?,
    maxDoc: Int
  ) {
    base = post.bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 16)!
    size = post.count
    posBase = pos?.bytes.baseAddress
    posSize = pos?.count ?? 0
    fileName = post.name
    posFileName = pos?.name ?? post.name
    docFreq = info.docFreq
    totalTermFreq = info.totalTermFreq
    self.hasPositions = hasPositions && posBase != nil
    numBlocks = (info.docFreq + Segment.blockSize - 1) / Segment.blockSize
    self.maxDoc = maxDoc
    // One allocation for the block buffers, the term impacts and the caller's block scores;
    // positions get theirs on first use. The impacts (pairs of UInt32) and the scores follow the
    // four arrays of UInt32.
    let b = Segment.blockSize
    let words = 4 * b + 1
    docs = .allocate(capacity: words + 2 * Impacts.maxPairsPerTerm + b)
    termImpactStore = UnsafeMutableRawPointer(docs + words).bindMemory(
      to: Impact.self, capacity: Impacts.maxPairsPerTerm)
    blockScoreBuffer = UnsafeMutableRawPointer(docs + words + 2 * Impacts.maxPairsPerTerm)
      .bindMemory(to: Float.self, capacity: b)
    freqs = docs + b
    scratch = docs + 2 * b
    posStarts = docs + 3 * b
    posCap = 0
    posBuf = docs
    decodedPosOffset = Int(info.posOffset)
    listOffset = info.docFreq > 1 ? info.postOffset : 0
    if info.isDerived && info.docFreq > 1 {
      baseCursor = PostingsCursor(
        post: post, pos: nil,
        info: TermInfo(
          docFreq: info.baseDocFreq, totalTermFreq: 0, postOffset: info.baseOffset, posOffset: 0),
        hasPositions: false, lengths: nil, maxDoc: maxDoc)
    } else {
      baseCursor = nil
    }
    if info.docFreq == 1 {
      docs[0] = info.inlineDoc
      freqs[0] = info.inlineTf
      count = 1
      decodedBlock = 0
      skip.block = 0
      skip.lastDoc = Int64(info.inlineDoc)
      let dl = Self.length(lengths, Int(info.inlineDoc), maxDoc)
      setTermImpacts(CollectionOfOne(Impact(tf: info.inlineTf, dl: dl)))
      peek = skip
      if Int(info.inlineDoc) >= maxDoc {
        fail("inlined document \(info.inlineDoc) beyond \(maxDoc)")
      }
    } else if info.docFreq < Segment.blockSize {
      skip.block = 0
      skip.docOffset = Int(info.postOffset)
      skip.docBytes = size - skip.docOffset
      skip.posOffset = Int(info.posOffset)
      if baseCursor != nil {
        decodeDerived(at: skip.docOffset, end: size, n: info.docFreq, prev: -1)
      } else {
        decodeTail(at: skip.docOffset, end: size, n: info.docFreq, prev: -1)
      }
      decodedBlock = 0
      if count > 0 { skip.lastDoc = Int64(docs[count - 1]) }
      var valid = count
      for i in 0..<count where Int(docs[i]) >= maxDoc {
        fail("document \(docs[i]) beyond \(maxDoc)")
        valid = i
        break
      }
      let pairs = (0..<valid).lazy.map {
        Impact(tf: self.freqs[$0], dl: Self.length(lengths, Int(self.docs[$0]), maxDoc))
      }
      setTermImpacts(Impacts.front(pairs, cap: Impacts.maxPairsPerBlock))
      peek = skip
    } else {
      var r = ByteReader(
        base: base, count: size, name: .dynamic(fileName), offset: Int(info.postOffset))
      do {
        let skipLen = try r.readVIntCount(limit: size)
        let skipStart = r.offset
        try r.require(skipLen)
        let n = Int(try r.readUInt8())
        guard n >= 1 && n <= Impacts.maxPairsPerTerm else {
          throw StorageError.corrupt(file: fileName, detail: "term impact count \(n)")
        }
        var tf: UInt32 = 0
        for i in 0..<n {
          tf &+= try r.readVInt32()
          termImpactStore[i] = Impact(tf: tf, dl: try r.readVInt32())
        }
        termImpactCount = n
        skip.reader = r.offset
        skip.docOffset = skipStart + skipLen
        skip.posOffset = Int(info.posOffset)
        peek = skip
        firstEntry = skip
      } catch {
        fail("\(error)")
      }
    }
  }

  /// Keeps `pairs` (at most `Impacts.maxPairsPerTerm`) as the term's impacts and as the only
  /// block's.
  private func setTermImpacts(_ pairs: some Collection<Impact>) {
    termImpactCount = 0
    for p in pairs.prefix(Impacts.maxPairsPerTerm) {
      termImpactStore[termImpactCount] = p
      termImpactCount += 1
    }
    skip.setImpacts(termImpacts)
  }

  deinit {
    if posCap > 0 { posBuf.deallocate() }
    docs.deallocate()
  }

  @inline(__always) static func length(_ lengths: LengthArray?, _ doc: Int, _ maxDoc: Int)
    -> UInt32
  {
    guard let lengths, doc < maxDoc else { return 0 }
    return lengths[doc: doc]
  }

  private func fail(_ what: String, inPositions: Bool = false) {
    if corruptDetail == nil {
      corruptFile = inPositions ? posFileName : fileName
      corruptDetail = what
    }
    current = PostingsCursor.noMore
    count = 0
    idx = 0
    skip.block = numBlocks
    skip.lastDoc = Int64(PostingsCursor.noMore)
    peek = skip
  }

  /// The i-th impact pair of the block under the shallow skip pointer (i < blockImpactCount).
  @inlinable public func blockImpact(_ i: Int) -> (tf: UInt32, dl: UInt32) {
    peek.impact(i)
  }

  /// Last document of the block under the shallow skip pointer (`noMore` past the end).
  @inlinable public var blockLastDoc: UInt32 {
    peek.block >= numBlocks ? PostingsCursor.noMore : UInt32(truncatingIfNeeded: peek.lastDoc)
  }

  @inlinable public var freq: UInt32 { freqs[idx] }

  // MARK: - Skip data

  /// Reads the entry after `state`'s; returns what is wrong with it, if anything.
  /// Callers call `fail` with the result only after the inout access to `state` has ended (`fail`
  /// rewrites both skip states).
  private func readNextSkip(_ state: inout SkipState) -> String? {
    state.block += 1
    if state.block >= numBlocks {
      // Past the last block: the previous block's end is the list's last document (so a state
      // that ran past the end still tells where the last block ends).
      if state.block == numBlocks { state.prevLastDoc = state.lastDoc }
      state.lastDoc = Int64(PostingsCursor.noMore)
      return nil
    }
    if readNextSkipFast(&state) { return nil }
    var r = ByteReader(base: base, count: size, name: .dynamic(fileName), offset: state.reader)
    do {
      let delta = try r.readVInt64()
      // At most MaxDoc: a larger (damaged) delta must not reach the Int64 conversion below.
      guard delta >= 1 && delta <= UInt64(maxDoc) else {
        throw StorageError.corrupt(
          file: fileName, detail: "skip entry \(state.block) has a last-document step of \(delta)")
      }
      let docBytes = try r.readVIntCount(limit: size)
      let posBytes = try r.readVIntCount(limit: Int(Int32.max))
      let n = Int(try r.readUInt8())
      guard n >= 1 && n <= 4 else {
        throw StorageError.corrupt(file: fileName, detail: "impact count \(n)")
      }
      var tf: UInt32 = 0
      for i in 0..<n {
        tf &+= try r.readVInt32()
        state.setImpact(i, tf: tf, dl: try r.readVInt32())
      }
      state.impactCount = n
      state.step(delta: delta, docBytes: docBytes, posBytes: posBytes, reader: r.offset)
      guard delta >= 1, state.lastDoc < Int64(maxDoc), state.docOffset + docBytes <= size else {
        throw StorageError.corrupt(file: fileName, detail: "skip entry \(state.block) out of range")
      }
      return nil
    } catch {
      return "\(error)"
    }
  }

  /// The common case of `readNextSkip` (whose `block` it has already advanced): the entry lies at
  /// least `fastSkipWindow` bytes before the end of the file and each of its VInts takes at most 5
  /// bytes, so it is read without per-byte bounds checks. It applies the same checks as the
  /// checked path; on anything unusual it returns false with `state`'s position untouched (its
  /// impact pairs may be overwritten, which the checked path rewrites), and the checked path reads
  /// the entry again and reports the problem. The state is updated field by field rather than
  /// through a copy: copying the whole state back was a quarter of the time of reading a list's
  /// skip data.
  @inline(__always) private func readNextSkipFast(_ state: inout SkipState) -> Bool {
    let start = state.reader
    guard start >= 0, start <= size - Self.fastSkipWindow else { return false }
    let p = base + start
    var o = 0
    let delta = Self.shortVInt(p, &o)
    let docBytes = Self.shortVInt(p, &o)
    let posBytes = Self.shortVInt(p, &o)
    let n = Int(p.load(fromByteOffset: o, as: UInt8.self))
    o += 1
    guard delta >= 1, delta <= UInt64(maxDoc), docBytes <= UInt64(size),
      posBytes <= UInt64(Int32.max), n >= 1, n <= 4
    else { return false }
    let lastDoc = state.lastDoc &+ Int64(delta)
    let docOffset = state.docOffset + state.docBytes
    guard lastDoc < Int64(maxDoc), docOffset + Int(docBytes) <= size else { return false }
    var tf: UInt32 = 0
    for i in 0..<n {
      let t = Self.shortVInt(p, &o)
      let dl = Self.shortVInt(p, &o)
      guard t <= UInt64(UInt32.max), dl <= UInt64(UInt32.max) else { return false }
      tf &+= UInt32(t)
      state.setImpact(i, tf: tf, dl: UInt32(dl))
    }
    state.impactCount = n
    state.step(delta: delta, docBytes: Int(docBytes), posBytes: Int(posBytes), reader: start + o)
    return true
  }

  /// Bytes a skip entry of 5-byte VInts can take at most: three VInts, the count, four pairs.
  static let fastSkipWindow = 3 * 5 + 1 + 8 * 5

  /// A VInt of at most 5 bytes at `p + o`; `UInt64.max` for a longer one (never a valid value
  /// here, so the caller's range checks reject it).
  @inline(__always) static func shortVInt(_ p: UnsafeRawPointer, _ o: inout Int) -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while shift < 35 {
      let b = UInt64(p.load(fromByteOffset: o, as: UInt8.self))
      o += 1
      result |= (b & 0x7F) << shift
      if b < 0x80 { return result }
      shift += 7
    }
    return UInt64.max
  }

  /// Moves the shallow skip pointer to the block that may contain `target`, without decoding and
  /// without moving the current document. Returns that block's last document (`noMore` when no
  /// block can contain it).
  /// The common case, a target inside the block the shallow pointer is on, is inlined into callers.
  @inlinable @discardableResult
  public func shallowAdvance(to target: UInt32) -> UInt32 {
    let p = peek
    if p.block >= 0 && p.block < numBlocks && p.lastDoc >= Int64(target) && p.block >= skip.block
      && docFreq >= Segment.blockSize
    {
      return UInt32(truncatingIfNeeded: p.lastDoc)
    }
    return shallowAdvanceSlow(to: target)
  }

  @usableFromInline func shallowAdvanceSlow(to target: UInt32) -> UInt32 {
    if docFreq < Segment.blockSize {
      return Int64(target) <= skip.lastDoc
        ? UInt32(truncatingIfNeeded: skip.lastDoc) : PostingsCursor.noMore
    }
    if peek.block < skip.block { peek = skip }
    while peek.block < numBlocks && (peek.block < 0 || peek.lastDoc < Int64(target)) {
      if let e = readNextSkip(&peek) { fail(e) }
    }
    return blockLastDoc
  }

  // MARK: - Blocks out of order

  /// One block of the list as its skip entry describes it, for visiting blocks out of document
  /// order: `blockTable()` lists them, `seek(to:)` decodes one.
  public struct BlockHandle {
    /// The first document the block can hold (one past the previous block's last document).
    public let firstDoc: UInt32
    /// The block's last document.
    public let lastDoc: UInt32
    @usableFromInline let state: SkipState

    /// Number of impact pairs bounding the block's (tf, dl) (§8 of docs/FORMAT.md).
    @inlinable public var impactCount: Int { state.impactCount }
    /// The i-th impact pair (i < impactCount).
    @inlinable public func impact(_ i: Int) -> (tf: UInt32, dl: UInt32) { state.impact(i) }
  }

  /// Every block of the list, in document order, read from the skip data (a list shorter than a
  /// block is one block, decoded at open). Empty when the skip data are damaged: the cursor then
  /// records the corruption and stops, as `advance` would.
  public func blockTable() -> [BlockHandle] {
    guard corruptDetail == nil else { return [] }
    if docFreq < Segment.blockSize {
      guard count > 0 else { return [] }
      return [BlockHandle(firstDoc: docs[0], lastDoc: docs[count - 1], state: skip)]
    }
    var table: [BlockHandle] = []
    table.reserveCapacity(numBlocks)
    var state = firstEntry
    while true {
      if let e = readNextSkip(&state) {
        fail(e)
        return []
      }
      if state.block >= numBlocks { break }
      table.append(
        BlockHandle(
          firstDoc: UInt32(truncatingIfNeeded: state.prevLastDoc &+ 1),
          lastDoc: UInt32(truncatingIfNeeded: state.lastDoc), state: state))
    }
    return table
  }

  /// For a derived list read out of order: `table` is `stem.blockTable()`, and when `stem` reads
  /// this list's base list, moving the base out of its decoded block (backwards or forwards) uses
  /// it instead of the base's own skip data. Building a second table, or reading skip entries one
  /// by one to a far block, cost a long base as much as the rest of a single-word query.
  public func shareBaseBlockTable(_ table: [BlockHandle], of stem: PostingsCursor) {
    guard let b = baseCursor, baseTable == nil, b.listOffset == stem.listOffset,
      b.docFreq == stem.docFreq, b.fileName == stem.fileName, table.count == b.numBlocks
    else { return }
    baseTable = table
  }

  /// Decodes `block` (from this cursor's `blockTable()`) and moves to its first document, backwards
  /// or forwards; `advance` and `nextDoc` then go on from there. Returns the document.
  public func seek(to block: BlockHandle) -> UInt32 {
    guard corruptDetail == nil else { return PostingsCursor.noMore }
    if docFreq >= Segment.blockSize {
      skip = block.state
      peek = block.state
      if decodedBlock != block.state.block {
        decodeCurrentSkipBlock()
        guard corruptDetail == nil else { return PostingsCursor.noMore }
      }
    }
    guard count > 0 else {
      current = PostingsCursor.noMore
      return current
    }
    idx = 0
    current = docs[0]
    return current
  }

  // MARK: - Decoding

  private func decodeCurrentSkipBlock() {
    let n =
      skip.block == numBlocks - 1 ? docFreq - skip.block * Segment.blockSize : Segment.blockSize
    let end = skip.docOffset + skip.docBytes
    if baseCursor != nil {
      decodeDerived(at: skip.docOffset, end: end, n: n, prev: skip.prevLastDoc)
      if count > 0 && Int64(docs[count - 1]) != skip.lastDoc {
        return fail("derived block \(skip.block) does not end at its skip entry's last document")
      }
    } else if n == Segment.blockSize {
      var off = skip.docOffset
      guard unpack(&off, end: end, n: n, into: docs), unpack(&off, end: end, n: n, into: freqs)
      else {
        return fail("block \(skip.block) overruns its bytes")
      }
      var prev = skip.prevLastDoc
      var leastFreq = UInt32.max
      for i in 0..<n {
        let d = prev &+ Int64(docs[i]) &+ 1
        docs[i] = UInt32(truncatingIfNeeded: d)
        prev = d
        freqs[i] &+= 1
        leastFreq = min(leastFreq, freqs[i])
      }
      if prev != skip.lastDoc {
        return fail("block \(skip.block) does not end at its skip entry's last document")
      }
      // A stored `Freq − 1` of 2^32 − 1 wraps to 0.
      if leastFreq == 0 { return fail("block \(skip.block) holds a frequency of 0") }
      count = n
    } else {
      decodeTail(at: skip.docOffset, end: end, n: n, prev: skip.prevLastDoc)
      if count > 0 && Int64(docs[count - 1]) != skip.lastDoc {
        return fail("tail block does not end at its skip entry's last document")
      }
    }
    decodedBlock = skip.block
    decodeGeneration &+= 1
    decodedPosOffset = skip.posOffset
    posDecodedFor = -1
    idx = -1
  }

  @inline(__always)
  private func unpack(_ off: inout Int, end: Int, n: Int, into out: UnsafeMutablePointer<UInt32>)
    -> Bool
  {
    PatchedPacking.decode(from: base, offset: &off, end: end, count: n, into: out)
  }

  private func decodeTail(at start: Int, end: Int, n: Int, prev: Int64) {
    var r = ByteReader(base: base, count: end, name: .dynamic(fileName), offset: start)
    var prev = prev
    do {
      for i in 0..<n {
        let v = try r.readVInt64()
        // A damaged delta must neither wrap `prev` below zero nor pass the segment's end.
        guard v >> 1 < UInt64(maxDoc) else {
          throw StorageError.corrupt(file: fileName, detail: "document delta \(v >> 1) too large")
        }
        prev = prev &+ Int64(v >> 1) &+ 1
        guard prev >= 0, prev < Int64(maxDoc) else {
          throw StorageError.corrupt(
            file: fileName, detail: "document \(prev) beyond the segment's \(maxDoc)")
        }
        docs[i] = UInt32(prev)
        if v & 1 != 0 {
          freqs[i] = 1
        } else {
          // An explicit frequency is always 2 or more: 1 has the flag, and 0 does not exist.
          let f = try r.readVInt32()
          guard f >= 2 else {
            throw StorageError.corrupt(file: fileName, detail: "explicit frequency \(f) below 2")
          }
          freqs[i] = f
        }
      }
      count = n
    } catch {
      fail("\(error)")
    }
  }

  /// Decodes a derived block of `n` documents (`DerivedBlock`, `docs/FORMAT.md` §8): its first
  /// document, then how many entries of the base list each next document lies past the previous
  /// one, then each frequency as the base's minus a delta.
  private func decodeDerived(at start: Int, end: Int, n: Int, prev: Int64) {
    guard let b = baseCursor, n >= 1 else { return fail("derived list without its base list") }
    var r = ByteReader(base: base, count: end, name: .dynamic(fileName), offset: start)
    let first: Int64
    do {
      let delta = try r.readVInt64()
      guard delta < UInt64(maxDoc), prev &+ Int64(delta) &+ 1 < Int64(maxDoc) else {
        throw StorageError.corrupt(file: fileName, detail: "document delta \(delta) too large")
      }
      first = prev &+ Int64(delta) &+ 1
    } catch {
      return fail("\(error)")
    }
    var off = r.offset
    guard unpack(&off, end: end, n: n - 1, into: scratch), unpack(&off, end: end, n: n, into: freqs)
    else {
      return fail("derived block \(skip.block) overruns its bytes")
    }
    positionBase(b, at: UInt32(first))
    guard b.current == UInt32(first), b.idx >= 0, b.idx < b.count else {
      if let bad = b.corruptDetail { return fail(bad) }
      return fail("document \(first) of a derived list is not in its base list")
    }
    // The base's decoded block is read through locals (its buffers stay put; `nextBlockDoc`
    // refills them and the count).
    let baseDocs = b.docs
    let baseFreqs = b.freqs
    var at = b.idx
    var baseCount = b.count
    var i = 0
    while true {
      let baseTf = baseFreqs[at]
      guard freqs[i] < baseTf else {
        return fail("derived frequency delta \(freqs[i]) not below its base's \(baseTf)")
      }
      docs[i] = baseDocs[at]
      freqs[i] = baseTf &- freqs[i]
      i += 1
      if i == n { break }
      // Move `gap + 1` entries along the base, decoding its next blocks as needed.
      at += Int(scratch[i - 1]) &+ 1
      while at >= baseCount {
        at -= baseCount
        b.idx = baseCount
        guard b.nextBlockDoc() != PostingsCursor.noMore else {
          if let bad = b.corruptDetail { return fail(bad) }
          return fail("derived block \(skip.block) runs past the end of its base list")
        }
        baseCount = b.count
      }
    }
    b.idx = at
    b.current = baseDocs[at]
    count = n
  }

  /// Moves the base cursor of a derived list to the first document >= `target`, backwards too: a
  /// block read out of order (`seek(to:)`) may start before where the base cursor stands. Going
  /// back uses the base's block table, read once; once the table is there (or shared, see
  /// `shareBaseBlockTable`), a jump forward out of the decoded block uses it too, instead of
  /// reading the skip entries in between.
  private func positionBase(_ b: PostingsCursor, at target: UInt32) {
    let back = b.idx >= 0 && (b.idx >= b.count || b.current > target)
    if b.docFreq < Segment.blockSize {
      if back { b.idx = -1 }
    } else if back
      || (baseTable != nil && (b.idx < 0 || b.count == 0 || target > b.docs[b.count - 1]))
    {
      if baseTable == nil { baseTable = b.blockTable() }
      let table = baseTable!
      var lo = 0
      var hi = table.count
      while lo < hi {
        let mid = (lo + hi) >> 1
        if table[mid].lastDoc < target { lo = mid + 1 } else { hi = mid }
      }
      guard lo < table.count else { return }
      _ = b.seek(to: table[lo])
    }
    _ = b.advance(to: target)
  }

  // MARK: - Iteration

  /// Moves to the next document; returns it or `noMore`.
  @inlinable
  public func nextDoc() -> UInt32 {
    idx += 1
    if idx < count {
      let d = docs[idx]
      current = d
      return d
    }
    return nextBlockDoc()
  }

  // MARK: - Bulk access to the decoded block (for scoring a block in one pass)

  /// Changes whenever another block is decoded (so per-block caches know when to refresh).
  public private(set) var decodeGeneration = 0

  /// The decoded block's documents and frequencies, and the cursor's index in them: entries
  /// `index..<count` are the current document and the ones after it in this block. Valid until the
  /// cursor moves to another block.
  public var blockEntries:
    (docs: UnsafePointer<UInt32>, freqs: UnsafePointer<UInt32>, index: Int, count: Int)
  {
    (UnsafePointer(docs), UnsafePointer(freqs), idx, count)
  }

  /// Moves to entry `index` of the decoded block (forward only; `index == count` leaves the cursor
  /// past the block, so that the next `advance` decodes another block).
  public func moveInBlock(to index: Int) {
    guard index > idx, idx >= 0 else { return }
    if index < count {
      idx = index
      current = docs[index]
    } else {
      idx = count
      current = count > 0 ? docs[count - 1] : current
    }
  }

  /// Decodes the block after the decoded one and moves to its first document.
  @usableFromInline func nextBlockDoc() -> UInt32 {
    idx = count
    guard corruptDetail == nil, docFreq >= Segment.blockSize, skip.block + 1 < numBlocks else {
      current = PostingsCursor.noMore
      return doc
    }
    if let e = readNextSkip(&skip) { fail(e) }
    guard corruptDetail == nil else { return PostingsCursor.noMore }
    decodeCurrentSkipBlock()
    guard corruptDetail == nil, count > 0 else {
      current = PostingsCursor.noMore
      return doc
    }
    idx = 0
    current = docs[0]
    return doc
  }

  /// Moves to the first document >= target (never backwards); returns it or `noMore`.
  /// The common case, a target inside the decoded block, is inlined into callers.
  @inlinable
  public func advance(to target: UInt32) -> UInt32 {
    if idx >= 0 && idx < count && docs[count - 1] >= target {
      var i = idx
      while docs[i] < target { i += 1 }
      idx = i
      let d = docs[i]
      current = d
      return d
    }
    return advanceSlow(to: target)
  }

  @usableFromInline func advanceSlow(to target: UInt32) -> UInt32 {
    if idx >= 0 && idx < count && doc >= target { return doc }
    if corruptDetail != nil { return PostingsCursor.noMore }
    if docFreq >= Segment.blockSize && (skip.block < 0 || skip.lastDoc < Int64(target)) {
      // Jump with the shallow pointer when it already found the block.
      if peek.block > skip.block && peek.lastDoc >= Int64(target)
        && (peek.block == 0 || peek.prevLastDoc < Int64(target))
      {
        skip = peek
      } else {
        if peek.block > skip.block && peek.lastDoc < Int64(target) { skip = peek }
        while skip.block < numBlocks && (skip.block < 0 || skip.lastDoc < Int64(target)) {
          if let e = readNextSkip(&skip) { fail(e) }
        }
      }
      if skip.block >= numBlocks || corruptDetail != nil {
        current = PostingsCursor.noMore
        idx = count
        return doc
      }
      decodeCurrentSkipBlock()
      if corruptDetail != nil { return PostingsCursor.noMore }
      idx = 0
    } else if idx < 0 {
      idx = 0
    }
    while idx < count && docs[idx] < target { idx += 1 }
    if idx < count {
      current = docs[idx]
      return doc
    }
    // Only possible at the end of the last block.
    current = PostingsCursor.noMore
    return doc
  }

  // MARK: - Positions

  /// Positions of the current document, ascending. Valid until the cursor moves.
  public func positions() -> UnsafeBufferPointer<UInt32> {
    guard hasPositions, idx >= 0, idx < count, corruptDetail == nil else {
      return UnsafeBufferPointer(start: posBuf, count: 0)
    }
    if posDecodedFor != decodedBlock {
      decodePositions()
      if corruptDetail != nil { return UnsafeBufferPointer(start: posBuf, count: 0) }
    }
    let s = Int(posStarts[idx])
    let e = Int(posStarts[idx + 1])
    if idx != posConvertedDoc {
      if idx < posConvertedDoc || s / Segment.blockSize < posFirstChunk {
        // Visited out of order (never by the searcher): start the block's chunks over.
        posFirstChunk = 0
        posNextChunk = 0
        posNextOffset = posChunksOffset
        posConvertedDoc = -1
      }
      guard decodeChunks(from: s / Segment.blockSize, through: (e - 1) / Segment.blockSize) else {
        fail("positions block overruns the file", inPositions: true)
        return UnsafeBufferPointer(start: posBuf, count: 0)
      }
      var prev: Int64 = -1
      for i in s..<e {
        prev = prev &+ Int64(posBuf[i]) &+ 1
        posBuf[i] = UInt32(truncatingIfNeeded: prev)
      }
      posConvertedDoc = idx
    }
    return UnsafeBufferPointer(start: posBuf + s, count: e - s)
  }

  /// Makes chunks `first...last` of the current positions block available in `posBuf`, skipping
  /// (without decoding) the chunks before `first` that were not needed.
  private func decodeChunks(from first: Int, through last: Int) -> Bool {
    guard let posBase else { return false }
    let chunk = Segment.blockSize
    if first > posNextChunk || first < posFirstChunk { posFirstChunk = first }
    while posNextChunk < first {
      let n = min(chunk, posTotal - posNextChunk * chunk)
      guard PatchedPacking.skip(from: posBase, offset: &posNextOffset, end: posSize, count: n)
      else { return false }
      posNextChunk += 1
    }
    while posNextChunk <= last {
      let n = min(chunk, posTotal - posNextChunk * chunk)
      guard
        PatchedPacking.decode(
          from: posBase, offset: &posNextOffset, end: posSize, count: n,
          into: posBuf + posNextChunk * chunk)
      else { return false }
      posNextChunk += 1
    }
    return true
  }

  private func decodePositions() {
    guard let posBase else { return }
    var off = decodedPosOffset
    let end = posSize
    func unpackPos(_ n: Int, _ out: UnsafeMutablePointer<UInt32>) -> Bool {
      PatchedPacking.decode(from: posBase, offset: &off, end: end, count: n, into: out)
    }
    guard unpackPos(count, scratch) else {
      return fail("positions block overruns the file", inPositions: true)
    }
    var total = 0
    posStarts[0] = 0
    for i in 0..<count {
      // Stored: frequency minus number of positions, so at most the frequency.
      guard scratch[i] < freqs[i] else {
        return fail(
          "document without positions (frequency \(freqs[i]), \(scratch[i]) not positioned)",
          inPositions: true)
      }
      scratch[i] = freqs[i] &- scratch[i]
      total += Int(scratch[i])
      posStarts[i + 1] = UInt32(total)
    }
    // Every chunk of up to 128 positions takes at least one byte: bound before allocating.
    guard total <= (end - off) * Segment.blockSize else {
      return fail(
        "positions block claims \(total) positions, more than the file can hold", inPositions: true)
    }
    if total > posCap {
      if posCap > 0 { posBuf.deallocate() }
      posCap = max(total, posCap * 2, 256)
      posBuf = .allocate(capacity: posCap)
    }
    // The chunks themselves are decoded on demand (`decodeChunks`).
    posTotal = total
    posChunksOffset = off
    posFirstChunk = 0
    posNextChunk = 0
    posNextOffset = off
    posConvertedDoc = -1
    posDecodedFor = decodedBlock
  }
}

/// A position in a postings list's skip data: one block's entry, its offsets and impacts.
@usableFromInline struct SkipState {
  @usableFromInline var block = -1
  var reader = 0
  var prevLastDoc: Int64 = -1
  @usableFromInline var lastDoc: Int64 = -1
  var docOffset = 0
  var docBytes = 0
  var posOffset = 0
  var posBytes = 0
  @usableFromInline var impactCount = 0
  @usableFromInline var tfs: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
  @usableFromInline var dls: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)

  @usableFromInline init() {}

  /// Moves to the next entry, read up to `reader`: its last document `delta` past this one's, its
  /// block and positions block right after this one's.
  @inline(__always) mutating func step(delta: UInt64, docBytes: Int, posBytes: Int, reader: Int) {
    self.reader = reader
    prevLastDoc = lastDoc
    lastDoc = lastDoc &+ Int64(delta)
    docOffset += self.docBytes
    self.docBytes = docBytes
    posOffset += self.posBytes
    self.posBytes = posBytes
  }

  @inline(__always) mutating func setImpact(_ i: Int, tf: UInt32, dl: UInt32) {
    withUnsafeMutableBytes(of: &tfs) { $0.storeBytes(of: tf, toByteOffset: i * 4, as: UInt32.self) }
    withUnsafeMutableBytes(of: &dls) { $0.storeBytes(of: dl, toByteOffset: i * 4, as: UInt32.self) }
  }

  mutating func setImpacts(_ pairs: UnsafeBufferPointer<Impact>) {
    impactCount = min(pairs.count, 4)
    for i in 0..<impactCount { setImpact(i, tf: pairs[i].tf, dl: pairs[i].dl) }
  }

  @inlinable func impact(_ i: Int) -> (tf: UInt32, dl: UInt32) {
    let t = withUnsafeBytes(of: tfs) { $0.load(fromByteOffset: i * 4, as: UInt32.self) }
    let d = withUnsafeBytes(of: dls) { $0.load(fromByteOffset: i * 4, as: UInt32.self) }
    return (t, d)
  }
}
