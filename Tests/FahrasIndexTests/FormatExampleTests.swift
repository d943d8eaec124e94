import FahrasIndex
import Foundation
import Testing

/// The worked example of docs/FORMAT.md §14.3, checked byte for byte against the real writer, so the
/// document cannot drift from the code.
@Suite struct FormatExampleTests {
  static func hex(_ s: String) -> [UInt8] {
    s.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { UInt8($0, radix: 16)! }
  }

  /// The body of `path`: without the 28-byte header and the 8-byte footer.
  static func body(_ path: String) throws -> [UInt8] {
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    return Array(bytes[28..<(bytes.count - 8)])
  }

  @Test("FORMAT.md §14.3: the two-document segment's dictionary, postings and positions")
  func twoDocumentSegment() throws {
    let dir = TempDir("format")
    defer { dir.cleanup() }
    do {
      let w = try IndexWriter(directory: dir.path)
      try w.add(IndexDocument(id: "a", path: "x.txt", title: "", body: "red fox"))
      try w.add(IndexDocument(id: "b", path: "x.txt", title: "", body: "red hen"))
      try w.commit()
    }
    let dict = try Self.body(dir.path + "/s1.dict")
    #expect(
      dict
        == Self.hex(
          """
          00 04 00 66 6F 78 01 00 01 1C
          01 03 68 65 6E 01 01 01 03
          01 03 72 65 64 02 00 1C 03
          00 04 01 66 6F 78 01 00 01 02
          01 03 68 65 6E 01 01 01 00
          01 03 72 65 64 02 01 38 00
          00 02 02 61 01 00 01 00
          01 01 62 01 01 01 00
          00 06 03 78 2E 74 78 74 02 00 02 00
          1C 00 00 00 00 00 00 00
          01 00 00 00 00 00 00 00
          09 00 00 00 00 00 00 00
          6F 00 00 00 00 00 00 00
          """), "\(dict.map { String($0, radix: 16) })")
    #expect(try Self.body(dir.path + "/s1.post") == Self.hex("01 01 01 01"))
    #expect(try Self.body(dir.path + "/s1.pos") == Self.hex("00 01 01 00 01 01 00 00"))
  }

  @Test("FORMAT.md §14.1: a short list's tail block and positions")
  func shortList() throws {
    let dir = TempDir("format")
    defer { dir.cleanup() }
    // "zed" in doc 3 at position 4, doc 7 at positions 0 and 5, doc 200 at position 10.
    do {
      let w = try IndexWriter(directory: dir.path)
      for i in 0...200 {
        var words = Array(repeating: "pad", count: 11)
        switch i {
        case 3: words[4] = "zed"
        case 7:
          words[0] = "zed"
          words[5] = "zed"
        case 200: words[10] = "zed"
        default: break
        }
        try w.add(
          IndexDocument(id: "d\(i)", path: "", title: "", body: words.joined(separator: " ")))
      }
      try w.commit()
    }
    let reader = try IndexReader.open(dir.path, verify: true)
    let segment = try #require(reader.segments.first)
    let info = try #require(try segment.dictionary.lookup(field: 0, term: Array("zed".utf8)))
    let post = try Self.body(dir.path + "/s1.post")
    let pos = try Self.body(dir.path + "/s1.pos")
    let p = Int(info.postOffset) - 28
    let q = Int(info.posOffset) - 28
    #expect(Array(post[p..<(p + 5)]) == Self.hex("07 06 02 81 03"))
    #expect(Array(pos[q..<(q + 4)]) == Self.hex("00 04 04 A4"))
  }
}
