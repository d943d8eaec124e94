/// The readable text of an HTML page.
public struct HTMLText: Sendable, Equatable {
  /// `<title>`, else the first non-empty `<h1>`, else the first line of `text`; whitespace collapsed.
  public var title: String
  /// Visible text: one line per block, spaces collapsed, no leading/trailing whitespace on any line, no
  /// empty lines. The `<title>` element's text is not part of it.
  public var text: String

  public init(title: String, text: String) {
    self.title = title
    self.text = text
  }
}

/// Turns HTML into plain text for indexing, tolerant of malformed markup.
///
/// - Tags are removed. A `<` that does not start a tag (`a < b`, `<3`) is text; a tag that never ends
///   (`<b` at the end of input) is text too. Quoted attribute values may contain `>`; an attribute quote
///   that is never closed ends at the next `>`.
/// - Contents of `script`, `style`, `noscript`, `template`, `iframe`, `noembed`, `noframes` and `xmp` are
///   dropped (up to the matching end tag, or the end of input). Comments, `<!DOCTYPE …>`, `<?…>` and
///   CDATA sections are dropped; an unclosed comment runs to the end of input, as in browsers.
/// - Block elements (`p`, `div`, `br`, `li`, `h1`–`h6`, `tr`, `table`, `section`, …) start a new line;
///   table cells are separated by a space; runs of whitespace become one space; inside `<pre>` line
///   feeds are kept as line breaks.
/// - Character references: all HTML 4 names plus `&apos;` (with the `;`), `&#1234;` and `&#x4E2D;`
///   (0x80–0x9F read as Windows-1252). Unknown names, a missing `;` and invalid code points (0,
///   surrogates, > U+10FFFF) are left as written. `&nbsp;` becomes U+00A0, which is not collapsed.
/// - Complexity: O(n) in the input size.
public enum HTMLTextExtractor {
  public static func extract(_ html: String) -> HTMLText {
    var html = html
    return html.withUTF8 { extract(UnsafeRawBufferPointer($0)) }
  }

  /// Extracts from UTF-8 bytes. Invalid UTF-8 is replaced by U+FFFD in the output.
  public static func extract(_ bytes: UnsafeRawBufferPointer) -> HTMLText {
    var state = Extraction(bytes)
    state.run()
    return state.result()
  }
}

/// Whitespace-collapsing text accumulator.
private struct TextSink {
  var bytes: [UInt8] = []
  private var pendingSpace = false
  private var pendingBreak = false

  var isEmpty: Bool { bytes.isEmpty }

  mutating func space() { pendingSpace = true }

  mutating func lineBreak() { pendingBreak = true }

  /// Appends one byte of non-whitespace text.
  @inline(__always)
  mutating func append(_ byte: UInt8) {
    if pendingBreak || pendingSpace {
      if !bytes.isEmpty { bytes.append(pendingBreak ? Ascii.lineFeed : Ascii.space) }
      pendingBreak = false
      pendingSpace = false
    }
    bytes.append(byte)
  }

  /// Appends a decoded character; ASCII whitespace counts as a space.
  mutating func append(scalar: UInt32) {
    switch scalar {
    case 0..<0x80:
      let byte = UInt8(truncatingIfNeeded: scalar)
      if Ascii.isWhitespace(byte) { space() } else { append(byte) }
    case 0x80..<0x800:
      append(UInt8(truncatingIfNeeded: 0xC0 | scalar >> 6))
      bytes.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
    case 0x800..<0x10000:
      append(UInt8(truncatingIfNeeded: 0xE0 | scalar >> 12))
      bytes.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F))
      bytes.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
    default:
      append(UInt8(truncatingIfNeeded: 0xF0 | scalar >> 18))
      bytes.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 12 & 0x3F))
      bytes.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F))
      bytes.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
    }
  }

  func string() -> String { String(decoding: bytes, as: UTF8.self) }
}

/// One pass over an HTML document.
private struct Extraction {
  enum TagKind {
    case block, lineBreak, cell, rawText, title, heading1, preformatted
  }

  /// A tag name lowercased into two words (names longer than 16 bytes have no special meaning).
  struct TagKey: Hashable {
    var high: UInt64 = 0
    var low: UInt64 = 0

