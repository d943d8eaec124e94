// End-to-end tests of `fahras index` on a fixture tree of every supported format plus the inputs it must
// skip (hidden folders, a symbolic link loop, binary, invalid UTF-8 and empty files, a broken JSON line),
// and of incremental re-indexing.

import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A corpus tree in a scratch folder:
///
/// ```
/// plain.txt               1 document  (zebrafish)
/// docs.jsonl              3 documents (j1 with source "wire", docs.jsonl#L2, j3) + 1 broken line
/// arr.json                2 documents (arr.json#0, a2)
/// bad.txt                 skipped: NUL byte
/// bad2.txt                skipped: invalid UTF-8
/// empty.txt               skipped: empty
/// sub/notes.md            1 document  ("# Markdown Heading", giraffes)
/// sub/deeper/page.html    1 document  (<title>, <script>, entities, pelicans)
/// sub/loop -> ..          skipped: symbolic link loop
/// .hidden/h.txt           not walked
/// ```
private struct FixtureTree {
  static let documents = 8
  static let files = 8  // supported files the walker lists (the hidden one excluded)

  let scratch: CLIScratch
  let corpus: String
  var index: String { corpus + "/.fahras" }

  init(_ label: String) throws {
    scratch = CLIScratch.make(label)
    corpus = scratch.file("corpus")
    try CLIFiles.write("Plain title\nThe quick zebrafish swims.\n", to: file("plain.txt"))
    try CLIFiles.write(
      "# Markdown Heading\n\nSome *markdown* body about giraffes.\n", to: file("sub/notes.md"))
    try CLIFiles.write(
      "<html><head><title>Page &amp; Title</title><script>var secretscript = \"<b>\";</script></head>"
        + "<body><h1>Heading</h1><p>Caf&eacute; and &lt;tags&gt; about pelicans &#x41;BC</p></body></html>\n",
      to: file("sub/deeper/page.html"))
    try CLIFiles.write(
      """
      {"id": "j1", "title": "First line", "body": "kangaroo text", "source": "wire"}
      {"title": "Second line", "body": "koala text"}
      {broken json
      {"id": "j3", "title": "Third", "text": "wombat text"}

      """, to: file("docs.jsonl"))
    try CLIFiles.write(
      #"[{"title": "Arr one", "body": "platypus"}, {"id": "a2", "title": "Arr two", "content": "echidna"}]"#,
      to: file("arr.json"))
    try CLIFiles.write("Hidden\nsecret hidden ocelot\n", to: file(".hidden/h.txt"))
    try FileManager.default.createSymbolicLink(atPath: file("sub/loop"), withDestinationPath: "..")
    try CLIFiles.write(
      Array("Binary\nquokka".utf8) + [0, 1, 2] + Array("quokka\n".utf8), to: file("bad.txt"))
    try CLIFiles.write(
      Array("Broken\nwallaby ".utf8) + [0xFF, 0xFE] + Array(" wallaby\n".utf8), to: file("bad2.txt")
    )
    try CLIFiles.write([UInt8](), to: file("empty.txt"))
  }

  func file(_ relative: String) -> String { corpus + "/" + relative }

  func remove() { scratch.remove() }

  /// `fahras index CORPUS --json --quiet`, parsed.
  func index(sourceLocation: SourceLocation = #_sourceLocation) -> (
    run: CLIRun, summary: [String: Any]
  ) {
    let run = runFahras(["index", corpus, "--json", "--quiet"])
    #expect(run.status == 0, "\(run)", sourceLocation: sourceLocation)
    #expect(
      run.stderr.isEmpty, "--quiet prints nothing on stderr: \(run.stderr)",
      sourceLocation: sourceLocation)
    let summary = CLIJSON.object(run.stdout)
    #expect(summary != nil, "not a JSON object: \(run)", sourceLocation: sourceLocation)
    return (run, summary ?? [:])
  }

  /// The ids of every hit of `query` (k large enough for the whole corpus).
  func ids(_ query: String, sourceLocation: SourceLocation = #_sourceLocation) -> Set<String> {
    hits(query, sourceLocation: sourceLocation).reduce(into: Set<String>()) { set, hit in
      if let id = hit["id"] as? String { set.insert(id) }
    }
  }

  func hits(_ query: String, sourceLocation: SourceLocation = #_sourceLocation) -> [[String: Any]] {
    let run = runFahras(["search", "--index", index, "--format", "json", "--k", "100", query])
    #expect(run.status == 0, "\(run)", sourceLocation: sourceLocation)
    guard let object = CLIJSON.object(run.stdout), let hits = object["hits"] as? [[String: Any]]
    else {
      Issue.record("not a search result: \(run)", sourceLocation: sourceLocation)
      return []
    }
    #expect(
      CLIJSON.int(object["total"]) == hits.count, "total counts the hits",
      sourceLocation: sourceLocation)
    return hits
  }

  /// `fahras stats --json`'s document count.
  func liveDocuments(sourceLocation: SourceLocation = #_sourceLocation) -> Int? {
    let run = runFahras(["stats", "--index", index, "--json"])
    #expect(run.status == 0, "\(run)", sourceLocation: sourceLocation)
    return CLIJSON.int(CLIJSON.object(run.stdout)?["documents"])
  }
}

