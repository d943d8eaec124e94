#!/usr/bin/env python3
"""Snapshot consistency of concurrent readers: searches in several processes while a writer indexes
a growing corpus and merges.

One writer thread runs, for ``--seconds``, *epochs*: a fresh corpus folder and index, grown by
rounds of ``--files-per-round`` new JSON Lines files of ``--docs-per-file`` documents each. Every
round runs ``fahras index --commit-every DOCS_PER_FILE`` (a commit after every file, whether commits
fall on file or on document boundaries), every ``--merge-every`` rounds ``fahras merge
--max-segments 1``; an epoch ends at ``--max-files`` files with a last merge, and is then audited
(``check`` passes, ``stats`` counts every document in one segment, both queries find everything).

Every document holds a common word; documents 0 and 3 of every file also hold an Arabic phrase.
``--readers`` reader threads each loop, without pause, over four kinds of process on the current
epoch's index:

* ``search --format json --k 100000 --no-snippets -- marigold`` (every hit listed),
* the same for ``"وزير الدفاع"``,
* ``search --queries FILE`` with both queries in one process (one snapshot, no total),
* ``stats --json --top 0`` (generation and document count of one snapshot).

An answer is a *problem* when the process fails (other than "no committed index" / "does not
exist" before that reader's first success in the epoch) or crashes or hangs; when its hits cover a
file only partly (not a commit); when ``total`` differs from the hits listed; when it carries a
notice (an older commit shown); when it lacks a document that an earlier answer of the same reader
had (*backwards step*), or a stats generation or document count is lower than one seen before;
when it counts more documents than were written; when the two queries of one batch process name
different files.

``--pinned`` long-lived ``fahras repl`` processes (default 1) each hold one snapshot for
``--pin-seconds`` and ask the common word again every ~0.3 s while commits and merges delete the
snapshot's files: every answer must equal the session's first.

Usage::

    swift build -c release
    python3 tools/concurrencytest.py --seconds 120 --readers 4
    python3 tools/concurrencytest.py --seconds 600 --readers 3 --max-files 2000 --json /tmp/conc.json

Prints a summary (searches run, snapshots seen, backwards steps, failures). Exit status 0 when no
problem was found, 1 otherwise.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import queue
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crashtest import find_fahras, run  # noqa: E402

COMMON = "marigold"
PHRASE = '"وزير الدفاع"'
PHRASE_DOCS = (0, 3)
WORDS = ("كوريا الشمالية اقتصاد التعاون مدينة جامعة الطلاب المملكة الرياض جدة النفط سوق الأسهم البنك "
         "مطار رحلة river bridge garden winter engine train window paper music harbor").split()
HEADER = re.compile(r"^(\d+) hits? in ")


# --------------------------------------------------------------------------------------------
# Corpus


def write_file(corpus: str, epoch: int, f: int, per_file: int) -> None:
    """File `f` of an epoch: `per_file` documents `f<f>-d<d>`, deterministic for (epoch, f)."""
    rng = random.Random(epoch * 1_000_003 + f)
    lines = []
    for d in range(per_file):
        n = rng.randint(10, 120)
        body = " ".join(rng.choice(WORDS) for _ in range(n // 2)) + f" {COMMON} " + \
            " ".join(rng.choice(WORDS) for _ in range(n - n // 2))
        if d in PHRASE_DOCS:
            body += " وزير الدفاع " + " ".join(rng.choice(WORDS) for _ in range(5))
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 5)))
        lines.append(json.dumps({"id": f"f{f}-d{d}", "title": title, "body": body}, ensure_ascii=False))
    path = os.path.join(corpus, f"part-{f:05d}.jsonl")
    tmp = path + ".tmp"  # not walked (unsupported extension); renamed whole
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    os.rename(tmp, path)


# --------------------------------------------------------------------------------------------
# Shared state


class Epoch:
    """One corpus folder and its index; `written` only grows."""

    def __init__(self, number: int, work: str) -> None:
        self.number = number
        self.root = os.path.join(work, f"epoch-{number}")
        self.corpus = os.path.join(self.root, "corpus")
        self.index = os.path.join(self.root, "index")
        self.files = 0
        self.written = 0
        self.in_flight = 0  # reader processes using this index now


class Shared:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.epoch: Epoch | None = None
        self.epochs: dict = {}
        self.stop = threading.Event()
        self.problems: list = []
        self.counts = collections.Counter()
        self.snapshots: set = set()       # (epoch, generation) seen by stats processes
        self.totals: set = set()          # (epoch, documents) seen by common-word searches
        self.generations: dict = {}       # epoch -> final generation

    def acquire(self) -> Epoch | None:
        with self.lock:
            e = self.epoch
            if e is not None:
                e.in_flight += 1
            return e

    def release(self, e: Epoch) -> None:
        with self.lock:
            e.in_flight -= 1

    def problem(self, text: str) -> None:
        with self.lock:
            self.problems.append(text)
        print("PROBLEM " + text, flush=True)

    def count(self, key: str, n: int = 1) -> None:
        with self.lock:
            self.counts[key] += n


def brief(result, limit: int = 400) -> str:
    out = (result.out.strip()[:limit] + " | " if result.out.strip() else "")
    return f"`fahras {' '.join(result.args)}` -> rc={result.rc}{' HUNG' if result.hung else ''}: " + \
        out + result.err.strip()[:limit]


# --------------------------------------------------------------------------------------------
# Readers


class ReaderEpochState:
    def __init__(self) -> None:
        self.succeeded = False
        self.ids: dict = {}          # query -> set of ids of the last answer
        self.generation = -1
        self.documents = -1


def check_answer(shared: Shared, st: ReaderEpochState, e: Epoch, query: str, answer: dict,
                 context: str, written: int, files_written: int, per_file: int,
                 batch: bool) -> dict | None:
    """Checks one query's answer; returns {file: set(docs)} or None after a problem."""
    expected = set(range(per_file)) if query == COMMON else set(PHRASE_DOCS)
    hits = answer.get("hits")
    if not isinstance(hits, list):
        shared.problem(f"{context}: no hits list")
        return None
    ids = [h.get("id") for h in hits]
    files: dict = {}
    ok = True
    for i in ids:
        m = re.fullmatch(r"f(\d+)-d(\d+)", i or "")
        if not m:
            shared.problem(f"{context}: unexpected id {i!r}")
            return None
        f, d = int(m.group(1)), int(m.group(2))
        if d in files.setdefault(f, set()):
            shared.problem(f"{context}: id {i} listed twice")
            ok = False
        files[f].add(d)
        if f >= files_written:
            shared.problem(f"{context}: hit {i} of a file not written yet ({files_written} written)")
            ok = False
    for f, docs in files.items():
        if docs != expected:
            shared.problem(f"{context}: {query} hits file {f} partly ({sorted(docs)}): not a commit")
            shared.count("partial")
            ok = False
    total = answer.get("total")
    if not batch and total != len(ids):
        shared.problem(f"{context}: total {total} but {len(ids)} hits")
        ok = False
    if answer.get("notices"):
        shared.problem(f"{context}: notices {answer['notices']}")
        shared.count("notices")
        ok = False
    if query == COMMON and len(ids) > written:
        shared.problem(f"{context}: {len(ids)} documents, only {written} written")
        ok = False
    now = set(ids)
    before = st.ids.get(query)
    if before is not None and not before <= now:
        lost = sorted(before - now)[:5]
        shared.problem(f"{context}: BACKWARDS: {query} from {len(before)} to {len(now)} hits, lost {lost}")
        shared.count("backwards")
        ok = False
    st.ids[query] = now
    if query == COMMON:
        with shared.lock:
            shared.totals.add((e.number, len(now)))
    return files if ok else None


