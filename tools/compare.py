#!/usr/bin/env python3
"""Side-by-side indexing and query latency: Fahras vs tantivy (Python bindings) vs SQLite FTS5.

Usage::

    python3 tools/compare.py --corpus FILE.jsonl --queries FILE.tsv [--fahras PATH_TO_BINARY]
        [--k 10] [--iterations 5] [--workdir /tmp/fahras-compare] [--json OUT]

Engines
-------
* **Fahras**: ``fahras index CORPUS_DIR --index WORKDIR/fahras.idx --threads 1 --quiet --json`` (the
  corpus is symlinked alone into ``WORKDIR/corpus/``), then ``fahras bench --index ... --queries ...
  --k K --mode top --warmup 1 --iterations N --json``.  Latencies are the ones Fahras reports.
  Skipped (with a note) when no binary is found or it fails.
* **tantivy**: the newest ``tantivy`` package from PyPI, installed into ``tools/.venv`` on the first
  run (the script re-executes itself with that interpreter).  One writer thread.  Indexed with the
  default tokenizer and, when the bindings expose ``TextAnalyzerBuilder`` and ``Filter.stemmer``, a
  second time with ``simple -> remove_long(40) -> lowercase -> stemmer(<language>)``.
* **SQLite FTS5** (Python's ``sqlite3``): ``tokenize='unicode61 remove_diacritics 2'``, one
  transaction, then ``INSERT INTO t(t) VALUES('optimize')``; queries ``ORDER BY bm25(t) LIMIT k``.

Peers are indexed with ``title`` and ``body`` as searchable fields and the document id stored (not
the text unless ``--store-text``).  Their indexing time includes reading and parsing the JSONL
(shown separately as "JSONL parse" in the notes).  Query semantics: ``term``; ``and`` = every word
required (tantivy ``+a +b``, FTS5 ``"a" AND "b"``); ``or`` = any word; ``phrase`` = exact adjacent
words in one field; ranked by BM25, top k.  Each peer query is timed in-process with
``time.perf_counter_ns`` (query parsing + search + collecting the top-k doc addresses or rowids,
Python binding overhead included) for one warm-up pass and ``--iterations`` passes; a query's latency
is its fastest pass, and each class reports the mean and p50 of those.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field

TOOLS_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.path.dirname(TOOLS_DIR)
VENV_DIR = os.path.join(TOOLS_DIR, ".venv")
CLASS_ORDER = ("term", "and", "or", "phrase")
_REEXEC_FLAG = "FAHRAS_COMPARE_VENV"


# --------------------------------------------------------------------------------------------
# Environment
# --------------------------------------------------------------------------------------------


def ensure_venv(argv: list[str]) -> None:
    """Create tools/.venv with tantivy on first use and re-execute this script inside it.

    Does nothing when already running in the venv or when re-execution was already attempted.
    Failures are reported and the script continues without tantivy.
    """
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV_DIR) or os.environ.get(_REEXEC_FLAG):
        return
    py = os.path.join(VENV_DIR, "bin", "python")
    try:
        if not os.path.exists(py):
            print(f"compare: creating {VENV_DIR}", file=sys.stderr)
            subprocess.run([sys.executable, "-m", "venv", VENV_DIR], check=True)
        probe = subprocess.run([py, "-c", "import tantivy"], capture_output=True)
        if probe.returncode != 0:
            print("compare: installing tantivy into the venv (pip install --upgrade tantivy)", file=sys.stderr)
            subprocess.run([py, "-m", "pip", "install", "--quiet", "--upgrade", "pip", "tantivy"], check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"compare: could not prepare {VENV_DIR} ({e}); continuing without it", file=sys.stderr)
        os.environ[_REEXEC_FLAG] = "failed"
        return
    env = dict(os.environ, **{_REEXEC_FLAG: "1"})
    os.execve(py, [py, os.path.abspath(__file__)] + argv, env)


def import_tantivy():
    """The tantivy module, or None."""
    try:
        import tantivy  # type: ignore

        return tantivy
    except ImportError:
        return None


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


@dataclass
class Clause:
    """One query clause: a word or a phrase, required (``+``) or optional."""

    words: list[str]
    required: bool


@dataclass
class Query:
    """A benchmark query line."""

    cls: str
    text: str
    clauses: list[Clause] = field(default_factory=list)


def parse_query(text: str) -> list[Clause]:
    """Parse the TSV query syntax: ``word``, ``+word``, ``"a b"``, ``+"a b"``."""
    clauses = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        required = text[i] == "+"
        if required:
            i += 1
        if i < n and text[i] == '"':
            j = text.find('"', i + 1)
            j = n if j < 0 else j
            words = text[i + 1 : j].split()
            i = j + 1
        else:
            j = i
            while j < n and not text[j].isspace():
                j += 1
            words = [text[i:j]]
            i = j
        if words and words[0]:
            clauses.append(Clause(words, required))
    return clauses


def read_queries(path: str) -> list[Query]:
    """Queries from a ``class<TAB>query`` file (blank lines and ``#`` comments ignored)."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cls, _, text = line.partition("\t")
            if not text:
                cls, text = "query", cls
            q = Query(cls.strip(), text.strip())
            q.clauses = parse_query(q.text)
            if q.clauses:
                out.append(q)
    if not out:
        raise SystemExit(f"compare: no queries in {path}")
    return out


def iter_corpus(path: str):
    """Yield (id, title, body) for each JSON line of the corpus."""
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f):
            if not line.strip():
                continue
            d = json.loads(line)
            title = d.get("title") or ""
            body = d.get("body") or ""
            yield str(d.get("id", n)), title if isinstance(title, str) else "", body if isinstance(body, str) else ""


