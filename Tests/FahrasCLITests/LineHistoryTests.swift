import FahrasCLI
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A fresh folder under /tmp, removed (with its files) by `remove()`.
private struct TemporaryFolder {
  let path: String

  init() {
    var template = Array("/tmp/fahras-history-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in
      mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
    }
    path = made!
  }

  func file(_ name: String) -> String { path + "/" + name }

  func remove() {
    if let dir = opendir(path) {
      while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
          String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
        }
        if name != "." && name != ".." { unlink(file(name)) }
      }
      closedir(dir)
    }
    rmdir(path)
  }
}

private func contents(_ path: String) -> String? {
  guard let file = fopen(path, "rb") else { return nil }
  defer { fclose(file) }
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 4096)
  while true {
    let n = fread(&chunk, 1, chunk.count, file)
    if n == 0 { break }
    bytes += chunk[0..<n]
  }
  return String(decoding: bytes, as: UTF8.self)
}

private func writeText(_ text: String, to path: String) {
  let file = fopen(path, "wb")!
  _ = Array(text.utf8).withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
  fclose(file)
}

@Suite("LineHistory")
struct LineHistoryTests {
  @Test("consecutive duplicates and blank lines are not stored")
  func dedup() {
    var history = LineHistory()
    func add(_ line: String) -> Bool { history.add(line) }
    #expect(add("one"))
    #expect(!add("one"))
    #expect(add("two"))
    #expect(add("one"))
    #expect(!add(""))
    #expect(!add("  \t"))
    #expect(add(" one"))
    #expect(history.entries == ["one", "two", "one", " one"])
    #expect(LineHistory(entries: ["a", "a", "b", "b", "a"]).entries == ["a", "b", "a"])
  }

  @Test("at most 1000 entries by default; the oldest go first")
  func capacity() {
    var history = LineHistory()
    #expect(history.capacity == 1000)
    for i in 0..<1500 { history.add("entry \(i)") }
    #expect(history.entries.count == 1000)
    #expect(history.entries.first == "entry 500")
    #expect(history.entries.last == "entry 1499")

    var small = LineHistory(capacity: 3)
    for word in ["a", "b", "c", "d"] { small.add(word) }
    #expect(small.entries == ["b", "c", "d"])
  }

  @Test("Up keeps the draft; edits to recalled entries are scratch copies")
  func navigation() {
    var history = LineHistory(entries: ["one", "two"])
    func up(_ current: String) -> String? { history.previous(current: current) }
    func down(_ current: String) -> String? { history.next(current: current) }
    #expect(down("draft") == nil)
    #expect(up("draft") == "two")
    #expect(up("two") == "one")
    #expect(up("one") == nil)
    #expect(history.position == 0)
    #expect(down("one!") == "two")
    #expect(up("two") == "one!")
    #expect(down("one!") == "two")
    #expect(down("two") == "draft")
    #expect(down("draft") == nil)
    #expect(history.entries == ["one", "two"])
    history.resetNavigation()
    #expect(up("") == "two")
    #expect(up("two") == "one")
  }

  @Test("escaping puts any entry on one line and round-trips", arguments: [7, 8, 9])
  func escapingRoundTrip(seed: UInt64) {
    #expect(LineHistory.escape("a\nb") == #"a\nb"#)
    #expect(LineHistory.escape("a\\nb") == #"a\\nb"#)
    #expect(LineHistory.escape("x\r\n") == #"x\r\n"#)
    #expect(LineHistory.unescape(#"tab\t and trailing\"#) == #"tab\t and trailing\"#)
    let alphabet: [String] = ["a", "\\", "n", "r", "\n", "\r", "س", "َ", " ", "日"]
    var rng = SplitMix64(seed: seed)
    for _ in 0..<500 {
      let entry = (0..<Int.random(in: 0...12, using: &rng)).map { _ in
        alphabet.randomElement(using: &rng)!
      }.joined()
      let escaped = LineHistory.escape(entry)
      #expect(!escaped.unicodeScalars.contains { $0 == "\n" || $0 == "\r" })
      #expect(LineHistory.unescape(escaped[...]) == entry)
    }
  }

