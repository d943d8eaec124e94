// Reliability tests of the `fahras` executable: SIGKILL during `index` and `merge`, damaged index
// files, and the inputs the fuzzers (Fuzz/) found. The long versions are tools/crashtest.py and
// tools/corruptiontest.py; docs/RELIABILITY.md describes all of them.
//
// Every test runs the built binary in a child process, so a trap fails one test instead of the
// whole test process. A run "crashed" when it died of a signal, exited with a status other than
// 0, 1 or 2, or printed Swift's "Fatal error" / "Program crashed".

import Dispatch
import FahrasIndex
import FahrasSearch
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

// MARK: - Support

/// Whether a finished run of `fahras` crashed rather than succeeding or failing cleanly.
private func crashed(_ run: CLIRun) -> Bool {
  !(0...2).contains(run.status) || run.stderr.contains("Fatal error")
    || run.stderr.contains("Program crashed")
}

/// Starts `fahras arguments…` and sends it SIGKILL after `seconds` unless it finished before.
/// Returns whether it was killed, and its exit status when it was not.
private func runAndKill(_ arguments: [String], after seconds: Double) -> (
  killed: Bool, status: Int32
) {
  guard let executable = FahrasExecutable.path else {
    Issue.record("the fahras executable was not found")
    return (false, -1)
  }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  process.standardOutput = FileHandle.nullDevice
  process.standardError = FileHandle.nullDevice
  let finished = DispatchSemaphore(value: 0)
  process.terminationHandler = { _ in finished.signal() }
  do { try process.run() } catch {
    Issue.record("cannot start \(executable): \(error)")
    return (false, -1)
  }
  if finished.wait(timeout: .now() + seconds) == .timedOut {
    kill(process.processIdentifier, SIGKILL)
    finished.wait()
    return (process.terminationReason == .uncaughtSignal, process.terminationStatus)
  }
  return (false, process.terminationStatus)
}

/// A deterministic corpus: `files` JSON Lines files of `perFile` documents and `notes` plain-text
/// files, drawn from a small Arabic and English vocabulary. Returns every document id.
private enum ReliabilityCorpus {
  static let words = [
    "وزير", "الدفاع", "كوريا", "الشمالية", "اقتصاد", "التعاون", "مدينة", "جامعة", "الطلاب",
    "المملكة",
    "الرياض", "جدة", "النفط", "سوق", "الأسهم", "البنك", "مطار", "رحلة", "الصحة", "المستشفى",
    "minister", "defense", "north", "korea", "economy", "city", "students", "river", "bridge",
    "apple",
    "garden", "winter", "summer", "engine", "train", "window", "paper", "music", "market", "harbor",
  ]

  static func sentence(_ rng: inout SplitMix64, _ n: Int) -> String {
    (0..<n).map { _ in words[rng.below(words.count)] }.joined(separator: " ")
  }

  @discardableResult
  static func write(into folder: String, files: Int, perFile: Int, notes: Int, seed: UInt64) throws
    -> Set<String>
  {
    var rng = SplitMix64(seed: seed)
    var ids: Set<String> = []
    for f in 0..<files {
      var lines: [String] = []
      for d in 0..<perFile {
        let id = "r\(f)-\(d)"
        ids.insert(id)
        lines.append(
          "{\"id\": \"\(id)\", \"title\": \"\(sentence(&rng, 1 + rng.below(6)))\", "
            + "\"body\": \"\(sentence(&rng, 20 + rng.below(60)))\", \"source\": \"s\(rng.below(3))\"}"
        )
      }
      try CLIFiles.write(lines.joined(separator: "\n") + "\n", to: "\(folder)/news/part-\(f).jsonl")
    }
    for n in 0..<notes {
      let path = "notes/n\(n).txt"
      ids.insert(path)
      try CLIFiles.write(
        sentence(&rng, 4) + "\n" + sentence(&rng, 40) + "\n", to: "\(folder)/\(path)")
    }
    return ids
  }
}

/// What a (possibly interrupted) index holds, seen through the CLI.
private struct IndexAudit {
  var checkStatus: Int32
  var checkOutput: String
  var committed: Bool
  var documents: Int
  var ids: [String]
  var problems: [String] = []
}

