import FahrasIndex
import FahrasIngest
import FahrasStorage

enum StatsCommand {
  struct Stats {
    var documents = 0
    var deleted = 0
    var segments = 0
    var generation: UInt64 = 0
    var termsPerField: [(String, Int)] = []
    var averageLengths: [(String, Double)] = []
    var sizes: [(String, Int64)] = []
    var topTerms: [(String, Int)] = []
    /// Inverted-index bytes per field, largest first.
    var fieldSpace: [(String, FieldSpace)] = []
  }

  static func collect(_ reader: IndexReader, top: Int) -> Stats {
    var s = Stats()
    s.documents = reader.documentCount
    s.deleted = reader.deletedCount
    s.segments = reader.segments.count
    s.generation = reader.manifest.generation
    var sizes: [String: Int64] = [:]
    var df: [String: Int] = [:]
    // Terms and bytes per field come from one walk of each dictionary (`spaceUsage`); the
    // frequent terms need only field 0's part of it again.
    var space: [String: FieldSpace] = [:]
    for seg in reader.segments {
      if let u = try? seg.spaceUsage() {
        for (name, f) in u { space[name, default: FieldSpace()] += f }
      }
      for (kind, size) in seg.fileSizes() { sizes[kind.kind, default: 0] += Int64(size) }
      guard top > 0, var it = try? seg.dictionary.iterator(from: [0]) else { continue }
      while (try? it.next()) == true, it.field == 0 {
        df[String(decoding: it.term, as: UTF8.self), default: 0] += it.info.docFreq
      }
    }
    let names = Set(reader.segments.flatMap { $0.meta.fields.map(\.name) })
    s.termsPerField = names.sorted().map { ($0, space[$0]?.terms ?? 0) }
    for n in names.sorted() {
      let st = reader.fieldStatistics(n)
      if st.docCount > 0 {
        s.averageLengths.append((n, Double(st.sumLength) / Double(st.docCount)))
      }
    }
    s.fieldSpace = space.filter { $0.value.total > 0 }.sorted {
      $0.value.total != $1.value.total ? $0.value.total > $1.value.total : $0.key < $1.key
    }.map { ($0.key, $0.value) }
    s.sizes = sizes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    if top > 0 {
      s.topTerms = Array(
        df.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(top)
      ).map { ($0.key, $0.value) }
    }
    return s
  }

  static func text(_ s: Stats, console: Console) -> String {
    var out =
      "\(s.documents) documents (\(s.deleted) deleted) in \(s.segments) segment\(s.segments == 1 ? "" : "s"), commit \(s.generation)\n"
    out +=
      "terms per field:  " + s.termsPerField.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
      + "\n"
    out +=
      "average lengths:  "
      + s.averageLengths.map { "\($0.0) \(format1($0.1))" }.joined(separator: ", ") + "\n"
    let total = s.sizes.reduce(Int64(0)) { $0 + $1.1 }
    out +=
      "size on disk:     \(formatBytes(total)): "
      + s.sizes.map { "\($0.0) \(formatBytes($0.1))" }.joined(separator: ", ") + "\n"
    if !s.fieldSpace.isEmpty {
      out += "size by field:    (inverted index: dictionary + postings + positions + lengths)\n"
      for (name, f) in s.fieldSpace {
        var line =
          "  \(name): \(formatBytes(Int64(f.total))) = \(formatBytes(Int64(f.dictionary))) + \(formatBytes(Int64(f.postings)))"
        line += " + \(formatBytes(Int64(f.positions))) + \(formatBytes(Int64(f.norms)))"
        if f.sharedLists > 0 { line += " (\(f.sharedLists) lists shared with $text)" }
        out += line + "\n"
      }
    }
    if !s.topTerms.isEmpty {
      out +=
        "most frequent:    " + s.topTerms.map { "\($0.0) (\($0.1))" }.joined(separator: ", ") + "\n"
    }
    return out
  }

