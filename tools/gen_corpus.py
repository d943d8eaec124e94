#!/usr/bin/env python3
"""Deterministic synthetic corpus generator for Fahras benchmarks.

Writes JSON Lines, one document per line::

    {"id": "ar-000000000", "title": "...", "body": "...", "source": "..."}

Model
-----
* Vocabulary: a ranked list of word types with Zipf-like probabilities.
  Arabic (default) uses a two-regime law fitted to SaudiNewsNet (exponent 0.8
  up to rank 3000, 1.3 beyond); English uses a plain Zipf law with s = 1.05.
  Both are adjustable (``--zipf``, ``--zipf-tail``, ``--zipf-break``).
* Words: synthesized from a letter model (Arabic: roots x patterns x clitics,
  e.g. و/ال/ب/ل prefixes and ة/ات/ون/ين/ها suffixes, plus a few real function
  words at the top ranks; English: syllables + suffixes), or taken with their
  empirical frequencies from a real corpus (``--vocab-from``).
* Orthographic noise (Arabic): occasional harakat (mostly tanween), bare alef
  for hamza-alef, heh for teh marbuta, tatweel, Persian yeh/keheh, numbers in
  Arabic-Indic digits.
* Heaps-like growth: besides the ranked vocabulary, a small fraction of tokens
  (``--novel-rate``) comes from a virtually unbounded Zipf tail of words built
  deterministically from their rank, so the number of types keeps growing with
  the corpus size instead of saturating.
* Lengths: log-normal titles (median 8 words) and bodies (median 250 words,
  long tail capped at 3000), sentences (median 18 words) with commas, quotes
  and final punctuation, grouped into paragraphs separated by blank lines.

Speed: pooled sentences
-----------------------
Every i.i.d. token from a large vocabulary costs a random memory access, which
pure Python cannot make cheap, so bodies are assembled from whole sentences:
each batch keeps a pool of 4096 sentences drawn i.i.d. from the model, a
document picks its sentences uniformly from the pool and then replaces
``--fresh`` (default 0.2) times as many pool entries by new sentences.  Word
frequencies follow the model exactly, but a sentence (and so any phrase inside
it) recurs about 1/fresh = 5 times at random places of its batch, where a
SaudiNewsNet sentence occurs 1.06 times on average.  Titles reuse recently drawn words and
open-tail words are inserted per document, so hapaxes stay hapaxes.
``--fresh 1`` draws every sentence anew (exact i.i.d. text, about 3x slower).

Determinism and scale
---------------------
Documents are produced in batches of ``--batch-docs`` (10000), each from its own
RNG seeded from (seed, batch number), so the output is byte-identical for the
same arguments whatever ``--jobs`` is (and ``PYTHONHASHSEED``), and the first K
documents of an N-document corpus equal a K-document corpus.  The vocabulary
depends only on the language, ``--vocab-seed``, ``--vocab-size`` and
``--vocab-from`` (not on ``--seed``), so corpora with different seeds share one
"language".  Memory is constant in N (about 300-600 MB: the sampling urn, the
vocabulary and one batch per worker); worker processes (``--jobs``, default 2)
write batches to temporary files next to the output, which the parent appends in
order.

Examples::

    python3 tools/gen_corpus.py --lang ar --docs 100000 --seed 1 --out /tmp/ar100k.jsonl
    python3 tools/gen_corpus.py --lang en --docs 1000 --seed 7 --out - | head -1
    python3 tools/gen_corpus.py --lang ar --docs 1000000 --seed 1 \\
        --vocab-from /tmp/saudinews.jsonl --sentence-mix 0.3 --out /tmp/ar1m.jsonl
"""

from __future__ import annotations

import argparse
import array
import collections
import itertools
import json
import math
import multiprocessing
import operator
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from json.encoder import encode_basestring as _json_str  # C-accelerated

BATCH_DOCS = 10_000
"""Default documents per RNG batch; part of the output definition (changing it changes the output)."""

MASK64 = (1 << 64) - 1
_BIG_ENDIAN = sys.byteorder == "big"

# --------------------------------------------------------------------------------------------
# Language data
# --------------------------------------------------------------------------------------------

AR_FUNCTION_WORDS = (
    "في من على أن إلى التي عن مع الذي ما لا أو هذا خلال هذه بعد بين إن كل ذلك كما حيث كان "
    "قبل لم عام اليوم وقال أنه هو حتى وفي قد أي تم أكثر أمس وهو ومن له كانت غير بعض منذ ولا "
    "فيها الذين وذلك عند فيه أيضا إلا وأن لها به عليه هناك تلك ثم وقد بها لدى نحو إنه"
).split()

EN_FUNCTION_WORDS = (
    "the of and to in a is that for it as was with be by on not he this are or his from at "
    "which but have an had they you were their one all we can her has there been if more when "
    "will would who so no said also its after new than about two into over"
).split()

AR_SOURCES = (
    ("okaz", 14), ("sabq", 13), ("alriyadh", 12), ("almadina", 9), ("alyaum", 8), ("aleqtisadiya", 7),
    ("alwatan", 6), ("spa", 5), ("aljazirah", 5), ("almowaten", 3), ("ajel", 2), ("alsharq", 2),
)
EN_SOURCES = (
    ("daily-herald", 12), ("the-courier", 10), ("morning-post", 9), ("gazette", 7), ("wire", 6),
    ("tribune", 5), ("observer", 4), ("chronicle", 3), ("ledger", 2),
)

