#!/usr/bin/env python3
"""Crash-safety test for Fahras: SIGKILL ``fahras index`` and ``fahras merge`` at random moments.

Each kill is followed by an audit of what is left on disk:

* ``fahras check`` exits 0 (or, before the first commit ever, reports "no committed index" with
  exit 1), and no command crashes (signal, exit code >= 128, "Fatal error", "Program crashed") or
  hangs;
* ``fahras stats --json`` opens the index; its document count equals the number of live documents
  listed by a match-all query (``-zzz`` with ``--k 100000``) and by the manifest, read here with an
  independent Python reader of ``docs/FORMAT.md`` (CRC32C included);
* no document id appears twice, every (id, path) pair comes from some version of the corpus;
* the commit is self-consistent: every corpus file that the commit's ``ingest.<G>`` lists, and that
  is unchanged on disk, has exactly the recorded number of documents in the index, and at most one
  file (the one being read at the commit) has documents without being listed.

The indexer is then restarted (and killed again) until one run completes. The final index must
equal a fresh index of the same corpus built without kills: the same (id, path, title) multiset and,
after ``fahras merge --max-segments 1`` of both (which drops deleted documents, so that document
frequencies agree), the same top-10 (id, score) lists for queries drawn by ``tools/gen_queries.py``.
Leftovers of killed runs must be gone (only files of the last two commits remain).

In a share of the runs (``--reader-share``) a reader searches the index in a loop while the writer
works; it may only fail with "no committed index" before the first commit.

Rounds either start from an empty index on the base corpus, or mutate the corpus of the previous
round (delete, edit, add, touch files) and update the existing index, so deletes and updates are
killed too. A final phase kills ``fahras merge --max-segments 1`` on an index with many segments and
deletes; the document set must never change, and a completed merge must give 1 segment and the
reference results.

Usage::

    python3 tools/crashtest.py --kills 100 --merge-kills 30 --seed 1
    python3 tools/crashtest.py --corpus /tmp/sn-jsonl --kills 20        # an existing corpus folder

Needs a built binary (``--fahras``, ``$FAHRAS``, ``.build/release/fahras`` or ``/tmp/build-rel``).
Exit status: 0 when every audit passed, 1 otherwise. ``--json OUT`` writes the summary.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import hashlib
import json
import os
import random
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

# --------------------------------------------------------------------------------------------
# Running the binary


def find_fahras(explicit: str | None = None) -> str:
    """The fahras binary: --fahras, $FAHRAS, the repository's release build, /tmp/build-rel, PATH."""
    candidates = [explicit, os.environ.get("FAHRAS"),
                  os.path.join(REPO, ".build", "release", "fahras"),
                  "/tmp/build-rel/release/fahras",
                  os.path.join(REPO, ".build", "debug", "fahras"),
                  shutil.which("fahras")]
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return os.path.abspath(c)
    raise SystemExit("no fahras binary found: build it (swift build -c release) or pass --fahras PATH")


@dataclasses.dataclass
class Result:
    args: list
    rc: int
    out: str
    err: str
    seconds: float
    hung: bool = False

    @property
    def crashed(self) -> bool:
        """A trap, a signal or a hang: never acceptable, whatever the input."""
        return (self.hung or self.rc < 0 or self.rc >= 128 or "Fatal error" in self.err
                or "Program crashed" in self.err or "Segmentation fault" in self.err)

    def brief(self) -> str:
        tail = (self.err.strip().splitlines() or [""])[-1][:300]
        what = "HANG" if self.hung else f"rc={self.rc}"
        return f"`fahras {' '.join(self.args)}` -> {what} {tail}"


