// Support for the end-to-end tests of the `fahras` executable: finding the binary, running it with
// Foundation `Process` (stdin piped from a string, stdout/stderr captured, a timeout), scratch folders,
// fixture files and JSON parsing.

import Dispatch
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

// MARK: - Running the executable

/// What one run of `fahras` produced.
struct CLIRun: Sendable, CustomStringConvertible {
  var arguments: [String]
  /// Exit status (or the signal number when killed); -1 when the process could not be started.
  var status: Int32
  var stdout: String
  var stderr: String
  var timedOut: Bool

  /// Standard output split into lines (no trailing empty line).
  var lines: [String] {
    var parts = stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if parts.last == "" { parts.removeLast() }
    return parts
  }

  var description: String {
    "fahras \(arguments.joined(separator: " ")) → status \(status)\(timedOut ? " (timed out)" : "")\n"
      + "--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)"
  }
}

/// Locates the `fahras` executable that `swift test` built next to the test bundle.
enum FahrasExecutable {
  /// Absolute path of the executable, or `nil` when none was found.
  static let path: String? = locate()

  private static func locate() -> String? {
    var starts: [String] = []
    if let first = CommandLine.arguments.first { starts.append(absolute(first)) }
    starts.append(Bundle.main.bundlePath)
    starts.append(Bundle.main.executablePath ?? "")
    for bundle in Bundle.allBundles { starts.append(bundle.bundlePath) }
    for start in starts where !start.isEmpty {
      var folder = URL(fileURLWithPath: start).standardizedFileURL
      if !isDirectory(folder.path) { folder.deleteLastPathComponent() }
      // The products folder (…/debug) holds the test bundle; walk up a few levels in case the bundle is
      // a folder (…/debug/FahrasPackageTests.xctest/Contents/MacOS/…).
      for _ in 0..<5 {
        let candidate = folder.appendingPathComponent("fahras").path
        if isExecutableFile(candidate) { return candidate }
        if folder.path == "/" { break }
        folder.deleteLastPathComponent()
      }
    }
    let fallback = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../.build/debug/fahras").standardizedFileURL.path
    return isExecutableFile(fallback) ? fallback : nil
  }

  private static func absolute(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    return FileManager.default.currentDirectoryPath + "/" + path
  }

  private static func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
  }

  private static func isExecutableFile(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
  }
}

/// Runs `fahras arguments…` in `directory` with `stdin` piped in (an empty, closed stdin when `nil`),
/// waits at most `timeout` seconds (then kills it and marks the run as timed out).
func runFahras(
  _ arguments: [String], stdin: String? = nil, in directory: String? = nil, timeout: Double = 60,
  sourceLocation: SourceLocation = #_sourceLocation
) -> CLIRun {
  var run = CLIRun(arguments: arguments, status: -1, stdout: "", stderr: "", timedOut: false)
  guard let executable = FahrasExecutable.path else {
    Issue.record(
      "the fahras executable was not found next to the test bundle (\(CommandLine.arguments.first ?? "?")); run `swift build` first",
      sourceLocation: sourceLocation)
    return run
  }
  let capture = CLIScratch.make("run")
  defer { capture.remove() }
  let outPath = capture.file("stdout")
  let errPath = capture.file("stderr")
  _ = FileManager.default.createFile(atPath: outPath, contents: nil)
  _ = FileManager.default.createFile(atPath: errPath, contents: nil)
  guard let outHandle = FileHandle(forWritingAtPath: outPath),
    let errHandle = FileHandle(forWritingAtPath: errPath)
  else {
    Issue.record("cannot create capture files in \(capture.path)", sourceLocation: sourceLocation)
    return run
  }
  defer {
    try? outHandle.close()
    try? errHandle.close()
  }

  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
  var environment = ProcessInfo.processInfo.environment
  environment["NO_COLOR"] = nil  // prove that piped output is plain without being told
  process.environment = environment
  process.standardOutput = outHandle
  process.standardError = errHandle

  // A real pipe: the whole input is written (and the write end closed) before the child starts, which
  // cannot block or raise SIGPIPE as long as it fits the pipe buffer; larger inputs go through a file.
  let input = Array((stdin ?? "").utf8)
  var inputPipe: Pipe?
  if input.count < 60_000 {
    let pipe = Pipe()
    if !input.isEmpty { pipe.fileHandleForWriting.write(Data(input)) }
    try? pipe.fileHandleForWriting.close()
    process.standardInput = pipe
    inputPipe = pipe
  } else {
    let inPath = capture.file("stdin")
    _ = FileManager.default.createFile(atPath: inPath, contents: Data(input))
    process.standardInput = FileHandle(forReadingAtPath: inPath)
  }

  let finished = DispatchSemaphore(value: 0)
  process.terminationHandler = { _ in finished.signal() }
  do {
    try process.run()
  } catch {
    Issue.record("cannot start \(executable): \(error)", sourceLocation: sourceLocation)
    return run
  }
  if finished.wait(timeout: .now() + timeout) == .timedOut {
    run.timedOut = true
    process.terminate()
    if finished.wait(timeout: .now() + 5) == .timedOut {
      kill(process.processIdentifier, SIGKILL)
      finished.wait()
    }
  }
  _ = inputPipe
  run.status = process.terminationStatus
  run.stdout = CLIFiles.read(outPath)
  run.stderr = CLIFiles.read(errPath)
  if run.timedOut {
    Issue.record("fahras timed out after \(timeout) s: \(run)", sourceLocation: sourceLocation)
  }
  return run
}

// MARK: - Scratch folders

/// A fresh folder under one per-process root in /tmp (the root is removed when the process exits).
final class CLIScratch: Sendable {
  let path: String

