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
  public let docFreq: Int
  public let totalTermFreq: UInt64
  let numBlocks: Int
  let hasPositions: Bool

  /// The current document, or `noMore`. Before the first `nextDoc()`/`advance` it is 0 with `idx == -1`.
  public private(set) var doc: UInt32 = 0
  private var docs: UnsafeMutablePointer<UInt32>
  private var freqs: UnsafeMutablePointer<UInt32>
  private var count = 0
  private var idx = -1
  private var decodedBlock = -1
  private var decodedPosOffset = 0

  // Skip state: the entry of block `sBlock`.
  private var sBlock = -1
  private var sReader: Int = 0
  private var sPrevLastDoc: Int64 = -1
  private var sLastDoc: Int64 = -1
  private var sDocOffset = 0
  private var sDocBytes = 0
  private var sPosOffset = 0
  private var sPosBytes = 0
  private var impTf: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
  private var impDl: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
  public private(set) var blockImpactCount = 0
  /// The term's impacts over all its documents.
  public private(set) var termImpacts: [Impact] = []

  // Positions of the decoded block.
  private var posBuf: UnsafeMutablePointer<UInt32>
  private var posCap: Int
  private var posStarts: UnsafeMutablePointer<UInt32>
  private var posDecodedFor = -1
  private var scratch: UnsafeMutablePointer<UInt32>

  public private(set) var corruption: String?

  /// - Parameters:
  ///   - lengths: the field's per-document lengths (for the impacts of short lists), or nil.
  init(
    post: MappedFile, pos: MappedFile?, info: TermInfo, hasPositions: Bool, lengths: UnsafeRawPointer?,
    maxDoc: Int
  ) {
    base = post.bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 16)!
    size = post.count
    posBase = pos?.bytes.baseAddress
    posSize = pos?.count ?? 0
    fileName = post.name
    docFreq = info.docFreq
    totalTermFreq = info.totalTermFreq
    self.hasPositions = hasPositions && posBase != nil
    numBlocks = (info.docFreq + Segment.blockSize - 1) / Segment.blockSize
    docs = .allocate(capacity: Segment.blockSize)
    freqs = .allocate(capacity: Segment.blockSize)
    scratch = .allocate(capacity: Segment.blockSize)
    posStarts = .allocate(capacity: Segment.blockSize + 1)
    posCap = 256
    posBuf = .allocate(capacity: posCap)
    decodedPosOffset = Int(info.posOffset)
    if info.docFreq == 1 {
      docs[0] = info.inlineDoc
      freqs[0] = info.inlineTf
      count = 1
      decodedBlock = 0
      sBlock = 0
      sLastDoc = Int64(info.inlineDoc)
      let dl = Self.length(lengths, Int(info.inlineDoc), maxDoc)
      termImpacts = [Impact(tf: info.inlineTf, dl: dl)]
      setBlockImpacts(termImpacts)
      if Int(info.inlineDoc) >= maxDoc { fail("inlined document \(info.inlineDoc) beyond \(maxDoc)") }
    } else if info.docFreq < Segment.blockSize {
      sBlock = 0
      sDocOffset = Int(info.postOffset)
      sDocBytes = size - sDocOffset
      sPosOffset = Int(info.posOffset)
      decodeTail(at: sDocOffset, end: size, n: info.docFreq, prev: -1)
      decodedBlock = 0
      if count > 0 { sLastDoc = Int64(docs[count - 1]) }
      var pairs: [Impact] = []
      pairs.reserveCapacity(count)
      for i in 0..<count {
        if Int(docs[i]) >= maxDoc {
          fail("document \(docs[i]) beyond \(maxDoc)")
          break
        }
        pairs.append(Impact(tf: freqs[i], dl: Self.length(lengths, Int(docs[i]), maxDoc)))
      }
      termImpacts = Impacts.front(&pairs, cap: Impacts.maxPairsPerBlock)
      setBlockImpacts(termImpacts)
    } else {
      var r = ByteReader(base: base, count: size, name: .dynamic(fileName), offset: Int(info.postOffset))
      do {
        let skipLen = try r.readVIntCount(limit: size)
        let skipStart = r.offset
        try r.require(skipLen)
        let n = Int(try r.readUInt8())
        var tf: UInt32 = 0
        for _ in 0..<n {
          tf &+= try r.readVInt32()
          termImpacts.append(Impact(tf: tf, dl: try r.readVInt32()))
        }
        sReader = r.offset
        sDocOffset = skipStart + skipLen
        sDocBytes = 0
        sPosOffset = Int(info.posOffset)
        sPosBytes = 0
      } catch {
        fail("\(error)")
      }
    }
  }

  deinit {
    docs.deallocate()
    freqs.deallocate()
    scratch.deallocate()
    posStarts.deallocate()
    posBuf.deallocate()
  }

  @inline(__always) static func length(_ lengths: UnsafeRawPointer?, _ doc: Int, _ maxDoc: Int) -> UInt32 {
    guard let lengths, doc < maxDoc else { return 0 }
    return UInt32(littleEndian: lengths.loadUnaligned(fromByteOffset: doc &* 4, as: UInt32.self))
  }

  private func fail(_ what: String) {
    if corruption == nil { corruption = "\(fileName): \(what)" }
    doc = PostingsCursor.noMore
    count = 0
    idx = 0
    sBlock = numBlocks
    sLastDoc = Int64(PostingsCursor.noMore)
  }

  private func setBlockImpacts(_ pairs: [Impact]) {
    blockImpactCount = min(pairs.count, 4)
    withUnsafeMutableBytes(of: &impTf) { t in
      withUnsafeMutableBytes(of: &impDl) { d in
        for i in 0..<blockImpactCount {
          t.storeBytes(of: pairs[i].tf, toByteOffset: i * 4, as: UInt32.self)
          d.storeBytes(of: pairs[i].dl, toByteOffset: i * 4, as: UInt32.self)
        }
      }
    }
  }

  /// The i-th impact pair of the block under the skip pointer (i < blockImpactCount).
  @inline(__always) public func blockImpact(_ i: Int) -> (tf: UInt32, dl: UInt32) {
    let t = withUnsafeBytes(of: impTf) { $0.load(fromByteOffset: i * 4, as: UInt32.self) }
    let d = withUnsafeBytes(of: impDl) { $0.load(fromByteOffset: i * 4, as: UInt32.self) }
    return (t, d)
  }

  /// Last document of the block under the skip pointer (`noMore` past the end).
  @inline(__always) public var blockLastDoc: UInt32 {
    sBlock >= numBlocks ? PostingsCursor.noMore : UInt32(truncatingIfNeeded: sLastDoc)
  }

  @inline(__always) public var freq: UInt32 { freqs[idx] }

  // MARK: - Skip data

  /// Reads the next skip entry (multi-block lists only).
  private func loadNextSkip() {
    sBlock += 1
    if sBlock >= numBlocks {
      sLastDoc = Int64(PostingsCursor.noMore)
      return
    }
    var r = ByteReader(base: base, count: size, name: .dynamic(fileName), offset: sReader)
    do {
      let delta = try r.readVInt64()
      let docBytes = try r.readVIntCount(limit: size)
      let posBytes = try r.readVIntCount(limit: Int(Int32.max))
      let n = Int(try r.readUInt8())
      guard n >= 1 && n <= 4 else { throw StorageError.corrupt(file: fileName, detail: "impact count \(n)") }
      var tf: UInt32 = 0
      for i in 0..<n {
        tf &+= try r.readVInt32()
        let dl = try r.readVInt32()
        withUnsafeMutableBytes(of: &impTf) { $0.storeBytes(of: tf, toByteOffset: i * 4, as: UInt32.self) }
        withUnsafeMutableBytes(of: &impDl) { $0.storeBytes(of: dl, toByteOffset: i * 4, as: UInt32.self) }
      }
      blockImpactCount = n
      sReader = r.offset
      sPrevLastDoc = sLastDoc
      sLastDoc = sLastDoc &+ Int64(delta)
      sDocOffset += sDocBytes
      sDocBytes = docBytes
      sPosOffset += sPosBytes
      sPosBytes = posBytes
      guard delta >= 1, sLastDoc < Int64(UInt32.max), sDocOffset + docBytes <= size else {
        throw StorageError.corrupt(file: fileName, detail: "skip entry \(sBlock) out of range")
      }
    } catch {
      fail("\(error)")
    }
  }

  /// Moves the skip pointer to the block that may contain `target` without decoding documents.
  /// Returns that block's last document (`noMore` when no block can contain it).
  @discardableResult
  public func shallowAdvance(to target: UInt32) -> UInt32 {
    if numBlocks <= 1 || docFreq < Segment.blockSize {
      return Int64(target) <= sLastDoc ? UInt32(truncatingIfNeeded: sLastDoc) : PostingsCursor.noMore
    }
    while sBlock < numBlocks && (sBlock < 0 || sLastDoc < Int64(target)) {
      loadNextSkip()
    }
    return blockLastDoc
  }

  // MARK: - Decoding

  private func decodeCurrentSkipBlock() {
    let n = sBlock == numBlocks - 1 ? docFreq - sBlock * Segment.blockSize : Segment.blockSize
    let end = sDocOffset + sDocBytes
    if n == Segment.blockSize {
      var off = sDocOffset
      guard unpack(&off, end: end, n: n, into: docs), unpack(&off, end: end, n: n, into: freqs) else {
        return fail("block \(sBlock) overruns its bytes")
      }
      var prev = sPrevLastDoc
      for i in 0..<n {
        let d = prev &+ Int64(docs[i]) &+ 1
        docs[i] = UInt32(truncatingIfNeeded: d)
        prev = d
        freqs[i] &+= 1
      }
      if prev != sLastDoc { return fail("block \(sBlock) does not end at its skip entry's last document") }
      count = n
    } else {
      decodeTail(at: sDocOffset, end: end, n: n, prev: sPrevLastDoc)
      if count > 0 && Int64(docs[count - 1]) != sLastDoc {
        return fail("tail block does not end at its skip entry's last document")
      }
    }
    decodedBlock = sBlock
    decodedPosOffset = sPosOffset
    posDecodedFor = -1
    idx = -1
  }

  @inline(__always)
  private func unpack(_ off: inout Int, end: Int, n: Int, into out: UnsafeMutablePointer<UInt32>) -> Bool {
    guard off < end else { return false }
    let width = Int(base.load(fromByteOffset: off, as: UInt8.self))
    guard width <= 32 else { return false }
    let bytes = BitPacking.byteCount(count: n, width: width)
    guard off + 1 + bytes <= end else { return false }
    BitPacking.unpack(from: base + off + 1, count: n, width: width, into: out)
    off += 1 + bytes
    return true
  }

  private func decodeTail(at start: Int, end: Int, n: Int, prev: Int64) {
    var r = ByteReader(base: base, count: end, name: .dynamic(fileName), offset: start)
    var prev = prev
    do {
      for i in 0..<n {
        let v = try r.readVInt64()
        prev = prev &+ Int64(v >> 1) &+ 1
        guard prev < Int64(UInt32.max) else { throw StorageError.corrupt(file: fileName, detail: "doc id overflow") }
        docs[i] = UInt32(prev)
        freqs[i] = v & 1 != 0 ? 1 : try r.readVInt32()
      }
      count = n
    } catch {
      fail("\(error)")
    }
  }

  // MARK: - Iteration

  /// Moves to the next document; returns it or `noMore`.
  @inline(__always)
  public func nextDoc() -> UInt32 {
    idx += 1
    if idx < count && decodedBlock == sBlock {
      doc = docs[idx]
      return doc
    }
    return nextBlockDoc()
  }

  private func nextBlockDoc() -> UInt32 {
    if corruption != nil { return PostingsCursor.noMore }
    if decodedBlock != sBlock && sBlock >= 0 && sBlock < numBlocks && idx <= 0 {
      // The skip pointer moved ahead (shallowAdvance): start in that block.
      decodeCurrentSkipBlock()
      idx = 0
    } else {
      if numBlocks <= 1 || docFreq < Segment.blockSize || sBlock + 1 >= numBlocks {
        if docFreq >= Segment.blockSize && sBlock < numBlocks - 1 {
          loadNextSkip()
        } else {
          doc = PostingsCursor.noMore
          idx = count
          return doc
        }
      } else {
        loadNextSkip()
      }
      if sBlock >= numBlocks || corruption != nil {
        doc = PostingsCursor.noMore
        return doc
      }
      decodeCurrentSkipBlock()
      idx = 0
    }
    guard count > 0, corruption == nil else {
      doc = PostingsCursor.noMore
      return doc
    }
    doc = docs[idx]
    return doc
  }

  /// Moves to the first document >= target; returns it or `noMore`.
  public func advance(to target: UInt32) -> UInt32 {
    if idx >= 0 && doc >= target && decodedBlock == sBlock { return doc }
    if docFreq >= Segment.blockSize {
      if sBlock < 0 || sLastDoc < Int64(target) {
        shallowAdvance(to: target)
        if sBlock >= numBlocks || corruption != nil {
          doc = PostingsCursor.noMore
          return doc
        }
      }
      if decodedBlock != sBlock {
        decodeCurrentSkipBlock()
        if corruption != nil { return PostingsCursor.noMore }
        idx = 0
      } else if idx < 0 {
        idx = 0
      }
    } else if idx < 0 {
      idx = 0
    }
    while idx < count && docs[idx] < target { idx += 1 }
    if idx < count {
      doc = docs[idx]
      return doc
    }
    doc = PostingsCursor.noMore
    return doc
  }

  // MARK: - Positions

  /// Positions of the current document, ascending. Valid until the cursor moves.
  public func positions() -> UnsafeBufferPointer<UInt32> {
    guard hasPositions, idx >= 0, idx < count, corruption == nil else {
      return UnsafeBufferPointer(start: posBuf, count: 0)
    }
    if posDecodedFor != decodedBlock {
      decodePositions()
      if corruption != nil { return UnsafeBufferPointer(start: posBuf, count: 0) }
    }
    let s = Int(posStarts[idx])
    let e = Int(posStarts[idx + 1])
    return UnsafeBufferPointer(start: posBuf + s, count: e - s)
  }

  private func decodePositions() {
    guard let posBase else { return }
    var off = decodedPosOffset
    let end = posSize
    func unpackPos(_ n: Int, _ out: UnsafeMutablePointer<UInt32>) -> Bool {
      guard off < end else { return false }
      let width = Int(posBase.load(fromByteOffset: off, as: UInt8.self))
      guard width <= 32 else { return false }
      let bytes = BitPacking.byteCount(count: n, width: width)
      guard off + 1 + bytes <= end else { return false }
      BitPacking.unpack(from: posBase + off + 1, count: n, width: width, into: out)
      off += 1 + bytes
      return true
    }
    guard unpackPos(count, scratch) else { return fail("positions block overruns the file") }
    var total = 0
    posStarts[0] = 0
    for i in 0..<count {
      total += Int(scratch[i])
      guard total < Int(Int32.max) else { return fail("positions count overflow") }
      posStarts[i + 1] = UInt32(total)
    }
    if total > posCap {
      posBuf.deallocate()
      posCap = max(total, posCap * 2)
      posBuf = .allocate(capacity: posCap)
    }
    var done = 0
    while done < total {
      let n = min(Segment.blockSize, total - done)
      guard unpackPos(n, posBuf + done) else { return fail("positions block overruns the file") }
      done += n
    }
    for d in 0..<count {
      var prev: Int64 = -1
      for i in Int(posStarts[d])..<Int(posStarts[d + 1]) {
        prev = prev &+ Int64(posBuf[i]) &+ 1
        posBuf[i] = UInt32(truncatingIfNeeded: prev)
      }
    }
    posDecodedFor = decodedBlock
  }
}
