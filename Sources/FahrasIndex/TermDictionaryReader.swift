import FahrasStorage

/// Reads the term dictionary (`.dict`) in place from its mapping.
///
/// ```
/// Dict  --> Header("DICT"), <Block>^BlockCount, <BlockOffset u64>^BlockCount, BlockCount u64,
///           TermCount u64, IndexOffset u64, Footer
/// Block --> <Entry>^(1...32)            (a block ends where the next one, or the index, begins)
/// Entry --> Shared VInt, SuffixLength VInt, Suffix bytes, DocFreq VInt,
///           (DocFreq == 1 ? Doc VInt, Freq VInt
///                         : FreqCode VInt, (FreqCode & 1 ? PostOffset VInt : PostOffsetDelta VInt)),
///           PosOffsetDelta VInt
/// FreqCode = (TotalFreq − DocFreq) << 1 | Shared       (Shared: the list of an earlier $text term)
/// PostOffset = PostOffsetDelta + the PostOffset of the block's previous unshared entry with
///              DocFreq > 1 (0 for the first); PosOffset likewise from the previous entry.
/// ```
/// Keys (field number byte + term UTF-8) are sorted by unsigned bytes; `Shared` is the length of the
/// prefix shared with the previous key of the same block (0 for a block's first key).
/// Lookup binary-searches the blocks by their first key, then scans one block. The only heap
/// index is `blocks`: per block its offset and the first 16 bytes of its first key (24 bytes per 32
/// terms), so the binary search touches one small array instead of the mapping, and reads a first
/// key from the mapping only when two keys share 16 bytes.
public struct TermDictionaryReader: @unchecked Sendable {
  let file: MappedFile
  let blockCount: Int
  public let termCount: Int
  let indexOffset: Int

  /// A block's place and the start of its first key.
  struct BlockEntry {
    /// Bytes 0..<8 and 8..<16 of the first key as big-endian integers, zero-padded. A smaller pair
    /// means a smaller key; equal pairs need the full comparison.
    var high: UInt64
    var low: UInt64
    /// Offset of the block in the file (checked at open to lie in the data).
    var offset: Int
  }
  let blocks: [BlockEntry]

  init(file: MappedFile, segmentID: [UInt8], verify: Bool) throws(StorageError) {
    let body = try FileEnvelope.verify(
      file.bytes, file: file.name, kind: "DICT", segmentID: segmentID, checksum: verify)
    var r = file.reader(offset: body.upperBound - 24)
    let bc = try r.readUInt64()
    let tc = try r.readUInt64()
    let io = try r.readUInt64()
    guard bc <= UInt64(file.count / 8), io >= UInt64(body.lowerBound),
      io <= UInt64(body.upperBound), io + bc * 8 == UInt64(body.upperBound - 24), tc >= bc,
      tc <= bc * 32
    else { throw .corrupt(file: file.name, detail: "bad block index (\(bc) blocks at \(io))") }
    blockCount = Int(bc)
    termCount = Int(tc)
    indexOffset = Int(io)
    self.file = file
    var entries: [BlockEntry] = []
    entries.reserveCapacity(Int(bc))
    for i in 0..<Int(bc) {
      var r = file.reader(offset: Int(io) + i * 8)
      let o = try r.readUInt64()
      guard o >= UInt64(body.lowerBound) && o < io else {
        throw .corrupt(file: file.name, detail: "block \(i) offset \(o) outside the data")
      }
      try r.seek(to: Int(o))
      let shared = try r.readVIntCount()
      let len = try r.readVIntCount(limit: 1 << 16)
      guard shared == 0, len >= 1 else {
        throw .corrupt(file: file.name, detail: "block \(i) starts with a shared prefix")
      }
      let bytes = try r.readBytes(min(len, 16))
      let e = BlockEntry(
        high: Self.prefix(bytes, from: 0), low: Self.prefix(bytes, from: 8), offset: Int(o))
      if let p = entries.last, (e.high, e.low) < (p.high, p.low) || e.offset <= p.offset {
        throw .corrupt(file: file.name, detail: "block \(i) starts below block \(i - 1)")
      }
      entries.append(e)
    }
    blocks = entries
  }

