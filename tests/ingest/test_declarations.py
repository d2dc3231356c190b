"""The declarations the ingestion writes for the dbt project (meta.partner_kinds,
meta.saxon_calendar, meta.set_aside_rows): from the contracts and regiopool.ops.deadlines,
never restated by hand."""

from __future__ import annotations

import datetime as dt

from fixtures import CITY_ENQ_HEADER, enquiry, write_csv

from regiopool.ingest import ensure_warehouse, ingest_partner
from regiopool.ops.deadlines import calendar_years, is_working_day, saxon_calendar

CITY = "stadt_leipzig"


def test_calendar_is_the_deadline_module_s(warehouse, query):
    ensure_warehouse(warehouse)
    first, last = calendar_years()
    rows = query("SELECT day, is_working_day, holiday FROM meta.saxon_calendar ORDER BY day")
    assert rows == list(saxon_calendar(first, last))
    assert rows[0][0] == dt.date(2010, 1, 1) and rows[-1][0] == dt.date(last, 12, 31)
    assert all(working == is_working_day(day) for day, working, _ in rows)
    # Buß- und Bettag is a Saxon holiday; Epiphany (Bavaria) is not
    by_day = {day: (working, holiday) for day, working, holiday in rows}
    assert by_day[dt.date(2025, 11, 19)][0] is False and by_day[dt.date(2025, 11, 19)][1]
    assert by_day[dt.date(2025, 1, 6)] == (True, None)


def test_partner_kinds_from_the_contracts(warehouse, query):
    ensure_warehouse(warehouse)
    ensure_warehouse(warehouse)  # idempotent: the rows are not doubled
    assert query("SELECT partner, kind, semantics, deadline_working_days "
                 "FROM meta.partner_kinds ORDER BY 1, 2") == [
        ("irl", "events", "events", 5),
        ("lk_leipzig", "workbook", "snapshot", 5),
        ("stadt_leipzig", "enquiries", "delta", 5),
        ("stadt_leipzig", "settlements", "delta", 5),
        ("stadt_leipzig", "sites", "snapshot", 5),
    ]


def test_set_aside_rows_name_location_and_reason_never_text(warehouse, inbox, contracts, query):
    write_csv(inbox / CITY / "anfragen_2025-03.csv", CITY_ENQ_HEADER,
              [enquiry("WF-1", received="03.03.2025"), enquiry("", received="04.03.2025")])
    ingest_partner(warehouse, inbox, contracts[CITY])  # without ensure_warehouse first
    assert query("SELECT partner, source_file, table_name, row_number, reason "
                 "FROM meta.set_aside_rows") == [
        (CITY, "anfragen_2025-03.csv", "enquiries", 3, "missing_enquiry_id")]
    cols = [r[0] for r in query("SELECT column_name FROM information_schema.columns "
                                "WHERE table_schema = 'meta' AND table_name = 'set_aside_rows'")]
    assert "raw_text" not in cols
