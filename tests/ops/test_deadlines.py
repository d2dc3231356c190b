"""The delivery deadline (5th working day in Saxony) and the late-partner check."""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb
import pytest

from regiopool.ops.deadlines import delivery_deadline, late_deliveries, late_message


@pytest.mark.parametrize("month, deadline", [
    (date(2025, 3, 1), date(2025, 4, 7)),    # April 2025: Tue 1 … Mon 7
    (date(2025, 4, 1), date(2025, 5, 8)),    # 1 May (Labour Day) is a holiday
    (date(2025, 12, 1), date(2026, 1, 8)),   # New Year's Day
    (date(2025, 10, 1), date(2025, 11, 7)),  # 31 Oct (Reformation Day, Saxony) is before
    (date(2026, 3, 1), date(2026, 4, 9)),    # Good Friday 3 Apr, Easter Monday 6 Apr 2026
])
def test_deadline_is_the_fifth_saxon_working_day(month, deadline):
    assert delivery_deadline(month) == deadline


def test_saxon_holidays_count_but_not_other_states():
    # Buß- und Bettag (19 Nov 2025) is a holiday in Saxony only: 1st working day of Nov 2025 is
    # Mon 3 Nov; with deadline_working_days=13 the 19th is skipped
    assert delivery_deadline(date(2025, 10, 1), 13) == date(2025, 11, 20)
    # Epiphany (6 Jan) is a holiday in Bavaria, not in Saxony
    assert delivery_deadline(date(2024, 12, 1), 3) == date(2025, 1, 6)


def _ledger(path, rows):
    con = duckdb.connect(str(path))
    con.execute("create schema meta")
    con.execute("create table meta.load_ledger (partner varchar, kind varchar, period date, "
                "status varchar, delivered_at timestamptz)")
    for partner, kind, period, status in rows:
        con.execute("insert into meta.load_ledger values (?, ?, ?, ?, ?)",
                    [partner, kind, period, status, datetime(2025, 4, 3, tzinfo=UTC)])
    con.close()


def test_nobody_is_late_before_the_deadline(tmp_path):
    month, late = late_deliveries(tmp_path / "missing.duckdb", date(2025, 4, 7))
    assert month == "2025-03" and late == []


def test_after_the_deadline_the_missing_partners_and_kinds_are_named(tmp_path):
    wh = tmp_path / "warehouse.duckdb"
    _ledger(wh, [
        ("stadt_leipzig", "enquiries", date(2025, 3, 1), "loaded"),
        ("stadt_leipzig", "sites", date(2025, 3, 1), "loaded"),
        ("stadt_leipzig", "settlements", date(2025, 2, 1), "loaded"),   # the wrong month
        ("lk_leipzig", "workbook", date(2025, 3, 1), "loaded"),
        ("irl", "events", date(2025, 3, 17), "rejected_schema"),      # stopped: not delivered
    ])
    month, late = late_deliveries(wh, date(2025, 4, 8))
    assert month == "2025-03"
    assert {d.partner: d.missing for d in late} == {"stadt_leipzig": ["settlements"],
                                                     "irl": ["events"]}
    assert all(d.deadline == "2025-04-07" for d in late)
    text = late_message(month, late, date(2025, 4, 8))
    assert "Invest Region Leipzig GmbH (irl: events missing, due 2025-04-07)" in text


def test_a_complete_month_is_not_late(tmp_path):
    wh = tmp_path / "warehouse.duckdb"
    _ledger(wh, [(p, k, date(2025, 3, d), "loaded") for p, k, d in [
        ("stadt_leipzig", "enquiries", 1), ("stadt_leipzig", "sites", 1),
        ("stadt_leipzig", "settlements", 1), ("lk_leipzig", "workbook", 1), ("irl", "events", 31)]])
    assert late_deliveries(wh, date(2025, 4, 30))[1] == []
