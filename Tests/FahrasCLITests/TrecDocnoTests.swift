import Testing

@testable import FahrasCLI

/// TREC run files split on white space, so a document id must be one word.
@Suite("TREC document numbers")
struct TrecDocnoTests {
  @Test(
    "white space inside an id becomes '_'; other ids are unchanged",
    arguments: [
      ("FT911-3", "FT911-3"),
      ("c.jsonl#L12", "c.jsonl#L12"),
      ("a b\tc", "a_b_c"),
      ("وثيقة ١", "وثيقة_١"),
      ("x\u{00A0}y\u{3000}z", "x_y_z"),
      ("café", "café"),
    ])
  func docno(id: String, expected: String) {
    #expect(trecDocno(id) == expected)
  }
}