  /// Bytes `from..<from + 8` of `key` as a big-endian integer, zero-padded.
  @inline(__always) static func prefix(_ key: UnsafeRawBufferPointer, from: Int) -> UInt64 {
    var v: UInt64 = 0
    for i in from..<(from + 8) { v = v << 8 | UInt64(i < key.count ? key[i] : 0) }
    return v
  }

  func blockStart(_ i: Int) throws(StorageError) -> Int {
    guard i >= 0 && i < blockCount else {
      throw .corrupt(file: file.name, detail: "block \(i) of \(blockCount)")
    }
    return blocks[i].offset
  }

  func blockEnd(_ i: Int) throws(StorageError) -> Int {
    i + 1 < blockCount ? try blockStart(i + 1) : indexOffset
  }

  /// Compares the first key of block `i` with `key`.
  private func compareFirstKey(_ i: Int, _ key: UnsafeRawBufferPointer) throws(StorageError)
    -> Int32
  {
    var r = file.reader(offset: try blockStart(i))
    let shared = try r.readVIntCount()
    let len = try r.readVIntCount(limit: 1 << 16)
    guard shared == 0 else {
      throw .corrupt(file: file.name, detail: "block \(i) starts with a shared prefix")
    }
    let bytes = try r.readBytes(len)
    let c = memcmp(bytes.baseAddress!, key.baseAddress!, min(len, key.count))
    if c != 0 { return c }
    return len < key.count ? -1 : (len > key.count ? 1 : 0)
  }

