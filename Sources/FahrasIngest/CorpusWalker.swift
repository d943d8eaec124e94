#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A readable file of a supported type found under the corpus root.
public struct CorpusFile: Sendable, Equatable {
  /// Path relative to the root, `/`-separated, no leading `/`.
  public var relativePath: String
  /// The root as given (made absolute) joined with `relativePath`; symbolic links are not resolved.
  public var absolutePath: String
  /// Size in bytes (of the link target for a symbolic link).
  public var size: Int64
  /// Last modification time, nanoseconds since the Unix epoch (of the link target for a symbolic link).
  public var modifiedNanoseconds: Int64

  public init(relativePath: String, absolutePath: String, size: Int64, modifiedNanoseconds: Int64) {
    self.relativePath = relativePath
    self.absolutePath = absolutePath
    self.size = size
    self.modifiedNanoseconds = modifiedNanoseconds
  }
}

/// The corpus root could not be walked at all.
public struct CorpusWalkerError: Error, Sendable, Equatable, CustomStringConvertible {
  public var path: String
  public var reason: String

  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }

  public var description: String { "\(path): \(reason)" }
}

/// Lists the files of a corpus folder that `DocumentReader` can read.
///
/// - Entries whose name starts with `.` are skipped (when `skipHidden`), which also keeps the index
///   folder `.fahras/` out; files whose extension `DocumentReader` does not support are skipped silently;
///   sockets, pipes and devices are ignored.
/// - Symbolic links to files are listed under the link's path. Symbolic links to folders are followed
///   after all real folders have been walked, in path order, so a folder reachable both directly and
///   through a link is listed under its real path. No folder (by device and inode) is walked twice: a
///   link to an enclosing folder is reported as a loop, a link to a folder walked elsewhere as a
///   duplicate.
/// - Unreadable folders and files, broken links, link loops and names that are not valid UTF-8 are
///   reported in `problems` (each with a relative path, `"."` for the root) instead of failing.
/// - Results are sorted by relative path in byte order (problems too).
///
/// Uses `open`/`fdopendir`/`readdir`/`fstatat` directly: one `fstatat` and one `faccessat` per listed
/// file, nothing per skipped file except symbolic links.
public struct CorpusWalker: Sendable {
  public var root: String
  public var skipHidden: Bool

  public init(root: String, skipHidden: Bool = true) {
    self.root = root
    self.skipHidden = skipHidden
  }

  /// Recursive walk in sorted (byte-order) relative-path order. Skips hidden entries (name starts with
  /// "."), unsupported extensions, and reports unreadable folders/files and symlink loops in `problems`
  /// instead of failing. Follows symlinks to files and folders but detects loops by (device, inode) of
  /// every folder on the current path (and never visits the same folder twice).
  /// - Throws: `CorpusWalkerError` only if the root itself cannot be read or is not a folder.
  /// - Complexity: O(entries + files · log files).
  public func walk() throws -> (files: [CorpusFile], problems: [SkippedInput]) {
    var walk = Walk(root: CorpusWalker.absolute(root), skipHidden: skipHidden)
    try walk.run(displayRoot: root)
    return walk.result()
  }

  /// `path` made absolute against the working directory, without trailing slashes.
  static func absolute(_ path: String) -> [UInt8] {
    var bytes = Array(path.utf8)
    if bytes.first != Ascii.slash {
      var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      if getcwd(&buffer, buffer.count) != nil {
        var cwd = buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }
        if cwd.last != Ascii.slash { cwd.append(Ascii.slash) }
        if bytes == [Ascii.dot] { bytes = [] }
        bytes = cwd + bytes
      }
    }
    while bytes.count > 1 && bytes.last == Ascii.slash { bytes.removeLast() }
    return bytes
  }
}

/// One folder identity: (device, inode).
private struct FolderID: Hashable {
  var device: UInt64
  var inode: UInt64

  init(_ info: stat) {
    device = UInt64(truncatingIfNeeded: info.st_dev)
    inode = UInt64(truncatingIfNeeded: info.st_ino)
  }
}

/// The state of one walk.
private struct Walk {
  struct Folder {
    var relative: [UInt8]
    /// Folders from the root down to and including this one.
    var ancestors: [FolderID]
  }

  struct Link {
    var relative: [UInt8]
    var target: FolderID
    /// Folders from the root down to the one holding the link.
    var ancestors: [FolderID]
  }

  struct Found {
    var relative: [UInt8]
    var size: Int64
    var modified: Int64
  }

  struct Problem {
    var relative: [UInt8]
    var reason: String
  }

  /// Absolute root path without a trailing slash ("/" stays "/").
  let root: [UInt8]
  let skipHidden: Bool
  var files: [Found] = []
  var problems: [Problem] = []
  var visited: Set<FolderID> = []
  var pending: [Folder] = []
  var links: [Link] = []