def run(binary: str, args: list, timeout: float = 300) -> Result:
    """Runs `fahras ARGS` to completion (or kills it after `timeout` seconds and marks it hung)."""
    t = time.monotonic()
    p = subprocess.Popen([binary, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
        hung = False
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        hung = True
    return Result(args, p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
                  time.monotonic() - t, hung)


def run_and_kill(binary: str, args: list, delay: float, reader_index: str | None = None,
                 reader_errors: list | None = None) -> tuple[Result, bool]:
    """Starts `fahras ARGS`, SIGKILLs it after `delay` seconds. Returns (result, killed).

    With `reader_index`, a reader thread searches that index in a loop while the writer runs; every
    failure other than "no committed index yet" is appended to `reader_errors`."""
    t = time.monotonic()
    p = subprocess.Popen([binary, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         start_new_session=True)
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            r = run(binary, ["search", "--index", reader_index, "--format", "json", "--k", "3", "--",
                             "the minister OR وزير"], timeout=60)
            if r.rc != 0 and "no committed index" not in r.err and "does not exist" not in r.err:
                reader_errors.append(r.brief())
    thread = None
    if reader_index:
        thread = threading.Thread(target=reader, daemon=True)
        thread.start()
    try:
        out, err = p.communicate(timeout=delay)
        killed = False
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        killed = True
    stop.set()
    if thread:
        thread.join()
    return Result(args, p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
                  time.monotonic() - t), killed


# --------------------------------------------------------------------------------------------
# An independent reader of the small index files (docs/FORMAT.md sections 1, 2, 12, 13)

def _crc_table() -> list:
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC = _crc_table()


def crc32c(data: bytes) -> int:
    c = 0xFFFFFFFF
    for b in data:
        c = _CRC[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283


class FormatError(Exception):
    pass


class Cursor:
    def __init__(self, data: bytes, pos: int, end: int):
        self.data, self.pos, self.end = data, pos, end

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > self.end:
            raise FormatError(f"read of {n} bytes past the end at {self.pos}")
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return b

    def u32(self) -> int:
        return struct.unpack("<I", self.take(4))[0]

    def u64(self) -> int:
        return struct.unpack("<Q", self.take(8))[0]

    def vint(self) -> int:
        v, shift = 0, 0
        while True:
            b = self.take(1)[0]
            v |= (b & 0x7F) << shift
            if b < 0x80:
                return v
            shift += 7
            if shift > 63:
                raise FormatError("VInt too long")

    def string(self) -> str:
        return self.take(self.vint()).decode("utf-8", "replace")


def envelope(data: bytes, kind: bytes) -> Cursor:
    """Checks header, footer and CRC32C (docs/FORMAT.md section 2); returns a cursor on the body."""
    if len(data) < 36:
        raise FormatError(f"{len(data)} bytes, shorter than an envelope")
    if data[:4] != b"FHRS" or data[4:8] != kind:
        raise FormatError(f"bad magic/kind {data[:8]!r}")
    if struct.unpack("<I", data[8:12])[0] not in (1, 2, 3, 4):  # manifest and ingest layouts are the same in 1 to 4
        raise FormatError("bad version")
    if data[-8:-4] != b"SRHF":
        raise FormatError("bad footer magic")
    if struct.unpack("<I", data[-4:])[0] != crc32c(data[:-4]):
        raise FormatError("CRC mismatch")
    return Cursor(data, 28, len(data) - 8)


def parse_manifest(path: str) -> dict:
    c = envelope(open(path, "rb").read(), b"MANI")
    m = {"generation": c.u64(), "next": c.u64(), "segments": []}
    for _ in range(c.vint()):
        name = c.string()
        c.take(16)
        m["segments"].append({"name": name, "maxDoc": c.u32(), "delGen": c.u64(), "deleted": c.u32()})
    m["userData"] = c.string()
    if c.pos != c.end:
        raise FormatError("trailing bytes")
    return m


def parse_ingest(path: str) -> dict:
    c = envelope(open(path, "rb").read(), b"INGS")
    s = {"root": c.string(), "files": {}}
    for _ in range(c.vint()):
        p = c.string()
        size, mtime, crc = struct.unpack("<qqI", c.take(20))
        s["files"][p] = (size, mtime, crc, c.vint())
    return s


def manifests(index: str) -> list:
    """Generations of manifest.<G> files, newest first."""
    gens = []
    for n in os.listdir(index) if os.path.isdir(index) else []:
        if n.startswith("manifest.") and n[9:].isdigit():
            gens.append(int(n[9:]))
    return sorted(gens, reverse=True)


def latest_manifest(index: str) -> dict | None:
    """The newest manifest that verifies (what readers open), or None."""
    for g in manifests(index):
        try:
            m = parse_manifest(os.path.join(index, f"manifest.{g}"))
        except (FormatError, OSError):
            continue
        if m["generation"] == g:
            return m
    return None


def referenced_files(index: str, m: dict) -> set:
    files = {f"manifest.{m['generation']}"}
    for s in m["segments"]:
        for ext in ("meta", "dict", "post", "pos", "norm", "store"):
            files.add(f"{s['name']}.{ext}")
        if s["delGen"]:
            files.add(f"{s['name']}_{s['delGen']}.del")
    if m["userData"]:
        files.add(m["userData"])
    return files


# --------------------------------------------------------------------------------------------
# Corpus

def corpus_documents(corpus: str) -> dict:
    """(id, path) -> title of every document a corpus folder should yield (JSON Lines: id/title
    members; .txt/.md: id = relative path, title = first line)."""
    docs = {}
    for root, dirs, files in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if f.startswith("."):
                continue
            full = os.path.join(root, f)
            rel = os.path.relpath(full, corpus)
            if f.endswith(".jsonl"):
                with open(full, encoding="utf-8") as fh:
                    for line in fh:
                        if line.strip():
                            d = json.loads(line)
                            docs[(d["id"], rel)] = d.get("title", "")
            elif f.endswith((".txt", ".md")):
                with open(full, encoding="utf-8") as fh:
                    docs[(rel, rel)] = fh.readline().strip()
    return docs


def make_corpus(work: str, docs: int, seed: int, jsonl_files: int, notes: int) -> tuple[str, str]:
    """A base corpus folder: `jsonl_files` JSON Lines files under news/ and `notes` .txt/.md files
    under notes/ (made of the last documents). Returns (folder, the generated .jsonl)."""
    src = os.path.join(work, f"gen-{docs}-{seed}.jsonl")
    if not os.path.exists(src):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--lang", "mixed", "--docs",
                        str(docs), "--seed", str(seed), "--out", src, "--quiet"], check=True)
    lines = open(src, encoding="utf-8").read().splitlines()
    base = os.path.join(work, "base-corpus")
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(os.path.join(base, "news"))
    os.makedirs(os.path.join(base, "notes"))
    body, tail = lines[:len(lines) - notes], lines[len(lines) - notes:]
    # Unequal files: one in four is three times larger.
    weights = [3 if i % 4 == 3 else 1 for i in range(jsonl_files)]
    at = 0
    for i, w in enumerate(weights):
        n = len(body) * w // sum(weights) if i < jsonl_files - 1 else len(body) - at
        with open(os.path.join(base, "news", f"part-{i:03d}.jsonl"), "w", encoding="utf-8") as fh:
            fh.write("\n".join(body[at:at + n]) + "\n")
        at += n
    for i, line in enumerate(tail):
        d = json.loads(line)
        ext = ".md" if i % 4 == 0 else ".txt"
        with open(os.path.join(base, "notes", f"n{i:04d}{ext}"), "w", encoding="utf-8") as fh:
            fh.write(d["title"] + "\n" + d["body"] + "\n")
    return base, src


def copy_corpus(src: str, dst: str) -> None:
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)


def corpus_key(corpus: str) -> str:
    h = hashlib.sha1()
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        for f in sorted(files):
            full = os.path.join(root, f)
            h.update(os.path.relpath(full, corpus).encode())
            h.update(open(full, "rb").read())
    return h.hexdigest()[:12]


def mutate(corpus: str, rng: random.Random, pool: list, serial: int) -> list:
    """Edits the corpus like a user would between runs; returns what was done."""
    done = []
    files = sorted(os.path.relpath(os.path.join(r, f), corpus)
                   for r, _, fs in os.walk(corpus) for f in fs)
    for step in range(rng.randint(1, 4)):
        op = rng.choice(["delete", "edit-jsonl", "edit-note", "add-note", "add-jsonl", "touch"])
        if op == "delete" and len(files) > 3:
            f = rng.choice(files)
            os.remove(os.path.join(corpus, f))
            files.remove(f)
            done.append(f"delete {f}")
        elif op == "edit-jsonl":
            js = [f for f in files if f.endswith(".jsonl")]
            if not js:
                continue
            f = rng.choice(js)
            path = os.path.join(corpus, f)
            lines = open(path, encoding="utf-8").read().splitlines()
            drop = set(rng.sample(range(len(lines)), min(len(lines) - 1, rng.randint(0, 20))))
            lines = [l for i, l in enumerate(lines) if i not in drop]
            for k in range(rng.randint(0, 30)):
                d = json.loads(rng.choice(pool))
                d["id"] = f"upd-{serial}-{step}-{k}"
                lines.append(json.dumps(d, ensure_ascii=False))
            if lines:
                i = rng.randrange(len(lines))
                d = json.loads(lines[i])
                d["body"] = d["body"][::-1]
                lines[i] = json.dumps(d, ensure_ascii=False)
            open(path, "w", encoding="utf-8").write("\n".join(lines) + "\n")
            done.append(f"edit {f} (-{len(drop)} lines)")
        elif op == "edit-note":
            ns = [f for f in files if f.endswith((".txt", ".md"))]
            if not ns:
                continue
            f = rng.choice(ns)
            with open(os.path.join(corpus, f), "a", encoding="utf-8") as fh:
                fh.write(json.loads(rng.choice(pool))["body"] + "\n")
            done.append(f"edit {f}")
        elif op == "add-note":
            f = f"notes/new-{serial}-{rng.randrange(10**6)}.txt"
            d = json.loads(rng.choice(pool))
            open(os.path.join(corpus, f), "w", encoding="utf-8").write(d["title"] + "\n" + d["body"] + "\n")
            files.append(f)
            done.append(f"add {f}")
        elif op == "add-jsonl":
            f = f"news/new-{serial}-{rng.randrange(10**6)}.jsonl"
            out = []
            for k in range(rng.randint(1, 200)):
                d = json.loads(rng.choice(pool))
                d["id"] = f"new-{serial}-{step}-{k}"
                out.append(json.dumps(d, ensure_ascii=False))
            open(os.path.join(corpus, f), "w", encoding="utf-8").write("\n".join(out) + "\n")
            files.append(f)
            done.append(f"add {f} ({len(out)} docs)")
        elif op == "touch" and files:
            f = rng.choice(files)
            p = os.path.join(corpus, f)
            st = os.stat(p)
            os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
            done.append(f"touch {f}")
    return done


# --------------------------------------------------------------------------------------------
# Looking at an index through the CLI

MATCH_ALL = "-zzqxqzzunlikelyterm"


def dump(binary: str, index: str) -> tuple[Result, list]:
    """Every live document as (id, path, title), via a pure-negative (match-all) query."""
    r = run(binary, ["search", "--index", index, "--k", "100000", "--format", "json", "--no-snippets",
                     "--", MATCH_ALL])
    if r.rc != 0:
        return r, []
    d = json.loads(r.out)
    return r, [(h["id"], h["path"], h["title"]) for h in d["hits"]]


def top_hits(binary: str, index: str, queries: str, k: int = 30) -> tuple[Result, dict]:
    """qid -> [(id, score)] for a TSV of `qid<TAB>query` (batch TREC output)."""
    r = run(binary, ["search", "--index", index, "--queries", queries, "--k", str(k), "--format", "trec",
                     "--no-snippets"])
    out = collections.defaultdict(list)
    for line in r.out.splitlines():
        parts = line.split()
        if len(parts) >= 6:
            out[parts[0]].append((parts[2], float(parts[4])))
    return r, out


def compare_top(ref: dict, got: dict, k: int = 10) -> list:
    """Top-k (id, score) lists must agree; ids may permute only among equal scores."""
    problems = []
    for qid in sorted(set(ref) | set(got)):
        a, b = ref.get(qid, []), got.get(qid, [])
        sa, sb = [s for _, s in a[:k]], [s for _, s in b[:k]]
        if len(sa) != len(sb) or any(abs(x - y) > 1e-3 * max(1.0, abs(x)) for x, y in zip(sa, sb)):
            problems.append(f"query {qid}: scores {sa[:5]}... vs {sb[:5]}...")
            continue
        if not sa:
            continue
        cut = sa[-1]
        above_a = {i for i, s in a[:k] if s > cut + 1e-3}
        above_b = {i for i, s in b[:k] if s > cut + 1e-3}
        tied_a = {i for i, s in a if abs(s - cut) <= 1e-3}
        tied_b = {i for i, s in b[:k] if abs(s - cut) <= 1e-3}
        if above_a != above_b or not tied_b <= tied_a:
            problems.append(f"query {qid}: different documents {sorted(above_a ^ above_b)[:4]}")
    return problems


class Reference:
    """A fresh, uninterrupted index of one corpus version: its documents and merged top hits."""

    def __init__(self, binary: str, corpus: str, work: str, queries: str, threads: int):
        self.index = os.path.join(work, f"ref-{corpus_key(corpus)}")
        shutil.rmtree(self.index, ignore_errors=True)
        r = run(binary, ["index", corpus, "--index", self.index, "--threads", str(threads), "--quiet", "--json"])
        if r.rc != 0:
            raise SystemExit(f"reference indexing failed: {r.brief()}")
        self.seconds = r.seconds
        self.summary = json.loads(r.out)
        r, docs = dump(binary, self.index)
        if r.rc != 0:
            raise SystemExit(f"reference dump failed: {r.brief()}")
        self.docs = collections.Counter(docs)
        expected = collections.Counter((i, p, t) for (i, p), t in corpus_documents(corpus).items())
        if self.docs != expected:
            missing = list((expected - self.docs).elements())[:3]
            extra = list((self.docs - expected).elements())[:3]
            raise SystemExit(f"reference index differs from the corpus: missing {missing}, extra {extra}")
        r = run(binary, ["merge", "--index", self.index, "--max-segments", "1"])
        if r.rc != 0:
            raise SystemExit(f"reference merge failed: {r.brief()}")
        _, self.top = top_hits(binary, self.index, queries)
        self.pairs = {(i, p) for i, p, _ in self.docs}


# --------------------------------------------------------------------------------------------
# Audits


class Audit:
    """Collects the problems found; each is one line with the context that produced it."""

    def __init__(self):
        self.problems: list[str] = []
        self.crashes: list[str] = []

    def bad(self, context: str, what: str) -> None:
        self.problems.append(f"{context}: {what}")
        print(f"  PROBLEM {context}: {what}", flush=True)

    def check_result(self, context: str, r: Result) -> None:
        if r.crashed:
            self.crashes.append(f"{context}: {r.brief()}")
            self.bad(context, f"CRASH {r.brief()}")


def audit_index(binary: str, index: str, corpus: str, allowed: set, audit: Audit, context: str) -> dict:
    """Audits a possibly interrupted index; returns facts about it (documents, generation, ...)."""
    facts = {"documents": 0, "generation": 0, "leftovers": 0, "committed": False}
    m = latest_manifest(index)
    chk = run(binary, ["check", "--index", index])
    audit.check_result(context + " check", chk)
    st = run(binary, ["stats", "--index", index, "--json", "--top", "0"])
    audit.check_result(context + " stats", st)
    if m is None:
        # Killed before the first commit: an empty or absent index must be reported, not crash.
        if chk.rc != 1 or "no committed index" not in chk.out + chk.err and "does not exist" not in chk.err:
            audit.bad(context, f"no commit yet, but check says rc={chk.rc}: {chk.out.strip()[:200]}")
        if st.rc == 0:
            audit.bad(context, "no commit yet, but stats succeeded")
        return facts
    facts["committed"] = True
    facts["generation"] = m["generation"]
    live = sum(s["maxDoc"] - s["deleted"] for s in m["segments"])
    names = set(os.listdir(index))
    keep = referenced_files(index, m)
    older = [g for g in manifests(index) if g < m["generation"]]
    if older:
        try:
            keep |= referenced_files(index, parse_manifest(os.path.join(index, f"manifest.{older[0]}")))
        except (FormatError, OSError):
            pass
    # Files of neither of the last two commits: what the killed run wrote and did not commit.
    facts["leftovers"] = len({n for n in names if n != "write.lock"} - keep)
    if chk.rc != 0:
        audit.bad(context, f"check failed rc={chk.rc}: {chk.out.strip()[-400:]} {chk.err.strip()[-200:]}")
    if st.rc != 0:
        audit.bad(context, f"stats failed: {st.brief()}")
        return facts
    stats = json.loads(st.out)
    facts["documents"] = stats["documents"]
    facts["segments"] = stats["segments"]
    if stats["generation"] != m["generation"] or stats["documents"] != live:
        audit.bad(context, f"stats (gen {stats['generation']}, {stats['documents']} docs) disagree with "
                  f"manifest.{m['generation']} ({live} live docs)")
    r, docs = dump(binary, index)
    audit.check_result(context + " match-all search", r)
    if r.rc != 0:
        audit.bad(context, f"match-all search failed: {r.brief()}")
        return facts
    if len(docs) != stats["documents"]:
        audit.bad(context, f"match-all lists {len(docs)} documents, stats says {stats['documents']}")
    ids = collections.Counter(i for i, _, _ in docs)
    dups = [i for i, n in ids.items() if n > 1]
    if dups:
        audit.bad(context, f"{len(dups)} duplicate ids, e.g. {dups[:3]}")
    strangers = [(i, p) for i, p, _ in docs if (i, p) not in allowed]
    if strangers:
        audit.bad(context, f"{len(strangers)} documents from no corpus version, e.g. {strangers[:3]}")
    # Commit consistency with the ingest state.
    per_path = collections.Counter(p for _, p, _ in docs)
    if m["userData"]:
        try:
            ingest = parse_ingest(os.path.join(index, m["userData"]))
        except (FormatError, OSError) as e:
            audit.bad(context, f"{m['userData']} unreadable: {e}")
            return facts
        unlisted = [p for p in per_path if p not in ingest["files"]]
        if len(unlisted) > 1:
            audit.bad(context, f"{len(unlisted)} files have documents but are not in {m['userData']}: {unlisted[:4]}")
        for p in unlisted:
            if not os.path.exists(os.path.join(corpus, p)):
                audit.bad(context, f"documents of deleted file {p} survive a commit that dropped it")
        for p, (size, mtime, _, n) in ingest["files"].items():
            try:
                st_ = os.stat(os.path.join(corpus, p))
            except FileNotFoundError:
                continue
            if st_.st_size == size and st_.st_mtime_ns == mtime and per_path.get(p, 0) != n:
                audit.bad(context, f"{p}: {m['userData']} records {n} documents, the index has {per_path.get(p, 0)}")
    elif docs:
        audit.bad(context, "a commit without ingest state holds documents")
    return facts


def audit_final(binary: str, index: str, ref: Reference, queries: str, work: str, audit: Audit, context: str) -> None:
    """A completed index must equal the reference."""
    r, docs = dump(binary, index)
    if r.rc != 0:
        audit.bad(context, f"final match-all failed: {r.brief()}")
        return
    got = collections.Counter(docs)
    if got != ref.docs:
        missing = list((ref.docs - got).elements())
        extra = list((got - ref.docs).elements())
        audit.bad(context, f"final index differs from the reference: {len(missing)} missing (e.g. "
                  f"{[m[:2] for m in missing[:3]]}), {len(extra)} extra (e.g. {[e[:2] for e in extra[:3]]})")
    m = latest_manifest(index)
    if m:
        keep = referenced_files(index, m)
        older = [g for g in manifests(index) if g < m["generation"]]
        if older:
            try:
                keep |= referenced_files(index, parse_manifest(os.path.join(index, f"manifest.{older[0]}")))
            except FormatError:
                pass
        junk = sorted(set(os.listdir(index)) - keep - {"write.lock"})
        if junk:
            audit.bad(context, f"leftover files after a completed run: {junk[:6]}")
    merged = os.path.join(work, "merged-copy")
    shutil.rmtree(merged, ignore_errors=True)
    shutil.copytree(index, merged)
    r = run(binary, ["merge", "--index", merged, "--max-segments", "1"])
    audit.check_result(context + " merge copy", r)
    if r.rc != 0:
        audit.bad(context, f"merging a copy failed: {r.brief()}")
        return
    r, top = top_hits(binary, merged, queries)
    audit.check_result(context + " queries", r)
    for p in compare_top(ref.top, top):
        audit.bad(context, p)


# --------------------------------------------------------------------------------------------
# Phases


def index_phase(args, binary: str, work: str, base: str, pool: list, queries: str, audit: Audit,
                rng: random.Random, log: list) -> None:
    corpus = os.path.join(work, "corpus")
    index = os.path.join(work, "crash.idx")
    refs: dict[str, Reference] = {}

    def reference() -> Reference:
        key = corpus_key(corpus)
        if key not in refs:
            refs[key] = Reference(binary, corpus, work, queries, args.threads)
        return refs[key]

    kills = 0
    rounds = 0
    update_seconds = 2.0
    reader_runs = [0]
    allowed: set = set()
    while kills < args.kills:
        rounds += 1
        fresh = rounds == 1 or rng.random() < 0.3
        if fresh:
            copy_corpus(base, corpus)
            shutil.rmtree(index, ignore_errors=True)
            allowed = set()
            what = "fresh index of the base corpus"
        else:
            allowed |= reference().pairs  # the previous version's documents may survive a kill
            what = "update: " + "; ".join(mutate(corpus, rng, pool, rounds))
        ref = reference()
        allowed |= ref.pairs
        threads = rng.choice([args.threads, args.threads, 1])
        memory = rng.choice([16, 64, 512])
        every = rng.choice([args.commit_every, args.commit_every, args.commit_every * 4])
        cmd = ["index", corpus, "--index", index, "--commit-every", str(every), "--threads", str(threads),
               "--memory", str(memory), "--quiet", "--json"]
        print(f"round {rounds}: {what} (threads {threads}, memory {memory} MB, commit every {every}; "
              f"uninterrupted run {ref.seconds:.1f}s)", flush=True)
        in_round = 0
        while True:
            ctx = f"round {rounds} kill {in_round + 1}"
            if in_round >= args.max_kills_per_round or kills >= args.kills:
                r, killed = run(binary, cmd, timeout=600), False
            else:
                # Fresh rounds: anywhere in a full run. Updates: anywhere in the (shorter) update run,
                # whose length is learnt from the completed ones.
                span = 0.6 * ref.seconds if fresh else 1.2 * update_seconds
                u = rng.random()
                delay = rng.uniform(0.0, 0.15) if u < 0.15 else rng.uniform(0.1, span)
                readers = rng.random() < args.reader_share
                errors: list = []
                r, killed = run_and_kill(binary, cmd, delay, index if readers else None, errors)
                reader_runs[0] += readers
                for e in errors:
                    audit.bad(f"round {rounds} concurrent reader", e)
            if killed:
                kills += 1
                in_round += 1
                facts = audit_index(binary, index, corpus, allowed, audit, ctx)
                log.append({"phase": "index", "round": rounds, "delay": round(r.seconds, 3), **facts})
                print(f"  kill {kills} at {r.seconds:.2f}s: generation {facts['generation']}, "
                      f"{facts['documents']} documents, {facts['leftovers']} leftover files", flush=True)
                continue
            audit.check_result(ctx + " run", r)
            if r.rc != 0:
                audit.bad(ctx, f"indexing run failed: {r.brief()}")
                break
            summary = json.loads(r.out)
            if not fresh and in_round == 0:
                update_seconds = 0.5 * update_seconds + 0.5 * r.seconds
            facts = audit_index(binary, index, corpus, allowed, audit, f"round {rounds} final")
            audit_final(binary, index, ref, queries, work, audit, f"round {rounds} final")
            print(f"  completed after {in_round} kills: {summary['documents']} documents "
                  f"(reference {ref.summary['documents']}), {summary['segments']} segments", flush=True)
            log.append({"phase": "index-final", "round": rounds, "kills": in_round, **facts})
            break
    log.append({"phase": "index-summary", "rounds": rounds, "kills": kills, "runs_with_readers": reader_runs[0]})


def merge_phase(args, binary: str, work: str, base: str, pool: list, queries: str, audit: Audit,
                rng: random.Random, log: list) -> None:
    """Kills `fahras merge --max-segments 1` on an index with many segments and deletes."""
    corpus = os.path.join(work, "merge-corpus")
    pre = os.path.join(work, "premerge.idx")
    # Grow the corpus a few files at a time, one small-memory run each: many segments of
    # several size tiers; then edit and delete files so that the segments carry deletes.
    copy_corpus(base, corpus)
    shutil.rmtree(pre, ignore_errors=True)
    files = sorted(os.path.relpath(os.path.join(r, f), corpus) for r, _, fs in os.walk(corpus) for f in fs)
    hold = os.path.join(work, "merge-hold")
    shutil.rmtree(hold, ignore_errors=True)
    for f in files:
        os.makedirs(os.path.dirname(os.path.join(hold, f)), exist_ok=True)
        os.rename(os.path.join(corpus, f), os.path.join(hold, f))
    steps = 8
    for i in range(steps):
        for f in files[i::steps]:
            os.rename(os.path.join(hold, f), os.path.join(corpus, f))
        r = run(binary, ["index", corpus, "--index", pre, "--threads", str(args.threads), "--memory", "16",
                         "--commit-every", str(args.commit_every), "--quiet", "--json"])
        if r.rc != 0:
            raise SystemExit(f"building the merge input failed: {r.brief()}")
    mutate(corpus, rng, pool, 10_000)
    r = run(binary, ["index", corpus, "--index", pre, "--threads", str(args.threads), "--memory", "16",
                     "--quiet", "--json"])
    if r.rc != 0:
        raise SystemExit(f"building the merge input failed: {r.brief()}")
    ref = Reference(binary, corpus, work, queries, args.threads)
    r, before = dump(binary, pre)
    stats = json.loads(run(binary, ["stats", "--index", pre, "--json", "--top", "0"]).out)
    print(f"merge phase: input has {stats['segments']} segments, {stats['documents']} documents, "
          f"{stats['deleted']} deleted", flush=True)
    shutil.rmtree(pre + "-t", ignore_errors=True)
    shutil.copytree(pre, pre + "-t")
    t = run(binary, ["merge", "--index", pre + "-t", "--max-segments", "1"])
    seconds = t.seconds
    shutil.rmtree(pre + "-t", ignore_errors=True)
    idx = os.path.join(work, "merge.idx")
    kills = 0
    fresh = True
    while kills < args.merge_kills:
        if fresh:
            shutil.rmtree(idx, ignore_errors=True)
            shutil.copytree(pre, idx)
        delay = rng.uniform(0.0, 1.1 * seconds)
        r, killed = run_and_kill(binary, ["merge", "--index", idx, "--max-segments", "1"], delay)
        ctx = f"merge kill {kills + 1}"
        if killed:
            kills += 1
            facts = audit_index(binary, idx, corpus, ref.pairs, audit, ctx)
            _, after = dump(binary, idx)
            if collections.Counter(after) != collections.Counter(before):
                audit.bad(ctx, "a killed merge changed the set of live documents")
            log.append({"phase": "merge", "delay": round(r.seconds, 3), **facts})
            print(f"  merge kill {kills} at {r.seconds:.2f}s: generation {facts['generation']}, "
                  f"{facts.get('segments')} segments, {facts['leftovers']} leftover files", flush=True)
            fresh = rng.random() < 0.6
            continue
        audit.check_result(ctx + " merge", r)
        if r.rc != 0:
            audit.bad(ctx, f"merge failed: {r.brief()}")
        st = json.loads(run(binary, ["stats", "--index", idx, "--json", "--top", "0"]).out)
        if st["segments"] != 1 or st["deleted"] != 0:
            audit.bad(ctx, f"completed merge left {st['segments']} segments, {st['deleted']} deleted")
        audit_final(binary, idx, ref, queries, work, audit, ctx + " completed")
        log.append({"phase": "merge-final", "segments": st["segments"], "deleted": st["deleted"]})
        print(f"  merge completed: {st['segments']} segment, {st['documents']} documents", flush=True)
        fresh = True
    log.append({"phase": "merge-summary", "kills": kills})


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--fahras", help="path of the fahras binary")
    p.add_argument("--workdir", default="/tmp/fahras-crashtest")
    p.add_argument("--corpus", help="use this corpus folder (.jsonl/.txt/.md) instead of generating one")
    p.add_argument("--docs", type=int, default=12000, help="generated documents (default 12000)")
    p.add_argument("--jsonl-files", type=int, default=24, help="generated JSON Lines files (default 24)")
    p.add_argument("--notes", type=int, default=200, help="generated .txt/.md files (default 200)")
    p.add_argument("--kills", type=int, default=100, help="kills of `fahras index` (default 100)")
    p.add_argument("--merge-kills", type=int, default=30, help="kills of `fahras merge` (default 30)")
    p.add_argument("--max-kills-per-round", type=int, default=10)
    p.add_argument("--commit-every", type=int, default=500)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--queries", type=int, default=8, help="queries per class (default 8)")
    p.add_argument("--reader-share", type=float, default=0.3,
                   help="share of killed runs during which a reader searches the index (default 0.3)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", help="write the summary and the per-kill log here")
    args = p.parse_args()

    binary = find_fahras(args.fahras)
    rng = random.Random(args.seed)
    work = os.path.abspath(args.workdir)
    os.makedirs(work, exist_ok=True)
    print(f"crashtest: {binary}, workdir {work}, seed {args.seed}", flush=True)
    if args.corpus:
        base = os.path.join(work, "base-corpus")
        copy_corpus(args.corpus, base)
        pool = []
        for root, _, files in os.walk(base):
            for f in files:
                if f.endswith(".jsonl") and len(pool) < 5000:
                    pool += [l for l in open(os.path.join(root, f), encoding="utf-8") if l.strip()][:500]
        qsrc = base
    else:
        base, qsrc = make_corpus(work, args.docs, args.seed, args.jsonl_files, args.notes)
        pool = open(qsrc, encoding="utf-8").read().splitlines()[:3000]
    qtsv = os.path.join(work, "queries.tsv")
    raw = subprocess.run([sys.executable, os.path.join(HERE, "gen_queries.py"), "--corpus", qsrc, "--seed",
                          str(args.seed), "--per-class", str(args.queries), "--out", "-", "--quiet"],
                         check=True, capture_output=True, text=True).stdout
    with open(qtsv, "w", encoding="utf-8") as fh:
        for i, line in enumerate(l for l in raw.splitlines() if "\t" in l):
            fh.write(f"q{i + 1}\t{line.split(chr(9), 1)[1]}\n")

    audit = Audit()
    log: list = []
    t0 = time.monotonic()
    if args.kills > 0:
        index_phase(args, binary, work, base, pool, qtsv, audit, rng, log)
    if args.merge_kills > 0:
        merge_phase(args, binary, work, base, pool, qtsv, audit, rng, log)
    index_kills = [e for e in log if e["phase"] == "index"]
    merge_kills = [e for e in log if e["phase"] == "merge"]
    summary = {
        "seconds": round(time.monotonic() - t0, 1),
        "index_kills": len(index_kills),
        "index_kills_before_first_commit": sum(1 for e in index_kills if not e["committed"]),
        "index_kills_with_uncommitted_files": sum(1 for e in index_kills if e["leftovers"]),
        "rounds_completed": sum(1 for e in log if e["phase"] == "index-final"),
        "index_runs_with_concurrent_reader": sum(e.get("runs_with_readers", 0) for e in log),
        "merge_kills": len(merge_kills),
        "merge_kills_with_uncommitted_files": sum(1 for e in merge_kills if e["leftovers"]),
        "merges_completed": sum(1 for e in log if e["phase"] == "merge-final"),
        "problems": audit.problems,
        "crashes": audit.crashes,
    }
    print(json.dumps({k: v for k, v in summary.items() if k not in ("problems", "crashes")}, indent=1))
    print(f"{len(audit.problems)} problems, {len(audit.crashes)} crashes")
    for pr in audit.problems:
        print("  " + pr)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"summary": summary, "log": log}, fh, indent=1, ensure_ascii=False)
    return 1 if audit.problems else 0


if __name__ == "__main__":
    sys.exit(main())
