#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a plain text or Markdown file too large for one document from its bytes, in steps, so that
/// memory stays bounded whatever the file size: `DocumentReader.read` copies the whole body into one
/// string, and its checks keep the whole file resident.
///
/// The result is the one of `DocumentReader.read` (same checks, same messages, same title and body),
/// but the body is returned as a byte range, for the caller to cut into parts with
/// `DocumentSplitter.cut` and copy one part at a time. Every scan walks the file `chunk` bytes at a
/// time and hands each range it has finished with to `release`, which drops those pages from the
/// resident set (the page cache keeps them).
struct LargeTextReader {
  let bytes: UnsafeRawBufferPointer
  let relativePath: String
  let markdown: Bool
  let chunk: Int
  let release: (Range<Int>) -> Void

  enum Outcome: Equatable {
    /// The file is rejected, as `DocumentReader.read` would reject it.
    case skipped(SkippedInput)
    /// The document's (capped) title, and where its body is in the file's bytes.
    case document(title: String, body: Range<Int>)
  }

  func read() -> Outcome {
    func skip(_ reason: String) -> Outcome {
      .skipped(SkippedInput(path: relativePath, reason: reason))
    }
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return skip("empty") }
    let count = bytes.count
    let step = max(chunk, 16)
    var at = 0
    while at < count {
      let n = min(step, count - at)
      let nul = memchr(base + at, 0, n)
      release(at..<(at + n))
      if let nul { return skip("binary file (NUL byte at offset \(UnsafeRawPointer(nul) - base))") }
      at += n
    }
    let bom = count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    var blank = true
    at = bom
    while blank && at < count {
      let n = min(step, count - at)
      blank = Ascii.isAllWhitespace(UnsafeRawBufferPointer(rebasing: bytes[at..<(at + n)]))
      release(at..<(at + n))
      at += n
    }
    if blank { return skip("empty") }
    at = bom
    while at < count {
      var end = min(count, at + step)
      if end < count {
        // End the step before a scalar, so that no sequence is cut in two.
        var e = end
        while e > end - 3 && e > at + 1 && TitleCap.isContinuation(bytes[e]) { e -= 1 }
        if !TitleCap.isContinuation(bytes[e]) { end = e }
      }
      let bad = UTF8Validator.firstInvalidOffset(
        in: UnsafeRawBufferPointer(rebasing: bytes[at..<end]))
      release(at..<end)
      if let bad { return skip("invalid UTF-8 at byte \(at + bad)") }
      at = end
    }
    let content = UnsafeRawBufferPointer(rebasing: bytes[bom...])
    let layout = PlainTextReader.layout(content, markdown: markdown) { start in
      // The end of a line, found in steps that are released (a single line may be the whole file).
      var from = start
      while from < content.count {
        let n = min(step, content.count - from)
        let lf = memchr(content.baseAddress! + from, Int32(Ascii.lineFeed), n)
        release((bom + from)..<(bom + from + n))
        if let lf { return UnsafeRawPointer(lf) - content.baseAddress! }
        from += n
      }
      return content.count
    }
    guard let layout else { return skip("no title or body") }
    let title = Ascii.string(UnsafeRawBufferPointer(rebasing: content[layout.title]))
    return .document(
      title: title, body: (bom + layout.body.lowerBound)..<(bom + layout.body.upperBound))
  }
}
