#if canImport(Glibc)
  import Glibc
#endif

/// Thin wrappers over the POSIX calls the index needs, each returning typed `StorageError`s.
public enum FileSystem {
  /// Writes `bytes` to `path` (created or truncated) and fsyncs it before returning.
  public static func writeFile(_ path: String, _ bytes: [UInt8], sync: Bool = true)
    throws(StorageError)
  {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    if fd < 0 { throw .io(path: path, operation: "create", errno: errno) }
    defer { close(fd) }
    var written = 0
    let total = bytes.count
    let err: Int32 = bytes.withUnsafeBytes { raw in
      while written < total {
        let n = write(fd, raw.baseAddress! + written, total - written)
        if n < 0 {
          if errno == EINTR { continue }
          return errno
        }
        written += n
      }
      return 0
    }
    if err != 0 { throw .io(path: path, operation: "write", errno: err) }
    if sync && fsync(fd) != 0 { throw .io(path: path, operation: "fsync", errno: errno) }
  }

  /// Reads a whole (small) file into memory.
  public static func readFile(_ path: String) throws(StorageError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      if errno == ENOENT { throw .notFound(path: path) }
      throw .io(path: path, operation: "open", errno: errno)
    }
    defer { close(fd) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw .io(path: path, operation: "read", errno: errno)
      }
      if n == 0 { break }
      out.append(contentsOf: chunk[0..<n])
    }
    return out
  }

  /// Atomically replaces `path`: write to `path.tmp`, fsync, rename, fsync the folder.
  public static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws(StorageError) {
    let tmp = path + ".tmp"
    try writeFile(tmp, bytes)
    if rename(tmp, path) != 0 { throw .io(path: path, operation: "rename", errno: errno) }
    try syncDirectory(parent(of: path))
  }

  public static func syncDirectory(_ dir: String) throws(StorageError) {
    let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if fd < 0 { throw .io(path: dir, operation: "open folder", errno: errno) }
    defer { close(fd) }
    if fsync(fd) != 0 && errno != EINVAL {
      throw .io(path: dir, operation: "fsync folder", errno: errno)
    }
  }

  public static func parent(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }

  public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

  public static func isDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
  }

  public static func fileSize(_ path: String) -> Int64? {
    var st = stat()
    return stat(path, &st) == 0 ? Int64(st.st_size) : nil
  }

  /// Creates the folder and its parents.
  public static func makeDirectories(_ path: String) throws(StorageError) {
    if isDirectory(path) { return }
    let p = parent(of: path)
    if p != path && !p.isEmpty && p != "." && p != "/" && !isDirectory(p) { try makeDirectories(p) }
    if mkdir(path, 0o755) != 0 && errno != EEXIST {
      throw .io(path: path, operation: "create folder", errno: errno)
    }
  }

  /// Names in a folder (no "." / "..").
  public static func list(_ dir: String) throws(StorageError) -> [String] {
    guard let d = opendir(dir) else {
      if errno == ENOENT { throw .notFound(path: dir) }
      throw .io(path: dir, operation: "open folder", errno: errno)
    }
    defer { closedir(d) }
    var names: [String] = []
    while let e = readdir(d) {
      let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
        String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  public static func remove(_ path: String) {
    _ = unlink(path)
  }
}

/// An exclusive advisory lock (`flock`) on a file holding the owner's pid.
///
/// The kernel drops the lock when the process dies, so a lock left by a crashed writer is recovered
/// automatically; the pid in the file only serves the error message of a refused writer.
public final class FileLock {
  public let path: String
  private var fd: Int32

  /// Takes the lock or throws `.locked(pid)` naming the process that holds it.
  public init(path: String) throws(LockError) {
    self.path = path
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    if fd < 0 { throw .io(StorageError.io(path: path, operation: "open lock", errno: errno)) }
    if flock(fd, LOCK_EX | LOCK_NB) != 0 {
      let holder = FileLock.readPid(fd)
      close(fd)
      fd = -1
      throw .locked(path: path, holderPid: holder)
    }
    _ = ftruncate(fd, 0)
    let s = "\(getpid())\n"
    _ = s.withCString { pwrite(fd, $0, strlen($0), 0) }
  }

  private static func readPid(_ fd: Int32) -> Int32? {
    var buf = [UInt8](repeating: 0, count: 32)
    let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, 31, 0) }
    guard n > 0 else { return nil }
    let s = String(decoding: buf[0..<n], as: UTF8.self).trimmingWhitespace()
    return Int32(s)
  }

  public func unlock() {
    if fd >= 0 {
      _ = flock(fd, LOCK_UN)
      close(fd)
      fd = -1
    }
  }

  deinit { unlock() }

  public enum LockError: Error, CustomStringConvertible {
    case locked(path: String, holderPid: Int32?)
    case io(StorageError)
    public var description: String {
      switch self {
      case .locked(let path, let pid):
        let who = pid.map { "process \($0)" } ?? "another process"
        return "the index is locked by \(who) (lock file \(path)); only one writer at a time"
      case .io(let e): return e.description
      }
    }
  }
}

extension String {
  func trimmingWhitespace() -> String {
    var s = Substring(self)
    while let f = s.first, f.isWhitespace { s.removeFirst() }
    while let l = s.last, l.isWhitespace { s.removeLast() }
    return String(s)
  }
}
