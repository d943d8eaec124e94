// libFuzzer target: the index readers (FahrasIndex, FahrasStorage, FahrasSearch) on a damaged file.
//
// At start-up the target indexes a small corpus with the real folder indexer (two commits, so the
// last one has a `.del` file and an `ingest.<G>` state; the first with `--compact`, so that long
// `$light` lists are derived): 600 short documents from a 40-word
// vocabulary, so the first words have long, multi-block postings with skip data and impacts. Each
// input then replaces ONE file of a scratch copy of that index and runs everything a reader does:
// open, search (term, OR, AND, phrase, prefix, fuzzy, field, title, match-all, exclusion, with
// counts, snippets and explanations), walk the term dictionary and every posting list with
// positions, fetch stored documents, `verifyDeep`, and read the ingest state. Errors are fine;
// traps, sanitizer reports and hangs are not.
//
// Input layout: byte 0 picks the file (byte % 9: meta dict post pos norm store del manifest ingest)
// and the mode (byte / 9 even: the rest is the file body, wrapped here in a valid envelope with
// the right kind, segment id and CRC32C, so the decoders behind the envelope check are reached;
// odd: the rest is the whole file, raw). `FAHRAS_FUZZ_WRITE_SEEDS=DIR` writes one seed per file kind
// (the real bodies, wrapped mode) to DIR and exits.
import FahrasIndex
import FahrasIngest
import FahrasSearch
import FahrasStorage

#if canImport(Glibc)
  import Glibc
#endif

let kinds = ["meta", "dict", "post", "pos", "norm", "store", "del", "manifest", "ingest"]
let vocabulary = [
  "سلام", "وزير", "الدفاع", "كوريا", "الشمالية", "اقتصاد", "تعاون", "مدينة", "جامعة", "طلاب",
  "the", "minister", "defense", "north", "korea", "economy", "city", "students", "river", "bridge",
  "المملكة", "الرياض", "جدة", "مكة", "النفط", "سوق", "الأسهم", "بنك", "مطار", "رحلة",
  "apple", "orange", "garden", "winter", "summer", "engine", "train", "window", "paper", "music",
  // Variants of words above: their $light lists are selections of the stem's (derived lists).
  "ministers", "trains", "trained", "gardens", "engines",
]

/// The scratch index and the original bytes of each target file.
struct Fixture {
  let dir: String
  let files: [String: [UInt8]]  // kind -> original bytes
  let paths: [String: String]  // kind -> path in dir
}

func die(_ message: String) -> Never {
  fputs("SegmentFuzz setup: \(message)\n", stderr)
  exit(2)
}

func writeBytes(_ path: String, _ bytes: [UInt8]) {
  guard let f = fopen(path, "wb") else { die("cannot write \(path)") }
  _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
  fclose(f)
}

func readBytes(_ path: String) -> [UInt8] {
  guard let f = fopen(path, "rb") else { die("cannot read \(path)") }
  defer { fclose(f) }
  var out: [UInt8] = []
  var buf = [UInt8](repeating: 0, count: 65536)
  while true {
    let n = fread(&buf, 1, buf.count, f)
    if n <= 0 { break }
    out += buf[0..<n]
  }
  return out
}

func makeCorpusLine(_ i: Int, _ rng: inout UInt64) -> String {
  func next() -> Int {
    rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Int(truncatingIfNeeded: rng >> 33)
  }
  var words: [String] = []
  // The first three words are in almost every document: multi-block posting lists.
  for w in 0..<3 where next() % 10 != 0 { words.append(vocabulary[w]) }
  for _ in 0..<(3 + next() % 20) { words.append(vocabulary[next() % vocabulary.count]) }
  let title = (0..<(1 + next() % 4)).map { _ in vocabulary[next() % vocabulary.count] }.joined(
    separator: " ")
  let source = ["okaz", "riyadh", "sabq"][next() % 3]
  return
    "{\"id\": \"d\(i)\", \"title\": \"\(title)\", \"body\": \"\(words.joined(separator: " "))\", \"source\": \"\(source)\"}"
}

