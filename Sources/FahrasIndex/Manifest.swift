import FahrasStorage

/// A commit point: the list of live segments (`manifest.<generation>`).
///
/// ```
/// Manifest --> Header("MANI", SegmentID = 16 zero bytes), Generation u64, NextSegmentNumber u64,
///              SegmentCount VInt, <Name String, SegmentID 16 bytes, MaxDoc u32, DeleteGeneration u64,
///              DeletedCount u32>^SegmentCount, UserData String, Footer
/// ```
/// A commit writes every new file and fsyncs it, then writes `manifest.<N>.tmp`, fsyncs, renames
/// it to `manifest.<N>` and fsyncs the folder. A reader takes the highest generation whose manifest
/// verifies (magic, footer, CRC); a torn or partial manifest is skipped, so the previous commit stays
/// the index. `UserData` carries the name of the ingest state file of this commit (or is empty).
public struct Manifest: Sendable, Equatable {
  public var generation: UInt64
  public var nextSegmentNumber: UInt64
  public var segments: [SegmentInfo]
  public var userData: String

  public init(
    generation: UInt64 = 0, nextSegmentNumber: UInt64 = 1, segments: [SegmentInfo] = [],
    userData: String = ""
  ) {
    self.generation = generation
    self.nextSegmentNumber = nextSegmentNumber
    self.segments = segments
    self.userData = userData
  }

  static let zeroID = [UInt8](repeating: 0, count: 16)
  static let prefix = "manifest."

  public static func fileName(_ generation: UInt64) -> String { "\(prefix)\(generation)" }

  func encode() -> [UInt8] {
    var w = ByteWriter()
    FileEnvelope.writeHeader(&w, kind: "MANI", segmentID: Manifest.zeroID)
    w.writeUInt64(generation)
    w.writeUInt64(nextSegmentNumber)
    w.writeVInt(segments.count)
    for s in segments {
      w.writeString(s.name)
      w.writeBytes(s.id)
      w.writeUInt32(UInt32(s.maxDoc))
      w.writeUInt64(s.deleteGeneration)
      w.writeUInt32(UInt32(s.deletedCount))
    }
    w.writeString(userData)
    FileEnvelope.writeFooter(&w)
    return w.bytes
  }

  static func decode(_ bytes: [UInt8], file: String) throws(StorageError) -> Manifest {
    try bytes.withBytes { raw throws(StorageError) in
      let body = try FileEnvelope.verify(
        raw, file: file, kind: "MANI", segmentID: zeroID, checksum: true)
      var r = ByteReader(raw, name: .dynamic(file), offset: body.lowerBound)
      var m = Manifest()
      m.generation = try r.readUInt64()
      m.nextSegmentNumber = try r.readUInt64()
      let n = try r.readVIntCount(limit: 1_000_000)
      for _ in 0..<n {
        let name = try r.readString()
        guard !name.isEmpty, !name.contains("/") else {
          throw .corrupt(file: file, detail: "bad segment name \"\(name)\"")
        }
        let id = Array(try r.readBytes(16))
        let maxDoc = Int(try r.readUInt32())
        let dg = try r.readUInt64()
        let dc = Int(try r.readUInt32())
        guard dc <= maxDoc else {
          throw .corrupt(file: file, detail: "segment \(name) deletes more than it holds")
        }
        m.segments.append(
          SegmentInfo(name: name, id: id, maxDoc: maxDoc, deleteGeneration: dg, deletedCount: dc))
      }
      m.userData = try r.readString()
      guard r.offset == body.upperBound else {
        throw .corrupt(file: file, detail: "trailing bytes")
      }
      return m
    }
  }

  /// Generations of the manifests present in `dir`, newest first.
  static func generations(in dir: String) throws(StorageError) -> [UInt64] {
    try FileSystem.list(dir).compactMap { name in
      name.hasPrefix(prefix) ? UInt64(name.dropFirst(prefix.count)) : nil
    }.sorted(by: >)
  }

  /// The newest manifest that verifies, or nil when the folder holds no commit.
  /// Manifests that fail to verify are reported in `skipped` (newest first).
  ///
  /// A manifest listed but gone when read was removed by a writer that committed twice meanwhile (a
  /// writer keeps the last two commits): that is not damage, so the folder is listed again, up to
  /// `relistLimit` times, and the vanished file is not reported.
  public static func latest(in dir: String) throws(StorageError) -> (
    Manifest?, skipped: [StorageError]
  ) {
    var relists = 0
    listing: while true {
      var skipped: [StorageError] = []
      for g in try generations(in: dir) {
        let path = "\(dir)/\(fileName(g))"
        do {
          let m = try decode(try FileSystem.readFile(path), file: fileName(g))
          guard m.generation == g else {
            skipped.append(
              .corrupt(file: fileName(g), detail: "records generation \(m.generation)"))
            continue
          }
          return (m, skipped)
        } catch {
          if case .notFound = error, relists < relistLimit {
            relists += 1
            continue listing
          }
          skipped.append(error)
        }
      }
      return (nil, skipped)
    }
  }

  /// How many times `latest` lists the folder again after a listed manifest vanished.
  static let relistLimit = 64

  public var documentCount: Int { segments.reduce(0) { $0 + $1.liveCount } }
  public var deletedCount: Int { segments.reduce(0) { $0 + $1.deletedCount } }
}
