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

    from regiopool.contracts import load_contracts
    from regiopool.ingest import ingest_partner
    from regiopool.settings import get_settings
    from regiopool.transform import dbt_args, invoke_dbt

    home, plus_inbox, work = (Path(a) for a in argv)
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(home, work, ignore=shutil.ignore_patterns("extracts", "quality"))
    settings = get_settings(home=work, inbox=plus_inbox)
    for contract in load_contracts():
        ingest_partner(settings.warehouse, settings.inbox, contract)
    os.environ["REGIOPOOL_WAREHOUSE"] = str(settings.warehouse)
    def dbt(*args: str) -> None:
        result = invoke_dbt(dbt_args(settings, *args))
        if not result.success:
            raise SystemExit(f"dbt {' '.join(args)} failed: {result.exception}")

    dbt("run", "--quiet", "--select", "path:models/staging")
    select = ["--select", "path:models/intermediate/histories"]
    dbt("compile", "--quiet", *select)
    incremental = _compiled(settings.dbt_dir / "target")
    dbt("compile", "--quiet", "--full-refresh", *select)
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
    fr = mr = 0
    fs = ms = 0.0
    for model, sql in full.items():
        (f_s, f_r), (m_s, m_r) = timed(sql), timed(incremental[model])
        fr, fs, mr, ms = fr + f_r, fs + f_s, mr + m_r, ms + m_s
        print(f"| {model} | {f_r} | {f_s:.2f} | {m_r} | {m_s:.2f} | {m_r / f_r:.0%} | {m_s / f_s:.0%} |")
    print(f"| **all histories** | {fr} | {fs:.2f} | {mr} | {ms:.2f} | {mr / fr:.1%} | {ms / fs:.0%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