  /// The last block whose first key is <= key (0 if none).
  func findBlock(_ key: UnsafeRawBufferPointer) throws(StorageError) -> Int {
    var lo = 0
    var hi = blockCount - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if try compareFirstKey(mid, key) <= 0 { lo = mid } else { hi = mid - 1 }
    }
    return lo
  }

  /// Reads a variable-length integer of the block data (`at < end <= indexOffset`).
  @inline(__always) private func vint(_ base: UnsafeRawPointer, _ at: inout Int, _ end: Int)
    throws(StorageError) -> Int
  {
    // Most values fit one byte.
    if at < end {
      let b = base.load(fromByteOffset: at, as: UInt8.self)
      if b < 0x80 {
        at += 1
        return Int(b)
      }
    }
    var result = 0
    var shift = 0
    while true {
      guard at < end, shift < 63 else {
        throw .corrupt(file: file.name, detail: "bad variable-length integer at \(at)")
      }
      let b = base.load(fromByteOffset: at, as: UInt8.self)
      at += 1
      result |= Int(b & 0x7F) << shift
      if b < 0x80 { return result }
      shift += 7
    }
  }

  /// Whether block entry `e` starts with a prefix at most `(kh, kl)`.
  @inline(__always) private static func atMost(_ e: BlockEntry, _ kh: UInt64, _ kl: UInt64)
    -> Bool
  {
    e.high < kh || (e.high == kh && e.low <= kl)
  }

  /// The number of blocks whose first-key prefix is at most `(kh, kl)` (a branch-free binary
  /// search).
  @inline(__always) private static func prefixUpper(
    _ p: UnsafeBufferPointer<BlockEntry>, _ kh: UInt64, _ kl: UInt64
  ) -> Int {
    var a = 0
    var n = p.count
    while n > 1 {
      let half = n >> 1
      a = atMost(p[a + half - 1], kh, kl) ? a + half : a
      n -= half
    }
    return atMost(p[a], kh, kl) ? a + 1 : a
  }

  /// The last block whose first key is <= `key` (0 if none), given `upper`, the number of blocks
  /// whose prefix is at most the key's. Blocks with a smaller prefix all qualify, so the block
  /// before `upper` is the answer unless it starts with the key's own 16-byte prefix: then the
  /// blocks sharing that prefix are compared in full.
  private func candidateBlock(_ key: UnsafeRawBufferPointer, upper: Int) throws(StorageError)
    -> Int
  {
    let kh = Self.prefix(key, from: 0)
    let kl = Self.prefix(key, from: 8)
    var lo = max(upper - 1, 0)
    guard upper > 0 && blocks[upper - 1].high == kh && blocks[upper - 1].low == kl else {
      return lo
    }
    let base = file.bytes.baseAddress!
    let limit = indexOffset
    let lower = blocks.withUnsafeBufferPointer { p -> Int in
      var a = 0
      var b = upper - 1
      while a < b {
        let mid = (a + b) >> 1
        if (p[mid].high, p[mid].low) < (kh, kl) { a = mid + 1 } else { b = mid }
      }
      return a
    }
    lo = max(lower - 1, 0)
    var a = lower
    var b = upper - 1
    while a <= b {
      let mid = (a + b) >> 1
      var at = blocks[mid].offset
      let shared = try vint(base, &at, limit)
      let len = try vint(base, &at, limit)
      guard shared == 0, len <= limit - at else {
        throw .corrupt(file: file.name, detail: "block \(mid) starts badly")
      }
      let c = memcmp(base + at, key.baseAddress!, min(len, key.count))
      let cmp = c != 0 ? Int(c) : (len < key.count ? -1 : (len > key.count ? 1 : 0))
      if cmp <= 0 {
        lo = mid
        a = mid + 1
      } else {
        b = mid - 1
      }
    }
    return lo
  }

  /// Exact lookup: binary search of the blocks' first keys, then a scan of one block. Reads the
  /// mapping in place; allocates nothing.
  public func lookup(_ key: UnsafeRawBufferPointer) throws(StorageError) -> TermInfo? {
    guard blockCount > 0, key.count > 0, key.count <= TermDictionaryReader.maxKeyBytes else {
      return nil
    }
    let upper = blocks.withUnsafeBufferPointer {
      Self.prefixUpper($0, Self.prefix(key, from: 0), Self.prefix(key, from: 8))
    }
    return try scan(block: try candidateBlock(key, upper: upper), for: key)
  }

  /// Scans block `lo` for `key`.
  private func scan(block lo: Int, for key: UnsafeRawBufferPointer) throws(StorageError)
    -> TermInfo?
  {
    let base = file.bytes.baseAddress!
    let limit = indexOffset
    func corrupt(_ d: String) -> StorageError { .corrupt(file: file.name, detail: d) }
    @inline(__always) func start(_ i: Int) -> Int { blocks[i].offset }
    @inline(__always) func vint(_ at: inout Int, _ end: Int) throws(StorageError) -> Int {
      try self.vint(base, &at, end)
    }
    var at = start(lo)
    let end = lo + 1 < blockCount ? start(lo + 1) : limit
    // Scan without rebuilding keys: `matched` is the length of the common prefix of the previous
    // key (which sorts before `key`) and `key`. An entry sharing more than that with the previous
    // key also sorts before `key`; otherwise its suffix is compared from where it starts.
    let target = key.baseAddress!.assumingMemoryBound(to: UInt8.self)
    let targetLength = key.count
    var previousLength = 0
    var matched = 0
    var lastPost = 0
    var lastPos = 0
    var entries = 0
    while at < end {
      entries += 1
      guard entries <= TermDictionaryWriter.blockTerms else {
        throw corrupt("block \(lo) holds more than \(TermDictionaryWriter.blockTerms) entries")
      }
      let shared = try vint(&at, end)
      let suffix = try vint(&at, end)
      guard shared <= previousLength, suffix <= end - at,
        shared + suffix <= TermDictionaryReader.maxKeyBytes
      else {
        throw corrupt("entry at \(at) does not fit its block")
      }
      let keyLength = shared + suffix
      // Sign of (this key − target).
      var cmp = -1
      if shared <= matched {
        let s = base.advanced(by: at).assumingMemoryBound(to: UInt8.self)
        var i = shared
        let common = min(keyLength, targetLength)
        while i < common && s[i - shared] == target[i] { i += 1 }
        matched = i
        if i < common {
          cmp = s[i - shared] < target[i] ? -1 : 1
        } else {
          cmp = keyLength < targetLength ? -1 : (keyLength > targetLength ? 1 : 0)
        }
      }
      at += suffix
      previousLength = keyLength
      let df = try vint(&at, end)
      guard df >= 1 else { throw corrupt("term with document frequency 0") }
      if df == 1 {
        let doc = try vint(&at, end)
        let tf = try vint(&at, end)
        let pos = lastPos &+ (try vint(&at, end))
        lastPos = pos
        guard pos >= 0 else { throw corrupt("file offset overflows") }
        guard doc <= Int(UInt32.max), tf <= Int(UInt32.max) else {
          throw corrupt("inlined posting out of range")
        }
        if cmp == 0 {
          return TermInfo(
            docFreq: 1, totalTermFreq: UInt64(tf), postOffset: 0, posOffset: UInt64(pos),
            inlineDoc: UInt32(doc), inlineTf: UInt32(tf))
        }
      } else {
        let code = try vint(&at, end)
        var isShared = false
        var baseOffset = 0
        var baseDocFreq = 0
        var post = 0
        if code & 1 == 0 {
          post = lastPost &+ (try vint(&at, end))
          lastPost = post
        } else {
          let ref = try vint(&at, end)
          if ref & 1 == 0 {
            isShared = true
            post = ref >> 1
          } else {
            baseOffset = ref >> 1
            post = lastPost &+ (try vint(&at, end))
            lastPost = post
            let extra = try vint(&at, end)
            baseDocFreq = df &+ extra
            guard extra >= 0, baseDocFreq >= df else { throw corrupt("base list too long") }
          }
        }
        let pos = lastPos &+ (try vint(&at, end))
        lastPos = pos
        guard post >= 0, pos >= 0, code >= 0 else { throw corrupt("file offset overflows") }
        if cmp == 0 {
          return TermInfo(
            docFreq: df, totalTermFreq: UInt64(code >> 1) &+ UInt64(df), postOffset: UInt64(post),
            posOffset: UInt64(pos), sharedPostings: isShared, baseOffset: UInt64(baseOffset),
            baseDocFreq: baseDocFreq)
        }
      }
      if cmp > 0 { return nil }
    }
    return nil
  }

  /// Longest key a dictionary may hold (field byte + term).
  static let maxKeyBytes = 1 << 16 + 1

  public func lookup(field: Int, term: some Collection<UInt8>) throws(StorageError) -> TermInfo? {
    let n = term.count + 1
    guard n <= 256 else {
      var key: [UInt8] = [UInt8(field)]
      key.append(contentsOf: term)
      return try key.withBytes { k throws(StorageError) in try lookup(k) }
    }
    // Short keys (every analyzed term) are built on the stack.
    let result: Result<TermInfo?, StorageError> = withUnsafeTemporaryAllocation(
      of: UInt8.self, capacity: n
    ) { buf in
      buf[0] = UInt8(field)
      _ = UnsafeMutableBufferPointer(rebasing: buf[1...]).initialize(from: term)
      return Result { () throws(StorageError) -> TermInfo? in
        try lookup(UnsafeRawBufferPointer(buf))
      }
    }
    return try result.get()
  }

  /// An iterator positioned before the first key >= `key`.
  public func iterator(from key: [UInt8]) throws(StorageError) -> TermIterator {
    guard blockCount > 0 else { return try TermIterator(dict: self, block: 0) }
    let b = try key.withBytes { k throws(StorageError) in try findBlock(k) }
    var it = try TermIterator(dict: self, block: b)
    // Position so that the next `next()` yields the first key >= `key`.
    while true {
      let saved = it
      guard try it.next() else { return it }
      if it.key.lexicographicallyPrecedes(key) { continue }
      it = saved
      return it
    }
  }
}