def reader(shared: Shared, binary: str, number: int, work: str, per_file: int) -> None:
    kinds = ["common", "phrase", "both", "stats"]
    states: dict = {}
    qfile = os.path.join(work, "queries.tsv")
    i = number  # readers start at different kinds
    while not shared.stop.is_set():
        e = shared.acquire()
        if e is None:
            time.sleep(0.05)
            continue
        kind = kinds[i % len(kinds)]
        i += 1
        base = ["search", "--index", e.index, "--format", "json", "--k", "100000", "--no-snippets"]
        args = {"common": base + ["--", COMMON], "phrase": base + ["--", PHRASE],
                "both": base + ["--queries", qfile],
                "stats": ["stats", "--index", e.index, "--json", "--top", "0"]}[kind]
        try:
            r = run(binary, args, timeout=120)
            with shared.lock:
                written, files_written = e.written, e.files
        finally:
            shared.release(e)
        st = states.setdefault(e.number, ReaderEpochState())
        shared.count("searches")
        shared.count(f"searches:{kind}")
        context = f"reader {number} epoch {e.number} {kind}"
        if r.crashed:
            shared.problem(f"{context}: CRASH/HANG {brief(r)}")
            shared.count("failures")
            continue
        if r.rc != 0:
            early = r.rc == 1 and ("no committed index" in r.err or "does not exist" in r.err)
            if early and not st.succeeded:
                shared.count("no index yet")
            else:
                shared.problem(f"{context}: FAILED {brief(r)}")
                shared.count("failures")
                if "no such file" in r.err and "/manifest." in r.err:
                    shared.count("manifest removed during open")
            continue
        try:
            answers = [json.loads(line) for line in r.out.splitlines() if line.strip()]
        except ValueError:
            shared.problem(f"{context}: unreadable output {brief(r)}")
            shared.count("failures")
            continue
        st.succeeded = True
        if kind == "stats":
            a = answers[0] if answers else {}
            g, docs, deleted = a.get("generation"), a.get("documents"), a.get("deleted")
            if not isinstance(g, int) or not isinstance(docs, int):
                shared.problem(f"{context}: unreadable stats {brief(r)}")
                continue
            if g < st.generation or docs < st.documents:
                shared.problem(f"{context}: BACKWARDS: generation {st.generation} -> {g}, "
                               f"documents {st.documents} -> {docs}")
                shared.count("backwards")
            if docs % per_file or docs > written:
                shared.problem(f"{context}: {docs} documents (written {written}): not a commit")
                shared.count("partial")
            if deleted:
                shared.count("snapshots with deleted documents")
            st.generation, st.documents = max(g, st.generation), max(docs, st.documents)
            with shared.lock:
                shared.snapshots.add((e.number, g))
            continue
        if len(answers) != (2 if kind == "both" else 1):
            shared.problem(f"{context}: {len(answers)} answers {brief(r)}")
            continue
        if kind == "both":
            a = check_answer(shared, st, e, COMMON, answers[0], context, written, files_written,
                             per_file, True)
            b = check_answer(shared, st, e, PHRASE, answers[1], context, written, files_written,
                             per_file, True)
            if a is not None and b is not None and set(a) != set(b):
                shared.problem(f"{context}: one process saw the common word in {len(a)} files, "
                               f"the phrase in {len(b)}")
        else:
            check_answer(shared, st, e, COMMON if kind == "common" else PHRASE, answers[0], context,
                         written, files_written, per_file, False)


