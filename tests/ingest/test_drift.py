"""Schema drift: breaking drift stops the file (named, with its columns); additive loads."""

from __future__ import annotations

import dataclasses

import pytest
from fixtures import CITY_ENQ_HEADER, enquiry, event, write_csv, write_jsonl

from regiopool.ingest import SchemaDriftError, ingest_partner

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
