#if canImport(Glibc)
  import Glibc
#endif

/// Standard output and error, with colors only on a terminal and never with `NO_COLOR` set.
public struct Console: Sendable {
  public let colors: Bool
  public let stdoutIsTerminal: Bool
  public let stderrIsTerminal: Bool

  public init() {
    stdoutIsTerminal = isatty(1) == 1
    stderrIsTerminal = isatty(2) == 1
    colors = stdoutIsTerminal && getenv("NO_COLOR") == nil
  }

  public func out(_ s: String) {
    standardOutput.write(s)
  }

  public func line(_ s: String = "") {
    standardOutput.write(s + "\n")
  }

  public func err(_ s: String) {
    standardOutput.flush()
    standardError.write(s + "\n")
    standardError.flush()
  }

  /// Writes to stderr without a newline (progress lines).
  public func errInline(_ s: String) {
    standardError.write(s)
    standardError.flush()
  }

  public func flush() {
    standardOutput.flush()
  }

  public func bold(_ s: String) -> String { colors ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
  public func dim(_ s: String) -> String { colors ? "\u{1B}[2m\(s)\u{1B}[0m" : s }
  public func highlightOpen() -> String { colors ? "\u{1B}[1;33m" : "**" }
  public func highlightClose() -> String { colors ? "\u{1B}[0m" : "**" }
}

/// Minimal JSON writing (strings escaped per RFC 8259).
public enum JSON {
  public static func string(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if u.value < 0x20 {
          let h = String(u.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out + "\""
  }

  public static func number(_ d: Double) -> String {
    guard d.isFinite else { return "null" }
    if d == d.rounded() && abs(d) < 1e15 { return String(Int64(d)) }
    return String(format3(d))
  }

  static func format3(_ d: Double) -> String {
    let r = (d * 1000).rounded() / 1000
    return "\(r)"
  }

  public static func object(_ pairs: [(String, String)]) -> String {
    "{" + pairs.map { "\(string($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
  }

  public static func array(_ items: [String]) -> String {
    "[" + items.joined(separator: ", ") + "]"
  }
}

/// Monotonic seconds.
func now() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func formatBytes(_ n: Int64) -> String {
  let d = Double(n)
  if d >= 1_073_741_824 { return format1(d / 1_073_741_824) + " GiB" }
  if d >= 1_048_576 { return format1(d / 1_048_576) + " MiB" }
  if d >= 1024 { return format1(d / 1024) + " KiB" }
  return "\(n) B"
}

func format1(_ d: Double) -> String {
  let r = (d * 10).rounded() / 10
  return "\(r)"
}

func format2(_ d: Double) -> String {
  let r = (d * 100).rounded() / 100
  return "\(r)"
}

/// A buffered writer on a file descriptor (stdout / stderr), safe to share between threads.
final class FDWriter: @unchecked Sendable {
  let fd: Int32
  private var buffer: [UInt8] = []
  private var m = pthread_mutex_t()

  init(fd: Int32) {
    self.fd = fd
    pthread_mutex_init(&m, nil)
    buffer.reserveCapacity(1 << 16)
  }

  func write(_ s: String) {
    pthread_mutex_lock(&m)
    buffer.append(contentsOf: s.utf8)
    let full = buffer.count >= 1 << 16
    pthread_mutex_unlock(&m)
    if full { flush() }
  }

  func flush() {
    pthread_mutex_lock(&m)
    defer { pthread_mutex_unlock(&m) }
    var off = 0
    buffer.withUnsafeBytes { raw in
      while off < raw.count {
        let n = Glibc.write(fd, raw.baseAddress! + off, raw.count - off)
        if n < 0 {
          if errno == EINTR { continue }
          break
        }
        off += n
      }
    }
    buffer.removeAll(keepingCapacity: true)
  }
}

let standardOutput = FDWriter(fd: 1)
let standardError = FDWriter(fd: 2)
