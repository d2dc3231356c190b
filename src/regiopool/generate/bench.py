"""Benchmark: wall time and peak memory of the generator at given scales.

    python -m regiopool.generate.bench 1 10 [--from 2024-01 --to 2025-12] [--keep DIR]

Each scale runs in a fresh child process (so that peak RSS is that run's own); prints one line
per scale: scale, wall seconds, CPU seconds (user + system: on a shared machine the steadier
figure), peak RSS (MB), files, MB written, rows.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = """
import json, sys
from regiopool.generate import generate_inbox
s = generate_inbox(sys.argv[1], start=sys.argv[2], end=sys.argv[3], scale=float(sys.argv[4]))
print(json.dumps(s))
"""


def run(scale: float, start: str, end: str, out: Path) -> dict:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD, str(out), start, end, str(scale)],
                          capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"wall": wall, "summary": summary}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scales", nargs="+", type=float)
    ap.add_argument("--from", dest="start", default="2024-01")
    ap.add_argument("--to", dest="end", default="2025-12")
    ap.add_argument("--keep", type=Path, help="write into DIR/scale-N instead of a temp dir")
    args = ap.parse_args()
    print("scale  wall_s   cpu_s  peak_rss_mb  files  mb_written  rows")
    for scale in args.scales:
        with tempfile.TemporaryDirectory() as tmp:
            out = (args.keep / f"scale-{scale:g}") if args.keep else Path(tmp) / "inbox"
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
            before, cpu0 = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
            res = run(scale, args.start, args.end, out)
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
            peak, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu0
            s = res["summary"]
            rows = sum(s["rows"].values())
            # ru_maxrss of children is the maximum over all children so far (KiB on Linux)
            print(f"{scale:<6g} {res['wall']:7.1f} {cpu:7.1f} {peak / 1024:12.0f} {s['files']:6d} "
                  f"{s['bytes'] / 1e6:11.1f} {rows:6d}" + ("" if peak > before else "  (*)"),
                  flush=True)


if __name__ == "__main__":
    main()
