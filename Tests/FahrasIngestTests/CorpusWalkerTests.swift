import Foundation
import Testing

@testable import FahrasIngest

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A temporary folder that removes itself (restoring permissions first).
final class TemporaryFolder {
  let path: String

  init() throws {
    var template = Array((NSTemporaryDirectory() + "/fahras-ingest-XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else {
      throw CorpusWalkerError(path: "tmp", reason: "mkdtemp failed")
    }
    path = String(cString: made)
  }

  deinit {
    chmodTree(path)
    try? FileManager.default.removeItem(atPath: path)
  }

  private func chmodTree(_ folder: String) {
    chmod(folder, 0o755)
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
    for entry in entries {
      let full = folder + "/" + entry
      var info = stat()
      if lstat(full, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR { chmodTree(full) }
    }
  }

  func file(_ relative: String, _ contents: String = "text") throws {
    let full = path + "/" + relative
    let parent = (full as NSString).deletingLastPathComponent
    if access(parent, F_OK) != 0 {
      try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
    }
    let fd = open(full, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw CorpusWalkerError(path: full, reason: "create failed") }
    defer { close(fd) }
    let bytes = Array(contents.utf8)
    guard bytes.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == bytes.count else {
      throw CorpusWalkerError(path: full, reason: "write failed")
    }
  }

  func folder(_ relative: String) throws {
    try FileManager.default.createDirectory(
      atPath: path + "/" + relative, withIntermediateDirectories: true)
  }

  func link(_ relative: String, to destination: String) throws {
    try FileManager.default.createSymbolicLink(
      atPath: path + "/" + relative, withDestinationPath: destination)
  }
}

@Suite("Corpus walker")
struct CorpusWalkerTests {
  @Test func listsSupportedFilesInByteOrderAndReportsLoops() throws {
    let tmp = try TemporaryFolder()
    let outside = try TemporaryFolder()
    try outside.file("shared/o.txt", "outside")
    let corpus = tmp.path + "/corpus"
    for file in [
      "a.txt", "B.MD", "b.md", "c.bin", "notes", "docs-old.txt", "docs/x.html", "docs/y.jsonl",
      "docs/sub/z.json",
      "docs/sub/deep/w.ndjson", "docs/.dotfile.txt", ".hidden/secret.txt", ".fahras/index.json",
      "ملفات/نص.txt",
      "docs/readme.markdown", "docs/page.HTM",
    ] {
      try tmp.file("corpus/" + file, "content of \(file)")
    }
    try tmp.folder("corpus/empty")
    try tmp.link("corpus/docs/loop", to: "..")
    try tmp.link("corpus/alias.md", to: "b.md")
    try tmp.link("corpus/broken.txt", to: "does-not-exist.txt")
    try tmp.link("corpus/dirlink", to: "docs/sub")
    try tmp.link("corpus/external", to: outside.path + "/shared")
    try tmp.link("corpus/self", to: "self")

    let (files, problems) = try CorpusWalker(root: corpus).walk()
    #expect(
      files.map(\.relativePath) == [
        "B.MD", "a.txt", "alias.md", "b.md", "docs-old.txt", "docs/page.HTM",
        "docs/readme.markdown",
        "docs/sub/deep/w.ndjson", "docs/sub/z.json", "docs/x.html", "docs/y.jsonl",
        "external/o.txt", "ملفات/نص.txt",
      ])
    #expect(
      problems == [
        SkippedInput(path: "broken.txt", reason: "broken symbolic link: No such file or directory"),
        SkippedInput(
          path: "dirlink", reason: "symbolic link to a folder already walked under another path"),
        SkippedInput(
          path: "docs/loop", reason: "symbolic link loop (points to an enclosing folder)"),
        SkippedInput(path: "self", reason: "symbolic link loop (the link chain does not end)"),
      ])
    let first = try #require(files.first)
    #expect(first.absolutePath == corpus + "/B.MD")
    #expect(first.size == Int64("content of B.MD".utf8.count))
    #expect(first.modifiedNanoseconds > 1_500_000_000 * 1_000_000_000)
    let aliased = try #require(files.first { $0.relativePath == "alias.md" })
    #expect(try String(contentsOfFile: aliased.absolutePath, encoding: .utf8) == "content of b.md")
  }

