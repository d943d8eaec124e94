// Snapshot consistency under concurrency: searches in several processes (and, in process, several
// threads) while a writer indexes a growing corpus and merges. Every search sees one committed
// snapshot: whole commits only, never an older one than the same reader saw before. The long
// version is tools/concurrencytest.py; docs/RELIABILITY.md describes both.
//
// No timing is asserted: how many intermediate snapshots the readers catch depends on the machine,
// but every snapshot they do catch must be a commit, and the last one the whole corpus. Opens that
// fail on a manifest removed by two newer commits (F13 in docs/RELIABILITY.md, fixed: the reader
// lists the folder again) are counted apart, and there must be none; the last test provokes that
// race.

import Dispatch
import FahrasIndex
import FahrasSearch
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

// MARK: - Support

/// A value shared between threads, behind a lock.
private final class Locked<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value

  init(_ value: Value) { self.value = value }

  func withLock<R>(_ body: (inout Value) -> R) -> R {
    lock.lock()
    defer { lock.unlock() }
    return body(&value)
  }

  var current: Value { withLock { $0 } }
}

/// Runs the writer of a test on its own thread inside `finished`: `body`'s error lands in `error`, and
/// `done` is set when it returns, so readers know when to stop.
private func startWriter(
  _ finished: DispatchGroup, done: Locked<Bool>, error: Locked<String?>,
  _ body: @escaping @Sendable () throws -> Void
) {
  finished.enter()
  Thread {
    defer {
      done.withLock { $0 = true }
      finished.leave()
    }
    do { try body() } catch let e { error.withLock { $0 = "\(e)" } }
  }.start()
}

/// The growing corpus: JSON Lines files `part-NNN.jsonl` of `perFile` documents with ids
/// `f<file>-d<doc>`. Every document holds the common word; documents `phraseDocs` of each file
/// also hold the Arabic phrase. No other word of the vocabulary matches either query.
private enum SnapshotCorpus {
  static let perFile = 6
  static let phraseDocs: Set<Int> = [0, 3]
  static let common = "marigold"
  static let phrase = "\"وزير الدفاع\""
  static let words = [
    "كوريا", "الشمالية", "اقتصاد", "التعاون", "مدينة", "جامعة", "الطلاب", "المملكة", "الرياض",
    "جدة", "النفط", "سوق", "الأسهم", "البنك", "مطار", "رحلة", "river", "bridge", "garden", "winter",
    "engine", "train", "window", "paper", "music", "harbor",
  ]

  static func sentence(_ rng: inout SplitMix64, _ n: Int) -> String {
    (0..<n).map { _ in words[rng.below(words.count)] }.joined(separator: " ")
  }

  /// Writes file `f` (deterministic for a given `f`).
  static func write(file f: Int, into corpus: String) throws {
    var rng = SplitMix64(seed: 0x5EED_0000 &+ UInt64(f))
    var lines: [String] = []
    for d in 0..<perFile {
      let n = 10 + rng.below(30)
      var body = sentence(&rng, n / 2) + " \(common) " + sentence(&rng, n - n / 2)
      if phraseDocs.contains(d) { body += " وزير الدفاع " + sentence(&rng, 5) }
      lines.append(
        "{\"id\": \"f\(f)-d\(d)\", \"title\": \"\(sentence(&rng, 1 + rng.below(4)))\", "
          + "\"body\": \"\(body)\"}")
    }
    let name = "part-" + String(repeating: "0", count: max(0, 3 - "\(f)".count)) + "\(f)"
    try CLIFiles.write(lines.joined(separator: "\n") + "\n", to: "\(corpus)/\(name).jsonl")
  }

  /// The document numbers of each file that a query's hits name, or a problem.
  static func files(of ids: [String]) -> (files: [Int: Set<Int>], problem: String?) {
    var files: [Int: Set<Int>] = [:]
    for id in ids {
      let parts = id.split(separator: "-")
      guard parts.count == 2, parts[0].hasPrefix("f"), parts[1].hasPrefix("d"),
        let f = Int(parts[0].dropFirst()), let d = Int(parts[1].dropFirst())
      else { return ([:], "unexpected id \(id)") }
      guard files[f, default: []].insert(d).inserted else { return ([:], "id \(id) listed twice") }
    }
    return (files, nil)
  }
}

