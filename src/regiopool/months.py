"""Report months and reporting periods."""

from __future__ import annotations

import re
from datetime import date

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_month(text: str) -> date:
    """`YYYY-MM` → the month's first day; ValueError with a readable message otherwise."""
    match = _MONTH.match(text or "")
    if not match:
        raise ValueError(f"not a month (YYYY-MM): {text!r}")
    return date(int(match.group(1)), int(match.group(2)), 1)


def month_key(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def previous_month(month: date) -> date:
    return date(month.year - 1, 12, 1) if month.month == 1 else date(month.year, month.month - 1, 1)
