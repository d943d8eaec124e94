#!/usr/bin/env python3
"""Run a command and report its peak memory, split by kind (Linux /proc).

    python3 tools/memtrace.py [--interval 0.1] [--json OUT] -- COMMAND [ARGS...]

Samples /proc/PID/status of the command (and of its children) every --interval seconds and prints
the peaks of:

- VmRSS   all resident pages (what /usr/bin/time calls "maximum resident set size");
- RssAnon anonymous pages: heap, stacks, buffers — the memory a --memory budget is about;
- RssFile file-backed pages: mapped files (input corpus, segment files). Clean page cache the
          kernel can drop under pressure, not allocations;
plus VmHWM (the kernel's own peak of VmRSS, read at the last sample) and the wall time.

Sampling can miss a peak shorter than the interval; VmHWM cannot, so it bounds VmRSS from above.
"""

import argparse
import json
import os
import subprocess
import sys
import time

FIELDS = ("VmRSS", "RssAnon", "RssFile", "VmHWM")


def read_status(pid):
    """The FIELDS of /proc/PID/status in kB, or None once the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            out = {}
            for line in f:
                key, _, value = line.partition(":")
                if key in FIELDS:
                    out[key] = int(value.split()[0])
            return out
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None


def children(pid):
    """Direct and indirect children of pid (via /proc/PID/task/*/children)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    for c in f.read().split():
                        found.append(int(c))
                        todo.append(int(c))
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            pass
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--interval", type=float, default=0.1, help="seconds between samples (default 0.1)")
    ap.add_argument("--json", help="also write the peaks to this file")
    ap.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARGS...]")
    args = ap.parse_args()
    cmd = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not cmd:
        ap.error("no command given (put it after --)")

    start = time.monotonic()
    proc = subprocess.Popen(cmd)
    peaks = {k: 0 for k in FIELDS}
    samples = 0
    while proc.poll() is None:
        # The command and its children together: their sums at this instant.
        total = {k: 0 for k in FIELDS}
        for pid in [proc.pid] + children(proc.pid):
            s = read_status(pid)
            if s:
                for k in FIELDS:
                    total[k] += s.get(k, 0)
        for k in FIELDS:
            peaks[k] = max(peaks[k], total[k])
        samples += 1
        time.sleep(args.interval)
    seconds = time.monotonic() - start

    mb = {k: round(v / 1024, 1) for k, v in peaks.items()}
    report = {
        "command": cmd,
        "exit_code": proc.returncode,
        "seconds": round(seconds, 2),
        "samples": samples,
        "peak_rss_mb": mb["VmRSS"],
        "peak_anon_mb": mb["RssAnon"],
        "peak_file_mb": mb["RssFile"],
        "hwm_mb": mb["VmHWM"],
    }
    print(
        f"memtrace: {seconds:.1f} s, {samples} samples; peak RSS {mb['VmRSS']} MB "
        f"(anonymous {mb['RssAnon']} MB, file-backed {mb['RssFile']} MB), VmHWM {mb['VmHWM']} MB",
        file=sys.stderr,
    )
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
            f.write("\n")
    sys.exit(proc.returncode)


if __name__ == "__main__":
    main()
