"""The district's workbook: header row by first cell, hand-typed cells, totals row, sheets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

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


def _openpyxl_raw_texts(path, sheet):
    """The raw text of each sheet row as the reader wrote it for every row before the raw
    text was built in DuckDB (ingest-0004): the openpyxl row without its trailing empty cells,
    ``json.dumps(..., ensure_ascii=False, default=str)``."""
    import json

    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        out = {}
        for n, row in enumerate(wb[sheet].iter_rows(values_only=True), start=1):
            end = len(row)
            while end > 1 and row[end - 1] is None:
                end -= 1
            out[n] = json.dumps(row[:end], ensure_ascii=False, default=str)
        return out
    finally:
        wb.close()


def test_set_aside_rows_keep_the_raw_text_of_every_cell(warehouse, inbox, contracts, query,
                                                        tmp_path, monkeypatch):
    """The raw text of a set-aside district row, now built in DuckDB and only for the rows set
    aside, is the same as before (each row's cells as JSON, written by Python): quotes,
    backslashes, line breaks, umlauts, numbers of every size, dates with and without a time,
    a time of day, a bool, trailing empty cells, a cell right of the header; for both engines,
    and the same as the records' raw text."""
    from regiopool.ingest.readers import xlsx_reader

    odd = {"Firma": 'Söhne & "Partner"\\GmbH\nzweite Zeile\t€', "Fläche (ha)": 0.1 + 0.2,
           "AP geplant": 1e20, "Invest (T€)": 1e-05, "Datum Stand": dt.datetime(2025, 3, 5, 13, 7),
           "Notiz": dt.time(9, 30), "Grund (bei Verlust)": True, "HR-Nr.": "",
           "Gemeinde(n)": 123456789012.25, "IRL-Nr.": -0.0}
    path = write_workbook(inbox / "lk_leipzig" / "wifoe_lkl_2025-03.xlsx", {
        "Anfragen": [
            lk_enquiry("LKL-1", status="storniert", **odd),                   # 5 unmapped
            lk_enquiry("LKL-2", received=dt.datetime(2025, 4, 1), **odd),     # 6 after period
            lk_enquiry("LKL-3", **{**odd, "Kontakt": None}),                  # 7 dup, loaded
            lk_enquiry("LKL-3", received="31.04.2025") + [None, "rechts"],    # 8 dup, set aside
            lk_enquiry("LKL-4", received=45719.75, Kontakt=None, Notiz=None),  # 9 ok
        ],
        "Ansiedlungen": [lk_settlement("LKL-1", decided=None, **{"AP neu": 2.5e16})],
        "Flaechen": [lk_site("K-1", Gleis=False, **{"Größe (ha)": 1234567.125}),
                     lk_site("K-1")],
    })
    expected = {s: _openpyxl_raw_texts(path, s) for s in ("Anfragen", "Ansiedlungen", "Flaechen")}
    contract = contracts["lk_leipzig"]
    sql = ("SELECT sheet, _row_number, reason, raw_text FROM raw_lk_leipzig.quarantine "
           "ORDER BY sheet, _row_number")
    ingest_partner(warehouse, inbox, contract)
    quarantine = query(sql)
    assert [(s, n, r) for s, n, r, _ in quarantine] == [
        ("Anfragen", 5, "unmapped_status"), ("Anfragen", 6, "date_out_of_period:received_on"),
        ("Anfragen", 7, "duplicate_id_in_file"), ("Anfragen", 8, "unparsed_date:received_on"),
        ("Ansiedlungen", 5, "missing_decided_on"),
        ("Flaechen", 5, "duplicate_id_in_file"), ("Flaechen", 6, "duplicate_id_in_file")]
    assert [raw for *_, raw in quarantine] == [expected[s][n] for s, n, *_ in quarantine]
    assert '"Söhne & \\"Partner\\"\\\\GmbH\\nzweite Zeile\\t€"' in quarantine[0][3]
    assert '"2025-03-05 13:07:00"' in quarantine[0][3] and ", 1e+20, 1e-05, " in quarantine[0][3]
    # the records (Python) give the same raw text, for both engines
    for engine in ("calamine", "openpyxl"):
        for sheet, _found, recs in _records(path, contract, engine):
            assert {n: raw for n, raw, *_ in recs} == {
                n: expected[sheet][n] for n, _raw, *_ in recs}
    # the openpyxl engine writes the same warehouse
    monkeypatch.setattr(xlsx_reader, "openpyxl_reason", lambda path: "large")
    other = tmp_path / "openpyxl.duckdb"
    ingest_partner(other, inbox, contract)
    for table in ("quarantine", "enquiries", "settlements", "sites"):
        q = f"SELECT * EXCLUDE (_loaded_at) FROM raw_lk_leipzig.{table} ORDER BY ALL"
        assert query.__class__(other)(q) == query(q)


def test_raw_text_in_duckdb_is_pythons_json_for_any_text(contracts):
    """DuckDB's to_json writes a few control characters in upper-case hex: such text cells
    go to ``_x`` (written by Python), so the raw text stays Python's json for any text."""
    import json

    import duckdb

    from regiopool.ingest.readers.base import raw_text_of, raw_text_sql
    from regiopool.ingest.readers.xlsx_reader import XlsxReader, _columns, records_of

    texts = ["".join(chr(c) for c in range(0x80)), "a\x1fb\x0bc", "\u2028\u00a0\ufeff x",
             '"\\/', "", " ", "\U0001F600 ä"]
    rows = [[t, 1.5, None, t, None] for t in texts] + [["x", None, None, None, None]]
    delivery = contracts["lk_leipzig"].deliveries[0]
    reader = XlsxReader(Path("unused.xlsx"), delivery)
    columns = delivery.tables[0].columns  # enquiry_id, company_name: text
    convs = [reader._converter(columns[0]), reader._converter(columns[2])]
    batch = _columns(rows, list(range(1, len(rows) + 1)), [0, 1], convs, [False, False], ",",
                     True)
    expected = []
    for row in rows:
        cells = [None if v == "" else v for v in row]  # calamine: "" is an empty cell
        end = len(cells)
        while end > 1 and cells[end - 1] is None:
            end -= 1
        expected.append(json.dumps(cells[:end], ensure_ascii=False))
    assert [r.raw_text for r in records_of(iter([batch]))] == expected
    con = duckdb.connect()
    con.register("b", batch)
    assert [r for (r,) in con.execute(f"SELECT {raw_text_sql(5)} FROM b ORDER BY _row_number"
                                      ).fetchall()] == expected
    assert raw_text_of([None, None], [None, None]) == "[null]"
    # the values: text trimmed as str.strip() does, the number cell in the sheet's notation
    assert batch.column("v0").to_pylist() == [None if t == "" else t.strip() for t in texts
                                              ] + ["x"]
    assert set(batch.column("v1").to_pylist()) == {"1,5", None}


def test_chunks_staging_and_sheets_of_other_widths_load_the_same(inbox, contracts, tmp_path,
                                                                  monkeypatch):
    """A sheet is turned into Arrow a chunk of rows at a time; a large one is staged chunk by
    chunk; sheets of workbooks with more columns (an added column: more raw cells) wait and
    are judged together with narrower ones. However it is cut, the warehouse is the same."""
    from fixtures import Query

    from regiopool.ingest.readers import xlsx_reader

    folder = inbox / "lk_leipzig"
    rows = [lk_enquiry(f"LKL-{i}", received="31.04.2025" if i % 3 == 0 else "04.03.2025")
            for i in range(1, 8)] + [lk_enquiry("LKL-1")]
    write_workbook(folder / "wifoe_lkl_2025-02.xlsx", {
        "Anfragen": [lk_enquiry("LKL-1", received="10.02.2025"), lk_enquiry("LKL-1")],
        "Ansiedlungen": [], "Flaechen": [lk_site("K-0001")]}, stand="28.02.2025")
    write_workbook(folder / "wifoe_lkl_2025-03.xlsx", {
        "Anfragen": [r + [None, "neu"] for r in rows], "Ansiedlungen": [],
        "Flaechen": [lk_site("K-0001"), lk_site("K-0002") + ["x"]]},
        headers={**LK_SHEETS, "Anfragen": LK_SHEETS["Anfragen"] + ["", "Spalte neu"]})
    contract = contracts["lk_leipzig"]
    tables = ("quarantine", "enquiries", "settlements", "sites")
    out = []
    for name, chunk, batch_rows in (("one.duckdb", 20_000, 50_000), ("cut.duckdb", 2, 3)):
        monkeypatch.setattr(xlsx_reader, "CHUNK_ROWS", chunk)
        path = tmp_path / name
        ingest_partner(path, inbox, contract, batch_rows=batch_rows)
        out.append([Query(path)(f"SELECT * EXCLUDE (_loaded_at) FROM raw_lk_leipzig.{t} "
                                "ORDER BY ALL") for t in tables])
    assert out[0] == out[1]
    quarantine = out[0][0]
    assert [(r[1], r[4], r[5]) for r in quarantine] == [
        ("wifoe_lkl_2025-02.xlsx", 5, "duplicate_id_in_file"),
        ("wifoe_lkl_2025-02.xlsx", 6, "date_out_of_period:received_on"),
        ("wifoe_lkl_2025-03.xlsx", 5, "duplicate_id_in_file"),
        ("wifoe_lkl_2025-03.xlsx", 7, "unparsed_date:received_on"),
        ("wifoe_lkl_2025-03.xlsx", 10, "unparsed_date:received_on"),
        ("wifoe_lkl_2025-03.xlsx", 12, "duplicate_id_in_file")]
    assert all(r[6].endswith(', null, "neu"]') for r in quarantine[2:])


def test_a_workbook_parsed_ahead_gives_the_same_records(inbox, contracts):
    """The loader has the next workbook parsed in a background thread (xlsx_reader.PREFETCH):
    its reader gets the same records as one that opens the file itself; a parse of a file
    that changed since, or of another file, is not used."""
    from regiopool.ingest.readers import xlsx_reader

    contract = contracts["lk_leipzig"]
    path = inbox / "wifoe_lkl_2025-03.xlsx"
    write_workbook(path, {"Anfragen": [lk_enquiry("LKL-1"), lk_enquiry("LKL-2")],
                          "Ansiedlungen": [lk_settlement("LKL-1")],
                          "Flaechen": [lk_site("K-0001")]})
    own = _records(path, contract, None)

    xlsx_reader.PREFETCH.start(path, contract.deliveries[0])
    reader = xlsx_reader.XlsxReader(path, contract.deliveries[0])
    tables = reader.tables()
    assert reader.parsed_ahead
    assert [(t.sheet, t.found, [(r.row_number, r.raw_text, r.values, r.reason)
                                for r in t.records]) for t in tables] == own
    reader.close()

    xlsx_reader.PREFETCH.start(path, contract.deliveries[0])
    write_workbook(path, {"Anfragen": [lk_enquiry("LKL-9")], "Ansiedlungen": [],
                          "Flaechen": []})  # the file changes after the parse began
    reader = xlsx_reader.XlsxReader(path, contract.deliveries[0])
    (_, _, recs), *_ = [(t.sheet, t.found, [(r.row_number, r.raw_text, r.values, r.reason)
                                            for r in t.records]) for t in reader.tables()]
    assert not reader.parsed_ahead
    reader.close()
    assert [r[2][0] for r in recs] == ["LKL-9"]
    xlsx_reader.PREFETCH.discard()


def test_the_loader_reads_workbooks_ahead_and_loads_the_same(warehouse, inbox, contracts,
                                                            query, monkeypatch, tmp_path):
    """Three months of the district: with the read-ahead the raw tables hold exactly what a
    load without it holds, and a workbook that cannot be read is still rejected as such."""
    import duckdb

    from regiopool.ingest.readers import xlsx_reader

    folder = inbox / "lk_leipzig"
    for month, ids in (("01", ["LKL-1"]), ("02", ["LKL-1", "LKL-2"]),
                       ("03", ["LKL-1", "LKL-2", "LKL-3"])):
        write_workbook(folder / f"wifoe_lkl_2025-{month}.xlsx",
                       {"Anfragen": [lk_enquiry(i, received=dt.datetime(2024, 12, 2))
                                     for i in ids],
                        "Ansiedlungen": [], "Flaechen": [lk_site("K-0001")]},
                       stand=f"28.{month}.2025")
    (folder / "wifoe_lkl_2025-04.xlsx").write_bytes(b"not a workbook")
    started = []
    real_start = xlsx_reader.PREFETCH.start
    monkeypatch.setattr(xlsx_reader.PREFETCH, "start",
                        lambda path, delivery: (started.append(path.name),
                                                real_start(path, delivery)))
    rep = ingest_partner(warehouse, inbox, contracts["lk_leipzig"])
    assert started == ["wifoe_lkl_2025-02.xlsx", "wifoe_lkl_2025-03.xlsx",
                       "wifoe_lkl_2025-04.xlsx"]
    assert [f.status for f in rep.files] == ["loaded", "loaded", "loaded", "rejected_unreadable"]
    rows = query("SELECT _period, enquiry_id FROM raw_lk_leipzig.enquiries ORDER BY 1, 2")
    assert [r[1] for r in rows] == ["LKL-1", "LKL-1", "LKL-2", "LKL-1", "LKL-2", "LKL-3"]

    monkeypatch.setenv("REGIOPOOL_XLSX_PREFETCH", "0")
    started.clear()
    without = tmp_path / "without.duckdb"
    ingest_partner(without, inbox, contracts["lk_leipzig"])
    assert not xlsx_reader.PREFETCH._ahead  # switched off: nothing parsed ahead
    for table in ("enquiries", "sites", "quarantine"):
        sql = f"SELECT * EXCLUDE (_loaded_at) FROM raw_lk_leipzig.{table} ORDER BY ALL"
        with duckdb.connect(str(without), read_only=True) as con:
            assert query(sql) == con.execute(sql).fetchall(), table
