#!/usr/bin/env python3
"""Deterministic benchmark queries drawn from a corpus by document-frequency bands.

Reads a JSON Lines corpus (``{"title", "body", ...}`` per line; a file or a folder of
``*.jsonl``), sampling it if it is large, tokenizes it simply (lowercase; Arabic harakat,
Quranic marks and tatweel removed; words are maximal runs of letters, at least two long),
computes document frequencies, and writes ``class<TAB>query`` lines:

* ``term``    one word                         ``word``
* ``and``     2-3 words that co-occur in a doc  ``+a +b +c``
* ``or``      2-4 independent words             ``a b c``
* ``phrase``  2-3 consecutive words of a doc    ``"a b"``

Words come from three document-frequency bands: ``rare`` (df below 0.1% of the sampled
documents, at least 2), ``medium`` (0.1%-1%) and ``frequent`` (1% and more), after dropping
the ``--stopwords`` most frequent words.  Term queries cycle through the bands; AND/OR
queries pick a band for each word; phrases are taken from a random document (words
separated only by spaces, not all of them stopwords).  The same corpus and seed give the
same file.

Example::

    python3 tools/gen_queries.py --corpus /tmp/ar100k.jsonl --seed 1 --per-class 200 --out /tmp/q.tsv
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import os
import random
import re
import sys

CLASSES = ("term", "and", "or", "phrase")
BANDS = ("rare", "medium", "frequent")

# Harakat, Quranic annotation marks, superscript alef and tatweel are removed before tokenizing.
_STRIP = {cp: None for cp in itertools.chain(range(0x0610, 0x061B), range(0x064B, 0x0660), (0x0670, 0x0640),
                                              range(0x06D6, 0x06EE))}
WORD_RE = re.compile(r"[^\W\d_]{2,}")


def normalize(text: str) -> str:
    """Lowercase and remove Arabic diacritics and tatweel."""
    return text.translate(_STRIP).lower()


def corpus_files(path: str) -> list[str]:
    """The corpus file, or the sorted ``*.jsonl`` files of a folder."""
    if os.path.isdir(path):
        files = sorted(os.path.join(path, f) for f in os.listdir(path) if f.endswith(".jsonl"))
        if not files:
            raise SystemExit(f"gen_queries: no .jsonl files in {path}")
        return files
    if not os.path.exists(path):
        raise SystemExit(f"gen_queries: {path} does not exist")
    return [path]


def _doc_text(line: str) -> str | None:
    try:
        d = json.loads(line)
    except ValueError:
        return None
    if not isinstance(d, dict):
        return None
    title = d.get("title") if isinstance(d.get("title"), str) else ""
    body = d.get("body") if isinstance(d.get("body"), str) else ""
    # A newline keeps title and body words from forming a phrase together.
    return title + "\n" + body


def read_documents(files: list[str], max_docs: int, blocks: int = 64):
    """Yield document texts: all of them if the corpus is small, else ``max_docs`` documents read as
    ``blocks`` runs of consecutive lines starting at evenly spaced byte offsets (deterministic)."""
    sizes = [os.path.getsize(f) for f in files]
    total = sum(sizes)
    # Estimate the average line length from the first file's head.
    with open(files[0], "rb") as f:
        head = f.read(4 << 20)
    lines_in_head = max(1, head.count(b"\n"))
    avg = max(1, len(head) // lines_in_head)
    if total // avg <= max_docs * 1.1:
        for name in files:
            with open(name, encoding="utf-8", errors="replace") as f:
                for line in f:
                    t = _doc_text(line)
                    if t is not None:
                        yield t
        return
    per_block = max(1, max_docs // blocks)
    for b in range(blocks):
        offset = total * b // blocks
        # Locate the file holding this global offset.
        for name, size in zip(files, sizes):
            if offset < size:
                break
            offset -= size
        with open(name, "rb") as f:
            f.seek(offset)
            if offset:
                f.readline()  # skip the partial line
            for _ in range(per_block):
                raw = f.readline()
                if not raw:
                    break
                t = _doc_text(raw.decode("utf-8", errors="replace"))
                if t is not None:
                    yield t


class CorpusSample:
    """Document frequencies over the sampled documents, plus a reservoir of tokenized documents."""

    def __init__(self, texts, rng: random.Random, keep: int = 20000):
        self.df: collections.Counter = collections.Counter()
        self.docs = 0
        self.kept: list[list[tuple[str, bool]]] = []  # (word, preceded by whitespace only)
        for text in texts:
            text = normalize(text)
            self.docs += 1
            slot = len(self.kept) if len(self.kept) < keep else rng.randrange(self.docs)
            if slot >= keep:
                self.df.update(set(WORD_RE.findall(text)))
                continue
            seq = []
            prev_end = None
            for m in WORD_RE.finditer(text):
                glued = prev_end is not None and text[prev_end : m.start()].isspace()
                seq.append((m.group(), glued))
                prev_end = m.end()
            self.df.update({w for w, _ in seq})
            if slot == len(self.kept):
                self.kept.append(seq)
            else:
                self.kept[slot] = seq
        if not self.docs:
            raise SystemExit("gen_queries: no documents read")


class Bands:
    """Words grouped by document-frequency band, stopwords excluded."""

    def __init__(self, df: collections.Counter, docs: int, stopwords: int, edges: tuple[float, float], min_df: int):
        ranked = sorted(df.items(), key=lambda kv: (-kv[1], kv[0]))
        self.stop = {w for w, _ in ranked[:stopwords]}
        lo = max(min_df + 1, int(round(edges[0] * docs)))
        hi = max(lo + 1, int(round(edges[1] * docs)))
        self.edges = (min_df, lo, hi)
        self.words: dict[str, list[str]] = {b: [] for b in BANDS}
        self.band_of: dict[str, str] = {}
        for w, n in ranked[stopwords:]:
            if n < min_df:
                continue
            band = "rare" if n < lo else "medium" if n < hi else "frequent"
            self.words[band].append(w)
            self.band_of[w] = band
        # Fall back to neighbouring bands when a small corpus leaves one empty.
        for b in BANDS:
            if not self.words[b]:
                for other in ("medium", "rare", "frequent"):
                    if self.words[other]:
                        self.words[b] = self.words[other]
                        break
        if not any(self.words.values()):
            raise SystemExit("gen_queries: corpus too small: no candidate words")


class QueryMaker:
    """Draws queries of each class without duplicates."""

    def __init__(self, sample: CorpusSample, bands: Bands, rng: random.Random):
        self.sample = sample
        self.bands = bands
        self.rng = rng

    def word(self, band: str, exclude=()) -> str:
        """A random word of ``band`` not in ``exclude``."""
        pool = self.bands.words[band]
        for _ in range(100):
            w = pool[self.rng.randrange(len(pool))]
            if w not in exclude:
                return w
        return pool[self.rng.randrange(len(pool))]

    def term(self, i: int) -> str:
        return self.word(BANDS[i % 3])

    def conjunction(self, i: int) -> str:
        """2-3 words that co-occur in one sampled document (falls back to independent words)."""
        rng = self.rng
        k = 2 + (i % 2)
        want = [BANDS[(i // 2 + j) % 3] for j in range(k)]
        for _ in range(200):
            doc = self.sample.kept[rng.randrange(len(self.sample.kept))]
            by_band: dict[str, list[str]] = collections.defaultdict(list)
            for w in dict.fromkeys(w for w, _ in doc):
                b = self.bands.band_of.get(w)
                if b:
                    by_band[b].append(w)
            picked: list[str] = []
            ok = True
            for b in want:
                cands = [w for w in by_band[b] if w not in picked]
                if not cands:
                    ok = False
                    break
                picked.append(cands[rng.randrange(len(cands))])
            if ok:
                return " ".join("+" + w for w in picked)
        picked = []
        for b in want:
            picked.append(self.word(b, picked))
        return " ".join("+" + w for w in picked)

    def disjunction(self, i: int) -> str:
        """2-4 independent words from random bands."""
        k = 2 + (i % 3)
        picked: list[str] = []
        for _ in range(k):
            picked.append(self.word(BANDS[self.rng.randrange(3)], picked))
        return " ".join(picked)

    def phrase(self, i: int) -> str | None:
        """2-3 consecutive space-separated words of a sampled document, not all stopwords."""
        rng = self.rng
        k = 2 + (i % 2)
        for _ in range(200):
            doc = self.sample.kept[rng.randrange(len(self.sample.kept))]
            if len(doc) < k:
                continue
            s = rng.randrange(len(doc) - k + 1)
            span = doc[s : s + k]
            if not all(glued for _, glued in span[1:]):
                continue
            words = [w for w, _ in span]
            if all(w in self.bands.stop for w in words):
                continue
            return '"' + " ".join(words) + '"'
        return None

    def make(self, cls: str, count: int) -> list[str]:
        """``count`` distinct queries of class ``cls`` (fewer if the corpus cannot supply them)."""
        fn = {"term": self.term, "and": self.conjunction, "or": self.disjunction, "phrase": self.phrase}[cls]
        out: dict[str, None] = {}
        i = 0
        while len(out) < count and i < count * 20:
            q = fn(i)
            i += 1
            if q and q not in out:
                out[q] = None
        return list(out)


def parse_args(argv=None) -> argparse.Namespace:
    """Command-line interface."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", required=True, help="corpus .jsonl file or folder of .jsonl files")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--per-class", type=int, default=200, help="queries per class (default 200)")
    p.add_argument("--out", required=True, help="output TSV path, or - for stdout")
    p.add_argument("--classes", default=",".join(CLASSES), help="comma-separated subset of term,and,or,phrase")
    p.add_argument("--max-docs", type=int, default=100_000, help="sample at most this many documents")
    p.add_argument("--stopwords", type=int, default=50, help="most frequent words never used alone (default 50)")
    p.add_argument("--band-edges", default="0.001,0.01",
                   help="df fractions separating rare/medium/frequent (default 0.001,0.01)")
    p.add_argument("--min-df", type=int, default=2, help="smallest df of a query word (default 2)")
    p.add_argument("--quiet", action="store_true")
    args = p.parse_args(argv)
    args.classes = [c.strip() for c in args.classes.split(",") if c.strip()]
    for c in args.classes:
        if c not in CLASSES:
            p.error(f"unknown class {c!r}")
    try:
        lo, hi = (float(x) for x in args.band_edges.split(","))
    except ValueError:
        p.error("--band-edges needs two comma-separated fractions")
    if not 0 < lo < hi < 1:
        p.error("--band-edges must satisfy 0 < lo < hi < 1")
    args.edges = (lo, hi)
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    rng = random.Random(args.seed)
    files = corpus_files(args.corpus)
    sample = CorpusSample(read_documents(files, args.max_docs), random.Random(args.seed ^ 0x5EED))
    bands = Bands(sample.df, sample.docs, args.stopwords, args.edges, args.min_df)
    maker = QueryMaker(sample, bands, rng)
    lines = []
    counts = {}
    for cls in args.classes:
        qs = maker.make(cls, args.per_class)
        counts[cls] = len(qs)
        lines.extend(f"{cls}\t{q}" for q in qs)
    text = "\n".join(lines) + ("\n" if lines else "")
    if args.out == "-":
        sys.stdout.write(text)
    else:
        with open(args.out, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    if not args.quiet:
        e = bands.edges
        print(
            f"gen_queries: {sample.docs} docs sampled, {len(sample.df)} words; df bands rare [{e[0]},{e[1]}) "
            f"{len(bands.words['rare'])} words, medium [{e[1]},{e[2]}) {len(bands.words['medium'])}, "
            f"frequent >= {e[2]} {len(bands.words['frequent'])}; queries "
            + ", ".join(f"{c} {n}" for c, n in counts.items()),
            file=sys.stderr,
        )
        short = [c for c, n in counts.items() if n < args.per_class]
        if short:
            print(f"gen_queries: warning: fewer than {args.per_class} queries for {', '.join(short)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
