/// The header and footer every Fahras file carries.
///
/// ```
/// File    --> Header, Body, Footer
/// Header  --> Magic "FHRS" (4 bytes), Kind (4 ASCII bytes, e.g. "POST"), Version u32, SegmentID (16 bytes)
/// Footer  --> FooterMagic "SRHF" (4 bytes), CRC32C u32
/// ```
/// All integers little-endian. The CRC32C covers every byte of the file before the CRC field itself
/// (header, body and footer magic). Header = 28 bytes, footer = 8 bytes.
public enum FileEnvelope {
  public static let headerSize = 28
  public static let footerSize = 8
  public static let magic: [UInt8] = Array("FHRS".utf8)
  public static let footerMagic: [UInt8] = Array("SRHF".utf8)
  public static let formatVersion: UInt32 = 4

  /// Starts a file: writes the header.
  public static func writeHeader(_ w: inout ByteWriter, kind: String, segmentID: [UInt8]) {
    precondition(kind.utf8.count == 4 && segmentID.count == 16)
    w.writeBytes(magic)
    w.writeBytes(Array(kind.utf8))
    w.writeUInt32(formatVersion)
    w.writeBytes(segmentID)
  }

  /// Ends a file: appends the footer magic and the CRC32C of everything before it.
  public static func writeFooter(_ w: inout ByteWriter) {
    w.writeBytes(footerMagic)
    let crc = w.bytes.withUnsafeBytes { CRC32C.checksum($0) }
    w.writeUInt32(crc)
  }

  /// Shows bytes read from a file in an error message: printable ASCII as text in quotes, anything
  /// else (a damaged byte may be a newline or a terminal escape) as hex, e.g. `0x44 0x0A 0x43 0x54`.
  public static func printable(_ bytes: some Collection<UInt8>) -> String {
    if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) {
      return "\"" + String(decoding: bytes, as: UTF8.self) + "\""
    }
    return bytes.map { "0x" + String($0, radix: 16, uppercase: true).leftPadded(to: 2) }
      .joined(separator: " ")
  }

  /// Checks magic, kind, version, segment id and footer magic (cheap), and optionally the CRC (reads
  /// the whole file). Returns the body range.
  public static func verify(
    _ bytes: UnsafeRawBufferPointer, file: String, kind: String, segmentID: [UInt8]?,
    checksum: Bool
  ) throws(StorageError) -> Range<Int> {
    func bad(_ d: String) -> StorageError { .corrupt(file: file, detail: d) }
    guard bytes.count >= headerSize + footerSize else {
      throw bad("file too short (\(bytes.count) bytes) to hold a header and footer")
    }
    if !zip(bytes[0..<4], magic).allSatisfy({ $0 == $1 }) {
      throw bad("bad magic: not a Fahras file")
    }
    if !zip(bytes[4..<8], kind.utf8).allSatisfy({ $0 == $1 }) {
      throw bad(
        "wrong file kind \(printable(bytes[4..<8])), expected \"\(kind)\""
      )
    }
    let version = bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
    if UInt32(littleEndian: version) != formatVersion {
      throw bad(
        "unsupported format version \(UInt32(littleEndian: version)) (this build reads \(formatVersion))"
      )
    }
    if let segmentID, !zip(bytes[12..<28], segmentID).allSatisfy({ $0 == $1 }) {
      throw bad("segment id in header does not match the segment (file from another segment?)")
    }
    let f = bytes.count - footerSize
    if !zip(bytes[f..<(f + 4)], footerMagic).allSatisfy({ $0 == $1 }) {
      throw bad("bad footer magic (truncated or overwritten file)")
    }
    if checksum {
      let stored = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: f + 4, as: UInt32.self))
      let actual = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<(f + 4)]))
      if stored != actual {
        throw bad(
          "checksum mismatch (stored \(hex(stored)), computed \(hex(actual))): the file is damaged")
      }
    }
    return headerSize..<f
  }

  static func hex(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - s.count)) + s
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
