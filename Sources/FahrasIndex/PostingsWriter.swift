import FahrasStorage

/// Where a term's postings live, as recorded in the term dictionary.
public struct TermInfo: Sendable, Equatable {
  public var docFreq: Int
  /// Sum of the term's (weighted) frequencies over all documents.
  public var totalTermFreq: UInt64
  /// Offset of the term's postings in the `.post` file (unused when `docFreq == 1`: inlined).
  public var postOffset: UInt64
  /// Offset of the term's first positions block in the `.pos` file (for fields without positions,
  /// the current end of `.pos`, so offsets stay monotonic for the dictionary's delta coding).
  public var posOffset: UInt64
  /// The single document and its frequency when `docFreq == 1`.
  public var inlineDoc: UInt32
  public var inlineTf: UInt32
  /// The postings at `postOffset` were written for an earlier term (of field 0, `$text`) whose
  /// documents and frequencies are identical; their block impacts carry that field's lengths.
  public var sharedPostings: Bool
  /// For a *derived* list (`docs/FORMAT.md` §8, "Derived lists"): the offset in `.post` of the
  /// `$text` list it selects its documents from, and that list's document frequency (0 when the
  /// list is not derived).
  public var baseOffset: UInt64
  public var baseDocFreq: Int

  public init(
    docFreq: Int, totalTermFreq: UInt64, postOffset: UInt64, posOffset: UInt64,
    inlineDoc: UInt32 = 0,
    inlineTf: UInt32 = 0, sharedPostings: Bool = false, baseOffset: UInt64 = 0,
    baseDocFreq: Int = 0
  ) {
    self.docFreq = docFreq
    self.totalTermFreq = totalTermFreq
    self.postOffset = postOffset
    self.posOffset = posOffset
    self.inlineDoc = inlineDoc
    self.inlineTf = inlineTf
    self.sharedPostings = sharedPostings
    self.baseOffset = baseOffset
    self.baseDocFreq = baseDocFreq
  }

  /// The list is stored as a selection from another term's list (`baseOffset`).
  public var isDerived: Bool { baseDocFreq > 0 }
}

/// How a term takes part in postings sharing between `$text` and `$light` (`PostingsWriter`).
enum PostingsSharing {
  /// Written as usual, not remembered.
  case none
  /// Written as usual and remembered, so a later term with the same list can point at it.
  case offer
  /// Points at a remembered list with the same documents and frequencies when there is one.
  case reuse
}

/// A `$text` list, already written, that the next `$light` list may be derived from
/// (`docs/FORMAT.md` §8, "Derived lists"): its documents and frequencies as written, and its offset.
/// `docs`/`tfs` may be a window of the list (a merge reads only the part spanning the new term's
/// documents): `docFreq` is the whole list's.
struct DerivedBase {
  var docs: UnsafeBufferPointer<UInt32>
  var tfs: UnsafeBufferPointer<UInt32>
  var offset: UInt64
  var docFreq: Int
}

/// Identifies a posting list by its documents and frequencies: two independent 64-bit hashes of the
/// (doc, frequency) sequence plus its length and total frequency.
struct PostingListKey: Hashable {
  var a: UInt64
  var b: UInt64
  var docFreq: Int
  var totalTermFreq: UInt64
}

/// Writes the postings (`.post`) and positions (`.pos`) of one term after another.
///
/// Call `startTerm`, then `add` once per document in increasing doc order, then `finishTerm`.
/// The byte layout is specified in `docs/FORMAT.md` ("Postings" and "Positions").
final class PostingsWriter {
  private let post: FileWriter
  private let pos: FileWriter?
  private var hasPositions = false

  // Block buffers: plain memory owned by this writer (no copy-on-write or exclusivity checks).
  private let docs = UnsafeMutablePointer<UInt32>.allocate(capacity: Segment.blockSize)
  private let tfs = UnsafeMutablePointer<UInt32>.allocate(capacity: Segment.blockSize)
  private let dls = UnsafeMutablePointer<UInt32>.allocate(capacity: Segment.blockSize)
  private let posCounts = UnsafeMutablePointer<UInt32>.allocate(capacity: Segment.blockSize)
  private let scratch = UnsafeMutablePointer<UInt32>.allocate(capacity: Segment.blockSize)
  private let tfDeltas = UnsafeMutablePointer<UInt32>.allocate(capacity: Segment.blockSize)
  private var positions: [UInt32] = []
  private var n = 0

  private var blocks = ByteWriter(capacity: 1 << 16)
  private var skip = ByteWriter()
  private var termImpacts: [Impact] = []
  private var blockImpacts: [Impact] = []
  private var posBlock = ByteWriter(capacity: 1 << 12)

