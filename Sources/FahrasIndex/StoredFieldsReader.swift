import FahrasStorage

/// Reads stored documents from a `.store` file (see `StoredFieldsWriter`).
///
/// ```
/// Store   --> Header("STOR"), <CompressedBlock>^BlockCount, BlockIndex, BlockCount u32, IndexOffset u64, Footer
/// BlockIndex --> <FirstDoc u32, Offset u64, CompressedLength u32, RawLength u32, BlockCRC32C u32>^BlockCount
///                (the CRC covers the compressed block: every fetch verifies the block it reads)
/// Block (decompressed) --> DocCount VInt, <DocLength VInt>^DocCount, <Doc>^DocCount
/// Doc --> Id String, Path String, Title String, Body String, FieldCount VInt, <Name String, Value String>^FieldCount
/// String --> Length VInt, UTF-8 bytes
/// ```
struct StoredFieldsReader: @unchecked Sendable {
  let file: MappedFile
  let blockCount: Int
  let indexOffset: Int
  let maxDoc: Int

  init(file: MappedFile, segmentID: [UInt8], maxDoc: Int, verify: Bool) throws(StorageError) {
    let body = try FileEnvelope.verify(
      file.bytes, file: file.name, kind: "STOR", segmentID: segmentID, checksum: verify)
    var r = file.reader(offset: body.upperBound - 12)
    blockCount = Int(try r.readUInt32())
    let io = try r.readUInt64()
    guard io <= UInt64(body.upperBound - 12),
      Int(io) + blockCount * StoredFieldsReader.entrySize == body.upperBound - 12
    else {
      throw .corrupt(file: file.name, detail: "block index does not fit the file")
    }
    indexOffset = Int(io)
    self.file = file
    self.maxDoc = maxDoc
  }

  static let entrySize = 24

  /// The first document of block `i` (from the block index alone: no checksum).
  private func firstDoc(_ i: Int) throws(StorageError) -> Int {
    var r = file.reader(offset: indexOffset + i * StoredFieldsReader.entrySize)
    return Int(try r.readUInt32())
  }

