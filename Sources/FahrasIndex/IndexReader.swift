import FahrasStorage

/// An immutable snapshot of one commit: the manifest and its open segments.
///
/// Any number of threads may search a reader while a writer commits: the files of a commit are never
/// changed, and a writer deletes files only when no manifest it keeps references them (and, on
/// Linux, unlinking a mapped file leaves the mapping valid). `open` retries when a commit lands
/// between reading the manifest and opening its files.
public final class IndexReader: Sendable {
  public let directory: String
  public let manifest: Manifest
  public let segments: [SegmentReader]
  /// Newer commits that failed to verify (damage): this snapshot is an older commit. Shown to
  /// users as a warning, never silently.
  public let damagedNewerCommits: [String]

  init(
    directory: String, manifest: Manifest, segments: [SegmentReader],
    damagedNewerCommits: [String] = []
  ) {
    self.directory = directory
    self.manifest = manifest
    self.segments = segments
    self.damagedNewerCommits = damagedNewerCommits
  }

  public static func open(_ directory: String, verify: Bool = false) throws(IndexError)
    -> IndexReader
  {
    guard FileSystem.isDirectory(directory) else {
      throw .noIndex(
        path: directory, reason: "the folder does not exist (run `fahras index` first)")
    }
    var lastError: StorageError?
    // A writer committing meanwhile can remove the files of the commit just read; then a newer
    // commit exists, and opening starts over with it (a bounded number of times).
    for _ in 0..<64 {
      let found: (Manifest?, skipped: [StorageError])
      do { found = try Manifest.latest(in: directory) } catch { throw .storage(error) }
      guard let m = found.0 else {
        if let first = found.skipped.first { throw .storage(first) }
        throw .noIndex(path: directory, reason: "the folder holds no committed index")
      }
      do {
        let segs = try m.segments.map { info throws(StorageError) in
          try SegmentReader(directory: directory, info: info, verify: verify)
        }
        return IndexReader(
          directory: directory, manifest: m, segments: segs,
          damagedNewerCommits: found.skipped.map { "\($0)" })
      } catch {
        lastError = error
        // A newer commit may have removed the files; retry only if a newer manifest exists.
        let newest = (try? Manifest.generations(in: directory).first) ?? m.generation
        if newest <= m.generation { break }
      }
    }
    throw .storage(lastError!)
  }

  public var documentCount: Int { manifest.documentCount }
  public var deletedCount: Int { manifest.deletedCount }
  public var maxDocTotal: Int { segments.reduce(0) { $0 + $1.maxDoc } }

  /// Collection statistics of a field over all segments: documents with the field and summed lengths.
  public func fieldStatistics(_ name: String) -> (docCount: Int, sumLength: UInt64) {
    var dc = 0
    var sum: UInt64 = 0
    for s in segments {
      if let f = s.field(named: name) {
        dc += f.docCount
        sum += f.sumLength
      }
    }
    return (dc, sum)
  }

  /// Names of the user-visible fields (`title`, `body` and stored JSON fields).
  public var fieldNames: [String] {
    var names: [String] = ["title", "body"]
    for s in segments {
      for f in s.meta.fields where !f.name.hasPrefix("$") && !names.contains(f.name) {
        names.append(f.name)
      }
    }
    return names
  }
}