/// What one search process answered, per query: its hits' ids (all of them: `--k` exceeds the
/// corpus) and its total (nil in batch mode, which does not count).
private struct SeenAnswer {
  var total: Int?
  var ids: [String]
  var notices: [String]
}

/// One reader loop's bookkeeping: the newest hit set of each query, and problems found.
private struct ReaderState {
  var name: String
  var searches = 0
  var successes = 0
  var earlyFailures = 0  // "no committed index" / "does not exist" before the first commit
  var manifestRaces = 0  // failures of F13 (must stay 0)
  var lastIDs: [String: Set<String>] = [:]
  var distinctTotals: Set<Int> = []
  var problems: [String] = []

  /// Checks one answer to `query` (`common` or `phrase`): whole files only, `total` equal to the
  /// hits, no notice (a notice means an older commit was shown), and no hit of an earlier answer
  /// of this reader lost.
  mutating func check(_ query: String, _ answer: SeenAnswer, context: String) -> [Int: Set<Int>] {
    let expected =
      query == "common" ? Set(0..<SnapshotCorpus.perFile) : SnapshotCorpus.phraseDocs
    let (files, problem) = SnapshotCorpus.files(of: answer.ids)
    if let problem { problems.append("\(context): \(problem)") }
    for (f, docs) in files where docs != expected {
      problems.append(
        "\(context): \(query) hits file \(f) partly (documents \(docs.sorted())): not a commit")
    }
    if let total = answer.total, total != answer.ids.count {
      problems.append("\(context): \(query) total \(total) but \(answer.ids.count) hits")
    }
    if !answer.notices.isEmpty {
      problems.append("\(context): notices \(answer.notices)")
    }
    let ids = Set(answer.ids)
    if let before = lastIDs[query], !before.isSubset(of: ids) {
      problems.append(
        "\(context): \(query) went back from \(before.count) to \(ids.count) hits; lost "
          + "\(before.subtracting(ids).sorted().prefix(5))")
    }
    lastIDs[query] = ids
    if query == "common" { distinctTotals.insert(ids.count) }
    return files
  }
}

/// Parses the JSON object(s) a search printed (one per line in batch mode).
private func answers(_ run: CLIRun) -> [SeenAnswer]? {
  var out: [SeenAnswer] = []
  for line in run.lines where !line.isEmpty {
    guard let object = CLIJSON.object(line), let hits = object["hits"] as? [[String: Any]] else {
      return nil
    }
    out.append(
      SeenAnswer(
        total: CLIJSON.int(object["total"]), ids: hits.compactMap { $0["id"] as? String },
        notices: object["notices"] as? [String] ?? []))
  }
  return out
}

/// Whether a failed search is the expected "no index yet" before the writer's first commit.
private func isNoIndexYet(_ run: CLIRun) -> Bool {
  run.status == 1
    && (run.stderr.contains("no committed index") || run.stderr.contains("does not exist"))
}

/// Whether an error message is F13, the bug these tests found: `IndexReader.open` listed the
/// manifests, then read the newest; when two commits landed in between, the writer had removed every
/// listed manifest (it keeps the last two commits) and `open` threw instead of listing again.
private func isManifestRace(_ message: String) -> Bool {
  message.contains("no such file") && message.contains("/manifest.")
}

// MARK: - Tests

@Suite("Snapshot consistency under concurrency", .serialized)
struct MultiProcessSnapshotTests {
  static let rounds = 4
  static let filesPerRound = 12