def detect_language(path: str, sample: int = 300) -> str:
    """'arabic' or 'english', from the letters of the first documents."""
    ar = la = 0
    for i, (_, title, body) in enumerate(iter_corpus(path)):
        text = title + body[:2000]
        ar += sum(1 for ch in text if "\u0621" <= ch <= "\u064a")
        la += sum(1 for ch in text if ch.isascii() and ch.isalpha())
        if i >= sample:
            break
    return "arabic" if ar >= la else "english"


def dir_size(path: str) -> int:
    """Total bytes of the files under ``path`` (or the file itself)."""
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total


# --------------------------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------------------------


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, math.ceil(p * len(sorted_values)) - 1))
    return sorted_values[k]


def summarize(latencies_us: list[float]) -> dict:
    """n, mean, p50, p90, p99, max (µs) and qps of per-query latencies."""
    v = sorted(latencies_us)
    if not v:
        return {"n": 0}
    mean = sum(v) / len(v)
    return {
        "n": len(v),
        "mean_us": mean,
        "p50_us": percentile(v, 0.50),
        "p90_us": percentile(v, 0.90),
        "p99_us": percentile(v, 0.99),
        "max_us": v[-1],
        "qps": 1e6 / mean if mean > 0 else float("inf"),
    }


def time_queries(run, queries: list[Query], iterations: int) -> tuple[dict, int, int]:
    """Run ``run(query) -> hit count`` once as warm-up and ``iterations`` timed passes.

    Returns (per-class summaries including "all", queries with zero hits, queries that failed).
    """
    best = [math.inf] * len(queries)
    zero = failed = 0
    ok = [True] * len(queries)
    for i, q in enumerate(queries):
        try:
            if run(q) == 0:
                zero += 1
        except Exception as e:  # a query the engine rejects is reported, not fatal
            ok[i] = False
            failed += 1
            if failed <= 3:
                print(f"compare:   query failed: {q.cls} {q.text!r}: {e}", file=sys.stderr)
    clock = time.perf_counter_ns
    for _ in range(iterations):
        for i, q in enumerate(queries):
            if not ok[i]:
                continue
            t0 = clock()
            run(q)
            dt = clock() - t0
            if dt < best[i]:
                best[i] = dt
    by_class: dict[str, list[float]] = {}
    for q, b, good in zip(queries, best, ok):
        if good:
            by_class.setdefault(q.cls, []).append(b / 1000.0)
    out = {cls: summarize(v) for cls, v in by_class.items()}
    out["all"] = summarize([x for v in by_class.values() for x in v])
    return out, zero, failed


@dataclass
class EngineResult:
    """One row of the comparison."""

    name: str
    index_seconds: float | None = None
    index_bytes: int | None = None
    classes: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    zero_hit_queries: int | None = None
    failed_queries: int | None = None
    extra: dict = field(default_factory=dict)
    error: str | None = None


# --------------------------------------------------------------------------------------------
# tantivy
# --------------------------------------------------------------------------------------------


def tantivy_version(tantivy) -> str:
    """Version of the installed Python package (falls back to the module's version string)."""
    try:
        from importlib.metadata import version

        return version("tantivy")
    except Exception:
        return str(getattr(tantivy, "__version__", "?"))