  /// The last block whose first document is at most `doc`: a binary search over the block index
  /// that reads only first documents (`entry` checksums a block; only the one found needs it).
  private func block(containing doc: Int) throws(StorageError) -> Int {
    var lo = 0
    var hi = blockCount - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if try firstDoc(mid) <= doc { lo = mid } else { hi = mid - 1 }
    }
    return lo
  }

  private func entry(_ i: Int) throws(StorageError) -> (
    first: Int, offset: Int, clen: Int, rlen: Int
  ) {
    var r = file.reader(offset: indexOffset + i * StoredFieldsReader.entrySize)
    let first = Int(try r.readUInt32())
    let off = try r.readUInt64()
    let clen = Int(try r.readUInt32())
    let rlen = Int(try r.readUInt32())
    let crc = try r.readUInt32()
    guard off >= UInt64(FileEnvelope.headerSize), off <= UInt64(indexOffset),
      UInt64(clen) <= UInt64(indexOffset) - off
    else {
      throw .corrupt(file: file.name, detail: "stored block \(i) lies outside the data")
    }
    let block = UnsafeRawBufferPointer(rebasing: file.bytes[Int(off)..<(Int(off) + clen)])
    guard CRC32C.checksum(block) == crc else {
      throw .corrupt(file: file.name, detail: "stored block \(i) fails its checksum")
    }
    return (first, Int(off), clen, rlen)
  }

  /// The block `document(_:cache:)` decompressed last, so that reading documents in order (a merge)
  /// decompresses and checksums each block once instead of once per document.
  struct BlockCache {
    var block = -1
    var first = 0
    var count = 0
    var raw: [UInt8] = []
  }

  func document(_ doc: Int) throws(StorageError) -> StoredDocument {
    var cache = BlockCache()
    return try document(doc, cache: &cache)
  }

  func document(_ doc: Int, cache: inout BlockCache) throws(StorageError) -> StoredDocument {
    try withRecord(doc, cache: &cache) { r throws(StorageError) in
      let id = try r.readString()
      let path = try r.readString()
      let title = try r.readString()
      let body = try r.readString()
      let fc = try r.readVIntCount(limit: 100_000)
      var fields: [IndexDocument.Field] = []
      for _ in 0..<fc {
        let name = try r.readString()
        let value = try r.readString()
        fields.append(.init(name: name, value: value))
      }
      return StoredDocument(id: id, path: path, title: title, body: body, fields: fields)
    }
  }

  /// Just the id of document `doc` (what a run file needs). The block is checksummed as always,
  /// but decompressed only up to the end of the document's record (half the block on average),
  /// and nothing else becomes a string. Anything unexpected in that prefix falls back to the full
  /// path (`withRecord`), which reports it.
  func id(_ doc: Int) throws(StorageError) -> String {
    if doc >= 0 && doc < maxDoc && blockCount > 0, let id = try? idFromPrefix(doc) { return id }
    var cache = BlockCache()
    return try withRecord(doc, cache: &cache) { r throws(StorageError) in try r.readString() }
  }

  /// `id` decompressing two prefixes of the block: the header (document count and record lengths,
  /// at most 5 bytes each), then through record `doc`; nil where the data does not fit that plan.
  private func idFromPrefix(_ doc: Int) throws -> String? {
    let lo = try block(containing: doc)
    let e = try entry(lo)
    let next = lo + 1 < blockCount ? try firstDoc(lo + 1) : maxDoc
    let k = doc - e.first
    guard k >= 0, next > doc, e.rlen <= 1 << 30 else { return nil }
    var raw = [UInt8](repeating: 0, count: e.rlen)
    let src = UnsafeRawBufferPointer(rebasing: file.bytes[e.offset..<(e.offset + e.clen)])
    return try raw.withUnsafeMutableBytes { out -> String? in
      var produced = try BlockCompressor.decompress(
        src, into: out, stoppingAfter: min(e.rlen, 5 * (next - e.first + 1)))
      let header = UnsafeRawBufferPointer(rebasing: out[..<produced])
      guard let (start, end) = try recordBounds(header, k, limit: e.rlen), end <= e.rlen else {
        return nil
      }
      if end > produced {
        produced = try BlockCompressor.decompress(src, into: out, stoppingAfter: end)
      }
      guard end <= produced else { return nil }
      var record = ByteReader(
        UnsafeRawBufferPointer(rebasing: out[start..<end]), name: .dynamic(file.name))
      return try record.readString()
    }
  }

  /// Calls `body` with a reader at the start of document `doc`'s record, in its block decompressed
  /// (and checksummed) into `cache` unless the cache already holds it.
  private func withRecord<R>(
    _ doc: Int, cache: inout BlockCache,
    _ body: (inout ByteReader) throws(StorageError) -> R
  ) throws(StorageError) -> R {
    guard doc >= 0 && doc < maxDoc, blockCount > 0 else {
      throw .corrupt(file: file.name, detail: "document \(doc) out of range")
    }
    if cache.block < 0 || doc < cache.first || doc >= cache.first + cache.count {
      let lo = try block(containing: doc)
      let e = try entry(lo)
      let (raw, count) = try decompressed(lo, e)
      cache = BlockCache(block: lo, first: e.first, count: count, raw: raw)
      guard doc - e.first < count else {
        throw .corrupt(file: file.name, detail: "document \(doc) not in its block")
      }
    }
    let k = doc - cache.first
    return try cache.raw.withBytes { buf throws(StorageError) in
      guard let (start, end) = try recordBounds(buf, k, limit: buf.count), end <= buf.count else {
        throw .corrupt(file: file.name, detail: "document \(doc) not in its block")
      }
      var r = ByteReader(
        UnsafeRawBufferPointer(rebasing: buf[start..<end]), name: .dynamic(file.name))
      return try body(&r)
    }
  }

  /// Block `i` (whose index entry is `e`) decompressed whole, and its document count.
  private func decompressed(
    _ i: Int, _ e: (first: Int, offset: Int, clen: Int, rlen: Int)
  ) throws(StorageError) -> (raw: [UInt8], count: Int) {
    guard e.rlen <= 1 << 30 else { throw .corrupt(file: file.name, detail: "block too large") }
    var raw = [UInt8](repeating: 0, count: e.rlen)
    let src = UnsafeRawBufferPointer(rebasing: file.bytes[e.offset..<(e.offset + e.clen)])
    let n = try? raw.withUnsafeMutableBytes { try BlockCompressor.decompress(src, into: $0) }
    guard n == e.rlen else {
      throw .corrupt(file: file.name, detail: "stored block \(i) does not decompress")
    }
    let count = try raw.withBytes { buf throws(StorageError) in
      var r = ByteReader(buf, name: .dynamic(file.name))
      return try r.readVIntCount(limit: buf.count)
    }
    return (raw, count)
  }

  /// Where record `k` lies in a decompressed block (or a prefix of one holding its header): the
  /// header is the document count and each record's length (VInts, each at most `limit`), and the
  /// records follow it in order. Nil when the block holds fewer than `k + 1` records; throws when
  /// `buf` ends inside the header.
  private func recordBounds(
    _ buf: UnsafeRawBufferPointer, _ k: Int, limit: Int
  ) throws(StorageError) -> (start: Int, end: Int)? {
    var r = ByteReader(buf, name: .dynamic(file.name))
    let n = try r.readVIntCount(limit: limit)
    guard k < n else { return nil }
    var start = 0
    var length = 0
    for i in 0..<n {
      let l = try r.readVIntCount(limit: limit)
      if i < k { start += l } else if i == k { length = l }
    }
    return (r.offset + start, r.offset + start + length)
  }

  /// Drops the mapped pages of stored blocks before the one holding `doc` from this process's
  /// memory (they stay in the page cache). For merges, which read every block once, in order.
  func releasePages(throughDoc doc: Int) {
    guard blockCount > 0, doc >= 0, let lo = try? block(containing: doc),
      let e = try? entry(lo)
    else { return }
    file.dontNeed(FileEnvelope.headerSize..<e.offset)
  }

  /// Decompresses every block once (for `check`): verifies block boundaries and document counts.
  func verifyAll() throws(StorageError) {
    var expected = 0
    for i in 0..<blockCount {
      let e = try entry(i)
      guard e.first == expected else {
        throw .corrupt(
          file: file.name, detail: "block \(i) starts at doc \(e.first), expected \(expected)")
      }
      expected += try decompressed(i, e).count
    }
    guard expected == maxDoc else {
      throw .corrupt(
        file: file.name, detail: "holds \(expected) documents, the segment has \(maxDoc)")
    }
  }
}