    init?(_ name: UnsafeRawBufferPointer) {
      guard !name.isEmpty, name.count <= 16 else { return nil }
      for (i, byte) in name.enumerated() {
        let b = UInt64(Ascii.lowercased(byte))
        if i < 8 { high = high << 8 | b } else { low = low << 8 | b }
      }
      low |= UInt64(name.count) << 56
    }
  }

  static let tagKinds: [TagKey: TagKind] = {
    var kinds: [TagKey: TagKind] = [:]
    func add(_ names: String, _ kind: TagKind) {
      for name in names.split(separator: " ") {
        var name = String(name)
        name.withUTF8 { kinds[TagKey(UnsafeRawBufferPointer($0))!] = kind }
      }
    }
    add(
      "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset "
        + "figcaption figure footer form frameset h2 h3 h4 h5 h6 head header hgroup hr html legend li "
        + "listing main menu nav ol option p search section summary table tbody tfoot thead tr ul",
      .block)
    add("br", .lineBreak)
    add("td th", .cell)
    add("script style noscript template iframe noembed noframes xmp", .rawText)
    add("title", .title)
    add("h1", .heading1)
    add("pre", .preformatted)
    return kinds
  }()

  let bytes: UnsafeRawBufferPointer
  let count: Int
  var body = TextSink()
  var heading = TextSink()
  var capturingHeading = false
  var headingTitle: String?
  var titleText: String?
  var preDepth = 0

  init(_ bytes: UnsafeRawBufferPointer) {
    self.bytes = bytes
    self.count = bytes.count
  }

  func result() -> HTMLText {
    var title = titleText ?? ""
    if title.isEmpty { title = headingTitle ?? "" }
    if title.isEmpty {
      let firstLine = body.bytes.firstIndex(of: Ascii.lineFeed) ?? body.bytes.count
      title = String(decoding: body.bytes[..<firstLine], as: UTF8.self)
    }
    return HTMLText(title: title, text: body.string())
  }

  mutating func run() {
    var i = 0
    while i < count {
      let byte = bytes[i]
      switch byte {
      case Ascii.lessThan:
        i = markup(at: i)
      case Ascii.ampersand:
        i = reference(at: i)
      case Ascii.space, Ascii.tab, Ascii.lineFeed, Ascii.carriageReturn, Ascii.formFeed:
        if byte == Ascii.lineFeed && preDepth > 0 { lineBreak() } else { space() }
        i += 1
      default:
        text(byte)
        i += 1
      }
    }
  }

  // MARK: Output

  @inline(__always)
  mutating func text(_ byte: UInt8) {
    body.append(byte)
    if capturingHeading { heading.append(byte) }
  }

  mutating func textScalar(_ scalar: UInt32) {
    body.append(scalar: scalar)
    if capturingHeading { heading.append(scalar: scalar) }
  }

  mutating func space() {
    body.space()
    if capturingHeading { heading.space() }
  }

  mutating func lineBreak() {
    body.lineBreak()
    if capturingHeading { heading.space() }
  }

  mutating func endHeadingCapture() {
    guard capturingHeading else { return }
    capturingHeading = false
    if !heading.isEmpty { headingTitle = heading.string() }
  }

  // MARK: Markup

  /// Handles the `<` at `start`; returns where text resumes.
  mutating func markup(at start: Int) -> Int {
    let next = start + 1
    guard next < count else {
      text(Ascii.lessThan)
      return next
    }
    let c = bytes[next]
    if c == UInt8(ascii: "!") {
      if hasPrefix("<!--", at: start) {
        // Search from the second dash so that `<!-->` closes at once, as in browsers.
        return find("-->", from: start + 2).map { $0 + 3 } ?? count
      }
      if hasPrefix("<![CDATA[", at: start) {
        return find("]]>", from: start + 9).map { $0 + 3 } ?? count
      }
      return find(">", from: next).map { $0 + 1 } ?? count  // <!DOCTYPE …> and other declarations
    }
    if c == UInt8(ascii: "?") {
      return find(">", from: next).map { $0 + 1 } ?? count
    }
    if c == Ascii.slash {
      guard next + 1 < count, Ascii.isLetter(bytes[next + 1]) else {
        // `</>` or `</ …>`: a bogus comment up to `>`; without any `>` it is text.
        guard let close = find(">", from: next) else {
          text(Ascii.lessThan)
          return next
        }
        return close + 1
      }
      let nameEnd = tagNameEnd(from: next + 1)
      guard let end = tagEnd(from: nameEnd) else {
        text(Ascii.lessThan)
        return next
      }
      endTag(TagKey(UnsafeRawBufferPointer(rebasing: bytes[(next + 1)..<nameEnd])))
      return end
    }
    guard Ascii.isLetter(c) else {
      text(Ascii.lessThan)
      return next
    }
    let nameEnd = tagNameEnd(from: next)
    guard let end = tagEnd(from: nameEnd) else {
      text(Ascii.lessThan)
      return next
    }
    let name = UnsafeRawBufferPointer(rebasing: bytes[next..<nameEnd])
    return startTag(name, key: TagKey(name), contentStart: end)
  }

