import FahrasText
import Foundation
import Testing

@testable import FahrasIndex

/// The indexing buffer grows its arrays within its budget instead of doubling past it, and its
/// estimate counts what the flush will add.
@Suite("Indexing buffer memory budget")
struct MemoryBudgetTests {
  static func document(_ i: Int) -> IndexDocument {
    // About 60 distinct words per document, some shared, some new.
    let words = (0..<60).map { "w\(($0 * 7919 + i * 31) % 5000)" }
    return IndexDocument(id: "d\(i)", title: "t\(i)", body: words.joined(separator: " "))
  }

  @Test("the buffer reaches its budget by at most one document's worth", arguments: [1, 4, 16])
  func staysNearBudget(megabytes: Int) throws {
    let dir = NSTemporaryDirectory() + "fahras-budget-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let limit = megabytes << 20
    let builder = try SegmentBuilder(directory: dir, name: "s1", analyzer: Analyzer())
    builder.memoryLimit = limit
    var i = 0
    var before = builder.memoryBytes
    while builder.memoryBytes <= limit {
      before = builder.memoryBytes
      try builder.add(Self.document(i))
      i += 1
    }
    // The posting arrays grow only by what fits; the one structure that still doubles is the
    // term table's hash slots (every document adds its id as a term), a fraction of the buffer.
    // Here (three new terms per document) the slots reach a quarter of the buffer when they
    // double. Plain doubling of the posting arrays would add about half the budget in one step.
    let step = builder.memoryBytes - before
    #expect(step < limit / 3, "one document grew the estimate by \(step) bytes of \(limit)")
    #expect(i > 100)
    _ = try builder.flush()
  }

  @Test("without a limit the arrays double (the estimate can jump by a large step)")
  func doublesWithoutLimit() throws {
    let dir = NSTemporaryDirectory() + "fahras-budget-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let builder = try SegmentBuilder(directory: dir, name: "s1", analyzer: Analyzer())
    var largest = 0
    for i in 0..<3_000 {
      let before = builder.memoryBytes
      try builder.add(Self.document(i))
      largest = max(largest, builder.memoryBytes - before)
    }
    // The same corpus as above: with plain doubling some document grows the estimate by over 1 MB.
    #expect(largest > 1 << 20)
    _ = try builder.flush()
  }
}
