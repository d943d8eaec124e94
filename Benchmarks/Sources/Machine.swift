import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Where and when a report was made: date, machine, load, toolchain and source revision.
struct MachineInfo {
  var date: String
  var processors: Int
  var cpuModel: String
  var memoryTotalMB: Int
  var kernel: String
  var loadAverage: [Double]
  var gitCommit: String?
  var gitDirty: Bool?
  /// Modification time of the running binary: the commit is read when the benchmark runs, so a
  /// binary older than the last source change is visible here.
  var binaryModified: String?

  static func collect(repository: String?) -> MachineInfo {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    var info = MachineInfo(
      date: formatter.string(from: Date()),
      processors: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))),
      cpuModel: cpuModel(), memoryTotalMB: memoryTotalMB(), kernel: kernel(),
      loadAverage: loadAverage())
    var st = stat()
    if stat(Subprocess.selfPath, &st) == 0 {
      info.binaryModified = formatter.string(
        from: Date(timeIntervalSince1970: TimeInterval(st.st_mtim.tv_sec)))
    }
    if let repository {
      if let r = Subprocess.run(
        ["git", "-C", repository, "rev-parse", "--short", "HEAD"], quiet: true),
        r.status == 0
      {
        info.gitCommit = r.output.trimmingCharacters(in: .whitespacesAndNewlines)
        // --no-optional-locks: status must not refresh (write) the git index.
        if let s = Subprocess.run(
          [
            "git", "--no-optional-locks", "-C", repository, "status", "--porcelain",
            "--untracked-files=no",
          ], quiet: true), s.status == 0
        {
          info.gitDirty = !s.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        }
      }
    }
    return info
  }

  static func cpuModel() -> String {
    guard let text = ProcFile.read("/proc/cpuinfo") else { return "unknown" }
    for line in text.split(separator: "\n") where line.hasPrefix("model name") {
      if let colon = line.firstIndex(of: ":") {
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      }
    }
    return "unknown"
  }

  static func memoryTotalMB() -> Int {
    guard let text = ProcFile.read("/proc/meminfo") else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
      let kb = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
      return kb / 1024
    }
    return 0
  }

  static func kernel() -> String {
    var u = utsname()
    guard uname(&u) == 0 else { return "unknown" }
    func field<T>(_ value: inout T) -> String {
      withUnsafeBytes(of: &value) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
    }
    return field(&u.sysname) + " " + field(&u.release) + " " + field(&u.machine)
  }

  /// The 1, 5 and 15 minute load averages.
  static func loadAverage() -> [Double] {
    guard let text = ProcFile.read("/proc/loadavg") else { return [] }
    return text.split(separator: " ").prefix(3).compactMap { Double($0) }
  }

  var json: JSONValue {
    .object([
      ("nproc", .int(processors)),
      ("cpu_model", .string(cpuModel)),
      ("memory_total_mb", .int(memoryTotalMB)),
      ("kernel", .string(kernel)),
      ("loadavg_start", .array(loadAverage.map { .double($0) })),
    ])
  }
}
