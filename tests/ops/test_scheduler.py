"""regiopool's real DAGs under a real Airflow scheduler, driven through the REST API.

Starts scheduler, DAG processor and API server (LocalExecutor, SQLite, a free port, a temporary
AIRFLOW_HOME) on a small generated inbox; logs in as a client would (`POST /auth/token`),
unpauses and triggers runs (`/api/v2`), waits for them and checks what they did:

1. `regiopool_ingest_stadt_leipzig` loads the city's files: run success, rows in the raw tables
   and the load ledger, Asset events emitted, queued for `regiopool_transform`;
2. `regiopool_delivery_watch`, run as of 9 April 2025, alerts (webhook) that the district and
   IRL have not delivered March 2025;
3. `regiopool_council_extract` for `report_month=2025-03` (a backfill by hand) fails at the
   quality gate (two partners missing) and the failure callback posts the alert to the webhook.

`scheduler.use_job_schedule` is off, so unpausing creates no scheduled runs beside the triggered
ones (asset events are still queued). Every process is stopped at the end, also on failure.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import duckdb
import pytest

from regiopool.ops.local_airflow import LocalAirflow, free_port
from regiopool.settings import get_settings

pytestmark = pytest.mark.slow

INGEST = "regiopool_ingest_stadt_leipzig"
WATCH = "regiopool_delivery_watch"
EXTRACT = "regiopool_council_extract"
TRANSFORM = "regiopool_transform"
RUN_TIMEOUT = 240


def _states(client, dag_id, run_id) -> dict[str, str]:
    return {t["task_id"]: t["state"] for t in client.task_instances(dag_id, run_id)}


def _wait(client, dag_id, run_id, airflow):
    try:
        return client.wait_for_run(dag_id, run_id, timeout=RUN_TIMEOUT)
    except Exception:
        print(airflow.log_tail("scheduler", 4000))
        raise


def test_real_dags_under_the_scheduler_via_the_rest_api(tmp_path, webhook):
    from regiopool.generate import generate_inbox

    started = time.monotonic()
    inbox, home = tmp_path / "inbox", tmp_path / "home"
    generate_inbox(inbox, start="2025-01", end="2025-03", scale=0.2)
    settings = get_settings(home=home, inbox=inbox)
    env = {"REGIOPOOL_RETRIES": "0", "REGIOPOOL_ALERT_WEBHOOK": webhook.url,
           "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False"}

    with LocalAirflow(tmp_path / "airflow", settings, port=free_port(), extra_env=env) as airflow:
        client = airflow.client()
        dag_ids = {d["dag_id"] for d in client.wait_for_dags(
            {INGEST, "regiopool_ingest_lk_leipzig", "regiopool_ingest_irl", TRANSFORM, EXTRACT,
             WATCH})}
        assert client.import_errors() == []
        assert all(d.startswith("regiopool_") for d in dag_ids), "no example DAGs"

        # 1. ingestion of one partner, triggered as a client would
        client.unpause(TRANSFORM)          # so that the scheduler queues the Asset events
        client.unpause(INGEST)
        ingest = client.trigger(INGEST)
        run = _wait(client, INGEST, ingest["dag_run_id"], airflow)
        states = _states(client, INGEST, ingest["dag_run_id"])
        assert run["state"] == "success", states
        assert states["load_files"] == "success" and states["check_schema_drift"] == "success"
        assert states["announce_enquiries"] == "success"
        emitted = {e["name"] for e in client.asset_events(source_dag_id=INGEST)}
        assert "raw_stadt_leipzig.enquiries" in emitted
        queued = client.queued_asset_events(TRANSFORM)
        assert queued, "the transform DAG was not queued by the raw-table Assets"

        # 2. the deadline watch as of 9 April 2025 and 3. a backfilled extract, side by side
        client.unpause(WATCH)
        client.unpause(EXTRACT)
        watch = client.trigger(WATCH, logical_date=datetime(2025, 4, 9, 6, 0, tzinfo=UTC))
        extract = client.trigger(EXTRACT, conf={"report_month": "2025-03"})
        watch_run = _wait(client, WATCH, watch["dag_run_id"], airflow)
        extract_run = _wait(client, EXTRACT, extract["dag_run_id"], airflow)
        watch_states = _states(client, WATCH, watch["dag_run_id"])
        extract_states = _states(client, EXTRACT, extract["dag_run_id"])
    seconds = round(time.monotonic() - started)

    assert watch_run["state"] == "success", watch_states
    assert watch_states["alert_late_partners"] == "success"
    late = [a for a in webhook.received if a["kind"] == "late_delivery"]
    assert len(late) == 1 and late[0]["month"] == "2025-03"
    assert {"irl", "lk_leipzig"} <= set(late[0]["partners"])
    assert "due 2025-04-07" in late[0]["text"]

    assert extract_run["state"] == "failed"
    assert extract_states["choose_report_month"] == "success"
    assert extract_states["quality_gate"] == "failed"
    assert extract_states["publish_extract"] == "upstream_failed"
    failures = [a for a in webhook.received if a["kind"] == "failure"]
    assert [(a["dag_id"], a["task_id"]) for a in failures] == [(EXTRACT, "quality_gate")]
    assert failures[0]["run_id"] == extract["dag_run_id"]

    # the real effect, read-only once Airflow has stopped
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        enquiries = con.execute("select count(*) from raw_stadt_leipzig.enquiries").fetchone()[0]
        files = con.execute("select count(*) from meta.load_ledger where partner = "
                            "'stadt_leipzig' and status = 'loaded'").fetchone()[0]
        partners = {r[0] for r in con.execute(
            "select distinct partner from meta.load_ledger").fetchall()}
    finally:
        con.close()
    assert enquiries > 0 and files >= 9      # three months × three kinds of file
    assert partners == {"stadt_leipzig"}
    # the city delivered March in full, so it is not named late
    assert "stadt_leipzig" not in late[0]["partners"]
    print(f"scheduler test: {seconds} s wall time")