/// `check`, `stats` and a match-all query (a pure negative query lists every live document).
private func audit(_ index: String) -> IndexAudit {
  let check = runFahras(["check", "--index", index])
  var result = IndexAudit(
    checkStatus: check.status, checkOutput: check.stdout + check.stderr, committed: false,
    documents: 0, ids: [])
  if crashed(check) { result.problems.append("check crashed: \(check)") }
  let hasManifest = ((try? FileManager.default.contentsOfDirectory(atPath: index)) ?? []).contains {
    $0.hasPrefix("manifest.") && Int($0.dropFirst(9)) != nil
  }
  if !hasManifest {
    // Killed before the first commit: an index without commit is reported, not crashed on.
    if check.status != 1 { result.problems.append("no commit yet, check status \(check.status)") }
    return result
  }
  result.committed = true
  if check.status != 0 { result.problems.append("check failed: \(check.stdout)") }
  let stats = runFahras(["stats", "--index", index, "--json", "--top", "0"])
  if crashed(stats) { result.problems.append("stats crashed: \(stats)") }
  result.documents = CLIJSON.int(CLIJSON.object(stats.stdout)?["documents"]) ?? -1
  let all = runFahras(
    [
      "search", "--index", index, "--k", "100000", "--format", "json", "--no-snippets", "--",
      "-zzqxqzz",
    ])
  if crashed(all) { result.problems.append("search crashed: \(all)") }
  let hits = (CLIJSON.object(all.stdout)?["hits"] as? [[String: Any]]) ?? []
  result.ids = hits.compactMap { $0["id"] as? String }
  if result.ids.count != result.documents {
    result.problems.append(
      "match-all lists \(result.ids.count) documents, stats says \(result.documents)")
  }
  if Set(result.ids).count != result.ids.count { result.problems.append("duplicate ids") }
  return result
}

/// Top hits (id, score) of `queries` after merging a copy of `index` into one segment, so that
/// document frequencies do not count deleted documents and two indexes of one corpus compare equal.
private func mergedTopHits(_ index: String, queries: [String], scratch: CLIScratch) throws -> [[(
  String, Double
)]] {
  let copy = scratch.file("merged-\(UInt32.random(in: 0...UInt32.max))")
  try CLIFiles.copyFolder(index, to: copy)
  let merge = runFahras(["merge", "--index", copy])
  #expect(merge.status == 0, "\(merge)")
  return queries.map { q in
    let r = runFahras(["search", "--index", copy, "--k", "30", "--format", "trec", "--", q])
    return r.lines.map { $0.split(separator: " ").map(String.init) }.filter { $0.count >= 6 }
      .map { ($0[2], Double($0[4]) ?? .nan) }
  }
}

/// Whether two top-k lists agree: the same scores, the same documents above the k-th score, and
/// documents tied at the k-th score drawn from the reference's documents with that score (equal
/// scores are ordered by segment and document number, which differ between two builds).
private func sameTopHits(_ got: [(String, Double)], _ expected: [(String, Double)], k: Int = 5)
  -> Bool
{
  let a = Array(got.prefix(k))
  let b = Array(expected.prefix(k))
  guard a.count == b.count else { return false }
  for (x, y) in zip(a, b) where abs(x.1 - y.1) > 1e-3 * max(1, abs(y.1)) { return false }
  guard let cut = b.last?.1 else { return true }
  let above = { (l: [(String, Double)]) in Set(l.filter { $0.1 > cut + 1e-3 }.map(\.0)) }
  let tiedGot = Set(a.filter { abs($0.1 - cut) <= 1e-3 }.map(\.0))
  let tiedExpected = Set(expected.filter { abs($0.1 - cut) <= 1e-3 }.map(\.0))
  return above(a) == above(b) && tiedGot.isSubset(of: tiedExpected)
}

/// A small committed index with every file kind in its last commit (a `.del` and `ingest.<G>`).
private struct DamageFixture: Sendable {
  let scratch: CLIScratch
  let index: String
  let files: [String: String]  // kind -> file name

  static let shared: DamageFixture? = try? DamageFixture()

  init() throws {
    scratch = CLIScratch.make("damage")
    let corpus = scratch.file("corpus")
    try ReliabilityCorpus.write(into: corpus, files: 3, perFile: 200, notes: 5, seed: 7)
    index = scratch.file("index")
    _ = runFahras(["index", corpus, "--index", index, "--threads", "1", "--quiet"])
    // Rewrite one file without its first lines: the next commit deletes documents.
    let part = corpus + "/news/part-1.jsonl"
    let lines = CLIFiles.read(part).split(separator: "\n").dropFirst(4)
    try CLIFiles.write(lines.joined(separator: "\n") + "\n", to: part)
    _ = runFahras(["index", corpus, "--index", index, "--threads", "1", "--quiet"])
    let names = try FileManager.default.contentsOfDirectory(atPath: index)
    let manifest = names.filter { $0.hasPrefix("manifest.") }.max {
      $0.count < $1.count || ($0.count == $1.count && $0 < $1)
    }
    let ingest = names.filter { $0.hasPrefix("ingest.") }.max {
      $0.count < $1.count || ($0.count == $1.count && $0 < $1)
    }
    let deletes = names.first { $0.hasSuffix(".del") }
    guard let manifest, let ingest, let deletes else { throw CocoaError(.fileNoSuchFile) }
    let segment = String(deletes.prefix { $0 != "_" })
    var files = ["manifest": manifest, "ingest": ingest, "del": deletes]
    for kind in ["meta", "dict", "post", "pos", "norm", "store"] {
      files[kind] = "\(segment).\(kind)"
    }
    self.files = files
  }
}