private func counts(_ summary: [String: Any]) -> [String: Int?] {
  var out: [String: Int?] = [:]
  for key in ["added", "updated", "deleted", "documents"] { out[key] = CLIJSON.int(summary[key]) }
  return out
}

private func warnings(_ summary: [String: Any]) -> [String] {
  summary["warnings"] as? [String] ?? []
}

@Suite("CLIEndToEnd: fahras index on a fixture tree")
struct CLIEndToEndIndexingTests {
  @Test("first run: every format read, bad inputs skipped with warnings naming them")
  func firstRun() throws {
    let tree = try FixtureTree("index-first")
    defer { tree.remove() }
    let (_, summary) = tree.index()
    #expect(CLIJSON.int(summary["added"]) == FixtureTree.documents, "\(summary)")
    #expect(CLIJSON.int(summary["updated"]) == 0)
    #expect(CLIJSON.int(summary["deleted"]) == 0)
    #expect(CLIJSON.int(summary["skipped_files"]) == 3, "bad.txt, bad2.txt, empty.txt: \(summary)")
    #expect(CLIJSON.int(summary["skipped_documents"]) == 1, "the broken JSON line: \(summary)")
    #expect(CLIJSON.int(summary["documents"]) == FixtureTree.documents)
    #expect(CLIJSON.int(summary["segments"]) == 1)
    #expect(summary["index"] as? String == tree.index)

    let w = warnings(summary)
    func warned(_ prefix: String, _ reason: String) -> Bool {
      w.contains { $0.hasPrefix(prefix) && $0.localizedCaseInsensitiveContains(reason) }
    }
    #expect(warned("bad.txt: ", "NUL"), "\(w)")
    #expect(warned("bad2.txt: ", "invalid UTF-8"), "\(w)")
    #expect(warned("empty.txt: ", "empty"), "\(w)")
    #expect(warned("docs.jsonl:3: ", "invalid JSON"), "\(w)")
    #expect(warned("sub/loop: ", "loop"), "\(w)")
    #expect(w.count == 5, "\(w)")
    #expect(!w.contains { $0.contains(".hidden") }, "hidden folders are not walked at all")

    #expect(tree.ids("zebrafish") == ["plain.txt"])
    #expect(tree.ids("kangaroo OR koala OR wombat") == ["j1", "docs.jsonl#L2", "j3"])
    #expect(tree.ids("platypus OR echidna") == ["arr.json#0", "a2"])
    #expect(tree.ids("ocelot").isEmpty, "the hidden folder is skipped")
    #expect(tree.ids("secretscript").isEmpty, "<script> content is not indexed")
    #expect(
      tree.ids("quokka OR wallaby OR binary").isEmpty, "nothing of the skipped files is indexed")

    let source = tree.hits("source:wire")
    #expect(source.count == 1)
    #expect(source.first?["id"] as? String == "j1")
    #expect(source.first?["path"] as? String == "docs.jsonl")
    #expect(source.first?["title"] as? String == "First line")
    #expect(tree.ids("source:other").isEmpty)