  @Test("save and load round-trip through a file, newlines escaped")
  func saveLoadRoundTrip() throws {
    let folder = TemporaryFolder()
    defer { folder.remove() }
    let path = folder.file("history")
    let entries = ["بحث عن الكِتابِ", "multi\nline", #"back\slash"#, "\\n literal", "crlf\r\n"]
    let history = LineHistory(entries: entries)
    try history.save(to: path)
    #expect(contents(path) == LineHistory.serialize(entries))
    #expect(contents(path)?.split(separator: "\n").count == entries.count)
    #expect(contents(path)?.contains(#"multi\nline"#) == true)

    var loaded = LineHistory()
    let lineCount = loaded.load(from: path)
    #expect(lineCount == entries.count)
    #expect(loaded.entries == entries)

    var info = stat()
    #expect(stat(path, &info) == 0)
    #expect(info.st_mode & 0o777 == 0o600)
  }

  @Test("append adds one escaped line per entry and creates the file")
  func append() throws {
    let folder = TemporaryFolder()
    defer { folder.remove() }
    let path = folder.file("appended")
    try LineHistory.append("first", to: path)
    try LineHistory.append("second\nline", to: path)
    #expect(contents(path) == "first\n" + #"second\nline"# + "\n")
    #expect(LineHistory.readFile(path) == ["first", "second\nline"])
  }

  @Test("a missing or unreadable file loads as empty")
  func missingFile() {
    let folder = TemporaryFolder()
    defer { folder.remove() }
    #expect(LineHistory.readFile(folder.file("absent")) == [])
    #expect(LineHistory.readFile(folder.path) == [])  // a folder, not a file
    var history = LineHistory(entries: ["kept?"])
    let lineCount = history.load(from: folder.file("absent"))
    #expect(lineCount == 0)
    #expect(history.entries == [])
    #expect(throws: HistoryFileError.self) {
      try LineHistory.append("x", to: folder.file("no/such/folder"))
    }
  }

  @Test("loading applies the cap, dedup, CRLF and invalid UTF-8 repair")
  func loadingIsForgiving() {
    let folder = TemporaryFolder()
    defer { folder.remove() }
    let path = folder.file("messy")
    writeText("a\r\na\n\nb\n\u{FFFD}ok\nlast", to: path)
    var history = LineHistory(capacity: 3)
    let lineCount = history.load(from: path)
    #expect(lineCount == 5)
    #expect(history.entries == ["b", "\u{FFFD}ok", "last"])

    let file = fopen(path, "wb")!
    let bytes: [UInt8] = [0x61, 0xFF, 0x62, 0x0A]
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
    #expect(LineHistory.readFile(path) == ["a\u{FFFD}b"])
  }

  @Test("the reader loads the file, appends on addToHistory and compacts long files")
  func readerPersistence() {
    let folder = TemporaryFolder()
    defer { folder.remove() }
    let path = folder.file("repl")
    writeText("old one\nold two\n", to: path)
    let reader = InteractiveLineReader(
      prompt: "> ", historyPath: path, inputFD: -1, outputFD: -1)
    #expect(reader.history == ["old one", "old two"])
    reader.addToHistory("new\nquery")
    reader.addToHistory("new\nquery")  // consecutive duplicate: not written twice
    reader.addToHistory("   ")
    #expect(reader.history == ["old one", "old two", "new\nquery"])
    #expect(contents(path) == "old one\nold two\n" + #"new\nquery"# + "\n")

    writeText((0..<1300).map { "q\($0)\n" }.joined(), to: path)
    let compacting = InteractiveLineReader(
      prompt: "> ", historyPath: path, inputFD: -1, outputFD: -1)
    #expect(compacting.history.count == 1000)
    #expect(LineHistory.readFile(path).count == 1000)
    #expect(LineHistory.readFile(path).first == "q300")

    let memoryOnly = InteractiveLineReader(
      prompt: "> ", historyPath: nil, inputFD: -1, outputFD: -1)
    memoryOnly.addToHistory("x")
    #expect(memoryOnly.history == ["x"])
    #expect(memoryOnly.historyPath == nil)
  }

  @Test("~ expands to HOME; the default path is ~/.fahras_history")
  func paths() {
    guard let home = getenv("HOME").map({ String(cString: $0) }), !home.isEmpty else { return }
    #expect(LineHistory.expandingTilde("~/x") == home + "/x")
    #expect(LineHistory.expandingTilde("/abs/~/x") == "/abs/~/x")
    #expect(LineHistory.defaultPath()?.hasSuffix("/.fahras_history") == true)
    #expect(LineHistory.defaultPath()?.hasPrefix(home) == true)
  }
}