/// Damages `file` in place: `flip` XORs one byte in the middle of the body, `truncate` cuts the
/// file to two thirds, `zero` clears the first 4 KiB page after the header.
private func damage(_ path: String, mode: String) throws {
  var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
  switch mode {
  case "flip": bytes[28 + (bytes.count - 36) / 2] ^= 0x5A
  case "truncate": bytes.removeLast(bytes.count / 3)
  default:
    for i in 28..<min(bytes.count, 28 + 4096) { bytes[i] = 0 }
  }
  try CLIFiles.write(bytes, to: path)
}

// MARK: - Crash safety

@Suite("Reliability", .serialized)
struct ReliabilityTests {
  @Test(
    "SIGKILL at random moments of `fahras index` leaves a sound, committed, duplicate-free index")
  func killedIndexerRecovers() throws {
    let scratch = CLIScratch.make("crash")
    defer { scratch.remove() }
    let corpus = scratch.file("corpus")
    let ids = try ReliabilityCorpus.write(into: corpus, files: 12, perFile: 120, notes: 10, seed: 1)
    let queries = ["وزير الدفاع", "\"north korea\"", "+اقتصاد +market", "source:s1 train"]

    let reference = scratch.file("reference")
    let start = Date()
    let full = runFahras([
      "index", corpus, "--index", reference, "--threads", "2", "--quiet", "--json",
    ])
    let seconds = Date().timeIntervalSince(start)
    try #require(full.status == 0, "\(full)")
    let expected = audit(reference)
    #expect(Set(expected.ids) == ids)

    let index = scratch.file("crash")
    let args = [
      "index", corpus, "--index", index, "--commit-every", "150", "--threads", "2", "--quiet",
      "--json",
    ]
    var rng = SplitMix64(seed: 0xC0FFEE)
    var kills = 0
    for attempt in 0..<4 {
      let delay = seconds * (0.05 + 0.6 * rng.unit())
      let outcome = runAndKill(args, after: delay)
      guard outcome.killed else {
        #expect(outcome.status == 0, "run \(attempt) finished with status \(outcome.status)")
        continue
      }
      kills += 1
      let state = audit(index)
      #expect(state.problems.isEmpty, "after a kill at \(delay) s: \(state.problems)")
      #expect(Set(state.ids).isSubset(of: ids))
    }
    let last = runFahras(args)
    #expect(last.status == 0, "\(last)")
    let final = audit(index)
    #expect(final.problems.isEmpty, "\(final.problems)")
    #expect(final.documents == ids.count)
    #expect(Set(final.ids) == ids)
    let got = try mergedTopHits(index, queries: queries, scratch: scratch)
    let expectedHits = try mergedTopHits(reference, queries: queries, scratch: scratch)
    for (i, q) in queries.enumerated() {
      #expect(
        sameTopHits(got[i], expectedHits[i]),
        "\(q): \(got[i].prefix(6)) vs \(expectedHits[i].prefix(6))")
    }
    #expect(kills >= 1, "no run was killed: the corpus indexes too fast for the chosen delays")
  }

  @Test("SIGKILL during `fahras merge` never changes the live documents")
  func killedMergeKeepsTheDocuments() throws {
    let scratch = CLIScratch.make("merge")
    defer { scratch.remove() }
    let corpus = scratch.file("corpus")
    let ids = try ReliabilityCorpus.write(into: corpus, files: 6, perFile: 150, notes: 0, seed: 2)
    let index = scratch.file("index")
    let built = runFahras([
      "index", corpus, "--index", index, "--threads", "2", "--memory", "16", "--commit-every",
      "150", "--quiet",
    ])
    try #require(built.status == 0, "\(built)")
    let before = audit(index)
    let start = Date()
    let timing = scratch.file("timing")
    try CLIFiles.copyFolder(index, to: timing)
    _ = runFahras(["merge", "--index", timing])
    let seconds = Date().timeIntervalSince(start)
    var rng = SplitMix64(seed: 0xBEEF)
    for _ in 0..<2 {
      _ = runAndKill(["merge", "--index", index], after: seconds * rng.unit())
      let state = audit(index)
      #expect(state.problems.isEmpty, "\(state.problems)")
      #expect(state.ids.sorted() == before.ids.sorted())
    }
    let merge = runFahras(["merge", "--index", index])
    #expect(merge.status == 0, "\(merge)")
    let after = audit(index)
    #expect(Set(after.ids) == ids)
    let stats = CLIJSON.object(runFahras(["stats", "--index", index, "--json"]).stdout)
    #expect(CLIJSON.int(stats?["segments"]) == 1)
  }

  // MARK: - Damaged files

  static let damageCases: [(String, String)] = [
    "meta", "dict", "post", "pos", "norm", "store", "del", "manifest",
  ]
  .flatMap { kind in ["flip", "truncate", "zero"].map { (kind, $0) } }

  @Test(
    "check names every damaged file; search fails cleanly or is unaffected", arguments: damageCases)
  func damagedFileIsReported(kind: String, mode: String) throws {
    let fixture = try #require(DamageFixture.shared)
    let name = try #require(fixture.files[kind])
    let copy = fixture.scratch.file("\(kind)-\(mode)")
    try? FileManager.default.removeItem(atPath: copy)
    try CLIFiles.copyFolder(fixture.index, to: copy)
    try damage(copy + "/" + name, mode: mode)
    let check = runFahras(["check", "--index", copy])
    #expect(!crashed(check), "\(check)")
    #expect(check.status == 1, "\(check)")
    #expect(check.stdout.contains(name), "check does not name \(name): \(check.stdout)")
    for query in ["وزير", "\"north korea\"", "-river", "title:مطار"] {
      let search = runFahras(["search", "--index", copy, "--format", "json", "--", query])
      #expect(!crashed(search), "\(search)")
      if search.status != 0 {
        #expect(search.status == 1 && search.stderr.hasPrefix("fahras: "), "\(search)")
      }
    }
  }

  @Test("check reports a damaged ingest state")
  func damagedIngestStateIsReported() throws {
    let fixture = try #require(DamageFixture.shared)
    let name = try #require(fixture.files["ingest"])
    let copy = fixture.scratch.file("ingest")
    try? FileManager.default.removeItem(atPath: copy)
    try CLIFiles.copyFolder(fixture.index, to: copy)
    try damage(copy + "/" + name, mode: "flip")
    let check = runFahras(["check", "--index", copy])
    #expect(!crashed(check), "\(check)")
    #expect(check.status == 1 && check.stdout.contains(name), "\(check)")
  }

  @Test("a damaged ingest state does not leave documents of deleted files behind")
  func damagedIngestStateKeepsNoStaleDocuments() throws {
    let scratch = CLIScratch.make("ingest-stale")
    defer { scratch.remove() }
    let corpus = scratch.file("corpus")
    let ids = try ReliabilityCorpus.write(into: corpus, files: 2, perFile: 50, notes: 0, seed: 3)
    let index = scratch.file("index")
    _ = runFahras(["index", corpus, "--index", index, "--quiet"])
    let names = try FileManager.default.contentsOfDirectory(atPath: index)
    let ingest = try #require(names.first { $0.hasPrefix("ingest.") })
    try damage(index + "/" + ingest, mode: "flip")
    try FileManager.default.removeItem(atPath: corpus + "/news/part-1.jsonl")
    let run = runFahras(["index", corpus, "--index", index, "--json"])
    #expect(run.status == 0, "\(run)")
    let left = Set(audit(index).ids)
    let stale = left.filter { $0.hasPrefix("r1-") }.count
    #expect(left.filter { $0.hasPrefix("r0-") }.count == ids.filter { $0.hasPrefix("r0-") }.count)
    #expect(stale == 0, "\(stale) documents of the deleted file remain")
  }

  @Test("a damaged newest manifest is reported, and a writer does not destroy the newer commit")
  func damagedNewestManifestIsNotASilentRollback() throws {
    let scratch = CLIScratch.make("manifest-rollback")
    defer { scratch.remove() }
    let corpus = scratch.file("corpus")
    try ReliabilityCorpus.write(into: corpus, files: 1, perFile: 40, notes: 0, seed: 4)
    let index = scratch.file("index")
    _ = runFahras(["index", corpus, "--index", index, "--quiet"])
    try ReliabilityCorpus.write(
      into: scratch.file("more"), files: 1, perFile: 40, notes: 0, seed: 5)
    try FileManager.default.moveItem(
      atPath: scratch.file("more") + "/news/part-0.jsonl", toPath: corpus + "/news/part-9.jsonl")
    _ = runFahras(["index", corpus, "--index", index, "--quiet"])
    let manifests = try FileManager.default.contentsOfDirectory(atPath: index).filter {
      $0.hasPrefix("manifest.")
    }
    let newest = try #require(
      manifests.max { Int($0.dropFirst(9)) ?? 0 < Int($1.dropFirst(9)) ?? 0 })
    try damage(index + "/" + newest, mode: "flip")
    let search = runFahras(["search", "--index", index, "--format", "json", "--", "-zzqxqzz"])
    #expect(!crashed(search), "\(search)")
    let notices = (CLIJSON.object(search.stdout)?["notices"] as? [String]) ?? []
    #expect(search.status == 1 || !notices.isEmpty, "\(search)")
    let merge = runFahras(["merge", "--index", index])
    let documents = audit(index).documents
    #expect(
      merge.status != 0 || documents == 80, "merge: \(merge.status), then \(documents) documents")
  }

  @Test("one NUL byte costs one JSON Lines document, not the file")
  func nulByteInOneJSONLine() throws {
    let scratch = CLIScratch.make("nul-line")
    defer { scratch.remove() }
    let corpus = scratch.file("corpus")
    var lines: [[UInt8]] = (0..<20).map {
      Array("{\"id\": \"n\($0)\", \"body\": \"river garden\"}".utf8)
    }
    lines[10] = Array("{\"id\": \"bad\", \"body\": \"a ".utf8) + [0] + Array(" b\"}".utf8)
    try CLIFiles.write(Array(lines.joined(separator: [10])) + [10], to: corpus + "/docs.jsonl")
    let index = scratch.file("index")
    let run = runFahras(["index", corpus, "--index", index, "--json"])
    #expect(run.status == 0, "\(run)")
    #expect(audit(index).documents == 19, "\(run.stdout)")
  }

  @Test("a re-checksummed dictionary with a positions offset above Int.max fails cleanly")
  func dictionaryOffsetAboveIntMaxFailsCleanly() throws {
    let fixture = try #require(DamageFixture.shared)
    let name = try #require(fixture.files["dict"])
    let copy = fixture.scratch.file("dict-offset")
    try? FileManager.default.removeItem(atPath: copy)
    try CLIFiles.copyFolder(fixture.index, to: copy)
    let path = copy + "/" + name
    let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    var dict = try #require(CraftedDictionary(original))
    // The second entry's PosOffsetDelta: 2^63 + 7, so TermIterator yields a PosOffset > Int.max
    // (the file stays valid: the writer of a crafted file recomputes the CRC).
    dict.blocks[0][1].posDelta = (1 << 63) + 7
    try CLIFiles.write(dict.encoded(), to: path)
    let check = runFahras(["check", "--index", copy])
    #expect(!crashed(check), "\(check)")
    #expect(check.status == 1, "\(check)")
    #expect(check.stdout.contains(name) && check.stdout.contains("offset"), "\(check)")
  }

  @Test("damage behind the checksum of the positions file is blamed on the positions file")
  func positionsDamageNamesThePositionsFile() throws {
    let fixture = try #require(DamageFixture.shared)
    let name = try #require(fixture.files["pos"])
    let copy = fixture.scratch.file("pos-recrc")
    try? FileManager.default.removeItem(atPath: copy)
    try CLIFiles.copyFolder(fixture.index, to: copy)
    let path = copy + "/" + name
    let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    // Keep the header and the first third of the body, then a valid footer: the envelope verifies,
    // but later terms' positions blocks run past the end of the file.
    var bytes = Array(original[0..<(28 + (original.count - 36) / 3)]) + Array("SRHF".utf8)
    let crc = crc32c(bytes)
    bytes += [UInt8(crc & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 24)]
    try CLIFiles.write(bytes, to: path)
    let check = runFahras(["check", "--index", copy])
    #expect(!crashed(check), "\(check)")
    #expect(check.status == 1, "\(check)")
    let postName = try #require(fixture.files["post"])
    #expect(check.stdout.contains(name), "\(check)")
    #expect(!check.stdout.contains(postName), "positions damage blamed on \(postName): \(check)")
  }

  @Test("a damaged file kind is shown in hex, not echoed raw")
  func damagedKindIsPrintedInHex() throws {
    let fixture = try #require(DamageFixture.shared)
    let name = try #require(fixture.files["dict"])
    let copy = fixture.scratch.file("dict-kind")
    try? FileManager.default.removeItem(atPath: copy)
    try CLIFiles.copyFolder(fixture.index, to: copy)
    let path = copy + "/" + name
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    bytes[5] = 0x0A  // "DICT" → "D\nCT": a newline must not split the message
    bytes[6] = 0x1B  // and an escape must not reach the terminal
    try CLIFiles.write(bytes, to: path)
    let check = runFahras(["check", "--index", copy])
    #expect(check.status == 1, "\(check)")
    #expect(check.stdout.contains("0x44 0x0A 0x1B 0x54"), "\(check)")
    #expect(!check.stdout.contains("\u{1B}") && !check.stderr.contains("\u{1B}"), "\(check)")
  }

  @Test("a stored-documents index entry with an offset near 2^64 fails cleanly")
  func storeOffsetOverflowFailsCleanly() throws {
    let fixture = try #require(DamageFixture.shared)
    let name = try #require(fixture.files["store"])
    let copy = fixture.scratch.file("store-offset")
    try? FileManager.default.removeItem(atPath: copy)
    try CLIFiles.copyFolder(fixture.index, to: copy)
    // .store trailer: BlockCount u32, IndexOffset u64, then the footer; an index entry is FirstDoc u32,
    // Offset u64, ... Set block 0's Offset to 2^64 - 1 (the file's CRC is only checked by `check`).
    let path = copy + "/" + name
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    let end = bytes.count - 8
    let indexOffset = (0..<8).reduce(0) { $0 | Int(bytes[end - 8 + $1]) << (8 * $1) }
    for i in (indexOffset + 4)..<(indexOffset + 12) { bytes[i] = 0xFF }
    try CLIFiles.write(bytes, to: path)
    let search = runFahras(
      ["search", "--index", copy, "--k", "1000", "--format", "json", "--", "-zzqxqzz"])
    #expect(!crashed(search), "\(search)")
    let check = runFahras(["check", "--index", copy])
    #expect(check.status == 1 && check.stdout.contains(name), "\(check)")
  }

  // MARK: - Fuzz findings

  /// Inputs that crashed Fuzz/SegmentFuzz.swift (saved in Fuzz/crashers/), replayed through the CLI
  /// on the same fixture index: `check` (every posting list and position), searches and `stats`.
  @Test("segment fuzzer crashers fail cleanly", arguments: SegmentCrashers.all)
  func segmentCrasher(_ crasher: SegmentCrasher) throws {
    let fixture = try SegmentFuzzFixture()
    defer { fixture.scratch.remove() }
    try fixture.install(crasher)
    let commands = [
      ["check"], ["search", "--format", "json", "--", "سلام"], ["search", "--", "\"وزير الدفاع\""],
      ["search", "--", "كو*"], ["search", "--", "-سلام"], ["stats"],
    ]
    for args in commands {
      // A 4 GiB address-space limit turns a runaway allocation into a visible crash. A binary
      // built with ThreadSanitizer cannot start under such a limit (it maps terabytes of shadow
      // memory); it runs without one (`swift test --sanitize=thread`).
      var run = runUnderShell(
        ["-c", "ulimit -v 4194304; exec \"$0\" \"$@\"", FahrasExecutable.path ?? "fahras"] + args
          + ["--index", fixture.index])
      if run.stderr.contains("wouldn't work with ThreadSanitizer") {
        run = runFahras(args + ["--index", fixture.index])
      }
      expectFixed(crasher) { #expect(!crashed(run), "\(args): \(run)") }
    }
    // The fuzzer's own reading pattern, in this process (only for inputs that do not trap in a
    // package build): every posting list walked with nextDoc/advance/shallowAdvance and positions.
    guard crasher.inProcess else { return }
    let growth = SegmentFuzzFixture.exercise(fixture.index)
    expectFixed(crasher) {
      #expect(growth < 1 << 30, "reading the damaged index reserved \(growth >> 20) MiB at once")
    }
  }

  /// Runs `body` as a known issue while the crasher's bug is open.
  private func expectFixed(_ crasher: SegmentCrasher, _ body: () -> Void) {
    if let bug = crasher.openBug {
      withKnownIssue("open bug: \(bug)", isIntermittent: true) { body() }
    } else {
      body()
    }
  }
}

