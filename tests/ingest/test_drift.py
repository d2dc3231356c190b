"""Schema drift: breaking drift stops the file (named, with its columns); additive loads."""

from __future__ import annotations

import dataclasses
import re

import pytest
from fixtures import (
    CITY_ENQ_HEADER,
    LK_SHEETS,
    enquiry,
    event,
    lk_enquiry,
    lk_settlement,
    lk_site,
    write_csv,
    write_jsonl,
    write_workbook,
)

from regiopool.ingest import SchemaDriftError, ingest_partner
from regiopool.settings import DBT_PROJECT_DIR

CITY = "stadt_leipzig"


def test_missing_required_column_stops_that_file_only(warehouse, inbox, contracts, query):
    renamed = [h if h != "Eingangsdatum" else "Eingang" for h in CITY_ENQ_HEADER]
    renamed.remove("Status")
    write_csv(inbox / CITY / "anfragen_2025-03.csv", renamed, [
        {**enquiry("WF-1"), "Eingang": "04.03.2025"}])
    write_csv(inbox / CITY / "anfragen_2025-02.csv", CITY_ENQ_HEADER,
              [enquiry("WF-0", received="02.02.2025")])
    write_jsonl(inbox / "irl" / "events_2025-03-04.jsonl", [event("01A")])
    rep = ingest_partner(warehouse, inbox, contracts[CITY])
    irl = ingest_partner(warehouse, inbox, contracts["irl"])
    assert [(f.file_name, f.status) for f in rep.files] == [
        ("anfragen_2025-02.csv", "loaded"), ("anfragen_2025-03.csv", "rejected_schema")]
    assert irl.files[0].status == "loaded"
    bad = rep.files[1]
    assert bad.missing_columns == ["Eingangsdatum", "Status"]
    with pytest.raises(SchemaDriftError) as err:
        rep.raise_for_rejections()
    assert "anfragen_2025-03.csv" in str(err.value)
    assert "'Eingangsdatum', 'Status'" in str(err.value)
    assert query("SELECT status, rows_read, message LIKE '%Eingangsdatum%' FROM meta.load_ledger "
                 "WHERE file_name = 'anfragen_2025-03.csv'") == [("rejected_schema", 0, True)]
    assert query("SELECT enquiry_id FROM raw_stadt_leipzig.enquiries") == [("WF-0",)]


def test_added_and_dropped_optional_columns_load_and_are_reported(warehouse, inbox, contracts,
                                                                   query):
    header = [h for h in CITY_ENQ_HEADER if h not in ("Telefon", "E_Mail")] + ["Webseite"]
    write_csv(inbox / CITY / "anfragen_2025-03.csv", header,
              [{**enquiry("WF-1"), "Webseite": "https://example.org"}])
    rep = ingest_partner(warehouse, inbox, contracts[CITY])
    f = rep.files[0]
    assert f.status == "loaded" and f.rows_loaded == 1 and f.added_columns == ["Webseite"]
    assert query("SELECT column_name, rule, row_number FROM meta.load_findings ORDER BY 2, 1") == [
        ("Webseite", "added_column", None), ("E_Mail", "dropped_optional_column", None),
        ("Telefon", "dropped_optional_column", None)]
    assert query("SELECT contact_phone, contact_name FROM raw_stadt_leipzig.enquiries") == [
        (None, "Erika Muster")]


def test_rejected_file_loads_once_the_contract_is_refined(warehouse, inbox, contracts, query):
    renamed = [h if h != "Status" else "Bearbeitungsstand" for h in CITY_ENQ_HEADER]
    write_csv(inbox / CITY / "anfragen_2025-03.csv", renamed,
              [{**enquiry("WF-1"), "Bearbeitungsstand": "neu"}])
    assert ingest_partner(warehouse, inbox, contracts[CITY]).files[0].status == "rejected_schema"
    c = contracts[CITY]
    d = c.deliveries[0]
    t = d.tables[0]
    cols = tuple(dataclasses.replace(col, source="Bearbeitungsstand") if col.source == "Status"
                 else col for col in t.columns)
    fixed = dataclasses.replace(c, deliveries=(dataclasses.replace(
        d, tables=(dataclasses.replace(t, columns=cols),)),) + c.deliveries[1:])
    rep = ingest_partner(warehouse, inbox, fixed)
    assert rep.files[0].status == "loaded"
    assert query("SELECT status, rows_loaded FROM meta.load_ledger") == [("loaded", 1)]
    assert query("SELECT count(*) FROM meta.load_findings WHERE rule = 'missing_column'")[0][0] == 0


# Columns no model needs (partners/README "The inbox"; decision ingest-0007): dropping them loads
# the file and is reported, dropping a column a model needs still stops it.

