import FahrasStorage

/// Bytes of one segment's inverted index attributed to each field, for `fahras stats` (what
/// tantivy calls space usage). Stored documents and the segment description are not per field.
public struct FieldSpace: Sendable, Equatable {
  public var terms = 0
  /// Dictionary entries (keys, statistics, file pointers); the block index is shared and left out.
  public var dictionary = 0
  /// Postings (`.post`) of the field's own lists; a list shared with `$text` counts there.
  public var postings = 0
  /// Positions (`.pos`).
  public var positions = 0
  /// Field lengths (`.norm`): about 2 bytes per document for fields with norms.
  public var norms = 0
  /// Terms whose postings point at an identical `$text` list instead of a copy.
  public var sharedLists = 0

  public init() {}

  public var total: Int { dictionary + postings + positions + norms }

  public static func += (a: inout FieldSpace, b: FieldSpace) {
    a.terms += b.terms
    a.dictionary += b.dictionary
    a.postings += b.postings
    a.positions += b.positions
    a.norms += b.norms
    a.sharedLists += b.sharedLists
  }
}

extension SegmentReader {
  /// Per field name, the bytes of the inverted index it takes. A term's postings run from its
  /// offset to the next written list's offset (lists are written in key order); its positions
  /// likewise. Walks the whole dictionary: a diagnostic, not a query path.
  public func spaceUsage() throws(StorageError) -> [String: FieldSpace] {
    var perField = [FieldSpace](repeating: FieldSpace(), count: meta.fields.count)
    let postEnd = post.count - FileEnvelope.footerSize
    let posEnd = pos.count - FileEnvelope.footerSize
    // The previous written list / positions start, and whose they were.
    var lastPost: (offset: Int, field: Int)? = nil
    var lastPos: (offset: Int, field: Int)? = nil
    var it = try dictionary.iterator(from: [0])
    var entryStart = it.offset
    while try it.next() {
      let f = it.field
      guard f < perField.count else {
        throw .corrupt(file: dictionary.file.name, detail: "term of unknown field \(f)")
      }
      perField[f].terms += 1
      // An entry's bytes: from where the previous one ended (blocks are contiguous).
      perField[f].dictionary += it.offset - entryStart
      entryStart = it.offset
      let info = it.info
      if info.docFreq > 1 {
        if info.sharedPostings {
          perField[f].sharedLists += 1
        } else {
          let o = Int(info.postOffset)
          if let l = lastPost { perField[l.field].postings += o - l.offset }
          lastPost = (o, f)
        }
      }
      let p = Int(info.posOffset)
      if let l = lastPos, p > l.offset { perField[l.field].positions += p - l.offset }
      // A term that wrote no positions has the next term's offset: the later owner takes it.
      if lastPos == nil || p >= lastPos!.offset { lastPos = (p, f) }
    }
    if let l = lastPost { perField[l.field].postings += max(0, postEnd - l.offset) }
    if let l = lastPos { perField[l.field].positions += max(0, posEnd - l.offset) }
    for f in meta.fields where f.hasNorms {
      perField[f.number].norms = lengths.byteSize(field: f.number)
    }
    var out: [String: FieldSpace] = [:]
    for f in meta.fields {
      out[f.name, default: FieldSpace()] += perField[f.number]
    }
    return out
  }
}
