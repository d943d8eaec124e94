import FahrasIndex
import FahrasQuery
import FahrasSearch

enum SearchCommand {
  static func options(_ args: ParsedArguments, defaultK: Int = 10) throws -> SearchOptions {
    var o = SearchOptions()
    o.k = try args.int("k", default: defaultK, range: 1...100_000)
    o.defaultOperator = args.has("and") ? .and : .or
    o.parameters = BM25Parameters(
      k1: try args.float("k1", default: 1.2), b: try args.float("b", default: 0.75))
    guard o.parameters.b <= 1 else { throw UsageError(message: "--b must be between 0 and 1") }
    o.explain = args.has("explain")
    o.snippets = !args.has("no-snippets")
    return o
  }

  static func run(_ args: ParsedArguments, _ console: Console) throws -> Int32 {
    let format = args.value("format") ?? "text"
    guard ["text", "json", "trec"].contains(format) else {
      throw UsageError(message: "--format must be text, json or trec", command: "search")
    }
    if let file = args.value("queries") {
      guard args.positionals.isEmpty else {
        throw UsageError(message: "give either QUERY or --queries", command: "search")
      }
      var o = try options(args, defaultK: 1000)
      o.snippets = format != "trec" && o.snippets
      o.idsOnly = format == "trec"
      o.mode = .top
      return try batch(
        file: file, format: format, options: o, strict: args.has("strict"),
        index: indexPath(args), console: console)
    }
    guard !args.positionals.isEmpty else {
      throw UsageError(message: "search needs a QUERY", command: "search")
    }
    let query = args.positionals.joined(separator: " ")
    var o = try options(args)
    if format == "trec" {
      o.snippets = false
      o.idsOnly = true
    }
    let searcher = try openSearcher(indexPath(args))
    let result = try searcher.search(query, options: o)
    switch format {
    case "json": console.line(ResultPrinter.json(result, explain: o.explain))
    case "trec": if !result.hits.isEmpty { console.line(ResultPrinter.trec(result, qid: "1")) }
    default: console.out(ResultPrinter.text(result, console: console))
    }
    return 0
  }

  /// Runs every line of `file`; a line that does not parse is searched as its plain words
  /// (`QueryParser.plainWords`) with a warning, unless `strict`.
  static func batch(
    file: String, format: String, options: SearchOptions, strict: Bool, index: String,
    console: Console
  ) throws -> Int32 {
    let searcher = try openSearcher(index)
    let lines = try readLines(file)
    var failures = 0
    for (n, line) in lines.enumerated() {
      let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
      let (qid, q) = parts.count == 2 ? (String(parts[0]), String(parts[1])) : (String(n + 1), line)
      do {
        let r: SearchResult
        do {
          r = try searcher.search(q, options: options)
        } catch let e {
          // A damaged index is not a query problem; --strict reports syntax errors as they are.
          if strict { throw e }
          if case .corrupt = e { throw e }
          let plain = QueryParser.plainWords(q)
          r = try searcher.search(plain, options: options)
          console.err(
            "fahras: \(file):\(n + 1) (query \(qid)): \(e); searched as plain words: \(plain)")
        }
        switch format {
        case "json": console.line(ResultPrinter.json(r, explain: options.explain))
        case "trec": if !r.hits.isEmpty { console.line(ResultPrinter.trec(r, qid: qid)) }
        default:
          console.line(console.bold("# \(qid): \(q)"))
          console.out(ResultPrinter.text(r, console: console))
        }
      } catch {
        failures += 1
        console.err("fahras: \(file):\(n + 1) (query \(qid)): \(error)")
      }
    }
    return failures == 0 ? 0 : 1
  }
}

/// Non-empty lines of a UTF-8 text file.
func readLines(_ path: String) throws -> [String] {
  let bytes = try FileSystemAccess.read(path)
  return String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }
  )
  .map { String($0).trimmingCharacters() }.filter { !$0.isEmpty }
}

extension String {
  func trimmingCharacters() -> String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\r" || f == "\t" { s.removeFirst() }
    while let l = s.last, l == " " || l == "\r" || l == "\t" { s.removeLast() }
    return String(s)
  }
}
