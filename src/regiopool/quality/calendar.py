"""Delivery deadlines: the n-th working day in Saxony of the month after the reporting month.

Working days are Monday to Friday without the public holidays of Saxony (``holidays`` package,
``Germany(subdiv="SN")``: includes Reformationstag and Buß- und Bettag).
"""

from __future__ import annotations

from datetime import date, timedelta

import holidays


def nth_working_day(year: int, month: int, n: int, _cache: dict = {}) -> date:  # noqa: B006
    key = year
    if key not in _cache:
        _cache[key] = holidays.Germany(subdiv="SN", years=[year])
    saxon = _cache[key]
    day = date(year, month, 1)
    count = 0
    while True:
        if day.weekday() < 5 and day not in saxon:
            count += 1
            if count == n:
                return day
        day += timedelta(days=1)


def deadline_for(report_month: date, working_days: int = 5) -> date:
    """Deadline of a reporting month's delivery (``report_month``: any day of the month)."""
    nxt = date(report_month.year + report_month.month // 12, report_month.month % 12 + 1, 1)
    return nth_working_day(nxt.year, nxt.month, working_days)


def deadlines(first_year: int, last_year: int, working_days: int = 5) -> list[tuple[date, date]]:
    """(reporting month, deadline) for every month of the years given."""
    return [
        (date(y, m, 1), deadline_for(date(y, m, 1), working_days))
        for y in range(first_year, last_year + 1)
        for m in range(1, 13)
    ]