def test_a_column_no_model_reads_may_be_dropped(warehouse, inbox, contracts, query):
    # `Projektname` is read by no model: a file without it loads, the drop is reported
    header = [h for h in CITY_ENQ_HEADER if h != "Projektname"]
    write_csv(inbox / CITY / "anfragen_2025-03.csv", header, [enquiry("WF-1")])
    f = ingest_partner(warehouse, inbox, contracts[CITY]).files[0]
    assert (f.status, f.rows_loaded, f.missing_columns) == ("loaded", 1, [])
    assert query("SELECT column_name, rule, row_number FROM meta.load_findings") == [
        ("Projektname", "dropped_optional_column", None)]
    assert query("SELECT enquiry_id, project_name, status_label FROM raw_stadt_leipzig.enquiries"
                 ) == [("WF-1", None, "neu")]


def test_a_workbook_without_the_site_coordinates_loads_without_its_municipality_stops(
        warehouse, inbox, contracts, query):
    # `Rechtswert` / `Hochwert` (and `Planungsstand`, `Eigentümer`) are staged but feed no later
    # model: the workbook loads and the drop is reported; `Gemeinde` maps the site to its AGS:
    # without it the workbook is not loaded
    sites = [h for h in LK_SHEETS["Flaechen"]
             if h not in ("Rechtswert", "Hochwert", "Planungsstand", "Eigentümer")]
    kept = {h: i for i, h in enumerate(LK_SHEETS["Flaechen"])}
    write_workbook(inbox / "lk_leipzig" / "wifoe_lkl_2025-03.xlsx", {
        "Anfragen": [lk_enquiry("LKL-1")], "Ansiedlungen": [lk_settlement("LKL-1")],
        "Flaechen": [[lk_site("K-0007")[kept[h]] for h in sites]]},
        headers={**LK_SHEETS, "Flaechen": sites})
    no_municipality = [h for h in LK_SHEETS["Flaechen"] if h != "Gemeinde"]
    write_workbook(inbox / "lk_leipzig" / "wifoe_lkl_2025-04.xlsx", {
        "Anfragen": [lk_enquiry("LKL-1", received="04.04.2025")],
        "Ansiedlungen": [],
        "Flaechen": [[lk_site("K-0007")[kept[h]] for h in no_municipality]]},
        stand="30.04.2025", headers={**LK_SHEETS, "Flaechen": no_municipality})
    rep = ingest_partner(warehouse, inbox, contracts["lk_leipzig"])
    assert [(f.file_name, f.status, f.missing_columns) for f in rep.files] == [
        ("wifoe_lkl_2025-03.xlsx", "loaded", []),
        ("wifoe_lkl_2025-04.xlsx", "rejected_schema", ["Gemeinde"])]
    assert query("SELECT sheet, column_name, rule FROM meta.load_findings "
                 "WHERE source_file = 'wifoe_lkl_2025-03.xlsx' ORDER BY 2") == [
        ("Flaechen", "Eigentümer", "dropped_optional_column"),
        ("Flaechen", "Hochwert", "dropped_optional_column"),
        ("Flaechen", "Planungsstand", "dropped_optional_column"),
        ("Flaechen", "Rechtswert", "dropped_optional_column")]
    assert query("SELECT site_id, easting_m, municipality_name FROM raw_lk_leipzig.sites") == [
        ("K-0007", None, "Borna")]


def _staged_raw_columns() -> dict[str, set[str]]:
    """Per raw relation, the raw columns its staging model selects (`raw_rows(source(...),
    [...])`): what any model reads of a raw table."""
    read: dict[str, set[str]] = {}
    pattern = re.compile(r"raw_rows\(source\('(raw_\w+)', '(\w+)'\), \[(.*?)\]\)", re.DOTALL)
    for sql in (DBT_PROJECT_DIR / "models" / "staging").rglob("stg_*.sql"):
        for schema, table, cols in pattern.findall(sql.read_text(encoding="utf-8")):
            read.setdefault(f"{schema}.{table}", set()).update(re.findall(r"'(\w+)'", cols))
    return read


def test_a_column_that_no_model_reads_is_optional(contracts):
    # the loader stops a file only for a column that a model needs (partners/README)
    read = _staged_raw_columns()
    assert {f"raw_{c.partner}.{t.table}" for c in contracts.values() for d in c.deliveries
            for t in d.tables} <= set(read), "staging reads every raw table through raw_rows()"
    unread_required = [
        (c.partner, t.table, col.source)
        for c in contracts.values() for d in c.deliveries for t in d.tables
        for col in t.columns
        if not col.optional and col.name not in read.get(f"raw_{c.partner}.{t.table}", set())]
    assert unread_required == []
