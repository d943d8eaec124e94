#if canImport(Glibc)
  import Glibc
#endif

/// The lines entered at the prompt, oldest first, with Up/Down navigation and a plain-text
/// history file.
///
/// Navigation works like readline: Up saves the line being edited as a draft and shows older
/// entries; edits made to a recalled entry are kept while navigating (they are scratch
/// copies, the stored entry is never changed); moving Down past the newest entry restores
/// the draft. `resetNavigation()` (called for every new line) drops drafts and scratch edits.
///
/// File format: UTF-8, one entry per line, oldest first. Inside an entry `\` is written as
/// `\\`, LF as `\n` and CR as `\r`; any other backslash pair is read back literally.
public struct LineHistory: Sendable {
  /// The default number of entries kept.
  public static let defaultCapacity = 1000

  /// Stored entries, oldest first; never two equal neighbours, never more than `capacity`.
  public private(set) var entries: [String] = []
  /// The maximum number of entries kept; adding more drops the oldest.
  public let capacity: Int

  /// Index of the entry being shown; `entries.count` means the draft line.
  public private(set) var position: Int = 0
  private var draft: String = ""
  private var scratch: [Int: String] = [:]

  /// Creates a history holding the last `capacity` of `entries` (after dropping blank lines
  /// and consecutive duplicates).
  public init(capacity: Int = LineHistory.defaultCapacity, entries: [String] = []) {
    self.capacity = max(1, capacity)
    for entry in entries { add(entry) }
    resetNavigation()
  }

  // MARK: - Adding

  /// Appends `line` unless it is blank (only whitespace) or equal to the newest entry, and
  /// resets navigation. Returns whether the line was stored.
  /// - Complexity: Amortised O(1); O(capacity) when the oldest entry is dropped.
  @discardableResult
  public mutating func add(_ line: String) -> Bool {
    defer { resetNavigation() }
    guard !line.unicodeScalars.allSatisfy(\.properties.isWhitespace) else { return false }
    guard line != entries.last else { return false }
    entries.append(line)
    if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
    return true
  }

  // MARK: - Navigation

  /// Forgets the draft and scratch edits and points back at the (empty) draft line.
  public mutating func resetNavigation() {
    position = entries.count
    draft = ""
    scratch.removeAll()
  }

  /// Moves to the next older entry. `current` is the text being edited, remembered so that
  /// coming back to this position shows it again. Returns the text to show, or nil (and
  /// stays put) at the oldest entry.
  public mutating func previous(current: String) -> String? {
    guard position > 0 else { return nil }
    remember(current)
    position -= 1
    return text(at: position)
  }

  /// Moves to the next newer entry, or to the draft after the newest. Returns the text to
  /// show, or nil (and stays put) when already at the draft.
  public mutating func next(current: String) -> String? {
    guard position < entries.count else { return nil }
    remember(current)
    position += 1
    return text(at: position)
  }

  private mutating func remember(_ current: String) {
    if position == entries.count {
      draft = current
    } else if current != entries[position] {
      scratch[position] = current
    } else {
      scratch[position] = nil
    }
  }

  private func text(at index: Int) -> String {
    index == entries.count ? draft : scratch[index] ?? entries[index]
  }

  // MARK: - File format

  /// `~/.fahras_history`, or nil when the home folder is unknown.
  public static func defaultPath() -> String? {
    guard let home = homeDirectory() else { return nil }
    return home.hasSuffix("/") ? home + ".fahras_history" : home + "/.fahras_history"
  }

  /// Replaces a leading `~` or `~/` with the home folder.
  public static func expandingTilde(_ path: String) -> String {
    guard path == "~" || path.hasPrefix("~/"), let home = homeDirectory() else { return path }
    return home + path.dropFirst()
  }

  private static func homeDirectory() -> String? {
    if let home = getenv("HOME"), home.pointee != 0 { return String(cString: home) }
    guard let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir else { return nil }
    return String(cString: dir)
  }

