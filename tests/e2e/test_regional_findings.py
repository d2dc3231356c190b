"""CATALOGUE §6 warnings of the regional rules and a re-sent old file, through the real chain:
partner files → ingestion → the full dbt build → marts.quality_findings, each named by
partner, file, row and rule (never content)."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import duckdb
import pytest
from partner_headers import CITY_ENQUIRIES, CITY_SETTLEMENTS

from .hand_inbox import ingest_and_build

pytestmark = pytest.mark.slow


def _csv(path, header, rows):
    lines = [";".join(header)] + [";".join(str(r.get(h, "")) for h in header) for r in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    return path


def _events(path, events):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(json.dumps(e) for e in events) + "\n", encoding="utf-8")


def _created(event_id, occurred_at, project_id, received_on, company):
    return {"event_id": event_id, "event_type": "project.created", "occurred_at": occurred_at,
            "project_id": project_id,
            "payload": {"received_on": received_on, "company_name": company,
                        "cluster": "LOGISTICS", "project_type": "new"}}


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    base = tmp_path_factory.mktemp("regional_findings")
    inbox, home = base / "inbox", base / "home"
    city = inbox / "stadt_leipzig"
    # WF-1 lost on 20 Jan; IRL-1 (same company, received 2 days apart: the same project) stays
    # open: by the end of May the records disagree for more than 90 days
    january = _csv(city / "anfragen_2025-01.csv", CITY_ENQUIRIES, [
        {"Vorgangsnummer": "WF-1", "Eingangsdatum": "05.01.2025",
         "Unternehmen": "Alpha Logistik GmbH", "Status": "Absage", "Statusdatum": "20.01.2025",
         "E_Mail": "a.person@example.org"},
        # WF-2 has a settlement, but its enquiry is (still) in progress
        {"Vorgangsnummer": "WF-2", "Eingangsdatum": "06.01.2025",
         "Unternehmen": "Beta Werke AG", "Status": "in Bearbeitung",
         "Statusdatum": "10.01.2025"},
    ])
    _csv(city / "ansiedlungen_2025-01.csv", CITY_SETTLEMENTS, [
        {"Vorgangsnummer": "WF-2", "Unternehmen": "Beta Werke AG",
         "Entscheidungsdatum": "25.01.2025", "Arbeitsplaetze_neu": "10"}])
    # February's enquiries file has January's bytes: a re-sent old file
    shutil.copy(january, city / "anfragen_2025-02.csv")
    _events(inbox / "irl" / "events_2025-01-10.jsonl", [
        _created("E1", "2025-01-10T09:00:00Z", "IRL-1", "2025-01-07", "Alpha Logistik GmbH")])
    _events(inbox / "irl" / "events_2025-05-15.jsonl", [
        _created("E2", "2025-05-15T09:00:00Z", "IRL-2", "2025-05-14", "Gamma Bau GmbH")])
    settings = ingest_and_build(inbox, home)
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        yield con.execute(
            "select partner, month, file_name, sheet, line, table_name, record_id, check_name, "
            "rule from marts.quality_findings order by all").fetchall()
    finally:
        con.close()


def test_records_that_disagree_name_the_open_record_s_row(findings):
    assert [f for f in findings if f[7] == "records_disagree"] == [
        ("irl", dt.date(2025, 4, 1), "events_2025-01-10.jsonl", None, 1, "events", "IRL-1",
         "records_disagree", "records_disagree")]


def test_settlement_whose_enquiry_is_not_won_names_the_settlement_row(findings):
    assert [f for f in findings if f[7] == "settlement_enquiry_not_won"] == [
        ("stadt_leipzig", dt.date(2025, 2, 1), "ansiedlungen_2025-01.csv", None, 2,
         "settlements", "WF-2", "settlement_enquiry_not_won", "settlement_enquiry_not_won")]


def test_resent_old_file_is_one_finding(findings):
    assert [f for f in findings if "resent" in f[8] or f[7] == "resent_file"] == [
        ("stadt_leipzig", dt.date(2025, 2, 1), "anfragen_2025-02.csv", None, None, None, None,
         "resent_file", "same_bytes_as_other_period")]


def test_no_finding_holds_content(findings):
    text = repr(findings)
    assert "Alpha" not in text and "Beta" not in text and "example.org" not in text