# Consonant frequencies for synthetic roots (rough, from Arabic news text).
AR_ROOT_LETTERS = (
    ("ل", 8), ("م", 6), ("ر", 7), ("ن", 6), ("ب", 5), ("ع", 5), ("ق", 5), ("د", 4), ("ح", 5),
    ("س", 5), ("ف", 4), ("ك", 3), ("ت", 3), ("ج", 4), ("ش", 3), ("ص", 3), ("خ", 3), ("ط", 3),
    ("ز", 2), ("ض", 2), ("ه", 2), ("غ", 2), ("ث", 1.5), ("ذ", 1.5), ("ظ", 0.7), ("و", 3),
    ("ي", 3), ("ء", 0.5),
)

# Morphological patterns: template over root letters {0}{1}{2}, weight, accepts the article.
AR_PATTERNS = (
    ("{0}{1}{2}", 10, True), ("{0}ا{1}{2}", 6, True), ("م{0}{1}و{2}", 3, True),
    ("ت{0}{1}ي{2}", 3, True), ("است{0}{1}ا{2}", 2, True), ("{0}{1}ي{2}", 5, True),
    ("{0}{1}ا{2}", 5, True), ("م{0}{1}{2}", 4, True), ("ا{0}ت{1}ا{2}", 2, True),
    ("ان{0}{1}ا{2}", 1, True), ("ت{0}ا{1}{2}", 2, True), ("م{0}ا{1}{2}", 2, True),
    ("ي{0}{1}{2}", 5, False), ("ت{0}{1}{2}", 3, False), ("أ{0}{1}ا{2}", 3, True),
    ("أ{0}{1}{2}", 2, False), ("إ{0}{1}ا{2}", 2, True), ("{0}{1}و{2}", 2, True),
    ("م{0}ت{1}{2}", 2, True), ("{0}{1}{2}ي", 3, True), ("م{0}{1}{2}ي", 1, True),
)

# Proclitics: text, weight, carries the definite article.
AR_PREFIXES = (
    ("", 52, False), ("ال", 24, True), ("و", 6, False), ("وال", 4.5, True), ("بال", 3, True),
    ("ب", 2.5, False), ("ل", 2, False), ("لل", 2, True), ("ف", 1, False), ("كال", 0.5, True),
    ("ك", 0.5, False), ("فال", 0.5, True), ("وب", 0.5, False), ("ول", 0.5, False),
)

# Enclitics / inflectional suffixes: text, weight, is a pronoun (incompatible with the article).
AR_SUFFIXES = (
    ("", 48, False), ("ة", 14, False), ("ات", 5, False), ("ين", 4, False), ("ون", 2, False),
    ("ان", 2, False), ("ي", 3, True), ("ية", 4, False), ("ه", 3, True), ("ها", 3, True),
    ("هم", 2, True), ("نا", 1, True), ("كم", 0.5, True), ("تها", 1, True), ("يات", 0.5, False),
    ("يين", 0.5, False),
)

AR_HARAKAT = ("\u064b", "\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u064c", "\u064d")
AR_TATWEEL = "\u0640"
AR_INDIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

EN_ONSETS = (
    ("", 6), ("b", 3), ("c", 3), ("d", 3), ("f", 2), ("g", 2), ("h", 3), ("j", 0.5), ("k", 1),
    ("l", 3), ("m", 3), ("n", 2), ("p", 3), ("r", 3), ("s", 4), ("t", 4), ("v", 1), ("w", 2),
    ("st", 1.5), ("tr", 1), ("pr", 1), ("br", 0.7), ("ch", 1), ("sh", 1), ("th", 1.5), ("pl", 0.5),
    ("gr", 0.5), ("cl", 0.5), ("fl", 0.4), ("sp", 0.4), ("qu", 0.3), ("wh", 0.5), ("y", 0.4),
)
EN_NUCLEI = (
    ("a", 8), ("e", 9), ("i", 7), ("o", 6), ("u", 3), ("ea", 1), ("ou", 1), ("ai", 0.7),
    ("io", 0.5), ("ee", 0.6), ("oo", 0.5), ("y", 0.4), ("au", 0.3),
)
EN_CODAS = (
    ("", 10), ("n", 4), ("r", 4), ("s", 2), ("t", 3), ("l", 3), ("m", 1.5), ("nd", 1.2),
    ("st", 1), ("ng", 1), ("ck", 0.6), ("rt", 0.6), ("nt", 1), ("x", 0.2), ("ll", 0.7), ("d", 1.5),
    ("ss", 0.5), ("rn", 0.3), ("ct", 0.4),
)
EN_SUFFIXES = (
    ("", 55), ("s", 12), ("ed", 6), ("ing", 6), ("er", 4), ("ly", 3), ("tion", 3), ("al", 3),
    ("ment", 2), ("ers", 2), ("ness", 1), ("ity", 2), ("ic", 1), ("es", 2), ("ive", 1),
)

# --------------------------------------------------------------------------------------------
# Small utilities
# --------------------------------------------------------------------------------------------


def splitmix64(x: int) -> int:
    """One SplitMix64 output for state ``x`` (used to derive words from ranks by hashing)."""
    x = (x + 0x9E3779B97F4A7C15) & MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK64
    return x ^ (x >> 31)


def weighted_table(items, size: int = 256) -> tuple:
    """Quantize ``(value, weight, ...)`` items into a tuple of ``size`` values for O(1) draws by a random byte."""
    total = sum(it[1] for it in items)
    out: list = []
    acc = 0.0
    for it in items:
        acc += it[1]
        target = round(acc / total * size)
        out.extend([it[0]] * (target - len(out)))
    while len(out) < size:
        out.append(items[0][0])
    return tuple(out[:size])


