import FahrasIndex
import Foundation
import Testing

@testable import FahrasIngest

/// Whether `scalar` attaches to the scalar before it (a mark, a joiner, a selector, a skin tone).
private func isExtending(_ scalar: Unicode.Scalar) -> Bool {
  switch scalar.properties.generalCategory {
  case .nonspacingMark, .spacingMark, .enclosingMark: return true
  default: return scalar.value == 0x200D || (0x1F3FB...0x1F3FF).contains(scalar.value)
  }
}

/// Checks a capped title against the text it was cut from.
private func expectCleanCut(
  _ title: String, of original: String, maxBytes: Int = TitleCap.maxBytes,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(title.utf8.count <= maxBytes, sourceLocation: sourceLocation)
  #expect(
    original.utf8.starts(with: title.utf8), "not a prefix: \(title)",
    sourceLocation: sourceLocation)
  // A grapheme-cluster boundary: the title's characters are the original's first characters.
  #expect(
    Array(original).starts(with: Array(title)),
    "cut inside a cluster: \(title.unicodeScalars.last!)",
    sourceLocation: sourceLocation)
  let rest = String(decoding: original.utf8.dropFirst(title.utf8.count), as: UTF8.self)
  if let next = rest.unicodeScalars.first {
    #expect(
      !isExtending(next), "cut before U+\(String(next.value, radix: 16))",
      sourceLocation: sourceLocation)
  }
  if let last = title.last, original.utf8.count > maxBytes {
    #expect(!last.isWhitespace, sourceLocation: sourceLocation)
  }
}

/// Random text: words of Latin, Arabic with harakat, and emoji, separated by spaces and line feeds.
private func randomText(_ rng: inout SplitMix64, bytes: Int, spaces: Bool = true) -> String {
  let pieces = [
    "garden", "river", "كَتَبَ", "الْمَدِينَةُ", "وَزِيرٌ", "👨‍👩‍👧‍👦", "👍🏽", "🇸🇦", "é", "ﷺ", "x",
  ]
  var s = ""
  while s.utf8.count < bytes {
    s += pieces[Int(rng.next() % UInt64(pieces.count))]
    if spaces {
      let r = rng.next() % 10
      s += r == 0 ? "\n" : r < 6 ? " " : ""
    }
  }
  return s
}

@Suite("Huge documents: capped titles and split bodies")
struct HugeDocumentTests {
  // MARK: - Titles

  @Test("a short title is kept as it is")
  func shortTitle() {
    #expect(TitleCap.capped("وزير الدفاع") == "وزير الدفاع")
    let exact = String(repeating: "a", count: TitleCap.maxBytes)
    #expect(TitleCap.capped(exact) == exact)
  }

  @Test("a long title is cut at a word boundary")
  func wordBoundary() {
    let words = (0..<200).map { "word\($0)" }.joined(separator: " ")
    let title = TitleCap.capped(words)
    expectCleanCut(title, of: words)
    #expect(title.utf8.count > TitleCap.maxBytes - 12)
    #expect(words.utf8.dropFirst(title.utf8.count).first == UInt8(ascii: " "))
  }

  @Test("Arabic with harakat: never between a letter and its marks", arguments: 0..<8)
  func arabicHarakat(shift: Int) {
    // One long word (no space to cut at): letters with shadda and fatha, shifted so that the cap
    // falls at every position inside a cluster.
    let word = String(repeating: "x", count: shift) + String(repeating: "بَّ", count: 200)
    let title = TitleCap.capped(word)
    expectCleanCut(title, of: word)
    #expect(title.utf8.count > TitleCap.maxBytes - 6)
    // Arabic words with harakat and spaces: cut between words.
    let sentence =
      String(repeating: "x", count: shift)
      + Array(repeating: "الْمَدِينَةُ الْمُنَوَّرَةُ", count: 30).joined(separator: " ")
    let cut = TitleCap.capped(sentence)
    expectCleanCut(cut, of: sentence)
    #expect(sentence.utf8.dropFirst(cut.utf8.count).first == UInt8(ascii: " "))
  }

  @Test("emoji sequences are never cut", arguments: 0..<8)
  func emoji(shift: Int) {
    for unit in ["👨‍👩‍👧‍👦", "👍🏽", "🇸🇦", "❤️", "🏳️‍🌈"] {
      let text = String(repeating: "y", count: shift) + String(repeating: unit, count: 60)
      let title = TitleCap.capped(text)
      expectCleanCut(title, of: text)
      #expect(!title.isEmpty)
    }
  }