    let notes = tree.hits("giraffes")
    #expect(
      notes.first?["title"] as? String == "Markdown Heading",
      "the # marker is dropped from the title")
    #expect(notes.first?["path"] as? String == "sub/notes.md")
    #expect(
      tree.ids("title:heading") == ["sub/notes.md"],
      "the page's <h1> is body text, its title is <title>")

    let page = try #require(tree.hits("pelicans").first)
    #expect(page["id"] as? String == "sub/deeper/page.html")
    #expect(page["title"] as? String == "Page & Title", "<title> with its entity decoded")
    let snippet = page["snippet"] as? String ?? ""
    #expect(
      snippet.contains("Café") && snippet.contains("<tags>") && snippet.contains("ABC"),
      "entities decoded: \(snippet)")
    #expect(!snippet.contains("secretscript"))
    #expect(tree.ids("café") == ["sub/deeper/page.html"])

    let repl = runFahras(["repl", "--index", tree.index], stdin: ":fields\nsource:wire\n:show 1\n")
    #expect(repl.status == 0, "\(repl)")
    #expect(
      repl.lines.first == "fields: title, body, source", "JSON members become fields: \(repl)")
    #expect(
      repl.lines.contains("id: j1   path: docs.jsonl") && repl.lines.contains("source: wire"),
      "\(repl)")

    #expect(tree.liveDocuments() == FixtureTree.documents)
    let check = runFahras(["check", "--index", tree.index])
    #expect(check.status == 0, "\(check)")
  }

  @Test("without --json/--quiet: warnings and the summary go to stderr, stdout stays empty")
  func plainOutput() throws {
    let tree = try FixtureTree("index-plain")
    defer { tree.remove() }
    let run = runFahras(["index", tree.corpus])
    #expect(run.status == 0, "\(run)")
    #expect(run.stdout.isEmpty, "\(run)")
    #expect(
      !CLIText.hasEscape(run.stderr), "no progress line or colors when stderr is not a terminal")
    for name in ["bad.txt", "bad2.txt", "empty.txt", "docs.jsonl:3", "sub/loop"] {
      #expect(run.stderr.contains("warning: skipped \(name)"), "no warning for \(name)\n\(run)")
    }
    #expect(run.stderr.contains("\(FixtureTree.documents) added, 0 updated, 0 deleted"), "\(run)")
  }

  @Test("a second run with nothing changed adds, updates and deletes nothing")
  func unchangedRerun() throws {
    let tree = try FixtureTree("index-rerun")
    defer { tree.remove() }
    _ = tree.index()
    let (_, again) = tree.index()
    #expect(
      counts(again) == [
        "added": 0, "updated": 0, "deleted": 0, "documents": FixtureTree.documents,
      ], "\(again)")
    #expect(CLIJSON.int(again["unchanged_files"]) == FixtureTree.files, "\(again)")
    #expect(CLIJSON.int(again["indexed_files"]) == 0, "\(again)")

    // A new modification time with the same content is recognized by its checksum.
    let old = Date(timeIntervalSince1970: 1_000_000_000)
    try FileManager.default.setAttributes(
      [.modificationDate: old], ofItemAtPath: tree.file("plain.txt"))
    let (_, touched) = tree.index()
    #expect(
      counts(touched) == [
        "added": 0, "updated": 0, "deleted": 0, "documents": FixtureTree.documents,
      ], "\(touched)")
    #expect(tree.liveDocuments() == FixtureTree.documents)
    #expect(tree.ids("zebrafish") == ["plain.txt"])
  }

  @Test("edit one file, add one, delete one: exactly those changes, and searches follow")
  func incrementalChanges() throws {
    let tree = try FixtureTree("index-incremental")
    defer { tree.remove() }
    _ = tree.index()
    try CLIFiles.write("Plain title\nThe slow narwhal swims.\n", to: tree.file("plain.txt"))
    try CLIFiles.write("Brand new\nA fresh manatee appears.\n", to: tree.file("sub/new.txt"))
    try FileManager.default.removeItem(atPath: tree.file("arr.json"))

    let (_, summary) = tree.index()
    #expect(
      counts(summary) == ["added": 1, "updated": 1, "deleted": 2, "documents": 7], "\(summary)")
    #expect(CLIJSON.int(summary["indexed_files"]) == 2, "only the edited and the new file are read")
    #expect(tree.ids("zebrafish").isEmpty, "the old text is gone")
    #expect(tree.ids("narwhal") == ["plain.txt"], "the new text is found")
    #expect(tree.ids("manatee") == ["sub/new.txt"])
    #expect(tree.ids("platypus OR echidna").isEmpty, "the deleted file's documents are gone")
    #expect(
      tree.ids("kangaroo OR giraffes OR pelicans") == [
        "j1", "sub/notes.md", "sub/deeper/page.html",
      ])
    #expect(tree.liveDocuments() == 7)
    let stats = CLIJSON.object(runFahras(["stats", "--index", tree.index, "--json"]).stdout)
    #expect(CLIJSON.int(stats?["deleted"]) == 3, "the old plain.txt and arr.json's two documents")

    // Rename a file and delete a whole folder.
    try FileManager.default.createDirectory(
      atPath: tree.file("moved"), withIntermediateDirectories: true)
    try FileManager.default.moveItem(
      atPath: tree.file("sub/notes.md"), toPath: tree.file("moved/notes.md"))
    try FileManager.default.removeItem(atPath: tree.file("sub/deeper"))
    let (_, second) = tree.index()
    #expect(
      counts(second) == ["added": 1, "updated": 0, "deleted": 2, "documents": 6], "\(second)")
    #expect(tree.hits("giraffes").map { $0["path"] as? String } == ["moved/notes.md"])
    #expect(tree.ids("pelicans").isEmpty)
    #expect(tree.liveDocuments() == 6)
    #expect(runFahras(["check", "--index", tree.index]).status == 0)

    let merged = runFahras(["merge", "--index", tree.index])
    #expect(merged.status == 0, "\(merged)")
    let after = CLIJSON.object(runFahras(["stats", "--index", tree.index, "--json"]).stdout)
    #expect(
      CLIJSON.int(after?["documents"]) == 6 && CLIJSON.int(after?["deleted"]) == 0,
      "\(after ?? [:])")
    let (_, third) = tree.index()
    #expect(
      counts(third) == ["added": 0, "updated": 0, "deleted": 0, "documents": 6],
      "the merge kept the ingest state: \(third)")
  }

  /// BUG: the summary does not account for documents that disappear from a changed file (a JSON Lines
  /// file losing a line, a file that becomes unreadable), and counts a document from a file that had
  /// none before (a repaired file) as updated instead of added, so `added - deleted` does not match the
  /// change in the live document count.
  @Test(
    "summary counts reconcile with the live document count when changed files gain or lose documents"
  )
  func summaryCountsReconcile() throws {
    let tree = try FixtureTree("index-reconcile")
    defer { tree.remove() }
    _ = tree.index()
    // docs.jsonl: 3 documents -> 2 (j3 and the broken line removed).
    try CLIFiles.write(
      """
      {"id": "j1", "title": "First line", "body": "kangaroo text changed", "source": "wire"}
      {"title": "Second line", "body": "koala text"}

      """, to: tree.file("docs.jsonl"))
    // bad.txt: skipped before, now a document.
    try CLIFiles.write("Fixed now\nA repaired tapir.\n", to: tree.file("bad.txt"))
    // page.html: a document before, now binary (skipped).
    try CLIFiles.write(
      Array("<p>pelicans".utf8) + [0] + Array("</p>".utf8), to: tree.file("sub/deeper/page.html"))

    let (_, summary) = tree.index()
    let live = tree.liveDocuments()
    #expect(live == 7, "8 - j3 + bad.txt - page.html")
    #expect(tree.ids("wombat OR pelicans").isEmpty)
    #expect(tree.ids("tapir") == ["bad.txt"])
    #expect(CLIJSON.int(summary["documents"]) == live)
    let added = CLIJSON.int(summary["added"]) ?? -1
    let deleted = CLIJSON.int(summary["deleted"]) ?? -1
    #expect(
      FixtureTree.documents + added - deleted == live ?? -1,
      "before \(FixtureTree.documents) + added \(added) - deleted \(deleted) != live \(live ?? -1)")
    #expect(
      counts(summary) == ["added": 1, "updated": 2, "deleted": 2, "documents": 7], "\(summary)")
  }

  /// BUG: `--commit-every N` ("also commit after every N documents") is checked only when a batch is
  /// flushed, and batches flush at 32 MiB of text or at the end, so a small corpus gets no intermediate
  /// commit at all (just a redundant one right before the final commit).
  @Test("--commit-every 2 commits after every two documents")
  func commitEvery() throws {
    let scratch = CLIScratch.make("commit-every")
    defer { scratch.remove() }
    let corpus = scratch.file("corpus")
    for i in 1...6 { try CLIFiles.write("Doc \(i)\nbody number \(i)\n", to: corpus + "/\(i).txt") }
    let run = runFahras([
      "index", corpus, "--json", "--quiet", "--commit-every", "2", "--threads", "1",
    ])
    #expect(run.status == 0, "\(run)")
    #expect(CLIJSON.int(CLIJSON.object(run.stdout)?["added"]) == 6, "\(run)")
    let stats =
      CLIJSON.object(runFahras(["stats", "--index", corpus + "/.fahras", "--json"]).stdout) ?? [:]
    #expect(CLIJSON.int(stats["documents"]) == 6)
    let generation = CLIJSON.int(stats["generation"]) ?? 0
    #expect(generation >= 3, "six documents with --commit-every 2 made only \(generation) commits")
    #expect(runFahras(["index", corpus, "--commit-every", "0"]).status == 2)
  }

  /// A JSON Lines file that starts with a UTF-8 byte order mark, its first record on line 1 and its last
  /// after `blankBytes` bytes of blank lines (which the reader skips cheaply).
  private func bomJSONLines(blankBytes: Int) -> [UInt8] {
    var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
    bytes += Array(#"{"title": "First", "body": "aardvark"}"#.utf8) + [10]
    let blank = [UInt8](repeating: 32, count: 4095) + [10]
    bytes.reserveCapacity(blankBytes + 200)
    for _ in 0..<(blankBytes / blank.count) { bytes += blank }
    bytes += Array(#"{"title": "Last", "body": "zebu"}"#.utf8) + [10]
    return bytes
  }

  @Test("a UTF-8 byte order mark before the first JSON Lines record is dropped")
  func bomSmallJSONLines() throws {
    let scratch = CLIScratch.make("bom-small")
    defer { scratch.remove() }
    let corpus = scratch.file("corpus")
    try CLIFiles.write(bomJSONLines(blankBytes: 1 << 16), to: corpus + "/bom.jsonl")
    let run = runFahras(["index", corpus, "--json", "--quiet"])
    #expect(run.status == 0, "\(run)")
    let summary = CLIJSON.object(run.stdout) ?? [:]
    #expect(CLIJSON.int(summary["added"]) == 2 && warnings(summary).isEmpty, "\(summary)")
    let found = runFahras([
      "search", "--index", corpus + "/.fahras", "--format", "json", "aardvark OR zebu",
    ])
    let ids = Set(
      (CLIJSON.object(found.stdout)?["hits"] as? [[String: Any]] ?? []).compactMap {
        $0["id"] as? String
      })
    #expect(ids == ["bom.jsonl#L1", "bom.jsonl#L18"], "\(found)")
  }

  /// BUG: JSON Lines files larger than the 32 MiB batch are read in line-aligned pieces
  /// (`FolderIndexer.run`), and that path does not drop a leading byte order mark the way
  /// `DocumentReader.read` does, so line 1 is rejected as invalid JSON.
  @Test("a byte order mark is dropped from a JSON Lines file larger than the 32 MiB batch too")
  func bomLargeJSONLines() throws {
    let scratch = CLIScratch.make("bom-large")
    defer { scratch.remove() }
    let corpus = scratch.file("corpus")
    let blankBytes = 33 << 20
    try CLIFiles.write(bomJSONLines(blankBytes: blankBytes), to: corpus + "/big.jsonl")
    let run = runFahras(["index", corpus, "--json", "--quiet", "--threads", "1"])
    #expect(run.status == 0, "\(run)")
    let summary = CLIJSON.object(run.stdout) ?? [:]
    #expect(warnings(summary).isEmpty, "\(warnings(summary))")
    #expect(CLIJSON.int(summary["added"]) == 2, "\(summary)")
    let lastLine = blankBytes / 4096 + 2
    let found = runFahras([
      "search", "--index", corpus + "/.fahras", "--format", "json", "aardvark OR zebu",
    ])
    let ids = Set(
      (CLIJSON.object(found.stdout)?["hits"] as? [[String: Any]] ?? []).compactMap {
        $0["id"] as? String
      })
    #expect(
      ids == ["big.jsonl#L1", "big.jsonl#L\(lastLine)"],
      "line numbers run on across pieces: \(found)")
  }

  /// `indexed_files` counts every file read, including those then skipped whole (binary, invalid UTF-8,
  /// empty), so on the first run `indexed_files + skipped_files` exceeds the files in the corpus. Whether
  /// "indexed" should mean "read" is a naming question, so this stays disabled; see the report.
  @Test(
    "indexed_files does not count files that were skipped whole",
    .disabled("naming question: indexed_files currently means 'files read'"))
  func indexedFilesExcludeSkipped() throws {
    let tree = try FixtureTree("index-counted")
    defer { tree.remove() }
    let (_, summary) = tree.index()
    let indexed = CLIJSON.int(summary["indexed_files"]) ?? -1
    let skipped = CLIJSON.int(summary["skipped_files"]) ?? -1
    #expect(indexed + skipped == FixtureTree.files, "\(summary)")
  }
}