  /// One reader: loops over three kinds of search process (the common word, the phrase, both in
  /// one batch process) until `done`, then runs each once more.
  private static func readerLoop(
    name: String, index: String, queries: String, started: DispatchSemaphore,
    done: Locked<Bool>
  ) -> ReaderState {
    var state = ReaderState(name: name)
    let base = ["search", "--index", index, "--format", "json", "--k", "1000", "--no-snippets"]
    let kinds: [(String, [String])] = [
      ("common", base + ["--", SnapshotCorpus.common]),
      ("phrase", base + ["--", SnapshotCorpus.phrase]),
      ("both", base + ["--queries", queries]),
    ]
    var finalPass = -1  // searches left after `done`
    var i = 0
    // Bounded: a hang of the writer cannot keep the readers looping forever.
    while i < 3000 && finalPass != 0 {
      if finalPass < 0 && done.current { finalPass = kinds.count }
      let (kind, args) = kinds[i % kinds.count]
      let run = runFahras(args, timeout: 120)
      state.searches += 1
      if i == 0 { started.signal() }
      i += 1
      if finalPass > 0 { finalPass -= 1 }
      let context = "\(name) search \(state.searches) (\(kind))"
      guard run.status == 0 else {
        if state.successes == 0 && isNoIndexYet(run) {
          state.earlyFailures += 1
        } else if run.status == 1 && isManifestRace(run.stderr) {
          state.manifestRaces += 1
        } else {
          state.problems.append("\(context) failed: \(run)")
        }
        continue
      }
      guard let seen = answers(run), seen.count == (kind == "both" ? 2 : 1) else {
        state.problems.append("\(context): unreadable output: \(run)")
        continue
      }
      state.successes += 1
      if kind == "both" {
        let common = state.check("common", seen[0], context: context)
        let phrase = state.check("phrase", seen[1], context: context)
        if Set(common.keys) != Set(phrase.keys) {
          state.problems.append(
            "\(context): one process saw the common word in files \(common.keys.sorted()) "
              + "and the phrase in files \(phrase.keys.sorted())")
        }
      } else {
        _ = state.check(kind, seen[0], context: context)
      }
    }
    if finalPass != 0 { state.problems.append("\(name) stopped before the writer finished") }
    return state
  }

  @Test(
    "3 reader processes searching while `fahras index --commit-every` and `fahras merge` run see whole, growing commits"
  )
  func readersSeeWholeGrowingCommits() throws {
    let scratch = CLIScratch.make("snapshot")
    defer { scratch.remove() }
    let corpus = scratch.file("corpus")
    let index = scratch.file("index")
    let queries = scratch.file("queries.tsv")
    try CLIFiles.write(
      "c\t\(SnapshotCorpus.common)\np\t\(SnapshotCorpus.phrase)\n", to: queries)
    try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)

    let readers = 3
    let started = DispatchSemaphore(value: 0)
    let done = Locked(false)
    let results = Locked([ReaderState?](repeating: nil, count: readers))
    let finished = DispatchGroup()
    for r in 0..<readers {
      finished.enter()
      Thread {
        let state = Self.readerLoop(
          name: "reader \(r)", index: index, queries: queries, started: started, done: done)
        results.withLock { $0[r] = state }
        finished.leave()
      }.start()
    }
    // The writer starts once every reader has searched (and found no index) once.
    for _ in 0..<readers { _ = started.wait(timeout: .now() + 60) }

    // The writer: rounds of new files, each indexed with a commit after every file; a merge to one
    // segment after every second round. `--commit-every` equals the documents per file, so every
    // commit holds whole files whether commits fall on file or on document boundaries (F6).
    var documents = 0
    for round in 0..<Self.rounds {
      for f in (round * Self.filesPerRound)..<((round + 1) * Self.filesPerRound) {
        try SnapshotCorpus.write(file: f, into: corpus)
      }
      let run = runFahras(
        [
          "index", corpus, "--index", index, "--commit-every", "\(SnapshotCorpus.perFile)",
          "--threads", "1", "--quiet", "--json",
        ], timeout: 300)
      documents += Self.filesPerRound * SnapshotCorpus.perFile
      #expect(run.status == 0, "round \(round): \(run)")
      let summary = CLIJSON.object(run.stdout)
      #expect(CLIJSON.int(summary?["added"]) == Self.filesPerRound * SnapshotCorpus.perFile)
      #expect(CLIJSON.int(summary?["documents"]) == documents, "round \(round): \(run.stdout)")
      if round % 2 == 1 {
        let merge = runFahras(["merge", "--index", index, "--max-segments", "1"], timeout: 300)
        #expect(merge.status == 0, "merge after round \(round): \(merge)")
      }
    }
    done.withLock { $0 = true }
    #expect(finished.wait(timeout: .now() + 300) == .success, "the readers did not finish")