  @Test("random titles: always a clean cut within the cap")
  func randomTitles() {
    var rng = SplitMix64(seed: 0x717)
    for i in 0..<300 {
      let text = randomText(&rng, bytes: 200 + i * 3, spaces: i % 2 == 0)
      let title = TitleCap.capped(text)
      expectCleanCut(title, of: text)
      if text.utf8.count <= TitleCap.maxBytes { #expect(title == text) }
    }
  }

  @Test("a one-line .txt file: the title is capped, the whole line stays in the body")
  func plainTextLongFirstLine() throws {
    let line = (0..<400).map { "word\($0)" }.joined(separator: " ")
    let doc = try #require(read(line, path: "huge.txt").documents.first)
    expectCleanCut(doc.title, of: line)
    #expect(doc.body == line)
    let twoLines = try #require(
      read("  " + line + "\n\nsecond line\n", path: "a.txt").documents.first)
    #expect(twoLines.title == doc.title)
    #expect(twoLines.body == line + "\n\nsecond line")
    // A short first line is unchanged: title, then the rest.
    let normal = try #require(read("Title\n\nbody", path: "b.txt").documents.first)
    #expect(normal.title == "Title" && normal.body == "body")
  }

  @Test("a long Markdown heading: the title is capped text, the heading line stays in the body")
  func markdownLongHeading() throws {
    let heading = (0..<100).map { "عنوان\($0)" }.joined(separator: " ")
    let doc = try #require(read("## \(heading)\n===\nbody", path: "a.md").documents.first)
    expectCleanCut(doc.title, of: heading)
    #expect(doc.body == "## \(heading)\n===\nbody")
  }

