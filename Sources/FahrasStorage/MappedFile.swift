#if canImport(Glibc)
  import Glibc
#endif

/// The one owner of a read-only memory mapping of a whole file.
///
/// Opening maps the file with `mmap(PROT_READ, MAP_SHARED)` and advises the kernel (`madvise`) of the
/// expected access pattern; `deinit` unmaps. Readers borrow the bytes through `bytes` / `reader()` and
/// must not let pointers outlive the `MappedFile` (they hold a reference to it instead).
/// The mapping is immutable, so the type is `Sendable`.
public final class MappedFile: Sendable {
  public enum Access: Sendable { case random, sequential, normal }

  public let path: String
  /// Just the last path component, for error messages.
  public let name: String
  nonisolated(unsafe) private let base: UnsafeMutableRawPointer?
  public let count: Int

  public init(path: String, access: Access = .random) throws(StorageError) {
    self.path = path
    self.name = path.split(separator: "/").last.map(String.init) ?? path
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      let e = errno
      if e == ENOENT { throw .notFound(path: path) }
      throw .io(path: path, operation: "open", errno: e)
    }
    defer { close(fd) }
    var st = stat()
    if fstat(fd, &st) != 0 { throw .io(path: path, operation: "fstat", errno: errno) }
    let size = Int(st.st_size)
    count = size
    if size == 0 {
      base = nil
      return
    }
    let p = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0)
    if p == MAP_FAILED || p == nil { throw .io(path: path, operation: "mmap", errno: errno) }
    base = p
    advise(access)
  }

  deinit {
    if let base { munmap(base, count) }
  }

  /// The mapped bytes. Do not let the buffer escape the lifetime of `self`.
  public var bytes: UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: base.map { UnsafeRawPointer($0) }, count: count)
  }

  public func reader(offset: Int = 0) -> ByteReader {
    ByteReader(bytes, name: .dynamic(name), offset: offset)
  }

  /// Asks the kernel to drop the pages from this process's resident set (after a full checksum scan).
  public func dontNeed() {
    if let base { _ = madvise(base, count, MADV_DONTNEED) }
  }

  /// Drops the whole pages inside `range` from this process's resident set (bytes already
  /// consumed by a sequential reader); the page cache keeps them.
  public func dontNeed(_ range: Range<Int>) {
    guard let base, !range.isEmpty else { return }
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let start = (range.lowerBound + page - 1) / page * page
    let end = range.upperBound / page * page
    if end > start { _ = madvise(base + start, end - start, MADV_DONTNEED) }
  }

  /// Changes the access pattern advised at open: `.sequential` while a whole-file checksum scan
  /// reads it (the kernel then reads ahead in large pieces; with `.random` a cold file is read one
  /// page per fault), `.random` for searching afterwards.
  public func advise(_ access: Access) {
    guard let base else { return }
    let advice: Int32
    switch access {
    case .random: advice = MADV_RANDOM
    case .sequential: advice = MADV_SEQUENTIAL
    case .normal: advice = MADV_NORMAL
    }
    _ = madvise(base, count, advice)
  }

  /// Asks the kernel to read ahead (for merges and checks that read everything once).
  public func willNeed() {
    if let base { _ = madvise(base, count, MADV_WILLNEED) }
  }
}