def pinned(shared: Shared, binary: str, number: int, seconds: float) -> None:
    """Long-lived `fahras repl` sessions: one snapshot each, asked the common word repeatedly."""
    while not shared.stop.is_set():
        e = shared.acquire()
        if e is None or not any(n.startswith("manifest.") for n in
                                (os.listdir(e.index) if os.path.isdir(e.index) else [])):
            if e is not None:
                shared.release(e)
            time.sleep(0.2)
            continue
        try:
            session(shared, binary, number, e, seconds)
        finally:
            shared.release(e)


def session(shared: Shared, binary: str, number: int, e: Epoch, seconds: float) -> None:
    p = subprocess.Popen([binary, "repl", "--index", e.index, "--k", "3"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    headers: queue.Queue = queue.Queue()
    err: list = []

    def pump_out() -> None:
        for raw in p.stdout:
            m = HEADER.match(raw.decode("utf-8", "replace"))
            if m:
                headers.put(int(m.group(1)))
        headers.put(None)

    def pump_err() -> None:
        err.append(p.stderr.read().decode("utf-8", "replace"))

    threads = [threading.Thread(target=pump_out, daemon=True), threading.Thread(target=pump_err, daemon=True)]
    for t in threads:
        t.start()
    context = f"pinned {number} epoch {e.number}"
    first = None
    asked = 0
    end = time.monotonic() + seconds
    try:
        while time.monotonic() < end and not shared.stop.is_set():
            p.stdin.write((COMMON + "\n").encode())
            p.stdin.flush()
            asked += 1
            try:
                total = headers.get(timeout=120)
            except queue.Empty:
                shared.problem(f"{context}: no answer within 120 s (question {asked})")
                shared.count("failures")
                break
            if total is None:
                break  # the process ended: judged below
            shared.count("pinned queries")
            if first is None:
                first = total
            elif total != first:
                shared.problem(f"{context}: CHANGED: answer {asked} has {total} hits, the first had {first}")
                shared.count("pinned changed")
            time.sleep(0.3)
    except BrokenPipeError:
        pass
    finally:
        try:
            p.stdin.close()
        except BrokenPipeError:
            pass
        try:
            rc = p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            rc = p.wait()
            shared.problem(f"{context}: repl did not exit")
        for t in threads:
            t.join(timeout=10)
    text = "".join(err).strip()
    if rc != 0 or text:
        early = "no committed index" in text or "does not exist" in text
        if not (first is None and early):
            shared.problem(f"{context}: repl rc={rc} after {asked} questions: {text[:400]}")
            shared.count("failures")
        return
    shared.count("pinned sessions")


# --------------------------------------------------------------------------------------------
# Writer


def audit_epoch(shared: Shared, binary: str, e: Epoch, per_file: int) -> None:
    context = f"epoch {e.number} final"
    check = run(binary, ["check", "--index", e.index], timeout=600)
    if check.rc != 0:
        shared.problem(f"{context}: check failed {brief(check)}")
    stats = run(binary, ["stats", "--index", e.index, "--json", "--top", "0"], timeout=600)
    try:
        s = json.loads(stats.out)
    except ValueError:
        s = {}
    if s.get("documents") != e.written or s.get("segments") != 1:
        shared.problem(f"{context}: stats {brief(stats)} (written {e.written})")
    shared.generations[e.number] = s.get("generation", 0)
    for q, want in ((COMMON, e.written), (PHRASE, e.files * len(PHRASE_DOCS))):
        r = run(binary, ["search", "--index", e.index, "--format", "json", "--k", "1", "--no-snippets",
                         "--", q], timeout=600)
        try:
            total = json.loads(r.out).get("total")
        except ValueError:
            total = None
        if total != want:
            shared.problem(f"{context}: {q} total {total}, expected {want} {brief(r)}")


def writer(shared: Shared, binary: str, args, work: str, deadline: float) -> None:
    rng = random.Random(args.seed)
    number = 0
    while time.monotonic() < deadline:
        number += 1
        e = Epoch(number, work)
        shutil.rmtree(e.root, ignore_errors=True)
        os.makedirs(e.corpus)
        with shared.lock:
            # Older epochs that no reader uses any more are removed.
            for old in list(shared.epochs.values()):
                if old.in_flight == 0 and old is not shared.epoch:
                    shutil.rmtree(old.root, ignore_errors=True)
                    del shared.epochs[old.number]
            shared.epochs[number] = e
            shared.epoch = e
        shared.count("epochs")
        rounds = 0
        while e.files < args.max_files and time.monotonic() < deadline:
            n = min(args.files_per_round, args.max_files - e.files)
            for f in range(e.files, e.files + n):
                write_file(e.corpus, number, f, args.docs_per_file)
            with shared.lock:
                e.files += n
                e.written += n * args.docs_per_file
            threads = rng.choice([1, 1, 2])
            r = run(binary, ["index", e.corpus, "--index", e.index, "--commit-every", str(args.docs_per_file),
                             "--threads", str(threads), "--quiet", "--json"], timeout=900)
            shared.count("index runs")
            rounds += 1
            try:
                summary = json.loads(r.out)
            except ValueError:
                summary = {}
            if r.rc != 0 or summary.get("added") != n * args.docs_per_file or \
                    summary.get("documents") != e.written:
                shared.problem(f"epoch {number} round {rounds}: index {brief(r)}")
            if rounds % args.merge_every == 0:
                m = run(binary, ["merge", "--index", e.index, "--max-segments", "1"], timeout=900)
                shared.count("merges")
                if m.rc != 0:
                    shared.problem(f"epoch {number} round {rounds}: merge {brief(m)}")
        m = run(binary, ["merge", "--index", e.index, "--max-segments", "1"], timeout=900)
        shared.count("merges")
        if m.rc != 0:
            shared.problem(f"epoch {number} last merge: {brief(m)}")
        audit_epoch(shared, binary, e, args.docs_per_file)
        print(f"epoch {number}: {e.files} files, {e.written} documents, {rounds} index runs, "
              f"generation {shared.generations.get(number)}; {shared.counts['searches']} searches so far, "
              f"{len(shared.problems)} problems", flush=True)
    shared.stop.set()


# --------------------------------------------------------------------------------------------


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--fahras", help="path of the fahras binary")
    p.add_argument("--workdir", default="/tmp/fahras-concurrencytest")
    p.add_argument("--seconds", type=float, default=120, help="how long the writer works (default 120)")
    p.add_argument("--readers", type=int, default=4, help="reader threads, each running processes (default 4)")
    p.add_argument("--pinned", type=int, default=1, help="long-lived repl readers (default 1)")
    p.add_argument("--pin-seconds", type=float, default=15, help="life of one repl session (default 15)")
    p.add_argument("--files-per-round", type=int, default=20)
    p.add_argument("--docs-per-file", type=int, default=8)
    p.add_argument("--max-files", type=int, default=400, help="files of an epoch before a fresh one (default 400)")
    p.add_argument("--merge-every", type=int, default=3, help="merge to one segment every N rounds (default 3)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", action="store_true", help="keep the workdir (kept anyway after a problem)")
    p.add_argument("--json", help="write the summary here")
    args = p.parse_args()
    if args.docs_per_file <= max(PHRASE_DOCS):
        raise SystemExit(f"--docs-per-file must be at least {max(PHRASE_DOCS) + 1}")

    binary = find_fahras(args.fahras)
    work = os.path.abspath(args.workdir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    with open(os.path.join(work, "queries.tsv"), "w", encoding="utf-8") as fh:
        fh.write(f"c\t{COMMON}\np\t{PHRASE}\n")
    print(f"concurrencytest: {binary}, workdir {work}, {args.readers} readers, {args.pinned} pinned, "
          f"{args.seconds:.0f} s, seed {args.seed}", flush=True)

    shared = Shared()
    t0 = time.monotonic()
    threads = [threading.Thread(target=reader, args=(shared, binary, i, work, args.docs_per_file), daemon=True)
               for i in range(args.readers)]
    threads += [threading.Thread(target=pinned, args=(shared, binary, i, args.pin_seconds), daemon=True)
                for i in range(args.pinned)]
    for t in threads:
        t.start()
    try:
        writer(shared, binary, args, work, t0 + args.seconds)
    finally:
        shared.stop.set()
        for t in threads:
            t.join(timeout=300)
    c = shared.counts
    summary = {
        "seconds": round(time.monotonic() - t0, 1),
        "epochs": c["epochs"],
        "index runs": c["index runs"],
        "merges": c["merges"],
        "commits (manifest generations)": sum(shared.generations.values()),
        "searches run": c["searches"],
        "by kind": {k: c[f"searches:{k}"] for k in ("common", "phrase", "both", "stats")},
        "no committed index yet (allowed)": c["no index yet"],
        "snapshots seen (distinct stats generations)": len(shared.snapshots),
        "distinct document counts seen by searches": len(shared.totals),
        "snapshots with deleted documents": c["snapshots with deleted documents"],
        "pinned repl sessions": c["pinned sessions"],
        "pinned repl queries": c["pinned queries"],
        "pinned answers changed": c["pinned changed"],
        "backwards steps": c["backwards"],
        "partial commits seen": c["partial"],
        "notices": c["notices"],
        "failures": c["failures"],
        "of which manifest removed during open": c["manifest removed during open"],
        "problems": len(shared.problems),
    }
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    for pr in shared.problems[:50]:
        print("  " + pr)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"summary": summary, "problems": shared.problems}, fh, indent=1, ensure_ascii=False)
    if not shared.problems and not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if shared.problems else 0


if __name__ == "__main__":
    sys.exit(main())
