import Testing

@testable import FahrasIngest

@Suite("Document readers")
struct DocumentReaderTests {
  // MARK: Dispatch

  @Test func supportedExtensions() {
    for path in [
      "a.txt", "b.md", "c.markdown", "d.html", "e.htm", "f.jsonl", "g.ndjson", "h.json",
      "dir/sub/A.TXT",
      "X.Md", "y.HTM", "z.JsonL", "with.dots.in.name.json", "مجلد/ملف.txt",
    ] {
      #expect(DocumentReader.isSupported(path: path), "\(path)")
    }
    for path in [
      "a.bin", "txt", "a.txt.bak", "a.", ".txt", "dir/.md", "folder.txt/file", "a.jsonx", "a.tx",
      "noext", "",
    ] {
      #expect(!DocumentReader.isSupported(path: path), "\(path)")
    }
    #expect(DocumentReader.format(ofPath: "a/b.MARKDOWN") == .markdown)
    #expect(DocumentReader.format(ofPath: "x.ndjson") == .jsonLines)
  }

  @Test func unsupportedFileIsSkipped() {
    let outcome = read("hello", path: "a.bin")
    #expect(outcome.documents.isEmpty)
    #expect(outcome.skipped == [SkippedInput(path: "a.bin", reason: "unsupported file type")])
  }

  // MARK: Plain text and Markdown

