/// A growable little-endian byte buffer used by every file writer.
///
/// Integers are little-endian; `VInt` is the LEB128-style variable-byte code: 7 bits per byte, low
/// groups first, high bit set on every byte but the last (a `UInt64` takes at most 10 bytes).
public struct ByteWriter: Sendable {
  public private(set) var bytes: [UInt8]

  public init(capacity: Int = 0) {
    bytes = []
    bytes.reserveCapacity(capacity)
  }

  public var count: Int { bytes.count }

  public mutating func removeAll(keepingCapacity: Bool = true) {
    bytes.removeAll(keepingCapacity: keepingCapacity)
  }

  @inline(__always) public mutating func writeUInt8(_ v: UInt8) { bytes.append(v) }

  @inline(__always) public mutating func writeUInt16(_ v: UInt16) {
    bytes.append(UInt8(truncatingIfNeeded: v))
    bytes.append(UInt8(truncatingIfNeeded: v >> 8))
  }

  @inline(__always) public mutating func writeUInt32(_ v: UInt32) {
    withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
  }

  @inline(__always) public mutating func writeUInt64(_ v: UInt64) {
    withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
  }

  @inline(__always) public mutating func writeVInt(_ value: UInt64) {
    var v = value
    while v >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }

  @inline(__always) public mutating func writeVInt(_ value: Int) { writeVInt(UInt64(value)) }
  @inline(__always) public mutating func writeVInt(_ value: UInt32) { writeVInt(UInt64(value)) }

  public mutating func writeBytes(_ b: some Collection<UInt8>) { bytes.append(contentsOf: b) }

  public mutating func writeBytes(_ b: UnsafeRawBufferPointer) { bytes.append(contentsOf: b) }

  /// A length-prefixed (VInt) UTF-8 string.
  public mutating func writeString(_ s: String) {
    var s = s
    s.withUTF8 { u in
      writeVInt(u.count)
      bytes.append(contentsOf: u)
    }
  }

  /// Appends `byteCount` bytes filled by `body` (used by bit packing).
  public mutating func append(
    byteCount: Int, _ body: (UnsafeMutableRawPointer) -> Void
  ) {
    let start = bytes.count
    bytes.append(contentsOf: repeatElement(0, count: byteCount))
    bytes.withUnsafeMutableBytes { raw in
      body(raw.baseAddress! + start)
    }
  }

  /// Overwrites 4 bytes at `offset` (for back-patched lengths).
  public mutating func patchUInt32(_ v: UInt32, at offset: Int) {
    withUnsafeBytes(of: v.littleEndian) { src in
      for i in 0..<4 { bytes[offset + i] = src[i] }
    }
  }
}
