import Foundation

/// Runs helper programs (python3, git, this binary in probe mode) and captures their standard output.
enum Subprocess {
  struct Result {
    var status: Int32
    var output: String
  }

  /// Runs `arguments[0]` (looked up on `PATH` unless it is a path) with the rest as arguments.
  /// Standard error goes to ours unless `quiet`. Returns nil if the program cannot be started.
  static func run(_ arguments: [String], quiet: Bool = false) -> Result? {
    guard let program = arguments.first else { return nil }
    let process = Process()
    if program.contains("/") {
      process.executableURL = URL(fileURLWithPath: program)
      process.arguments = Array(arguments.dropFirst())
    } else {
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = arguments
    }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardInput = FileHandle.nullDevice
    if quiet { process.standardError = FileHandle.nullDevice }
    do { try process.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
  }

  /// The path of the running executable (for probe child processes).
  static var selfPath: String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    if n > 0 {
      let bytes = buffer[0..<n].map { UInt8(bitPattern: $0) }
      return String(decoding: bytes, as: UTF8.self)
    }
    return CommandLine.arguments[0]
  }
}

/// Writes progress lines to standard error.
enum Progress {
  static func line(_ text: String) {
    FileHandle.standardError.write(Data(("[bench] " + text + "\n").utf8))
  }
}