  static func json(_ s: Stats) -> String {
    JSON.object([
      ("documents", "\(s.documents)"), ("deleted", "\(s.deleted)"), ("segments", "\(s.segments)"),
      ("generation", "\(s.generation)"),
      ("terms", JSON.object(s.termsPerField.map { ($0.0, "\($0.1)") })),
      ("average_lengths", JSON.object(s.averageLengths.map { ($0.0, JSON.number($0.1)) })),
      ("bytes", JSON.object(s.sizes.map { ($0.0, "\($0.1)") })),
      ("total_bytes", "\(s.sizes.reduce(Int64(0)) { $0 + $1.1 })"),
      (
        "field_bytes",
        JSON.object(
          s.fieldSpace.map { name, f in
            (
              name,
              JSON.object([
                ("dictionary", "\(f.dictionary)"), ("postings", "\(f.postings)"),
                ("positions", "\(f.positions)"), ("norms", "\(f.norms)"),
                ("total", "\(f.total)"), ("shared_lists", "\(f.sharedLists)"),
              ])
            )
          })
      ),
      (
        "top_terms",
        JSON.array(
          s.topTerms.map { JSON.object([("term", JSON.string($0.0)), ("df", "\($0.1)")]) })
      ),
    ])
  }

  static func run(_ args: ParsedArguments, _ console: Console) throws -> Int32 {
    let reader = try IndexReader.open(indexPath(args))
    let s = collect(reader, top: try args.int("top", default: 10, range: 0...10_000))
    console.out(args.has("json") ? json(s) + "\n" : text(s, console: console))
    return 0
  }
}

enum CheckCommand {
  static func run(_ args: ParsedArguments, _ console: Console) throws -> Int32 {
    let dir = indexPath(args)
    var problems: [String] = []
    var checked: [String] = []
    guard FileSystem.isDirectory(dir) else {
      throw IndexError.noIndex(path: dir, reason: "the folder does not exist")
    }
    let found = try Manifest.latest(in: dir)
    for e in found.skipped { problems.append("\(e) (the index falls back to an older commit)") }
    if let m = found.0 {
      checked.append(Manifest.fileName(m.generation))
      for info in m.segments {
        for f in info.files(in: dir) where !FileSystem.exists(f) {
          problems.append("missing file \(f.split(separator: "/").last!) of segment \(info.name)")
        }
        do {
          let seg = try SegmentReader(directory: dir, info: info, verify: true)
          try seg.verifyDeep()
          checked.append(
            "segment \(info.name) (\(info.maxDoc) documents, \(info.deletedCount) deleted)")
        } catch {
          problems.append("segment \(info.name): \(error)")
        }
      }
      if !m.userData.isEmpty {
        if !FileSystem.exists("\(dir)/\(m.userData)") {
          problems.append("missing ingest state file \(m.userData)")
        } else {
          do {
            _ = try IngestState.load(indexDirectory: dir, name: m.userData)
            checked.append("ingest state \(m.userData)")
          } catch {
            problems.append("ingest state \(m.userData): \(error)")
          }
        }
      }
    } else if found.skipped.isEmpty {
      let names = (try? FileSystem.list(dir)) ?? []
      let orphans = names.filter { $0.hasPrefix("s") && $0.hasSuffix(".meta") }
      if orphans.isEmpty {
        problems.append("no committed index in \(dir)")
      } else {
        problems.append(
          "manifest missing: no manifest.<N> in \(dir), but segment files are present "
            + "(\(orphans.sorted().joined(separator: ", ")))")
      }
    }
    if args.has("json") {
      console.line(
        JSON.object([
          ("ok", problems.isEmpty ? "true" : "false"),
          ("checked", JSON.array(checked.map(JSON.string))),
          ("problems", JSON.array(problems.map(JSON.string))),
        ]))
    } else {
      for c in checked { console.line("ok      \(c)") }
      for p in problems { console.line("DAMAGED \(p)") }
      console.line(
        problems.isEmpty
          ? "index is sound" : "\(problems.count) problem\(problems.count == 1 ? "" : "s") found")
    }
    return problems.isEmpty ? 0 : 1
  }
}

enum MergeCommand {
  static func run(_ args: ParsedArguments, _ console: Console) throws -> Int32 {
    let n = try args.int("max-segments", default: 1, range: 1...1_000_000)
    let dir = indexPath(args)
    _ = try IndexReader.open(dir)
    let t = now()
    let w = try IndexWriter(
      directory: dir, options: IndexWriter.Options(compactLightLists: args.has("compact")))
    let before = w.committed.segments.count
    try w.forceMerge(maxSegments: n)
    try w.commit()
    console.line(
      "merged \(before) segment\(before == 1 ? "" : "s") into \(w.committed.segments.count) in \(format2(now() - t)) s"
    )
    return 0
  }
}
