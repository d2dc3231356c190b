"""The city's CSV files: encodings, dialect, German numbers and dates, set-aside rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fixtures import CITY_ENQ_HEADER, SETTLEMENT_HEADER, enquiry, write_csv

from regiopool.ingest import ingest_partner


def _load(warehouse, inbox, contracts):
    return ingest_partner(warehouse, inbox, contracts["stadt_leipzig"])


def test_legacy_windows_1252_and_utf8_bom_are_detected(warehouse, inbox, contracts, query):
    text = "Größe „Süd“ – 5 € "
    write_csv(inbox / "stadt_leipzig" / "anfragen_2024-12.csv", CITY_ENQ_HEADER,
              [enquiry("WF-2024-1", received="02.12.2024", Projektname=text)], encoding="cp1252")
    write_csv(inbox / "stadt_leipzig" / "anfragen_2025-01.csv", CITY_ENQ_HEADER,
              [enquiry("WF-2025-1", received="02.01.2025", Projektname=text)],
              encoding="utf-8-sig")
    write_csv(inbox / "stadt_leipzig" / "anfragen_2025-02.csv", CITY_ENQ_HEADER,
              [enquiry("WF-2025-2", received="02.02.2025", Projektname=text)], encoding="utf-8")
    rep = _load(warehouse, inbox, contracts)
    assert [f.status for f in rep.files] == ["loaded"] * 3
    rows = query("SELECT enquiry_id, project_name FROM raw_stadt_leipzig.enquiries ORDER BY 1")
    assert rows == [("WF-2024-1", text.strip()), ("WF-2025-1", text.strip()),
                    ("WF-2025-2", text.strip())]


def test_quoted_separators_quotes_and_line_breaks_keep_start_line(warehouse, inbox, contracts,
                                                                  query):
    remark = 'Halle; 2 Tore "Nord"\r\nzweite Zeile\ndritte'
    write_csv(inbox / "stadt_leipzig" / "anfragen_2025-03.csv", CITY_ENQ_HEADER, [
        enquiry("WF-1", Bemerkung=remark), enquiry("WF-2"), enquiry("WF-3", received=""),
    ])
    rep = _load(warehouse, inbox, contracts)
    f = rep.files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_quarantined) == (3, 2, 1)
    assert query("SELECT enquiry_id, _row_number, remark FROM raw_stadt_leipzig.enquiries "
                 "ORDER BY 2") == [("WF-1", 2, remark), ("WF-2", 5, None)]
    # the set-aside record starts on line 6 and keeps its exact text
    row, reason, raw = query("SELECT _row_number, reason, raw_text FROM raw_stadt_leipzig.quarantine")[0]
    assert (row, reason) == (6, "missing_received_on")
    assert raw.startswith("WF-3;;Projekt WF-3;") and raw.endswith("\r\n")


def test_german_numbers_dates_and_unknown_values(warehouse, inbox, contracts, query):
    write_csv(inbox / "stadt_leipzig" / "anfragen_2025-03.csv", CITY_ENQ_HEADER, [
        enquiry("WF-1"),
        enquiry("WF-2", Flaechenbedarf_m2="", Arbeitsplaetze_geplant="ca. 50",
                Investition_EUR="1.5", Statusdatum="31.02.2025"),
        enquiry("WF-3", Investition_EUR="-12,5", Arbeitsplaetze_geplant="1.200"),
    ])
    _load(warehouse, inbox, contracts)
    rows = query("SELECT enquiry_id, received_on, required_area_m2, planned_jobs, "
                 "planned_investment_eur, status_on FROM raw_stadt_leipzig.enquiries ORDER BY 1")
    assert rows == [
        ("WF-1", dt.date(2025, 3, 4), Decimal(12500), 120, Decimal("4500000.00"),
         dt.date(2025, 3, 28)),
        ("WF-2", dt.date(2025, 3, 4), None, None, None, None),
        ("WF-3", dt.date(2025, 3, 4), Decimal(12500), 1200, Decimal("-12.5"),
         dt.date(2025, 3, 28)),
    ]
    # every value loaded as unknown is a finding naming file, line and column, never content
    assert query("SELECT source_file, row_number, column_name, rule FROM meta.load_findings "
                 "ORDER BY row_number, column_name") == [
        ("anfragen_2025-03.csv", 3, "planned_investment_eur", "unparsed_number"),
        ("anfragen_2025-03.csv", 3, "planned_jobs", "unparsed_number"),
        ("anfragen_2025-03.csv", 3, "status_on", "unparsed_date"),
    ]


def test_columns_are_identified_by_header_name(warehouse, inbox, contracts, query):
    header = list(reversed(CITY_ENQ_HEADER))
    write_csv(inbox / "stadt_leipzig" / "anfragen_2025-03.csv", header, [enquiry("WF-9")])
    _load(warehouse, inbox, contracts)
    assert query("SELECT enquiry_id, status_label, planned_jobs FROM "
                 "raw_stadt_leipzig.enquiries") == [("WF-9", "neu", 120)]


def test_every_set_aside_rule_with_its_reason(warehouse, inbox, contracts, query):
    rows = [
        enquiry("WF-OK"),                                   # line 2
        enquiry("", received="01.03.2025"),                 # 3 missing id
        enquiry("WF-NODATE", received=""),                  # 4
        enquiry("WF-OLD", received="31.12.1999"),           # 5 before 2000
        enquiry("WF-FUTURE", received="01.04.2025"),        # 6 after the period
        enquiry("WF-BADDATE", received="2025-03-04"),       # 7 not dd.mm.yyyy
        enquiry("WF-NOSTATUS", status=""),                  # 8
        enquiry("WF-BADSTATUS", status="erledigt"),         # 9
        enquiry("WF-CASE", status="  IN   bearbeitung "),    # 10 maps (case, spaces)
        enquiry("WF-DUP"),                                  # 11 duplicate id
        enquiry("WF-DUP", status="Zusage"),                 # 12 duplicate id
        enquiry("WF-LAST"),                                 # 13
    ]
    path = write_csv(inbox / "stadt_leipzig" / "anfragen_2025-03.csv", CITY_ENQ_HEADER, rows,
                     tail='WF-SHORT;01.03.2025;x\r\nWF-TRUNC;01.03.2025;"offen')
    rep = _load(warehouse, inbox, contracts)
    f = rep.files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_quarantined) == (14, 3, 11)
    assert query("SELECT enquiry_id FROM raw_stadt_leipzig.enquiries ORDER BY 1") == [
        ("WF-CASE",), ("WF-LAST",), ("WF-OK",)]
    assert query("SELECT _row_number, reason FROM raw_stadt_leipzig.quarantine ORDER BY 1") == [
        (3, "missing_enquiry_id"), (4, "missing_received_on"),
        (5, "date_out_of_period:received_on"), (6, "date_out_of_period:received_on"),
        (7, "unparsed_date:received_on"), (8, "missing_status_label"),
        (9, "unmapped_status"), (11, "duplicate_id_in_file"), (12, "duplicate_id_in_file"),
        (14, "too_few_fields"), (15, "truncated_line"),
    ]
    # the raw text of every set-aside line is kept as it was sent
    lines = path.read_bytes().decode("utf-8-sig").splitlines(keepends=True)
    assert query("SELECT raw_text FROM raw_stadt_leipzig.quarantine WHERE _row_number = 12")[0][0] \
        == lines[11]
    assert query("SELECT rows_read, rows_loaded, rows_quarantined FROM meta.load_ledger") == [
        (14, 3, 11)]


def test_header_only_file_loads_with_zero_rows(warehouse, inbox, contracts, query):
    write_csv(inbox / "stadt_leipzig" / "ansiedlungen_2025-03.csv", SETTLEMENT_HEADER, [],
              encoding="cp1252")
    rep = _load(warehouse, inbox, contracts)
    assert rep.files[0].status == "loaded" and rep.files[0].rows_read == 0
    assert rep.new_rows == {}
    assert query("SELECT status, rows_read FROM meta.load_ledger") == [("loaded", 0)]


def test_a_cut_off_last_line_is_truncated_even_with_a_line_end(warehouse, inbox, contracts,
                                                                query):
    write_csv(inbox / "stadt_leipzig" / "anfragen_2025-03.csv", CITY_ENQ_HEADER,
              [enquiry("WF-1"), enquiry("WF-2")], tail="WF-3;04.03.2025;Projekt\r\n\r\n")
    rep = _load(warehouse, inbox, contracts)
    assert (rep.files[0].rows_read, rep.files[0].rows_quarantined) == (3, 1)
    assert query("SELECT _row_number, reason FROM raw_stadt_leipzig.quarantine") == [
        (4, "truncated_line")]
