/// Reads a plain text or Markdown file as one document.
///
/// - Title: the first non-blank line, trimmed, capped at `TitleCap.maxBytes` bytes. For Markdown an ATX
///   heading's marker is removed (`## Title ##` → `Title`, following CommonMark: 1–6 `#`s followed by a
///   space; a closing run of `#`s only when preceded by a space, so `# Learn C#` keeps its `#`); a line
///   that is only a marker is skipped.
/// - Body: everything after the title line, without leading blank lines and trailing whitespace. For
///   Markdown a setext underline (`===` or `---`) right under the title is dropped too. Title and body
///   together hold all of the file's text; the body is otherwise the text as written, so offsets into it
///   map to the file. When the title line is longer than the cap, the body starts with that whole line
///   (from its first non-blank byte), so nothing is lost.
enum PlainTextReader {
  /// `bytes` must be valid UTF-8 without a BOM. Returns `nil` when there is neither title nor body.
  static func read(
    _ bytes: UnsafeRawBufferPointer, relativePath: String, markdown: Bool
  ) -> SourceDocument? {
    guard let layout = layout(bytes, markdown: markdown) else { return nil }
    return SourceDocument(
      id: relativePath, path: relativePath,
      title: Ascii.string(UnsafeRawBufferPointer(rebasing: bytes[layout.title])),
      body: Ascii.string(UnsafeRawBufferPointer(rebasing: bytes[layout.body])))
  }

  /// Where the title (already capped) and the body are in a file's bytes.
  struct Layout: Equatable {
    var title: Range<Int>
    var body: Range<Int>
  }

  /// The title and body of `bytes` (valid UTF-8 without a BOM), or `nil` when there is neither.
  /// - Parameter lineEnd: finds the end of the line starting at an offset (`endOfLine` by default;
  ///   the large file reader passes one that releases the pages it scans).
  /// - Complexity: O(n) in the bytes up to the end of the title line; the body is not read except
  ///   at its ends.
  static func layout(
    _ bytes: UnsafeRawBufferPointer, markdown: Bool, lineEnd: ((Int) -> Int)? = nil
  ) -> Layout? {
    let count = bytes.count
    guard let base = bytes.baseAddress else { return nil }
    func endOfLine(from start: Int) -> Int {
      lineEnd?(start) ?? PlainTextReader.endOfLine(bytes, from: start)
    }
    var lineStart = 0
    var title: UnsafeRawBufferPointer?
    var titleLineStart = 0
    var afterTitle = count
    while lineStart < count {
      let lineEnd = endOfLine(from: lineStart)
      var line = Ascii.trimmed(UnsafeRawBufferPointer(rebasing: bytes[lineStart..<lineEnd]))
      if markdown { line = markdownHeadingText(line) }
      if !line.isEmpty {
        title = line
        titleLineStart = lineStart
        while Ascii.isWhitespace(bytes[titleLineStart]) { titleLineStart += 1 }
        afterTitle = min(lineEnd + 1, count)
        break
      }
      lineStart = min(lineEnd + 1, count)
    }
    guard let title, let titleBase = title.baseAddress else { return nil }
    let titleStart = UnsafeRawPointer(titleBase) - UnsafeRawPointer(base)

    var bodyStart = afterTitle
    let titleLength = TitleCap.cutLength(title)
    if titleLength < title.count {
      // A title line longer than the cap: the title is its capped prefix, and the whole line stays
      // in the body.
      bodyStart = titleLineStart
    } else if markdown && bodyStart < count {
      let underlineEnd = endOfLine(from: bodyStart)
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
    return Layout(title: titleStart..<(titleStart + titleLength), body: bodyStart..<bodyEnd)
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
