"""The IRL HTTP client against a local server that injects failures."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from fixtures import event, write_jsonl

from regiopool.ingest import ingest_partner, irl_api
from regiopool.ingest.irl_api import IrlApiAuthError, IrlApiClient, IrlApiError, ingest_irl_api

TOKEN = "s3cr3t-token-for-tests"


class FakeCrm:
    """Serves ``events`` in pages; ``script`` holds failures to answer first (status, headers)."""

    def __init__(self, events):
        self.events = events
        self.script: list[tuple[int, dict]] = []
        self.requests: list[dict] = []

    def handler(self):
        crm = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                url = urlparse(self.path)
                q = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
                crm.requests.append({"path": url.path, "auth": self.headers.get("Authorization"),
                                     **q})
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    return self._send(401, {}, {"error": "unauthorized"})
                if crm.script:
                    status, headers = crm.script.pop(0)
                    return self._send(status, headers, {"error": "try later"})
                start = int(q.get("after") or 0)
                limit = int(q["limit"])
                page = crm.events[start:start + limit]
                nxt = start + len(page)
                return self._send(200, {}, {"events": page, "next_cursor": str(nxt),
                                            "has_more": nxt < len(crm.events)})

            def _send(self, status, headers, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler


@pytest.fixture
def crm():
    events = [event(f"01EV{i:04d}", occurred_at=f"2025-03-{1 + i % 28:02d}T10:00:00Z")
              for i in range(23)]
    events[5] = event("01EV0005", "project.teleported")
    fake = FakeCrm(events)
    server = ThreadingHTTPServer(("127.0.0.1", 0), fake.handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    yield fake
    server.shutdown()
    server.server_close()


def client(crm, sleeps, token=TOKEN, **kw):
    return IrlApiClient(crm.base_url, token, page_size=10, sleep=sleeps.append, **kw)


def test_pages_land_in_the_events_table_with_files(warehouse, inbox, contracts, query, crm):
    write_jsonl(inbox / "irl" / "events_2025-03-04.jsonl", [event("01FILE")])
    ingest_partner(warehouse, inbox, contracts["irl"])
    sleeps = []
    rep = ingest_irl_api(warehouse, contracts["irl"], client(crm, sleeps))
    assert [(f.rows_read, f.rows_loaded, f.rows_quarantined) for f in rep.files] == [
        (10, 9, 1), (10, 10, 0), (3, 3, 0)]
    assert rep.new_rows == {"raw_irl.events": 22}
    assert [r["after"] for r in crm.requests] == ["", "10", "20"]
    assert all(r["auth"] == f"Bearer {TOKEN}" and r["path"] == "/v1/events" for r in crm.requests)
    assert query("SELECT _source_file, count(*) FROM raw_irl.events GROUP BY 1 ORDER BY 1") == [
        ("api", 22), ("events_2025-03-04.jsonl", 1)]
    assert query("SELECT _row_number, reason FROM raw_irl.quarantine") == [
        (6, "unknown_event_type")]
    assert query("SELECT cursor FROM meta.api_cursors") == [("23",)]
    assert query("SELECT count(*), sum(rows_read) FROM meta.load_ledger WHERE file_name = 'api'"
                 ) == [(3, 23)]
    # a later run resumes from the stored cursor and finds nothing new
    again = ingest_irl_api(warehouse, contracts["irl"], client(crm, sleeps))
    assert again.files == [] and crm.requests[-1]["after"] == "23"
    assert sleeps == []


def test_transient_failures_are_retried_honouring_retry_after(warehouse, contracts, query, crm):
    crm.script = [(429, {"Retry-After": "7"}), (503, {}), (502, {}), (504, {})]
    sleeps = []
    rep = ingest_irl_api(warehouse, contracts["irl"], client(crm, sleeps, backoff=0.5))
    assert sleeps == [7.0, 1.0, 2.0, 4.0]  # Retry-After as given, then exponential backoff
    assert sum(f.rows_read for f in rep.files) == 23
    assert query("SELECT count(DISTINCT event_id) FROM raw_irl.events")[0][0] == 22


def test_401_fails_at_once_and_clearly(warehouse, contracts, query, crm, caplog):
    sleeps = []
    with pytest.raises(IrlApiAuthError, match="refused the token"):
        ingest_irl_api(warehouse, contracts["irl"], client(crm, sleeps, token="wrong-token"))
    assert len(crm.requests) == 1 and sleeps == []
    assert query("SELECT count(*) FROM raw_irl.events")[0][0] == 0
    assert "wrong-token" not in caplog.text and TOKEN not in caplog.text


def test_persistent_outage_gives_up_with_a_clear_error(warehouse, contracts, query, crm):
    crm.script = [(503, {})] * 10
    sleeps = []
    with pytest.raises(IrlApiError, match="after 3 retries"):
        ingest_irl_api(warehouse, contracts["irl"], client(crm, sleeps, max_retries=3))
    assert len(sleeps) == 3
    assert query("SELECT count(*) FROM meta.load_ledger")[0][0] == 0


def test_crash_inside_a_page_loses_nothing_and_rereads_one_page(warehouse, contracts, query,
                                                                crm, monkeypatch):
    real = irl_api._store_cursor
    calls = {"n": 0}

    def failing(con, partner, cursor):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("process died")
        real(con, partner, cursor)

    monkeypatch.setattr(irl_api, "_store_cursor", failing)
    with pytest.raises(RuntimeError):
        ingest_irl_api(warehouse, contracts["irl"], client(crm, []))
    # page 1 committed with its cursor; page 2's events rolled back with it
    assert query("SELECT cursor FROM meta.api_cursors") == [("10",)]
    assert query("SELECT count(*) FROM raw_irl.events")[0][0] == 9
    monkeypatch.setattr(irl_api, "_store_cursor", real)
    ingest_irl_api(warehouse, contracts["irl"], client(crm, []))
    assert query("SELECT count(*), count(DISTINCT event_id) FROM raw_irl.events") == [(22, 22)]
    assert [r["after"] for r in crm.requests] == ["", "10", "10", "20"]


def test_client_from_the_airflow_connection(crm, monkeypatch):
    port = crm.base_url.rsplit(":", 1)[1]
    monkeypatch.setenv("AIRFLOW_CONN_IRL_CRM_API", json.dumps(
        {"conn_type": "http", "host": "127.0.0.1", "port": int(port), "password": TOKEN}))
    c = IrlApiClient.from_airflow_connection("irl_crm_api", page_size=50)
    assert c.get_page(None).has_more is False
    assert TOKEN not in repr(c)