  init(root: [UInt8], skipHidden: Bool) {
    self.root = root
    self.skipHidden = skipHidden
  }

  mutating func run(displayRoot: String) throws(CorpusWalkerError) {
    var info = stat()
    let statResult = withCPath([]) { stat($0, &info) }
    guard statResult == 0 else {
      throw CorpusWalkerError(
        path: displayRoot, reason: "cannot access folder: \(errorText(errno))")
    }
    guard isFolder(info) else { throw CorpusWalkerError(path: displayRoot, reason: "not a folder") }
    let rootID = FolderID(info)
    visited.insert(rootID)
    if let failure = list(Folder(relative: [], ancestors: [rootID])) {
      throw CorpusWalkerError(path: displayRoot, reason: failure)
    }
    drain()
    // Folders behind symbolic links, after all real folders, in byte order of the link paths.
    while !links.isEmpty {
      let batch = links.sorted { lessThan($0.relative, $1.relative) }
      links.removeAll()
      for link in batch {
        if link.ancestors.contains(link.target) {
          problems.append(
            Problem(
              relative: link.relative, reason: "symbolic link loop (points to an enclosing folder)")
          )
        } else if !visited.insert(link.target).inserted {
          problems.append(
            Problem(
              relative: link.relative,
              reason: "symbolic link to a folder already walked under another path"))
        } else {
          pending.append(Folder(relative: link.relative, ancestors: link.ancestors + [link.target]))
          drain()
        }
      }
    }
  }

  func result() -> (files: [CorpusFile], problems: [SkippedInput]) {
    let sortedFiles = files.sorted { lessThan($0.relative, $1.relative) }
    let prefix = root == [Ascii.slash] ? [] : root
    let corpusFiles = sortedFiles.map { found in
      CorpusFile(
        relativePath: String(decoding: found.relative, as: UTF8.self),
        absolutePath: String(decoding: prefix + [Ascii.slash] + found.relative, as: UTF8.self),
        size: found.size, modifiedNanoseconds: found.modified)
    }
    let sortedProblems = problems.sorted { lessThan($0.relative, $1.relative) }
    let skipped = sortedProblems.map { problem in
      SkippedInput(
        path: problem.relative.isEmpty ? "." : String(decoding: problem.relative, as: UTF8.self),
        reason: problem.reason)
    }
    return (corpusFiles, skipped)
  }

  mutating func drain() {
    while let folder = pending.popLast() {
      if let failure = list(folder) {
        problems.append(Problem(relative: folder.relative, reason: failure))
      }
    }
  }

