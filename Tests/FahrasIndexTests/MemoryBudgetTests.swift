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

  /// The estimate just after it first passes `limit` (the writer flushes then).
  static func estimateAtFlush(limit: Int) throws -> Int {
    let dir = NSTemporaryDirectory() + "fahras-budget-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let builder = try SegmentBuilder(directory: dir, name: "s1", analyzer: Analyzer())
    builder.memoryLimit = limit
    var i = 0
    while builder.memoryBytes <= limit {
      try builder.add(Self.document(i))
      i += 1
    }
    builder.abandon()
    return builder.memoryBytes
  }

  @Test("at the flush, the buffer is over its budget by little, for any budget")
  func overshootIsSmall() throws {
    // With plain doubling, the arrays' capacity jumps land anywhere relative to the budget: for
    // some of these budgets the buffer would be up to twice the budget when it flushes. Growing
    // within the budget leaves one document's postings, plus the term table's hash slots, which
    // still double (every document adds its id as a term: here up to a quarter of the buffer).
    var worst = 0.0
    for tenths in [10, 13, 17, 22, 28, 35, 45, 57, 70, 85, 100, 120] {
      let limit = (tenths << 20) / 10
      let over = Double(try Self.estimateAtFlush(limit: limit) - limit) / Double(limit)
      worst = max(worst, over)
    }
    #expect(worst < 0.3, "worst overshoot \(worst)")
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
