import FahrasIndex
import FahrasIngest
import FahrasQuery
import FahrasSearch

#if canImport(Glibc)
  import Glibc
#endif

/// `fahras repl`: brings a corpus's index up to date, then answers queries. On a terminal it uses
/// the line editor with persistent history; otherwise it reads one query per line, prints results
/// plainly and exits 0 at end of input (how scripts and CI use it).
enum ReplCommand {
  static func run(_ args: ParsedArguments, _ console: Console) throws -> Int32 {
    let index: String
    if let i = args.value("index") {
      guard args.positionals.isEmpty else {
        throw UsageError(message: "give either CORPUS_DIR or --index", command: "repl")
      }
      index = i
    } else {
      guard args.positionals.count == 1 else {
        throw UsageError(message: "repl needs a CORPUS_DIR or --index DIR", command: "repl")
      }
      let corpus = args.positionals[0]
      index = FolderIndexer.defaultIndex(for: corpus)
      let threads = try args.int("threads", default: availableCores(), range: 1...256)
      let summary = try IndexCommand.indexFolder(
        corpus: corpus, index: index, threads: threads, memoryMB: 512, commitEvery: nil,
        quiet: args.has("quiet"),
        console: console)
      if !args.has("quiet") && (summary.added + summary.updated + summary.deleted > 0) {
        console.err(IndexCommand.summaryText(summary, index: index))
      }
    }
    var session = Session(searcher: try openSearcher(index), console: console)
    session.options.k = try args.int("k", default: 10, range: 1...10_000)
    session.options.defaultOperator = args.has("and") ? .and : .or
    let interactive = isatty(0) == 1
    if interactive {
      let docs = session.searcher.reader.documentCount
      console.line(
        console.dim(
          "fahras — \(docs) documents in \(index). Type a query, :help for commands, Ctrl-D to quit."
        ))
      console.flush()
      let home = getenv("HOME").map { String(cString: $0) }
      let reader = InteractiveLineReader(
        prompt: "فهرس> ", historyPath: home.map { "\($0)/.fahras_history" })
      loop: while true {
        switch reader.readLine() {
        case .endOfInput: break loop
        case .interrupted: continue
        case .line(let line):
          let trimmed = line.trimmingCharacters()
          if trimmed.isEmpty { continue }
          reader.addToHistory(trimmed)
          if !session.handle(trimmed) { break loop }
          console.flush()
        }
      }
      console.line()
    } else {
      while let line = Swift.readLine(strippingNewline: true) {
        let trimmed = line.trimmingCharacters()
        if trimmed.isEmpty { continue }
        if !session.handle(trimmed) { break }
        console.flush()
      }
    }
    return 0
  }
}

/// The state of one REPL session and its meta-commands.
struct Session {
  let searcher: Searcher
  let console: Console
  var options = SearchOptions()
  var lastQuery: String?
  var lastResult: SearchResult?

  init(searcher: Searcher, console: Console) {
    self.searcher = searcher
    self.console = console
    options.mode = .both
  }

  static let help = """
    Type a query to search. Syntax: words (OR by default), "a phrase", "sloppy phrase"~2, +required,
    -excluded, a AND b, a OR b, NOT a, (groups), prefix*, fuzzy~1, title:word, body:word, source:value,
    word^2 (boost).
    Commands:
      :help          this help
      :k N           show N hits per query
      :and / :or     make terms required (AND) or optional (OR) by default
      :fields        list searchable fields
      :explain N     why hit N of the last query scored what it did
      :show N        print the whole stored document of hit N
      :stats         index statistics
      :bench [N]     time the last query over N runs (default 20)
      :quit          leave (also Ctrl-D)
    """

  /// Handles one input line; returns false to end the session.
  mutating func handle(_ line: String) -> Bool {
    if line.hasPrefix(":") {
      let parts = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
      let arg = parts.count > 1 ? parts[1] : nil
      switch parts[0] {
      case ":quit", ":q", ":exit": return false
      case ":help", ":h", ":?": console.line(Session.help)
      case ":k":
        if let a = arg, let k = Int(a), k >= 1, k <= 10_000 {
          options.k = k
          console.line("showing \(k) hit\(k == 1 ? "" : "s") per query")
        } else {
          console.line("usage: :k N (1...10000)")
        }
      case ":and":
        options.defaultOperator = .and
        console.line("terms are now required by default (AND)")
      case ":or":
        options.defaultOperator = .or
        console.line("terms are now optional by default (OR)")
      case ":fields":
        console.line("fields: " + searcher.reader.fieldNames.joined(separator: ", "))
      case ":explain":
        withHit(arg) { hit in
          do {
            let ex = try searcher.explain(query: lastQuery!, hit: hit, options: options)
            console.out(
              "\(hit.rank). \(hit.title)\n"
                + ResultPrinter.explanationText(ex, total: hit.score, indent: "   "))
          } catch { console.line("error: \(error)") }
        }
      case ":show":
        withHit(arg) { hit in
          do {
            let d = try searcher.reader.segments[hit.segment].document(hit.doc)
            console.line(console.bold(d.title))
            console.line(console.dim("id: \(d.id)   path: \(d.path)"))
            for f in d.fields { console.line(console.dim("\(f.name): \(f.value)")) }
            console.line()
            console.line(d.body)
          } catch { console.line("error: \(error)") }
        }
      case ":stats":
        console.out(
          StatsCommand.text(StatsCommand.collect(searcher.reader, top: 10), console: console))
      case ":bench":
        guard let q = lastQuery else {
          console.line("run a query first; :bench times the last one")
          break
        }
        let n = arg.flatMap(Int.init).map { max(1, min($0, 100_000)) } ?? 20
        var o = options
        o.snippets = false
        var times: [Double] = []
        for _ in 0..<n {
          let t = now()
          _ = try? searcher.search(q, options: o)
          times.append((now() - t) * 1e6)
        }
        times.sort()
        let mean = times.reduce(0, +) / Double(n)
        console.line(
          "\(q): \(n) runs, min \(Int(times[0])) µs, median \(Int(times[n / 2])) µs, mean \(Int(mean)) µs, max \(Int(times[n - 1])) µs"
        )
      default:
        console.line("unknown command \(parts[0]); :help lists the commands")
      }
      return true
    }
    do {
      let r = try searcher.search(line, options: options)
      lastQuery = line
      lastResult = r
      console.out(ResultPrinter.text(r, console: console))
    } catch {
      console.line("error: \(error)")
    }
    return true
  }

  private func withHit(_ arg: String?, _ body: (SearchHit) -> Void) {
    guard let r = lastResult, lastQuery != nil else {
      console.line("run a query first")
      return
    }
    guard let a = arg, let n = Int(a), n >= 1, n <= r.hits.count else {
      console.line("usage: give a hit number between 1 and \(r.hits.count)")
      return
    }
    body(r.hits[n - 1])
  }
}
