"""Query time of the history models: one more month (incremental) against a full rebuild.

    .venv/bin/python benchmarks/incremental_queries.py HOME PLUS_INBOX WORK

HOME is a fully built home (e.g. `var/bench/home/scale10_2024-01_2025-12/full` after
`benchmarks/run.py --stages ingest,dbt_full`), PLUS_INBOX the inbox with one more month. The
home is copied to WORK, the new files are ingested and staged, each history model is compiled
incrementally and with `--full-refresh`, and both SELECTs run in DuckDB (best of 3). Prints a
Markdown table (docs/performance.md, "Incremental builds"). dbt's own per-node cost is not in
these figures: they are the part of the build that grows with the data.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path


def _compiled(target: Path) -> dict[str, str]:
    folder = target / "compiled" / "regiopool" / "models" / "intermediate" / "histories"
    return {f.stem: f.read_text(encoding="utf-8") for f in sorted(folder.glob("*_history.sql"))}


def main(argv: list[str]) -> int:
    import duckdb
    from dbt.cli.main import dbtRunner

    from regiopool.contracts import load_contracts
    from regiopool.ingest import ingest_partner
    from regiopool.settings import get_settings
    from regiopool.transform import dbt_args

    home, plus_inbox, work = (Path(a) for a in argv)
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(home, work, ignore=shutil.ignore_patterns("extracts", "quality"))
    settings = get_settings(home=work, inbox=plus_inbox)
    for contract in load_contracts():
        ingest_partner(settings.warehouse, settings.inbox, contract)
    os.environ["REGIOPOOL_WAREHOUSE"] = str(settings.warehouse)
    runner = dbtRunner()
    runner.invoke(dbt_args(settings, "run", "--quiet", "--select", "path:models/staging"))
    select = ["--select", "path:models/intermediate/histories", "--resource-type", "model"]
    runner.invoke(dbt_args(settings, "compile", "--quiet", *select))
    incremental = _compiled(settings.dbt_dir / "target")
    runner.invoke(dbt_args(settings, "compile", "--quiet", "--full-refresh", *select))
    full = _compiled(settings.dbt_dir / "target")

    con = duckdb.connect(str(settings.warehouse), read_only=True)

    def timed(sql: str) -> tuple[float, int]:
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            con.execute(f"create or replace temp table _probe as {sql}")
            best = min(best, time.perf_counter() - started)
        return best, con.execute("select count(*) from _probe").fetchone()[0]

    print("| model | full rows | full s | +1 month rows | +1 month s | rows | time |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    totals = [0.0, 0, 0.0, 0]
    for model, sql in full.items():
        (fs, fr), (ms, mr) = timed(sql), timed(incremental[model])
        totals = [totals[0] + fr, totals[1] + fs, totals[2] + mr, totals[3] + ms]
        print(f"| {model} | {fr} | {fs:.2f} | {mr} | {ms:.2f} | {mr / fr:.0%} | {ms / fs:.0%} |")
    fr, fs, mr, ms = totals
    print(f"| **all histories** | {fr} | {fs:.2f} | {mr} | {ms:.2f} | {mr / fr:.1%} | {ms / fs:.0%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
