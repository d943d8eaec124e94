import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The monotonic clock, in seconds.
enum Monotonic {
  static func seconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
  }

  /// Runs `body` and returns its result with the elapsed seconds.
  static func time<R>(_ body: () throws -> R) rethrows -> (R, Double) {
    let start = seconds()
    let result = try body()
    return (result, seconds() - start)
  }
}

/// Repeated measurements of one quantity; the median is the reported value.
struct Runs {
  var values: [Double] = []

  /// Middle value (mean of the two middle ones for an even count); 0 when empty.
  var median: Double { Statistics.median(values) }
  var min: Double { values.min() ?? 0 }
  var max: Double { values.max() ?? 0 }
}

enum Statistics {
  static func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    let s = values.sorted()
    let m = s.count / 2
    return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
  }

  /// Nearest-rank percentile of sorted values (`p` in 0...1), as `fahras bench` computes it.
  static func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let index = Swift.min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)
    return sorted[Swift.max(0, index)]
  }
}

/// Memory of this process from `/proc/self/status`, in KiB.
enum ProcessMemory {
  struct Sample {
    /// Resident set size (`VmRSS`).
    var resident = 0
    /// Peak resident set size since start or since `resetPeak()` (`VmHWM`).
    var peak = 0
    /// Anonymous resident memory (`RssAnon`: heap, stacks).
    var anonymous = 0
    /// File-backed resident memory (`RssFile`: mapped index files, the binary).
    var file = 0
  }

  static func sample() -> Sample {
    var s = Sample()
    guard let text = ProcFile.read("/proc/self/status") else { return s }
    for line in text.split(separator: "\n") {
      let parts = line.split(separator: ":", maxSplits: 1)
      guard parts.count == 2 else { continue }
      let number =
        parts[1].split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) } ?? 0
      switch parts[0] {
      case "VmRSS": s.resident = number
      case "VmHWM": s.peak = number
      case "RssAnon": s.anonymous = number
      case "RssFile": s.file = number
      default: break
      }
    }
    return s
  }

  /// Resets `VmHWM` to the current RSS (Linux: writing 5 to `/proc/self/clear_refs`).
  @discardableResult
  static func resetPeak() -> Bool {
    let fd = open("/proc/self/clear_refs", O_WRONLY)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    return write(fd, "5", 1) == 1
  }
}

/// Reads small files whose size `stat` does not report (`/proc`).
enum ProcFile {
  static func read(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if n <= 0 { break }
      bytes.append(contentsOf: chunk[0..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// Sizes of files and folders.
enum FileSizes {
  /// Size of a regular file (following links), or nil.
  static func size(_ path: String) -> Int64? {
    var st = stat()
    guard stat(path, &st) == 0 else { return nil }
    return Int64(st.st_size)
  }

  static func isDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
  }
}

/// Number formatting for the text output.
enum Format {
  static func fixed(_ value: Double, _ decimals: Int) -> String {
    guard value.isFinite else { return "-" }
    return String(format: "%.\(decimals)f", value)
  }

  /// Three significant figures or so: 1234 → "1234", 12.34 → "12.3", 0.1234 → "0.123".
  static func short(_ value: Double) -> String {
    let a = abs(value)
    if a >= 100 { return fixed(value, 0) }
    if a >= 10 { return fixed(value, 1) }
    if a >= 1 { return fixed(value, 2) }
    return fixed(value, 3)
  }

  /// Integers as such, other values as `short` does.
  static func metric(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : short(value)
  }

  static func mib(_ bytes: Double) -> String { fixed(bytes / 1_048_576, 1) }

  static func pad(_ s: String, _ width: Int) -> String {
    s + String(repeating: " ", count: Swift.max(1, width - s.count))
  }

  static func padLeft(_ s: String, _ width: Int) -> String {
    String(repeating: " ", count: Swift.max(0, width - s.count)) + s
  }
}
