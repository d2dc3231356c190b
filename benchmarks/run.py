"""regiopool benchmarks: how fast, how big, against the limit and a peer (prints figures).

    python benchmarks/run.py [--scales 1,10,100,1000] [--work DIR] [--years N] [--quick]
                             [--stages ...] [--timeout S] [--repeat N]

For each scale an inbox is generated with `regiopool.generate.generate_inbox` (2024-01..2025-12;
the largest scale, 1000, with `--years` of history ending 2025-12) and cached under
`WORK/inbox/` by its parameters, together with an inbox that has one more month (2026-01): the
range with that month is generated once, and the base inbox is its files up to 2025-12. Then
every stage runs in its own Python process (fresh interpreter: imports included in the wall
time) and reports its wall time and the peak resident memory of its process tree (`ru_maxrss`
of the process and of its waited-for children):

    ingest        ensure_warehouse + ingest_partner for every partner contract (fresh warehouse)
    dbt_full      dbt build --full-refresh on that warehouse (seeds, models, tests; no unit tests)
    gate          run_quality_gate for the latest complete month
    extract       publish_extract (PDF + XLSX) for that month
    ingest_month  a copy of the warehouse: ingest the inbox with one more month (new files only)
    dbt_month     dbt build (incremental) on that copy (its dbt parse state primed first,
                  untimed, as the previous month's build in the same home leaves it)
    pipeline      run_pipeline: the whole `regiopool run` through Airflow (fresh home)
    limit         plain DuckDB (benchmarks/plain_duckdb.py): the same files, two KPI marts in SQL
    dlt           the peer (benchmarks/peer_dlt.py): the same files loaded with dlt into DuckDB

The limit runs first (every other line shows its ratio to it); the other stages run in the
order given by `--stages`. `--quick`: scale 0.2 with six months (a smoke run). Each stage is
capped by `--timeout`. `--repeat N` measures the month's two stages N times, each time on a
fresh copy of the full build, and the summary takes the median (a shared host's wall times vary
by +-15 % from one run to the next). A ratio to the full rebuild names the run its full figures
come from when they were not measured in this one. Every stage starts after `os.sync()`
(untimed). Results are also appended as JSON lines to `WORK/results.jsonl`. The
default scales include 100 and 1000, whose inboxes take hours to generate: see
docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
STAGES = ["ingest", "dbt_full", "gate", "extract", "ingest_month", "dbt_month", "pipeline",
          "limit", "dlt"]
END = "2025-12"


def add_months(month: str, n: int) -> str:
    y, m = map(int, month.split("-"))
    k = y * 12 + m - 1 + n
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


# ----------------------------------------------------------------------------- child stages

def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def child(stage: str, arg: dict) -> dict:
    """Run one stage in this (fresh) process; return its figures."""
    sys.path.insert(0, str(HERE))
    inbox, home = Path(arg["inbox"]), Path(arg["home"])
    t0 = time.perf_counter()
    out: dict = {}
    if stage in ("ingest", "ingest_month"):
        from regiopool.contracts import load_contracts
        from regiopool.ingest import ensure_warehouse, ingest_partner
        from regiopool.settings import get_settings
        t0 = time.perf_counter()
        s = get_settings(home=home, inbox=inbox)
        ensure_warehouse(s.warehouse)
        files = rows = loaded = 0
        for contract in load_contracts():
            rep = ingest_partner(s.warehouse, s.inbox, contract)
            done = [f for f in rep.files if f.rows_read]
            files += len(done)
            rows += sum(f.rows_read for f in done)
            loaded += sum(getattr(f, "rows_loaded", 0) or 0 for f in done)
        out = {"rows": rows, "files": files, "rows_loaded": loaded}
    elif stage == "dbt_parse":
        from regiopool.settings import get_settings
        from regiopool.transform import dbt_args, invoke_dbt
        s = get_settings(home=home, inbox=inbox)
        os.environ["REGIOPOOL_WAREHOUSE"] = str(s.warehouse)
        result = invoke_dbt(dbt_args(s, "parse", "--quiet"))
        out = {"parsed": bool(result.success)}
    elif stage in ("dbt_full", "dbt_month"):
        from regiopool.settings import get_settings
        from regiopool.transform import dbt_build
        t0 = time.perf_counter()
        summary = dbt_build(get_settings(home=home, inbox=inbox),
                            full_refresh=stage == "dbt_full")
        out = {"nodes": summary["nodes"], "warned": len(summary["warned"]),
               "full_refresh": summary["full_refresh"]}
    elif stage == "gate":
        from regiopool.quality import run_quality_gate
        from regiopool.report_month import latest_complete_month
        from regiopool.settings import get_settings
        t0 = time.perf_counter()
        s = get_settings(home=home, inbox=inbox)
        month = latest_complete_month(s.warehouse)
        gate = run_quality_gate(s.warehouse, s.quality_dir, month)
        (home / "bench_gate.json").write_text(json.dumps(gate, default=str), encoding="utf-8")
        out = {"month": gate["month"], "passed": gate["passed"],
               "blocking": len(gate["blocking"]), "warnings": len(gate["warnings"])}
    elif stage == "extract":
        from regiopool.extract import publish_extract
        from regiopool.months import parse_month
        from regiopool.settings import get_settings
        t0 = time.perf_counter()
        s = get_settings(home=home, inbox=inbox)
        gate = json.loads((home / "bench_gate.json").read_text(encoding="utf-8"))
        res = publish_extract(s.warehouse, s.extracts_dir, parse_month(gate["month"]), gate)
        out = {"pdf_kb": round(res.pdf.stat().st_size / 1024)} if hasattr(res, "pdf") else {}
    elif stage == "pipeline":
        from regiopool.pipeline import run_pipeline
        t0 = time.perf_counter()
        res = run_pipeline(inbox=inbox, home=home)
        out = {"ok": res.ok, "report_month": res.report_month,
               "dags": {r["dag_id"].replace("regiopool_", ""): r["seconds"] for r in res.runs}}
    elif stage == "limit":
        import plain_duckdb
        t0 = time.perf_counter()
        out = plain_duckdb.run(inbox, home / "plain.duckdb")
    elif stage == "dlt":
        import peer_dlt
        t0 = time.perf_counter()
        out = peer_dlt.run(inbox, home / "peer.duckdb", home / "dlt_pipelines")
    else:
        raise SystemExit(f"unknown stage {stage}")
    out["work_seconds"] = time.perf_counter() - t0
    out["peak_mb"] = _peak_mb()
    return out


def measure(stage: str, timeout: float, **arg) -> dict:
    # Untimed: write back what earlier steps left in the page cache (the month stages start on a
    # 4 GB copy of the full build's home at scale 1000), so that a stage does not pay for
    # another's disk writes (it did: 36 to 43 s for the same month's ingestion).
    os.sync()
    started = time.perf_counter()
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "RUNTIME__LOG_LEVEL": "ERROR"}
    try:
        proc = subprocess.run([sys.executable, __file__, "--child", stage, json.dumps(arg)],
                              check=False, capture_output=True, text=True, timeout=timeout, env=env,
                              cwd=str(REPO))
    except subprocess.TimeoutExpired:
        return {"stage": stage, "error": f"timeout after {timeout:.0f} s",
                "seconds": time.perf_counter() - started}
    seconds = time.perf_counter() - started
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{\"")]
    if proc.returncode or not lines:
        tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        return {"stage": stage, "error": tail[:200], "seconds": seconds}
    return {"stage": stage, "seconds": seconds, **json.loads(lines[-1]),
            "load": round(os.getloadavg()[0], 1)}


# ----------------------------------------------------------------------------- inboxes

def _generate(out: Path, start: str, end: str, scale: float) -> dict:
    done = out / ".bench-summary.json"
    if done.exists():
        return json.loads(done.read_text())
    code = ("import json, sys, time; from regiopool.generate import generate_inbox; t=time.perf_counter();"
            "s=generate_inbox(sys.argv[1], start=sys.argv[2], end=sys.argv[3], scale=float(sys.argv[4]));"
            "s['seconds']=time.perf_counter()-t; print(json.dumps(s, default=str))")
    proc = subprocess.run([sys.executable, "-c", code, str(out), start, end, str(scale)],
                          check=False, capture_output=True, text=True)
    if proc.returncode:
        raise ValueError(proc.stderr.strip().splitlines()[-1])
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    summary = {"files": summary["files"], "bytes": summary["bytes"],
               "rows": sum(summary["rows"].values()), "seconds": summary["seconds"]}
    done.write_text(json.dumps(summary))
    return summary


def _month_of(name: str) -> str | None:
    import re
    m = re.search(r"_(\d{4}-\d{2})", name)
    return m.group(1) if m else None


def _cut_from_longer(base: Path, plus: Path, start: str, end: str, nxt: str, scale: float
                     ) -> dict:
    """One generation of start..nxt is the inbox with one more month; the base inbox is its
    files of the periods up to `end` (hard links). Both are the same generated world, delivered
    up to `end` and a month later, and the range is generated once instead of twice."""
    if not (plus / ".bench-summary.json").exists():
        longer = plus.parent / f"{plus.name}.generating"
        _generate(longer, start, nxt, scale)  # its summary moves with it
        shutil.rmtree(plus, ignore_errors=True)
        os.replace(longer, plus)
    summary = json.loads((plus / ".bench-summary.json").read_text())
    tmp = base.parent / f"{base.name}.cutting"
    shutil.rmtree(tmp, ignore_errors=True)
    files = nbytes = added = 0
    for folder in sorted(p for p in plus.iterdir() if p.is_dir()):
        (tmp / folder.name).mkdir(parents=True)
        for f in sorted(folder.iterdir()):
            month = _month_of(f.name)
            if month is not None and month <= end:
                os.link(f, tmp / folder.name / f.name)
                files += 1
                nbytes += f.stat().st_size
            else:
                added += 1
    cut = {"files": files, "bytes": nbytes, "rows": None, "seconds": summary["seconds"],
           "cut_from": plus.name}
    (tmp / ".bench-summary.json").write_text(json.dumps(cut))
    shutil.rmtree(base, ignore_errors=True)
    os.replace(tmp, base)
    (plus / ".bench-done").write_text(str(added))
    return cut


def inboxes(work: Path, scale: float, months: int, end: str, with_plus: bool = True
            ) -> tuple[Path, Path, dict, str]:
    """The base inbox (`months` months ending `end`) and the one with one more month (cached).

    With `with_plus`, the range with one more month is generated once and the base is cut from
    it (`_cut_from_longer`); inboxes cached before that (base generated alone, one more month
    copied from a second generation) are used as they are.

    When the district's workbook would exceed Excel's row limit (the generator says so), the
    history is shortened a year at a time until it fits; the summary says how long it is."""
    # The district's workbook holds its whole register (about 155 enquiries a year per unit of
    # scale, plus the generator's year of history before the range) on one sheet: shorten the
    # history by whole years up front when it cannot fit, instead of hours of generating until
    # the generator's own check (EXCEL_MAX_ROWS) stops at the last workbook.
    from regiopool.generate.district import EXCEL_MAX_ROWS
    while months > 12 and 155 * scale * (months + 12) / 12 > 0.95 * EXCEL_MAX_ROWS:
        print(f"  scale {scale:g}: {months // 12} years would not fit Excel's "
              f"{EXCEL_MAX_ROWS:,} rows (district register): one year less", flush=True)
        months -= 12
    from regiopool.generate import DATA_VERSION
    nxt = add_months(end, 1)
    # inboxes of the generator's earlier data versions have no suffix (version 1)
    version = f"_v{DATA_VERSION}" if DATA_VERSION > 1 else ""
    while True:
        start = add_months(end, -months + 1)
        base = work / "inbox" / f"scale{scale:g}_{start}_{end}{version}"
        plus = work / "inbox" / f"scale{scale:g}_{start}_{end}{version}_plus_{nxt}"
        try:
            if (base / ".bench-summary.json").exists() or not with_plus:
                summary = _generate(base, start, end, scale)
            else:
                summary = _cut_from_longer(base, plus, start, end, nxt, scale)
            break
        except ValueError as exc:
            if months <= 12 or "row" not in str(exc).lower():
                raise
            print(f"  scale {scale:g}, {months // 12} years: {exc} -> one year less", flush=True)
            shutil.rmtree(base, ignore_errors=True)
            shutil.rmtree(plus.parent / f"{plus.name}.generating", ignore_errors=True)
            months -= 12
    if with_plus and not (plus / ".bench-done").exists():
        # an older cache: the base was generated alone; one more month from a second generation
        longer = work / "inbox" / f"scale{scale:g}_{start}_{nxt}{version}"
        _generate(longer, start, nxt, scale)
        shutil.rmtree(plus, ignore_errors=True)
        added = 0
        for folder in base.iterdir():
            if not folder.is_dir():
                continue
            (plus / folder.name).mkdir(parents=True)
            for f in folder.iterdir():
                os.link(f, plus / folder.name / f.name)
            for f in (longer / folder.name).iterdir():
                if _month_of(f.name) == nxt:
                    shutil.copy2(f, plus / folder.name / f.name)
                    added += 1
        (plus / ".bench-done").write_text(str(added))
        shutil.rmtree(longer)  # only its new month was needed
    summary.update(months=months, start=start, end=end)
    return base, plus, summary, nxt


# ----------------------------------------------------------------------------- main

def _figure(r: dict | None, measured_here: bool) -> str:
    """A stage's seconds, with the time of the earlier run it comes from."""
    if not r:
        return "not measured"
    when = "" if measured_here else \
        f" from {time.strftime('%Y-%m-%d %H:%M', time.gmtime(r['at']))} UTC"
    return f"{r['seconds']:.1f} s{when}"


