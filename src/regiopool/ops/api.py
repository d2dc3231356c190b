"""A small client of Airflow's REST API v2, as an operator's script or another system would use it.

    client = AirflowClient.login("http://localhost:8080", "admin", password)
    client.unpause("regiopool_ingest_irl")
    run = client.trigger("regiopool_council_extract", conf={"report_month": "2025-03"})
    client.wait_for_run("regiopool_council_extract", run["dag_run_id"], timeout=600)

Token: `POST /auth/token` with `{"username", "password"}` (simple auth manager; other auth
managers issue tokens their own way), then `Authorization: Bearer <token>` on `/api/v2/...`.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import requests

FINISHED = {"success", "failed"}


class AirflowApiError(RuntimeError):
    pass


class AirflowClient:
    def __init__(self, base_url: str, token: str, timeout: float = 30) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    @classmethod
    def login(cls, base_url: str, username: str, password: str) -> AirflowClient:
        resp = requests.post(f"{base_url.rstrip('/')}/auth/token",
                             json={"username": username, "password": password}, timeout=30)
        if resp.status_code != 201:
            raise AirflowApiError(f"login failed: HTTP {resp.status_code} {resp.text[:200]}")
        return cls(base_url, resp.json()["access_token"])

    def _call(self, method: str, path: str, **kwargs) -> dict:
        resp = self.session.request(method, f"{self.base_url}/api/v2{path}",
                                    timeout=self.timeout, **kwargs)
        if resp.status_code >= 400:
            raise AirflowApiError(f"{method} {path}: HTTP {resp.status_code} {resp.text[:300]}")
        return resp.json() if resp.content else {}

    def dags(self) -> list[dict]:
        return self._call("GET", "/dags", params={"limit": 100})["dags"]

    def wait_for_dags(self, dag_ids: set[str], timeout: float = 120) -> list[dict]:
        """Until the DAG processor has parsed (serialised) every DAG named."""
        deadline = time.monotonic() + timeout
        while True:
            dags = self.dags()
            if dag_ids <= {d["dag_id"] for d in dags}:
                return dags
            if time.monotonic() > deadline:
                raise AirflowApiError(f"DAGs not parsed after {timeout:.0f} s: "
                                      f"{sorted(dag_ids - {d['dag_id'] for d in dags})}")
            time.sleep(2)

    def import_errors(self) -> list[dict]:
        return self._call("GET", "/importErrors")["import_errors"]

    def unpause(self, dag_id: str) -> dict:
        return self._call("PATCH", f"/dags/{dag_id}", json={"is_paused": False})

    def trigger(self, dag_id: str, conf: dict | None = None,
                logical_date: datetime | None = None) -> dict:
        """A manual run; `logical_date` defaults to now (the date the DAG treats as "today")."""
        body = {"logical_date": (logical_date or datetime.now(UTC)).isoformat(),
                "conf": conf or {}}
        return self._call("POST", f"/dags/{dag_id}/dagRuns", json=body)

    def run(self, dag_id: str, run_id: str) -> dict:
        return self._call("GET", f"/dags/{dag_id}/dagRuns/{run_id}")

    def runs(self, dag_id: str) -> list[dict]:
        return self._call("GET", f"/dags/{dag_id}/dagRuns",
                          params={"limit": 100, "order_by": "run_after"})["dag_runs"]

    def wait_until_idle(self, dag_ids: list[str], timeout: float = 600, poll: float = 5,
                        settle: float = 20) -> dict[str, list[dict]]:
        """Until none of the DAGs has a queued or running run (for `settle` seconds: an Asset
        event may still be turning into a run); returns every DAG's runs."""
        deadline = time.monotonic() + timeout
        quiet_since = None
        while True:
            runs = {dag_id: self.runs(dag_id) for dag_id in dag_ids}
            busy = [r for rs in runs.values() for r in rs if r["state"] not in FINISHED]
            now = time.monotonic()
            if busy or not any(runs.values()):
                quiet_since = None
            elif quiet_since is None:
                quiet_since = now
            elif now - quiet_since >= settle:
                return runs
            if now > deadline:
                raise AirflowApiError(f"still busy after {timeout:.0f} s: "
                                      f"{[(r['dag_id'], r['state']) for r in busy]}")
            time.sleep(poll)

    def task_instances(self, dag_id: str, run_id: str) -> list[dict]:
        return self._call("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances")[
            "task_instances"]

    def asset_events(self, **filters) -> list[dict]:
        """Asset events, e.g. `source_dag_id=...`."""
        return self._call("GET", "/assets/events", params={"limit": 100, **filters})[
            "asset_events"]

    def queued_asset_events(self, dag_id: str) -> list[dict]:
        """Asset events waiting to trigger `dag_id` (e.g. while it is paused)."""
        return self._call("GET", f"/dags/{dag_id}/assets/queuedEvents")["queued_events"]

    def wait_for_run(self, dag_id: str, run_id: str, timeout: float = 300,
                     poll: float = 3) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            run = self.run(dag_id, run_id)
            if run["state"] in FINISHED:
                return run
            if time.monotonic() > deadline:
                raise AirflowApiError(f"{dag_id} run {run_id} still {run['state']} after "
                                      f"{timeout:.0f} s")
            time.sleep(poll)