  @Test("a long JSON or HTML title is capped and kept whole before the body")
  func jsonAndHTMLLongTitle() throws {
    let long = (0..<100).map { "كلمة\($0)" }.joined(separator: " ")
    let json = try #require(
      read(#"{"id": "x", "title": "\#(long)", "body": "the body"}"#, path: "a.json").documents.first
    )
    expectCleanCut(json.title, of: long)
    #expect(json.body == long + "\nthe body")
    let onlyTitle = try #require(read(#"{"title": "\#(long)"}"#, path: "b.json").documents.first)
    #expect(onlyTitle.body == long)
    let html = try #require(
      read("<title>\(long)</title><p>page text</p>", path: "a.html").documents.first)
    expectCleanCut(html.title, of: long)
    #expect(html.body == long + "\npage text")
    // Title from the first line of the text: already at the start of the body, not repeated.
    let firstLine = try #require(read("<p>\(long)</p><p>more</p>", path: "b.html").documents.first)
    expectCleanCut(firstLine.title, of: long)
    #expect(firstLine.body == long + "\nmore")
  }

  // MARK: - Splitting

  /// Checks the part ranges of `body` for `maxBytes`.
  private func checkParts(
    _ body: String, maxBytes: Int, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let bytes = Array(body.utf8)
    let ranges = bytes.withUnsafeBytes { DocumentSplitter.partRanges($0, maxBytes: maxBytes) }
    #expect(ranges.first?.lowerBound == 0, sourceLocation: sourceLocation)
    #expect(ranges.last?.upperBound == bytes.count, sourceLocation: sourceLocation)
    var joined: [UInt8] = []
    for (k, r) in ranges.enumerated() {
      #expect(r.count <= maxBytes && !r.isEmpty, "part \(k): \(r)", sourceLocation: sourceLocation)
      if k > 0 { #expect(ranges[k - 1].upperBound == r.lowerBound, sourceLocation: sourceLocation) }
      let part = Array(bytes[r])
      // Never inside a UTF-8 sequence: every part is valid UTF-8 by itself.
      #expect(
        Array(String(decoding: part, as: UTF8.self).utf8) == part, "part \(k) is not valid UTF-8",
        sourceLocation: sourceLocation)
      if k + 1 < ranges.count {
        let next = String(decoding: bytes[r.upperBound...].prefix(4), as: UTF8.self)
        if let scalar = next.unicodeScalars.first {
          #expect(
            !isExtending(scalar), "part \(k + 1) starts with a mark", sourceLocation: sourceLocation
          )
        }
        // With whitespace in the second half of the part, the cut follows whitespace.
        if bytes[(r.lowerBound + maxBytes / 2)..<r.upperBound].contains(where: Ascii.isWhitespace) {
          #expect(Ascii.isWhitespace(bytes[r.upperBound - 1]), sourceLocation: sourceLocation)
        }
      }
      joined += part
    }
    #expect(joined == bytes, "parts do not reassemble the body", sourceLocation: sourceLocation)
  }

  @Test("a body within the limit is one part")
  func smallBodyOnePart() {
    let doc = SourceDocument(id: "a", path: "a.txt", title: "t", body: "short body")
    let parts = DocumentSplitter.parts(of: doc, maxBodyBytes: 100)
    #expect(parts.count == 1 && Array(parts) == [doc])
  }

  @Test("random bodies split into parts that reassemble byte for byte")
  func randomBodies() {
    var rng = SplitMix64(seed: 0x5EED)
    for i in 0..<60 {
      let body = randomText(&rng, bytes: 2_000 + i * 97, spaces: i % 3 != 0)
      checkParts(body, maxBytes: 64 + i * 13)
    }
  }

  @Test(
    "without whitespace, cuts fall between clusters: Arabic with harakat, emoji", arguments: 0..<6)
  func noWhitespace(shift: Int) {
    checkParts(
      String(repeating: "x", count: shift) + String(repeating: "بَّ", count: 3000), maxBytes: 1000)
    checkParts(
      String(repeating: "x", count: shift) + String(repeating: "👍🏽", count: 800), maxBytes: 100)
  }

  @Test("the parts of a document: ids, path, title, fields, bodies")
  func partsOfADocument() {
    var rng = SplitMix64(seed: 42)
    let body = randomText(&rng, bytes: 50_000)
    let doc = SourceDocument(
      id: "doc", path: "dir/a.jsonl", title: "Title", body: body, fields: [("source", "wire")])
    let parts = Array(DocumentSplitter.parts(of: doc, maxBodyBytes: 8_000))
    #expect(parts.count >= 7)
    #expect(parts.map(\.id) == ["doc"] + (2...parts.count).map { "doc#\($0)" })
    #expect(parts.allSatisfy { $0.path == doc.path && $0.title == doc.title })
    #expect(parts.allSatisfy { $0.field("source") == "wire" && $0.body.utf8.count <= 8_000 })
    #expect(parts.map(\.body).joined() == body)
  }

  // MARK: - Through the folder indexer

  @Test("a huge one-line .txt file is indexed in parts, with one warning")
  func folderIndexerSplitsTxt() throws {
    let corpus = try TemporaryFolder()
    let index = try TemporaryFolder()
    var rng = SplitMix64(seed: 7)
    let line = randomText(&rng, bytes: 100_000).replacingOccurrences(of: "\n", with: " ")
      .trimmingCharacters(in: .whitespaces)
    try corpus.file("huge.txt", line)
    try corpus.file("small.txt", "small title\nneighbour")
    var options = FolderIndexer.Options(threads: 2)
    options.maxBodyBytes = 10_000
    var warnings: [SkippedInput] = []
    let summary = try FolderIndexer(corpus: corpus.path, index: index.path, options: options).run(
      warning: { warnings.append($0) })
    #expect(summary.splitDocuments == 1)
    #expect(warnings.count == 1 && summary.warnings == warnings)
    let parts = try liveDocuments(index.path).filter { $0.path == "huge.txt" }.sorted {
      Int($0.id.split(separator: "#").last ?? "1") ?? 1 < Int(
        $1.id.split(separator: "#").last ?? "1") ?? 1
    }
    #expect(parts.count >= 10 && parts.count <= 20)
    #expect(warnings.first?.path == "huge.txt")
    #expect(warnings.first?.reason.contains("split into \(parts.count) documents") == true)
    #expect(parts.map(\.id) == ["huge.txt"] + (2...parts.count).map { "huge.txt#\($0)" })
    #expect(parts.allSatisfy { $0.title == TitleCap.capped(line) && $0.body.utf8.count <= 10_000 })
    #expect(parts.map(\.body).joined() == line, "the parts hold the whole line, title included")
    #expect(summary.documents == parts.count + 1 && summary.added == parts.count + 1)
    // The ingest state counts the parts.
    let reader = try IndexReader.open(index.path)
    let state = try IngestState.load(indexDirectory: index.path, name: reader.manifest.userData)
    #expect(state.files["huge.txt"]?.documents == parts.count)
  }

  @Test("re-indexing a changed or deleted split file removes all of its parts")
  func reindexRemovesAllParts() throws {
    let corpus = try TemporaryFolder()
    let index = try TemporaryFolder()
    var options = FolderIndexer.Options(threads: 1)
    options.maxBodyBytes = 1_000
    func body(_ n: Int, _ word: String) -> String {
      (0..<n).map { "\(word)\($0)" }.joined(separator: " ")
    }
    let big = #"{"id": "big", "title": "Big", "body": "\#(body(2_000, "alpha"))"}"#
    try corpus.file("docs.jsonl", big + "\n" + #"{"id": "other", "body": "neighbour"}"# + "\n")
    try corpus.file("keep.txt", "Keep\nme")
    _ = try FolderIndexer(corpus: corpus.path, index: index.path, options: options).run()
    let first = try liveDocuments(index.path).map(\.id)
    let bigParts = first.filter { $0 == "big" || $0.hasPrefix("big#") }
    #expect(bigParts.count > 10)

    // Fewer parts now: none of the old ones may remain.
    let smaller = #"{"id": "big", "title": "Big", "body": "\#(body(300, "beta"))"}"#
    try corpus.file("docs.jsonl", smaller + "\n")
    let second = try FolderIndexer(corpus: corpus.path, index: index.path, options: options).run()
    let docs = try liveDocuments(index.path)
    let now = docs.filter { $0.path == "docs.jsonl" }
    #expect(now.count >= 2 && now.count < bigParts.count)
    #expect(now.allSatisfy { !$0.body.contains("alpha") })
    #expect(Set(docs.map(\.id)).count == docs.count)
    #expect(second.documents == now.count + 1)
    #expect(second.deleted == bigParts.count + 1 - now.count)

    try FileManager.default.removeItem(atPath: corpus.path + "/docs.jsonl")
    _ = try FolderIndexer(corpus: corpus.path, index: index.path, options: options).run()
    #expect(try liveDocuments(index.path).map(\.id) == ["keep.txt"])
  }

  @Test("a split document's parts count for --commit-every, and a stop inside them resumes exactly")
  func splitWithCommits() throws {
    let corpus = try TemporaryFolder()
    let index = try TemporaryFolder()
    let words = (0..<3_000).map { "w\($0)" }.joined(separator: " ")
    try corpus.file("big.txt", "Title\n" + words)
    var options = FolderIndexer.Options(threads: 1, commitEvery: 3)
    options.maxBodyBytes = 2_000
    let stopped = try runRecordingCommits(
      FolderIndexer(corpus: corpus.path, index: index.path, options: options), stopAfter: 2)
    #expect(stopped.snapshots.map { $0.ids.count } == [3, 6])
    #expect(stopped.snapshots.allSatisfy { $0.state.files["big.txt"] == nil })
    let done = try FolderIndexer(corpus: corpus.path, index: index.path, options: options).run()
    let docs = try liveDocuments(index.path)
    #expect(docs.count == done.documents && Set(docs.map(\.id)).count == docs.count)
    let ordered = docs.sorted {
      Int($0.id.split(separator: "#").last ?? "1") ?? 1 < Int(
        $1.id.split(separator: "#").last ?? "1") ?? 1
    }
    #expect(ordered.map(\.body).joined() == words)
  }
}