  /// Escapes `entry` so that it fits on one line of the history file.
  public static func escape(_ entry: String) -> String {
    var out = String.UnicodeScalarView()
    for scalar in entry.unicodeScalars {
      switch scalar {
      case "\\": out.append(contentsOf: #"\\"#.unicodeScalars)
      case "\n": out.append(contentsOf: #"\n"#.unicodeScalars)
      case "\r": out.append(contentsOf: #"\r"#.unicodeScalars)
      default: out.append(scalar)
      }
    }
    return String(out)
  }

  /// Reverses `escape(_:)`. Unknown escapes and a trailing lone backslash are kept as written.
  public static func unescape(_ line: Substring) -> String {
    var out = String.UnicodeScalarView()
    var escaping = false
    for scalar in line.unicodeScalars {
      if escaping {
        escaping = false
        switch scalar {
        case "\\": out.append("\\")
        case "n": out.append("\n")
        case "r": out.append("\r")
        default:
          out.append("\\")
          out.append(scalar)
        }
      } else if scalar == "\\" {
        escaping = true
      } else {
        out.append(scalar)
      }
    }
    if escaping { out.append("\\") }
    return String(out)
  }

  /// Parses history-file text: one escaped entry per line; a raw CR before LF (a file edited
  /// elsewhere) is ignored, as are empty lines.
  public static func parse(_ text: String) -> [String] {
    // Split on scalars: as Characters, "\r\n" is one grapheme and would not match "\n".
    text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: true).compactMap {
      line in
      let trimmed = line.last == "\r" ? line.dropLast() : line
      return trimmed.isEmpty ? nil : unescape(Substring(trimmed))
    }
  }

  /// Renders `entries` in the file format (each line ends with LF).
  public static func serialize(_ entries: some Sequence<String>) -> String {
    var text = ""
    for entry in entries {
      text += escape(entry)
      text += "\n"
    }
    return text
  }

  // MARK: - Persistence

  /// Reads a history file. A missing, unreadable or non-UTF-8 file is not an error: whatever
  /// can be read is returned (invalid UTF-8 is repaired), otherwise nothing.
  public static func readFile(_ path: String) -> [String] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return [] }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { break }
      bytes.append(contentsOf: chunk[0..<n])
    }
    return parse(String(decoding: bytes, as: UTF8.self))
  }

  /// Replaces the entries with those in the file at `path` (keeping the newest `capacity`),
  /// and resets navigation. Returns the number of lines the file held, so callers can
  /// decide to compact it.
  @discardableResult
  public mutating func load(from path: String) -> Int {
    let lines = Self.readFile(path)
    entries.removeAll()
    for line in lines.suffix(capacity * 2) { add(line) }
    resetNavigation()
    return lines.count
  }

  /// Writes all entries to `path` atomically (temporary file, then rename), mode 0600.
  /// - Throws: `HistoryFileError` when the file cannot be written.
  public func save(to path: String) throws(HistoryFileError) {
    let temporary = path + ".tmp-\(getpid())"
    do {
      try Self.write(Self.serialize(entries), to: temporary, flags: O_TRUNC)
    } catch {
      unlink(temporary)
      throw error
    }
    if rename(temporary, path) != 0 {
      let code = errno
      unlink(temporary)
      throw HistoryFileError(path: path, errno: code)
    }
  }

  /// Appends one entry to the file at `path`, creating it (mode 0600) when missing.
  /// - Throws: `HistoryFileError` when the file cannot be written.
  public static func append(_ entry: String, to path: String) throws(HistoryFileError) {
    try write(escape(entry) + "\n", to: path, flags: O_APPEND)
  }

  private static func write(_ text: String, to path: String, flags: Int32) throws(HistoryFileError)
  {
    let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0o600)
    guard fd >= 0 else { throw HistoryFileError(path: path, errno: errno) }
    defer { close(fd) }
    let bytes = Array(text.utf8)
    var written = 0
    let code: Int32 = bytes.withUnsafeBytes { raw in
      while written < raw.count {
        let n = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
        if n < 0 {
          if errno == EINTR { continue }
          return errno
        }
        written += n
      }
      return 0
    }
    if code != 0 { throw HistoryFileError(path: path, errno: code) }
  }
}

/// A history file could not be written.
public struct HistoryFileError: Error, Equatable, Sendable, CustomStringConvertible {
  public let path: String
  public let errno: Int32

  public init(path: String, errno: Int32) {
    self.path = path
    self.errno = errno
  }

  public var description: String {
    "cannot write history file \(path): \(String(cString: strerror(errno)))"
  }
}
