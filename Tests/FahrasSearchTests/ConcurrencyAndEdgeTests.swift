import Dispatch
import FahrasIndex
import Testing

@testable import FahrasSearch

@Suite("Concurrent searches and edge cases")
struct ConcurrencyAndEdgeTests {
  @Test("one searcher answers many threads at once exactly as it answers one")
  func concurrentSearches() throws {
    let corpus = PlainCorpus(count: 400, vocabulary: 60, bodyWords: 30, seed: 5)
    let index = try TestIndex(tag: "conc")
    try index.add(Array(corpus.documents[0..<200]))
    try index.commit()
    try index.add(Array(corpus.documents[200...]))
    let searcher = try index.finish()
    let queries = [
      "zqb", "zqc zqd", "zqf -zqb", #""zqb zqc"~2"#, "zqg*", "zqb AND zqc", "NOT zqb", "title:zqc",
      "zqbb~1", "zqh zqj zqk zql",
    ]
    let options = SearchOptions.test(k: 20, snippets: true)
    let expected = try queries.map { q in
      try searcher.search(q, options: options).hits.map { "\($0.id) \($0.score)" }
    }
    let results = ResultBox(count: queries.count * 8)
    DispatchQueue.concurrentPerform(iterations: queries.count * 8) { i in
      let q = queries[i % queries.count]
      let hits = try? searcher.search(q, options: options).hits.map { "\($0.id) \($0.score)" }
      results.set(i, hits)
    }
    for i in 0..<(queries.count * 8) {
      #expect(results.get(i) == expected[i % queries.count], "\(queries[i % queries.count])")
    }
  }

  @Test("an index with no documents answers every query with nothing")
  func emptyIndex() throws {
    let index = try TestIndex(tag: "empty")
    let searcher = try index.finish()
    #expect(searcher.reader.segments.isEmpty)
    for q in ["zqb", "NOT zqb", #""zqb zqc""#, "zq*", "zqb~1", "the", "title:zqb"] {
      let r = try searcher.search(q, options: .test())
      #expect(r.hits.isEmpty && r.total == 0, "\(q)")
    }
  }

  @Test("terms found only in deleted documents match nothing")
  func onlyDeleted() throws {
    let index = try TestIndex(tag: "onlydel")
    try index.add(IndexDocument(id: "1", title: "", body: "zqb zqc"))
    try index.add(IndexDocument(id: "2", title: "", body: "zqd"))
    try index.delete("1")
    let searcher = try index.finish()
    for pruning in [true, false] {
      let r = try searcher.search("zqb zqc", options: .test(pruning: pruning))
      #expect(r.hits.isEmpty && r.total == 0)
    }
    #expect(try searcher.ids("zqb zqd") == ["2"])
  }

  @Test("hits carry their stored title and path")
  func storedFields() throws {
    let (index, searcher) = try makeIndex(
      "stored", [IndexDocument(id: "x", path: "dir/a.txt", title: "The zqb title", body: "zqc")])
    _ = index
    let hit = try #require(try searcher.search("zqc", options: .test()).hits.first)
    #expect(
      hit.id == "x" && hit.path == "dir/a.txt" && hit.title == "The zqb title" && hit.rank == 1)
    let bare = try #require(
      try searcher.search("zqc", options: .test(loadDocuments: false)).hits.first)
    #expect(bare.segment == hit.segment && bare.doc == hit.doc && bare.score == hit.score)
    var idsOnly = SearchOptions.test()
    idsOnly.idsOnly = true
    let ids = try #require(try searcher.search("zqc", options: idsOnly).hits.first)
    #expect(ids.id == "x" && ids.path.isEmpty && ids.title.isEmpty && ids.score == hit.score)
  }
}

/// Results written by concurrent iterations, each to its own slot.
final class ResultBox: @unchecked Sendable {
  private var slots: [[String]?]
  private let lock = DispatchQueue(label: "ResultBox")
  init(count: Int) { slots = Array(repeating: nil, count: count) }
  func set(_ i: Int, _ v: [String]?) { lock.sync { slots[i] = v } }
  func get(_ i: Int) -> [String]? { lock.sync { slots[i] } }
}
