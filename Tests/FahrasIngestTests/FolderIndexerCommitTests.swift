import FahrasIndex
import Foundation
import Testing

@testable import FahrasIngest

/// The live documents of the newest commit in `index`, in no particular order.
func liveDocuments(_ index: String) throws -> [StoredDocument] {
  let reader = try IndexReader.open(index)
  var docs: [StoredDocument] = []
  for segment in reader.segments {
    for doc in 0..<segment.maxDoc where !segment.isDeleted(doc) {
      docs.append(try segment.document(doc))
    }
  }
  return docs
}

/// A JSON Lines file of `count` small documents with ids `<prefix><k>`.
func jsonLines(prefix: String, count: Int, words: String = "garden river") -> String {
  (0..<count).map {
    #"{"id": "\#(prefix)\#($0)", "title": "t\#($0)", "body": "\#(words) number \#($0)"}"#
  }.joined(separator: "\n") + "\n"
}

/// Thrown by a commit observer to end a run right after a commit, as a kill would.
struct StopAfterCommit: Error {}

/// What one commit holds, as seen by a commit observer.
struct CommitSnapshot {
  var state: IngestState
  var documentsByPath: [String: Int]
  var ids: [String]

  /// Paths with documents in the commit that its ingest state does not list.
  var unlisted: [String] { documentsByPath.keys.filter { state.files[$0] == nil }.sorted() }

  /// Listed files whose recorded document count differs from the commit's.
  var miscounted: [String] {
    state.files.compactMap { path, entry in
      documentsByPath[path, default: 0] == entry.documents
        ? nil : "\(path): \(entry.documents) recorded, \(documentsByPath[path, default: 0]) indexed"
    }.sorted()
  }
}

/// Runs `indexer`, recording every commit (`stopAfter`: end the run after that many commits).
func runRecordingCommits(
  _ indexer: FolderIndexer, stopAfter: Int? = nil
) throws -> (snapshots: [CommitSnapshot], summary: FolderIndexer.Summary?) {
  var indexer = indexer
  var snapshots: [CommitSnapshot] = []
  let index = indexer.index
  indexer.commitObserver = { state in
    let docs = try liveDocuments(index)
    var byPath: [String: Int] = [:]
    for d in docs { byPath[d.path, default: 0] += 1 }
    snapshots.append(CommitSnapshot(state: state, documentsByPath: byPath, ids: docs.map(\.id)))
    if let stopAfter, snapshots.count >= stopAfter { throw StopAfterCommit() }
  }
  do {
    let summary = try indexer.run()
    return (snapshots, summary)
  } catch is StopAfterCommit {
    return (snapshots, nil)
  }
}

@Suite("FolderIndexer commits")
struct FolderIndexerCommitTests {
  @Test("every intermediate commit lists the file it has just completed (F11)")
  func commitListsCompletedFile() throws {
    let corpus = try TemporaryFolder()
    let index = try TemporaryFolder()
    for f in 0..<6 { try corpus.file("f\(f).jsonl", jsonLines(prefix: "f\(f)-", count: 5)) }
    let indexer = FolderIndexer(
      corpus: corpus.path, index: index.path, options: .init(threads: 1, commitEvery: 5))
    let (snapshots, summary) = try runRecordingCommits(indexer)
    #expect(summary?.added == 30)
    // One commit per file (each ends exactly at a file's last document), then the final one.
    #expect(snapshots.count == 7)
    for (k, s) in snapshots.enumerated() {
      #expect(s.unlisted.isEmpty, "commit \(k + 1) holds documents of unlisted files \(s.unlisted)")
      #expect(s.miscounted.isEmpty, "commit \(k + 1): \(s.miscounted)")
      #expect(s.state.files.count == min(k + 1, 6), "commit \(k + 1) lists \(s.state.files.keys)")
    }
    // The same seen from outside: the previous commit's ingest state is kept next to the final one.
    let reader = try IndexReader.open(index.path)
    let previous = try IngestState.load(
      indexDirectory: index.path, name: "ingest.\(reader.manifest.generation - 1)")
    #expect(previous.files.count == 6 && previous.files.values.allSatisfy { $0.documents == 5 })
  }

  @Test(
    "commits that fall inside a file leave that file out until it is complete",
    arguments: [5, 7, 13])
  func commitsInsideFiles(every: Int) throws {
    let corpus = try TemporaryFolder()
    let index = try TemporaryFolder()
    for f in 0..<4 { try corpus.file("f\(f).jsonl", jsonLines(prefix: "f\(f)-", count: 9)) }
    try corpus.file("notes/a.txt", "A note\nabout a garden")
    let indexer = FolderIndexer(
      corpus: corpus.path, index: index.path, options: .init(threads: 1, commitEvery: every))
    let (snapshots, summary) = try runRecordingCommits(indexer)
    #expect(summary?.added == 37)
    // 37 documents, a commit after every `every` of them, and the final one.
    #expect(snapshots.count == 37 / every + 1)
    for (k, s) in snapshots.enumerated() {
      #expect(s.unlisted.count <= 1, "commit \(k + 1): \(s.unlisted)")
      #expect(s.miscounted.isEmpty, "commit \(k + 1): \(s.miscounted)")
      #expect(s.ids.count == (k + 1 < snapshots.count ? (k + 1) * every : 37))
      #expect(Set(s.ids).count == s.ids.count, "commit \(k + 1) has duplicate ids")
    }
    #expect(snapshots.last?.unlisted == [])
  }

