import FahrasStorage

/// An open, immutable segment: its mapped files and deletes. Shared by any number of searching
/// threads. Opening checks every header and footer, and the CRC32C of every file that search reads
/// in bulk (dictionary, postings, positions, lengths: about 15 ms for SaudiNewsNet's 31 MB), so a
/// damaged index fails at open instead of returning wrong hits; stored documents carry a CRC per
/// compressed block, checked at each fetch. The checked pages are then released from this
/// process's resident set (`madvise(DONTNEED)`; the page cache keeps them). `verify: true` also
/// checksums the stored-documents file as a whole (what `fahras check` and merges do).
public final class SegmentReader: Sendable {
  public let info: SegmentInfo
  public let directory: String
  public let meta: SegmentMeta
  public let dictionary: TermDictionaryReader
  public let lengths: FieldLengths
  let post: MappedFile
  let pos: MappedFile
  let store: StoredFieldsReader
  public let deletes: DeletedDocs?
  let fieldNumbers: [String: Int]

  public init(directory: String, info: SegmentInfo, verify: Bool = false) throws(StorageError) {
    self.info = info
    self.directory = directory
    let metaFile = try MappedFile(path: SegmentFile.meta.path(in: directory, segment: info.name))
    meta = try SegmentMeta.decode(metaFile, segmentID: info.id)
    guard meta.maxDoc == info.maxDoc else {
      throw .corrupt(
        file: metaFile.name,
        detail: "has \(meta.maxDoc) documents, the manifest says \(info.maxDoc)")
    }
    // The checksummed files are mapped for a sequential scan, so that files not in the page cache
    // are read ahead in large pieces (docs/RELIABILITY.md, "Limits"), then re-advised for the
    // random access of searching.
    let dictFile = try MappedFile(
      path: SegmentFile.dict.path(in: directory, segment: info.name), access: .sequential)
    dictionary = try TermDictionaryReader(file: dictFile, segmentID: info.id, verify: true)
    let normFile = try MappedFile(
      path: SegmentFile.norm.path(in: directory, segment: info.name), access: .sequential)
    lengths = try FieldLengths(file: normFile, meta: meta, segmentID: info.id, verify: true)
    post = try MappedFile(
      path: SegmentFile.post.path(in: directory, segment: info.name), access: .sequential)
    _ = try FileEnvelope.verify(
      post.bytes, file: post.name, kind: "POST", segmentID: info.id, checksum: true)
    pos = try MappedFile(
      path: SegmentFile.pos.path(in: directory, segment: info.name), access: .sequential)
    _ = try FileEnvelope.verify(
      pos.bytes, file: pos.name, kind: "POSN", segmentID: info.id, checksum: true)
    let storeFile = try MappedFile(
      path: SegmentFile.store.path(in: directory, segment: info.name),
      access: verify ? .sequential : .random)
    store = try StoredFieldsReader(
      file: storeFile, segmentID: info.id, maxDoc: info.maxDoc, verify: verify)
    if info.deleteGeneration > 0 {
      let d = try DeletedDocs.read(
        path: SegmentFile.deletesPath(
          in: directory, segment: info.name, generation: info.deleteGeneration),
        segmentID: info.id, maxDoc: info.maxDoc)
      guard d.count == info.deletedCount else {
        throw .corrupt(
          file: "\(info.name)_\(info.deleteGeneration).del",
          detail: "\(d.count) deleted documents, the manifest says \(info.deletedCount)")
      }
      deletes = d
    } else {
      deletes = nil
    }
    var numbers: [String: Int] = [:]
    for f in meta.fields { numbers[f.name] = f.number }
    fieldNumbers = numbers
    // Merges and checks (`verify`) go on reading everything in file order; searches jump around.
    if !verify { for f in [post, pos, dictFile, normFile] { f.advise(.random) } }
    for f in [post, pos, dictFile] { f.dontNeed() }
    if verify { storeFile.dontNeed() }
  }