  private init(path: String) { self.path = path }

  /// A new empty folder whose name starts with `label`.
  static func make(_ label: String) -> CLIScratch {
    var template = Array("\(root)/\(label)-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in
      mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
    }
    precondition(made != nil, "mkdtemp failed under \(root): \(String(cString: strerror(errno)))")
    return CLIScratch(path: made!)
  }

  /// The per-process root folder, created on first use and removed at exit.
  static let root: String = {
    var template = Array("/tmp/fahras-e2e-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in
      mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
    }
    precondition(made != nil, "mkdtemp failed in /tmp")
    atexit { try? FileManager.default.removeItem(atPath: CLIScratch.root) }
    return made!
  }()

  func file(_ relative: String) -> String { path + "/" + relative }

  func remove() { try? FileManager.default.removeItem(atPath: path) }
}

// MARK: - Files

enum CLIFiles {
  /// The repository's `seeds/` folder, found from this source file.
  static let seedsFolder: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("seeds").path

  /// The seed article's file name.
  static let seedFileName = "000_52f18522089cecc5.txt"

  /// Copies the seed corpus's visible regular files (never its index folder) into `folder`.
  static func copySeeds(into folder: String) throws {
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for name in try FileManager.default.contentsOfDirectory(atPath: seedsFolder)
    where !name.hasPrefix(".") {
      let source = seedsFolder + "/" + name
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: source, isDirectory: &isFolder),
        !isFolder.boolValue
      else {
        continue
      }
      try FileManager.default.copyItem(atPath: source, toPath: folder + "/" + name)
    }
  }

  /// Writes `text` as UTF-8, creating parent folders.
  static func write(_ text: String, to path: String) throws {
    try write(Array(text.utf8), to: path)
  }

  /// Writes raw bytes, creating parent folders.
  static func write(_ bytes: [UInt8], to path: String) throws {
    let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
    try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
  }

  static func read(_ path: String) -> String {
    guard let data = FileManager.default.contents(atPath: path) else { return "" }
    return String(decoding: data, as: UTF8.self)
  }

  /// Copies a folder tree.
  static func copyFolder(_ source: String, to destination: String) throws {
    try FileManager.default.copyItem(atPath: source, toPath: destination)
  }
}

// MARK: - JSON

enum CLIJSON {
  /// Parses one JSON object with `JSONSerialization`; `nil` when the text is not a JSON object.
  static func object(_ text: String) -> [String: Any]? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard let data = trimmed.data(using: .utf8),
      let value = try? JSONSerialization.jsonObject(with: data, options: [])
    else { return nil }
    return value as? [String: Any]
  }

  /// Parses one JSON array.
  static func array(_ text: String) -> [Any]? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard let data = trimmed.data(using: .utf8),
      let value = try? JSONSerialization.jsonObject(with: data, options: [])
    else { return nil }
    return value as? [Any]
  }

  /// A JSON number as a Double (integers included); `nil` for anything else.
  static func number(_ value: Any?) -> Double? {
    if let n = value as? NSNumber, !(value is Bool) { return n.doubleValue }
    if let d = value as? Double { return d }
    if let i = value as? Int { return Double(i) }
    return nil
  }

  /// A JSON number that must be a whole number.
  static func int(_ value: Any?) -> Int? {
    guard let d = number(value), d == d.rounded(), abs(d) < 1e15 else { return nil }
    return Int(d)
  }
}

// MARK: - Text output helpers

enum CLIText {
  /// Whether `text` holds an ANSI escape (ESC, U+001B).
  static func hasEscape(_ text: String) -> Bool { text.unicodeScalars.contains("\u{1B}") }

  /// Whether `text` holds a `**highlighted**` span.
  static func hasHighlight(_ text: String) -> Bool {
    text.range(of: #"\*\*[^*\s][^*]*\*\*"#, options: .regularExpression) != nil
  }

  /// The texts between `**` pairs.
  static func highlights(_ text: String) -> [String] {
    var out: [String] = []
    var rest = Substring(text)
    while let open = rest.range(of: "**") {
      let after = rest[open.upperBound...]
      guard let close = after.range(of: "**") else { break }
      out.append(String(after[..<close.lowerBound]))
      rest = after[close.upperBound...]
    }
    return out
  }

  /// Whether `line` is the header a result list starts with: `N hit(s) in X ms` or `N shown in X ms`.
  static func isResultHeader(_ line: String) -> Bool {
    line.range(of: #"^[0-9]+ (hits?|shown) in [0-9.]+ ms$"#, options: .regularExpression) != nil
  }

  /// Standard output cut into one block per result list (each starting at its header line); lines before
  /// the first header are dropped.
  static func resultBlocks(_ output: String) -> [[String]] {
    var blocks: [[String]] = []
    for line in output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      if isResultHeader(line) {
        blocks.append([line])
      } else if !blocks.isEmpty {
        blocks[blocks.count - 1].append(line)
      }
    }
    return blocks
  }

  /// The hit count in a result header (`3 hits in …` → 3).
  static func headerCount(_ header: String) -> Int? {
    Int(header.prefix(while: { $0.isASCII && $0.isNumber }))
  }

  /// The ranked lines (`1. [0.5] Title`) of a result block.
  static func rankedLines(_ block: [String]) -> [String] {
    block.filter { $0.range(of: #"^[0-9]+\. \["#, options: .regularExpression) != nil }
  }
}

// MARK: - Seeded randomness

/// SplitMix64: a tiny seeded generator, so property tests, kill moments, damaged bytes and generated
/// corpora are the same on every run.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  /// Uniform in 0..<n (modulo bias is irrelevant here).
  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
  /// Uniform in [0, 1).
  mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
