import FahrasIndex

/// Sizes of an index's files, counting only what the latest commit references.
enum IndexFiles {
  /// Sizes of the files the latest commit of the index in `dir` references, by name (older commits'
  /// files that the writer keeps for open readers are not counted).
  static func committed(_ dir: String) throws -> [(name: String, bytes: Int64)] {
    let manifest = try IndexReader.open(dir).manifest
    var names = [Manifest.fileName(manifest.generation)]
    if !manifest.userData.isEmpty { names.append(manifest.userData) }
    for segment in manifest.segments {
      names += segment.files(in: dir).map { String($0.split(separator: "/").last ?? "") }
    }
    return names.map { ($0, FileSizes.size(dir + "/" + $0) ?? 0) }
  }

  /// Bytes of the latest commit of the index in `dir`.
  static func totalBytes(_ dir: String) throws -> Int64 {
    try committed(dir).reduce(Int64(0)) { $0 + $1.bytes }
  }

  /// Bytes of the latest commit grouped by file kind (segment file extension, manifest, ingest
  /// state, deletes).
  static func sizeByKind(_ dir: String) throws -> [IndexSize.Entry] {
    var bytes: [String: Int64] = [:]
    for (name, size) in try committed(dir) {
      let key: String
      if name.hasPrefix("manifest.") {
        key = "manifest"
      } else if name.hasPrefix("ingest.") {
        key = "ingest"
      } else if let dot = name.lastIndex(of: ".") {
        key = String(name[name.index(after: dot)...])
      } else {
        key = "other"
      }
      bytes[key, default: 0] += size
    }
    var order = SegmentFile.allCases.map(\.rawValue) + ["del", "manifest", "ingest"]
    order += bytes.keys.filter { !order.contains($0) }.sorted()
    return order.compactMap { key in
      guard let b = bytes[key] else { return nil }
      let kind: String
      switch key {
      case "del": kind = "deleted documents"
      case "manifest": kind = "commit manifest"
      case "ingest": kind = "ingest state"
      default: kind = SegmentFile(rawValue: key)?.kind ?? "other"
      }
      return IndexSize.Entry(key: key, kind: kind, bytes: b)
    }
  }
}
