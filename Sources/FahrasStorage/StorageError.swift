/// Errors of the storage layer. Every message names the file at fault.
public enum StorageError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file's bytes are not what the format says they must be.
  case corrupt(file: String, detail: String)
  /// A system call failed.
  case io(path: String, operation: String, errno: Int32)
  /// The file was not found.
  case notFound(path: String)

  public var description: String {
    switch self {
    case .corrupt(let file, let detail): return "corrupt file \(file): \(detail)"
    case .io(let path, let op, let e): return "\(op) failed for \(path): \(errnoDescription(e))"
    case .notFound(let path): return "no such file: \(path)"
    }
  }
}

#if canImport(Glibc)
  import Glibc
#endif

func errnoDescription(_ e: Int32) -> String {
  String(cString: strerror(e)) + " (errno \(e))"
}
