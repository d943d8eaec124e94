#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads JSON (`.json`: one object or an array of objects) and JSON Lines (`.jsonl`, `.ndjson`: one object
/// per line) into documents.
///
/// Field rules for each object:
/// - id: the first of `id`, `_id`, `docid`, `doc_id`, `docno` (the names of common collection formats:
///   BEIR uses `_id`, TREC `docno`) holding a string or number (its literal text); an empty string, or
///   any other kind, counts as missing. Without one the id falls back to the path (`path#L<line>` for a JSON Lines line, `path#<index>` for an array
///   element, the bare path for a single object).
/// - `title`: a string (or a number/boolean, stringified), trimmed, and capped at `TitleCap.maxBytes`
///   bytes; a longer title is also put before the body on a line of its own, so no word is lost.
/// - body: the first of `body`, `contents`, `content`, `text` holding a string (or number/boolean).
/// - every other top-level string, number or boolean member goes to `fields` in input order (numbers as
///   written, booleans as `true`/`false`), including body candidates that were not chosen.
/// - `null`, nested objects and arrays are skipped: they have no natural plain-text form, and dumping
///   them as JSON would index punctuation and key names. Flatten them upstream if they should be searched.
/// - When a key repeats, the last occurrence wins for `id`, `title` and the body.
/// - An object whose title and body are both empty or whitespace is skipped.
enum JSONDocumentReader {
  static let bodyKeys = ["body", "contents", "content", "text"]
  static let idKeys = ["id", "_id", "docid", "doc_id", "docno"]

  /// Reads JSON Lines. `byteOffset` is where `bytes` starts in the file (after a BOM), for messages.
  /// - Complexity: O(n); each line is parsed with one reused parser.
  static func readLines(
    _ bytes: UnsafeRawBufferPointer, relativePath: String, byteOffset: Int = 0, firstLine: Int = 1
  ) -> ReadOutcome {
    var outcome = ReadOutcome()
    guard let base = bytes.baseAddress else { return outcome }
    var parser = JSONParser()
    var lineStart = 0
    var lineNumber = firstLine - 1
    while lineStart < bytes.count {
      lineNumber += 1
      let lineEnd: Int
      if let newline = memchr(base + lineStart, Int32(Ascii.lineFeed), bytes.count - lineStart) {
        lineEnd = UnsafeRawPointer(newline) - base
      } else {
        lineEnd = bytes.count
      }
      let line = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<lineEnd])
      defer { lineStart = lineEnd + 1 }
      if Ascii.isAllWhitespace(line) { continue }
      if let lineBase = line.baseAddress, memchr(lineBase, 0, line.count) != nil {
        outcome.skipped.append(
          SkippedInput(
            path: relativePath, line: lineNumber, reason: "NUL byte in the line (binary data)"))
        continue
      }
      do {
        let value = try parser.parse(line)
        let fallbackID = "\(relativePath)#L\(lineNumber)"
        switch document(from: value, relativePath: relativePath, fallbackID: fallbackID) {
        case .success(let doc): outcome.documents.append(doc)
        case .failure(let reason):
          outcome.skipped.append(
            SkippedInput(path: relativePath, line: lineNumber, reason: reason.text))
        }
      } catch {
        let reason: String
        if error.reason == .invalidUTF8 {
          reason = "invalid UTF-8 at byte \(byteOffset + lineStart + error.offset)"
        } else {
          reason = "invalid JSON at column \(error.offset + 1): \(error.message)"
        }
        outcome.skipped.append(SkippedInput(path: relativePath, line: lineNumber, reason: reason))
      }
    }
    return outcome
  }

  /// Reads a `.json` file: one object, or an array whose elements are objects.
  static func readDocument(
    _ bytes: UnsafeRawBufferPointer, relativePath: String, byteOffset: Int = 0
  ) -> ReadOutcome {
    var outcome = ReadOutcome()
    let value: JSONValue
    do {
      value = try JSONParser.parse(bytes)
    } catch {
      let line = 1 + bytes[..<min(error.offset, bytes.count)].count(where: { $0 == Ascii.lineFeed })
      let reason =
        error.reason == .invalidUTF8
        ? "invalid UTF-8 at byte \(byteOffset + error.offset)"
        : "invalid JSON at byte \(byteOffset + error.offset): \(error.message)"
      outcome.skipped.append(SkippedInput(path: relativePath, line: line, reason: reason))
      return outcome
    }
    switch value {
    case .object:
      switch document(from: value, relativePath: relativePath, fallbackID: relativePath) {
      case .success(let doc): outcome.documents.append(doc)
      case .failure(let reason):
        outcome.skipped.append(SkippedInput(path: relativePath, reason: reason.text))
      }
    case .array(let elements):
      for (index, element) in elements.enumerated() {
        switch document(
          from: element, relativePath: relativePath, fallbackID: "\(relativePath)#\(index)")
        {
        case .success(let doc): outcome.documents.append(doc)
        case .failure(let reason):
          outcome.skipped.append(
            SkippedInput(path: relativePath, reason: "element \(index): \(reason.text)"))
        }
      }
      if elements.isEmpty {
        outcome.skipped.append(SkippedInput(path: relativePath, reason: "empty array"))
      }
    default:
      outcome.skipped.append(
        SkippedInput(
          path: relativePath,
          reason: "expected a JSON object or an array of objects, found \(value.kindName)"))
    }
    return outcome
  }

  struct Rejection: Error {
    var text: String
  }

  /// Builds a document from one JSON value, which must be an object.
  static func document(
    from value: JSONValue, relativePath: String, fallbackID: String
  ) -> Result<SourceDocument, Rejection> {
    guard case .object(let members) = value else {
      return .failure(Rejection(text: "expected a JSON object, found \(value.kindName)"))
    }
    var ids = [String?](repeating: nil, count: idKeys.count)
    var title: String?
    var bodies = [String?](repeating: nil, count: bodyKeys.count)
    for member in members {
      if let k = idKeys.firstIndex(of: member.key) {
        switch member.value {
        case .string(let s): ids[k] = s.isEmpty ? nil : s
        case .number(let n): ids[k] = n.text
        default: ids[k] = nil
        }
      } else if member.key == "title" {
        if let text = member.value.scalarText { title = text }
      } else if let k = bodyKeys.firstIndex(of: member.key), let text = member.value.scalarText {
        bodies[k] = text
      }
    }
    let chosenID = ids.firstIndex(where: { $0 != nil })
    let id = chosenID.flatMap { ids[$0] }
    let idKey = chosenID.map { idKeys[$0] }
    let chosen = bodies.firstIndex(where: { $0 != nil })
    let body = chosen.flatMap { bodies[$0] } ?? ""
    let chosenKey = chosen.map { bodyKeys[$0] }
    var fields: [(name: String, value: String)] = []
    for member in members
    where member.key != idKey && member.key != "id" && member.key != "title"
      && member.key != chosenKey
    {
      if let text = member.value.scalarText { fields.append((member.key, text)) }
    }
    let trimmedTitle = trimmingWhitespace(title ?? "")
    if trimmedTitle.isEmpty && body.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
      return .failure(Rejection(text: "no title or body"))
    }
    let capped = TitleCap.capped(title: trimmedTitle, body: body)
    return .success(
      SourceDocument(
        id: id ?? fallbackID, path: relativePath, title: capped.title, body: capped.body,
        fields: fields))
  }

  /// `text` without leading and trailing Unicode whitespace.
  static func trimmingWhitespace(_ text: String) -> String {
    let scalars = text.unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
      let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) {
      return text
    }
    return String(scalars[first...last])
  }
}