def quantile_table(median: float, sigma: float, lo: int, hi: int, size: int) -> array.array:
    """Log-normal quantiles (median, sigma) at ``size`` evenly spaced probabilities, clamped to [lo, hi]."""
    nd = statistics.NormalDist()
    mu = math.log(median)
    out = array.array("H")
    for k in range(size):
        z = nd.inv_cdf((k + 0.5) / size)
        out.append(max(lo, min(hi, int(round(math.exp(mu + sigma * z))))))
    return out


def zipf_probabilities(n: int, s: float, s_tail: float, brk: int) -> list[float]:
    """Normalized two-regime Zipf probabilities for ranks 1..n (exponent s up to ``brk``, then s_tail)."""
    c = float(brk) ** (s_tail - s)  # continuity at the break
    w = [r**-s if r <= brk else c * r**-s_tail for r in range(1, n + 1)]
    total = math.fsum(w)
    return [x / total for x in w]


# --------------------------------------------------------------------------------------------
# Word models
# --------------------------------------------------------------------------------------------


class ArabicWords:
    """Letter model for plausible Arabic words: (proclitic) + root-pattern stem + (suffix)."""

    script = "ar"

    def __init__(self, vseed: int, roots: int = 6000):
        rng = random.Random(vseed * 7919 + 1)
        letters = [x[0] for x in AR_ROOT_LETTERS]
        lw = list(itertools.accumulate(x[1] for x in AR_ROOT_LETTERS))
        seen: dict[str, None] = {}
        while len(seen) < roots:
            c1, c2, c3 = rng.choices(letters, cum_weights=lw, k=3)
            if c1 == c2 or (c1 in "وي" and c2 in "وي"):
                continue
            seen.setdefault(c1 + c2 + c3, None)
        self.roots = list(seen)
        self.root_cw = list(itertools.accumulate(1.0 / r for r in range(1, roots + 1)))
        self.patterns = AR_PATTERNS
        self.pattern_cw = list(itertools.accumulate(p[1] for p in AR_PATTERNS))
        self.prefix_cw = list(itertools.accumulate(p[1] for p in AR_PREFIXES))
        self.suffix_cw = list(itertools.accumulate(s[1] for s in AR_SUFFIXES))
        self.letter_tab = weighted_table(AR_ROOT_LETTERS + (("ا", 8),), 256)
        self.bigrams = tuple(
            self.letter_tab[rng.getrandbits(8)] + self.letter_tab[rng.getrandbits(8)] for _ in range(4096)
        )
        self.prefix_tab = weighted_table(tuple((x, x[1]) for x in AR_PREFIXES), 256)
        self.suffix_tab = weighted_table(tuple((x, x[1]) for x in AR_SUFFIXES), 256)

    @staticmethod
    def _compose(prefix, stem, suffix, article_ok: bool) -> str:
        pre, _, art = prefix
        suf, _, pron = suffix
        if art and not article_ok:
            pre = "و" if pre.startswith("و") else ""
            art = False
        if art and pron:
            suf = ""
        if stem.endswith("ي") and suf in ("ي", "ية", "يات", "يين", "ين"):
            suf = "ة" if suf == "ية" else suf[1:] or ""
        return pre + stem + suf

    def sample(self, rng: random.Random, n: int) -> list[str]:
        """``n`` words drawn from the morphological model (frequent combinations come first on average)."""
        roots = rng.choices(self.roots, cum_weights=self.root_cw, k=n)
        pats = rng.choices(self.patterns, cum_weights=self.pattern_cw, k=n)
        pres = rng.choices(AR_PREFIXES, cum_weights=self.prefix_cw, k=n)
        sufs = rng.choices(AR_SUFFIXES, cum_weights=self.suffix_cw, k=n)
        out = []
        for root, pat, pre, suf in zip(roots, pats, pres, sufs):
            out.append(self._compose(pre, pat[0].format(*root), suf, pat[2]))
        return out

    def novel(self, key: int) -> str:
        """A rare word derived only from ``key`` (a rank in the unbounded tail)."""
        h = splitmix64(key)
        pre = self.prefix_tab[h & 255]
        suf = self.suffix_tab[(h >> 8) & 255]
        if pre[2] and suf[2]:
            suf = AR_SUFFIXES[0]
        bg = self.bigrams
        stem = bg[(h >> 16) & 4095] + bg[(h >> 28) & 4095]
        if h >> 63:
            stem += self.letter_tab[(h >> 40) & 255]
        return pre[0] + stem + suf[0]

    @staticmethod
    def variants(word: str, h: int) -> list[tuple[str, float]]:
        """Orthographic variants of ``word`` with the share of its occurrences they take."""
        out = []
        # Tanween fatha on adverb-like words ending in alef, otherwise a random haraka.
        if word.endswith("ا") and len(word) > 3:
            out.append((word + "\u064b", 0.25 if h & 1 else 0.08))
        pos = 1 + (h >> 3) % max(1, len(word) - 1)
        har = AR_HARAKAT[(h >> 9) & 7]
        out.append((word[:pos] + har + word[pos:], 0.006))
        # Hamza-less alef, very common in news text ("الى", "اكثر").
        for i, ch in enumerate(word[:4]):
            if ch in "أإآ":
                out.append((word[:i] + "ا" + word[i + 1 :], 0.15))
                break
        if word.endswith("ة"):
            out.append((word[:-1] + "ه", 0.01))
        if len(word) > 3:
            out.append((word[:2] + AR_TATWEEL + word[2:], 0.002))
        if "ي" in word or "ك" in word:
            out.append((word.replace("ي", "ی").replace("ك", "ک"), 0.0002))
        return out


