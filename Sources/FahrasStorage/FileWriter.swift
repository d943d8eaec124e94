#if canImport(Glibc)
  import Glibc
#endif

/// Streams one Fahras file to disk through a buffer, keeping a running CRC32C so the footer can be
/// written without reading the file back. `finish()` writes the footer, fsyncs and closes.
/// A writer that is dropped without `finish()` leaves a file without a footer, which readers reject.
public final class FileWriter {
  public let path: String
  private var fd: Int32
  private var buffer: ByteWriter
  private var crc: UInt32 = 0
  /// Bytes written so far (flushed + buffered): the offset of the next byte.
  public private(set) var position: Int = 0
  private let bufferLimit = 1 << 20

  public init(path: String, kind: String, segmentID: [UInt8]) throws(StorageError) {
    self.path = path
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    if fd < 0 { throw .io(path: path, operation: "create", errno: errno) }
    buffer = ByteWriter(capacity: bufferLimit + 4096)
    var header = ByteWriter()
    FileEnvelope.writeHeader(&header, kind: kind, segmentID: segmentID)
    try write(header.bytes)
  }

  deinit {
    if fd >= 0 { close(fd) }
  }

  public func write(_ bytes: [UInt8]) throws(StorageError) {
    buffer.writeBytes(bytes)
    position += bytes.count
    if buffer.count >= bufferLimit { try flushBuffer() }
  }

  public func write(_ w: ByteWriter) throws(StorageError) { try write(w.bytes) }

  public func write(_ bytes: UnsafeRawBufferPointer) throws(StorageError) {
    buffer.writeBytes(bytes)
    position += bytes.count
    if buffer.count >= bufferLimit { try flushBuffer() }
  }

  public func writeUInt32(_ v: UInt32) throws(StorageError) {
    buffer.writeUInt32(v)
    position += 4
  }

  public func writeUInt64(_ v: UInt64) throws(StorageError) {
    buffer.writeUInt64(v)
    position += 8
  }

  private func flushBuffer() throws(StorageError) {
    if buffer.count == 0 { return }
    let err: Int32 = buffer.bytes.withUnsafeBytes { raw in
      crc = CRC32C.checksum(raw, previous: crc)
      var off = 0
      while off < raw.count {
        let n = Glibc.write(fd, raw.baseAddress! + off, raw.count - off)
        if n < 0 {
          if errno == EINTR { continue }
          return errno
        }
        off += n
      }
      return 0
    }
    if err != 0 { throw .io(path: path, operation: "write", errno: err) }
    buffer.removeAll()
  }

  /// Writes the footer, fsyncs and closes. Returns the file size.
  @discardableResult
  public func finish(sync: Bool = true) throws(StorageError) -> Int {
    buffer.writeBytes(FileEnvelope.footerMagic)
    position += 4
    try flushBuffer()
    var tail = ByteWriter()
    tail.writeUInt32(crc)
    buffer = tail
    position += 4
    let crcBytes = buffer.bytes
    let err: Int32 = crcBytes.withUnsafeBytes { raw in
      Glibc.write(fd, raw.baseAddress!, 4) == 4 ? 0 : errno
    }
    if err != 0 { throw .io(path: path, operation: "write", errno: err) }
    if sync && fsync(fd) != 0 { throw .io(path: path, operation: "fsync", errno: errno) }
    close(fd)
    fd = -1
    return position
  }
}