/// A fuzz input of SegmentFuzz, stored as edits of the fixture's original file body: `selector` is
/// the input's first byte (`% 9` picks meta dict post pos norm store del manifest ingest; `/ 9`
/// even means the body is wrapped in a valid envelope), and `splices` replace byte ranges of the
/// original body (of the whole original file for raw inputs; offsets in the original, applied from
/// the last).
struct SegmentCrasher: Sendable, CustomTestStringConvertible {
  var name: String
  var selector: UInt8
  var splices: [(Int, Int, [UInt8])]
  /// The bug it shows while that bug is open (docs/RELIABILITY.md), else nil.
  var openBug: String? = nil
  /// Whether replaying it in this process is safe (it does not trap in a package build).
  var inProcess = false

  var testDescription: String { name }

  /// The damaged body. The splices were computed against the fixture of format version 2; a newer
  /// format's files are laid out differently (and may be shorter), so offsets are clamped to the
  /// file: the same kind of damage at about the same place, no longer the exact crashing input.
  func body(from original: [UInt8]) -> [UInt8] {
    var out = original
    for (start, end, bytes) in splices.reversed() {
      let s = min(start, out.count)
      out.replaceSubrange(s..<min(max(end, s), out.count), with: bytes)
    }
    return out
  }
}

enum SegmentCrashers {
  static let all: [SegmentCrasher] = [
    // A damaged skip entry makes PostingsCursor.loadNextSkip call fail() while `skip` is passed
    // inout: an exclusivity violation (traps when exclusivity checking is on; the package builds
    // FahrasIndex with -enforce-exclusivity=unchecked, so the CLI does not trap).
    SegmentCrasher(
      name: "segment-exclusivity-loadNextSkip", selector: 2,
      splices: [
        (5964, 5968, [0x08, 0xF7, 0xFF, 0xFD]),
        (6042, 6042, [UInt8](repeating: 0x7E, count: 74)),
      ],
      inProcess: true),
    // Position counts of up to 2^32-1 per document: decodePositions allocates their sum (up to
    // 2^31 UInt32 = 8 GiB) before finding that the file cannot hold them.
    // A short list's document delta near 2^63 wrapped the running document number below zero,
    // which passed the `< maxDoc` check and trapped converting it to UInt32 (found on format 3).
    SegmentCrasher(
      name: "segment-tail-delta-overflow", selector: 2,
      splices: [
        (624, 624, [0xB4]), (1381, 1381, [UInt8](repeating: 0xFF, count: 9)), (3280, 5583, []),
      ],
      inProcess: true),
    SegmentCrasher(
      name: "segment-oom-positions-total", selector: 3,
      splices: [(2973, 2973, [0xA4]), (5388, 5388, [0x00, 0x00, 0x00, 0xEA])],
      inProcess: true),
  ]
}