class EnglishWords:
    """Syllable model for English-looking words: stem (1-3 syllables) + suffix."""

    script = "en"

    def __init__(self, vseed: int, stems: int = 40000):
        rng = random.Random(vseed * 7919 + 2)
        self.onset_tab = weighted_table(EN_ONSETS, 256)
        self.nucleus_tab = weighted_table(EN_NUCLEI, 256)
        self.coda_tab = weighted_table(EN_CODAS, 256)
        self.suffix_tab = weighted_table(EN_SUFFIXES, 256)
        self.syllables = tuple(
            self.onset_tab[rng.getrandbits(8)] + self.nucleus_tab[rng.getrandbits(8)] + self.coda_tab[rng.getrandbits(6)]
            for _ in range(4096)
        )
        seen: dict[str, None] = {}
        while len(seen) < stems:
            stem = self._stem(rng.getrandbits(64))
            if len(stem) >= 2:
                if rng.random() < 0.04:
                    stem = stem.capitalize()  # proper names keep their capital
                seen.setdefault(stem, None)
        self.stems = list(seen)
        self.stem_cw = list(itertools.accumulate(1.0 / r for r in range(1, stems + 1)))
        self.suffix_cw = list(itertools.accumulate(s[1] for s in EN_SUFFIXES))

    def _stem(self, h: int) -> str:
        n = 1 + ((h & 3) > 0) + ((h & 12) == 12)
        parts = []
        for i in range(n):
            b = (h >> (4 + 12 * i)) & 0xFFF
            parts.append(self.onset_tab[b & 255] + self.nucleus_tab[(b >> 4) & 255] + self.coda_tab[(b >> 6) & 63])
        return "".join(parts)

    @staticmethod
    def _join(stem: str, suf: str) -> str:
        if suf and stem[-1] in "aeiouy" and suf[0] in "aeiou":
            stem = stem[:-1] if stem[-1] in "ey" or len(stem) > 3 else stem + "r"
        return stem + suf

    def sample(self, rng: random.Random, n: int) -> list[str]:
        """``n`` words drawn from the model."""
        stems = rng.choices(self.stems, cum_weights=self.stem_cw, k=n)
        sufs = rng.choices(EN_SUFFIXES, cum_weights=self.suffix_cw, k=n)
        return [self._join(st, su[0]) for st, su in zip(stems, sufs)]

    def novel(self, key: int) -> str:
        """A rare word derived only from ``key``."""
        h = splitmix64(key)
        sy = self.syllables
        stem = sy[h & 4095] + sy[(h >> 12) & 4095]
        if h >> 63:
            stem += sy[(h >> 24) & 4095]
        return self._join(stem, self.suffix_tab[(h >> 40) & 255])

    @staticmethod
    def variants(word: str, h: int) -> list[tuple[str, float]]:
        """English vocabulary has no orthographic variants in this model."""
        return []


# --------------------------------------------------------------------------------------------
# Vocabularies and sampling tables
# --------------------------------------------------------------------------------------------

SOURCE_TOKEN_RE = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]+")
SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?؟])\s+|\n+")
ARABIC_LETTER_RE = re.compile(r"[\u0621-\u064a]")
LATIN_LETTER_RE = re.compile(r"[A-Za-z]")


def iter_source_texts(path: str):
    """Yield text fields from a JSONL/text file or every *.jsonl/*.txt file of a folder (sorted)."""
    if os.path.isdir(path):
        files = sorted(
            os.path.join(path, f) for f in os.listdir(path) if f.endswith((".jsonl", ".json", ".txt"))
        )
    else:
        files = [path]
    if not files:
        raise SystemExit(f"gen_corpus: no .jsonl/.txt files in {path}")
    for name in files:
        with open(name, encoding="utf-8", errors="replace") as f:
            for line in f:
                s = line.strip()
                if not s:
                    continue
                if s[0] == "{":
                    try:
                        d = json.loads(s)
                    except ValueError:
                        yield line
                        continue
                    for key in ("title", "body", "text", "content"):
                        v = d.get(key)
                        if isinstance(v, str) and v:
                            yield v
                else:
                    yield line


class SourceVocabulary:
    """Word frequencies (and optionally a sample of sentences) read from a real corpus."""

    def __init__(self, path: str, keep_sentences: int, vseed: int):
        counts: collections.Counter = collections.Counter()
        sentences: list[str] = []
        seen_sentences = 0
        rng = random.Random(vseed * 7919 + 3)
        ar = la = 0
        for text in iter_source_texts(path):
            toks = SOURCE_TOKEN_RE.findall(text)
            counts.update(toks)
            if ar + la < 2_000_000:
                head = text[:200]
                ar += len(ARABIC_LETTER_RE.findall(head))
                la += len(LATIN_LETTER_RE.findall(head))
            if keep_sentences:
                for s in SENTENCE_SPLIT_RE.split(text):
                    s = s.strip()
                    n = s.count(" ") + 1
                    if 5 <= n <= 60:
                        seen_sentences += 1
                        if len(sentences) < keep_sentences:
                            sentences.append(s)
                        else:
                            j = rng.randrange(seen_sentences)
                            if j < keep_sentences:
                                sentences[j] = s
        if not counts:
            raise SystemExit(f"gen_corpus: no words found in {path}")
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        total = sum(counts.values())
        self.words = [w for w, _ in ranked]
        self.probs = [c / total for _, c in ranked]
        self.tokens = total
        self.sentences = sentences
        self.script = "ar" if ar >= la else "en"