  mutating func startTag(_ name: UnsafeRawBufferPointer, key: TagKey?, contentStart: Int) -> Int {
    guard let key, let kind = Extraction.tagKinds[key] else { return contentStart }
    switch kind {
    case .block:
      endHeadingCapture()
      lineBreak()
    case .lineBreak:
      lineBreak()
    case .cell:
      space()
    case .preformatted:
      endHeadingCapture()
      lineBreak()
      preDepth += 1
    case .heading1:
      endHeadingCapture()
      lineBreak()
      if headingTitle == nil {
        capturingHeading = true
        heading = TextSink()
      }
    case .rawText:
      space()
      return skipRawText(name, from: contentStart).resume
    case .title:
      let (contentEnd, resume) = skipRawText(name, from: contentStart)
      if titleText == nil {
        var sink = TextSink()
        decodeText(from: contentStart, to: contentEnd, into: &sink)
        if !sink.isEmpty { titleText = sink.string() }
      }
      return resume
    }
    return contentStart
  }

  mutating func endTag(_ key: TagKey?) {
    guard let key, let kind = Extraction.tagKinds[key] else { return }
    switch kind {
    case .block, .heading1:
      endHeadingCapture()
      lineBreak()
    case .lineBreak:
      lineBreak()  // browsers treat a stray </br> as <br>
    case .cell:
      space()
    case .preformatted:
      endHeadingCapture()
      lineBreak()
      preDepth = max(0, preDepth - 1)
    case .rawText, .title:
      break  // stray end tag
    }
  }

  /// Where a raw text element's content ends (`</name` matched case-insensitively, followed by
  /// whitespace, `/` or `>`), and where text resumes after its end tag.
  func skipRawText(_ name: UnsafeRawBufferPointer, from start: Int) -> (
    contentEnd: Int, resume: Int
  ) {
    var i = start
    while let lt = find("</", from: i) {
      let nameStart = lt + 2
      let nameEnd = nameStart + name.count
      if nameEnd <= count && equalsIgnoringCase(nameStart, name) {
        if nameEnd == count { return (lt, count) }
        let after = bytes[nameEnd]
        if after == Ascii.greaterThan || after == Ascii.slash || Ascii.isWhitespace(after) {
          return (lt, tagEnd(from: nameEnd) ?? count)
        }
      }
      i = lt + 2
    }
    return (count, count)
  }

  func tagNameEnd(from start: Int) -> Int {
    var i = start
    while i < count {
      let b = bytes[i]
      if Ascii.isWhitespace(b) || b == Ascii.slash || b == Ascii.greaterThan { break }
      i += 1
    }
    return i
  }

  /// Scans attributes from `start` (just after the tag name) to the closing `>`; returns the index after
  /// it, or `nil` when the tag never ends.
  func tagEnd(from start: Int) -> Int? {
    var i = start
    while true {
      while i < count && (Ascii.isWhitespace(bytes[i]) || bytes[i] == Ascii.slash) { i += 1 }
      guard i < count else { return nil }
      if bytes[i] == Ascii.greaterThan { return i + 1 }
      // Attribute name (its first character may be anything, even `=`).
      i += 1
      while i < count {
        let b = bytes[i]
        if Ascii.isWhitespace(b) || b == Ascii.slash || b == Ascii.greaterThan || b == Ascii.equals
        {
          break
        }
        i += 1
      }
      while i < count && Ascii.isWhitespace(bytes[i]) { i += 1 }
      guard i < count, bytes[i] == Ascii.equals else { continue }
      i += 1
      while i < count && Ascii.isWhitespace(bytes[i]) { i += 1 }
      guard i < count else { return nil }
      let quote = bytes[i]
      if quote == Ascii.quote || quote == Ascii.apostrophe {
        if let close = find(quote, from: i + 1) {
          i = close + 1
        } else {
          // Unclosed quote: end the tag at the next `>` rather than swallowing the document.
          return find(">", from: i + 1).map { $0 + 1 }
        }
      } else {
        while i < count && !Ascii.isWhitespace(bytes[i]) && bytes[i] != Ascii.greaterThan { i += 1 }
      }
    }
  }