/// Runs `/bin/sh arguments…` (for an address-space limit) with captured output; a death by signal
/// gets status 128 + signal.
private func runUnderShell(_ arguments: [String]) -> CLIRun {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/bin/sh")
  process.arguments = arguments
  let scratch = CLIScratch.make("sh")
  defer { scratch.remove() }
  let out = scratch.file("out")
  let err = scratch.file("err")
  _ = FileManager.default.createFile(atPath: out, contents: nil)
  _ = FileManager.default.createFile(atPath: err, contents: nil)
  var run = CLIRun(arguments: arguments, status: -1, stdout: "", stderr: "", timedOut: false)
  guard let o = FileHandle(forWritingAtPath: out), let e = FileHandle(forWritingAtPath: err) else {
    return run
  }
  process.standardOutput = o
  process.standardError = e
  let finished = DispatchSemaphore(value: 0)
  process.terminationHandler = { _ in finished.signal() }
  guard (try? process.run()) != nil else { return run }
  if finished.wait(timeout: .now() + 60) == .timedOut {
    run.timedOut = true
    kill(process.processIdentifier, SIGKILL)
    finished.wait()
  }
  try? o.close()
  try? e.close()
  run.status =
    process.terminationReason == .uncaughtSignal
    ? 128 + process.terminationStatus : process.terminationStatus
  run.stdout = CLIFiles.read(out)
  run.stderr = CLIFiles.read(err)
  return run
}