  @Test func hiddenEntriesCanBeIncluded() throws {
    let tmp = try TemporaryFolder()
    try tmp.file("a.txt")
    try tmp.file(".hidden/secret.txt")
    try tmp.file(".dot.md")
    let (visible, _) = try CorpusWalker(root: tmp.path).walk()
    #expect(visible.map(\.relativePath) == ["a.txt"])
    let (all, _) = try CorpusWalker(root: tmp.path, skipHidden: false).walk()
    #expect(all.map(\.relativePath) == [".dot.md", ".hidden/secret.txt", "a.txt"])
  }

  @Test func rootPathForms() throws {
    let tmp = try TemporaryFolder()
    try tmp.file("sub/a.txt")
    let (files, _) = try CorpusWalker(root: tmp.path + "///").walk()
    #expect(files.map(\.absolutePath) == [tmp.path + "/sub/a.txt"])
    let (inSub, _) = try CorpusWalker(root: tmp.path + "/sub").walk()
    #expect(inSub.map(\.relativePath) == ["a.txt"])
    try tmp.link("rootlink", to: tmp.path + "/sub")
    let (viaLink, _) = try CorpusWalker(root: tmp.path + "/rootlink").walk()
    #expect(viaLink.map(\.absolutePath) == [tmp.path + "/rootlink/a.txt"])
  }

  @Test func unreadableFolderIsReportedNotFatal() throws {
    let tmp = try TemporaryFolder()
    try tmp.file("open/a.txt")
    try tmp.file("locked/secret.txt")
    try tmp.file("locked-file.txt")
    #expect(chmod(tmp.path + "/locked", 0) == 0)
    #expect(chmod(tmp.path + "/locked-file.txt", 0) == 0)
    defer {
      chmod(tmp.path + "/locked", 0o755)
      chmod(tmp.path + "/locked-file.txt", 0o644)
    }
    let (files, problems) = try CorpusWalker(root: tmp.path).walk()
    // Root (and CAP_DAC_OVERRIDE) ignores permission bits: then everything is readable.
    let permissionsBite = access(tmp.path + "/locked", R_OK) != 0
    if permissionsBite {
      #expect(files.map(\.relativePath) == ["open/a.txt"])
      #expect(
        problems == [
          SkippedInput(path: "locked", reason: "unreadable folder: Permission denied"),
          SkippedInput(path: "locked-file.txt", reason: "unreadable file: Permission denied"),
        ])
    } else {
      #expect(files.map(\.relativePath) == ["locked-file.txt", "locked/secret.txt", "open/a.txt"])
      #expect(problems.isEmpty)
    }
  }

  @Test func rootMustBeAReadableFolder() throws {
    let tmp = try TemporaryFolder()
    try tmp.file("plain.txt")
    #expect(throws: CorpusWalkerError(path: tmp.path + "/plain.txt", reason: "not a folder")) {
      try CorpusWalker(root: tmp.path + "/plain.txt").walk()
    }
    #expect(
      throws: CorpusWalkerError(
        path: tmp.path + "/missing", reason: "cannot access folder: No such file or directory")
    ) {
      try CorpusWalker(root: tmp.path + "/missing").walk()
    }
  }

  @Test func manyFilesComeOutSortedAndComplete() throws {
    let tmp = try TemporaryFolder()
    var expected: [String] = []
    for folder in 0..<20 {
      for file in 0..<50 {
        let name =
          "f\(folder % 3 == 0 ? "-" : "/")\(folder)/doc\(file).\(["txt", "md", "json", "html"][file % 4])"
        try tmp.file(name, "x")
        expected.append(name)
      }
      try tmp.file("f/\(folder)/skip\(folder).bin", "x")
    }
    let (files, problems) = try CorpusWalker(root: tmp.path).walk()
    #expect(problems.isEmpty)
    #expect(files.count == 1000)
    #expect(
      files.map(\.relativePath) == expected.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
  }
}
