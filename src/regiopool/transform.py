"""Run the dbt project in-process (one `dbt build` per run).

dbt is invoked through its programmatic entry point `dbtRunner` inside the Airflow task, so a
run pays dbt's start-up once instead of once per model (see
docs/decisions/0002-dbt-inside-airflow.md).
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from pathlib import Path

from regiopool.settings import DBT_PROJECT_DIR, Settings

log = logging.getLogger(__name__)


class DbtBuildFailed(RuntimeError):
    """dbt reported errors or failed tests; the message names the nodes."""


def dbt_args(settings: Settings, command: str, *extra: str) -> list[str]:
    return [
        command,
        "--project-dir", str(DBT_PROJECT_DIR),
        "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(settings.dbt_dir / "target"),
        "--log-path", str(settings.dbt_dir / "logs"),
        *extra,
    ]


# What the incremental models' kept rows were computed with: the seeds (code mappings), the
# macros, staging, the histories and the quality checks (int_quality__workbook_drops is
# incremental, on int_quality__loads). When any of it changes, rows built before would not match
# a rebuild, so the next build is a full refresh (docs/decisions/dbt-incremental-histories.md).
INCREMENTAL_INPUTS = ("seeds", "macros", "models/staging", "models/intermediate/histories",
                      "models/intermediate/quality",
                      # the incremental models outside those folders
                      "models/intermediate/regional/int_regional_name_keys.sql",
                      "models/intermediate/regional/int_regional_record_groups.sql")
FINGERPRINT_FILE = "incremental_inputs.sha256"


def incremental_fingerprint(project_dir: Path = DBT_PROJECT_DIR) -> str:
    """SHA-256 over the paths and bytes of the files the incremental models depend on."""
    digest = hashlib.sha256()
    for folder in INCREMENTAL_INPUTS:
        root = project_dir / folder
        for path in [root] if root.is_file() else sorted(root.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(project_dir).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def release_warehouse() -> None:
    """Close the DuckDB instance dbt-duckdb keeps open for the process (`keep_open: true`).

    With `keep_open`, a build opens the warehouse once instead of once per node; the adapter
    would hold it (and its file lock) until the process exits. Closing it here frees the file
    for the quality gate and the analysts' copy, which may run in the same process (`airflow
    dags test`) or in another one."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # dbt-duckdb not imported: nothing is open
        return
    with DuckDBConnectionManager._LOCK:
        env, DuckDBConnectionManager._ENV = DuckDBConnectionManager._ENV, None
    if env is not None:
        env.close()


def invoke_dbt(args: list[str]):
    """`dbtRunner().invoke(args)` in this process, the warehouse released afterwards."""
    from dbt.cli.main import dbtRunner

    try:
        return dbtRunner().invoke(args)
    finally:
        release_warehouse()


def dbt_build(settings: Settings, *, full_refresh: bool = False) -> dict:
    """`dbt build` (seeds, models, tests) against the warehouse; raises DbtBuildFailed.

    Incremental unless `full_refresh` or the seeds, macros, staging, history or quality models
    changed since the last successful build (then a full refresh, once)."""
    os.environ["REGIOPOOL_WAREHOUSE"] = str(settings.warehouse)
    settings.dbt_dir.mkdir(parents=True, exist_ok=True)
    fingerprint_file = settings.dbt_dir / FINGERPRINT_FILE
    fingerprint = incremental_fingerprint()
    previous = fingerprint_file.read_text(encoding="utf-8").strip() if fingerprint_file.exists() else None
    if previous != fingerprint and not full_refresh:
        full_refresh = True
        log.info("dbt build: seeds, macros, staging, histories or quality checks changed since "
                 "the last build (or first build): full refresh")
    # dbt's unit tests check the SQL logic on fixed inputs; they run in the test suite
    # (tests/dbt/test_dbt_unit_tests.py), not against every delivery.
    extra = ["--no-use-colors", "--log-level", "warn", "--exclude-resource-type", "unit_test"]
    if full_refresh:
        extra.append("--full-refresh")
    started = time.monotonic()
    result = invoke_dbt(dbt_args(settings, "build", *extra))
    elapsed = round(time.monotonic() - started, 1)
    if result.exception is not None:
        raise DbtBuildFailed(f"dbt build could not run: {result.exception}") from result.exception
    nodes = list(result.result or [])
    failed = [r.node.unique_id for r in nodes if str(r.status) in {"error", "fail", "runtime error"}]
    summary = {
        "nodes": len(nodes),
        "failed": failed,
        "warned": [r.node.unique_id for r in nodes if str(r.status) == "warn"],
        "seconds": elapsed,
        "full_refresh": full_refresh,
    }
    log.info("dbt build: %s nodes in %ss, %s failed", len(nodes), elapsed, len(failed))
    if not result.success:
        raise DbtBuildFailed(f"dbt build failed ({len(failed)} nodes): {', '.join(failed[:10])}")
    tmp = fingerprint_file.with_suffix(".tmp")
    tmp.write_text(fingerprint + "\n", encoding="utf-8")
    tmp.replace(fingerprint_file)
    return summary
