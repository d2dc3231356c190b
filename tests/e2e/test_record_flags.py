"""Findings the record layer carries, through the real chain: partner files → ingestion → the
full dbt build → intermediate.int_enquiry_records → the gate's warnings.

- a status without status date is dated on the last day of the period of the first file that
  shows it, and that is a finding (CATALOGUE §1.2);
- a loss reason that does not map is `other` and a finding (reference/README, lost_reasons);
- a municipality that does not map is a finding, never a silent drop (partners/lk_leipzig.md;
  IRL: a candidate AGS that is not a municipality of the reference).

Each partner sends one record with the defects and one without: the flags are true for the
first and false for the second, and the gate warns for the first partner-wise."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import openpyxl
import pytest
from partner_headers import CITY_ENQUIRIES, CITY_SETTLEMENTS, LK_SHEETS

from regiopool.quality import run_quality_gate

from .hand_inbox import ingest_and_build

pytestmark = pytest.mark.slow

MONTH = dt.date(2025, 3, 1)


def _csv(path, header, rows):
    lines = [";".join(header)] + [";".join(str(r.get(h, "")) for h in header) for r in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))


def _workbook(path, enquiries):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, header in LK_SHEETS.items():
        ws = wb.create_sheet(name)
        ws.append([f"Register {name}"])
        ws.append(["Stand: 31.03.2025"])
        ws.append([])
        ws.append(header)
        for row in enquiries if name == "Anfragen" else []:
            ws.append([row.get(h) for h in header])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def _event(event_id, event_type, occurred_at, project_id, payload):
    return {"event_id": event_id, "event_type": event_type, "occurred_at": occurred_at,
            "project_id": project_id, "payload": payload}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("record_flags")
    inbox, home = base / "inbox", base / "home"
    _csv(inbox / "stadt_leipzig" / "anfragen_2025-03.csv", CITY_ENQUIRIES, [
        # lost without status date, for a reason the reference does not know
        {"Vorgangsnummer": "WF-1", "Eingangsdatum": "04.03.2025", "Unternehmen": "Alpha GmbH",
         "Status": "Absage", "Statusdatum": "", "Absagegrund": "Mondphase",
         "E_Mail": "a.person@example.org"},
        {"Vorgangsnummer": "WF-2", "Eingangsdatum": "05.03.2025", "Unternehmen": "Beta AG",
         "Status": "Absage", "Statusdatum": "20.03.2025", "Absagegrund": "Kosten"},
    ])
    _csv(inbox / "stadt_leipzig" / "ansiedlungen_2025-03.csv", CITY_SETTLEMENTS, [])
    _workbook(inbox / "lk_leipzig" / "wifoe_lkl_2025-03.xlsx", [
        # lost without status date, for an unknown reason, in a municipality that is not one
        {"Lfd. Nr.": "LKL-1", "Eingang": "03.03.2025", "Firma": "Gamma KG",
         "Gemeinde(n)": "Borna, Atlantis", "Stand": "verloren", "Datum Stand": None,
         "Grund (bei Verlust)": "Mondphase", "Kontakt": "Max Probe, m.probe@example.net"},
        {"Lfd. Nr.": "LKL-2", "Eingang": "03.03.2025", "Firma": "Delta GmbH",
         "Gemeinde(n)": "Borna", "Stand": "verloren", "Datum Stand": "21.03.2025",
         "Grund (bei Verlust)": "kosten"},
    ])
    _events = [
        _event("E1", "project.created", "2025-03-02T09:00:00Z", "IRL-1",
               {"received_on": "2025-03-02", "company_name": "Epsilon SE",
                "candidate_ags": ["14729050", "14999999"]}),
        _event("E2", "project.lost", "2025-03-10T09:00:00Z", "IRL-1",
               {"decided_on": "2025-03-10", "lost_reason": "Mondphase"}),
        _event("E3", "project.created", "2025-03-02T10:00:00Z", "IRL-2",
               {"received_on": "2025-03-02", "company_name": "Zeta AG",
                "candidate_ags": ["14729050", "14713000"]}),
        _event("E4", "project.lost", "2025-03-11T09:00:00Z", "IRL-2",
               {"decided_on": "2025-03-11", "lost_reason": "costs"}),
    ]
    path = inbox / "irl" / "events_2025-03-12.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(json.dumps(e) for e in _events) + "\n", encoding="utf-8")

    settings = ingest_and_build(inbox, home)
    return settings, base


def _flags(settings):
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        return con.execute(
            "select record_key, status_on, status_on_imputed, lost_reason, lost_reason_unmapped, "
            "candidate_ags, municipality_unmapped from intermediate.int_enquiry_records "
            "order by record_key").fetchall()
    finally:
        con.close()


def test_the_record_layer_flags_the_bad_record_and_not_the_good_one(built):
    settings, _ = built
    d = dt.date
    assert _flags(settings) == [
        ("irl:IRL-1", d(2025, 3, 10), False, "other", True, ["14729050", "14999999"], True),
        ("irl:IRL-2", d(2025, 3, 11), False, "costs", False, ["14729050", "14713000"], False),
        ("lk_leipzig:LKL-1", d(2025, 3, 31), True, "other", True, ["14729050"], True),
        ("lk_leipzig:LKL-2", d(2025, 3, 21), False, "costs", False, ["14729050"], False),
        ("stadt_leipzig:WF-1", d(2025, 3, 31), True, "other", True, ["14713000"], False),
        ("stadt_leipzig:WF-2", d(2025, 3, 20), False, "costs", False, ["14713000"], False),
    ]


def test_the_gate_warns_per_partner_without_content(built):
    settings, base = built
    result = run_quality_gate(settings.warehouse, base / "quality", MONTH)
    found = sorted({(w["check"], w["partner"]) for w in result["warnings"]
                    if w["message"].startswith("harmonised.int_enquiry_records")})
    assert found == [("imputed_status_date", "lk_leipzig"),
                     ("imputed_status_date", "stadt_leipzig"),
                     ("unmapped_value", "irl"), ("unmapped_value", "lk_leipzig"),
                     ("unmapped_value", "stadt_leipzig")]
    text = json.dumps(result)
    for content in ("Mondphase", "Atlantis", "Alpha", "Gamma", "Epsilon", "example."):
        assert content not in text
