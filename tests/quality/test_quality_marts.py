"""The quality marts built by dbt on the hand-made warehouse: values, not shapes."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest


@pytest.fixture(scope="module")
def con(built_warehouse):
    c = duckdb.connect(str(built_warehouse), read_only=True)
    yield c
    c.close()


def test_partner_deliveries_per_catalogue(con):
    rows = con.execute(
        "select partner, month, delivered, files, rows_loaded, rows_rejected "
        "from marts.partner_deliveries order by partner, month").fetchall()
    assert len(rows) == 3 * 7  # every partner × every month of the range
    by_key = {(p, m): r for p, m, *r in rows}
    assert by_key[("stadt_leipzig", date(2025, 3, 1))] == [True, 3, 5, 0]
    assert by_key[("irl", date(2025, 2, 1))] == [True, 1, 2, 1]        # a set-aside line
    assert by_key[("irl", date(2025, 4, 1))] == [False, 0, 0, 0]       # nothing delivered
    assert by_key[("stadt_leipzig", date(2025, 5, 1))] == [False, 2, 3, 0]  # sites rejected
    assert by_key[("lk_leipzig", date(2025, 6, 1))] == [True, 1, 4, 0]


def test_findings_name_location_and_rule_never_content(con):
    rows = con.execute(
        "select partner, month, file_name, line, check_name, rule, severity "
        "from marts.quality_findings order by month").fetchall()
    assert rows == [
        ("irl", date(2025, 2, 1), "events_2025-02-15.jsonl", 4, "set_aside", "invalid_json",
         "warning"),
        ("stadt_leipzig", date(2025, 5, 1), "gewerbeflaechen_2025-05.geojson", None,
         "schema_drift", "load_rejected_schema", "critical"),
        ("lk_leipzig", date(2025, 6, 1), "wifoe_lkl_2025-06.xlsx", None, "district_drop",
         "settlement_dropped", "critical"),
        ("lk_leipzig", date(2025, 7, 1), "wifoe_lkl_2025-07.xlsx", None, "late_delivery",
         "delivered_after_deadline", "warning"),
    ]
    cols = [r[0] for r in con.execute(
        "select column_name from information_schema.columns "
        "where table_schema = 'marts' and table_name = 'quality_findings'").fetchall()]
    assert "raw_text" not in cols


def test_scorecard_timeliness_and_completeness(con):
    rows = {(p, m): r for p, m, *r in con.execute(
        "select partner, month, deadline_on, on_time, completeness, rows_quarantined "
        "from marts.quality_scorecard").fetchall()}
    assert rows[("lk_leipzig", date(2025, 7, 1))][:2] == [date(2025, 8, 7), False]
    assert rows[("lk_leipzig", date(2025, 3, 1))][:2] == [date(2025, 4, 7), True]
    # April 2025: 1 May is a holiday, so the 5th working day of May is the 8th
    assert rows[("stadt_leipzig", date(2025, 4, 1))][0] == date(2025, 5, 8)
    assert rows[("irl", date(2025, 4, 1))][1] is None  # nothing arrived
    assert float(rows[("irl", date(2025, 2, 1))][2]) == pytest.approx(0.6667)
    assert rows[("irl", date(2025, 2, 1))][3] == 1


def test_workbook_drop_only_where_a_settlement_went(con):
    rows = con.execute(
        "select month, table_name, dropped_records from intermediate.int_quality__workbook_drops "
        "where exceeds_threshold").fetchall()
    assert rows == [(date(2025, 6, 1), "settlements", 1)]


def test_deadlines_are_the_calendar_module_s(con):
    """The SQL deadlines (working days counted over meta.saxon_calendar) equal
    regiopool.ops.deadlines for every partner and month from 2010 to the end of next year."""
    from regiopool.ops.deadlines import delivery_deadline

    rows = con.execute("select partner, month, deadline_on "
                       "from intermediate.int_quality__delivery_deadlines").fetchall()
    today = date.today()
    months = [date(y, m, 1) for y in range(2010, today.year + 2) for m in range(1, 13)]
    assert {p for p, _, _ in rows} == {"stadt_leipzig", "lk_leipzig", "irl"}
    assert sorted(rows) == sorted((p, m, delivery_deadline(m, 5))
                                  for p in ("stadt_leipzig", "lk_leipzig", "irl") for m in months)
