/// Reads a plain text or Markdown file as one document.
///
/// - Title: the first non-blank line, trimmed. For Markdown an ATX heading's marker is removed
///   (`## Title ##` → `Title`, following CommonMark: 1–6 `#`s followed by a space; a closing run of `#`s
///   only when preceded by a space, so `# Learn C#` keeps its `#`); a line that is only a marker is skipped.
/// - Body: everything after the title line, without leading blank lines and trailing whitespace. For
///   Markdown a setext underline (`===` or `---`) right under the title is dropped too. Title and body
///   together hold all of the file's text; the body is otherwise the text as written, so offsets into it
///   map to the file.
enum PlainTextReader {
  /// `bytes` must be valid UTF-8 without a BOM. Returns `nil` when there is neither title nor body.
  static func read(
    _ bytes: UnsafeRawBufferPointer, relativePath: String, markdown: Bool
  ) -> SourceDocument? {
    let count = bytes.count
    var lineStart = 0
    var title: UnsafeRawBufferPointer?
    var afterTitle = count
    while lineStart < count {
      let lineEnd = endOfLine(bytes, from: lineStart)
      var line = Ascii.trimmed(UnsafeRawBufferPointer(rebasing: bytes[lineStart..<lineEnd]))
      if markdown { line = markdownHeadingText(line) }
      lineStart = min(lineEnd + 1, count)
      if !line.isEmpty {
        title = line
        afterTitle = lineStart
        break
      }
    }
    guard let title else { return nil }

    var bodyStart = afterTitle
    if markdown && bodyStart < count {
      let underlineEnd = endOfLine(bytes, from: bodyStart)
      if isSetextUnderline(
        Ascii.trimmed(UnsafeRawBufferPointer(rebasing: bytes[bodyStart..<underlineEnd])))
      {
        bodyStart = min(underlineEnd + 1, count)
      }
    }
    // Skip leading blank lines (but keep the first text line's indentation).
    var scan = bodyStart
    while scan < count && Ascii.isWhitespace(bytes[scan]) {
      if bytes[scan] == Ascii.lineFeed { bodyStart = scan + 1 }
      scan += 1
    }
    if scan == count { bodyStart = count }
    var bodyEnd = count
    while bodyEnd > bodyStart && Ascii.isWhitespace(bytes[bodyEnd - 1]) { bodyEnd -= 1 }

    return SourceDocument(
      id: relativePath, path: relativePath, title: Ascii.string(title),
      body: Ascii.string(UnsafeRawBufferPointer(rebasing: bytes[bodyStart..<bodyEnd])))
  }

  /// Index of the line feed ending the line that starts at `start`, or `bytes.count`.
  static func endOfLine(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
    var i = start
    while i < bytes.count && bytes[i] != Ascii.lineFeed { i += 1 }
    return i
  }

  /// The text of an ATX heading line (already trimmed), or the line itself when it is not a heading.
  static func markdownHeadingText(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    var hashes = 0
    while hashes < line.count && line[hashes] == Ascii.hash { hashes += 1 }
    guard hashes >= 1, hashes <= 6 else { return line }
    guard hashes == line.count || line[hashes] == Ascii.space || line[hashes] == Ascii.tab else {
      return line
    }
    var text = Ascii.trimmed(UnsafeRawBufferPointer(rebasing: line[hashes...]))
    // Optional closing sequence: a run of '#' preceded by a space (or making up the whole text).
    var upper = text.count
    while upper > 0 && text[upper - 1] == Ascii.hash { upper -= 1 }
    if upper < text.count
      && (upper == 0 || text[upper - 1] == Ascii.space || text[upper - 1] == Ascii.tab)
    {
      text = Ascii.trimmed(UnsafeRawBufferPointer(rebasing: text[..<upper]))
    }
    return text
  }

  private static func isSetextUnderline(_ line: UnsafeRawBufferPointer) -> Bool {
    guard let first = line.first, first == Ascii.equals || first == UInt8(ascii: "-") else {
      return false
    }
    return line.allSatisfy { $0 == first }
  }
}