    let files = Self.rounds * Self.filesPerRound
    for state in results.current {
      let state = try #require(state)
      #expect(state.problems.isEmpty, "\(state.name): \(state.problems.prefix(5))")
      #expect(state.successes > 0, "\(state.name) never searched successfully")
      // The last searches ran after the last merge: the whole corpus.
      #expect(state.lastIDs["common"]?.count == files * SnapshotCorpus.perFile, "\(state.name)")
      #expect(
        state.lastIDs["phrase"]?.count == files * SnapshotCorpus.phraseDocs.count, "\(state.name)")
    }
    let races = results.current.reduce(0) { $0 + ($1?.manifestRaces ?? 0) }
    #expect(races == 0, "\(races) searches failed on a manifest removed by newer commits")
    let check = runFahras(["check", "--index", index])
    #expect(check.status == 0, "\(check)")
    let stats = CLIJSON.object(
      runFahras(["stats", "--index", index, "--json", "--top", "0"]).stdout)
    #expect(CLIJSON.int(stats?["documents"]) == files * SnapshotCorpus.perFile)
    #expect(CLIJSON.int(stats?["segments"]) == 1)
  }

  @Test(
    "in one process, readers opened while an IndexWriter commits and merges see fixed, growing snapshots"
  )
  func threadsSeeFixedGrowingSnapshots() throws {
    let scratch = CLIScratch.make("snapshot-lib")
    defer { scratch.remove() }
    let directory = scratch.file("index")
    let commits = 40
    let perCommit = 5
    let done = Locked(false)
    let writerError = Locked<String?>(nil)
    let finished = DispatchGroup()

    // The writer: 5 documents per commit (the first with the phrase), a merge to one segment and a
    // commit after every tenth.
    startWriter(finished, done: done, error: writerError) {
      let writer = try IndexWriter(
        directory: directory, options: .init(memoryBudget: 16 << 20, threads: 1))
      var rng = SplitMix64(seed: 99)
      for c in 0..<commits {
        let docs = (0..<perCommit).map { i in
          IndexDocument(
            id: "c\(c)-\(i)", path: "batch-\(c)", title: SnapshotCorpus.sentence(&rng, 3),
            body: SnapshotCorpus.sentence(&rng, 15) + " \(SnapshotCorpus.common) "
              + (i == 0 ? "وزير الدفاع " : "") + SnapshotCorpus.sentence(&rng, 10))
        }
        try writer.add(contentsOf: docs)
        try writer.commit()
        if c % 10 == 9 {
          try writer.forceMerge(maxSegments: 1)
          try writer.commit()
        }
      }
    }

    struct ThreadLog: Sendable {
      var snapshots = 0
      var distinctCounts: Set<Int> = []
      var manifestRaces = 0
      var problems: [String] = []
    }
    let readers = 3
    let logs = Locked([ThreadLog](repeating: ThreadLog(), count: readers))
    for r in 0..<readers {
      finished.enter()
      Thread {
        var log = ThreadLog()
        defer {
          logs.withLock { $0[r] = log }
          finished.leave()
        }
        var countOnly = SearchOptions()
        countOnly.mode = .count
        var last = 0
        var first: (searcher: Searcher, count: Int, generation: UInt64)?
        // Bounded: stops when the writer is done (after one more snapshot), or after many rounds.
        for _ in 0..<100_000 {
          let writerDone = done.current  // read before opening: the last open sees the last commit
          let reader: IndexReader
          do throws(IndexError) {
            reader = try IndexReader.open(directory)
          } catch {
            if case .noIndex = error, last == 0, !writerDone {
              usleep(500)
              continue
            }
            if isManifestRace("\(error)") {
              log.manifestRaces += 1
            } else {
              log.problems.append("open failed after \(log.snapshots) snapshots: \(error)")
            }
            if writerDone { break } else { continue }
          }
          log.snapshots += 1
          let searcher = Searcher(reader: reader)
          do {
            // The same snapshot searched three times, with a commit likely landing in between.
            var counts: [Int] = []
            for _ in 0..<3 {
              counts.append(
                try searcher.search(SnapshotCorpus.common, options: countOnly).total ?? -1)
            }
            let phrase = try searcher.search(SnapshotCorpus.phrase, options: countOnly).total ?? -1
            let count = counts[0]
            let gen = reader.manifest.generation
            if Set(counts).count != 1 { log.problems.append("generation \(gen): counts \(counts)") }
            if count != reader.documentCount {
              log.problems.append(
                "generation \(gen): \(count) hits, \(reader.documentCount) documents")
            }
            if count % perCommit != 0 || phrase * perCommit != count {
              log.problems.append("generation \(gen): \(count) hits, \(phrase) phrase hits")
            }
            if count < last {
              log.problems.append("generation \(gen): \(count) hits after \(last)")
            }
            last = count
            log.distinctCounts.insert(count)
            if first == nil { first = (searcher, count, gen) }
          } catch {
            log.problems.append("search failed: \(error)")
          }
          if writerDone { break }
        }
        // The oldest snapshot still answers, with its documents, after the writer removed its files.
        if let first {
          do {
            let again = try first.searcher.search(SnapshotCorpus.common)
            if again.total != first.count || again.hits.count != min(10, first.count) {
              log.problems.append(
                "generation \(first.generation) answered \(first.count), later "
                  + "\(again.total ?? -1) with \(again.hits.count) hits")
            }
            if again.hits.contains(where: { !$0.id.hasPrefix("c") }) {
              log.problems.append("generation \(first.generation) lost its stored documents")
            }
          } catch {
            log.problems.append("generation \(first.generation) failed later: \(error)")
          }
        }
      }.start()
    }
    #expect(finished.wait(timeout: .now() + 300) == .success, "the threads did not finish")
    #expect(writerError.current == nil, "writer: \(writerError.current ?? "")")
    for (r, log) in logs.current.enumerated() {
      #expect(log.problems.isEmpty, "reader \(r): \(log.problems.prefix(5))")
      #expect(log.snapshots > 0, "reader \(r) opened no snapshot")
      #expect(log.distinctCounts.max() == commits * perCommit, "reader \(r): \(log.distinctCounts)")
    }
    let races = logs.current.reduce(0) { $0 + $1.manifestRaces }
    #expect(races == 0, "\(races) opens failed on a manifest removed by newer commits")
    let final = try IndexReader.open(directory, verify: true)
    #expect(final.documentCount == commits * perCommit)
    #expect(final.segments.count == 1)
    for segment in final.segments { try segment.verifyDeep() }
  }

  @Test("IndexReader.open does not fail while a writer commits back to back")
  func openDuringBackToBackCommits() throws {
    let scratch = CLIScratch.make("snapshot-race")
    defer { scratch.remove() }
    let directory = scratch.file("index")
    let commits = 300
    let done = Locked(false)
    let writerError = Locked<String?>(nil)
    let finished = DispatchGroup()
    startWriter(finished, done: done, error: writerError) {
      let writer = try IndexWriter(directory: directory)
      try writer.add(
        IndexDocument(id: "only", title: "t", body: "\(SnapshotCorpus.common) وزير الدفاع"))
      // Commits without changes: each still writes a new generation and removes the one
      // before the previous.
      for _ in 0..<commits { try writer.commit() }
    }

    struct OpenLog: Sendable {
      var opens = 0
      var manifestRaces = 0
      var problems: [String] = []
    }
    let readers = 3
    let logs = Locked([OpenLog](repeating: OpenLog(), count: readers))
    for r in 0..<readers {
      finished.enter()
      Thread {
        var log = OpenLog()
        defer {
          logs.withLock { $0[r] = log }
          finished.leave()
        }
        var attempts = 0
        while attempts < 1_000_000 && !done.current {
          attempts += 1
          do throws(IndexError) {
            let reader = try IndexReader.open(directory)
            log.opens += 1
            if reader.documentCount != 1 {
              log.problems.append(
                "generation \(reader.manifest.generation): \(reader.documentCount)")
            }
          } catch {
            if case .noIndex = error, log.opens == 0 {
              usleep(200)
            } else if isManifestRace("\(error)") {
              log.manifestRaces += 1
            } else {
              log.problems.append("open failed after \(log.opens) opens: \(error)")
            }
          }
        }
      }.start()
    }
    #expect(finished.wait(timeout: .now() + 300) == .success, "the threads did not finish")
    #expect(writerError.current == nil, "writer: \(writerError.current ?? "")")
    for (r, log) in logs.current.enumerated() {
      #expect(log.problems.isEmpty, "reader \(r): \(log.problems.prefix(5))")
    }
    let races = logs.current.reduce(0) { $0 + $1.manifestRaces }
    #expect(races == 0, "\(races) of \(logs.current.reduce(0) { $0 + $1.opens }) opens failed")
  }
}