/// The index SegmentFuzz builds at start-up, rebuilt through the CLI: the same corpus, indexed twice
/// with one thread (so every file body is byte-identical; only segment ids differ).
private struct SegmentFuzzFixture {
  static let kinds = ["meta", "dict", "post", "pos", "norm", "store", "del", "manifest", "ingest"]
  static let vocabulary = [
    "سلام", "وزير", "الدفاع", "كوريا", "الشمالية", "اقتصاد", "تعاون", "مدينة", "جامعة", "طلاب",
    "the", "minister", "defense", "north", "korea", "economy", "city", "students", "river",
    "bridge",
    "المملكة", "الرياض", "جدة", "مكة", "النفط", "سوق", "الأسهم", "بنك", "مطار", "رحلة",
    "apple", "orange", "garden", "winter", "summer", "engine", "train", "window", "paper", "music",
  ]

  let scratch: CLIScratch
  let index: String

  static func line(_ i: Int, _ rng: inout UInt64) -> String {
    func next() -> Int {
      rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(truncatingIfNeeded: rng >> 33)
    }
    var words: [String] = []
    for w in 0..<3 where next() % 10 != 0 { words.append(vocabulary[w]) }
    for _ in 0..<(3 + next() % 20) { words.append(vocabulary[next() % vocabulary.count]) }
    let title = (0..<(1 + next() % 4)).map { _ in vocabulary[next() % vocabulary.count] }.joined(
      separator: " ")
    let source = ["okaz", "riyadh", "sabq"][next() % 3]
    return
      "{\"id\": \"d\(i)\", \"title\": \"\(title)\", \"body\": \"\(words.joined(separator: " "))\", \"source\": \"\(source)\"}"
  }

