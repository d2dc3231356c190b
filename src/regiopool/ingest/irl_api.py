"""IRL's CRM events over HTTP, into the same raw table as the JSON Lines files.

``GET {base_url}{path}?after={cursor}&limit={n}`` with ``Authorization: Bearer {token}``;
response ``{"events": [...], "next_cursor": "...", "has_more": bool}``.

- 429 (honouring ``Retry-After``), 502, 503, 504 and connection errors are transient: retried
  with exponential backoff (capped), then a clear :class:`IrlApiError`.
- 401 is not: :class:`IrlApiAuthError` at once ("the token was refused").
- Every page is one load: its events (typed and checked by the same rules as the files; set-aside
  events go to ``raw_irl.quarantine``), its ledger row (``file_name = 'api'``) and the cursor in
  ``meta.api_cursors`` commit in one transaction. A crash between pages re-reads at most the
  page that was not committed; events arrive at least once anyway (``event_id`` is the key).

The token and base URL come from the Airflow connection named in the contract (``irl_crm_api``:
host = base URL, password = token). Neither is ever logged.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import requests

from regiopool.contracts import PartnerContract
from regiopool.ingest import report as R
from regiopool.ingest.loader import LoadContext, load_records, now_utc, open_partner
from regiopool.ingest.readers.base import Record, text_of
from regiopool.ingest.report import FileReport, IngestReport
from regiopool.ingest.typing_sql import TableSql

log = logging.getLogger("regiopool.ingest.irl_api")

TRANSIENT = {429, 502, 503, 504}


class IrlApiError(RuntimeError):
    """The API could not be read (after retries, or an unexpected answer)."""


class IrlApiAuthError(IrlApiError):
    """HTTP 401: the token was refused. Not retried."""


@dataclass
class Page:
    events: list
    next_cursor: str | None
    has_more: bool
    body: bytes


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


class IrlApiClient:
    def __init__(self, base_url: str, token: str, *, path: str = "/v1/events",
                 page_size: int = 500, max_retries: int = 6, backoff: float = 1.0,
                 max_backoff: float = 60.0, timeout: float = 30.0,
                 sleep: Callable[[float], None] = time.sleep,
                 session: requests.Session | None = None):
        if not base_url:
            raise IrlApiError("no base URL for the IRL API")
        if "://" not in base_url:
            base_url = "https://" + base_url
        self.url = base_url.rstrip("/") + "/" + path.lstrip("/")
        self._token = token
        self.page_size = page_size
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.timeout = timeout
        self.sleep = sleep
        self.session = session or requests.Session()

    def __repr__(self) -> str:  # never show the token
        return f"IrlApiClient({self.url!r})"

    @classmethod
    def from_airflow_connection(cls, conn_id: str = "irl_crm_api", **kwargs) -> IrlApiClient:
        """Base URL from the connection's host (scheme and port honoured), token from its
        password."""
        from airflow.sdk import Connection

        conn = Connection.get(conn_id)
        host = conn.host or ""
        if "://" not in host:
            scheme = conn.conn_type if conn.conn_type in ("http", "https") else "https"
            host = f"{scheme}://{host}"
        if conn.port:
            host = f"{host.rstrip('/')}:{conn.port}"
        if conn.schema:
            host = f"{host.rstrip('/')}/{conn.schema.strip('/')}"
        if not conn.password:
            raise IrlApiError(f"Airflow connection {conn_id!r} has no token (password)")
        return cls(host, conn.password, **kwargs)

    def get_page(self, cursor: str | None) -> Page:
        params = {"after": cursor or "", "limit": self.page_size}
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "application/json"}
        attempt = 0
        while True:
            problem: str
            wait: float | None = None
            try:
                resp = self.session.get(self.url, params=params, headers=headers,
                                        timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as exc:
                problem = f"{type(exc).__name__}"
            else:
                if resp.status_code == 200:
                    try:
                        data = resp.json()
                        events = data["events"]
                        if not isinstance(events, list):
                            raise TypeError("events is not a list")
                    except (ValueError, KeyError, TypeError) as exc:
                        raise IrlApiError(f"IRL API: unexpected response body ({exc})") from None
                    return Page(events, data.get("next_cursor"), bool(data.get("has_more")),
                                resp.content)
                if resp.status_code == 401:
                    raise IrlApiAuthError(
                        "IRL API refused the token (HTTP 401): renew the password of the "
                        "Airflow connection 'irl_crm_api'; not retried")
                if resp.status_code not in TRANSIENT:
                    raise IrlApiError(f"IRL API answered HTTP {resp.status_code} for {self.url}")
                problem = f"HTTP {resp.status_code}"
                if resp.status_code == 429:
                    wait = _retry_after(resp.headers.get("Retry-After"))
            attempt += 1
            if attempt > self.max_retries:
                raise IrlApiError(f"IRL API still failing after {self.max_retries} retries "
                                  f"({problem})")
            if wait is None:  # exponential backoff; a Retry-After is honoured as given
                wait = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
            log.warning("IRL API: %s, retry %d/%d in %.1fs", problem, attempt,
                        self.max_retries, wait)
            self.sleep(wait)


def _records(events: list, sources: list[str]) -> Iterator[Record]:
    for n, ev in enumerate(events, start=1):
        raw = json.dumps(ev, ensure_ascii=False)
        if not isinstance(ev, dict):
            yield Record(n, raw, [None] * len(sources), "invalid_json")
            continue
        yield Record(n, raw, [text_of(ev.get(s)) for s in sources])


def read_cursor(con, partner: str) -> str | None:
    rows = con.execute("SELECT cursor FROM meta.api_cursors WHERE partner = ?",
                       [partner]).fetchall()
    return rows[0][0] if rows else None


def ingest_irl_api(warehouse: Path, contract: PartnerContract, client: IrlApiClient, *,
                   max_pages: int | None = None) -> IngestReport:
    """Read pages from the stored cursor on until ``has_more`` is false; one transaction per
    page (events, quarantine, ledger row, cursor)."""
    delivery = contract.api_delivery
    if delivery is None:
        raise ValueError(f"contract {contract.partner!r} declares no api")
    table = delivery.tables[0]
    sources = [c.source for c in table.columns]
    report = IngestReport(contract.partner)
    con = open_partner(warehouse, contract)
    try:
        cursor = read_cursor(con, contract.partner)
        pages = 0
        while max_pages is None or pages < max_pages:
            page = client.get_page(cursor)
            pages += 1
            if not page.events:
                if page.next_cursor and page.next_cursor != cursor:
                    con.execute("BEGIN")
                    _store_cursor(con, contract.partner, page.next_cursor)
                    con.execute("COMMIT")
                    cursor = page.next_cursor
                if not page.has_more:
                    break
                continue
            loaded_at = now_utc()
            sha = hashlib.sha256(page.body).hexdigest()
            load_id = f"{contract.partner}:api:{loaded_at:%Y%m%dT%H%M%S%f}:{sha[:12]}"
            today = loaded_at.date()
            ctx = LoadContext(contract.partner, load_id, "api", sha, today, None, loaded_at)
            tsql = TableSql(contract.partner, table, delivery)
            rep = FileReport("api", R.LOADED, delivery.kind, load_id, today.isoformat())
            con.execute("BEGIN")
            try:
                counts = load_records(con, tsql, ctx, None, contract.schema,
                                      _records(page.events, sources))
                con.execute(
                    "INSERT INTO meta.load_ledger (load_id, partner, kind, period, period_key, "
                    "correction, file_name, file_sha256, file_size, delivered_at, loaded_at, "
                    "status, rows_read, rows_loaded, rows_quarantined, message) VALUES "
                    "(?, ?, ?, ?, ?, 0, 'api', ?, ?, ?, ?, 'loaded', ?, ?, ?, ?)",
                    [load_id, contract.partner, delivery.kind, today, today.isoformat(), sha,
                     len(page.body), loaded_at, loaded_at, counts.read, counts.loaded,
                     counts.quarantined, f"API page after cursor {cursor or '(start)'}"],
                )
                _store_cursor(con, contract.partner, page.next_cursor)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            rep.rows_read, rep.rows_loaded = counts.read, counts.loaded
            rep.rows_quarantined = counts.quarantined
            rep.tables = {table.table: counts.loaded}
            report.files.append(rep)
            log.info("IRL API: page %d: %d events loaded, %d set aside", pages, counts.loaded,
                     counts.quarantined)
            cursor = page.next_cursor
            if not page.has_more:
                break
    finally:
        con.close()
    return report


def _store_cursor(con, partner: str, cursor: str | None) -> None:
    con.execute("DELETE FROM meta.api_cursors WHERE partner = ?", [partner])
    con.execute("INSERT INTO meta.api_cursors VALUES (?, ?, ?)", [partner, cursor, now_utc()])