@Suite("Large plain text files read in parts")
struct LargeTextReaderTests {
  /// Reads `bytes` as `path` both ways and expects the same result.
  private func expectSameAsRead(
    _ bytes: [UInt8], path: String, chunk: Int, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let expected = read(bytes, path: path)
    var released: [Range<Int>] = []
    let got = bytes.withUnsafeBytes {
      LargeTextReader(
        bytes: $0, relativePath: path, markdown: path.hasSuffix(".md"), chunk: chunk,
        release: { released.append($0) }
      ).read()
    }
    switch got {
    case .skipped(let s):
      #expect(expected.skipped == [s] && expected.documents.isEmpty, sourceLocation: sourceLocation)
    case .document(let title, let body):
      #expect(expected.skipped.isEmpty, sourceLocation: sourceLocation)
      #expect(expected.documents.first?.title == title, sourceLocation: sourceLocation)
      #expect(
        expected.documents.first?.body == String(decoding: bytes[body], as: UTF8.self),
        sourceLocation: sourceLocation)
    }
    #expect(
      released.allSatisfy { $0.lowerBound >= 0 && $0.upperBound <= bytes.count },
      sourceLocation: sourceLocation)
  }

  @Test("the same title, body and messages as DocumentReader.read")
  func sameAsRead() {
    let long = (0..<80).map { "كلمة\($0)" }.joined(separator: " ")
    let samples: [[UInt8]] = [
      Array("Title\n\nbody text\n".utf8),
      Array("\n\n   \n  Title after blanks  \n\n\n  indented body\n\n  ".utf8),
      [0xEF, 0xBB, 0xBF] + Array("BOM title\nbody".utf8),
      Array((long + "\nsecond line").utf8),
      Array(("   " + long).utf8),
      Array("# Heading #\n===\nbody".utf8),
      Array("#\n\n## \(long)\n---\nbody".utf8),
      Array("Setext\n======\nbody".utf8),
      Array("only a title".utf8),
      Array(" \n\t\n  ".utf8),
      [0xEF, 0xBB, 0xBF, 0x20, 0x0A],
      Array("#\n##\n".utf8),
      Array("Title\nbody with a NUL".utf8) + [0] + Array(" here".utf8),
      Array("Title\nbad UTF-8 ".utf8) + [0xC3, 0x28] + Array(" later".utf8),
      Array("Title\ntruncated at the end ".utf8) + [0xE2, 0x82],
      Array("Title\nstray ".utf8) + [0x80, 0x80, 0x80, 0x80] + Array(" bytes".utf8),
      [0xEF, 0xBB, 0xBF] + Array("x\n".utf8) + [0xFF],
      [],
    ]
    for (i, bytes) in samples.enumerated() {
      for chunk in [16, 17, 19, 23, 64, 1 << 20] {
        for path in ["s\(i).txt", "s\(i).md"] {
          expectSameAsRead(bytes, path: path, chunk: chunk)
        }
      }
    }
  }

  @Test("random files: the same result as DocumentReader.read")
  func randomFiles() {
    var rng = SplitMix64(seed: 0xB16)
    let pieces: [[UInt8]] = [
      Array("word ".utf8), Array("\n".utf8), Array("  ".utf8), Array("# ".utf8),
      Array("===\n".utf8),
      Array("بَّ".utf8), Array("👨‍👩‍👧‍👦".utf8), Array("\r\n".utf8), Array("\t".utf8),
    ]
    for i in 0..<400 {
      var bytes: [UInt8] = i % 7 == 0 ? [0xEF, 0xBB, 0xBF] : []
      let n = Int(rng.next() % 200)
      for _ in 0..<n { bytes += pieces[Int(rng.next() % UInt64(pieces.count))] }
      if i % 11 == 0, !bytes.isEmpty { bytes[Int(rng.next() % UInt64(bytes.count))] = 0 }
      if i % 13 == 0, !bytes.isEmpty { bytes[Int(rng.next() % UInt64(bytes.count))] = 0xBF }
      let chunk = 16 + Int(rng.next() % 40)
      expectSameAsRead(bytes, path: i % 2 == 0 ? "r.txt" : "r.md", chunk: chunk)
    }
  }

  @Test("a large .txt or .md file indexes to the same documents as a small one would")
  func folderIndexerLargeTextMatchesSplit() throws {
    var rng = SplitMix64(seed: 99)
    let corpus = try TemporaryFolder()
    let index = try TemporaryFolder()
    let texts = [
      "a.txt": "\n\n  Title line\n\n" + randomText(&rng, bytes: 30_000) + "\n\n",
      "b.md": "## "
        + randomText(&rng, bytes: 600, spaces: true).replacingOccurrences(of: "\n", with: " ")
        + "\n" + randomText(&rng, bytes: 30_000),
      "c.txt": randomText(&rng, bytes: 30_000, spaces: false),
    ]
    for (name, text) in texts { try corpus.file(name, text) }
    var options = FolderIndexer.Options(threads: 1)
    options.maxBodyBytes = 3_000
    options.batchBytes = 5_000
    _ = try FolderIndexer(corpus: corpus.path, index: index.path, options: options).run()
    let docs = try liveDocuments(index.path)
    for (name, text) in texts {
      let whole = try #require(read(text, path: name).documents.first)
      let expected = Array(DocumentSplitter.parts(of: whole, maxBodyBytes: 3_000))
      let got = docs.filter { $0.path == name }
      #expect(got.count == expected.count, "\(name)")
      for e in expected {
        let g = got.first { $0.id == e.id }
        #expect(g?.title == e.title && g?.body == e.body, "\(name) \(e.id)")
      }
    }
  }
}