let fixture: Fixture = {
  let root = "/tmp/fahras-fuzz-segment-\(getpid())"
  let corpus = root + "/corpus"
  let dir = root + "/index"
  _ = system("rm -rf '\(root)' && mkdir -p '\(corpus)'")
  var rng: UInt64 = 42
  var lines = (0..<600).map { makeCorpusLine($0, &rng) }
  writeBytes(corpus + "/docs.jsonl", Array((lines.joined(separator: "\n") + "\n").utf8))
  writeBytes(corpus + "/note.txt", Array("سلام عليكم\nوزير الدفاع في مدينة جدة\n".utf8))
  do {
    // The first commit's segment, the one damaged (it gets the deletes), is written with
    // `--compact`, so that long `$light` lists are derived too; the second commit's is not.
    var compact = FolderIndexer.Options()
    compact.compactLightLists = true
    _ = try FolderIndexer(corpus: corpus, index: dir, options: compact).run()
    lines.removeFirst(7)
    writeBytes(corpus + "/docs.jsonl", Array((lines.joined(separator: "\n") + "\n").utf8))
    writeBytes(corpus + "/more.txt", Array("the minister\nnorth korea economy train\n".utf8))
    _ = try FolderIndexer(corpus: corpus, index: dir).run()
  } catch {
    die("indexing failed: \(error)")
  }
  let found: Manifest
  do {
    guard let m = try Manifest.latest(in: dir).0 else { die("no manifest") }
    found = m
  } catch { die("\(error)") }
  guard let seg = found.segments.first(where: { $0.deleteGeneration > 0 }) ?? found.segments.first
  else {
    die("no segment")
  }
  var paths: [String: String] = [:]
  for k in ["meta", "dict", "post", "pos", "norm", "store"] { paths[k] = "\(dir)/\(seg.name).\(k)" }
  paths["del"] = seg.deleteGeneration > 0 ? "\(dir)/\(seg.name)_\(seg.deleteGeneration).del" : nil
  paths["manifest"] = "\(dir)/\(Manifest.fileName(found.generation))"
  paths["ingest"] = "\(dir)/\(found.userData)"
  var files: [String: [UInt8]] = [:]
  for (k, p) in paths { files[k] = readBytes(p) }
  return Fixture(dir: dir, files: files, paths: paths)
}()

/// `body` wrapped in the envelope of `original` (same kind and segment id), with a valid CRC32C.
func wrap(_ body: UnsafeRawBufferPointer, like original: [UInt8]) -> [UInt8] {
  var out = Array(original[0..<28])
  out += body
  out += Array("SRHF".utf8)
  let crc = out.withUnsafeBytes { CRC32C.checksum($0) }
  withUnsafeBytes(of: crc.littleEndian) { out += $0 }
  return out
}

let queries = [
  "سلام", "وزير الدفاع", "+سلام +the", "\"وزير الدفاع\"", "كو*", "minster~1", "title:جدة",
  "source:okaz",
  "-سلام", "the -minister", "(سلام OR economy)^2 AND NOT train", "الدفاع korea river",
  "\"north korea\"~2",
]

/// Opens the index and reads it the way `kind`'s damage is most likely to be noticed: every input
/// opens and searches; dictionary, postings and positions damage also walks every posting list;
/// stored-document damage fetches documents; one input in four also runs `verifyDeep`.
func exercise(_ dir: String, kind: String, salt: Int) {
  guard let reader = try? IndexReader.open(dir) else { return }
  let searcher = Searcher(reader: reader)
  for i in 0..<4 {
    let n = (salt &* 4 &+ i) % queries.count
    var o = SearchOptions()
    o.k = 5
    o.mode = n % 3 == 0 ? .both : (n % 3 == 1 ? .top : .count)
    o.explain = n % 4 == 0
    if let r = try? searcher.search(queries[n], options: o) {
      for h in r.hits { _ = h.snippet }
    }
  }
  for seg in reader.segments {
    if salt % 4 == 0 { _ = try? seg.verifyDeep() }
    if kind == "store" {
      for d in stride(from: salt % 7, to: min(seg.maxDoc, 400), by: 29) { _ = try? seg.document(d) }
    }
    guard kind == "dict" || kind == "post" || kind == "pos" || kind == "norm" else { continue }
    guard var it = try? seg.dictionary.iterator(from: [0]) else { continue }
    var terms = 0
    while terms < 3000, (try? it.next()) == true {
      terms += 1
      guard it.key.count > 0, it.field < seg.meta.fields.count else { continue }
      let c = seg.cursor(field: seg.meta.fields[it.field], info: it.info)
      var n = 0
      while n < 1000 {
        let d = terms % 2 == 0 ? c.nextDoc() : c.advance(to: c.doc &+ 3)
        if d == PostingsCursor.noMore { break }
        _ = c.freq
        if n % 8 == 0 { _ = c.positions().count }
        if n % 16 == 0 { _ = c.shallowAdvance(to: d &+ 200) }
        n += 1
      }
      if terms % 16 == 0 {
        _ = try? seg.postings(field: seg.meta.fields[it.field].name, term: it.term)
      }
    }
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let f = fixture
  guard size >= 1 else { return 0 }
  let kind = kinds[Int(data[0]) % kinds.count]
  let raw = (Int(data[0]) / kinds.count) % 2 == 1
  guard let path = f.paths[kind], let original = f.files[kind] else { return 0 }
  let body = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
  writeBytes(path, raw ? Array(body) : wrap(body, like: original))
  if kind == "ingest" {
    _ = try? IngestState.load(indexDirectory: f.dir, name: String(path.split(separator: "/").last!))
  } else {
    exercise(f.dir, kind: kind, salt: size &+ Int(data[size / 2]))
  }
  writeBytes(path, original)
  return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(
  _ argc: UnsafeMutablePointer<Int32>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>
) -> Int32 {
  let f = fixture
  if let out = getenv("FAHRAS_FUZZ_WRITE_SEEDS") {
    let dir = String(cString: out)
    for (i, k) in kinds.enumerated() {
      guard let bytes = f.files[k], bytes.count >= 36 else { continue }
      writeBytes("\(dir)/\(k)", [UInt8(i)] + bytes[28..<(bytes.count - 8)])
    }
    exit(0)
  }
  return 0
}