def _latest(work: Path, inbox: str, stage: str) -> dict | None:
    """The latest successful result of `stage` on this inbox in WORK/results.jsonl."""
    path = work / "results.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()] if path.exists() else []
    rows = [r for r in rows if r.get("inbox") == inbox and r.get("stage") == stage
            and "error" not in r]
    return rows[-1] if rows else None


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except OSError:
        mem = 0
    import duckdb
    return (f"{platform.node()}: {os.cpu_count()} CPUs ({cpu}), {mem:.1f} GiB RAM, "
            f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, "
            f"load average {os.getloadavg()[0]:.1f} at start")


def fmt_row(scale, r: dict, limit: float | None) -> str:
    if "error" in r:
        return f"| {scale:g} | {r['stage']} | failed: {r['error']} | | | | |"
    rows = r.get("rows")
    rate = f"{rows / r['work_seconds']:,.0f}" if rows and r.get("work_seconds") else ""
    ratio = f"{r['seconds'] / limit:.1f}x" if limit else ""
    extra = {k: v for k, v in r.items() if k not in (
        "stage", "seconds", "work_seconds", "peak_mb", "rows", "error", "read_seconds",
        "sql_seconds")}
    if "read_seconds" in r:
        extra["read_s"] = round(r["read_seconds"], 1)
        extra["sql_s"] = round(r["sql_seconds"], 1)
    return (f"| {scale:g} | {r['stage']} | {r['seconds']:.1f} | {r['work_seconds']:.1f} | "
            f"{r['peak_mb']:.0f} | {rows if rows is not None else ''} | {rate} | {ratio} | "
            f"{json.dumps(extra, default=str)} |")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scales", default="1,10,100,1000")
    p.add_argument("--work", type=Path, default=REPO / "var" / "bench")
    p.add_argument("--years", type=int, default=10, help="history of scale >= 1000 (default 10)")
    p.add_argument("--quick", action="store_true", help="scale 0.2, six months")
    p.add_argument("--stages", default=",".join(STAGES))
    p.add_argument("--timeout", type=float, default=3600, help="per stage, seconds")
    p.add_argument("--repeat", type=int, default=1,
                   help="measure the month's stages (ingest_month, dbt_month) N times, each on a "
                        "fresh copy of the full build: a shared host's noise is +-15 %%")
    p.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    ns = p.parse_args(argv)
    if ns.child:
        print(json.dumps(child(ns.child[0], json.loads(ns.child[1])), default=str))
        return 0

    work = ns.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    stages = [s for s in ns.stages.split(",") if s]
    scales = [0.2] if ns.quick else [float(s) for s in ns.scales.split(",")]
    print(machine())
    print("\n| scale | stage | wall s | work s | peak MB | rows | rows/s | x limit | details |\n"
          "|---:|---|---:|---:|---:|---:|---:|---:|---|", flush=True)
    for scale in scales:
        months = 12 * ns.years if scale >= 1000 else 24
        end = END
        if ns.quick:
            months, end = 6, "2025-06"
        base, plus, summary, nxt = inboxes(work, scale, months, end, with_plus=bool(
            {"ingest_month", "dbt_month"} & set(stages)))
        print(f"| {scale:g} | inbox | {summary['seconds']:.1f} | | | {summary['rows'] or ''} | | | "
              f"{summary['files']} files, {summary['bytes'] / 1e6:.1f} MB, "
              f"{summary['start']}..{summary['end']} ({summary['months']} months), +{nxt} |", flush=True)
        homes = work / "home" / base.name
        full, month, whole, other = (homes / n for n in ("full", "month", "pipeline", "other"))
        # a home is made afresh by the stage that starts it; the others are kept, so that the
        # month stages can run later on the full build of an earlier run
        fresh = {full: "ingest", month: "ingest_month", whole: "pipeline", other: "limit"}
        for h, first in fresh.items():
            if first in stages or (h is other and "dlt" in stages):
                shutil.rmtree(h, ignore_errors=True)
        for h in (full, other):
            h.mkdir(parents=True, exist_ok=True)
        results: dict[str, dict] = {}
        order = [s for s in stages if s in STAGES]  # in the order asked for
        monthly = [s for s in order if s in ("ingest_month", "dbt_month")]
        if ns.repeat > 1 and monthly != ["ingest_month", "dbt_month"]:
            raise SystemExit("--repeat needs the stages ingest_month,dbt_month (each repeat "
                             "starts from a fresh copy of the full build)")
        if monthly and ns.repeat > 1:  # the month's stages again, after the first time
            at = max(order.index(s) for s in monthly) + 1
            order[at:at] = monthly * (ns.repeat - 1)
        months_seen: list[dict] = []
        # the limit first, so that every other line can show its ratio to it
        for stage in ["limit"] + [s for s in order if s != "limit"] if "limit" in order else order:
            if stage == "ingest_month":
                if not (full / "warehouse.duckdb").exists():
                    continue
                shutil.rmtree(month, ignore_errors=True)  # a repeat starts afresh too
                shutil.copytree(full, month, ignore=shutil.ignore_patterns("extracts",
                                                                            "quality"))
                # dbt's saved parse state names the copied-from warehouse (the profile's path),
                # so the copy's first build would parse the whole project again; a monthly build
                # in production runs in the home of the previous one. Parse once, untimed.
                measure("dbt_parse", ns.timeout, inbox=str(plus), home=str(month))
            arg = {"inbox": str(base), "home": str(full)}
            if stage in ("ingest_month", "dbt_month"):
                arg = {"inbox": str(plus), "home": str(month)}
            elif stage == "pipeline":
                arg = {"inbox": str(base), "home": str(whole)}
            elif stage in ("limit", "dlt"):
                arg = {"inbox": str(base), "home": str(other)}
            r = measure(stage, ns.timeout, **arg)
            results[stage] = r
            if stage == "dbt_month" and r.get("full_refresh"):
                print("  (this month's build was a full refresh: seeds, macros, staging, histories "
                      "or quality code changed since the full build; run dbt_full first)",
                      flush=True)
            if monthly and stage == monthly[-1]:
                months_seen.append({m: results.get(m, {}).get("seconds", 0.0) for m in monthly})
            limit = results.get("limit", {}).get("seconds") if stage != "limit" else None
            print(fmt_row(scale, r, limit), flush=True)
            with (work / "results.jsonl").open("a", encoding="utf-8") as fh:
                fh.write(json.dumps({"scale": scale, "inbox": base.name, "at": time.time(),
                                     **r}, default=str) + "\n")
        ing, lim, peer = results.get("ingest"), results.get("limit"), results.get("dlt")
        if ing and lim and "error" not in ing and "error" not in lim:
            line = (f"  ingestion {ing['rows'] / ing['work_seconds']:,.0f} rows/s vs plain DuckDB "
                    f"read {lim['rows'] / lim['read_seconds']:,.0f} rows/s")
            if peer and "error" not in peer:
                line += f" vs dlt {peer['rows'] / peer['work_seconds']:,.0f} rows/s"
            print(line)
        fb = results.get("dbt_full") or _latest(work, base.name, "dbt_full")
        mb = results.get("dbt_month")
        if fb and mb and "error" not in fb and "error" not in mb:
            ig = results.get("ingest") or _latest(work, base.name, "ingest")
            incs = sorted(sum(m.values()) for m in months_seen)
            median = statistics.median(incs)
            full = fb["seconds"] + (ig or {}).get("seconds", 0)
            print(f"  one more month (ingest + dbt): {', '.join(f'{x:.1f}' for x in incs)} s, "
                  f"median {median:.1f} s = {100 * median / full:.1f} % of a full rebuild "
                  f"({full:.1f} s: dbt {_figure(fb, 'dbt_full' in results)} + ingest "
                  f"{_figure(ig, 'ingest' in results)})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
