"""The partners' delivery deadline and who missed it.

Partners deliver a month's files by the 5th working day of the following month (working days in
Saxony: Monday to Friday without Saxon public holidays; `deadline_working_days` in each
`partners/<partner>.yml`). A partner is **late** for a month when the deadline has passed and
not every kind of file it sends has been loaded for that month (`meta.load_ledger`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import holidays

from regiopool.months import month_key, previous_month

DEFAULT_WORKING_DAYS = 5


@lru_cache(maxsize=64)
def _saxon_holidays(year: int) -> holidays.HolidayBase:
    return holidays.Germany(subdiv="SN", years=year)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a public holiday in Saxony."""
    return day.weekday() < 5 and day not in _saxon_holidays(day.year)


def nth_working_day(month: date, n: int) -> date:
    """The n-th working day (Saxony) of `month`."""
    day = month.replace(day=1)
    count = 0
    while True:
        if is_working_day(day):
            count += 1
            if count == n:
                return day
        day += timedelta(days=1)


def delivery_deadline(period: date, working_days: int = DEFAULT_WORKING_DAYS) -> date:
    """Last day on which the delivery for the month `period` is on time. The one Saxon
    calendar of the project: the quality gate's timeliness check
    (`int_quality__delivery_deadlines`) counts the working days of `saxon_calendar`, written
    from this module, so alert and gate never disagree."""
    following = (period.replace(day=1) + timedelta(days=32)).replace(day=1)
    return nth_working_day(following, working_days)


CALENDAR_FIRST_YEAR = 2010  # reporting periods before 2010 get no deadline (and no timeliness)


def calendar_years(today: date | None = None) -> tuple[int, int]:
    """The years the warehouse's calendar covers: 2010 to two years ahead (the deadline of a
    December falls in the next January, and dbt computes deadlines up to next year)."""
    today = today or date.today()
    return CALENDAR_FIRST_YEAR, today.year + 2


@lru_cache(maxsize=4)
def saxon_calendar(first_year: int, last_year: int) -> tuple[tuple[date, bool, str | None], ...]:
    """Every day of the years: (day, is a working day in Saxony, the public holiday's name).
    Written to `meta.saxon_calendar` (regiopool.ingest.warehouse) so that SQL counts working
    days without restating the holiday rules."""
    day, end, rows = date(first_year, 1, 1), date(last_year, 12, 31), []
    while day <= end:
        rows.append((day, is_working_day(day), _saxon_holidays(day.year).get(day)))
        day += timedelta(days=1)
    return tuple(rows)


def partner_deadlines(partners_dir: Path | None = None) -> dict[str, tuple[str, int, set[str]]]:
    """partner → (name, deadline in working days, kinds of delivery it sends)."""
    from regiopool.contracts import load_contracts

    return {c.partner: (c.name, c.deadline_working_days, {d.kind for d in c.deliveries})
            for c in load_contracts(partners_dir)}


@dataclass(frozen=True)
class LateDelivery:
    partner: str
    name: str
    month: str
    deadline: str
    missing: list[str]

    def as_dict(self) -> dict:
        return asdict(self)


def delivered_kinds(warehouse: Path, month: date) -> dict[str, set[str]]:
    """partner → kinds loaded for `month` (nothing when the warehouse does not exist yet)."""
    if not Path(warehouse).exists():
        return {}
    from regiopool.report_month import delivered_months

    try:
        delivered = delivered_months(Path(warehouse))
    except Exception as exc:  # no ledger yet: nothing was ever loaded
        if "load_ledger" in str(exc) or "meta" in str(exc):
            return {}
        raise
    return {partner: months.get(month, set()) for partner, months in delivered.items()}


def late_deliveries(warehouse: Path, today: date,
                    partners_dir: Path | None = None) -> tuple[str, list[LateDelivery]]:
    """(the month watched: the one before `today`, the partners late with it on `today`)."""
    month = previous_month(today.replace(day=1))
    got = delivered_kinds(warehouse, month)
    late = []
    for partner, (name, working_days, kinds) in partner_deadlines(partners_dir).items():
        deadline = delivery_deadline(month, working_days)
        missing = sorted(kinds - got.get(partner, set()))
        if today > deadline and missing:
            late.append(LateDelivery(partner, name, month_key(month), deadline.isoformat(),
                                     missing))
    return month_key(month), late


def late_message(month: str, late: list[LateDelivery], today: date) -> str:
    parts = [f"{d.name} ({d.partner}: {', '.join(d.missing)} missing, due {d.deadline})"
             for d in late]
    return (f"regiopool: deliveries for {month} are late on {today.isoformat()}: "
            + "; ".join(parts))
