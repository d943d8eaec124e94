/// Caps document titles, so that a file whose first line is hundreds of megabytes long does not become
/// a document whose title is (and every search result that shows it prints) hundreds of megabytes.
///
/// A title longer than `maxBytes` UTF-8 bytes is cut to a prefix of at most `maxBytes` bytes: at the
/// last word boundary (whitespace) in its second half when there is one, else at the last grapheme
/// cluster boundary that fits (never inside a UTF-8 sequence, never between a letter and its combining
/// marks, never inside an emoji sequence). Trailing whitespace is dropped. No ellipsis is added.
///
/// The readers keep the text that is cut off: a plain text or Markdown title line stays whole at the
/// start of the body, and a long JSON or HTML `<title>` is put before the body on a line of its own.
public enum TitleCap {
  /// Longest title kept, in UTF-8 bytes.
  public static let maxBytes = 300

  /// Bytes after `maxBytes` decoded to find grapheme boundaries: a boundary depends on the scalars
  /// before it and on the one after it, and a scalar is at most 4 bytes.
  static let lookahead = 64

  /// The length in bytes of the capped prefix of `bytes` (valid UTF-8): `bytes.count` when it is at
  /// most `maxBytes`.
  /// - Complexity: O(`maxBytes`), whatever the length of `bytes`.
  public static func cutLength(_ bytes: UnsafeRawBufferPointer, maxBytes: Int = maxBytes) -> Int {
    if bytes.count <= maxBytes { return bytes.count }
    var windowEnd = min(bytes.count, maxBytes + lookahead)
    while windowEnd < bytes.count && windowEnd > 0 && isContinuation(bytes[windowEnd]) {
      windowEnd -= 1
    }
    let window = String(
      decoding: UnsafeRawBufferPointer(rebasing: bytes[..<windowEnd]), as: UTF8.self)
    var offset = 0
    // End of the last non-whitespace cluster that fits, and of the last one followed by whitespace.
    var lastTextEnd = 0
    var wordEnd = 0
    var nextIsWhitespace = false
    for c in window {
      let end = offset + c.utf8.count
      if end > maxBytes {
        nextIsWhitespace = c.isWhitespace
        break
      }
      if c.isWhitespace {
        if lastTextEnd > wordEnd { wordEnd = lastTextEnd }
      } else {
        lastTextEnd = end
      }
      offset = end
    }
    // Whitespace right after the prefix makes its end a word boundary; otherwise a word boundary in
    // the second half, else the last cluster that fits (cutting a word).
    if nextIsWhitespace { return lastTextEnd }
    return wordEnd >= maxBytes / 2 ? wordEnd : lastTextEnd
  }

  /// `title` cut to at most `maxBytes` UTF-8 bytes by the rules above (`title` itself when it fits).
  public static func capped(_ title: String, maxBytes: Int = maxBytes) -> String {
    if title.utf8.count <= maxBytes { return title }
    var title = title
    return title.withUTF8 { buffer in
      let bytes = UnsafeRawBufferPointer(buffer)
      let n = cutLength(bytes, maxBytes: maxBytes)
      return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<n]), as: UTF8.self)
    }
  }

  /// For a title that is not part of the body (JSON, HTML): the capped title, and the body with the
  /// full title put before it on a line of its own when the title was cut (unless the body already
  /// starts with it), so that its words stay searchable.
  static func capped(title: String, body: String) -> (title: String, body: String) {
    let short = capped(title)
    if short.utf8.count == title.utf8.count || body.utf8.starts(with: title.utf8) {
      return (short, body)
    }
    return (short, body.isEmpty ? title : title + "\n" + body)
  }

  @inline(__always)
  static func isContinuation(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }
}
