import FahrasIndex
import FahrasQuery
import Foundation
import Testing

@testable import FahrasSearch

@Suite("Query errors and limits")
struct ErrorTests {
  static func searcher() throws -> (TestIndex, Searcher) {
    try makeIndex(
      "err",
      [
        IndexDocument(
          id: "1", title: "zqb", body: "zqc", fields: [.init(name: "source", value: "okaz")])
      ])
  }

  static func error(_ s: Searcher, _ query: String) -> SearchError? {
    do {
      _ = try s.search(query, options: .test())
      return nil
    } catch {
      return error
    }
  }

  @Test(
    "malformed queries throw a syntax error with its position",
    arguments: [
      (#""unclosed"#, 9),
      ("title:", 6),
      ("((zqb)", 6),
      ("zqb)", 3),
      ("zqb AND", 7),
      ("AND zqb", 0),
      ("*zqb", 0),
      ("zq*b", 2),
      ("zqb^", 4),
      ("zqb~5", 4),
      ("()", 1),
      (#""شويغو"#, 6),
      ("شويغو AND", 9),
    ])
  func syntax(query: String, scalarOffset: Int) throws {
    let (index, searcher) = try Self.searcher()
    _ = index
    guard case .syntax(let e) = Self.error(searcher, query) else {
      Issue.record("\(query): expected a syntax error")
      return
    }
    #expect(e.scalarOffset == scalarOffset, "\(query): \(e)")
    #expect(
      e.byteOffset
        == Array(query.unicodeScalars.prefix(e.scalarOffset)).reduce(0) {
          $0 + String($1).utf8.count
        })
    #expect(SearchError.syntax(e).description.hasPrefix("query error: "))
  }

  @Test(
    "an unknown field is a plan error naming the field",
    arguments: [
      "nosuch:zqb", "zqb -nosuch:zqc", #"nosuch:"zqb zqc""#, "nosuch:zq*",
      "zqb AND (nosuch:zqc OR zqd)",
    ])
  func unknownField(query: String) throws {
    let (index, searcher) = try Self.searcher()
    _ = index
    guard case .plan(let e) = Self.error(searcher, query) else {
      Issue.record("\(query): expected a plan error")
      return
    }
    #expect(e.message.contains("nosuch"), "\(e.message)")
    #expect(e.message.contains("source"), "the message lists the fields: \(e.message)")
  }

  @Test("known fields, empty and punctuation-only queries are not errors")
  func notErrors() throws {
    let (index, searcher) = try Self.searcher()
    _ = index
    for q in ["source:okaz", "title:zqb", "body:zqc", "", "   ", "!!!", "،؟"] {
      #expect(Self.error(searcher, q) == nil, "\(q)")
    }
    #expect(try searcher.ids("source:okaz") == ["1"])
    let empty = try searcher.search("", options: .test())
    #expect(empty.hits.isEmpty && empty.total == 0)
  }

  @Test("mode top does not count; mode count returns no hits")
  func modes() throws {
    let (index, searcher) = try Self.searcher()
    _ = index
    let top = try searcher.search("zqb", options: .test(mode: .top))
    #expect(top.total == nil && top.hits.count == 1)
    let count = try searcher.search("zqb", options: .test(mode: .count))
    #expect(count.total == 1 && count.hits.isEmpty)
    let both = try searcher.search("zqb", options: .test(mode: .both))
    #expect(both.total == 1 && both.hits.count == 1)
    #expect(both.query == "zqb" && both.seconds >= 0)
  }

  @Test("k = 0 without pruning returns no hits")
  func zeroKExhaustive() throws {
    let (index, searcher) = try Self.searcher()
    _ = index
    let r = try searcher.search("zqb", options: .test(k: 0, pruning: false))
    #expect(r.hits.isEmpty)
    #expect(r.total == 1)
  }

  /// `TopK(k: 0).threshold` reads `heap[0]` of an empty heap: block-max WAND traps on `k <= 0`. Run
  /// in a child process (an exit test) so that the trap fails this test, not the whole run.
  @Test("k = 0 with pruning returns no hits instead of trapping")
  func zeroKPruned() async {
    await #expect(processExitsWith: .success) {
      // The child's folder is named after this (parent) process, which removes it afterwards.
      let dir = SearchTempDir(path: NSTemporaryDirectory() + "fahras-search-k0-\(getppid())")
      let writer = try IndexWriter(directory: dir.path)
      try writer.add(IndexDocument(id: "1", title: "", body: "zqb"))
      try writer.commit()
      let searcher = Searcher(reader: try IndexReader.open(dir.path))
      for k in [0, -1] {
        let r = try searcher.search("zqb", options: .test(k: k, mode: .both, pruning: true))
        guard r.hits.isEmpty, r.total == 1 else {
          throw SearchError.corrupt("k=\(k): \(r.hits.count) hits")
        }
      }
    }
    SearchTempDir(path: NSTemporaryDirectory() + "fahras-search-k0-\(getpid())").remove()
  }
}
