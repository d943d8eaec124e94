import FahrasStorage

/// The deleted documents of a segment (`<segment>_<gen>.del`), a bitset with its own generation so
/// that deleting never rewrites a segment.
///
/// ```
/// Deletes --> Header("DELS"), MaxDoc u32, DeletedCount u32, Bits u8^((MaxDoc + 7) / 8), Footer
/// ```
/// Bit `d % 8` of byte `d / 8` is set when document `d` is deleted.
public struct DeletedDocs: Sendable, Equatable {
  public private(set) var bits: [UInt8]
  public private(set) var count: Int
  public let maxDoc: Int

  public init(maxDoc: Int) {
    self.maxDoc = maxDoc
    bits = [UInt8](repeating: 0, count: (maxDoc + 7) / 8)
    count = 0
  }

  @inline(__always) public func contains(_ doc: Int) -> Bool {
    bits.withUnsafeBufferPointer { $0[doc >> 3] & (1 << UInt8(doc & 7)) != 0 }
  }

  /// Marks `doc` deleted; returns false when it already was.
  @discardableResult
  public mutating func insert(_ doc: Int) -> Bool {
    if contains(doc) { return false }
    bits[doc >> 3] |= 1 << UInt8(doc & 7)
    count += 1
    return true
  }

  func encode(segmentID: [UInt8]) -> [UInt8] {
    var w = ByteWriter(capacity: bits.count + 48)
    FileEnvelope.writeHeader(&w, kind: "DELS", segmentID: segmentID)
    w.writeUInt32(UInt32(maxDoc))
    w.writeUInt32(UInt32(count))
    w.writeBytes(bits)
    FileEnvelope.writeFooter(&w)
    return w.bytes
  }

  static func read(path: String, segmentID: [UInt8], maxDoc: Int) throws(StorageError)
    -> DeletedDocs
  {
    let file = try MappedFile(path: path, access: .sequential)
    let body = try FileEnvelope.verify(
      file.bytes, file: file.name, kind: "DELS", segmentID: segmentID, checksum: true)
    var r = file.reader(offset: body.lowerBound)
    let m = Int(try r.readUInt32())
    let c = Int(try r.readUInt32())
    guard m == maxDoc else {
      throw .corrupt(file: file.name, detail: "covers \(m) documents, the segment has \(maxDoc)")
    }
    let raw = try r.readBytes((m + 7) / 8)
    // Bits past the last document are padding and must be 0: a set one would be counted as a
    // deletion that deletes nothing.
    if m % 8 != 0, let last = raw.last, last >> UInt8(m % 8) != 0 {
      throw .corrupt(file: file.name, detail: "padding bits past document \(m - 1) are set")
    }
    var d = DeletedDocs(maxDoc: m)
    d.bits = Array(raw)
    d.count = d.bits.reduce(0) { $0 + $1.nonzeroBitCount }
    guard d.count == c, r.offset == body.upperBound else {
      throw .corrupt(
        file: file.name, detail: "deleted count \(c) does not match its bits (\(d.count))")
    }
    return d
  }
}