  @Test func plainTextTitleIsFirstNonEmptyLine() {
    let outcome = read("\n  \n  Title line  \n\n\n   Body line 1\nBody 2\n\n", path: "notes/a.txt")
    #expect(
      outcome.documents == [
        SourceDocument(
          id: "notes/a.txt", path: "notes/a.txt", title: "Title line",
          body: "   Body line 1\nBody 2")
      ])
    #expect(outcome.skipped.isEmpty)
  }

  @Test func plainTextEdgeCases() {
    #expect(read("Only a title", path: "t.txt").documents.first?.title == "Only a title")
    #expect(read("Only a title", path: "t.txt").documents.first?.body == "")
    let crlf = read("Title\r\n\r\nBody\r\nmore\r\n", path: "t.txt").documents.first
    #expect(crlf?.title == "Title")
    #expect(crlf?.body == "Body\r\nmore")
    #expect(
      read("# not markdown here", path: "t.txt").documents.first?.title == "# not markdown here")
  }

  @Test func arabicPlainText() {
    let text = "بسم الله\n\nهذا نص عربي طويل.\nسطر ثانٍ مع تشكيل: ٱلْعَرَبِيَّة"
    let doc = read(text, path: "ar/نص.txt").documents.first
    #expect(doc?.title == "بسم الله")
    #expect(doc?.body == "هذا نص عربي طويل.\nسطر ثانٍ مع تشكيل: ٱلْعَرَبِيَّة")
    #expect(doc?.id == "ar/نص.txt")
  }

  @Test func markdownHeadings() {
    func title(_ text: String) -> String? { read(text, path: "x.md").documents.first?.title }
    #expect(title("# Heading\n\ntext") == "Heading")
    #expect(title("  ### Heading with closing ###  \n") == "Heading with closing")
    #expect(title("## Learn C#") == "Learn C#")
    #expect(title("# # #") == "#", "a closing run is only removed after a space")
    #expect(title("#hashtag is not a heading") == "#hashtag is not a heading")
    #expect(title("####### seven is not a heading") == "####### seven is not a heading")
    #expect(title("#\n\n# \nReal title\nbody") == "Real title", "marker-only lines are skipped")
    #expect(title("# عنوان عربي #\nنص") == "عنوان عربي")
    let doc = read("# Heading\n\n\nFirst paragraph.\n\n## Section\nMore.", path: "x.markdown")
      .documents.first
    #expect(doc?.body == "First paragraph.\n\n## Section\nMore.")
  }

  @Test func markdownSetextUnderlineIsDropped() {
    let doc = read("Title\n=====\n\nBody text", path: "x.md").documents.first
    #expect(doc?.title == "Title")
    #expect(doc?.body == "Body text")
    let h2 = read("Sub\n---\nBody", path: "x.md").documents.first
    #expect(h2?.title == "Sub")
    #expect(h2?.body == "Body")
  }

  // MARK: HTML

  @Test func htmlDocument() {
    let outcome = read(
      "<html><head><title>عنوان الصفحة</title></head><body><p>مرحبا &amp; أهلا</p><p>Second</p></body></html>",
      path: "web/page.html")
    #expect(
      outcome.documents == [
        SourceDocument(
          id: "web/page.html", path: "web/page.html", title: "عنوان الصفحة",
          body: "مرحبا & أهلا\nSecond")
      ])
  }

  @Test func htmlWithoutTextIsSkipped() {
    let outcome = read(
      "<html><head><script>x()</script></head><body><img src=a.png></body></html>", path: "p.htm")
    #expect(outcome.documents.isEmpty)
    #expect(outcome.skipped == [SkippedInput(path: "p.htm", reason: "no title or body")])
  }

  // MARK: JSON Lines

  @Test func jsonLinesFieldsAndIDs() {
    let text = """
      {"id": "doc-1", "title": " الفهرس ", "body": "نص عربي", "source": "wiki", "url": "https://x.org", "date": "2024-01-02"}
      {"id": 42, "title": "Numeric id", "text": "t", "rank": 3.5, "draft": false, "tags": ["a"], "meta": {"k": 1}, "none": null}

      {"title": "No id", "contents": "c", "content": "not chosen", "text": "also not chosen"}
      {"id": "", "title": "Empty id", "body": 7}
      """
    let outcome = read(text, path: "data/docs.jsonl")
    #expect(outcome.skipped.isEmpty)
    #expect(
      outcome.documents == [
        SourceDocument(
          id: "doc-1", path: "data/docs.jsonl", title: "الفهرس", body: "نص عربي",
          fields: [("source", "wiki"), ("url", "https://x.org"), ("date", "2024-01-02")]),
        SourceDocument(
          id: "42", path: "data/docs.jsonl", title: "Numeric id", body: "t",
          fields: [("rank", "3.5"), ("draft", "false")]),
        SourceDocument(
          id: "data/docs.jsonl#L4", path: "data/docs.jsonl", title: "No id", body: "c",
          fields: [("content", "not chosen"), ("text", "also not chosen")]),
        SourceDocument(
          id: "data/docs.jsonl#L5", path: "data/docs.jsonl", title: "Empty id", body: "7"),
      ])
    #expect(outcome.documents.first?.field("url") == "https://x.org")
  }

  @Test func idKeyPriorityAndCollectionFormats() {
    func doc(_ line: String) -> SourceDocument? { read(line, path: "c.jsonl").documents.first }
    // BEIR (`_id`, `title`, `text`), TREC-style `docno`, and the others.
    #expect(doc(#"{"_id": "MED-10", "title": "t", "text": "x"}"#)?.id == "MED-10")
    #expect(doc(#"{"docno": "FT911-3", "text": "x"}"#)?.id == "FT911-3")
    #expect(doc(#"{"docid": 7, "text": "x"}"#)?.id == "7")
    #expect(doc(#"{"doc_id": "d", "text": "x"}"#)?.id == "d")
    // `id` first; an empty or non-scalar one gives way to the next name.
    let both = doc(#"{"_id": "second", "id": "first", "text": "x"}"#)
    #expect(both?.id == "first")
    #expect(both?.field("_id") == "second", "the id names not chosen stay searchable fields")
    #expect(doc(#"{"id": "", "_id": "next", "text": "x"}"#)?.id == "next")
    #expect(doc(#"{"id": {"k": 1}, "docno": "next", "text": "x"}"#)?.id == "next")
    #expect(doc(#"{"id": "a", "text": "x"}"#)?.fields.isEmpty == true)
    #expect(doc(#"{"ID": "upper", "text": "x"}"#)?.id == "c.jsonl#L1", "names are case-sensitive")
  }

  @Test func bodyKeyPriority() {
    func body(_ line: String) -> String? { read(line, path: "a.jsonl").documents.first?.body }
    #expect(body(#"{"text": "4", "content": "3", "contents": "2", "body": "1"}"#) == "1")
    #expect(body(#"{"text": "4", "content": "3", "contents": "2"}"#) == "2")
    #expect(body(#"{"text": "4", "content": "3"}"#) == "3")
    #expect(body(#"{"text": "4"}"#) == "4")
    #expect(body(#"{"body": null, "text": "fallback"}"#) == "fallback")
    #expect(body(#"{"body": {"nested": 1}, "content": "scalar wins"}"#) == "scalar wins")
    #expect(body(#"{"title": "t", "body": "first", "body": "last"}"#) == "last")
  }

  @Test func brokenLineIsSkippedAndOthersKept() {
    let text =
      "{\"title\": \"one\"}\n{\"title\": \"two\",, }\r\n\n{\"title\": \"three\"}\r\n[1, 2]\n{\"id\": 5}\n"
    let outcome = read(text, path: "x.ndjson")
    #expect(outcome.documents.map(\.title) == ["one", "three"])
    #expect(outcome.documents.map(\.id) == ["x.ndjson#L1", "x.ndjson#L4"])
    #expect(
      outcome.skipped == [
        SkippedInput(
          path: "x.ndjson", line: 2,
          reason: "invalid JSON at column 17: expected '\"' starting a key, found ','"),
        SkippedInput(path: "x.ndjson", line: 5, reason: "expected a JSON object, found array"),
        SkippedInput(path: "x.ndjson", line: 6, reason: "no title or body"),
      ])
  }

  @Test func jsonLinesWithInvalidUTF8LineKeepsTheRest() {
    var bytes = Array("{\"title\": \"ok\"}\n{\"title\": \"".utf8)
    let badOffset = bytes.count
    bytes += [0xD9, 0x22, 0x7D, 0x0A]  // truncated Arabic letter, then "}
    bytes += Array("{\"title\": \"also ok\"}".utf8)
    let outcome = read(bytes, path: "x.jsonl")
    #expect(outcome.documents.map(\.title) == ["ok", "also ok"])
    #expect(
      outcome.skipped == [
        SkippedInput(path: "x.jsonl", line: 2, reason: "invalid UTF-8 at byte \(badOffset)")
      ])
  }

  // MARK: JSON

  @Test func jsonSingleObject() {
    let outcome = read(
      #"{"title": "كتاب", "body": "محتوى", "author": "ابن خلدون", "year": 1377}"#,
      path: "books/k.json")
    #expect(
      outcome.documents == [
        SourceDocument(
          id: "books/k.json", path: "books/k.json", title: "كتاب", body: "محتوى",
          fields: [("author", "ابن خلدون"), ("year", "1377")])
      ])
  }

  @Test func jsonArrayOfObjects() {
    let text = """
      [
        {"id": "a", "title": "First"},
        {"title": "Second", "text": "body"},
        "not an object",
        {"summary": "no title or body"}
      ]
      """
    let outcome = read(text, path: "list.json")
    #expect(outcome.documents.map(\.id) == ["a", "list.json#1"])
    #expect(outcome.documents.map(\.body) == ["", "body"])
    #expect(
      outcome.skipped == [
        SkippedInput(path: "list.json", reason: "element 2: expected a JSON object, found string"),
        SkippedInput(path: "list.json", reason: "element 3: no title or body"),
      ])
  }

  @Test func jsonErrorsAreReported() {
    #expect(
      read("{\n  \"title\": \"x\"\n  \"body\": 1\n}", path: "e.json").skipped == [
        SkippedInput(
          path: "e.json", line: 3,
          reason: "invalid JSON at byte 19: expected ',' or '}', found '\"'")
      ])
    #expect(
      read("42", path: "n.json").skipped == [
        SkippedInput(
          path: "n.json", reason: "expected a JSON object or an array of objects, found number")
      ])
    #expect(
      read("[]", path: "a.json").skipped == [SkippedInput(path: "a.json", reason: "empty array")])
    let badUTF8 = read(Array("{\"title\": \"".utf8) + [0xFF, 0x22, 0x7D], path: "u.json")
    #expect(
      badUTF8.skipped == [SkippedInput(path: "u.json", line: 1, reason: "invalid UTF-8 at byte 11")]
    )
  }

  // MARK: Bad input

  @Test func binaryFilesAreSkipped() {
    for path in ["b.txt", "b.html", "b.json"] {
      let outcome = read(Array("hello".utf8) + [0, 1, 2], path: path)
      #expect(outcome.documents.isEmpty)
      #expect(
        outcome.skipped == [SkippedInput(path: path, reason: "binary file (NUL byte at offset 5)")])
    }
  }

  /// In JSON Lines only the line with binary data is lost, not the whole file.
  @Test func nulByteSkipsOnlyItsJSONLine() {
    let text =
      Array("{\"id\": \"a\", \"body\": \"x\"}\n{\"id\": \"b\", \"body\": \"".utf8) + [0]
      + Array("\"}\n{\"id\": \"c\", \"body\": \"z\"}\n".utf8)
    let outcome = read(text, path: "b.jsonl")
    #expect(outcome.documents.map(\.id) == ["a", "c"])
    #expect(
      outcome.skipped == [
        SkippedInput(path: "b.jsonl", line: 2, reason: "NUL byte in the line (binary data)")
      ])
  }

  @Test func invalidUTF8IsSkipped() {
    let bytes: [UInt8] = Array("Title\nBody ".utf8) + [0xC3, 0x28]
    #expect(
      read(bytes, path: "x.txt").skipped == [
        SkippedInput(path: "x.txt", reason: "invalid UTF-8 at byte 11")
      ])
    #expect(
      read([0xEF, 0xBB, 0xBF, 0x61, 0xFF], path: "x.md").skipped.first?.reason
        == "invalid UTF-8 at byte 4")
    #expect(
      read([0x3C, 0x70, 0x3E, 0xED, 0xA0, 0x80], path: "x.html").skipped.first?.reason
        == "invalid UTF-8 at byte 3")
  }

  @Test func byteOrderMarkIsStripped() {
    let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    #expect(read(bom + Array("عنوان\nنص".utf8), path: "b.txt").documents.first?.title == "عنوان")
    #expect(
      read(bom + Array("{\"title\": \"t\"}".utf8), path: "b.json").documents.first?.title == "t")
    #expect(
      read(bom + Array("{\"title\": \"t\"}\n".utf8), path: "b.jsonl").documents.first?.title == "t")
    #expect(
      read(bom + Array("<title>t</title>".utf8), path: "b.html").documents.first?.title == "t")
    #expect(read(bom, path: "b.txt").skipped.first?.reason == "empty")
  }

  @Test func emptyFilesAreSkipped() {
    for path in ["e.txt", "e.md", "e.html", "e.jsonl", "e.json"] {
      #expect(read("", path: path).skipped == [SkippedInput(path: path, reason: "empty")])
      #expect(read(" \n\t\r\n ", path: path).skipped == [SkippedInput(path: path, reason: "empty")])
    }
  }

  @Test func randomBytesNeverTrap() {
    var rng = SplitMix64(seed: 0xB17E5)
    let seeds = [
      "{\"id\": 1, \"title\": \"ت\", \"body\": \"x\\u0645\"}\n", "<p>a &amp; <b>b</b></p>",
      "# T\n\nbody\n",
    ]
    for round in 0..<600 {
      var bytes = Array(seeds[round % seeds.count].utf8)
      for _ in 0..<Int(rng.next() % 6) { JSONGenerator.mutate(&bytes, &rng) }
      for path in ["r.txt", "r.md", "r.html", "r.jsonl", "r.json"] {
        let outcome = read(bytes, path: path)
        #expect(outcome.documents.count + outcome.skipped.count >= 1)
        for doc in outcome.documents { #expect(!doc.title.isEmpty || !doc.body.isEmpty) }
      }
    }
  }
}

