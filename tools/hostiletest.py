#!/usr/bin/env python3
"""Hostile inputs for ``fahras index``: huge lines, deep nesting, many files, bad bytes, RTL controls.

Each case writes a corpus folder, indexes it under ``/usr/bin/time -v`` (peak RSS, wall time), and
checks that nothing crashed, that the bad input produced a clear warning, and that every valid
document next to it was indexed and is searchable. Prints one table row per case (Markdown).

=================  ==============================================================================
case               corpus
=================  ==============================================================================
huge-line-txt      one .txt file: a single 200 MB line of words (``--mb``), no newline
huge-line-jsonl    one .jsonl line whose body is 200 MB (``--mb``)
huge-file-jsonl    one 200 MB (``--mb``) .jsonl file of ordinary documents (about 350 bytes each)
deep-json          .json and .jsonl with 100 000 nested arrays/objects, next to a valid file
many-files         100 000 tiny .txt files in 100 folders (``--files``, up to 1 000 000 and more)
invalid-utf8       bad bytes in .txt, .md, .html, one line of a 1000-line .jsonl, a .json
nul-bytes          a NUL in a .txt, and in one line of a 1000-line .jsonl
rtl-controls       U+202E/U+2066..2069/U+200F in titles, bodies, ids and queries
long-token         a 1 MB word without spaces, a 10 000-byte id, 100 000 JSON members
=================  ==============================================================================

Every query of a case runs under ``/usr/bin/time -v`` too; the table shows the slowest query and
the largest peak RSS of them (``search s``, ``search MB``). A case's folder is deleted after it ran
(``--keep`` keeps it). With more valid documents than a match-all query can list (``--k`` is at most
100 000), the listing is checked to hold only expected ids and ``stats`` to count them all.

Usage::

    python3 tools/hostiletest.py                       # all cases but huge-file-jsonl
    python3 tools/hostiletest.py --cases deep-json,nul-bytes --mb 20
    python3 tools/hostiletest.py --cases huge-line-txt,huge-file-jsonl --mb 1024   # 1 GB files
    python3 tools/hostiletest.py --cases many-files --files 1000000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crashtest import find_fahras, run  # noqa: E402

WORDS = ("وزير الدفاع كوريا الشمالية اقتصاد التعاون مدينة جامعة الطلاب المملكة الرياض جدة النفط سوق "
         "minister defense north korea economy city students river bridge apple garden winter").split()


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def write(path: str, data) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def valid_jsonl(path: str, rng: random.Random, n: int, prefix: str, bad_line: int | None = None,
                bad: bytes = b"") -> None:
    lines = []
    for i in range(n):
        line = json.dumps({"id": f"{prefix}{i}", "title": words(rng, 4), "body": words(rng, 30)},
                          ensure_ascii=False).encode()
        if i == bad_line:
            line = line[:-2] + bad + line[-2:]
        lines.append(line)
    write(path, b"\n".join(lines) + b"\n")


def timed(cmd: list, timeout: float = 3600) -> dict:
    """Runs `cmd` under /usr/bin/time -v: exit status, signal, peak RSS (MB), seconds, stdout, stderr."""
    p = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, errors="replace",
                       timeout=timeout)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", p.stderr)
    secs = 0.0
    if wall:
        for part in wall.group(1).split(":"):
            secs = secs * 60 + float(part)
    status = re.search(r"Exit status: (\d+)", p.stderr)
    signal = re.search(r"Command terminated by signal (\d+)", p.stderr)
    out = {"rc": int(status.group(1)) if status else -1, "signal": int(signal.group(1)) if signal else 0,
           "rss_mb": round(int(rss.group(1)) / 1024, 1) if rss else None, "seconds": round(secs, 2),
           "stdout": p.stdout,
           "stderr": "\n".join(l for l in p.stderr.splitlines() if not l.startswith("\t"))[-2000:]}
    out["crashed"] = bool(out["signal"]) or out["rc"] >= 128 or "Fatal error" in p.stderr \
        or "Program crashed" in p.stderr
    return out


def timed_index(binary: str, corpus: str, index: str, extra=()) -> dict:
    """`fahras index` under /usr/bin/time -v: summary JSON, warnings, peak RSS (MB), seconds."""
    shutil.rmtree(index, ignore_errors=True)
    out = timed([binary, "index", corpus, "--index", index, "--threads", "2", "--json", *extra])
    try:
        out["summary"] = json.loads(out.pop("stdout"))
    except json.JSONDecodeError:
        out["summary"] = {}
    return out


def ids_of(binary: str, index: str) -> set:
    r = run(binary, ["search", "--index", index, "--k", "100000", "--format", "trec", "--no-snippets", "--",
                     "-zzqxqzz"], timeout=600)
    return {l.split()[2] for l in r.out.splitlines() if len(l.split()) >= 6}


def case_huge_line_txt(binary, work, rng, args):
    corpus = os.path.join(work, "corpus")
    target = args.mb << 20
    chunk = (words(rng, 2000) + " ").encode()
    os.makedirs(corpus, exist_ok=True)
    with open(os.path.join(corpus, "huge.txt"), "wb") as fh:
        written = 0
        while written < target:
            fh.write(chunk)
            written += len(chunk)
    write(os.path.join(corpus, "small.txt"), "small title\nvalid neighbour document garden\n")
    return corpus, {"huge.txt", "small.txt"}, ["garden", "وزير"]


def case_huge_file_jsonl(binary, work, rng, args):
    corpus = os.path.join(work, "corpus")
    target = args.mb << 20
    ids = set()
    os.makedirs(corpus, exist_ok=True)
    with open(os.path.join(corpus, "big.jsonl"), "wb") as fh:
        written = n = 0
        while written < target:
            lines = []
            for _ in range(1000):
                lines.append(json.dumps({"id": f"b{n}", "title": words(rng, 5), "body": words(rng, 40)},
                                        ensure_ascii=False))
                ids.add(f"b{n}")
                n += 1
            chunk = ("\n".join(lines) + "\n").encode()
            fh.write(chunk)
            written += len(chunk)
    return corpus, ids, ["garden", "وزير الدفاع", '"north korea"']


def case_huge_line_jsonl(binary, work, rng, args):
    corpus = os.path.join(work, "corpus")
    body = (words(rng, 2000) + " ") * max(1, (args.mb << 20) // (len(words(rng, 2000)) * 2 + 1))
    write(os.path.join(corpus, "huge.jsonl"), json.dumps({"id": "huge", "title": "t", "body": body},
                                                         ensure_ascii=False) + "\n")
    valid_jsonl(os.path.join(corpus, "ok.jsonl"), rng, 100, "ok")
    return corpus, {"huge"} | {f"ok{i}" for i in range(100)}, ["garden"]


def case_deep_json(binary, work, rng, args):
    corpus = os.path.join(work, "corpus")
    n = 100_000
    write(os.path.join(corpus, "deep.json"), "[" * n + "]" * n)
    write(os.path.join(corpus, "deepobj.json"), '{"a":' * n + "1" + "}" * n)
    lines = ['{"id": "deepline", "body": ' + "[" * n + "]" * n + "}", '{"id": "fine", "body": "fine line garden"}']
    write(os.path.join(corpus, "deep.jsonl"), "\n".join(lines) + "\n")
    valid_jsonl(os.path.join(corpus, "ok.jsonl"), rng, 100, "ok")
    return corpus, {"fine"} | {f"ok{i}" for i in range(100)}, ["garden"]


def case_many_files(binary, work, rng, args):
    corpus = os.path.join(work, "corpus")
    ids = set()
    for i in range(args.files):
        rel = f"d{i % 100:03d}/f{i:06d}.txt"
        write(os.path.join(corpus, rel), f"t{i}\n{words(rng, 5)}\n")
        ids.add(rel)
    return corpus, ids, ["garden"]


def case_invalid_utf8(binary, work, rng, args):
    corpus = os.path.join(work, "corpus")
    write(os.path.join(corpus, "bad.txt"), b"title\nbody \xff\xfe garden\n")
    write(os.path.join(corpus, "bad.md"), b"# title\nbody \xc3\x28 garden\n")
    write(os.path.join(corpus, "bad.html"), b"<title>t</title><p>\xed\xa0\x80 surrogate</p>")
    write(os.path.join(corpus, "bad.json"), b'{"id": "badjson", "body": "\xf8\x88\x80\x80\x80"}')
    valid_jsonl(os.path.join(corpus, "mixed.jsonl"), rng, 1000, "m", bad_line=500, bad=b"\xff")
    write(os.path.join(corpus, "good.txt"), "good\nvalid garden\n")
    return corpus, {f"m{i}" for i in range(1000) if i != 500} | {"good.txt"}, ["garden"]


def case_nul_bytes(binary, work, rng, args):
    corpus = os.path.join(work, "corpus")
    write(os.path.join(corpus, "nul.txt"), b"title\nbody \x00 garden\n")
    valid_jsonl(os.path.join(corpus, "nul.jsonl"), rng, 1000, "n", bad_line=500, bad=b"\\u0000")
    valid_jsonl(os.path.join(corpus, "rawnul.jsonl"), rng, 1000, "r", bad_line=500, bad=b"\x00")
    write(os.path.join(corpus, "good.txt"), "good\nvalid garden\n")
    # Expected: every line but the one raw NUL line (an escaped \u0000 is valid JSON).
    return corpus, ({f"n{i}" for i in range(1000)} | {f"r{i}" for i in range(1000) if i != 500}
                    | {"good.txt"}), ["garden"]


def case_rtl_controls(binary, work, rng, args):
    corpus = os.path.join(work, "corpus")
    rlo, lri, pdi, rlm = "\u202e", "\u2066", "\u2069", "\u200f"
    docs = [{"id": f"rtl{rlo}1", "title": f"{rlo}evil{pdi} title", "body": f"gar{rlo}den {lri}وزير{pdi} {rlm}river"},
            {"id": "rtl2", "title": "normal", "body": f"{rlo}{rlo}{rlo} garden"}]
    write(os.path.join(corpus, "rtl.jsonl"), "\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n")
    write(os.path.join(corpus, f"file{rlo}gpj.txt"), f"{rlo}title\nbody garden\n")
    return corpus, {f"rtl{rlo}1", "rtl2", f"file{rlo}gpj.txt"}, ["garden", f"{rlo}garden", "river", "وزير"]


def case_long_token(binary, work, rng, args):
    corpus = os.path.join(work, "corpus")
    write(os.path.join(corpus, "token.txt"), "title\n" + "x" * (1 << 20) + " garden\n")
    write(os.path.join(corpus, "ids.jsonl"), json.dumps({"id": "i" * 10_000, "body": "long id"}) + "\n"
          + json.dumps({"id": "short", "body": "garden"}) + "\n")
    members = {f"f{i}": "v" for i in range(100_000)}
    members.update({"id": "wide", "body": "many members garden"})
    write(os.path.join(corpus, "wide.json"), json.dumps(members))
    return corpus, {"token.txt", "short", "wide"}, ["garden"]


CASES = {
    "huge-line-txt": case_huge_line_txt, "huge-line-jsonl": case_huge_line_jsonl, "deep-json": case_deep_json,
    "huge-file-jsonl": case_huge_file_jsonl, "many-files": case_many_files, "invalid-utf8": case_invalid_utf8, "nul-bytes": case_nul_bytes,
    "rtl-controls": case_rtl_controls, "long-token": case_long_token,
}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--fahras")
    p.add_argument("--workdir", default="/tmp/fahras-hostile")
    p.add_argument("--cases", default=",".join(c for c in CASES if c != "huge-file-jsonl"))
    p.add_argument("--mb", type=int, default=200, help="size of the huge line (default 200 MB)")
    p.add_argument("--files", type=int, default=100_000, help="files of many-files (default 100000)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", help="write the results here")
    p.add_argument("--keep", action="store_true", help="keep each case's corpus and index")
    args = p.parse_args()
    binary = find_fahras(args.fahras)
    rng = random.Random(args.seed)
    results = []
    failed = False
    for name in args.cases.split(","):
        work = os.path.join(args.workdir, name)
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        corpus, expected, queries = CASES[name](binary, work, rng, args)
        index = os.path.join(work, "index")
        res = timed_index(binary, corpus, index)
        res["case"] = name
        problems = []
        if res["crashed"]:
            problems.append(f"indexing crashed: {res['stderr'][-500:]}")
        got = ids_of(binary, index) if res["rc"] == 0 else set()
        if len(expected) <= 100_000:
            lost = sorted(expected - got)
            if lost:
                problems.append(f"{len(lost)} valid documents missing, e.g. {[x[:40] for x in lost[:3]]}")
        else:
            # A match-all query lists at most 100 000 hits: they must all be expected documents (or
            # parts of one), and stats must count every expected document.
            strangers = sorted(i for i in got if i not in expected and i.split("#")[0] not in expected)
            if len(got) != 100_000 or strangers:
                problems.append(f"match-all listed {len(got)} ids, {len(strangers)} unexpected: {strangers[:3]}")
            st = run(binary, ["stats", "--index", index, "--json"], timeout=600)
            try:
                counted = json.loads(st.out)["documents"]
            except (json.JSONDecodeError, KeyError):
                counted = None
            if counted is None or counted < len(expected):
                problems.append(f"stats counts {counted} documents, expected {len(expected)}")
        res["search_seconds"] = res["search_rss_mb"] = 0
        for qi, q in enumerate(queries):
            r = timed([binary, "search", "--index", index, "--format", "json", "--", q], timeout=600)
            res["search_seconds"] = max(res["search_seconds"], r["seconds"])
            res["search_rss_mb"] = max(res["search_rss_mb"], r["rss_mb"] or 0)
            if r["crashed"]:
                problems.append(f"search {q!r} crashed: {r['stderr'][-300:]}")
            elif r["rc"] != 0:
                problems.append(f"search {q!r} failed: {r['stderr'].strip()[:200]}")
            else:
                try:
                    hits = json.loads(r["stdout"]).get("hits", [])
                except json.JSONDecodeError:
                    hits = None
                if not hits and qi == 0:
                    problems.append(f"search {q!r} found nothing")
                if hits:
                    longest = max(len(json.dumps(h, ensure_ascii=False)) for h in hits)
                    res["longest_hit_bytes"] = max(res.get("longest_hit_bytes", 0), longest)
        chk = run(binary, ["check", "--index", index], timeout=600)
        if chk.rc != 0:
            problems.append(f"check rc={chk.rc}")
        res["warnings"] = res["summary"].get("warnings", [])
        res["documents"] = res["summary"].get("documents")
        res["problems"] = problems
        failed |= bool(problems)
        results.append(res)
        print(f"{name}: rc {res['rc']}, {res['documents']} documents, peak RSS {res['rss_mb']} MB, "
              f"{res['seconds']} s, {len(res['warnings'])} warnings; search up to {res['search_seconds']} s, "
              f"{res['search_rss_mb']} MB, longest hit {res.get('longest_hit_bytes')} bytes of JSON", flush=True)
        for w in res["warnings"][:6]:
            print(f"    warning: {w[:160]}")
        for pr in problems:
            print(f"    PROBLEM {pr}")
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print("\n| case | exit | documents | peak RSS MB | seconds | search MB | search s | warnings | problems |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['case']} | {r['rc']} | {r['documents']} | {r['rss_mb']} | {r['seconds']} | "
              f"{r['search_rss_mb']} | {r['search_seconds']} | "
              f"{'; '.join(w[:80] for w in r['warnings'][:3])} | {'; '.join(r['problems']) or 'none'} |")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1, ensure_ascii=False)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
