#!/usr/bin/env python3
"""Corruption test for Fahras: damage one index file at a time and watch every command.

Builds a small index whose last commit has every file kind (``.meta .dict .post .pos .norm .store
.del``, ``manifest.<G>``, ``ingest.<G>``), then for each kind and each damage mode runs seeded trials
on a fresh copy:

=========  ===========================================================================================
mode       damage
=========  ===========================================================================================
flip       1-16 random bytes XORed with a random non-zero value (positions: anywhere, the first or the
           last 64 bytes)
truncate   the file cut to a random shorter length
zero       one aligned 4 KiB page set to zero (the whole file when it is smaller)
delete     the file removed
flip+crc   ``flip``, then the envelope CRC32C recomputed, so that only the structural checks of the
           readers stand between the bytes and the decoders (a writer bug, or a crafted file)
ff         1, 2, 4 or 8 bytes set to 0xFF (half of the time in the last 64 bytes: trailers hold the
           offsets and counts), probing overflow checks
ff+crc     ``ff`` in the body, then the CRC recomputed
=========  ===========================================================================================

Expectations, per trial:

* ``fahras check`` exits 1 and names the damaged file (``+crc`` modes excepted: a re-checksummed
  file may be valid), and never crashes (signal, exit code >= 128, "Fatal error"/"Program crashed") or hangs;
* ``fahras search`` (a batch of term, AND, OR, phrase, prefix, fuzzy, field, title and match-all
  queries, JSON output with snippets, so stored documents are read) and ``fahras stats`` exit 0 or 1,
  never crash or hang; an error must be one ``fahras: ...`` line;
* a search that exits 0 is compared with the undamaged index: equal results mean the damage was
  outside what the queries read; different results are *silent* corruption and are counted
  (the large files are not CRC-checked at a normal open, by design, see docs/FORMAT.md section 2);
* some trials also run ``fahras merge`` and ``fahras index`` on the damaged copy: no crash, and a
  writer that succeeds may keep the damage it did not read, but must not write new damaged files.

Usage::

    python3 tools/corruptiontest.py --trials 20 --seed 1           # trials per (kind, mode)
    python3 tools/corruptiontest.py --kinds dict,post --modes flip+crc --trials 200

Exit status 0 when nothing crashed or hung and ``check`` caught every damage it must catch; the
summary table lists, per kind and mode, how many trials were caught by check, failed cleanly in
search, were unaffected, silently changed results, or crashed.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crashtest import (FormatError, crc32c, find_fahras, latest_manifest, make_corpus,  # noqa: E402
                       run)

KINDS = ["meta", "dict", "post", "pos", "norm", "store", "del", "manifest", "ingest"]
MODES = ["flip", "truncate", "zero", "delete", "flip+crc", "ff", "ff+crc"]


def build_index(binary: str, work: str, seed: int) -> tuple[str, str]:
    """A 3000-document index of two commits whose last commit has deletes. Returns (index, corpus)."""
    corpus, _ = make_corpus(work, 3000, seed, 4, 20)
    index = os.path.join(work, "pristine.idx")
    shutil.rmtree(index, ignore_errors=True)
    r = run(binary, ["index", corpus, "--index", index, "--threads", "2", "--quiet", "--json"])
    if r.rc != 0:
        raise SystemExit(f"indexing failed: {r.brief()}")
    # Drop a few lines of one file and add a note: the next commit writes a .del file.
    path = os.path.join(corpus, "news", "part-001.jsonl")
    lines = open(path, encoding="utf-8").read().splitlines()
    open(path, "w", encoding="utf-8").write("\n".join(lines[5:]) + "\n")
    open(os.path.join(corpus, "notes", "extra.txt"), "w", encoding="utf-8").write(
        "ملاحظة إضافية\nنص قصير عن التعاون الاقتصادي.\n")
    r = run(binary, ["index", corpus, "--index", index, "--threads", "2", "--quiet", "--json"])
    if r.rc != 0:
        raise SystemExit(f"re-indexing failed: {r.brief()}")
    return index, corpus


def files_of_kind(index: str, kind: str) -> list:
    m = latest_manifest(index)
    if m is None:
        raise SystemExit("the pristine index has no manifest")
    if kind == "manifest":
        return [f"manifest.{m['generation']}"]
    if kind == "ingest":
        return [m["userData"]] if m["userData"] else []
    if kind == "del":
        return [f"{s['name']}_{s['delGen']}.del" for s in m["segments"] if s["delGen"]]
    return [f"{s['name']}.{kind}" for s in m["segments"]]


def queries_for(index: str, binary: str) -> list:
    """A query of each kind, built from frequent terms of the index."""
    r = run(binary, ["stats", "--index", index, "--json", "--top", "40"])
    terms = [t["term"] for t in json.loads(r.out)["top_terms"]]
    latin = [t for t in terms if t.isascii()] or ["the"]
    arabic = [t for t in terms if not t.isascii()] or terms
    a, b, c = arabic[0], arabic[min(5, len(arabic) - 1)], arabic[-1]
    return [a, c, f"+{a} +{b}", f"{a} {b} {latin[0]}", f'"{a} {b}"', f"{a[:3]}*", f"{b}~1",
            f"title:{a}", "source:okaz", f"-{c}", f"{latin[-1]} -{a}", f"{a}^2 OR ({b} AND NOT {c})"]


def damage(path: str, mode: str, rng: random.Random) -> str | None:
    """Damages the file in place; returns a description, or None when nothing changed."""
    if mode == "delete":
        os.remove(path)
        return "deleted"
    data = bytearray(open(path, "rb").read())
    before = bytes(data)
    n = len(data)
    if mode in ("flip", "flip+crc"):
        count = rng.choice([1, 1, 1, 2, 4, 16])
        region = rng.random()
        lo, hi = (0, n) if region < 0.5 else ((0, min(n, 64)) if region < 0.75 else (max(0, n - 64), n))
        if mode == "flip+crc":  # keep the envelope intact: damage the body only
            lo, hi = max(lo, 28), min(hi, n - 8)
            if hi <= lo:
                lo, hi = 28, max(29, n - 8)
        spots = sorted({rng.randrange(lo, hi) for _ in range(count)})
        for p in spots:
            data[p] ^= rng.randrange(1, 256)
        what = f"flipped bytes at {spots[:8]}"
        if mode == "flip+crc":
            data[-4:] = struct.pack("<I", crc32c(bytes(data[:-4])))
            what += " (CRC recomputed)"
    elif mode in ("ff", "ff+crc"):
        # Saturate 1, 2, 4 or 8 bytes, preferably an aligned field of the trailer or the header
        # (offsets, counts and lengths): values near 2^64 probe the readers' overflow checks.
        width = rng.choice([1, 2, 4, 8, 8])
        lo, hi = (28, n - 8) if mode == "ff+crc" else (0, n)
        if rng.random() < 0.5:
            at = rng.randrange(max(lo, hi - 64), max(lo + 1, hi - width + 1))
        else:
            at = rng.randrange(lo, max(lo + 1, hi - width + 1))
        data[at:at + width] = b"\xff" * len(data[at:at + width])
        what = f"set {width} bytes at {at} to 0xFF"
        if mode == "ff+crc":
            data[-4:] = struct.pack("<I", crc32c(bytes(data[:-4])))
            what += " (CRC recomputed)"
    elif mode == "truncate":
        cut = rng.choice([rng.randrange(0, n), rng.randrange(max(0, n - 16), n), rng.randrange(0, min(n, 40))])
        del data[cut:]
        what = f"truncated to {cut} of {n} bytes"
    elif mode == "zero":
        page = rng.randrange(0, max(1, (n + 4095) // 4096))
        data[page * 4096:(page + 1) * 4096] = bytes(len(data[page * 4096:(page + 1) * 4096]))
        what = f"zeroed page {page} (bytes {page * 4096}..{min(n, (page + 1) * 4096)} of {n})"
    else:
        raise ValueError(mode)
    if bytes(data) == before:
        return None
    open(path, "wb").write(data)
    return what


def normalize(out: str) -> list:
    """Search output without timings, one entry per query."""
    res = []
    for line in out.splitlines():
        try:
            d = json.loads(line)
        except json.JSONDecodeError:
            continue
        d.pop("took_ms", None)
        res.append(d)
    return sorted(res, key=lambda d: d.get("query", ""))


def clear_error(err: str) -> bool:
    lines = [l for l in err.strip().splitlines() if l.strip()]
    return bool(lines) and all(l.startswith("fahras:") for l in lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--fahras")
    p.add_argument("--workdir", default="/tmp/fahras-corruptiontest")
    p.add_argument("--trials", type=int, default=20, help="trials per (kind, mode) (default 20)")
    p.add_argument("--kinds", default=",".join(KINDS))
    p.add_argument("--modes", default=",".join(MODES))
    p.add_argument("--writers", type=float, default=0.15, help="share of trials that also run merge and index")
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", help="write every trial here")
    p.add_argument("--keep-failures", action="store_true", help="keep the damaged copy of each failing trial")
    args = p.parse_args()

    binary = find_fahras(args.fahras)
    work = os.path.abspath(args.workdir)
    os.makedirs(work, exist_ok=True)
    rng = random.Random(args.seed)
    pristine, corpus = build_index(binary, work, args.seed)
    chk = run(binary, ["check", "--index", pristine])
    if chk.rc != 0:
        raise SystemExit(f"the pristine index does not check: {chk.out}")
    qfile = os.path.join(work, "queries.tsv")
    queries = queries_for(pristine, binary)
    with open(qfile, "w", encoding="utf-8") as fh:
        for i, q in enumerate(queries):
            fh.write(f"q{i + 1}\t{q}\n")
    base = run(binary, ["search", "--index", pristine, "--queries", qfile, "--k", "10", "--format", "json"])
    if base.rc != 0:
        raise SystemExit(f"queries fail on the pristine index: {base.err}")
    expected = normalize(base.out)
    print(f"corruptiontest: {binary}; index {pristine}: "
          f"{', '.join(f'{k} {len(files_of_kind(pristine, k))}' for k in KINDS)} files; {len(queries)} queries",
          flush=True)

    table = collections.defaultdict(collections.Counter)
    failures = []
    trials = []
    copy = os.path.join(work, "damaged.idx")
    t0 = time.monotonic()
    for kind in args.kinds.split(","):
        targets = files_of_kind(pristine, kind)
        if not targets:
            print(f"  no {kind} file in the index, skipped")
            continue
        for mode in args.modes.split(","):
            n = min(args.trials, len(targets)) if mode == "delete" else args.trials
            for t in range(n):
                target = targets[t % len(targets)] if mode == "delete" else rng.choice(targets)
                shutil.rmtree(copy, ignore_errors=True)
                shutil.copytree(pristine, copy)
                what = damage(os.path.join(copy, target), mode, rng)
                row = table[(kind, mode)]
                if what is None:
                    row["no-op"] += 1
                    continue
                row["trials"] += 1
                trial = {"kind": kind, "mode": mode, "file": target, "damage": what, "problems": []}

                def bad(msg: str, trial=trial) -> None:
                    trial["problems"].append(msg)

                def crash(context: str, r, trial=trial, row=row) -> None:
                    if r.crashed:
                        row["CRASH"] += 1
                        bad(f"{context} crashed: {r.brief()}")

                chk = run(binary, ["check", "--index", copy], timeout=args.timeout)
                crash("check", chk)
                named = target in chk.out or target in chk.err
                if chk.rc == 1 and named:
                    row["check caught"] += 1
                elif mode.endswith("+crc") and chk.rc in (0, 1):
                    row["check passed (crc fixed)" if chk.rc == 0 else "check caught"] += 1
                elif not chk.crashed:
                    row["CHECK MISSED"] += 1
                    bad(f"check rc={chk.rc} without naming {target}: {chk.out.strip()[-300:]}")
                st = run(binary, ["stats", "--index", copy, "--json"], timeout=args.timeout)
                crash("stats", st)
                s = run(binary, ["search", "--index", copy, "--queries", qfile, "--k", "10", "--format", "json"],
                        timeout=args.timeout)
                crash("search", s)
                if not s.crashed:
                    if s.rc not in (0, 1):
                        bad(f"search rc={s.rc}")
                    if s.rc == 1 and not clear_error(s.err):
                        row["UNCLEAR ERROR"] += 1
                        bad(f"search error is not a plain message: {s.err.strip()[:300]}")
                    got = normalize(s.out)
                    if s.rc == 1:
                        row["search failed cleanly"] += 1
                        trial["search_error"] = s.err.strip().splitlines()[0][:200] if s.err.strip() else ""
                    elif got == expected:
                        row["search unaffected"] += 1
                    else:
                        row["search silently different"] += 1
                        trial["silent"] = True
                if s.crashed:
                    # Find the query that crashes.
                    for q in queries:
                        r1 = run(binary, ["search", "--index", copy, "--k", "10", "--format", "json", "--", q],
                                 timeout=args.timeout)
                        if r1.crashed:
                            bad(f"query {q!r} crashes: {r1.err.strip()[-600:]}")
                            break
                if rng.random() < args.writers:
                    m = run(binary, ["merge", "--index", copy], timeout=args.timeout)
                    crash("merge", m)
                    ix = run(binary, ["index", corpus, "--index", copy, "--threads", "2", "--quiet", "--json"],
                             timeout=args.timeout * 4)
                    crash("index", ix)
                    if not m.crashed and not ix.crashed and (m.rc == 0 or ix.rc == 0):
                        c2 = run(binary, ["check", "--index", copy], timeout=args.timeout)
                        crash("check after writers", c2)
                        segment = target.split(".")[0].split("_")[0]
                        blamed = [l for l in c2.out.splitlines() if l.startswith("DAMAGED")]
                        elsewhere = [l for l in blamed if segment not in l and target not in l]
                        if c2.rc == 0:
                            row["writers repaired/ignored"] += 1
                        elif elsewhere:
                            row["WRITER WROTE DAMAGE"] += 1
                            bad(f"merge rc={m.rc}, index rc={ix.rc}, then check blames new files: "
                                f"{' / '.join(elsewhere)[:300]}")
                        else:
                            row["writers kept the damage"] += 1
                    else:
                        row["writers refused"] += 1
                trials.append(trial)
                if trial["problems"]:
                    failures.append(trial)
                    print(f"  FAIL {kind}/{mode} {target}: {what}", flush=True)
                    for pr in trial["problems"]:
                        print(f"       {pr}", flush=True)
                    if args.keep_failures:
                        keep = os.path.join(work, f"fail-{len(failures)}-{kind}-{mode.replace('+', '')}")
                        shutil.rmtree(keep, ignore_errors=True)
                        shutil.copytree(copy, keep)
            print(f"  {kind:8} {mode:9} {dict(table[(kind, mode)])}", flush=True)
    shutil.rmtree(copy, ignore_errors=True)

    columns = ["trials", "check caught", "CHECK MISSED", "check passed (crc fixed)", "search failed cleanly",
               "search unaffected", "search silently different", "UNCLEAR ERROR", "CRASH",
               "writers refused", "writers kept the damage", "writers repaired/ignored", "WRITER WROTE DAMAGE"]
    print(f"\n{len(trials)} trials in {time.monotonic() - t0:.0f}s")
    print("| kind | mode | " + " | ".join(columns) + " |")
    print("|" + "---|" * (len(columns) + 2))
    for (kind, mode), row in table.items():
        print(f"| {kind} | {mode} | " + " | ".join(str(row.get(c, 0)) for c in columns) + " |")
    crashes = sum(r["CRASH"] for r in table.values())
    missed = sum(r["CHECK MISSED"] for r in table.values())
    print(f"\n{crashes} crashes, {missed} damages missed by check, {len(failures)} failing trials")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"table": {f"{k}/{m}": dict(v) for (k, m), v in table.items()}, "trials": trials},
                      fh, indent=1, ensure_ascii=False)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