def build_ranked_vocabulary(model, size: int, function_words, vseed: int) -> list[str]:
    """Function words first, then distinct model words in order of first appearance (a noisy frequency order)."""
    rng = random.Random(vseed * 7919 + 4)
    seen: dict[str, None] = dict.fromkeys(function_words)
    stall = 0
    while len(seen) < size and stall < 50:
        before = len(seen)
        for w in model.sample(rng, 50000):
            if w not in seen:
                seen[w] = None
                if len(seen) >= size:
                    break
        stall = stall + 1 if len(seen) - before < 100 else 0
    words = list(seen)
    # Top up with tail words if the morphology ran out of combinations.
    key = 1 << 40
    while len(words) < size:
        w = model.novel(key)
        key += 1
        if w not in seen:
            seen[w] = None
            words.append(w)
    return words


class TokenTable:
    """Urn of ``~2**bits`` slots, each holding a word, filled proportionally to word probabilities.

    Drawing a token is one uniform slot index, done in C via ``map`` over an array of random
    32-bit integers.  Words whose expected slot count is below one get a slot with that
    probability (stochastic rounding), so their total mass is preserved.
    """

    def __init__(self, words, probs, bits: int, vseed: int, variants=None):
        rng = random.Random(vseed * 7919 + 5)
        m = float(1 << bits)
        slots: list[str] = []
        extend = slots.extend
        rnd = rng.random
        for rank, (w, p) in enumerate(zip(words, probs)):
            e = p * m
            if variants is not None:
                remaining = e
                for v, share in variants(w, splitmix64(rank ^ (vseed << 32))):
                    c = int(e * share + rnd())
                    if c:
                        extend([v] * c)
                    remaining -= e * share
                e = remaining
            c = int(e + rnd())
            if c:
                extend([w] * c)
        if not slots:
            raise SystemExit("gen_corpus: empty vocabulary")
        self.slots = slots
        self.size = len(slots)

    def draw(self, rng: random.Random, n: int) -> list[str]:
        """``n`` independent tokens."""
        a = array.array("I")
        a.frombytes(rng.randbytes(4 * n))
        if _BIG_ENDIAN:
            a.byteswap()  # same integers, hence the same output, on every platform
        return list(map(self.slots.__getitem__, map(operator.mod, a, itertools.repeat(self.size, n))))

    def one(self, rng: random.Random) -> str:
        """One token."""
        return self.slots[rng.getrandbits(32) % self.size]


# --------------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------------

POOL_BITS = 12
"""log2 of the number of sentences in a batch's sentence pool."""

SENTENCE_LEN = quantile_table(18, 0.5, 3, 70, 256)
"""Sentence length in words (log-normal, median 18)."""
PARAGRAPH_LEN = weighted_table(((1, 25), (2, 30), (3, 25), (4, 12), (5, 8)), 256)
"""Sentences per paragraph."""
TITLE_LEN = quantile_table(8, 0.3, 3, 20, 256)
"""Title length in words (log-normal, median 8, 10th-90th percentile about 5-12)."""
BODY_LEN = quantile_table(250, 0.85, 10, 3000, 65536)
"""Body length in words (log-normal, median 250, capped at 3000)."""


class LanguageSpec:
    """Vocabulary, punctuation and sentence factory for one script."""

    def __init__(self, lang: str, table: TokenTable, model, novel_lo: int, s_tail: float, real_sentences,
                 sentence_mix: float, latin: TokenTable | None, latin_rate: float):
        self.lang = lang
        self.table = table
        self.model = model
        # Inverse CDF of a power law on [novel_lo, 1000 novel_lo) with exponent s_tail (> 1).
        e = 1.0 - s_tail
        self._tail = (novel_lo**e, (novel_lo * 1000) ** e - novel_lo**e, 1.0 / e)
        self._tail_tag = 1 if lang == "ar" else 2
        self.real_sentences = real_sentences
        self.mix = int(sentence_mix * 256) if real_sentences else 0
        self.plain = self.mix == 0
        self.latin = latin
        self.latin_rate = latin_rate
        ar = lang == "ar"
        self.sources = weighted_table(AR_SOURCES if ar else EN_SOURCES, 256)
        self.comma = "،" if ar else ","
        self.ends = weighted_table(
            ((".", 88), ("؟" if ar else "?", 2), ("!", 2), (":", 3), ("؛" if ar else ";", 1), ("...", 1)), 256
        )
        self.quote = ("«", "»") if ar else ("\u201c", "\u201d")
        self.numbers = self._numbers(ar)

    @staticmethod
    def _numbers(ar: bool) -> tuple:
        rng = random.Random(99 if ar else 98)
        out = []
        for i in range(256):
            kind = i % 6
            if kind == 0:
                s = str(rng.randint(1990, 2030))
            elif kind in (1, 2):
                s = str(rng.randint(2, 99))
            elif kind == 3:
                s = str(rng.randint(100, 99999))
            elif kind == 4:
                s = f"{rng.randint(1, 99)}%"
            else:
                s = f"{rng.randint(1, 999)}.{rng.randint(1, 9)}"
            if ar and rng.random() < 0.2:
                s = s.translate(AR_INDIC_DIGITS).replace("%", "٪").replace(".", "٫")
            out.append(s)
        return tuple(out)

    def novel_word(self, u: float) -> str:
        """A word of the open tail: rank in [novel_lo, 1000 novel_lo) with exponent s_tail, text hashed from the rank."""
        a, span, inv = self._tail
        return self.model.novel(int((a + u * span) ** inv) * 4 + self._tail_tag)

    def sentences(self, rng: random.Random, count: int) -> tuple[list[str], list[int], list[str]]:
        """``count`` new sentences: (texts with final punctuation, word counts, the words drawn i.i.d.)."""
        lens = [SENTENCE_LEN[b] for b in rng.randbytes(count)]
        toks = self.table.draw(rng, sum(lens))
        if self.latin is not None:
            n = len(toks)
            for _ in range(int(self.latin_rate * n + rng.random())):
                toks[rng.randrange(n)] = self.latin.one(rng)
        rb = rng.randbytes(4 * count)
        comma, ends, numbers, (q0, q1) = self.comma, self.ends, self.numbers, self.quote
        english = self.lang == "en"
        texts: list[str] = []
        pos = 0
        for q, L in enumerate(lens):
            w = toks[pos : pos + L]
            pos += L
            c1 = rb[4 * q]
            c2 = rb[4 * q + 1]
            c3 = rb[4 * q + 2]
            if c1 < self.mix:
                s = self.real_sentences[rng.randrange(len(self.real_sentences))]
                texts.append(s)
                lens[q] = s.count(" ") + 1
                continue
            if L >= 4:
                if c1 < 150:
                    w[1 + c2 % (L - 2)] += comma
                if c1 & 15 == 0:
                    w[c2 % L] = numbers[c3]
                if c2 < 8 and L >= 6:
                    p = 1 + c1 % (L - 4)
                    w[p] = q0 + w[p]
                    w[p + 1] += q1
            if english:
                w[0] = w[0][:1].upper() + w[0][1:]
            texts.append(" ".join(w) + ends[c3])
        return texts, lens, toks


