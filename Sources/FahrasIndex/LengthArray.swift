import FahrasStorage

/// One array of per-document values in `.norm` (field lengths, title lengths or body starts; layout
/// in `docs/FORMAT.md` §6): two bytes per document read in place, and the rare value of 65535 or
/// more in a short overflow list sorted by document.
///
/// `LengthArray --> <u16>^MaxDoc, OverflowCount u32, <Doc u32, Value u32>^OverflowCount`
public struct LengthArray: @unchecked Sendable {
  /// The two-byte value that sends a lookup to the overflow list.
  public static let escape: UInt16 = 0xFFFF

  @usableFromInline let values: UnsafeRawPointer
  @usableFromInline let overflow: UnsafeRawPointer
  @usableFromInline let overflowCount: Int

  /// Bytes of an array of `maxDoc` documents with `overflowCount` overflowing values.
  static func size(maxDoc: Int, overflowCount: Int) -> Int { 2 * maxDoc + 4 + 8 * overflowCount }

  /// Reads the array at `offset` of the mapped body `[offset, end)`; checks its structure: the
  /// overflow list is sorted, in range, and holds exactly the escaped documents.
  init(
    base: UnsafeRawPointer, offset: Int, end: Int, maxDoc: Int, file: String
  ) throws(StorageError) {
    guard end - offset >= 2 * maxDoc + 4 else {
      throw .corrupt(file: file, detail: "length array at \(offset) overruns the file")
    }
    values = base + offset
    let count = Int(
      UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset + 2 * maxDoc, as: UInt32.self))
    )
    guard count <= (end - offset - 2 * maxDoc - 4) / 8 else {
      throw .corrupt(file: file, detail: "length array at \(offset): \(count) overflow entries")
    }
    overflowCount = count
    overflow = base + offset + 2 * maxDoc + 4
    var escaped = 0
    for d in 0..<maxDoc where Self.raw(values, d) == Self.escape { escaped += 1 }
    var previous = -1
    for i in 0..<count {
      let (doc, value) = Self.entry(overflow, i)
      guard Int(doc) > previous, Int(doc) < maxDoc, Self.raw(values, Int(doc)) == Self.escape,
        value >= UInt32(Self.escape)
      else {
        throw .corrupt(file: file, detail: "length array at \(offset): bad overflow entry \(i)")
      }
      previous = Int(doc)
    }
    guard escaped == count else {
      throw .corrupt(
        file: file, detail: "length array at \(offset): \(escaped) escaped values, \(count) entries"
      )
    }
  }

  /// Bytes this array takes in the file.
  var byteSize: Int { values.distance(to: overflow) + 8 * overflowCount }

  @inline(__always) @usableFromInline static func raw(_ p: UnsafeRawPointer, _ doc: Int) -> UInt16 {
    UInt16(littleEndian: p.loadUnaligned(fromByteOffset: doc &* 2, as: UInt16.self))
  }

  @inline(__always) static func entry(_ p: UnsafeRawPointer, _ i: Int) -> (UInt32, UInt32) {
    (
      UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i * 8, as: UInt32.self)),
      UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i * 8 + 4, as: UInt32.self))
    )
  }

  /// The value of `doc` (which must be below the segment's MaxDoc).
  @inlinable @inline(__always) public subscript(doc doc: Int) -> UInt32 {
    let v = Self.raw(values, doc)
    if _fastPath(v != Self.escape) { return UInt32(v) }
    return overflowValue(doc)
  }

  @usableFromInline func overflowValue(_ doc: Int) -> UInt32 {
    var lo = 0
    var hi = overflowCount
    while lo < hi {
      let mid = (lo + hi) >> 1
      let (d, v) = Self.entry(overflow, mid)
      if Int(d) == doc { return v }
      if Int(d) < doc { lo = mid + 1 } else { hi = mid }
    }
    return UInt32(Self.escape)  // unreachable: the structure is checked at open
  }

  /// Appends `values` in this layout to `w`.
  static func encode(_ values: [UInt32], into w: inout ByteWriter) {
    var overflowing: [(Int, UInt32)] = []
    for (d, v) in values.enumerated() {
      if v >= UInt32(escape) {
        w.writeUInt16(escape)
        overflowing.append((d, v))
      } else {
        w.writeUInt16(UInt16(v))
      }
    }
    w.writeUInt32(UInt32(overflowing.count))
    for (d, v) in overflowing {
      w.writeUInt32(UInt32(d))
      w.writeUInt32(v)
    }
  }
}