  private var docFreq = 0
  private var totalTermFreq: UInt64 = 0
  private var prevDoc: Int64 = -1
  private var lastSkipDoc: Int64 = -1
  private var posStart: UInt64 = 0

  // A derived encoding of the term, built next to the usual one while the term's documents stay a
  // selection of `base`'s with frequencies no larger (`derivedValid`); the smaller one is written.
  private var base: DerivedBase?
  private var derivedValid = false
  /// At most how many documents the term will have (`startTerm`'s `mostDocFreq`).
  private var mostDocFreq = Int.max
  /// Index in `base` after the last document matched.
  private var baseNext = 0
  private var derivedBlocks = ByteWriter(capacity: 1 << 12)
  private var derivedSkip = ByteWriter()

  private var sharing = PostingsSharing.none
  private var hashA: UInt64 = 0
  private var hashB: UInt64 = 0
  /// Lists offered for sharing: key → offset in `.post`.
  private var offered: [PostingListKey: UInt64] = [:]

  init(post: FileWriter, pos: FileWriter?) {
    self.post = post
    self.pos = pos
  }

  deinit {
    docs.deallocate()
    tfs.deallocate()
    dls.deallocate()
    posCounts.deallocate()
    scratch.deallocate()
    tfDeltas.deallocate()
  }

  /// Longest list stored as a derived list (`Segment.derivedLimit(maxDoc:compact:)`), except for
  /// dense selections when `derivedDense` (`Segment.derives`).
  var derivedLimit = Int.max
  var derivedDense = false

  /// Mean field length of the segment, used to choose which impact pairs to merge.
  var averageLength: Double = 0

  /// Starts a term. `sharing`: whether the term's list is remembered for, or may reuse, an
  /// identical earlier list. Reuse is only valid for a field without positions whose every document
  /// length is at least the offering field's (so the offered block impacts still bound its scores):
  /// `$light` after `$text`.
  /// `base`: a list of the same segment (written earlier) whose documents may contain all of this
  /// term's, each with at least its frequency; the list is then stored as a selection from it when
  /// that is smaller and `base` is at most `Segment.derivedSpread` times longer. Only for fields
  /// without positions.
  func startTerm(
    hasPositions: Bool, averageLength: Double = 0, sharing: PostingsSharing = .none,
    base: DerivedBase? = nil, mostDocFreq: Int = Int.max
  ) {
    self.mostDocFreq = mostDocFreq
    self.averageLength = averageLength
    self.hasPositions = hasPositions && pos != nil
    self.sharing = sharing
    precondition(base == nil || !self.hasPositions, "a list with positions cannot be derived")
    self.base = base
    derivedValid = base != nil && base!.docFreq >= 2
    baseNext = 0
    derivedBlocks.removeAll()
    derivedSkip.removeAll()
    hashA = 0x243F_6A88_85A3_08D3
    hashB = 0x1319_8A2E_0370_7344
    n = 0
    docFreq = 0
    totalTermFreq = 0
    prevDoc = -1
    lastSkipDoc = -1
    positions.removeAll(keepingCapacity: true)
    blocks.removeAll()
    skip.removeAll()
    termImpacts.removeAll(keepingCapacity: true)
    posStart = UInt64(pos?.position ?? 0)
  }

  /// Adds one document. `positions` must be sorted ascending (empty for fields without positions).
  func add(doc: UInt32, tf: UInt32, dl: UInt32, positions docPositions: UnsafeBufferPointer<UInt32>)
    throws(StorageError)
  {
    docs[n] = doc
    tfs[n] = max(tf, 1)
    dls[n] = dl
    if sharing != .none {
      let v = UInt64(doc) << 32 | UInt64(tfs[n])
      hashA = Self.mix(hashA &+ v)
      hashB = (hashB ^ v) &* 0x9E37_79B9_7F4A_7C15
      hashB = hashB << 29 | hashB >> 35
    }
    if hasPositions {
      // The format derives a document's number of positions from its frequency (see
      // `writePositionsBlock`): between 1 and the frequency positions per document.
      guard docPositions.count >= 1, docPositions.count <= max(tf, 1) else {
        throw .corrupt(
          file: post.path,
          detail: "document \(doc) given \(docPositions.count) positions for frequency \(tf)")
      }
      posCounts[n] = UInt32(docPositions.count)
      positions.append(contentsOf: docPositions)
    }
    n += 1
    docFreq += 1
    totalTermFreq += UInt64(max(tf, 1))
    if n == Segment.blockSize { try flushFullBlock() }
  }

