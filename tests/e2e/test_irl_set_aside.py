"""IRL events that lack their received date or status, carry a received or decision date before
2000-01-01, or a status that does not map (../shared/partners/README.md, CATALOGUE §1.2), are
set aside with file, line and reason; the good events of the same file load, and the history
and the marts are built as if the set-aside events had never been sent. Through the real chain:
hand-written events file → ingestion → the full dbt build; the marts are also compared with the
oracle (tests/oracle) on the same inbox."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import duckdb
import pytest

from .hand_inbox import ingest_and_build

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the `oracle` test package

from oracle.catalogue import compute

pytestmark = pytest.mark.slow

FILE = "events_2025-03-10.jsonl"


def _ev(event_id, event_type, occurred_at, project_id, **payload):
    return {"event_id": event_id, "event_type": event_type, "occurred_at": occurred_at,
            "project_id": project_id, "payload": payload}


EVENTS = [
    # IRL-1: created, then in negotiation; everything after that is set aside
    _ev("E01", "project.created", "2025-03-03T09:00:00Z", "IRL-1", received_on="2025-03-03",
        company_name="Alpha Logistik GmbH", cluster="LOGISTICS", project_type="new",
        contact={"name": "Erika Muster", "email": "e.muster@example.org"}),      # 1
    _ev("E02", "project.status_changed", "2025-03-05T09:00:00Z", "IRL-1",
        status="negotiation", decided_on="2025-03-04"),                           # 2
    _ev("E03", "project.status_changed", "2025-03-07T09:00:00Z", "IRL-1",
        status="Verhandlung"),                                                    # 3 unmapped
    _ev("E04", "project.won", "2025-03-08T09:00:00Z", "IRL-1", decided_on="1999-03-08",
        ags="14713000", jobs_new=10),                                             # 4 before 2000
    _ev("E05", "project.updated", "2025-03-08T10:00:00Z", "IRL-1",
        received_on="1998-01-01"),                                                # 5 before 2000
    # IRL-2: its project.created is dated before 2000 and set aside; its status event stands
    _ev("E06", "project.created", "2025-03-06T09:00:00Z", "IRL-2", received_on="1999-12-31",
        company_name="Beta Werke AG"),                                            # 6
    _ev("E07", "project.status_changed", "2025-03-09T09:00:00Z", "IRL-2",
        status="qualified"),                                                      # 7
    # IRL-3: its only event has no received date: no record
    _ev("E08", "project.created", "2025-03-04T09:00:00Z", "IRL-3",
        company_name="Gamma Bau GmbH"),                                           # 8
    # IRL-4: created and lost, all good; then a status event without a status
    _ev("E09", "project.created", "2025-03-02T09:00:00Z", "IRL-4", received_on="2025-03-02",
        company_name="Delta Chemie GmbH", cluster="CHEMISTRY"),                   # 9
    _ev("E10", "project.lost", "2025-03-09T09:00:00Z", "IRL-4", decided_on="2025-03-09",
        lost_reason="costs"),                                                     # 10
    _ev("E11", "project.status_changed", "2025-03-10T09:00:00Z", "IRL-4"),         # 11 no status
]

SET_ASIDE = [(3, "unmapped_status"), (4, "date_out_of_period:decided_on"),
             (5, "date_out_of_period:received_on"), (6, "date_out_of_period:received_on"),
             (8, "missing_received_on"), (11, "missing_status")]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("irl_set_aside")
    inbox, home = base / "inbox", base / "home"
    path = inbox / "irl" / FILE
    path.parent.mkdir(parents=True)
    path.write_text("".join(json.dumps(e) + "\n" for e in EVENTS), encoding="utf-8")
    settings = ingest_and_build(inbox, home)
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        yield con, inbox
    finally:
        con.close()


def test_bad_events_are_set_aside_with_file_line_and_reason(built):
    con, _ = built
    assert con.execute("select _source_file, table_name, _row_number, reason "
                       "from raw_irl.quarantine order by _row_number").fetchall() == [
        (FILE, "events", line, reason) for line, reason in SET_ASIDE]
    # the quarantine keeps the line as sent (raw layer only)
    raw = con.execute("select raw_text from raw_irl.quarantine where _row_number = 3").fetchone()
    assert json.loads(raw[0]) == EVENTS[2]
    assert con.execute("select rows_read, rows_loaded, rows_quarantined from meta.load_ledger "
                       "where file_name = ?", [FILE]).fetchall() == [(11, 5, 6)]
    # and reported, by file, line and reason (never content), in the quality findings
    assert con.execute("select file_name, line, table_name, rule from marts.quality_findings "
                       "where partner = 'irl' and check_name = 'set_aside' "
                       "order by line").fetchall() == [
        (FILE, line, "events", reason) for line, reason in SET_ASIDE]


def test_good_events_load_as_sent(built):
    con, _ = built
    assert con.execute("select event_id, _row_number from raw_irl.events "
                       "order by _row_number").fetchall() == [
        ("E01", 1), ("E02", 2), ("E07", 7), ("E09", 9), ("E10", 10)]
    payload = con.execute("select payload from raw_irl.events where event_id = 'E01'").fetchone()
    assert json.loads(payload[0]) == EVENTS[0]["payload"]


def test_history_holds_no_set_aside_event(built):
    con, _ = built
    assert con.execute("select event_id from intermediate.int_irl__project_history "
                       "order by event_id").fetchall() == [
        ("E01",), ("E02",), ("E07",), ("E09",), ("E10",)]
    assert con.execute(
        "select project_id, received_on, status, status_on from "
        "intermediate.int_irl__project_history where is_current order by 1").fetchall() == [
        # a status event is dated by its decided_on where it has one (CATALOGUE §1.2)
        ("IRL-1", dt.date(2025, 3, 3), "negotiation", dt.date(2025, 3, 4)),
        # without its project.created: dated by its first standing event
        ("IRL-2", dt.date(2025, 3, 9), "in_progress", dt.date(2025, 3, 9)),
        ("IRL-4", dt.date(2025, 3, 2), "lost", dt.date(2025, 3, 9)),
    ]


def test_marts_ignore_the_set_aside_events_and_match_the_oracle(built):
    con, inbox = built
    got = con.execute("select project_id, first_received_on, status, won_on, lost_on "
                      "from marts.fct_projects order by first_received_on").fetchall()
    assert [(r[1], r[2], r[3], r[4]) for r in got] == [
        (dt.date(2025, 3, 2), "lost", None, dt.date(2025, 3, 9)),
        (dt.date(2025, 3, 3), "negotiation", None, None),
        (dt.date(2025, 3, 9), "in_progress", None, None),
    ]
    assert con.execute("select count(*) from marts.fct_settlements").fetchone() == (0,)
    oracle = compute(inbox)
    want = sorted((r["project_id"], r["first_received_on"], r["status"])
                  for r in oracle.fct_projects.to_dict("records"))
    assert sorted((r[0], r[1], r[2]) for r in got) == want
    assert len(oracle.fct_settlements) == 0


def test_no_contact_data_outside_the_raw_layer(built):
    con, _ = built
    for schema, table in con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('staging', 'intermediate', 'marts')").fetchall():
        text = repr(con.execute(f'select * from "{schema}"."{table}"').fetchall())
        assert "Erika" not in text and "example.org" not in text, f"{schema}.{table}"
