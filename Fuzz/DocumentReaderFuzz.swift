// libFuzzer target: the document readers (FahrasIngest: DocumentReader.read, the JSON parser, the
// HTML extractor, JSON Lines in pieces) on arbitrary bytes.
//
// The first input byte picks the file name (and so the format); the rest is the file. Readers never
// throw and must never trap: bad input becomes `skipped` entries. Every document must have a
// non-empty id and the file's path.
import FahrasIngest

let names = ["a.txt", "a.md", "a.html", "a.json", "a.jsonl", "dir/b.htm", "c.ndjson", "d.markdown"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  guard size >= 1 else { return 0 }
  let name = names[Int(data[0]) % names.count]
  let bytes = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
  let outcome = DocumentReader.read(bytes: bytes, relativePath: name)
  for d in outcome.documents {
    if d.id.isEmpty { fatalError("document without id from \(name)") }
    if d.path != name { fatalError("document path \(d.path) for file \(name)") }
  }
  for s in outcome.skipped { _ = s.description }
  if name.hasSuffix("jsonl") || name.hasSuffix("ndjson") {
    // The folder indexer reads big JSON Lines files in line-aligned pieces.
    _ = DocumentReader.readJSONLines(
      bytes: bytes, relativePath: name, firstLine: 7, byteOffset: 1234)
  }
  return 0
}
