import FahrasStorage

/// What the folder indexer knew about each corpus file at a commit (`ingest.<generation>` in the
/// index folder, named by the commit's user data), so the next run indexes only what changed.
///
/// ```
/// IngestState --> Header("INGS", 16 zero bytes), Root String, FileCount VInt,
///                 <RelativePath String, Size u64, ModifiedNanoseconds u64, ContentCRC32C u32,
///                  DocumentCount VInt>^FileCount, Footer
/// ```
/// A file is unchanged when size and mtime match, or when they differ but the CRC32C of its content
/// matches (touched, not edited).
public struct IngestState: Sendable, Equatable {
  public struct Entry: Sendable, Equatable {
    public var size: Int64
    public var modified: Int64
    public var crc: UInt32
    public var documents: Int
  }

  public var root: String = ""
  public var files: [String: Entry] = [:]

  public init() {}

  static let zeroID = [UInt8](repeating: 0, count: 16)

  func encode() -> [UInt8] {
    var w = ByteWriter(capacity: files.count * 48 + 64)
    FileEnvelope.writeHeader(&w, kind: "INGS", segmentID: IngestState.zeroID)
    w.writeString(root)
    w.writeVInt(files.count)
    for (path, e) in files.sorted(by: { $0.key < $1.key }) {
      w.writeString(path)
      w.writeUInt64(UInt64(bitPattern: e.size))
      w.writeUInt64(UInt64(bitPattern: e.modified))
      w.writeUInt32(e.crc)
      w.writeVInt(e.documents)
    }
    FileEnvelope.writeFooter(&w)
    return w.bytes
  }

  static func decode(_ bytes: [UInt8], file: String) throws(StorageError) -> IngestState {
    try bytes.withBytes { raw throws(StorageError) in
      let body = try FileEnvelope.verify(
        raw, file: file, kind: "INGS", segmentID: zeroID, checksum: true)
      var r = ByteReader(raw, name: .dynamic(file), offset: body.lowerBound)
      var s = IngestState()
      s.root = try r.readString()
      let n = try r.readVIntCount(limit: raw.count)
      for _ in 0..<n {
        let p = try r.readString()
        let size = Int64(bitPattern: try r.readUInt64())
        let mod = Int64(bitPattern: try r.readUInt64())
        let crc = try r.readUInt32()
        let docs = try r.readVIntCount()
        guard
          s.files.updateValue(
            Entry(size: size, modified: mod, crc: crc, documents: docs), forKey: p) == nil
        else {
          throw .corrupt(file: file, detail: "lists \(p) twice")
        }
      }
      guard r.offset == body.upperBound else {
        throw .corrupt(
          file: file, detail: "\(body.upperBound - r.offset) bytes after the last entry")
      }
      return s
    }
  }

  public static func load(indexDirectory: String, name: String) throws(StorageError) -> IngestState
  {
    try decode(try FileSystem.readFile("\(indexDirectory)/\(name)"), file: name)
  }

  func write(indexDirectory: String, name: String) throws(StorageError) {
    try FileSystem.writeFile("\(indexDirectory)/\(name)", encode())
  }
}
