import FahrasStorage

/// Writes stored documents (`.store`): documents serialized one after another, grouped into blocks
/// of about `blockBytes` that are compressed with `BlockCompressor`, plus a block index.
/// Layout in `docs/FORMAT.md` ("Stored documents").
final class StoredFieldsWriter {
  static let blockBytes = 32 * 1024

  private let file: FileWriter
  private var lengths: [Int] = []
  private var payload = ByteWriter(capacity: blockBytes + 4096)
  private var firstDoc: UInt32 = 0
  private var nextDoc: UInt32 = 0
  private var index = ByteWriter()
  private var blockCount: UInt32 = 0
  private var compressed: [UInt8] = []

  init(file: FileWriter) {
    self.file = file
  }

  /// Adds the next document (doc ids are implicit: 0, 1, 2, …).
  func add(_ doc: StoredDocument) throws(StorageError) {
    let before = payload.count
    payload.writeString(doc.id)
    payload.writeString(doc.path)
    payload.writeString(doc.title)
    payload.writeString(doc.body)
    payload.writeVInt(doc.fields.count)
    for f in doc.fields {
      payload.writeString(f.name)
      payload.writeString(f.value)
    }
    lengths.append(payload.count - before)
    nextDoc += 1
    if payload.count >= StoredFieldsWriter.blockBytes { try flushBlock() }
  }

  private func flushBlock() throws(StorageError) {
    guard !lengths.isEmpty else { return }
    var raw = ByteWriter(capacity: payload.count + lengths.count * 2 + 8)
    raw.writeVInt(lengths.count)
    for l in lengths { raw.writeVInt(l) }
    raw.writeBytes(payload.bytes)
    compressed.removeAll(keepingCapacity: true)
    raw.bytes.withUnsafeBytes { BlockCompressor.compress($0, into: &compressed) }
    index.writeUInt32(firstDoc)
    index.writeUInt64(UInt64(file.position))
    index.writeUInt32(UInt32(compressed.count))
    index.writeUInt32(UInt32(raw.count))
    index.writeUInt32(compressed.withUnsafeBytes { CRC32C.checksum($0) })
    try file.write(compressed)
    blockCount += 1
    firstDoc = nextDoc
    lengths.removeAll(keepingCapacity: true)
    payload.removeAll()
  }

  func finish() throws(StorageError) -> Int {
    try flushBlock()
    let indexOffset = UInt64(file.position)
    try file.write(index)
    var t = ByteWriter()
    t.writeUInt32(blockCount)
    t.writeUInt64(indexOffset)
    try file.write(t)
    return try file.finish()
  }
}

/// A document as stored: what search results display.
public struct StoredDocument: Sendable, Equatable {
  public var id: String
  public var path: String
  public var title: String
  public var body: String
  public var fields: [IndexDocument.Field]

  public init(id: String, path: String, title: String, body: String, fields: [IndexDocument.Field])
  {
    self.id = id
    self.path = path
    self.title = title
    self.body = body
    self.fields = fields
  }

  public init(_ d: IndexDocument) {
    self.init(id: d.id, path: d.path, title: d.title, body: d.body, fields: d.fields)
  }

  /// The value of a stored field by user-facing name (`title`, `body`, `id`, `path` or a JSON field).
  public func value(of field: String) -> String? {
    switch field {
    case "title": return title
    case "body": return body
    case "id": return id
    case "path": return path
    default: return fields.first { $0.name == field }?.value
    }
  }
}