  init() throws {
    scratch = CLIScratch.make("segfuzz")
    let corpus = scratch.file("corpus")
    index = scratch.file("index")
    var rng: UInt64 = 42
    var lines = (0..<300).map { Self.line($0, &rng) }
    try CLIFiles.write(lines.joined(separator: "\n") + "\n", to: corpus + "/docs.jsonl")
    try CLIFiles.write("سلام عليكم\nوزير الدفاع في مدينة جدة\n", to: corpus + "/note.txt")
    _ = runFahras(["index", corpus, "--index", index, "--threads", "1", "--quiet"])
    lines.removeFirst(7)
    try CLIFiles.write(lines.joined(separator: "\n") + "\n", to: corpus + "/docs.jsonl")
    try CLIFiles.write("the minister\nnorth korea economy train\n", to: corpus + "/more.txt")
    _ = runFahras(["index", corpus, "--index", index, "--threads", "1", "--quiet"])
  }

  /// Replaces the file that the crasher names by its bytes (wrapped in the original's envelope, with
  /// a valid CRC, unless the selector asks for a raw file), as the fuzzer did.
  func install(_ crasher: SegmentCrasher) throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: index)
    let deletes = try #require(names.first { $0.hasSuffix(".del") })
    let segment = String(deletes.prefix { $0 != "_" })
    let kind = Self.kinds[Int(crasher.selector) % 9]
    let generation =
      names.compactMap { $0.hasPrefix("manifest.") ? Int($0.dropFirst(9)) : nil }.max() ?? 0
    let file: String
    switch kind {
    case "del": file = deletes
    case "manifest": file = "manifest.\(generation)"
    case "ingest": file = "ingest.\(generation)"
    default: file = "\(segment).\(kind)"
    }
    let path = index + "/" + file
    let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    if (Int(crasher.selector) / 9) % 2 == 1 {  // raw: splices of the whole file
      try CLIFiles.write(crasher.body(from: original), to: path)
      return
    }
    let body = crasher.body(from: Array(original[28..<(original.count - 8)]))
    var bytes = Array(original[0..<28]) + body + Array("SRHF".utf8)
    let crc = crc32c(bytes)
    bytes += [UInt8(crc & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 24)]
    try CLIFiles.write(bytes, to: path)
  }
}