class SentencePool:
    """A batch's pool of sentences, and a reservoir of recently drawn words for titles."""

    def __init__(self, spec: LanguageSpec, rng: random.Random):
        self.texts, self.counts, self.words = spec.sentences(rng, 1 << POOL_BITS)
        self.cursor = 0

    def refresh(self, spec: LanguageSpec, rng: random.Random, count: int) -> None:
        """Replace ``count`` random pool sentences (and some reservoir words) by new ones."""
        texts, counts, words = spec.sentences(rng, count)
        grb = rng.getrandbits
        for t, c in zip(texts, counts):
            k = grb(POOL_BITS)
            self.texts[k] = t
            self.counts[k] = c
        n = len(words)
        if n < len(self.words):
            if self.cursor + n > len(self.words):
                self.cursor = 0
            self.words[self.cursor : self.cursor + n] = words
            self.cursor += n

    def title(self, rng: random.Random, n: int) -> list[str]:
        """``n`` words picked from the reservoir (same unigram distribution as fresh draws)."""
        w = self.words
        size = len(w)
        grb = rng.getrandbits
        return [w[grb(32) % size] for _ in range(n)]


class CorpusGenerator:
    """Produces batches of JSONL documents; all randomness is derived from (seed, batch).

    To reach tens of thousands of documents per second in pure Python (where every i.i.d.
    token from a large vocabulary costs a random memory access), bodies are assembled from
    whole sentences: each batch keeps a pool of 16384 sentences drawn i.i.d. from the
    vocabulary; a document picks its sentences uniformly from the pool and then replaces
    ``fresh`` x (its sentence count) pool entries by new sentences, so every sentence is used
    about 1/fresh times at random places of its batch.  Unigram frequencies follow the model
    exactly; the cost is that word n-grams recur about 1/fresh times more often than in
    i.i.d. text.  ``--fresh 1`` makes every document draw all of its sentences anew.
    Titles and open-tail words are drawn per document, so hapaxes stay hapaxes.
    """

    def __init__(self, args: argparse.Namespace):
        self.seed = args.seed
        self.docs = args.docs
        self.batch_docs = args.batch_docs
        self.novel_rate = args.novel_rate
        self.fresh = args.fresh
        self.ar_share = {"ar": 1.0, "en": 0.0, "mixed": args.mixed_arabic_share}[args.lang]
        self.id_prefix = args.id_prefix if args.id_prefix is not None else f"{args.lang}-"
        self.specs: dict[str, LanguageSpec] = {}
        src = None
        if args.vocab_from:
            src = SourceVocabulary(args.vocab_from, 100_000 if args.sentence_mix > 0 else 0, args.vocab_seed)
            log(args, f"vocab-from: {len(src.words)} types, {src.tokens} tokens, script {src.script}, "
                      f"{len(src.sentences)} sentences kept")
        needed = []
        if self.ar_share < 1 or args.latin_rate > 0:
            needed.append("en")
        if self.ar_share > 0:
            needed.append("ar")
        for lang in needed:
            t0 = time.perf_counter()
            model = ArabicWords(args.vocab_seed) if lang == "ar" else EnglishWords(args.vocab_seed)
            s, s_tail, brk = zipf_params(args, lang)
            if src is not None and src.script == lang:
                words, probs, sentences, variants = src.words, src.probs, src.sentences, None
            else:
                fw = AR_FUNCTION_WORDS if lang == "ar" else EN_FUNCTION_WORDS
                words = build_ranked_vocabulary(model, args.vocab_size, fw, args.vocab_seed)
                probs = zipf_probabilities(len(words), s, s_tail, brk)
                sentences = []
                variants = model.variants if lang == "ar" else None
            table = TokenTable(words, probs, args.table_bits, args.vocab_seed, variants)
            latin = self.specs["en"].table if lang == "ar" and args.latin_rate > 0 else None
            self.specs[lang] = LanguageSpec(lang, table, model, max(len(words), 1000), max(s_tail, 1.05),
                                            sentences, args.sentence_mix, latin, args.latin_rate)
            log(args, f"{lang}: {len(words)} ranked types, {table.size} urn slots, "
                      f"built in {time.perf_counter() - t0:.1f}s")

    def batches(self) -> int:
        """Number of batches for the requested document count."""
        return (self.docs + self.batch_docs - 1) // self.batch_docs

    def write_batch(self, b: int, write) -> None:
        """Write the JSONL lines of batch ``b`` through ``write(str)``."""
        rng = random.Random(self.seed * 1_000_003 + b)
        start = b * self.batch_docs
        end = min(self.docs, start + self.batch_docs)
        pools: dict[str, SentencePool] = {}
        document = self.document
        for i in range(start, end):
            write(document(rng, i, pools))

    def document(self, rng: random.Random, i: int, pools: dict) -> str:
        """One JSONL line (with newline) for document number ``i``."""
        r = rng.getrandbits(64)
        lang = "ar" if (r >> 48) / 65536.0 < self.ar_share else "en"
        spec = self.specs[lang]
        tl = TITLE_LEN[r & 255]
        bl = BODY_LEN[(r >> 8) & 0xFFFF]
        source = spec.sources[(r >> 24) & 255]
        pool = pools.get(lang)
        if pool is None and self.fresh < 1:
            pool = pools[lang] = SentencePool(spec, rng)
        title_toks = spec.table.draw(rng, tl) if pool is None else pool.title(rng, tl)
        if lang == "ar":
            if (r >> 32) & 7 == 0 and tl > 3:
                title_toks[0] += ":"
        else:
            t0 = title_toks[0]
            title_toks[0] = t0[:1].upper() + t0[1:]
        body = self.body(rng, spec, bl, pool, (r >> 40) & 255)
        if spec.plain:
            # Synthetic text has no quote, backslash or control character other than newline.
            title = '"' + " ".join(title_toks) + '"'
            body = '"' + body.replace("\n", "\\n") + '"'
        else:
            title = _json_str(" ".join(title_toks))
            body = _json_str(body)
        return (
            '{"id": "' + self.id_prefix + format(i, "09d") + '", "title": ' + title
            + ', "body": ' + body + ', "source": "' + source + '"}\n'
        )

    def body(self, rng: random.Random, spec: LanguageSpec, n: int, pool, pbyte: int) -> str:
        """A body of about ``n`` words: pooled (or fresh) sentences grouped into paragraphs."""
        if pool is None:
            parts = spec.sentences(rng, max(1, (n + 9) // 18))[0]
        else:
            texts, counts = pool.texts, pool.counts
            grb = rng.getrandbits
            parts = []
            total = 0
            stop = n - 9
            while total < stop or not parts:
                k = grb(POOL_BITS)
                parts.append(texts[k])
                total += counts[k]
            r = int(len(parts) * self.fresh + rng.random())
            if r:
                pool.refresh(spec, rng, r)
        # Open-tail words (Heaps growth), inserted mid-sentence.
        m = len(parts)
        for _ in range(int(self.novel_rate * n + rng.random())):
            j = rng.randrange(m)
            s = parts[j]
            p = s.find(" ", len(s) >> 1)
            if p > 0:
                parts[j] = s[:p] + " " + spec.novel_word(rng.random()) + s[p:]
        if m == 1:
            return parts[0]
        paras = []
        i = 0
        while i < m:
            step = PARAGRAPH_LEN[pbyte]
            paras.append(" ".join(parts[i : i + step]))
            i += step
            pbyte = (pbyte * 167 + 13) & 255
        return "\n\n".join(paras)


def zipf_params(args: argparse.Namespace, lang: str) -> tuple[float, float, int]:
    """(head exponent, tail exponent, break rank) for ``lang`` after applying defaults."""
    if lang == "ar":
        s, st, b = 0.8, 1.3, 3000
    else:
        s, st, b = 1.05, 1.05, 3000
    s = args.zipf if args.zipf is not None else s
    st = args.zipf_tail if args.zipf_tail is not None else (st if args.zipf is None else s)
    b = args.zipf_break if args.zipf_break is not None else b
    return s, st, b


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------

_GENERATOR: CorpusGenerator | None = None
_TMPDIR = ""


def _worker(b: int) -> str:
    """Write batch ``b`` to a temporary file (in a worker process) and return its path."""
    assert _GENERATOR is not None
    path = os.path.join(_TMPDIR, f"batch-{b:07d}.jsonl")
    with open(path, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as f:
        _GENERATOR.write_batch(b, f.write)
    return path


def log(args: argparse.Namespace, msg: str) -> None:
    """Progress message on stderr unless --quiet."""
    if not args.quiet:
        print(f"gen_corpus: {msg}", file=sys.stderr, flush=True)


def _append_file(out_fd: int, path: str) -> None:
    """Append the file at ``path`` to ``out_fd`` (in-kernel copy when possible) and delete it."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        offset = 0
        try:
            while offset < size:
                sent = os.sendfile(out_fd, f.fileno(), offset, size - offset)
                if sent == 0:
                    break
                offset += sent
        except OSError:
            f.seek(offset)
            while chunk := f.read(1 << 20):
                _write_all(out_fd, chunk)
    os.unlink(path)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def run(args: argparse.Namespace) -> None:
    """Generate the corpus described by ``args``."""
    global _GENERATOR, _TMPDIR
    t0 = time.perf_counter()
    gen = CorpusGenerator(args)
    _GENERATOR = gen
    setup = time.perf_counter() - t0
    nb = gen.batches()
    jobs = max(1, min(args.jobs, nb // 2))  # tiny runs: forking costs more than it saves
    to_stdout = args.out == "-"
    t1 = time.perf_counter()
    report_every = max(1, nb // 20)

    def progress(b: int) -> None:
        if (b + 1) % report_every == 0 and not args.quiet:
            done = min(gen.docs, (b + 1) * gen.batch_docs)
            log(args, f"{done} docs, {done / (time.perf_counter() - t1):,.0f} docs/s")

    if jobs == 1:
        out = sys.stdout if to_stdout else open(args.out, "w", encoding="utf-8", newline="\n", buffering=1 << 20)
        try:
            for b in range(nb):
                gen.write_batch(b, out.write)
                progress(b)
        finally:
            if to_stdout:
                out.flush()
            else:
                out.close()
    else:
        parent = tempfile.gettempdir() if to_stdout else (os.path.dirname(os.path.abspath(args.out)))
        _TMPDIR = tempfile.mkdtemp(prefix=".gen_corpus-", dir=parent)
        try:
            if to_stdout:
                sys.stdout.flush()
                out_fd = sys.stdout.fileno()
                out = None
            else:
                out = open(args.out, "wb")
                out_fd = out.fileno()
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for b, path in enumerate(_ordered_window(pool, nb, 2 * jobs)):
                    _append_file(out_fd, path)
                    progress(b)
            if out is not None:
                out.close()
        finally:
            shutil.rmtree(_TMPDIR, ignore_errors=True)
    el = time.perf_counter() - t1
    log(args, f"wrote {gen.docs} docs in {el:.1f}s ({gen.docs / max(el, 1e-9):,.0f} docs/s, "
              f"setup {setup:.1f}s, jobs {jobs})")


def _ordered_window(pool, n: int, window: int):
    """Yield pool results for batches 0..n-1 in order, keeping at most ``window`` in flight."""
    pending: collections.deque = collections.deque()
    nxt = 0
    while nxt < n and len(pending) < window:
        pending.append(pool.apply_async(_worker, (nxt,)))
        nxt += 1
    while pending:
        res = pending.popleft().get()
        if nxt < n:
            pending.append(pool.apply_async(_worker, (nxt,)))
            nxt += 1
        yield res


def parse_args(argv=None) -> argparse.Namespace:
    """Command-line interface."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--lang", choices=("ar", "en", "mixed"), default="ar")
    p.add_argument("--docs", type=int, required=True, help="number of documents")
    p.add_argument("--seed", type=int, default=1, help="document seed (same seed -> same bytes)")
    p.add_argument("--out", required=True, help="output .jsonl path, or - for stdout")
    p.add_argument("--vocab-from", metavar="FILE_OR_DIR",
                   help="take word frequencies from a real corpus (JSONL with title/body, or text)")
    p.add_argument("--sentence-mix", type=float, default=0.0,
                   help="with --vocab-from: share of body sentences copied whole from the source (0-1)")
    p.add_argument("--vocab-size", type=int, default=300_000, help="ranked synthetic types (default 300000)")
    p.add_argument("--vocab-seed", type=int, default=0, help="seed of the synthetic language (default 0)")
    p.add_argument("--zipf", type=float, help="Zipf exponent (ar default 0.8 head / 1.3 tail; en 1.05)")
    p.add_argument("--zipf-tail", type=float, help="exponent beyond --zipf-break (default: same as --zipf)")
    p.add_argument("--zipf-break", type=int, help="rank where the tail exponent starts (default 3000)")
    p.add_argument("--novel-rate", type=float, default=0.01,
                   help="share of body tokens taken from the open tail (Heaps growth; default 0.01)")
    p.add_argument("--latin-rate", type=float, default=0.0,
                   help="share of Latin-script tokens inside Arabic bodies (default 0, 0.01 for mixed)")
    p.add_argument("--mixed-arabic-share", type=float, default=0.75, help="--lang mixed: share of Arabic docs")
    p.add_argument("--table-bits", type=int, default=22, help="log2 of the sampling urn size (default 22)")
    p.add_argument("--fresh", type=float, default=0.2,
                   help="new sentences per pooled sentence used (1 = every sentence drawn anew; default 0.2)")
    p.add_argument("--batch-docs", type=int, default=BATCH_DOCS,
                   help="documents per RNG batch (part of the output definition; default 10000)")
    p.add_argument("--id-prefix", help="document id prefix (default '<lang>-')")
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                   help="worker processes (output is identical for any value)")
    p.add_argument("--quiet", action="store_true")
    args = p.parse_args(argv)
    if args.docs < 0:
        p.error("--docs must be >= 0")
    if not 0 <= args.sentence_mix <= 1:
        p.error("--sentence-mix must be in [0, 1]")
    if args.lang == "mixed" and "--latin-rate" not in (argv if argv is not None else sys.argv):
        args.latin_rate = 0.01
    if not 0 < args.fresh <= 1:
        p.error("--fresh must be in (0, 1]")
    if args.batch_docs < 1:
        p.error("--batch-docs must be >= 1")
    if not 10 <= args.table_bits <= 26:
        p.error("--table-bits must be in [10, 26]")
    return args


def main(argv=None) -> int:
    run(parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