  @Test(
    "--commit-every commits after every N documents inside one big file (F6)",
    arguments: [32 << 20, 8 << 10])
  func commitEveryInsideOneFile(batchBytes: Int) throws {
    let corpus = try TemporaryFolder()
    let index = try TemporaryFolder()
    try corpus.file("big.jsonl", jsonLines(prefix: "b", count: 1000))
    var options = FolderIndexer.Options(threads: 2, commitEvery: 100)
    // 8 KiB: the file (about 70 KiB) is read in line-aligned pieces, as files above 32 MiB are.
    options.batchBytes = batchBytes
    let (snapshots, summary) = try runRecordingCommits(
      FolderIndexer(corpus: corpus.path, index: index.path, options: options))
    #expect(summary?.added == 1000)
    #expect(summary?.documents == 1000)
    // Nine commits inside the file, one when it is complete, and the final one.
    #expect(snapshots.count == 11)
    for (k, s) in snapshots.prefix(9).enumerated() {
      #expect(s.ids.count == (k + 1) * 100)
      #expect(s.state.files["big.jsonl"] == nil, "commit \(k + 1) lists the file being read")
    }
    for s in snapshots.suffix(2) {
      #expect(s.state.files["big.jsonl"]?.documents == 1000)
      #expect(s.ids.count == 1000)
    }
    let final = try liveDocuments(index.path)
    #expect(final.count == 1000)
    #expect(Set(final.map(\.id)) == Set((0..<1000).map { "b\($0)" }))
    let reader = try IndexReader.open(index.path)
    #expect(reader.manifest.generation == 11)
  }

  @Test("a run stopped after any commit is completed by the next run, each document once")
  func stoppedRunsResume() throws {
    let corpus = try TemporaryFolder()
    for f in 0..<3 { try corpus.file("f\(f).jsonl", jsonLines(prefix: "f\(f)-", count: 250)) }
    try corpus.file("t.txt", "Title\nbody text")
    var expected = Set((0..<3).flatMap { f in (0..<250).map { "f\(f)-\($0)" } })
    expected.insert("t.txt")
    var options = FolderIndexer.Options(threads: 1, commitEvery: 100)
    options.batchBytes = 4 << 10
    for stop in 1...7 {
      let index = try TemporaryFolder()
      let first = try runRecordingCommits(
        FolderIndexer(corpus: corpus.path, index: index.path, options: options), stopAfter: stop)
      #expect(first.summary == nil && first.snapshots.count == stop)
      let stopped = try #require(first.snapshots.last)
      #expect(stopped.unlisted.count <= 1 && stopped.miscounted.isEmpty, "stop \(stop)")
      let second = try FolderIndexer(corpus: corpus.path, index: index.path).run()
      let docs = try liveDocuments(index.path)
      #expect(docs.count == expected.count, "stop \(stop): \(docs.count) documents")
      #expect(Set(docs.map(\.id)) == expected, "stop \(stop)")
      #expect(second.documents == expected.count)
      #expect(second.unchangedFiles == stopped.state.files.count, "stop \(stop)")
    }
  }

  @Test("an edited file stopped in the middle of its re-read is read again in full")
  func editedFileStoppedMidway() throws {
    let corpus = try TemporaryFolder()
    let index = try TemporaryFolder()
    try corpus.file("a.jsonl", jsonLines(prefix: "a", count: 300))
    try corpus.file("b.jsonl", jsonLines(prefix: "b", count: 50))
    _ = try FolderIndexer(corpus: corpus.path, index: index.path).run()
    // The edit changes ids and size, so a.jsonl is re-read.
    try corpus.file("a.jsonl", jsonLines(prefix: "new-a", count: 280, words: "edited words"))
    let stopped = try runRecordingCommits(
      FolderIndexer(
        corpus: corpus.path, index: index.path, options: .init(threads: 1, commitEvery: 100)),
      stopAfter: 1)
    let s = try #require(stopped.snapshots.first)
    #expect(s.state.files["a.jsonl"] == nil, "the old entry must not describe the half-read file")
    #expect(s.state.files["b.jsonl"]?.documents == 50)
    #expect(s.documentsByPath["a.jsonl"] == 100 && s.unlisted == ["a.jsonl"])
    _ = try FolderIndexer(corpus: corpus.path, index: index.path).run()
    let ids = Set(try liveDocuments(index.path).map(\.id))
    #expect(ids == Set((0..<280).map { "new-a\($0)" } + (0..<50).map { "b\($0)" }))
  }
}
