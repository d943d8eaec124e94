/// File names of a segment: `<name>.<ext>` in the index folder, with `<name>_<gen>.del` for deletes.
public enum SegmentFile: String, CaseIterable, Sendable {
  case meta, dict, post, pos, norm, store

  public func path(in dir: String, segment: String) -> String { "\(dir)/\(segment).\(rawValue)" }

  /// What the file holds, for `stats` and `check`.
  public var kind: String {
    switch self {
    case .meta: return "segment description"
    case .dict: return "term dictionary"
    case .post: return "postings"
    case .pos: return "positions"
    case .norm: return "field lengths"
    case .store: return "stored documents"
    }
  }

  public static func deletesPath(in dir: String, segment: String, generation: UInt64) -> String {
    "\(dir)/\(segment)_\(generation).del"
  }
}

/// A committed segment as the manifest records it.
public struct SegmentInfo: Sendable, Equatable {
  public var name: String
  public var id: [UInt8]
  public var maxDoc: Int
  /// Generation of the deletes file (0: no deletes).
  public var deleteGeneration: UInt64
  public var deletedCount: Int

  public init(
    name: String, id: [UInt8], maxDoc: Int, deleteGeneration: UInt64 = 0, deletedCount: Int = 0
  ) {
    self.name = name
    self.id = id
    self.maxDoc = maxDoc
    self.deleteGeneration = deleteGeneration
    self.deletedCount = deletedCount
  }

  public var liveCount: Int { maxDoc - deletedCount }

  /// Every file of this segment's current state.
  public func files(in dir: String) -> [String] {
    var f = SegmentFile.allCases.map { $0.path(in: dir, segment: name) }
    if deleteGeneration > 0 {
      f.append(SegmentFile.deletesPath(in: dir, segment: name, generation: deleteGeneration))
    }
    return f
  }
}
