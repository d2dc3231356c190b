"""What every regiopool DAG shares: owner, retries, the warehouse pool, failure notification."""

from __future__ import annotations

import logging
import os
from datetime import timedelta

import pendulum

log = logging.getLogger(__name__)

OWNER = "regiopool-data-engineering"
# DuckDB allows one writing process per file: every task that writes the warehouse takes a
# slot of this one-slot pool, so writers never run side by side under a real scheduler.
WAREHOUSE_POOL = "regiopool_warehouse"
START_DATE = pendulum.datetime(2024, 1, 1, tz="Europe/Berlin")


def notify_failure(context) -> None:
    """Failure callback: log a one-line alert, and post it where the deployment points.

    Set `REGIOPOOL_ALERT_WEBHOOK` (a mail gateway or chat webhook URL) to receive the alert as
    JSON `{"text": ...}`. The message names DAG, task, run and try, never data.
    """
    ti = context.get("ti") or context.get("task_instance")
    text = (
        f"regiopool: task {getattr(ti, 'task_id', '?')} of DAG {getattr(ti, 'dag_id', '?')} "
        f"failed (run {getattr(ti, 'run_id', '?')}, try {getattr(ti, 'try_number', '?')}): "
        f"{type(context.get('exception')).__name__}: {context.get('exception')}"
    )
    log.error(text)
    url = os.environ.get("REGIOPOOL_ALERT_WEBHOOK")
    if url:
        import requests

        try:
            requests.post(url, json={"text": text}, timeout=10)
        except requests.RequestException as exc:  # an alert must never fail the task twice
            log.warning("could not deliver failure alert: %s", exc)


def default_args() -> dict:
    """Retries with growing delays for the scheduler; `regiopool run` sets REGIOPOOL_RETRIES=0
    so that an interactive run fails at once instead of waiting for retries."""
    return {
        "owner": OWNER,
        "retries": int(os.environ.get("REGIOPOOL_RETRIES", "2")),
        "retry_delay": timedelta(minutes=5),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(hours=1),
        "on_failure_callback": notify_failure,
    }
