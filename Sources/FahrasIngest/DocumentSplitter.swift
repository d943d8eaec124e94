/// Cuts a document whose body is too large into parts that index and search in bounded memory.
///
/// A body of more than `maxBytes` UTF-8 bytes is cut into consecutive parts of at most `maxBytes`
/// bytes each. Each cut is made after the last line feed in the second half of the part, else after the
/// last other ASCII whitespace byte there, else at a Unicode scalar boundary that does not separate a
/// letter from its combining marks (a part is never cut inside a UTF-8 sequence). The whitespace at a
/// cut stays at the end of the part before it, so the parts, concatenated in order, are the body byte
/// for byte.
///
/// Part 1 keeps the document's id; part k (k = 2, 3, …) has the id `<id>#<k>`. Every part has the
/// document's path, title and fields, so deleting the file's documents by path removes all of them.
/// Words and phrases that span a cut are not found as one (a phrase query across parts fails).
public enum DocumentSplitter {
  /// The default largest body, 8 MiB: a document costs several times its size in memory while it is
  /// indexed, and every search that shows it reads and highlights the whole body.
  public static let defaultMaxBodyBytes = 8 << 20

  /// Smallest `maxBytes` accepted (smaller values are raised to it), so that a part can always hold a
  /// whole scalar with its combining marks.
  public static let minimumMaxBytes = 64

  /// Byte ranges of the parts of `body` (valid UTF-8): one range `0..<count` when it fits, otherwise
  /// consecutive ranges that cover it exactly, each at most `maxBytes` long.
  /// - Complexity: O(n) in the body size.
  public static func partRanges(_ body: UnsafeRawBufferPointer, maxBytes: Int) -> [Range<Int>] {
    let limit = max(maxBytes, minimumMaxBytes)
    var ranges: [Range<Int>] = []
    var start = 0
    while body.count - start > limit {
      let end = cut(body, from: start, limit: limit)
      ranges.append(start..<end)
      start = end
    }
    ranges.append(start..<body.count)
    return ranges
  }

  /// Where the part starting at `start` ends (exclusive); more than `limit` bytes follow `start`.
  static func cut(_ body: UnsafeRawBufferPointer, from start: Int, limit: Int) -> Int {
    let end = start + limit
    let floor = start + limit / 2
    var i = end
    while i > floor {
      if body[i - 1] == Ascii.lineFeed { return i }
      i -= 1
    }
    i = end
    while i > floor {
      if Ascii.isWhitespace(body[i - 1]) { return i }
      i -= 1
    }
    // No whitespace: a scalar boundary, moved back over combining marks and joiners (a few at most).
    i = end
    while i > start + 1 && TitleCap.isContinuation(body[i]) { i -= 1 }
    var steps = 0
    while steps < 32 && i > floor && extendsPrevious(body, at: i) {
      i -= 1
      while i > start + 1 && TitleCap.isContinuation(body[i]) { i -= 1 }
      steps += 1
    }
    return i
  }

  /// Whether the scalar starting at `i` attaches to the one before it (a combining mark, a variation
  /// selector, an emoji modifier, or a zero-width joiner on either side).
  static func extendsPrevious(_ body: UnsafeRawBufferPointer, at i: Int) -> Bool {
    if let scalar = scalar(body, at: i) {
      switch scalar.properties.generalCategory {
      case .nonspacingMark, .spacingMark, .enclosingMark: return true
      default: break
      }
      if scalar.value == 0x200D || (0x1F3FB...0x1F3FF).contains(scalar.value) { return true }
    }
    // After a zero-width joiner (U+200D = E2 80 8D).
    return i >= 3 && body[i - 3] == 0xE2 && body[i - 2] == 0x80 && body[i - 1] == 0x8D
  }

  /// The scalar whose first byte is at `i`, if it is well formed.
  static func scalar(_ body: UnsafeRawBufferPointer, at i: Int) -> Unicode.Scalar? {
    let b0 = body[i]
    let length = b0 < 0x80 ? 1 : b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4
    guard i + length <= body.count else { return nil }
    var value = UInt32(b0)
    switch length {
    case 1: break
    case 2: value &= 0x1F
    case 3: value &= 0x0F
    default: value &= 0x07
    }
    if length > 1 {
      for k in 1..<length { value = value << 6 | UInt32(body[i + k] & 0x3F) }
    }
    return Unicode.Scalar(value)
  }

  /// `document` itself when its body fits in `maxBodyBytes`, otherwise its parts, made one at a time
  /// as the sequence is iterated (so that only one part is copied out of the body at a time).
  public static func parts(of document: SourceDocument, maxBodyBytes: Int) -> Parts {
    Parts(document: document, maxBodyBytes: maxBodyBytes)
  }

  /// The parts of one document (see `parts(of:maxBodyBytes:)`).
  public struct Parts: Sequence {
    public let document: SourceDocument
    /// The byte ranges of the parts in the document's body.
    public let ranges: [Range<Int>]

    init(document: SourceDocument, maxBodyBytes: Int) {
      self.document = document
      if document.body.utf8.count <= Swift.max(maxBodyBytes, DocumentSplitter.minimumMaxBytes) {
        ranges = [0..<document.body.utf8.count]
      } else {
        var body = document.body
        ranges = body.withUTF8 { partRanges(UnsafeRawBufferPointer($0), maxBytes: maxBodyBytes) }
      }
    }

    /// How many documents: 1 when the body fits.
    public var count: Int { ranges.count }

    /// The id of part `k` (1-based): the document's id for part 1, `<id>#<k>` after.
    public func id(ofPart k: Int) -> String { k == 1 ? document.id : "\(document.id)#\(k)" }

    public func makeIterator() -> Iterator { Iterator(parts: self) }

    public struct Iterator: IteratorProtocol {
      let parts: Parts
      var index = 0

      public mutating func next() -> SourceDocument? {
        guard index < parts.ranges.count else { return nil }
        defer { index += 1 }
        if parts.ranges.count == 1 { return parts.document }
        var d = parts.document
        var body = d.body
        let range = parts.ranges[index]
        d.body = body.withUTF8 {
          String(
            decoding: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer($0)[range]),
            as: UTF8.self)
        }
        d.id = parts.id(ofPart: index + 1)
        return d
      }
    }
  }
}