extension SegmentFuzzFixture {
  /// Size of this process's address space in bytes (/proc/self/statm).
  static func addressSpace() -> Int {
    let text = CLIFiles.read("/proc/self/statm")
    return (Int(text.split(separator: " ").first ?? "0") ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
  }

  /// Reads `index` the way Fuzz/SegmentFuzz.swift does (every term: nextDoc or advance, positions,
  /// shallowAdvance; then `verifyDeep`); returns the largest address-space growth seen while a
  /// cursor was alive.
  static func exercise(_ index: String) -> Int {
    guard let reader = try? IndexReader.open(index) else { return 0 }
    let base = addressSpace()
    var worst = 0
    for seg in reader.segments {
      guard var it = try? seg.dictionary.iterator(from: [0]) else { continue }
      var terms = 0
      while terms < 3000, (try? it.next()) == true {
        terms += 1
        guard it.key.count > 0, it.field < seg.meta.fields.count else { continue }
        let c = seg.cursor(field: seg.meta.fields[it.field], info: it.info)
        var n = 0
        while n < 1000 {
          let d = terms % 2 == 0 ? c.nextDoc() : c.advance(to: c.doc &+ 3)
          if d == PostingsCursor.noMore { break }
          if n % 8 == 0 {
            _ = c.positions().count
            worst = max(worst, addressSpace() - base)
          }
          if n % 16 == 0 { _ = c.shallowAdvance(to: d &+ 200) }
          n += 1
        }
      }
      _ = try? seg.verifyDeep()
    }
    let searcher = Searcher(reader: reader)
    for q in ["سلام", "\"وزير الدفاع\"", "كو*", "\"north korea\"~2"] { _ = try? searcher.search(q) }
    return worst
  }
}

/// A `.dict` file (docs/FORMAT.md §7) decoded into blocks of entries and encoded back, to craft
/// files whose values the writer never produces.
private struct CraftedDictionary {
  struct Entry {
    var shared: UInt64
    var suffix: [UInt8]
    var docFreq: UInt64
    var a: UInt64  // Doc, or TotalFreqMinusDocFreq
    var b: UInt64  // Freq, or PostOffsetDelta
    var posDelta: UInt64
  }

  let header: [UInt8]
  let termCount: UInt64
  var blocks: [[Entry]] = []

  init?(_ data: [UInt8]) {
    func u64(_ at: Int) -> UInt64 {
      (0..<8).reduce(0) { $0 | UInt64(data[at + $1]) << (8 * UInt64($1)) }
    }
    func vint(_ p: inout Int) -> UInt64 {
      var v: UInt64 = 0
      var shift: UInt64 = 0
      while p < data.count {
        let x = data[p]
        p += 1
        v |= UInt64(x & 0x7F) << shift
        if x < 0x80 { break }
        shift += 7
      }
      return v
    }
    guard data.count > 60 else { return nil }
    header = Array(data[0..<28])
    let end = data.count - 8
    let count = Int(u64(end - 24))
    termCount = u64(end - 16)
    let index = Int(u64(end - 8))
    let starts = (0..<count).map { Int(u64(index + 8 * $0)) }
    for i in 0..<count {
      var p = starts[i]
      let stop = i + 1 < count ? starts[i + 1] : index
      var entries: [Entry] = []
      while p < stop {
        let shared = vint(&p)
        let length = Int(vint(&p))
        let suffix = Array(data[p..<(p + length)])
        p += length
        let df = vint(&p)
        let a = vint(&p)
        let b = vint(&p)
        entries.append(
          Entry(shared: shared, suffix: suffix, docFreq: df, a: a, b: b, posDelta: vint(&p)))
      }
      blocks.append(entries)
    }
  }

  func encoded() -> [UInt8] {
    func vint(_ v: UInt64) -> [UInt8] {
      var v = v
      var out: [UInt8] = []
      while v >= 0x80 {
        out.append(UInt8(v & 0x7F) | 0x80)
        v >>= 7
      }
      return out + [UInt8(v)]
    }
    func u64(_ v: UInt64) -> [UInt8] {
      (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) }
    }
    var out = header
    var starts: [Int] = []
    for entries in blocks {
      starts.append(out.count)
      for e in entries {
        out +=
          vint(e.shared) + vint(UInt64(e.suffix.count)) + e.suffix + vint(e.docFreq) + vint(e.a)
          + vint(e.b)
          + vint(e.posDelta)
      }
    }
    let index = out.count
    for s in starts { out += u64(UInt64(s)) }
    out += u64(UInt64(blocks.count)) + u64(termCount) + u64(UInt64(index)) + Array("SRHF".utf8)
    let crc = crc32c(out)
    return out + [
      UInt8(crc & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 24),
    ]
  }
}

/// CRC-32C (Castagnoli), bit by bit: the envelope checksum of docs/FORMAT.md section 1.5.
private func crc32c(_ bytes: [UInt8]) -> UInt32 {
  var c: UInt32 = 0xFFFF_FFFF
  for b in bytes {
    c ^= UInt32(b)
    for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
  }
  return c ^ 0xFFFF_FFFF
}
