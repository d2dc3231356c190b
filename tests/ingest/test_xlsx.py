"""The district's workbook: header row by first cell, hand-typed cells, totals row, sheets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fixtures import LK_SHEETS, lk_enquiry, lk_settlement, lk_site, write_workbook

from regiopool.ingest import ingest_partner


def test_workbook_quirks(warehouse, inbox, contracts, query):
    write_workbook(inbox / "lk_leipzig" / "wifoe_lkl_2025-03.xlsx", {
        "Anfragen": [
            lk_enquiry("LKL-1"),                                              # row 5
            lk_enquiry("  LKL-2 ", received="05.03.2025", status=" Zurueckgestellt ",
                       **{"Fläche (ha)": 1.5, "AP geplant": "12", "Invest (T€)": "1.250,5",
                          "Firma": "  Spaces GmbH  "}),                       # row 6
            [None] * 16,                                                       # row 7 empty
            lk_enquiry("LKL-3", **{"AP geplant": "viele", "Datum Stand": "gestern"}),  # row 8
            lk_enquiry("LKL-4", received="31.04.2025"),                        # 9 impossible date
            lk_enquiry("LKL-5", status="storniert"),                           # 10 unmapped
            lk_enquiry("LKL-6", received=dt.datetime(2025, 4, 1)),             # 11 after period
            lk_enquiry("LKL-7", received=45719),                               # 12 Excel serial
        ],
        "Ansiedlungen": [lk_settlement("LKL-1"), lk_settlement("LKL-2", decided=None)],
        "Flaechen": [lk_site("K-0001"), lk_site("K-0002", Gleis="nein", **{"BAB (km)": "2,5"}),
                     lk_site("K-0002")],
    })
    rep = ingest_partner(warehouse, inbox, contracts["lk_leipzig"])
    f = rep.files[0]
    assert f.status == "loaded"
    assert (f.rows_read, f.rows_loaded, f.rows_quarantined) == (12, 6, 6)
    assert f.tables == {"enquiries": 4, "settlements": 1, "sites": 1}
    assert query("SELECT enquiry_id, received_on, company_name, required_area_ha, planned_jobs, "
                 "planned_investment_teur, status_label, status_on, _row_number "
                 "FROM raw_lk_leipzig.enquiries ORDER BY _row_number") == [
        ("LKL-1", dt.date(2025, 3, 4), "Beispiel AG", Decimal("2.5"), 50, Decimal(4500),
         "offen", dt.date(2025, 3, 28), 5),
        ("LKL-2", dt.date(2025, 3, 5), "Spaces GmbH", Decimal("1.5"), 12, Decimal("1250.5"),
         "Zurueckgestellt", dt.date(2025, 3, 28), 6),
        ("LKL-3", dt.date(2025, 3, 4), "Beispiel AG", Decimal("2.5"), None, Decimal(4500),
         "offen", None, 8),
        ("LKL-7", dt.date(2025, 3, 3), "Beispiel AG", Decimal("2.5"), 50, Decimal(4500),
         "offen", dt.date(2025, 3, 28), 12),
    ]
    assert query("SELECT table_name, sheet, _row_number, reason FROM raw_lk_leipzig.quarantine "
                 "ORDER BY table_name, _row_number") == [
        ("enquiries", "Anfragen", 9, "unparsed_date:received_on"),
        ("enquiries", "Anfragen", 10, "unmapped_status"),
        ("enquiries", "Anfragen", 11, "date_out_of_period:received_on"),
        ("settlements", "Ansiedlungen", 6, "missing_decided_on"),
        ("sites", "Flaechen", 6, "duplicate_id_in_file"),
        ("sites", "Flaechen", 7, "duplicate_id_in_file"),
    ]
    assert query("SELECT sheet, row_number, column_name, rule FROM meta.load_findings "
                 "ORDER BY row_number, column_name") == [
        ("Anfragen", 8, "planned_jobs", "unparsed_number"),
        ("Anfragen", 8, "status_on", "unparsed_date"),
    ]
    assert query("SELECT site_id, rail, gross_area_ha, free_area_ha, easting_m "
                 "FROM raw_lk_leipzig.sites") == [
        ("K-0001", True, Decimal("12.5"), Decimal("3.25"), Decimal("330123.5"))]


def test_header_found_by_first_cell_not_by_number(warehouse, inbox, contracts, query):
    import openpyxl

    path = inbox / "lk_leipzig" / "wifoe_lkl_2025-04.xlsx"
    path.parent.mkdir(parents=True)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in {"Anfragen": [lk_enquiry("LKL-9", received="02.04.2025")],
                       "Ansiedlungen": [], "Flaechen": []}.items():
        ws = wb.create_sheet(name)
        for _ in range(6):  # more title lines than usual
            ws.append(["Landkreis Leipzig"])
        ws.append(LK_SHEETS[name])
        for r in rows:
            ws.append(r)
    wb.save(path)
    rep = ingest_partner(warehouse, inbox, contracts["lk_leipzig"])
    assert rep.files[0].status == "loaded"
    assert query("SELECT enquiry_id, _row_number FROM raw_lk_leipzig.enquiries") == [("LKL-9", 8)]


def test_missing_sheet_or_column_rejects_the_workbook(warehouse, inbox, contracts, query):
    headers = {**LK_SHEETS, "Anfragen": [h if h != "Stand" else "Status neu"
                                         for h in LK_SHEETS["Anfragen"]]}
    write_workbook(inbox / "lk_leipzig" / "wifoe_lkl_2025-03.xlsx",
                   {"Anfragen": [lk_enquiry("LKL-1")], "Ansiedlungen": []}, headers=headers)
    rep = ingest_partner(warehouse, inbox, contracts["lk_leipzig"])
    f = rep.files[0]
    assert f.status == "rejected_schema"
    assert "wifoe_lkl_2025-03.xlsx" in str(rep.rejected[0].file_name)
    assert "'Stand'" in f.message and "'Flaechen' not found" in f.message
    assert query("SELECT count(*) FROM raw_lk_leipzig.enquiries")[0][0] == 0
    assert query("SELECT sheet, column_name FROM meta.load_findings WHERE rule = "
                 "'missing_column' ORDER BY 1, 2")[:1] == [("Anfragen", "Stand")]


def _records(path, contract, engine):
    from regiopool.ingest.readers.xlsx_reader import XlsxReader

    reader = XlsxReader(path, contract.deliveries[0], engine=engine)
    try:
        return [(t.sheet, t.found, [(r.row_number, r.raw_text, r.values, r.reason)
                                    for r in t.records]) for t in reader.tables()]
    finally:
        reader.close()


def test_calamine_reads_what_openpyxl_reads(inbox, contracts):
    """The fast reader (calamine) and the streaming one (openpyxl) give the same records:
    row numbers, raw text, values, also where the used range starts below row 1 or right
    of column A."""
    import openpyxl

    path = inbox / "wifoe_lkl_2025-03.xlsx"
    write_workbook(path, {
        "Anfragen": [lk_enquiry("LKL-1"), lk_enquiry(" LKL-2 ", received=45719,
                                                     **{"Fläche (ha)": 1.5, "AP geplant": "12",
                                                        "Invest (T€)": 1250.25}),
                     [None] * 16, lk_enquiry("LKL-3", received="31.04.2025", status=True,
                                             **{"Datum Stand": dt.datetime(2025, 3, 5, 13, 7),
                                                "Notiz": dt.time(9, 30), "AP geplant": 1e20})],
        "Ansiedlungen": [lk_settlement("LKL-1", **{"AP neu": 0.1 + 0.2})],
        "Flaechen": [lk_site("K-0001"), lk_site("K-0002", Gleis="nein")],
    })
    wb = openpyxl.load_workbook(path)
    wb["Ansiedlungen"].insert_cols(1)  # column A empty: no header found (by its first cell)
    wb["Flaechen"]["A1"] = None  # the title row empty: the used range starts at row 2
    wb.save(path)
    contract = contracts["lk_leipzig"]
    fast, slow = _records(path, contract, "calamine"), _records(path, contract, "openpyxl")
    assert fast == slow
    assert [(len(found), len(recs)) for _, found, recs in fast] == [(16, 3), (0, 0), (14, 2)]


def test_a_workbook_with_error_cells_is_read_with_openpyxl(inbox, contracts):
    """calamine reads an error cell (#N/A) as empty; openpyxl keeps its text, which becomes a
    finding or a set-aside reason, never a silent NULL: such workbooks go to openpyxl."""
    import openpyxl

    from regiopool.ingest.readers.xlsx_reader import openpyxl_reason

    path = inbox / "wifoe_lkl_2025-03.xlsx"
    write_workbook(path, {"Anfragen": [lk_enquiry("LKL-1")], "Ansiedlungen": [],
                          "Flaechen": []})
    assert openpyxl_reason(path) is None
    wb = openpyxl.load_workbook(path)
    wb["Anfragen"]["I5"] = "#N/A"  # AP geplant: an error cell
    wb.save(path)
    assert openpyxl_reason(path) == "error cells"
    (_, _, recs), *_ = _records(path, contracts["lk_leipzig"], None)
    assert recs[0][2][8] == "#N/A"


def test_large_sheets_are_streamed_with_openpyxl(inbox, contracts, monkeypatch):
    """calamine holds a parsed sheet in memory: above CALAMINE_MAX_XML bytes of sheet XML the
    workbook is streamed with openpyxl (memory stays bounded), with the same records."""
    from regiopool.ingest.readers import xlsx_reader

    path = inbox / "wifoe_lkl_2025-03.xlsx"
    write_workbook(path, {"Anfragen": [lk_enquiry("LKL-1"), lk_enquiry("LKL-2")],
                          "Ansiedlungen": [], "Flaechen": [lk_site("K-0001")]})
    contract = contracts["lk_leipzig"]
    fast = _records(path, contract, None)
    monkeypatch.setattr(xlsx_reader, "CALAMINE_MAX_XML", 1000)
    assert xlsx_reader.openpyxl_reason(path) == "large"
    reader = xlsx_reader.XlsxReader(path, contract.deliveries[0])
    reader.tables()
    assert reader._engine == "openpyxl"
    reader.close()
    assert _records(path, contract, None) == fast


def test_a_duration_cell_is_a_bad_value_not_a_crash(warehouse, inbox, contracts, query):
    """A cell formatted as a duration (`[h]:mm`, read as a timedelta) in a number column loads
    as unknown with a finding; the row still counts."""
    import openpyxl

    path = inbox / "lk_leipzig" / "wifoe_lkl_2025-03.xlsx"
    write_workbook(path, {"Anfragen": [lk_enquiry("LKL-1")], "Ansiedlungen": [],
                          "Flaechen": []})
    wb = openpyxl.load_workbook(path)
    cell = wb["Anfragen"]["I5"]  # AP geplant
    cell.value, cell.number_format = dt.timedelta(hours=26, minutes=30), "[h]:mm"
    wb.save(path)
    contract = contracts["lk_leipzig"]
    assert _records(path, contract, "calamine") == _records(path, contract, "openpyxl")
    rep = ingest_partner(warehouse, inbox, contract)
    assert rep.files[0].status == "loaded"
    assert query("SELECT enquiry_id, planned_jobs FROM raw_lk_leipzig.enquiries") == [
        ("LKL-1", None)]
    assert query("SELECT sheet, column_name FROM meta.load_findings") == [
        ("Anfragen", "planned_jobs")]
