"""Failure notification: what an operator receives, and that it never breaks a task."""

from __future__ import annotations

from types import SimpleNamespace

from regiopool.airflow_defaults import default_args, notify_failure, send_alert


def _context(exc: Exception) -> dict:
    ti = SimpleNamespace(task_id="load_files", dag_id="regiopool_ingest_irl",
                         run_id="scheduled__2025-04-08", try_number=3,
                         log_url="http://airflow.example/dags/regiopool_ingest_irl/runs/x")
    return {"ti": ti, "exception": exc}


def test_failure_alert_reaches_the_webhook(webhook, monkeypatch):
    monkeypatch.setenv("REGIOPOOL_ALERT_WEBHOOK", webhook.url)
    notify_failure(_context(RuntimeError("irl: 1 file(s) not loaded:\nevents_2025-03-02.jsonl")))
    assert len(webhook.received) == 1
    alert = webhook.received[0]
    assert alert["kind"] == "failure" and alert["source"] == "regiopool"
    assert alert["dag_id"] == "regiopool_ingest_irl" and alert["task_id"] == "load_files"
    assert alert["try_number"] == 3
    assert "RuntimeError: irl: 1 file(s) not loaded:" in alert["text"]
    # only the first line of the message: file lists and details stay in the task log
    assert "events_2025-03-02.jsonl" not in alert["text"]
    assert alert["log_url"] in alert["text"]


def test_a_long_message_is_cut(webhook, monkeypatch):
    monkeypatch.setenv("REGIOPOOL_ALERT_WEBHOOK", webhook.url)
    notify_failure(_context(ValueError("x" * 5000)))
    assert len(webhook.received[0]["text"]) < 800


def test_an_unreachable_or_failing_webhook_never_raises(webhook, monkeypatch, caplog):
    webhook.status = 500
    monkeypatch.setenv("REGIOPOOL_ALERT_WEBHOOK", webhook.url)
    assert send_alert("regiopool: test", kind="failure") is False
    assert len(webhook.received) == 1
    monkeypatch.setenv("REGIOPOOL_ALERT_WEBHOOK", "http://127.0.0.1:9/nothing-listens-here")
    notify_failure(_context(RuntimeError("boom")))  # no exception
    assert "could not deliver the failure alert" in caplog.text


def test_without_a_webhook_the_alert_is_only_logged(monkeypatch, caplog):
    monkeypatch.delenv("REGIOPOOL_ALERT_WEBHOOK", raising=False)
    assert send_alert("regiopool: partner late", kind="late_delivery") is False
    assert "regiopool: partner late" in caplog.text


def test_retries_grow_and_can_be_switched_off(monkeypatch):
    monkeypatch.delenv("REGIOPOOL_RETRIES", raising=False)
    args = default_args()
    assert args["retries"] == 2 and args["retry_exponential_backoff"]
    assert args["retry_delay"].total_seconds() == 300
    assert args["max_retry_delay"].total_seconds() == 3600
    assert args["execution_timeout"].total_seconds() == 3 * 3600
    assert args["on_failure_callback"] is notify_failure
    monkeypatch.setenv("REGIOPOOL_RETRIES", "0")
    assert default_args()["retries"] == 0
