#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Turns one file's bytes into documents, choosing the reader by file extension.
///
/// Checks made before any format reader runs, each turning the whole file into one `SkippedInput`:
/// unsupported extension; a NUL byte (`binary file (NUL byte at offset N)`); only whitespace (`empty`);
/// invalid UTF-8 (`invalid UTF-8 at byte N`, offsets counted in the file as stored). A UTF-8 byte order
/// mark is dropped. For JSON Lines, UTF-8 is checked per line, so one corrupt line does not sink the file.
public enum DocumentReader {
  /// The file formats Fahras reads.
  public enum Format: Sendable, Equatable, CaseIterable {
    /// `.txt`
    case plainText
    /// `.md`, `.markdown`
    case markdown
    /// `.html`, `.htm`
    case html
    /// `.jsonl`, `.ndjson`
    case jsonLines
    /// `.json`
    case json
  }

  /// Whether `path`'s extension is one of `.txt .md .markdown .html .htm .jsonl .ndjson .json`
  /// (case-insensitive).
  public static func isSupported(path: String) -> Bool { format(ofPath: path) != nil }

  /// The format implied by `path`'s extension (the text after the last `.` of the last path component,
  /// case-insensitive; a leading dot does not start an extension), or `nil`.
  public static func format(ofPath path: String) -> Format? {
    var path = path
    return path.withUTF8 { format(ofName: UnsafeRawBufferPointer($0)) }
  }

  /// Like `format(ofPath:)` on raw name or path bytes (used by the walker without making Strings).
  static func format(ofName name: UnsafeRawBufferPointer) -> Format? {
    var start = name.count
    while start > 0 && name[start - 1] != Ascii.slash { start -= 1 }
    var dot = name.count
    while dot > start && name[dot - 1] != Ascii.dot { dot -= 1 }
    guard dot > start + 1 else { return nil }  // no dot, or only a leading one
    let ext = UnsafeRawBufferPointer(rebasing: name[dot...])
    guard ext.count >= 2, ext.count <= 8 else { return nil }
    var key: UInt64 = 0
    for byte in ext { key = key << 8 | UInt64(Ascii.lowercased(byte)) }
    switch key {
    case extensionKey("txt"): return .plainText
    case extensionKey("md"), extensionKey("markdown"): return .markdown
    case extensionKey("html"), extensionKey("htm"): return .html
    case extensionKey("jsonl"), extensionKey("ndjson"): return .jsonLines
    case extensionKey("json"): return .json
    default: return nil
    }
  }

  private static func extensionKey(_ ext: StaticString) -> UInt64 {
    var key: UInt64 = 0
    for i in 0..<ext.utf8CodeUnitCount { key = key << 8 | UInt64(ext.utf8Start[i]) }
    return key
  }

  /// Parses a slice of a JSON Lines file that starts at line `firstLine` (1-based) and byte
  /// `byteOffset`, so that huge files can be read in pieces with correct ids and messages.
  public static func readJSONLines(
    bytes: UnsafeRawBufferPointer, relativePath: String, firstLine: Int, byteOffset: Int
  ) -> ReadOutcome {
    return JSONDocumentReader.readLines(
      bytes, relativePath: relativePath, byteOffset: byteOffset, firstLine: firstLine)
  }

  /// Parses one file's bytes. Never throws, never traps: bad input becomes `skipped` entries.
  /// - Parameter relativePath: the file's path relative to the corpus root; it picks the format and
  ///   becomes each document's `path` (and the base of its `id`).
  /// - Complexity: O(n) in the file size.
  public static func read(bytes: UnsafeRawBufferPointer, relativePath: String) -> ReadOutcome {
    func skip(_ reason: String) -> ReadOutcome {
      ReadOutcome(skipped: [SkippedInput(path: relativePath, reason: reason)])
    }
    guard let format = format(ofPath: relativePath) else { return skip("unsupported file type") }
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return skip("empty") }
    // JSON Lines are judged line by line (one bad line must not drop the file); other formats whole.
    if format != .jsonLines, let nul = memchr(base, 0, bytes.count) {
      return skip("binary file (NUL byte at offset \(UnsafeRawPointer(nul) - base))")
    }
    var content = bytes
    var bomLength = 0
    if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
      content = UnsafeRawBufferPointer(rebasing: bytes[3...])
      bomLength = 3
    }
    if Ascii.isAllWhitespace(content) { return skip("empty") }

    switch format {
    case .jsonLines:
      return JSONDocumentReader.readLines(
        content, relativePath: relativePath, byteOffset: bomLength)
    case .json:
      return JSONDocumentReader.readDocument(
        content, relativePath: relativePath, byteOffset: bomLength)
    case .plainText, .markdown, .html:
      if let bad = UTF8Validator.firstInvalidOffset(in: content) {
        return skip("invalid UTF-8 at byte \(bad + bomLength)")
      }
      let document: SourceDocument?
      if format == .html {
        let extracted = HTMLTextExtractor.extract(content)
        let (title, body) = TitleCap.capped(title: extracted.title, body: extracted.text)
        document =
          title.isEmpty && body.isEmpty
          ? nil
          : SourceDocument(id: relativePath, path: relativePath, title: title, body: body)
      } else {
        document = PlainTextReader.read(
          content, relativePath: relativePath, markdown: format == .markdown)
      }
      guard let document else { return skip("no title or body") }
      return ReadOutcome(documents: [document])
    }
  }
}
