// End-to-end: `fahras index --compact` and `fahras merge --compact` write smaller postings and
// answer exactly as a default index does.

import Foundation
import Testing

@Suite("--compact: smaller light-form lists, same answers")
struct CompactIndexTests {
  /// Fifty word families ("bark", "barks", "barked", "barking": one stem, four unstemmed light
  /// forms) over 6,000 short documents: each stem is in about 570 documents and each light form in
  /// about 150, so light-form lists are longer than one block and at most 1/32 of the index.
  static let roots: [String] = {
    var out: [String] = []
    for c in "bdfghklmnp" {
      for end in ["rk", "lt", "nd", "st", "mp"] { out.append("\(c)a\(end)") }
    }
    return out
  }()

  static func corpus(into folder: String) throws {
    let suffixes = ["", "s", "ed", "ing"]
    var state: UInt64 = 7
    func next() -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(truncatingIfNeeded: state >> 33)
    }
    var lines: [String] = []
    for i in 0..<6000 {
      let words = (0..<(3 + next() % 5)).map { _ in
        roots[next() % roots.count] + suffixes[next() % suffixes.count]
      }
      lines.append(
        "{\"id\": \"d\(i)\", \"title\": \"\", \"body\": \"\(words.joined(separator: " "))\"}")
    }
    try CLIFiles.write(lines.joined(separator: "\n") + "\n", to: folder + "/docs.jsonl")
  }

  static let queries = [
    "barks", "dalting", "fanded", "gast", "hamps kalts", "+larked +mand", "\"past barks\"",
  ]

  static func postBytes(_ index: String) -> Int {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: index)) ?? []
    return files.filter { $0.hasSuffix(".post") }.reduce(0) { total, name in
      let size = (try? FileManager.default.attributesOfItem(atPath: index + "/" + name))?[.size]
      return total + ((size as? NSNumber)?.intValue ?? 0)
    }
  }

  /// Every query of `queries` finds something in `plain` and the same TREC lines in `compact`.
  static func expectSameAnswers(_ plain: String, _ compact: String) {
    for q in queries {
      let a = runFahras(["search", "--index", plain, "--k", "50", "--format", "trec", q])
      let b = runFahras(["search", "--index", compact, "--k", "50", "--format", "trec", q])
      #expect(a.status == 0 && b.status == 0)
      #expect(!a.stdout.isEmpty, "\(q)")
      #expect(a.stdout == b.stdout, "\(q)")
    }
  }

  /// A scratch folder with the corpus written and the paths of the two indexes to compare.
  struct Folders {
    let scratch: CLIScratch
    let corpus: String
    let plain: String
    let compact: String
    init(_ label: String) throws {
      scratch = CLIScratch.make(label)
      corpus = scratch.file("corpus")
      plain = scratch.file("plain.idx")
      compact = scratch.file("compact.idx")
      try CompactIndexTests.corpus(into: corpus)
    }
  }

  @Test("index --compact: fewer postings bytes, identical results, a sound index")
  func compactMatchesDefault() throws {
    let f = try Folders("compact")
    defer { f.scratch.remove() }
    let (corpus, plain, compact) = (f.corpus, f.plain, f.compact)
    for (index, extra) in [(plain, [String]()), (compact, ["--compact"])] {
      let r = runFahras(["index", corpus, "--index", index, "--threads", "1", "--quiet"] + extra)
      #expect(r.status == 0, "\(r.stderr)")
    }
    #expect(Self.postBytes(compact) < Self.postBytes(plain))
    #expect(runFahras(["check", "--index", compact]).status == 0)
    Self.expectSameAnswers(plain, compact)
  }

  @Test(
    "merge --compact of a multi-segment index: fewer postings bytes than a plain merge, same results"
  )
  func compactMerge() throws {
    let f = try Folders("compact-merge")
    defer { f.scratch.remove() }
    let (corpus, plain, compact) = (f.corpus, f.plain, f.compact)
    let r = runFahras([
      "index", corpus, "--index", plain, "--threads", "1", "--commit-every", "1500", "--quiet",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    try CLIFiles.copyFolder(plain, to: compact)
    #expect(runFahras(["merge", "--index", plain, "--max-segments", "1"]).status == 0)
    let m = runFahras(["merge", "--index", compact, "--max-segments", "1", "--compact"])
    #expect(m.status == 0, "\(m.stderr)")
    #expect(runFahras(["check", "--index", compact]).status == 0)
    #expect(Self.postBytes(compact) < Self.postBytes(plain))
    Self.expectSameAnswers(plain, compact)
  }
}
