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
/// Lengths --> LengthArray      (weighted field length of each document; 0 = field absent)
/// TitleLengths --> LengthArray (unweighted number of indexed title tokens, for `title:` scoring)
/// BodyStarts --> LengthArray   (first position of the body in `$text`; title positions are below it)
/// ```
public struct FieldLengths: @unchecked Sendable {
  let file: MappedFile
  let maxDoc: Int
  /// Each field's array (nil when the field has no norms).
  let arrays: [LengthArray?]
  let titles: LengthArray
  let bodyStarts: LengthArray

  init(file: MappedFile, meta: SegmentMeta, segmentID: [UInt8], verify: Bool) throws(StorageError) {
    let body = try FileEnvelope.verify(
      file.bytes, file: file.name, kind: "NORM", segmentID: segmentID, checksum: verify)
    let base = file.bytes.baseAddress!
    var off = body.lowerBound
    func next() throws(StorageError) -> LengthArray {
      let a = try LengthArray(
        base: base, offset: off, end: body.upperBound, maxDoc: meta.maxDoc, file: file.name)
      off += a.byteSize
      return a
    }
    var arrays: [LengthArray?] = []
    for f in meta.fields { arrays.append(f.hasNorms ? try next() : nil) }
    titles = try next()
    bodyStarts = try next()
    guard off == body.upperBound else {
      throw .corrupt(
        file: file.name, detail: "size \(file.count) does not match \(meta.maxDoc) documents")
    }
    self.file = file
    self.maxDoc = meta.maxDoc
    self.arrays = arrays
  }

  /// The lengths of `field` (nil when it has none). Valid while the segment is open.
  public func lengths(field: Int) -> LengthArray? {
    field < arrays.count ? arrays[field] : nil
  }

  @inline(__always) public func length(field: Int, doc: Int) -> UInt32 {
    guard let a = lengths(field: field), doc < maxDoc else { return 0 }
    return a[doc: doc]
  }

  public func titleLength(doc: Int) -> UInt32 { titles[doc: doc] }

  public func bodyStart(doc: Int) -> UInt32 { bodyStarts[doc: doc] }

  /// Bytes of `field`'s array (0 when it has none).
  func byteSize(field: Int) -> Int { lengths(field: field)?.byteSize ?? 0 }

  static func write(
    path: String, segmentID: [UInt8], fields: [FieldInfo], norms: [[UInt32]],
    titleLengths: [UInt32],
    bodyStarts: [UInt32]
  ) throws(StorageError) -> Int {
    let f = try FileWriter(path: path, kind: "NORM", segmentID: segmentID)
    var w = ByteWriter(capacity: 2 * titleLengths.count + 16)
    for field in fields where field.hasNorms {
      w.removeAll()
      LengthArray.encode(norms[field.number], into: &w)
      try f.write(w)
    }
    for values in [titleLengths, bodyStarts] {
      w.removeAll()
      LengthArray.encode(values, into: &w)
      try f.write(w)
    }
    return try f.finish()
  }
}