  private func flushFullBlock() throws(StorageError) {
    let start = blocks.count
    // Doc deltas.
    var prev = prevDoc
    for i in 0..<n {
      scratch[i] = UInt32(Int64(docs[i]) - prev - 1)
      prev = Int64(docs[i])
    }
    packBlock(&blocks, count: n)
    for i in 0..<n { scratch[i] = tfs[i] - 1 }
    packBlock(&blocks, count: n)
    let posBytes = try writePositionsBlock()
    let derivedBytes = encodeDerivedBlock()
    recordSkip(docBytes: blocks.count - start, posBytes: posBytes, derivedBytes: derivedBytes)
    prevDoc = Int64(docs[n - 1])
    n = 0
  }

  /// Appends the buffered documents to `derivedBlocks` as a selection from `base`; returns the
  /// bytes written (0 once the term is known not to be a selection from `base`).
  /// `DerivedBlock(n) --> FirstDocDelta VInt, Patched(n − 1) of Gap, Patched(n) of TfDelta`.
  private func encodeDerivedBlock() -> Int {
    guard derivedValid, let base, n > 0 else { return 0 }
    // A list that can no longer be written derived: stop encoding it that way.
    guard
      Segment.mayDerive(
        docFreq: docFreq, mostDocFreq: mostDocFreq, baseDocFreq: base.docFreq,
        limit: derivedLimit, dense: derivedDense)
    else {
      derivedValid = false
      return 0
    }
    let start = derivedBlocks.count
    // The first document is found by binary search, the others by walking the base forwards.
    var lo = baseNext
    var hi = base.docs.count
    while lo < hi {
      let mid = (lo + hi) >> 1
      if base.docs[mid] < docs[0] { lo = mid + 1 } else { hi = mid }
    }
    var k = lo
    for i in 0..<n {
      let from = k
      if i > 0 {
        while k < base.docs.count && base.docs[k] < docs[i] { k += 1 }
        scratch[i - 1] = UInt32(k - from)
      }
      guard k < base.docs.count, base.docs[k] == docs[i], max(base.tfs[k], 1) >= tfs[i] else {
        derivedValid = false
        return 0
      }
      tfDeltas[i] = max(base.tfs[k], 1) - tfs[i]
      k += 1
    }
    baseNext = k
    derivedBlocks.writeVInt(UInt64(Int64(docs[0]) - prevDoc - 1))
    packBlock(&derivedBlocks, count: n - 1)
    for i in 0..<n { scratch[i] = tfDeltas[i] }
    packBlock(&derivedBlocks, count: n)
    return derivedBlocks.count - start
  }

  /// Packs `scratch[0..<count]` with patched bit packing (`PatchedPacking`).
  private func packBlock(_ w: inout ByteWriter, count: Int) {
    PatchedPacking.encode(scratch, count: count, into: &w)
  }

  /// Writes the block's skip entry, and the derived encoding's (`derivedBytes` in place of
  /// `docBytes`) while that encoding is valid.
  private func recordSkip(docBytes: Int, posBytes: Int, derivedBytes: Int) {
    let last = Int64(docs[n - 1])
    let delta = UInt64(last - lastSkipDoc)
    lastSkipDoc = last
    blockImpacts.removeAll(keepingCapacity: true)
    for i in 0..<n { blockImpacts.append(Impact(tf: tfs[i], dl: dls[i])) }
    let front = Impacts.front(
      blockImpacts, cap: Impacts.maxPairsPerBlock, averageLength: averageLength)
    func entry(_ w: inout ByteWriter, _ bytes: Int) {
      w.writeVInt(delta)
      w.writeVInt(bytes)
      w.writeVInt(posBytes)
      Self.writeImpacts(front, into: &w)
    }
    entry(&skip, docBytes)
    if derivedValid { entry(&derivedSkip, derivedBytes) }
    termImpacts.append(contentsOf: front)
  }

  /// `Count u8, <TfDelta VInt, Dl VInt>^Count`: impact pairs, tf delta-coded from 0.
  private static func writeImpacts(_ front: [Impact], into w: inout ByteWriter) {
    w.writeUInt8(UInt8(front.count))
    var prevTf: UInt32 = 0
    for p in front {
      w.writeVInt(p.tf - prevTf)
      prevTf = p.tf
      w.writeVInt(p.dl)
    }
  }

  /// Writes the positions of the buffered documents as one block; returns its size in bytes.
  private func writePositionsBlock() throws(StorageError) -> Int {
    guard hasPositions, let pos else { return 0 }
    var w = posBlock
    posBlock = ByteWriter()
    w.removeAll()
    defer { posBlock = w }
    // Per document, frequency minus number of positions: 0 except for title occurrences (which
    // count TitleWeight in the frequency but once in the positions), so it packs to almost nothing.
    for i in 0..<n { scratch[i] = tfs[i] &- posCounts[i] }
    packBlock(&w, count: n)
    // Deltas restart at every document.
    var idx = 0
    var chunk = 0
    for d in 0..<n {
      var prev: Int64 = -1
      for _ in 0..<Int(posCounts[d]) {
        let p = Int64(positions[idx])
        scratch[chunk] = UInt32(truncatingIfNeeded: p - prev - 1)
        prev = p
        idx += 1
        chunk += 1
        if chunk == Segment.blockSize {
          packBlock(&w, count: chunk)
          chunk = 0
        }
      }
    }
    if chunk > 0 { packBlock(&w, count: chunk) }
    positions.removeAll(keepingCapacity: true)
    try pos.write(w)
    return w.count
  }