/// Walks dictionary entries in key order from some block on.
public struct TermIterator {
  let dict: TermDictionaryReader
  var block: Int
  var reader: ByteReader
  var end: Int
  public private(set) var key: [UInt8] = []
  public private(set) var info = TermInfo(docFreq: 0, totalTermFreq: 0, postOffset: 0, posOffset: 0)
  private var lastPost: UInt64 = 0
  private var lastPos: UInt64 = 0
  /// Entries read from the current block (at most `TermDictionaryWriter.blockTerms`).
  private var entriesInBlock = 0

  init(dict: TermDictionaryReader, block: Int) throws(StorageError) {
    self.dict = dict
    self.block = block
    if dict.blockCount == 0 {
      reader = dict.file.reader(offset: dict.indexOffset)
      end = dict.indexOffset
    } else {
      reader = dict.file.reader(offset: try dict.blockStart(block))
      end = try dict.blockEnd(block)
    }
  }

  /// Advances to the next entry; false at the end of the dictionary.
  private func overflow() -> StorageError {
    .corrupt(file: dict.file.name, detail: "file offset overflows in block \(block)")
  }

  public mutating func next() throws(StorageError) -> Bool {
    if reader.offset >= end {
      guard block + 1 < dict.blockCount else { return false }
      block += 1
      try reader.seek(to: try dict.blockStart(block))
      end = try dict.blockEnd(block)
      key.removeAll(keepingCapacity: true)
      lastPost = 0
      lastPos = 0
      entriesInBlock = 0
    }
    entriesInBlock += 1
    guard entriesInBlock <= TermDictionaryWriter.blockTerms else {
      throw .corrupt(
        file: dict.file.name,
        detail: "block \(block) holds more than \(TermDictionaryWriter.blockTerms) entries")
    }
    let shared = try reader.readVIntCount(limit: key.count)
    let suffix = try reader.readVIntCount(limit: 1 << 16)
    key.removeSubrange(shared...)
    key.append(contentsOf: try reader.readBytes(suffix))
    let df = try reader.readVIntCount()
    guard df >= 1 else {
      throw .corrupt(file: dict.file.name, detail: "term with document frequency 0")
    }
    if df == 1 {
      let doc = try reader.readVInt32()
      let tf = try reader.readVInt32()
      let pos = lastPos &+ (try reader.readVInt64())
      lastPos = pos
      guard pos <= UInt64(Int.max) else { throw overflow() }
      info = TermInfo(
        docFreq: 1, totalTermFreq: UInt64(tf), postOffset: 0, posOffset: pos, inlineDoc: doc,
        inlineTf: tf)
    } else {
      let code = try reader.readVInt64()
      var shared = false
      var baseOffset: UInt64 = 0
      var baseDocFreq = 0
      var post: UInt64 = 0
      if code & 1 == 0 {
        post = lastPost &+ (try reader.readVInt64())
        lastPost = post
      } else {
        let ref = try reader.readVInt64()
        if ref & 1 == 0 {
          shared = true
          post = ref >> 1
        } else {
          baseOffset = ref >> 1
          post = lastPost &+ (try reader.readVInt64())
          lastPost = post
          let extra = try reader.readVIntCount()
          guard extra <= Int(UInt32.max) else {
            throw .corrupt(file: dict.file.name, detail: "base list too long")
          }
          baseDocFreq = df + extra
        }
      }
      let pos = lastPos &+ (try reader.readVInt64())
      lastPos = pos
      guard post <= UInt64(Int.max), pos <= UInt64(Int.max), baseOffset <= UInt64(Int.max) else {
        throw overflow()
      }
      info = TermInfo(
        docFreq: df, totalTermFreq: (code >> 1) &+ UInt64(df), postOffset: post, posOffset: pos,
        sharedPostings: shared, baseOffset: baseOffset, baseDocFreq: baseDocFreq)
    }
    guard reader.offset <= end else {
      throw .corrupt(file: dict.file.name, detail: "entry crosses its block end")
    }
    return true
  }

  /// Compares the current key with `other` (memcmp order).
  func compare(_ other: UnsafeRawBufferPointer) -> Int32 {
    key.withUnsafeBytes { k in
      let c = memcmp(k.baseAddress!, other.baseAddress!, min(k.count, other.count))
      if c != 0 { return c }
      return k.count < other.count ? -1 : (k.count > other.count ? 1 : 0)
    }
  }

  public var field: Int { Int(key[0]) }
  public var term: ArraySlice<UInt8> { key[1...] }
  /// Where the next entry starts in the dictionary file (the end of the current one).
  var offset: Int { reader.offset }
}

#if canImport(Glibc)
  import Glibc
#endif