@Suite("UTF-8 validation")
struct UTF8ValidatorTests {
  @Test func acceptsValidText() {
    for text in [
      "", "ascii only, longer than eight bytes", "مرحبا بالعالم", "中文", "😀𝄞", "\u{10FFFF}\u{FFFD}",
    ] {
      #expect(Array(text.utf8).withUnsafeBytes { UTF8Validator.firstInvalidOffset(in: $0) } == nil)
    }
  }

  @Test func findsTheFirstBadByte() {
    let cases: [([UInt8], Int)] = [
      ([0x80], 0), ([0x61, 0x62, 0xC0, 0x80], 2), ([0xC1, 0xBF], 0), ([0xE0, 0x80, 0x80], 0),
      ([0xED, 0xA0, 0x80], 0), ([0xF0, 0x80, 0x80, 0x80], 0), ([0xF4, 0x90, 0x80, 0x80], 0),
      ([0xF5], 0),
      (Array("12345678".utf8) + [0xD9], 8), (Array("abc".utf8) + [0xE4, 0xB8], 3),
      ([0xD9, 0x85, 0xFF], 2),
    ]
    for (bytes, offset) in cases {
      #expect(
        bytes.withUnsafeBytes { UTF8Validator.firstInvalidOffset(in: $0) } == offset, "\(bytes)")
    }
  }

  @Test func agreesWithTheStandardLibraryOnRandomBytes() {
    var rng = SplitMix64(seed: 0x0717_F008)
    let pool: [UInt8] = [
      0x00, 0x41, 0x7F, 0x80, 0xBF, 0xC2, 0xD9, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF,
      0xA0, 0x9F, 0x8F, 0x90,
    ]
    for _ in 0..<5000 {
      let bytes = (0..<Int(rng.next() % 20)).map { _ in pool[Int(rng.next() % UInt64(pool.count))] }
      let ours = bytes.withUnsafeBytes { UTF8Validator.isValid($0) }
      #expect(ours == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
    }
  }
}
