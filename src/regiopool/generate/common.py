"""Small helpers: months, working days, delivery times, German formatting, ULIDs."""

from __future__ import annotations

import calendar
import os
import random
import re
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays

BERLIN = ZoneInfo("Europe/Berlin")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


# ---- months as integers (year * 12 + month - 1) ------------------------------------------
def parse_month(text: str) -> int:
    m = _MONTH_RE.match(text or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"not a month YYYY-MM: {text!r}")
    return int(m.group(1)) * 12 + int(m.group(2)) - 1


def month_key(mi: int) -> str:
    return f"{mi // 12:04d}-{mi % 12 + 1:02d}"


def month_first(mi: int) -> date:
    return date(mi // 12, mi % 12 + 1, 1)


def in_year(d: date, year: int) -> date:
    """The same day in another year; 29 February becomes the 28th where that year has none."""
    if d.month == 2 and d.day == 29 and not calendar.isleap(year):
        return d.replace(year=year, day=28)
    return d.replace(year=year)


def month_last(mi: int) -> date:
    y, m = mi // 12, mi % 12 + 1
    return date(y, m, calendar.monthrange(y, m)[1])


def month_of(d: date) -> int:
    return d.year * 12 + d.month - 1


def rng(*parts: object) -> random.Random:
    """A random stream named by its parts (str seeds hash with SHA-512: stable across runs)."""
    return random.Random("/".join(str(p) for p in parts))


# ---- working days in Saxony and delivery times -------------------------------------------
@lru_cache(maxsize=64)
def _saxon_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("DE", subdiv="SN", years=year))


def is_working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in _saxon_holidays(d.year)


def working_day(mi: int, n: int) -> date:
    """The n-th working day (1-based) of month mi (may run into the next month)."""
    d = month_first(mi)
    count = 0
    while True:
        if is_working_day(d):
            count += 1
            if count == n:
                return d
        d += timedelta(days=1)


def berlin_timestamp(d: date, hour: int, minute: int, second: int = 0) -> float:
    return datetime.combine(d, time(hour, minute, second), BERLIN).timestamp()


def monthly_delivery_time(mi: int, r: random.Random, late: bool) -> float:
    """When a monthly file of period mi arrives: working day 1-5 of the next month, or later."""
    n = r.randint(6, 14) if late else r.choice((1, 2, 2, 3, 3, 3, 4, 4, 5))
    return berlin_timestamp(working_day(mi + 1, n), r.randint(7, 17), r.randint(0, 59),
                            r.randint(0, 59))


def set_mtime(path: Path, ts: float) -> None:
    os.utime(path, (ts, ts))


# ---- formatting ---------------------------------------------------------------------------
def de_date(d: date) -> str:
    return f"{d.day:02d}.{d.month:02d}.{d.year:04d}"


def de_int(n: int) -> str:
    """12500 -> '12.500'"""
    return f"{n:,}".replace(",", ".")


def de_decimal(x: float, places: int = 2) -> str:
    """4500000 -> '4.500.000,00'"""
    s = f"{x:,.{places}f}"
    return s.replace(",", "_").replace(".", ",").replace("_", ".")


def de_number_text(x: float) -> str:
    """A hand-typed number: decimal comma, no grouping ('1,5', '4500')."""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.2f}".rstrip("0").rstrip(".").replace(".", ",")


_ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe",
                        "Ü": "Ue"})


def ascii_spelling(text: str) -> str:
    return text.translate(_ASCII)


def has_umlaut(text: str) -> bool:
    return any(c in text for c in "äöüßÄÖÜ")


def iso_utc(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---- ULID -----------------------------------------------------------------------------------
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid(ms: int, r: random.Random) -> str:
    """A ULID: 48-bit millisecond timestamp + 80 random bits, Crockford base32 (26 chars)."""
    value = ((ms & ((1 << 48) - 1)) << 80) | r.getrandbits(80)
    out = []
    for _ in range(26):
        out.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(out))