  /// Lists one folder: records its files and links, queues its subfolders. Returns a reason when the
  /// folder cannot be opened.
  mutating func list(_ folder: Folder) -> String? {
    let fd = withCPath(folder.relative) { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
    guard fd >= 0 else { return "unreadable folder: \(errorText(errno))" }
    guard let dir = fdopendir(fd) else {
      let error = errno
      close(fd)
      return "unreadable folder: \(errorText(error))"
    }
    defer { closedir(dir) }
    let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 0
    while true {
      errno = 0
      guard let entry = readdir(dir) else {
        if errno != 0 {
          problems.append(
            Problem(relative: folder.relative, reason: "error reading folder: \(errorText(errno))"))
        }
        break
      }
      let namePointer = (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self)
      let name = UnsafeRawBufferPointer(start: namePointer, count: strlen(namePointer))
      guard let first = name.first else { continue }
      if first == Ascii.dot {
        if name.count == 1 || (name.count == 2 && name[1] == Ascii.dot) || skipHidden { continue }
      }
      visit(name: name, cName: namePointer, type: Int32(entry.pointee.d_type), in: folder, fd: fd)
    }
    return nil
  }

  mutating func visit(
    name: UnsafeRawBufferPointer, cName: UnsafePointer<CChar>, type: Int32, in folder: Folder,
    fd: Int32
  ) {
    var kind = type
    var info = stat()
    if kind == Int32(DT_UNKNOWN) {
      guard fstatat(fd, cName, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
        problems.append(
          Problem(relative: path(folder, name), reason: "cannot read: \(errorText(errno))"))
        return
      }
      switch info.st_mode & S_IFMT {
      case S_IFREG: kind = Int32(DT_REG)
      case S_IFDIR: kind = Int32(DT_DIR)
      case S_IFLNK: kind = Int32(DT_LNK)
      default: return
      }
    }
    switch kind {
    case Int32(DT_REG):
      guard DocumentReader.format(ofName: name) != nil else { return }
      guard fstatat(fd, cName, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
        problems.append(
          Problem(relative: path(folder, name), reason: "unreadable file: \(errorText(errno))"))
        return
      }
      addFile(path(folder, name), info: info, cName: cName, fd: fd)
    case Int32(DT_DIR):
      guard fstatat(fd, cName, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
        problems.append(
          Problem(relative: path(folder, name), reason: "unreadable folder: \(errorText(errno))"))
        return
      }
      addFolder(path(folder, name), id: FolderID(info), parent: folder)
    case Int32(DT_LNK):
      guard fstatat(fd, cName, &info, 0) == 0 else {
        let error = errno
        let reason =
          error == ELOOP
          ? "symbolic link loop (the link chain does not end)"
          : "broken symbolic link: \(errorText(error))"
        problems.append(Problem(relative: path(folder, name), reason: reason))
        return
      }
      if isFolder(info) {
        let relative = path(folder, name)
        guard isValidName(relative) else { return }
        links.append(Link(relative: relative, target: FolderID(info), ancestors: folder.ancestors))
      } else if info.st_mode & S_IFMT == S_IFREG, DocumentReader.format(ofName: name) != nil {
        addFile(path(folder, name), info: info, cName: cName, fd: fd)
      }
    default:
      return  // sockets, pipes, devices
    }
  }

  mutating func addFile(_ relative: [UInt8], info: stat, cName: UnsafePointer<CChar>, fd: Int32) {
    guard isValidName(relative) else { return }
    guard faccessat(fd, cName, R_OK, 0) == 0 else {
      problems.append(Problem(relative: relative, reason: "unreadable file: \(errorText(errno))"))
      return
    }
    files.append(
      Found(relative: relative, size: Int64(info.st_size), modified: modificationTime(info)))
  }

  mutating func addFolder(_ relative: [UInt8], id: FolderID, parent: Folder) {
    if parent.ancestors.contains(id) {
      problems.append(
        Problem(relative: relative, reason: "folder loop (same folder as an enclosing one)"))
      return
    }
    guard isValidName(relative) else { return }
    guard visited.insert(id).inserted else {
      problems.append(
        Problem(relative: relative, reason: "folder already walked under another path"))
      return
    }
    pending.append(Folder(relative: relative, ancestors: parent.ancestors + [id]))
  }

  /// Reports and rejects paths that are not valid UTF-8 (they could not round-trip through `String`).
  mutating func isValidName(_ relative: [UInt8]) -> Bool {
    if relative.withUnsafeBytes({ UTF8Validator.isValid($0) }) { return true }
    problems.append(Problem(relative: relative, reason: "name is not valid UTF-8"))
    return false
  }

  func path(_ folder: Folder, _ name: UnsafeRawBufferPointer) -> [UInt8] {
    var relative = folder.relative
    relative.reserveCapacity(relative.count + name.count + 1)
    if !relative.isEmpty { relative.append(Ascii.slash) }
    relative.append(contentsOf: name)
    return relative
  }

  /// Runs `body` with the NUL-terminated absolute path of `relative`.
  func withCPath<R>(_ relative: [UInt8], _ body: (UnsafePointer<CChar>) -> R) -> R {
    var bytes = root
    if !relative.isEmpty {
      if bytes.last != Ascii.slash { bytes.append(Ascii.slash) }
      bytes.append(contentsOf: relative)
    }
    bytes.append(0)
    return bytes.withUnsafeBufferPointer { buffer in
      buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
    }
  }
}

private func isFolder(_ info: stat) -> Bool { info.st_mode & S_IFMT == S_IFDIR }

private func modificationTime(_ info: stat) -> Int64 {
  #if os(Linux)
    let seconds = Int64(info.st_mtim.tv_sec)
    let nanoseconds = Int64(info.st_mtim.tv_nsec)
  #else
    let seconds = Int64(info.st_mtimespec.tv_sec)
    let nanoseconds = Int64(info.st_mtimespec.tv_nsec)
  #endif
  let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
  if overflow { return seconds < 0 ? .min : .max }
  let (total, overflow2) = scaled.addingReportingOverflow(nanoseconds)
  return overflow2 ? .max : total
}

private func errorText(_ code: Int32) -> String {
  guard let text = strerror(code) else { return "error \(code)" }
  return String(cString: text)
}

/// Byte-order comparison of two paths.
private func lessThan(_ a: [UInt8], _ b: [UInt8]) -> Bool {
  a.withUnsafeBufferPointer { pa in
    b.withUnsafeBufferPointer { pb in
      let common = min(pa.count, pb.count)
      if common > 0, let x = pa.baseAddress, let y = pb.baseAddress {
        let order = memcmp(x, y, common)
        if order != 0 { return order < 0 }
      }
      return pa.count < pb.count
    }
  }
}