  // MARK: Character references

  /// Handles the `&` at `start`; returns where text resumes.
  mutating func reference(at start: Int) -> Int {
    if let decoded = decodeReference(at: start) {
      textScalar(decoded.scalar)
      return decoded.end
    }
    text(Ascii.ampersand)
    return start + 1
  }

  /// Decodes `&name;`, `&#123;` or `&#x1F;` at `start`; `nil` when it is not a valid reference.
  func decodeReference(at start: Int) -> (scalar: UInt32, end: Int)? {
    var i = start + 1
    guard i < count else { return nil }
    if bytes[i] == Ascii.hash {
      i += 1
      let hex = i < count && (bytes[i] | 0x20) == UInt8(ascii: "x")
      if hex { i += 1 }
      var value: UInt32 = 0
      var digits = 0
      while i < count {
        let b = bytes[i]
        let digit: UInt32
        if Ascii.isDigit(b) {
          digit = UInt32(b - 0x30)
        } else if hex && (b | 0x20) &- 0x61 < 6 {
          digit = UInt32((b | 0x20) - 0x61 + 10)
        } else {
          break
        }
        value = min(value * (hex ? 16 : 10) + digit, 0x110000)
        digits += 1
        i += 1
      }
      guard digits > 0, i < count, bytes[i] == Ascii.semicolon,
        let scalar = HTMLEntities.scalar(numeric: value)
      else { return nil }
      return (scalar, i + 1)
    }
    while i < count && i - start <= 9 && Ascii.isAlphanumeric(bytes[i]) { i += 1 }
    guard i < count, bytes[i] == Ascii.semicolon,
      let scalar = HTMLEntities.scalar(
        named: UnsafeRawBufferPointer(rebasing: bytes[(start + 1)..<i]))
    else { return nil }
    return (scalar, i + 1)
  }

  /// Decodes character references and collapses whitespace in `start..<end` (no markup), for `<title>`.
  func decodeText(from start: Int, to end: Int, into sink: inout TextSink) {
    var i = start
    while i < end {
      let b = bytes[i]
      if b == Ascii.ampersand, let decoded = decodeReference(at: i), decoded.end <= end {
        sink.append(scalar: decoded.scalar)
        i = decoded.end
      } else {
        if Ascii.isWhitespace(b) { sink.space() } else { sink.append(b) }
        i += 1
      }
    }
  }

  // MARK: Byte search

  func find(_ byte: UInt8, from start: Int) -> Int? {
    var i = start
    while i < count {
      if bytes[i] == byte { return i }
      i += 1
    }
    return nil
  }

  func find(_ needle: StaticString, from start: Int) -> Int? {
    let n = needle.utf8CodeUnitCount
    let first = needle.utf8Start[0]
    var i = start
    while i + n <= count {
      guard let hit = find(first, from: i), hit + n <= count else { return nil }
      var matches = true
      for k in 1..<n where bytes[hit + k] != needle.utf8Start[k] {
        matches = false
        break
      }
      if matches { return hit }
      i = hit + 1
    }
    return nil
  }

  func hasPrefix(_ prefix: StaticString, at start: Int) -> Bool {
    let n = prefix.utf8CodeUnitCount
    guard start + n <= count else { return false }
    for k in 0..<n where Ascii.lowercased(bytes[start + k]) != Ascii.lowercased(prefix.utf8Start[k])
    {
      return false
    }
    return true
  }

  func equalsIgnoringCase(_ start: Int, _ name: UnsafeRawBufferPointer) -> Bool {
    for k in 0..<name.count where Ascii.lowercased(bytes[start + k]) != Ascii.lowercased(name[k]) {
      return false
    }
    return true
  }
}
