/// Every command's declaration (usage, options, examples): the single source of `--help` text.
enum Commands {
  static let index = CommandSpec(
    name: "index", summary: "Index a folder of documents (incrementally).",
    usage:
      "fahras index CORPUS_DIR [--index INDEX_DIR] [--threads N] [--memory MB] [--commit-every N] [--compact] [--quiet] [--json]",
    options: [
      OptionSpec("index", value: "DIR", "index folder (default: CORPUS_DIR/.fahras)"),
      OptionSpec("threads", value: "N", "analysis threads (default: all cores)"),
      OptionSpec("memory", value: "MB", "indexing memory budget in MiB (default 512)"),
      OptionSpec("commit-every", value: "N", "also commit after every N documents"),
      OptionSpec(
        "compact",
        "a smaller index (about 9%) for slower single words (about 15%); see docs/FORMAT.md §8"),
      OptionSpec("quiet", "no progress line and no warnings"),
      OptionSpec("json", "print the summary as one JSON object"),
    ],
    examples: ["fahras index seeds", "fahras index ~/news --index /tmp/news.idx --threads 2"],
    details: """
      Reads .txt .md .html .htm .jsonl .ndjson .json files recursively (hidden folders are skipped).
      A second run indexes only new and changed files and removes documents of deleted files.
      """)

  static let search = CommandSpec(
    name: "search", summary: "Search an index.",
    usage:
      "fahras search [--index DIR] [--k 10] [--and] [--format text|json|trec] [--explain] QUERY\n       fahras search --index DIR --queries FILE.tsv [--k 1000] [--format trec] [--strict]",
    options: [
      OptionSpec("index", value: "DIR", "index folder (default: ./.fahras)"),
      OptionSpec("k", value: "N", "number of hits (default 10)"),
      OptionSpec("and", "terms are required by default (AND instead of OR)"),
      OptionSpec("format", value: "FMT", "text (default), json or trec"),
      OptionSpec("explain", "show each term's contribution to each score"),
      OptionSpec("queries", value: "FILE", "batch mode: lines 'qid<TAB>query'"),
      OptionSpec(
        "strict", "batch mode: reject a query that does not parse (default: search its plain words)"
      ),
      OptionSpec("k1", value: "X", "BM25 k1 (default 1.2)"),
      OptionSpec("b", value: "X", "BM25 b (default 0.75)"),
      OptionSpec("no-snippets", "do not compute snippets"),
    ],
    examples: [
      "fahras search --index seeds/.fahras 'كوريا الشمالية'",
      "fahras search --index seeds/.fahras --format json '\"وزير الدفاع\"'",
      "fahras search --index idx --queries topics.tsv --k 1000 --format trec > run.txt",
    ],
    details: """
      In batch mode a line that is not valid query syntax (an unclosed quote or parenthesis, an
      unknown field before ':', a dangling AND) is searched as its plain words, with a warning on
      standard error: topic files hold natural-language questions. --strict reports it and moves on.
      """)

  static let repl = CommandSpec(
    name: "repl", summary: "Interactive search shell (indexes CORPUS_DIR first if given).",
    usage: "fahras repl [CORPUS_DIR | --index DIR] [--k 10] [--and]",
    options: [
      OptionSpec("index", value: "DIR", "open this index instead of indexing a corpus"),
      OptionSpec("k", value: "N", "hits per query (default 10)"),
      OptionSpec("and", "start in AND mode"),
      OptionSpec("threads", value: "N", "indexing threads"),
      OptionSpec("quiet", "no indexing progress or warnings"),
    ],
    examples: ["fahras repl seeds", "echo 'كوريا' | fahras repl seeds"],
    details:
      "When standard input is not a terminal, reads one query per line and prints results plainly.")

  static let stats = CommandSpec(
    name: "stats", summary: "Describe an index.", usage: "fahras stats [--index DIR] [--json]",
    options: [
      OptionSpec("index", value: "DIR", "index folder (default: ./.fahras)"),
      OptionSpec("json", "print one JSON object"),
      OptionSpec("top", value: "N", "how many frequent terms to list (default 10)"),
    ],
    examples: ["fahras stats --index seeds/.fahras --json"])

  static let check = CommandSpec(
    name: "check", summary: "Verify every checksum and structural invariant of an index.",
    usage: "fahras check [--index DIR] [--json]",
    options: [
      OptionSpec("index", value: "DIR", "index folder (default: ./.fahras)"),
      OptionSpec("json", "print one JSON object"),
    ],
    examples: ["fahras check --index seeds/.fahras"],
    details: "Exits 0 when the index is sound, 1 naming each damaged file otherwise.")

  static let merge = CommandSpec(
    name: "merge", summary: "Merge segments (and drop deleted documents).",
    usage: "fahras merge [--index DIR] [--max-segments N] [--compact]",
    options: [
      OptionSpec("index", value: "DIR", "index folder (default: ./.fahras)"),
      OptionSpec("max-segments", value: "N", "merge down to at most N segments (default 1)"),
      OptionSpec("compact", "write the merged segment as `fahras index --compact` does"),
    ],
    examples: ["fahras merge --index seeds/.fahras --max-segments 1"])

  static let analyze = CommandSpec(
    name: "analyze", summary: "Show how text is tokenized and normalized.",
    usage: "fahras analyze [--json] TEXT",
    options: [
      OptionSpec("json", "one JSON array of {term, light, position, start, end, text, stopword}")
    ],
    examples: ["fahras analyze 'تعزیز التعاون'", "fahras analyze --json 'Café ٢٠٢٣'"],
    details: "start/end are offsets in Unicode scalars of TEXT; text is the original slice.")

  static let bench = CommandSpec(
    name: "bench", summary: "Measure query latency.",
    usage:
      "fahras bench --index DIR --queries FILE [--k 10] [--mode top|count|both] [--warmup N] [--iterations N] [--threads N] [--pruning maxscore|wand] [--json]",
    options: [
      OptionSpec("index", value: "DIR", "index folder"),
      OptionSpec("queries", value: "FILE", "one query per line, or 'class<TAB>query'"),
      OptionSpec("k", value: "N", "hits per query (default 10)"),
      OptionSpec(
        "mode", value: "MODE",
        "top (top-k with pruning), count (exact counts) or both (default top)"),
      OptionSpec("warmup", value: "N", "warm-up passes (default 1)"),
      OptionSpec(
        "iterations", value: "N", "measured passes, each in a new shuffled order (default 5)"),
      OptionSpec("threads", value: "N", "search threads; reports throughput too (default 1)"),
      OptionSpec("json", "print one JSON object"),
      OptionSpec("seed", value: "N", "shuffle seed (default 1)"),
      OptionSpec(
        "pruning", value: "ALGO",
        "disjunctions of several words: maxscore (block-max MaxScore, default) or wand (block-max WAND)"
      ),
    ],
    examples: ["fahras bench --index /tmp/sn.idx --queries queries.tsv --iterations 10"],
    details: """
      Per query the minimum and the median over passes; per class and overall: count, mean, p50, p90,
      p99 and max of the per-query minimum in microseconds, and queries per second (1e6 / mean).
      """)

  static let all: [CommandSpec] = [index, search, repl, stats, check, merge, analyze, bench]

  static var overview: String {
    var s = """
      fahras — full-text search, Arabic first.

      Usage: fahras COMMAND [OPTIONS]

      Commands:

      """
    for c in all {
      s += "  " + c.name + String(repeating: " ", count: 10 - c.name.count) + c.summary + "\n"
    }
    s += """
        help      Show help for a command (fahras help search).

      Start here:  swift run -c release fahras repl seeds

      """
    return s
  }
}
