/// A bounds-checked cursor over borrowed bytes (usually a memory-mapped file).
///
/// Every read checks bounds and throws `StorageError.corrupt` instead of trapping, so damaged files
/// surface as errors. The cursor does not own its memory: the owner (a `MappedFile`) must outlive it.
public struct ByteReader {
  public let base: UnsafeRawPointer
  public let count: Int
  public var offset: Int
  /// Names the file in error messages.
  public let name: StaticStringOrString

  public init(
    _ buffer: UnsafeRawBufferPointer, name: StaticStringOrString = "buffer", offset: Int = 0
  ) {
    // An empty buffer may have a nil base address; any non-nil pointer is fine since count == 0.
    self.base = buffer.baseAddress.map { UnsafeRawPointer($0) } ?? UnsafeRawPointer(bitPattern: 1)!
    self.count = buffer.count
    self.offset = offset
    self.name = name
  }

  public init(base: UnsafeRawPointer, count: Int, name: StaticStringOrString, offset: Int = 0) {
    self.base = base
    self.count = count
    self.offset = offset
    self.name = name
  }

  public var remaining: Int { count - offset }
  public var isAtEnd: Bool { offset >= count }

  @inline(__always) func fail(_ what: String) -> StorageError {
    StorageError.corrupt(file: name.description, detail: "\(what) at offset \(offset)")
  }

  @inline(__always) public mutating func require(_ n: Int) throws(StorageError) {
    if n < 0 || n > count - offset { throw fail("read of \(n) bytes past the end (size \(count))") }
  }

  @inline(__always) public mutating func seek(to newOffset: Int) throws(StorageError) {
    guard newOffset >= 0 && newOffset <= count else {
      throw fail("seek to \(newOffset) outside 0...\(count)")
    }
    offset = newOffset
  }

  @inline(__always) public mutating func skip(_ n: Int) throws(StorageError) {
    try require(n)
    offset += n
  }

  @inline(__always) public mutating func readUInt8() throws(StorageError) -> UInt8 {
    guard offset < count else { throw fail("read past the end (size \(count))") }
    let v = base.load(fromByteOffset: offset, as: UInt8.self)
    offset += 1
    return v
  }

  @inline(__always) public mutating func readUInt16() throws(StorageError) -> UInt16 {
    try require(2)
    let v = base.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
    offset += 2
    return UInt16(littleEndian: v)
  }

  @inline(__always) public mutating func readUInt32() throws(StorageError) -> UInt32 {
    try require(4)
    let v = base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
    offset += 4
    return UInt32(littleEndian: v)
  }

  @inline(__always) public mutating func readUInt64() throws(StorageError) -> UInt64 {
    try require(8)
    let v = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
    offset += 8
    return UInt64(littleEndian: v)
  }

  @inline(__always) public mutating func readVInt64() throws(StorageError) -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      guard offset < count else { throw fail("truncated variable-length integer") }
      let b = base.load(fromByteOffset: offset, as: UInt8.self)
      offset += 1
      if shift == 63 && b > 1 { throw fail("variable-length integer overflows 64 bits") }
      result |= UInt64(b & 0x7F) << shift
      if b < 0x80 { return result }
      shift += 7
      if shift > 63 { throw fail("variable-length integer too long") }
    }
  }

  /// A VInt that must fit in 32 bits.
  @inline(__always) public mutating func readVInt32() throws(StorageError) -> UInt32 {
    // Fast path: one byte.
    if offset < count {
      let b = base.load(fromByteOffset: offset, as: UInt8.self)
      if b < 0x80 {
        offset += 1
        return UInt32(b)
      }
    }
    let v = try readVInt64()
    guard v <= UInt64(UInt32.max) else { throw fail("value \(v) exceeds 32 bits") }
    return UInt32(v)
  }

  /// A VInt used as a size or count: must fit in `Int` and be at most `limit`.
  @inline(__always) public mutating func readVIntCount(limit: Int = Int(Int32.max))
    throws(StorageError) -> Int
  {
    let v = try readVInt64()
    guard v <= UInt64(limit) else { throw fail("count \(v) exceeds limit \(limit)") }
    return Int(v)
  }

  /// Borrows `n` bytes at the cursor and advances.
  @inline(__always) public mutating func readBytes(_ n: Int) throws(StorageError)
    -> UnsafeRawBufferPointer
  {
    try require(n)
    let p = UnsafeRawBufferPointer(start: base + offset, count: n)
    offset += n
    return p
  }

  public mutating func readString() throws(StorageError) -> String {
    let n = try readVIntCount(limit: count)
    let b = try readBytes(n)
    return String(decoding: b, as: UTF8.self)
  }

  /// The pointer at the cursor (for bulk decoders that check bounds themselves).
  @inline(__always) public var pointer: UnsafeRawPointer { base + offset }

  /// A sub-reader over `[start, start + length)` of this buffer.
  public func slice(_ start: Int, _ length: Int) throws(StorageError) -> ByteReader {
    guard start >= 0, length >= 0, start <= count, length <= count - start else {
      throw StorageError.corrupt(
        file: name.description, detail: "range \(start)+\(length) outside the file (size \(count))")
    }
    return ByteReader(base: base + start, count: length, name: name)
  }
}

/// A file name for error messages that avoids building a `String` until an error happens.
public enum StaticStringOrString: Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
  case `static`(StaticString)
  case dynamic(String)
  public init(stringLiteral value: StaticString) { self = .static(value) }
  public var description: String {
    switch self {
    case .static(let s): return s.description
    case .dynamic(let s): return s
    }
  }
}
