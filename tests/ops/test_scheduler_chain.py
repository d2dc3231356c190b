"""The whole chain under a real scheduler: the scheduler runs the ingestion DAGs on their
schedule, the transformation on their Assets, and a client triggers the month's extract.

Heavier than test_scheduler.py (dbt and the quality gate run as scheduler tasks): runs only with
`REGIOPOOL_SCHEDULER_CHAIN=1` (e.g. before a release, or against PostgreSQL; docs/operations.md).
"""

from __future__ import annotations

import os
import time

import duckdb
import pytest

from regiopool.ops.local_airflow import LocalAirflow, free_port
from regiopool.settings import get_settings

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("REGIOPOOL_SCHEDULER_CHAIN") != "1",
                       reason="set REGIOPOOL_SCHEDULER_CHAIN=1 to run the whole chain"),
]

INGEST = ["regiopool_ingest_irl", "regiopool_ingest_lk_leipzig", "regiopool_ingest_stadt_leipzig"]
TRANSFORM = "regiopool_transform"
EXTRACT = "regiopool_council_extract"


def test_ingest_transform_and_extract_under_the_scheduler(tmp_path):
    from regiopool.generate import generate_inbox

    started = time.monotonic()
    inbox, home = tmp_path / "inbox", tmp_path / "home"
    generate_inbox(inbox, start="2025-01", end="2025-03", scale=0.2)
    settings = get_settings(home=home, inbox=inbox)
    with LocalAirflow(tmp_path / "airflow", settings, port=free_port(),
                      extra_env={"REGIOPOOL_RETRIES": "0"}) as airflow:
        client = airflow.client()
        client.wait_for_dags({*INGEST, TRANSFORM, EXTRACT})
        client.unpause(TRANSFORM)
        for dag_id in INGEST:      # the scheduler starts their latest daily run by itself
            client.unpause(dag_id)
        runs = client.wait_until_idle([*INGEST, TRANSFORM], timeout=900)
        for dag_id in INGEST:
            assert [r["state"] for r in runs[dag_id]] == ["success"], dag_id
        transform_runs = runs[TRANSFORM]
        assert transform_runs, "no transform run was triggered by the Assets"
        assert all(r["run_type"] == "asset_triggered" for r in transform_runs)
        assert transform_runs[-1]["state"] == "success", airflow.log_tail("scheduler")

        client.unpause(EXTRACT)
        extract = client.trigger(EXTRACT, conf={"report_month": "2025-03"})
        run = client.wait_for_run(EXTRACT, extract["dag_run_id"], timeout=600)
        assert run["state"] == "success", client.task_instances(EXTRACT, extract["dag_run_id"])
    print(f"whole chain under the scheduler: {round(time.monotonic() - started)} s")

    con = duckdb.connect(str(home / "published" / "regiopool.duckdb"), read_only=True)
    try:
        projects = con.execute("select count(*) from marts.fct_projects").fetchone()[0]
    finally:
        con.close()
    assert projects > 0
    assert (home / "extracts" / "2025-03" / "Stadtrat_KPI_2025-03.pdf").exists()
