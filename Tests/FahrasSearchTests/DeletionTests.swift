import FahrasIndex
import Testing

@testable import FahrasSearch

@Suite("Deleted documents and segments")
struct DeletionTests {
  @Test("deleted documents never appear; live ones in every segment are all found")
  func deletedNeverAppear() throws {
    let index = try TestIndex(tag: "del")
    // Three segments; every document has zqb, and its own rank-deciding frequency of zqc.
    for s in 0..<3 {
      for i in 0..<40 {
        let n = (i * 7 + s) % 9
        try index.add(
          IndexDocument(
            id: "s\(s)-\(i)", title: "",
            body: (["zqb"] + Array(repeating: "zqc", count: n)).joined(separator: " ")))
      }
      // Delete committed documents of earlier segments and buffered ones of this one.
      if s > 0 { try index.delete("s\(s - 1)-\(s)") }
      try index.delete("s\(s)-3")
      try index.commit()
    }
    // Delete the best-scoring documents so pruning meets them first.
    for id in ["s0-0", "s1-24", "s2-1"] { try index.delete(id) }
    // An update deletes the old version.
    try index.update(IndexDocument(id: "s0-5", title: "", body: "zqd"))
    let searcher = try index.finish()
    #expect(searcher.reader.segments.count == 4)
    let live = Set(index.live.keys)
    let withB = Set(index.live.filter { $0.value.body.contains("zqb") }.keys)
    for pruning in [true, false] {
      for q in ["zqb", "zqb zqc", "zqc", "NOT zqnothing", "zqb -zqnothing", "+zqb +zqc"] {
        for k in [1, 3, 10, 1000] {
          let r = try searcher.search(q, options: .test(k: k, pruning: pruning))
          let ids = Set(r.hits.map(\.id))
          #expect(ids.isSubset(of: live), "\(q) k=\(k): deleted \(ids.subtracting(live).sorted())")
          #expect(r.hits.count == min(k, r.total ?? -1), "\(q) k=\(k)")
        }
      }
      let all = try searcher.search("zqb", options: .test(pruning: pruning))
      #expect(Set(all.hits.map(\.id)) == withB)
      #expect(Set(all.hits.map(\.segment)) == [0, 1, 2])
      #expect(try searcher.ids("NOT zqnothing", .test(pruning: pruning)) == live)
      #expect(try searcher.ids("zqd", .test(pruning: pruning)) == ["s0-5"])
    }
  }

  @Test("a reader keeps its snapshot; a new reader sees the deletes")
  func snapshots() throws {
    let dir = SearchTempDir("snap")
    defer { dir.remove() }
    let writer = try IndexWriter(directory: dir.path)
    for i in 0..<5 { try writer.add(IndexDocument(id: "\(i)", title: "", body: "zqb")) }
    try writer.commit()
    let before = Searcher(reader: try IndexReader.open(dir.path))
    try writer.delete(id: "2")
    try writer.delete(id: "3")
    try writer.commit()
    let after = Searcher(reader: try IndexReader.open(dir.path))
    #expect(try before.ids("zqb") == ["0", "1", "2", "3", "4"])
    #expect(try after.ids("zqb") == ["0", "1", "4"])
    #expect(try after.search("zqb", options: .test(mode: .count)).total == 3)
  }

  @Test("a fully deleted segment is dropped and searching goes on")
  func fullyDeletedSegment() throws {
    let index = try TestIndex(tag: "drop")
    try index.add(IndexDocument(id: "a", title: "", body: "zqb"))
    try index.add(IndexDocument(id: "b", title: "", body: "zqb zqc"))
    try index.commit()
    try index.add(IndexDocument(id: "c", title: "", body: "zqc"))
    try index.commit()
    try index.delete("a")
    try index.delete("b")
    let searcher = try index.finish()
    #expect(searcher.reader.segments.count == 1)
    #expect(try searcher.ids("zqb zqc") == ["c"])
    #expect(try searcher.search("zqb", options: .test()).total == 0)
  }
}
