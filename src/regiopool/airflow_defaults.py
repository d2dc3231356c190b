"""What every regiopool DAG shares: owner, retries, the warehouse pool, alerts.

Alerts (`send_alert`) are one line of text, logged, and posted as JSON to the URL in
`REGIOPOOL_ALERT_WEBHOOK` when it is set: a chat webhook (Slack, Mattermost, Rocket.Chat and
Teams workflows accept `{"text": ...}`) or a small mail gateway. They name DAG, task, run and
try (or partners and months), never data: an exception message may be cut, rows are never
quoted.
"""

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
TIMEZONE = "Europe/Berlin"

ALERT_WEBHOOK_ENV = "REGIOPOOL_ALERT_WEBHOOK"
MAX_MESSAGE = 500


def send_alert(text: str, *, kind: str, details: dict | None = None) -> bool:
    """Log `text` and post `{"text", "kind", "source", **details}` to REGIOPOOL_ALERT_WEBHOOK.

    Returns whether the webhook accepted it. Never raises: an alert must not fail a task (nor
    fail it twice)."""
    log.error(text) if kind == "failure" else log.warning(text)
    url = os.environ.get(ALERT_WEBHOOK_ENV)
    if not url:
        return False
    import requests

    body = {"text": text, "kind": kind, "source": "regiopool", **(details or {})}
    try:
        resp = requests.post(url, json=body, timeout=10)
        resp.raise_for_status()
    except requests.RequestException as exc:
        log.warning("could not deliver the %s alert to %s: %s", kind,
                    url.split("?")[0], type(exc).__name__)
        return False
    return True


def _short(exc: BaseException | None) -> str:
    if exc is None:
        return "no exception recorded"
    first = (str(exc).strip().splitlines() or [""])[0]
    if len(first) > MAX_MESSAGE:
        first = first[:MAX_MESSAGE] + " …"
    return f"{type(exc).__name__}: {first}"


def failure_message(context) -> tuple[str, dict]:
    ti = context.get("ti") or context.get("task_instance")
    details = {
        "dag_id": getattr(ti, "dag_id", None),
        "task_id": getattr(ti, "task_id", None),
        "run_id": getattr(ti, "run_id", None),
        "try_number": getattr(ti, "try_number", None),
    }
    try:
        details["log_url"] = ti.log_url
    except (AttributeError, KeyError, ValueError, TypeError) as exc:
        # not every context (dag.test, a bare test context) can build the URL
        log.debug("no log URL for the alert: %s", exc)
    text = (f"regiopool: task {details['task_id']} of DAG {details['dag_id']} failed "
            f"(run {details['run_id']}, try {details['try_number']}): "
            f"{_short(context.get('exception'))}")
    if details.get("log_url"):
        text += f" — log: {details['log_url']}"
    return text, details


def notify_failure(context) -> None:
    """Failure callback of every task (after its last retry): log and post the alert."""
    text, details = failure_message(context)
    send_alert(text, kind="failure", details=details)


def retries() -> int:
    return int(os.environ.get("REGIOPOOL_RETRIES", "2"))


def default_args() -> dict:
    """Retries with growing delays (5 min, 10 min, ... at most 1 h) for the scheduler: a
    partner's share or API that is briefly away, a warehouse lock held by a crashed process.
    `regiopool run` sets REGIOPOOL_RETRIES=0 so that an interactive run fails at once. A task
    that hangs is stopped after 3 hours, so it cannot hold the warehouse pool for ever."""
    return {
        "owner": OWNER,
        "retries": retries(),
        "retry_delay": timedelta(minutes=5),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(hours=1),
        "execution_timeout": timedelta(hours=3),
        "on_failure_callback": notify_failure,
    }