  public var maxDoc: Int { info.maxDoc }

  public func field(named name: String) -> FieldInfo? {
    // The built-in fields come first; comparing a few short names beats hashing one.
    for f in meta.fields.prefix(4) where f.name == name { return f }
    return fieldNumbers[name].map { meta.fields[$0] }
  }

  @inline(__always) public func isDeleted(_ doc: Int) -> Bool {
    deletes?.contains(doc) ?? false
  }

  /// A cursor over the postings of `term` in `field`, or nil when the term does not occur.
  public func postings(field: String, term: some Collection<UInt8>) throws(StorageError)
    -> PostingsCursor?
  {
    guard let f = self.field(named: field) else { return nil }
    guard let info = try dictionary.lookup(field: f.number, term: term) else { return nil }
    return cursor(field: f, info: info)
  }

  public func cursor(field f: FieldInfo, info: TermInfo) -> PostingsCursor {
    PostingsCursor(
      post: post, pos: pos, info: info, hasPositions: f.hasPositions,
      lengths: lengths.lengths(field: f.number), maxDoc: maxDoc)
  }

  public func document(_ doc: Int) throws(StorageError) -> StoredDocument {
    try store.document(doc)
  }

  /// The stored id of document `doc` alone.
  public func documentID(_ doc: Int) throws(StorageError) -> String {
    try store.id(doc)
  }

  /// `document(_:)` for reading in document order: keeps the last decompressed block in `cache`.
  func document(_ doc: Int, cache: inout StoredFieldsReader.BlockCache) throws(StorageError)
    -> StoredDocument
  {
    try store.document(doc, cache: &cache)
  }

  /// Drops mapped pages of stored documents before `doc` from this process's memory.
  func releaseStoredPages(throughDoc doc: Int) { store.releasePages(throughDoc: doc) }

  /// Sizes of this segment's files by kind.
  public func fileSizes() -> [(SegmentFile, Int)] {
    SegmentFile.allCases.map { k in
      (k, Int(FileSystem.fileSize(k.path(in: directory, segment: info.name)) ?? 0))
    }
  }

  /// Full verification for `check`: every CRC, every stored block, every term's postings decode
  /// with doc ids in range and increasing.
  public func verifyDeep() throws(StorageError) {
    try store.verifyAll()
    var it = try dictionary.iterator(from: [0])
    var previous: [UInt8] = []
    var terms = 0
    while try it.next() {
      terms += 1
      if !previous.isEmpty && !previous.lexicographicallyPrecedes(it.key) {
        throw .corrupt(file: dictionary.file.name, detail: "terms out of order at term \(terms)")
      }
      previous = it.key
      guard it.field < meta.fields.count else {
        throw .corrupt(file: dictionary.file.name, detail: "term of unknown field \(it.field)")
      }
      let c = cursor(field: meta.fields[it.field], info: it.info)
      var n = 0
      var last: Int64 = -1
      while true {
        let d = c.nextDoc()
        if d == PostingsCursor.noMore { break }
        if Int64(d) <= last || Int(d) >= maxDoc {
          throw .corrupt(file: post.name, detail: "doc \(d) out of order or range in term \(terms)")
        }
        if meta.fields[it.field].hasPositions {
          let p = c.positions()
          if c.corruption == nil && p.isEmpty {
            throw .corrupt(file: pos.name, detail: "document without positions in term \(terms)")
          }
        }
        last = Int64(d)
        n += 1
      }
      if let bad = c.corruptDetail { throw .corrupt(file: c.corruptFile, detail: bad) }
      if n != it.info.docFreq {
        throw .corrupt(
          file: post.name,
          detail: "term \(terms) lists \(n) documents, its dictionary entry says \(it.info.docFreq)"
        )
      }
    }
    if terms != dictionary.termCount {
      throw .corrupt(
        file: dictionary.file.name,
        detail: "holds \(terms) terms, its trailer says \(dictionary.termCount)")
    }
  }
}
