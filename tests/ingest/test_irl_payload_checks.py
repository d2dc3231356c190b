"""IRL's payload checks (partners/irl.yml `checks`): an event without the value that dates or
identifies it, with a received or decision date before 2000-01-01, or with a status that does
not map through statuses.csv, is set aside like any other row: file, line, reason and raw text
in raw_irl.quarantine, counted in the ledger; the others load with their payload as sent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures import event, write_jsonl

from regiopool.contracts import ContractError, load_contract
from regiopool.ingest import ingest_partner
from regiopool.ingest.irl_api import ingest_irl_api

FILE = "events_2025-03-04.jsonl"


def _ev(event_id, event_type, payload, occurred_at="2025-03-04T09:12:33Z"):
    return event(event_id, event_type, occurred_at=occurred_at, payload=payload)


LINES = [
    _ev("01A", "project.created", {"received_on": "2025-03-01", "contact": {"name": "Erika"}}),
    _ev("01B", "project.created", {"code_name": "Falke"}),                    # 2 no received_on
    _ev("01C", "project.created", {"received_on": None}),                     # 3 null
    _ev("01D", "project.created", {"received_on": "1999-12-31"}),             # 4 before 2000
    _ev("01E", "project.created", {"received_on": "03.03.2025"}),             # 5 not ISO
    _ev("01F", "project.created", {"received_on": "2031-01-01"}),             # 6 ok: no upper bound
    _ev("01G", "project.status_changed", {"status": " Qualified "}),          # 7 ok (normalised)
    _ev("01H", "project.status_changed", {"status": "in_progress"}),          # 8 ok: a code
    _ev("01I", "project.status_changed", {"status": "Verhandlung"}),          # 9 unmapped
    _ev("01J", "project.status_changed", {"status": ""}),                     # 10 missing
    _ev("01K", "project.status_changed", {"status": "won", "decided_on": "1999-06-30"}),  # 11
    _ev("01L", "project.won", {"decided_on": "1999-01-01", "ags": "14713000"}),  # 12
    _ev("01M", "project.lost", {"decided_on": "0199-01-01"}),                 # 13 before 2000
    _ev("01N", "project.won", {"ags": "14713000"}),                           # 14 ok: optional
    _ev("01O", "project.lost", {"decided_on": "kaputt"}),                     # 15 ok, a finding
    _ev("01P", "project.updated", {"received_on": "1998-01-01"}),             # 16 before 2000
    _ev("01Q", "project.updated", {"received_on": None, "code_name": "X"}),   # 17 ok: clears
    _ev("01R", "project.updated", {"planned_jobs": 5}),                       # 18 ok
    _ev("01S", "site_visit.held", {"visited_on": "1980-01-01", "status": "?"}),  # 19 ok
    _ev("01T", "project.created", "not an object"),                           # 20 no received_on
    _ev("01U", "project.exploded", {"received_on": "1990-01-01"}),            # 21 unknown type
]

SET_ASIDE = [
    (2, "missing_received_on"), (3, "missing_received_on"),
    (4, "date_out_of_period:received_on"), (5, "unparsed_date:received_on"),
    (9, "unmapped_status"), (10, "missing_status"), (11, "date_out_of_period:decided_on"),
    (12, "date_out_of_period:decided_on"), (13, "date_out_of_period:decided_on"),
    (16, "date_out_of_period:received_on"), (20, "missing_received_on"),
    (21, "unknown_event_type"),
]
LOADED = [1, 6, 7, 8, 14, 15, 17, 18, 19]


def test_events_without_a_valid_date_or_status_are_set_aside(warehouse, inbox, contracts,
                                                             query):
    path = write_jsonl(inbox / "irl" / FILE, LINES)
    rep = ingest_partner(warehouse, inbox, contracts["irl"])
    f = rep.files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_quarantined) == (21, 9, 12)
    assert query("SELECT _source_file, table_name, _row_number, reason FROM raw_irl.quarantine "
                 "ORDER BY _row_number") == [(FILE, "events", n, r) for n, r in SET_ASIDE]
    # set aside verbatim (raw layer), so that it can be loaded again once fixed
    lines = path.read_text(encoding="utf-8").splitlines()
    assert query("SELECT _row_number, raw_text FROM raw_irl.quarantine ORDER BY 1") == [
        (n, lines[n - 1]) for n, _ in SET_ASIDE]
    assert query("SELECT _row_number FROM raw_irl.events ORDER BY 1") == [(n,) for n in LOADED]
    # the loaded events are the events as sent: the payload whole, nothing added
    for n in LOADED:
        payload = query("SELECT payload FROM raw_irl.events WHERE _row_number = ?", [n])[0][0]
        assert json.loads(payload) == LINES[n - 1]["payload"]
    # a decision date that does not parse is optional: loaded as unknown, and a finding
    assert query("SELECT source_file, row_number, column_name, rule FROM meta.load_findings") == [
        (FILE, 15, "decided_on", "unparsed_date")]
    assert query("SELECT rows_read, rows_loaded, rows_quarantined FROM meta.load_ledger") == [
        (21, 9, 12)]


def test_the_status_code_list_is_data(warehouse, inbox, contracts, query, tmp_path,
                                      monkeypatch):
    """The statuses come from the code list (REGIOPOOL_REFERENCE_DIR overrides the seed): a
    label the list maps loads, one it does not is set aside."""
    ref = tmp_path / "reference"
    ref.mkdir()
    seed = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "statuses.csv"
    (ref / "statuses.csv").write_text(
        seed.read_text(encoding="utf-8") + "irl,Verhandlung,negotiation\n", encoding="utf-8")
    monkeypatch.setenv("REGIOPOOL_REFERENCE_DIR", str(ref))
    write_jsonl(inbox / "irl" / FILE, [
        _ev("01A", "project.status_changed", {"status": "Verhandlung"}),
        _ev("01B", "project.status_changed", {"status": "Zusage"}),  # the city's label
    ])
    ingest_partner(warehouse, inbox, contracts["irl"])
    assert query("SELECT event_id FROM raw_irl.events") == [("01A",)]
    assert query("SELECT _row_number, reason FROM raw_irl.quarantine") == [
        (2, "unmapped_status")]


def test_api_pages_are_checked_alike(warehouse, contracts, query):
    class Page:
        def __init__(self, events, cursor):
            self.events, self.next_cursor, self.has_more = events, cursor, False
            self.body = json.dumps({"events": events}).encode()

    class Client:
        def get_page(self, cursor):
            return Page([LINES[0], LINES[1], LINES[8], LINES[11]], "4")

    rep = ingest_irl_api(warehouse, contracts["irl"], Client())
    assert [(f.rows_read, f.rows_loaded, f.rows_quarantined) for f in rep.files] == [(4, 1, 3)]
    assert query("SELECT _source_file, _row_number, reason FROM raw_irl.quarantine "
                 "ORDER BY 2") == [("api", 2, "missing_received_on"), ("api", 3, "unmapped_status"),
                                   ("api", 4, "date_out_of_period:decided_on")]
    assert query("SELECT event_id FROM raw_irl.events") == [("01A",)]


@pytest.mark.parametrize("check, message", [
    ({"column": "payload", "source": "x", "name": "x", "unique_in_file": True},
     "unknown check keys"),
    ({"column": "event_id", "source": "x", "name": "x"}, "a json column"),
    ({"column": "payload", "source": "a.b", "name": "x"}, "a plain key"),
    ({"column": "payload", "source": "x", "name": "x", "type": "boolean"}, "has type"),
    ({"column": "payload", "source": "x", "name": "x", "when": {"kind": "a"}}, "'when'"),
    ({"column": "payload", "source": "x", "name": "x", "in_period": True}, "in_period"),
])
def test_bad_checks_are_contract_errors(tmp_path, check, message):
    import yaml

    raw = yaml.safe_load((Path(__file__).resolve().parents[2] / "partners" / "irl.yml")
                         .read_text(encoding="utf-8"))
    raw["deliveries"][0]["tables"][0]["checks"] = [check]
    path = tmp_path / "irl.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(ContractError, match=message):
        load_contract(path)


def test_a_misspelt_table_key_is_a_contract_error(tmp_path):
    import yaml

    raw = yaml.safe_load((Path(__file__).resolve().parents[2] / "partners" / "irl.yml")
                         .read_text(encoding="utf-8"))
    table = raw["deliveries"][0]["tables"][0]
    table["check"] = table.pop("checks")
    path = tmp_path / "irl.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(ContractError, match=r"unknown table keys \['check'\]"):
        load_contract(path)
