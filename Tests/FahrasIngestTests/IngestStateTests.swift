import FahrasStorage
import Testing

@testable import FahrasIngest

/// `ingest.<G>` files that a writer never produces, with a correct checksum: trailing bytes and a
/// path listed twice are reported (docs/FORMAT.md §15, item 11).
@Suite struct IngestStateTests {
  static func state() -> IngestState {
    var s = IngestState()
    s.root = "/corpus"
    s.files["a.txt"] = IngestState.Entry(size: 10, modified: 1, crc: 7, documents: 1)
    s.files["b.txt"] = IngestState.Entry(size: 20, modified: 2, crc: 8, documents: 3)
    return s
  }

  /// Replaces the body and recomputes the footer checksum.
  static func resealed(_ bytes: [UInt8], _ change: (inout [UInt8]) -> Void) -> [UInt8] {
    var b = Array(bytes.dropLast(8))
    change(&b)
    b += Array("SRHF".utf8)
    let crc = b.withUnsafeBytes { CRC32C.checksum($0) }
    withUnsafeBytes(of: crc.littleEndian) { b += $0 }
    return b
  }

  @Test func roundTripAndCraftedDamage() throws {
    let bytes = Self.state().encode()
    #expect(try IngestState.decode(bytes, file: "ingest.1") == Self.state())

    let trailing = Self.resealed(bytes) { $0 += [0, 0, 0] }
    do {
      _ = try IngestState.decode(trailing, file: "ingest.1")
      Issue.record("trailing bytes were accepted")
    } catch {
      #expect("\(error)".contains("3 bytes after the last entry"), "\(error)")
    }

    // Entries are sorted by path; rename the second, `b.txt`, to `a.txt`.
    let at = try #require(bytes.lastIndex(of: UInt8(ascii: "b")))
    #expect(bytes[(at + 1)..<(at + 5)].elementsEqual(".txt".utf8))
    let twice = Self.resealed(bytes) { $0[at] = UInt8(ascii: "a") }
    do {
      _ = try IngestState.decode(twice, file: "ingest.1")
      Issue.record("a path listed twice was accepted")
    } catch {
      #expect("\(error)".contains("lists a.txt twice"), "\(error)")
    }
  }
}
