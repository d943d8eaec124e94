import FahrasStorage

/// Errors of the index layer. Messages name the folder or file at fault.
public enum IndexError: Error, CustomStringConvertible {
  case noIndex(path: String, reason: String)
  case storage(StorageError)
  case locked(String)
  case invalidArgument(String)

  public var description: String {
    switch self {
    case .noIndex(let path, let reason): return "no index at \(path): \(reason)"
    case .storage(let e): return e.description
    case .locked(let m): return m
    case .invalidArgument(let m): return m
    }
  }
}
