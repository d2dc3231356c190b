"""Exactly once: checksums, other names, corrections, re-sent files, reruns."""

from __future__ import annotations

import shutil

from fixtures import CITY_ENQ_HEADER, SETTLEMENT_HEADER, enquiry, write_csv

from regiopool.ingest import ingest_partner

CITY = "stadt_leipzig"


def snapshot(query):
    tables = ["meta.load_ledger", "meta.load_findings", "raw_stadt_leipzig.enquiries",
              "raw_stadt_leipzig.quarantine", "raw_stadt_leipzig.settlements"]
    return {t: sorted(map(repr, query(f"SELECT * FROM {t}"))) for t in tables}


def test_same_bytes_under_another_name_load_once(warehouse, inbox, contracts, query):
    a = write_csv(inbox / CITY / "anfragen_2025-03.csv", CITY_ENQ_HEADER,
                  [enquiry("WF-1"), enquiry("WF-2")])
    shutil.copy(a, inbox / CITY / "anfragen_2025-03_k1.csv")
    rep = ingest_partner(warehouse, inbox, contracts[CITY])
    assert [(f.file_name, f.status) for f in rep.files] == [
        ("anfragen_2025-03.csv", "loaded"), ("anfragen_2025-03_k1.csv", "duplicate")]
    assert query("SELECT count(*) FROM raw_stadt_leipzig.enquiries")[0][0] == 2
    assert query("SELECT file_name, status, superseded_by, rows_read, message LIKE "
                 "'same bytes as anfragen_2025-03.csv%' FROM meta.load_ledger ORDER BY 1") == [
        ("anfragen_2025-03.csv", "loaded", None, 2, None),
        ("anfragen_2025-03_k1.csv", "duplicate", None, 0, True)]


def test_rerun_on_the_same_inbox_changes_nothing(warehouse, inbox, contracts, query):
    write_csv(inbox / CITY / "anfragen_2025-03.csv", CITY_ENQ_HEADER,
              [enquiry("WF-1"), enquiry("WF-1"), enquiry("WF-2", Investition_EUR="x")])
    write_csv(inbox / CITY / "ansiedlungen_2025-03.csv", SETTLEMENT_HEADER[:2], [])  # drift
    first = ingest_partner(warehouse, inbox, contracts[CITY])
    assert [f.status for f in first.files] == ["loaded", "rejected_schema"]
    before = snapshot(query)
    again = ingest_partner(warehouse, inbox, contracts[CITY])
    assert [f.status for f in again.files] == ["already_loaded", "rejected_schema"]
    assert again.new_rows == {}
    assert snapshot(query) == before


def test_corrections_supersede_and_highest_n_wins(warehouse, inbox, contracts, query):
    write_csv(inbox / CITY / "anfragen_2025-03.csv", CITY_ENQ_HEADER, [enquiry("WF-1")])
    ingest_partner(warehouse, inbox, contracts[CITY])
    # k2 arrives before k1 (out of order): k2 stands, k1 is loaded but superseded at once
    write_csv(inbox / CITY / "anfragen_2025-03_k2.csv", CITY_ENQ_HEADER,
              [enquiry("WF-1", status="Zusage")])
    ingest_partner(warehouse, inbox, contracts[CITY])
    write_csv(inbox / CITY / "anfragen_2025-03_k1.csv", CITY_ENQ_HEADER,
              [enquiry("WF-1", status="Absage")])
    ingest_partner(warehouse, inbox, contracts[CITY])
    ledger = {r[0]: r[1:] for r in query(
        "SELECT file_name, correction, status, superseded_by FROM meta.load_ledger")}
    k2_id = query("SELECT load_id FROM meta.load_ledger WHERE correction = 2")[0][0]
    assert ledger == {
        "anfragen_2025-03.csv": (0, "loaded", k2_id),
        "anfragen_2025-03_k1.csv": (1, "loaded", k2_id),
        "anfragen_2025-03_k2.csv": (2, "loaded", None),
    }
    # superseded rows stay for audit; what stands is the k2 row
    assert query("SELECT count(*) FROM raw_stadt_leipzig.enquiries")[0][0] == 3
    assert query("SELECT e.status_label FROM raw_stadt_leipzig.enquiries e JOIN "
                 "meta.load_ledger l ON l.load_id = e._load_id WHERE l.status = 'loaded' "
                 "AND l.superseded_by IS NULL") == [("Zusage",)]


def test_old_file_resent_as_another_period(warehouse, inbox, contracts, query):
    feb = write_csv(inbox / CITY / "anfragen_2025-02.csv", CITY_ENQ_HEADER,
                    [enquiry("WF-1", received="03.02.2025")])
    shutil.copy(feb, inbox / CITY / "anfragen_2025-03.csv")
    # header-only files are equal across months: normal, no finding
    write_csv(inbox / CITY / "ansiedlungen_2025-02.csv", SETTLEMENT_HEADER, [])
    write_csv(inbox / CITY / "ansiedlungen_2025-03.csv", SETTLEMENT_HEADER, [])
    rep = ingest_partner(warehouse, inbox, contracts[CITY])
    assert all(f.status == "loaded" for f in rep.files)
    assert query("SELECT file_name, period_key, resent_of FROM meta.load_ledger "
                 "WHERE resent_of IS NOT NULL ORDER BY 1") == [
        ("anfragen_2025-03.csv", "2025-03", "anfragen_2025-02.csv"),
        ("ansiedlungen_2025-03.csv", "2025-03", "ansiedlungen_2025-02.csv")]
    assert query("SELECT source_file, rule FROM meta.load_findings") == [
        ("anfragen_2025-03.csv", "resent_file")]
    assert query("SELECT _period, count(*) FROM raw_stadt_leipzig.enquiries GROUP BY 1 "
                 "ORDER BY 1") == [(__import__("datetime").date(2025, 2, 1), 1),
                                   (__import__("datetime").date(2025, 3, 1), 1)]


def test_unrecognised_file_names_are_reported_not_loaded(warehouse, inbox, contracts, query):
    (inbox / CITY).mkdir()
    (inbox / CITY / "notes.txt").write_text("hello")
    rep = ingest_partner(warehouse, inbox, contracts[CITY])
    assert [(f.file_name, f.status) for f in rep.files] == [("notes.txt", "unrecognised")]
    assert query("SELECT count(*) FROM meta.load_ledger")[0][0] == 0


def test_a_file_changed_in_place_is_loaded_and_reported(warehouse, inbox, contracts, query):
    write_csv(inbox / CITY / "anfragen_2025-03.csv", CITY_ENQ_HEADER, [enquiry("WF-1")])
    ingest_partner(warehouse, inbox, contracts[CITY])
    write_csv(inbox / CITY / "anfragen_2025-03.csv", CITY_ENQ_HEADER,
              [enquiry("WF-1", status="Zusage")])
    rep = ingest_partner(warehouse, inbox, contracts[CITY])
    assert rep.files[0].status == "loaded"
    assert query("SELECT rule FROM meta.load_findings") == [("file_changed_in_place",)]
    # the later version stands
    assert query("SELECT e.status_label FROM raw_stadt_leipzig.enquiries e JOIN "
                 "meta.load_ledger l ON l.load_id = e._load_id WHERE l.superseded_by IS NULL"
                 ) == [("Zusage",)]
