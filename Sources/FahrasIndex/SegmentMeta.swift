import FahrasStorage

/// A segment's description (`.meta`): document count, fields and their statistics.
///
/// ```
/// Meta  --> Header("META"), MaxDoc u32, TitleWeight u32, PositionGap u32, FieldCount VInt,
///           <Number u8, Name String, Flags u8, DocCount u32, SumLength u64>^FieldCount, Footer
/// Flags --> bit 0 positions, bit 1 norms, bit 2 keyword
/// ```
public struct SegmentMeta: Sendable, Equatable {
  public var maxDoc: Int
  public var titleWeight: UInt32
  public var positionGap: UInt32
  public var fields: [FieldInfo]

  func encode(segmentID: [UInt8]) -> [UInt8] {
    var w = ByteWriter()
    FileEnvelope.writeHeader(&w, kind: "META", segmentID: segmentID)
    w.writeUInt32(UInt32(maxDoc))
    w.writeUInt32(titleWeight)
    w.writeUInt32(positionGap)
    w.writeVInt(fields.count)
    for f in fields {
      w.writeUInt8(UInt8(f.number))
      w.writeString(f.name)
      var flags: UInt8 = 0
      if f.hasPositions { flags |= 1 }
      if f.hasNorms { flags |= 2 }
      if f.isKeyword { flags |= 4 }
      w.writeUInt8(flags)
      w.writeUInt32(UInt32(f.docCount))
      w.writeUInt64(f.sumLength)
    }
    FileEnvelope.writeFooter(&w)
    return w.bytes
  }

  static func decode(_ file: MappedFile, segmentID: [UInt8]) throws(StorageError) -> SegmentMeta {
    let body = try FileEnvelope.verify(
      file.bytes, file: file.name, kind: "META", segmentID: segmentID, checksum: true)
    var r = file.reader(offset: body.lowerBound)
    let maxDoc = Int(try r.readUInt32())
    let tw = try r.readUInt32()
    let gap = try r.readUInt32()
    let n = try r.readVIntCount(limit: FieldInfo.maxFields)
    var fields: [FieldInfo] = []
    for i in 0..<n {
      let number = Int(try r.readUInt8())
      guard number == i else {
        throw .corrupt(file: file.name, detail: "field \(i) has number \(number)")
      }
      let name = try r.readString()
      let flags = try r.readUInt8()
      let dc = Int(try r.readUInt32())
      let sum = try r.readUInt64()
      fields.append(
        FieldInfo(
          number: number, name: name, hasPositions: flags & 1 != 0, hasNorms: flags & 2 != 0,
          isKeyword: flags & 4 != 0, docCount: dc, sumLength: sum))
    }
    guard fields.count >= 4, fields[0].name == FieldInfo.text, fields[1].name == FieldInfo.light
    else {
      throw .corrupt(file: file.name, detail: "missing built-in fields")
    }
    return SegmentMeta(maxDoc: maxDoc, titleWeight: tw, positionGap: gap, fields: fields)
  }
}

/// Field lengths (`.norm`): exact lengths, one `u32` per document.
///
/// ```
/// Norms --> Header("NORM"), <Lengths>^(fields with norms, in field-number order), TitleLengths,
///           BodyStarts, Footer
/// Lengths --> u32^MaxDoc      (weighted field length of each document; 0 = field absent)
/// TitleLengths --> u32^MaxDoc (unweighted number of indexed title tokens, for `title:` scoring)
/// BodyStarts --> u32^MaxDoc   (first position of the body in `$text`; title positions are below it)
/// ```
public struct FieldLengths: @unchecked Sendable {
  let file: MappedFile
  let maxDoc: Int
  /// Byte offset of each field's array (nil when the field has no norms).
  let offsets: [Int?]
  let titleOffset: Int
  let bodyStartOffset: Int

  init(file: MappedFile, meta: SegmentMeta, segmentID: [UInt8], verify: Bool) throws(StorageError) {
    let body = try FileEnvelope.verify(
      file.bytes, file: file.name, kind: "NORM", segmentID: segmentID, checksum: verify)
    var off = body.lowerBound
    var offsets: [Int?] = []
    for f in meta.fields {
      if f.hasNorms {
        offsets.append(off)
        off += meta.maxDoc * 4
      } else {
        offsets.append(nil)
      }
    }
    titleOffset = off
    bodyStartOffset = off + meta.maxDoc * 4
    off += meta.maxDoc * 8
    guard off == body.upperBound else {
      throw .corrupt(
        file: file.name, detail: "size \(file.count) does not match \(meta.maxDoc) documents")
    }
    self.file = file
    self.maxDoc = meta.maxDoc
    self.offsets = offsets
  }

  /// A pointer to the lengths of `field` (nil when it has none). Valid while the segment is open.
  public func lengths(field: Int) -> UnsafeRawPointer? {
    guard field < offsets.count, let o = offsets[field] else { return nil }
    return file.bytes.baseAddress! + o
  }

  @inline(__always) public func length(field: Int, doc: Int) -> UInt32 {
    guard let p = lengths(field: field), doc < maxDoc else { return 0 }
    return UInt32(littleEndian: p.loadUnaligned(fromByteOffset: doc * 4, as: UInt32.self))
  }

  public func titleLength(doc: Int) -> UInt32 {
    UInt32(
      littleEndian: file.bytes.baseAddress!.loadUnaligned(
        fromByteOffset: titleOffset + doc * 4, as: UInt32.self))
  }

  public func bodyStart(doc: Int) -> UInt32 {
    UInt32(
      littleEndian: file.bytes.baseAddress!.loadUnaligned(
        fromByteOffset: bodyStartOffset + doc * 4, as: UInt32.self))
  }

  static func write(
    path: String, segmentID: [UInt8], fields: [FieldInfo], norms: [[UInt32]],
    titleLengths: [UInt32],
    bodyStarts: [UInt32]
  ) throws(StorageError) -> Int {
    let f = try FileWriter(path: path, kind: "NORM", segmentID: segmentID)
    for field in fields where field.hasNorms {
      try norms[field.number].withBytes { raw throws(StorageError) in try f.write(raw) }
    }
    try titleLengths.withBytes { raw throws(StorageError) in try f.write(raw) }
    try bodyStarts.withBytes { raw throws(StorageError) in try f.write(raw) }
    return try f.finish()
  }
}
