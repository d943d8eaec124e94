/// One document read from the corpus, before it is tokenized and indexed.
///
/// For plain text and Markdown the title is the first non-empty line and the body is the rest of the file;
/// for HTML the title comes from `<title>` (else the first `<h1>`, else the first line) and the body is the
/// visible text; for JSON and JSON Lines they come from the object's `title` member and the first of
/// `body`, `contents`, `content`, `text` (see `DocumentReader`).
public struct SourceDocument: Sendable, Equatable {
  /// Stable identifier: the JSON `"id"` member (a string, or a number's literal text) when present and
  /// non-empty; otherwise the relative path, plus `#L<line>` (1-based) for a JSON Lines line or
  /// `#<index>` (0-based) for an element of a top-level JSON array.
  public var id: String
  /// Path of the source file relative to the corpus root, `/`-separated.
  public var path: String
  /// Title, trimmed of surrounding whitespace, at most `TitleCap.maxBytes` UTF-8 bytes (the readers
  /// keep the text of a longer title in the body); may be empty when the document has a body.
  public var title: String
  /// Body text; may be empty when the document has a title.
  public var body: String
  /// Other top-level scalar JSON members (strings as is, numbers as their literal text, booleans as
  /// `true`/`false`), in input order. Always empty for text, Markdown and HTML files.
  public var fields: [(name: String, value: String)]

  public init(
    id: String, path: String, title: String, body: String,
    fields: [(name: String, value: String)] = []
  ) {
    self.id = id
    self.path = path
    self.title = title
    self.body = body
    self.fields = fields
  }

  /// The value of the first field called `name`, if any.
  public func field(_ name: String) -> String? {
    fields.first(where: { $0.name == name })?.value
  }

  public static func == (lhs: SourceDocument, rhs: SourceDocument) -> Bool {
    guard
      lhs.id == rhs.id, lhs.path == rhs.path, lhs.title == rhs.title, lhs.body == rhs.body,
      lhs.fields.count == rhs.fields.count
    else { return false }
    for (l, r) in zip(lhs.fields, rhs.fields) where l.name != r.name || l.value != r.value {
      return false
    }
    return true
  }
}

/// An input (a whole file, one JSON Lines line, or one folder) that was not turned into a document,
/// with the reason. Readers and the walker report these instead of failing.
public struct SkippedInput: Sendable, Equatable, CustomStringConvertible {
  /// Path relative to the corpus root.
  public var path: String
  /// 1-based line number: the JSON Lines line, or where a `.json` file's syntax error is; `nil` for whole
  /// files and folders.
  public var line: Int?
  /// Human-readable reason, e.g. `"invalid UTF-8 at byte 12"`.
  public var reason: String
  /// A notice about input that was indexed, not skipped (e.g. a huge document split into parts).
  public var isNotice: Bool

  public init(path: String, line: Int? = nil, reason: String, isNotice: Bool = false) {
    self.path = path
    self.line = line
    self.reason = reason
    self.isNotice = isNotice
  }

  public var description: String {
    if let line { return "\(path):\(line): \(reason)" }
    return "\(path): \(reason)"
  }
}

/// What reading one file produced: its documents, and the parts that could not be used.
public struct ReadOutcome: Sendable {
  public var documents: [SourceDocument]
  public var skipped: [SkippedInput]

  public init(documents: [SourceDocument] = [], skipped: [SkippedInput] = []) {
    self.documents = documents
    self.skipped = skipped
  }
}
