"""Run the dbt project in-process (one `dbt build` per run).

dbt is invoked through its programmatic entry point `dbtRunner` inside the Airflow task, so a
run pays dbt's start-up once instead of once per model (see
docs/decisions/0002-dbt-inside-airflow.md).
"""

from __future__ import annotations

import logging
import os
import time

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


def dbt_build(settings: Settings, *, full_refresh: bool = False) -> dict:
    """`dbt build` (seeds, models, tests) against the warehouse; raises DbtBuildFailed."""
    from dbt.cli.main import dbtRunner

    os.environ["REGIOPOOL_WAREHOUSE"] = str(settings.warehouse)
    settings.dbt_dir.mkdir(parents=True, exist_ok=True)
    # dbt's unit tests check the SQL logic on fixed inputs; they run in the test suite
    # (tests/dbt/test_dbt_unit_tests.py), not against every delivery.
    extra = ["--no-use-colors", "--log-level", "warn", "--exclude-resource-type", "unit_test"]
    if full_refresh:
        extra.append("--full-refresh")
    started = time.monotonic()
    result = dbtRunner().invoke(dbt_args(settings, "build", *extra))
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
    }
    log.info("dbt build: %s nodes in %ss, %s failed", len(nodes), elapsed, len(failed))
    if not result.success:
        raise DbtBuildFailed(f"dbt build failed ({len(failed)} nodes): {', '.join(failed[:10])}")
    return summary