  /// Ends the term and returns where it was written.
  func finishTerm() throws(StorageError) -> TermInfo {
    precondition(docFreq > 0)
    if docFreq == 1 {
      let info = TermInfo(
        docFreq: 1, totalTermFreq: totalTermFreq, postOffset: 0, posOffset: posStart,
        inlineDoc: docs[0], inlineTf: tfs[0])
      _ = try writePositionsBlock()
      n = 0
      return info
    }
    let key = PostingListKey(a: hashA, b: hashB, docFreq: docFreq, totalTermFreq: totalTermFreq)
    if sharing == .reuse, let offset = offered[key] {
      precondition(!hasPositions, "a list with positions cannot reuse another's")
      n = 0
      return TermInfo(
        docFreq: docFreq, totalTermFreq: totalTermFreq, postOffset: offset, posOffset: posStart,
        sharedPostings: true)
    }
    let postOffset = UInt64(post.position)
    if sharing == .offer { offered[key] = postOffset }
    if docFreq < Segment.blockSize {
      // A single tail block, no skip data.
      var w = ByteWriter(capacity: n * 3)
      encodeTail(&w)
      _ = try writePositionsBlock()
      _ = encodeDerivedBlock()
      n = 0
      if let base = derivedBase(plainBytes: w.count) {
        try post.write(derivedBlocks)
        return derivedInfo(postOffset, base)
      }
      try post.write(w)
    } else {
      if n > 0 {
        let start = blocks.count
        encodeTail(&blocks)
        let posBytes = try writePositionsBlock()
        let derivedBytes = encodeDerivedBlock()
        recordSkip(docBytes: blocks.count - start, posBytes: posBytes, derivedBytes: derivedBytes)
        n = 0
      }
      var header = ByteWriter()
      let front = Impacts.front(
        termImpacts, cap: Impacts.maxPairsPerTerm, averageLength: averageLength)
      var impacts = ByteWriter()
      Self.writeImpacts(front, into: &impacts)
      if let base = derivedBase(plainBytes: skip.count + blocks.count) {
        header.writeVInt(impacts.count + derivedSkip.count)
        header.writeBytes(impacts.bytes)
        try post.write(header)
        try post.write(derivedSkip)
        try post.write(derivedBlocks)
        return derivedInfo(postOffset, base)
      }
      header.writeVInt(impacts.count + skip.count)
      header.writeBytes(impacts.bytes)
      try post.write(header)
      try post.write(skip)
      try post.write(blocks)
    }
    return TermInfo(
      docFreq: docFreq, totalTermFreq: totalTermFreq, postOffset: postOffset, posOffset: posStart)
  }

  /// The base to derive the finished term from: when the derived encoding stayed valid, is smaller
  /// than the usual one (`plainBytes`, the parts that differ), and the base is not too long to walk.
  private func derivedBase(plainBytes: Int) -> DerivedBase? {
    guard derivedValid, let base,
      Segment.derives(
        docFreq: docFreq, baseDocFreq: base.docFreq, limit: derivedLimit, dense: derivedDense),
      derivedSkip.count + derivedBlocks.count < plainBytes
    else { return nil }
    return base
  }

  private func derivedInfo(_ postOffset: UInt64, _ base: DerivedBase) -> TermInfo {
    TermInfo(
      docFreq: docFreq, totalTermFreq: totalTermFreq, postOffset: postOffset, posOffset: posStart,
      baseOffset: base.offset, baseDocFreq: base.docFreq)
  }

  /// SplitMix64's finalizer.
  @inline(__always) private static func mix(_ x: UInt64) -> UInt64 {
    var z = x
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Variable-byte tail: per doc `(delta << 1) | (tf == 1)`, then tf when it is not 1.
  private func encodeTail(_ w: inout ByteWriter) {
    var prev = prevDoc
    for i in 0..<n {
      let delta = UInt64(Int64(docs[i]) - prev - 1)
      prev = Int64(docs[i])
      if tfs[i] == 1 {
        w.writeVInt(delta << 1 | 1)
      } else {
        w.writeVInt(delta << 1)
        w.writeVInt(tfs[i])
      }
    }
  }
}