def tantivy_stemmer_available(tantivy) -> bool:
    """Whether the bindings can build a custom analyzer with a stemmer filter."""
    return all(hasattr(tantivy, n) for n in ("TextAnalyzerBuilder", "Tokenizer", "Filter")) and hasattr(
        tantivy.Filter, "stemmer"
    )


def run_tantivy(tantivy, args, queries: list[Query], stem_language: str | None) -> EngineResult:
    """Index the corpus with tantivy (optionally stemmed) and time the queries."""
    name = f"tantivy {tantivy_version(tantivy)}"
    name += f" stem:{stem_language}" if stem_language else " default"
    res = EngineResult(name)
    path = os.path.join(args.workdir, "tantivy-stem" if stem_language else "tantivy")
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    tok = "default"
    analyzer = None
    if stem_language:
        tok = "fahras_stem"
        analyzer = (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.stemmer(stem_language))
            .build()
        )
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("title", stored=args.store_text, tokenizer_name=tok)
    sb.add_text_field("body", stored=args.store_text, tokenizer_name=tok)
    schema = sb.build()
    print(f"compare: {name}: indexing", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    index = tantivy.Index(schema, path=path)
    if analyzer is not None:
        index.register_tokenizer(tok, analyzer)
    writer = index.writer(heap_size=args.tantivy_heap_mb * 1_000_000, num_threads=1)
    Document = tantivy.Document
    docs = 0
    for doc_id, title, body in iter_corpus(args.corpus):
        writer.add_document(Document(id=doc_id, title=title, body=body))
        docs += 1
    writer.commit()
    writer.wait_merging_threads()
    res.index_seconds = time.perf_counter() - t0
    index.reload()
    res.index_bytes = dir_size(path)
    searcher = index.searcher()
    res.extra["documents"] = searcher.num_docs
    res.extra["segments"] = searcher.num_segments
    res.notes.append(
        f"{name}: tokenizer {'simple+remove_long+lowercase+stemmer(' + stem_language + ')' if stem_language else 'default (simple+remove_long+lowercase)'}, "
        f"1 writer thread, heap {args.tantivy_heap_mb} MB, {searcher.num_segments} segment(s) after merging"
    )
    fields = ["title", "body"]
    k = args.k
    parse = index.parse_query
    search = searcher.search

    def run(q: Query) -> int:
        return len(search(parse(q.text, fields), k, count=False).hits)

    print(f"compare: {name}: {docs} docs in {res.index_seconds:.1f}s; timing queries", file=sys.stderr, flush=True)
    res.classes, res.zero_hit_queries, res.failed_queries = time_queries(run, queries, args.iterations)
    return res


# --------------------------------------------------------------------------------------------
# SQLite FTS5
# --------------------------------------------------------------------------------------------


def fts5_quote(word: str) -> str:
    """An FTS5 string literal."""
    return '"' + word.replace('"', '""') + '"'


def to_fts5(q: Query) -> str:
    """Translate a query to FTS5 syntax: AND of required clauses, else OR of optional ones."""
    parts = []
    req = [c for c in q.clauses if c.required]
    for c in req or q.clauses:
        parts.append(fts5_quote(" ".join(c.words)))
    return (" AND " if req else " OR ").join(parts)


def run_fts5(args, queries: list[Query]) -> EngineResult:
    """Index the corpus in an FTS5 table and time the queries."""
    res = EngineResult(f"SQLite {sqlite3.sqlite_version} FTS5")
    path = os.path.join(args.workdir, "fts5.db")
    for suffix in ("", "-journal", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    print(f"compare: {res.name}: indexing", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-262144")  # 256 MiB page cache
    content = "" if args.store_text else ", content=''"
    con.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='unicode61 remove_diacritics 2'" + content + ")"
    )
    con.execute("CREATE TABLE ids(docid INTEGER PRIMARY KEY, ext TEXT)")
    con.execute("BEGIN")
    docs = 0
    batch_t, batch_i = [], []
    for doc_id, title, body in iter_corpus(args.corpus):
        docs += 1
        batch_t.append((docs, title, body))
        batch_i.append((docs, doc_id))
        if len(batch_t) >= 2000:
            con.executemany("INSERT INTO t(rowid, title, body) VALUES (?, ?, ?)", batch_t)
            con.executemany("INSERT INTO ids(docid, ext) VALUES (?, ?)", batch_i)
            batch_t, batch_i = [], []
    if batch_t:
        con.executemany("INSERT INTO t(rowid, title, body) VALUES (?, ?, ?)", batch_t)
        con.executemany("INSERT INTO ids(docid, ext) VALUES (?, ?)", batch_i)
    con.execute("COMMIT")
    t1 = time.perf_counter()
    con.execute("INSERT INTO t(t) VALUES('optimize')")
    res.index_seconds = time.perf_counter() - t0
    res.extra["optimize_seconds"] = time.perf_counter() - t1
    res.extra["documents"] = docs
    con.close()
    res.index_bytes = os.path.getsize(path)
    res.notes.append(
        f"{res.name}: unicode61 remove_diacritics 2, {'stored text' if args.store_text else 'contentless'} + id table, "
        f"one transaction, 'optimize' took {res.extra['optimize_seconds']:.1f}s of the indexing time"
    )
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA cache_size=-262144")
    sql = "SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?"
    k = args.k
    translated = {q.text: to_fts5(q) for q in queries}
    execute = con.execute

    def run(q: Query) -> int:
        return len(execute(sql, (translated[q.text], k)).fetchall())

    print(f"compare: {res.name}: {docs} docs in {res.index_seconds:.1f}s; timing queries", file=sys.stderr, flush=True)
    res.classes, res.zero_hit_queries, res.failed_queries = time_queries(run, queries, args.iterations)
    con.close()
    return res


# --------------------------------------------------------------------------------------------
# Fahras
# --------------------------------------------------------------------------------------------


def find_fahras(explicit: str | None) -> str | None:
    """The Fahras binary: --fahras, else .build/release/fahras in the repository, else `fahras` on PATH."""
    if explicit:
        return explicit
    for cand in (os.path.join(REPO_DIR, ".build", "release", "fahras"),):
        if os.path.isfile(cand) and os.access(cand, os.X_OK):
            return cand
    return shutil.which("fahras")


def _last_json_object(text: str):
    """The JSON object printed on stdout (whole text, else the last line that parses)."""
    text = text.strip()
    if not text:
        return None
    try:
        v = json.loads(text)
        return v if isinstance(v, dict) else None
    except ValueError:
        pass
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                v = json.loads(line)
                if isinstance(v, dict):
                    return v
            except ValueError:
                continue
    return None


def _tail(text: str, n: int = 400) -> str:
    text = (text or "").strip().replace("\n", " | ")
    return text[-n:]


def run_fahras(binary: str, args) -> EngineResult:
    """Index with the Fahras CLI and take latencies from `fahras bench`."""
    res = EngineResult("Fahras")
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        res.error = f"binary not found or not executable: {binary}"
        return res
    corpus_dir = os.path.join(args.workdir, "corpus")
    shutil.rmtree(corpus_dir, ignore_errors=True)
    os.makedirs(corpus_dir)
    os.symlink(os.path.abspath(args.corpus), os.path.join(corpus_dir, os.path.basename(args.corpus)))
    idx = os.path.join(args.workdir, "fahras.idx")
    if os.path.isdir(idx):
        shutil.rmtree(idx)
    elif os.path.exists(idx):
        os.remove(idx)
    cmd = [binary, "index", corpus_dir, "--index", idx, "--threads", "1", "--quiet", "--json"]
    print(f"compare: Fahras: {' '.join(cmd)}", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        res.error = f"index failed: {e}"
        return res
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        res.error = f"index exited {p.returncode}: {_tail(p.stderr or p.stdout)}"
        return res
    info = _last_json_object(p.stdout)
    if info and isinstance(info.get("seconds"), (int, float)):
        res.index_seconds = float(info["seconds"])
        res.extra["index_report"] = info
    else:
        res.index_seconds = wall
        res.notes.append("Fahras: index JSON not parsed; indexing time is the process wall time")
    res.extra["index_wall_seconds"] = wall
    res.index_bytes = dir_size(idx)
    cmd = [binary, "bench", "--index", idx, "--queries", os.path.abspath(args.queries), "--k", str(args.k),
           "--mode", "top", "--warmup", "1", "--iterations", str(args.iterations), "--json"]
    print(f"compare: Fahras: {' '.join(cmd)}", file=sys.stderr, flush=True)
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        res.error = f"bench failed: {e}"
        return res
    report = _last_json_object(p.stdout) if p.returncode == 0 else None
    top = ((report or {}).get("modes") or {}).get("top")
    if not isinstance(top, dict):
        # Indexing numbers stay valid; only the latency columns are missing.
        res.notes.append(f"Fahras: latency not measured: bench exited {p.returncode}: {_tail(p.stderr or p.stdout)}")
        return res
    res.classes = {cls: v for cls, v in top.items() if isinstance(v, dict)}
    res.extra["bench_report"] = report
    res.notes.append("Fahras: latencies as reported by `fahras bench --mode top` (its own timing)")
    return res


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def _ratio(x, ref) -> str:
    if x is None or ref is None or not ref or isinstance(x, str):
        return ""
    return f" ({x / ref:.2f}x)"


def _num(x, fmt: str) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else format(x, fmt)


def render_table(results: list[EngineResult], classes: list[str], corpus_bytes: int) -> str:
    """The comparison table (ratios are engine / Fahras; above 1 means Fahras is faster or smaller)."""
    ref = next((r for r in results if r.name == "Fahras" and r.error is None), None)
    header = ["engine", "index s", "index MB (% corpus)"] + [f"{c} p50/mean us" for c in classes]
    rows = []
    for r in results:
        if r.error:
            rows.append([r.name, "n/a", "n/a"] + ["n/a"] * len(classes))
            continue
        cells = [r.name]
        cells.append(_num(r.index_seconds, ".1f") + (_ratio(r.index_seconds, ref.index_seconds) if ref and r is not ref else ""))
        if r.index_bytes is not None:
            mb = r.index_bytes / 1e6
            pct = 100.0 * r.index_bytes / corpus_bytes if corpus_bytes else float("nan")
            cell = f"{mb:.1f} ({pct:.0f}%)"
            if ref and r is not ref and ref.index_bytes:
                cell += _ratio(r.index_bytes, ref.index_bytes)
        else:
            cell = "-"
        cells.append(cell)
        for c in classes:
            s = r.classes.get(c) or {}
            p50, mean = s.get("p50_us"), s.get("mean_us")
            if p50 is None:
                cells.append("-")
                continue
            cell = f"{_num(p50, '.1f')}/{_num(mean, '.1f')}"
            if ref and r is not ref:
                rp = (ref.classes.get(c) or {}).get("p50_us")
                cell += _ratio(p50, rp)
            cells.append(cell)
        rows.append(cells)
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths)), line]
    for row in rows:
        out.append("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))))
    return "\n".join(out)


def parse_args(argv=None) -> argparse.Namespace:
    """Command-line interface."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", required=True, help="corpus .jsonl file")
    p.add_argument("--queries", required=True, help="class<TAB>query file (tools/gen_queries.py)")
    p.add_argument("--fahras", help="Fahras binary (default: .build/release/fahras, then PATH)")
    p.add_argument("--k", type=int, default=10, help="top-k (default 10)")
    p.add_argument("--iterations", type=int, default=5, help="timed passes after one warm-up pass (default 5)")
    p.add_argument("--workdir", default="/tmp/fahras-compare", help="scratch folder for the indexes")
    p.add_argument("--json", dest="json_out", help="also write the numbers to this JSON file")
    p.add_argument("--engines", default="fahras,tantivy,tantivy-stem,fts5",
                   help="comma-separated subset of fahras,tantivy,tantivy-stem,fts5")
    p.add_argument("--stem-language", default="auto", help="tantivy stemmer language (default: auto, from the corpus)")
    p.add_argument("--store-text", action="store_true", help="peers also store title/body (default: only the id)")
    p.add_argument("--tantivy-heap-mb", type=int, default=128, help="tantivy writer heap (default 128)")
    p.add_argument("--timeout", type=float, default=6 * 3600, help="seconds allowed per Fahras command")
    p.add_argument("--no-venv", action="store_true", help="do not create/use tools/.venv (tantivy if importable)")
    args = p.parse_args(argv)
    args.engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    for e in args.engines:
        if e not in ("fahras", "tantivy", "tantivy-stem", "fts5"):
            p.error(f"unknown engine {e!r}")
    if args.k < 1 or args.iterations < 1:
        p.error("--k and --iterations must be >= 1")
    return args


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if not args.no_venv and ("tantivy" in args.engines or "tantivy-stem" in args.engines):
        ensure_venv(argv)
    if not os.path.isfile(args.corpus):
        raise SystemExit(f"compare: corpus {args.corpus} not found")
    os.makedirs(args.workdir, exist_ok=True)
    queries = read_queries(args.queries)
    present = {q.cls for q in queries}
    classes = [c for c in CLASS_ORDER if c in present] + sorted(present - set(CLASS_ORDER)) + ["all"]
    corpus_bytes = os.path.getsize(args.corpus)
    notes: list[str] = []

    t0 = time.perf_counter()
    ndocs = sum(1 for _ in iter_corpus(args.corpus))
    parse_seconds = time.perf_counter() - t0
    notes.append(f"JSONL read+parse alone (Python, included in the peers' indexing time): {parse_seconds:.1f}s")

    results: list[EngineResult] = []
    if "fahras" in args.engines:
        binary = find_fahras(args.fahras)
        if binary is None:
            r = EngineResult("Fahras", error="no binary (pass --fahras PATH or build .build/release/fahras)")
        else:
            r = run_fahras(binary, args)
            r.extra["binary"] = binary
        results.append(r)

    tantivy = None
    if "tantivy" in args.engines or "tantivy-stem" in args.engines:
        tantivy = import_tantivy()
        if tantivy is None:
            results.append(EngineResult("tantivy", error="python package not importable"))
    if tantivy is not None:
        if "tantivy" in args.engines:
            results.append(run_tantivy(tantivy, args, queries, None))
        if "tantivy-stem" in args.engines:
            if tantivy_stemmer_available(tantivy):
                lang = detect_language(args.corpus) if args.stem_language == "auto" else args.stem_language
                try:
                    results.append(run_tantivy(tantivy, args, queries, lang))
                except ValueError as e:
                    results.append(EngineResult(f"tantivy stem:{lang}", error=str(e)))
            else:
                notes.append(f"tantivy {tantivy_version(tantivy)}: no TextAnalyzerBuilder/Filter.stemmer in the "
                             "bindings: default tokenizer only")
    if "fts5" in args.engines:
        results.append(run_fts5(args, queries))

    counts = {c: sum(1 for q in queries if q.cls == c) for c in classes if c != "all"}
    print()
    print(f"corpus {args.corpus}: {ndocs} docs, {corpus_bytes / 1e6:.1f} MB; queries {args.queries}: "
          + ", ".join(f"{c} {n}" for c, n in counts.items()) + f"; k={args.k}, {args.iterations} timed passes")
    print(render_table(results, classes, corpus_bytes))
    print()
    print("ratios in parentheses are engine / Fahras (above 1: Fahras is faster or smaller); "
          "latency of a query = its fastest pass")
    for r in results:
        if r.error:
            print(f"- {r.name}: not measured: {r.error}")
        for n in r.notes:
            print(f"- {n}")
        if r.zero_hit_queries or r.failed_queries:
            print(f"- {r.name}: {r.zero_hit_queries or 0} queries with no hit, {r.failed_queries or 0} rejected")
    for n in notes:
        print(f"- {n}")

    if args.json_out:
        out = {
            "corpus": {"path": os.path.abspath(args.corpus), "documents": ndocs, "bytes": corpus_bytes,
                       "parse_seconds": parse_seconds},
            "queries": {"path": os.path.abspath(args.queries), "counts": counts},
            "k": args.k,
            "iterations": args.iterations,
            "engines": [
                {
                    "name": r.name,
                    "error": r.error,
                    "index_seconds": r.index_seconds,
                    "index_bytes": r.index_bytes,
                    "index_pct_of_corpus": (100.0 * r.index_bytes / corpus_bytes) if r.index_bytes and corpus_bytes else None,
                    "classes": r.classes,
                    "zero_hit_queries": r.zero_hit_queries,
                    "failed_queries": r.failed_queries,
                    "notes": r.notes,
                    "extra": r.extra,
                }
                for r in results
            ],
            "notes": notes,
        }
        ref = next((r for r in results if r.name == "Fahras" and r.error is None), None)
        if ref is not None:
            for e, r in zip(out["engines"], results):
                if r is ref or r.error:
                    continue
                e["ratio_to_fahras"] = {
                    "index_seconds": r.index_seconds / ref.index_seconds if ref.index_seconds else None,
                    "index_bytes": r.index_bytes / ref.index_bytes if ref.index_bytes and r.index_bytes else None,
                    **{f"{c}_p50": (r.classes.get(c, {}).get("p50_us") or 0) / ref.classes[c]["p50_us"]
                       for c in classes if ref.classes.get(c, {}).get("p50_us") and r.classes.get(c, {}).get("p50_us")},
                }
        with open(args.json_out, "w", encoding="utf-8") as f:
            json.dump(out, f, indent=2, ensure_ascii=False)
            f.write("\n")
        print(f"- numbers written to {args.json_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
