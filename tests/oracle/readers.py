"""Plain readers of the partners' inbox files (../shared/partners), independent of ingestion.

Only the standard library and openpyxl: our own CSV tokenizer (so that a truncated last line is
recognised exactly as the partner README defines it), `json`, openpyxl for the workbooks.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

MIN_DATE = dt.date(2000, 1, 1)

# partner folder -> kind -> file name pattern
PATTERNS: dict[str, dict[str, re.Pattern[str]]] = {
    "stadt_leipzig": {
        "enquiries": re.compile(r"^anfragen_(\d{4}-\d{2})(?:_k(\d+))?\.csv$", re.IGNORECASE),
        "settlements": re.compile(r"^ansiedlungen_(\d{4}-\d{2})(?:_k(\d+))?\.csv$", re.IGNORECASE),
        "sites": re.compile(r"^gewerbeflaechen_(\d{4}-\d{2})(?:_k(\d+))?\.geojson$", re.IGNORECASE),
    },
    "lk_leipzig": {
        "workbook": re.compile(r"^wifoe_lkl_(\d{4}-\d{2})(?:_k(\d+))?\.xlsx$", re.IGNORECASE),
    },
    "irl": {
        "events": re.compile(r"^events_(\d{4}-\d{2}-\d{2})(?:_k(\d+))?\.jsonl$", re.IGNORECASE),
    },
}


def month_start(d: dt.date) -> dt.date:
    return d.replace(day=1)


def month_end(d: dt.date) -> dt.date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def add_months(d: dt.date, n: int) -> dt.date:
    idx = d.year * 12 + d.month - 1 + n
    return dt.date(idx // 12, idx % 12 + 1, 1)


def months_between(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


@dataclass
class DeliveredFile:
    partner: str
    kind: str
    period_key: str  # "2025-03" or "2025-03-02"
    correction: int
    path: Path
    sha256: str

    @property
    def month(self) -> dt.date:
        return dt.date.fromisoformat(self.period_key[:7] + "-01")

    @property
    def period_end(self) -> dt.date:
        if len(self.period_key) == 10:
            return dt.date.fromisoformat(self.period_key)
        return month_end(self.month)


def discover(inbox: Path) -> list[DeliveredFile]:
    """Every partner file in the inbox that stands: the highest correction of a period, and one
    copy of identical bytes (same partner, kind and period)."""
    found: list[DeliveredFile] = []
    for partner, kinds in PATTERNS.items():
        folder = inbox / partner
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if not path.is_file():
                continue
            for kind, pattern in kinds.items():
                m = pattern.match(path.name)
                if m:
                    sha = hashlib.sha256(path.read_bytes()).hexdigest()
                    found.append(DeliveredFile(partner, kind, m.group(1), int(m.group(2) or 0),
                                               path, sha))
                    break
    standing: dict[tuple[str, str, str], DeliveredFile] = {}
    for f in sorted(found, key=lambda f: (f.correction, f.path.name)):
        key = (f.partner, f.kind, f.period_key)
        prev = standing.get(key)
        if prev is None or f.correction > prev.correction:
            standing[key] = f
        elif f.correction == prev.correction and f.sha256 != prev.sha256:
            # two different files for the same period and version: should not happen; the later
            # name wins, deterministically
            standing[key] = f
    return sorted(standing.values(), key=lambda f: (f.partner, f.kind, f.period_key))


# ---------------------------------------------------------------------------------------------
# values

def text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = str(value).strip()
    return s or None


_GERMAN_NUMBER = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def german_number(value: object) -> Decimal | None:
    """`4.500.000,00` -> 4500000.00; numbers typed as numbers pass; unparseable -> None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    s = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not s:
        return None
    if _GERMAN_NUMBER.match(s):
        return Decimal(s.replace(".", "").replace(",", "."))
    return None


def json_number(value: object) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        s = value.strip()
        if _PLAIN_NUMBER.match(s):
            return Decimal(s)
        return german_number(s)
    return None


def german_date(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = str(value).strip()
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", s)
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    return None


def iso_date(value: object) -> dt.date | None:
    if value is None:
        return None
    s = str(value).strip()
    try:
        return dt.date.fromisoformat(s[:10]) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s[:10]) else None
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# CSV

def decode_bytes(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


@dataclass
class CsvRecord:
    line: int  # physical line where the record starts (header = 1)
    fields: list[str]
    unterminated: bool = False  # ended inside a quoted field at the end of the file


def tokenize_csv(content: str, delimiter: str = ";", quote: str = '"') -> list[CsvRecord]:
    records: list[CsvRecord] = []
    fields: list[str] = []
    buf: list[str] = []
    line = 1
    start_line = 1
    in_quotes = False
    quote_closed = False
    at_record_start = True
    i, n = 0, len(content)
    while i < n:
        c = content[i]
        if in_quotes:
            if c == quote:
                if i + 1 < n and content[i + 1] == quote:
                    buf.append(quote)
                    i += 2
                    continue
                in_quotes = False
                quote_closed = True
            else:
                if c == "\n":
                    line += 1
                buf.append(c)
            i += 1
            continue
        if c == quote and not buf and not quote_closed:
            in_quotes = True
            at_record_start = False
        elif c == delimiter:
            fields.append("".join(buf))
            buf, quote_closed, at_record_start = [], False, False
        elif c in "\r\n":
            if c == "\r" and i + 1 < n and content[i + 1] == "\n":
                i += 1
            if not (at_record_start and not fields and not buf):
                fields.append("".join(buf))
                records.append(CsvRecord(start_line, fields))
            line += 1
            fields, buf, quote_closed, at_record_start = [], [], False, True
            start_line = line
        else:
            buf.append(c)
            at_record_start = False
        i += 1
    if in_quotes:
        fields.append("".join(buf))
        records.append(CsvRecord(start_line, fields, unterminated=True))
    elif not at_record_start or fields or buf:
        fields.append("".join(buf))
        records.append(CsvRecord(start_line, fields))
    return records


@dataclass
class Table:
    """Rows of one file (or sheet): dicts keyed by header name; the rows that could not be read."""

    header: list[str]
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    unreadable: list[tuple[int, str]] = field(default_factory=list)
    missing: bool = False  # sheet missing


def read_csv(path: Path) -> Table:
    records = tokenize_csv(decode_bytes(path.read_bytes()))
    if not records:
        return Table(header=[])
    header = [h.strip() for h in records[0].fields]
    table = Table(header=header)
    for rec in records[1:]:
        if rec.unterminated:
            table.unreadable.append((rec.line, "truncated_line"))
        elif len(rec.fields) < len(header):
            if len(rec.fields) == 1 and not rec.fields[0].strip():
                continue  # an empty line
            table.unreadable.append((rec.line, "too_few_fields"))
        elif len(rec.fields) > len(header) and any(f.strip() for f in rec.fields[len(header):]):
            table.unreadable.append((rec.line, "too_many_fields"))
        else:
            table.rows.append((rec.line, {h: (v if v != "" else None)
                                          for h, v in zip(header, rec.fields)}))
    return table


# ---------------------------------------------------------------------------------------------
# XLSX

def read_workbook(path: Path, sheets: dict[str, str]) -> dict[str, Table]:
    """sheets: sheet name -> first header cell. Header row found by its first cell; empty rows and
    the `Summe` row are not records."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    out: dict[str, Table] = {}
    try:
        names = {n.strip().lower(): n for n in wb.sheetnames}
        for sheet, first in sheets.items():
            real = names.get(sheet.lower())
            if real is None:
                out[sheet] = Table(header=[], missing=True)
                continue
            ws = wb[real]
            header: list[str] | None = None
            table = Table(header=[])
            for rownum, values in enumerate(ws.iter_rows(values_only=True), start=1):
                values = list(values)
                if header is None:
                    if values and isinstance(values[0], str) and values[0].strip() == first:
                        header = [str(v).strip() if v is not None else "" for v in values]
                        while header and header[-1] == "":
                            header.pop()
                        table.header = header
                    continue
                cells = [v.strip() if isinstance(v, str) else v for v in values]
                cells = [None if v == "" else v for v in cells]
                if all(v is None for v in cells):
                    continue
                if isinstance(cells[0], str) and cells[0].lower() == "summe":
                    continue
                cells += [None] * (len(header) - len(cells))
                table.rows.append((rownum, {h: v for h, v in zip(header, cells) if h}))
            if header is None:
                table.missing = True
            out[sheet] = table
    finally:
        wb.close()
    return out


# ---------------------------------------------------------------------------------------------
# JSON Lines / GeoJSON

EVENT_TYPES = {"project.created", "project.updated", "project.status_changed", "site_visit.held",
               "project.won", "project.lost"}


def read_events(path: Path) -> tuple[list[tuple[int, dict]], list[tuple[int, str]]]:
    events: list[tuple[int, dict]] = []
    bad: list[tuple[int, str]] = []
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    for lineno, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            ev = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            bad.append((lineno, "invalid_json"))
            continue
        if not isinstance(ev, dict):
            bad.append((lineno, "invalid_json"))
            continue
        missing = [k for k in ("event_id", "event_type", "occurred_at", "project_id")
                   if ev.get(k) in (None, "")]
        if missing:
            bad.append((lineno, f"missing_{missing[0]}"))
            continue
        if ev["event_type"] not in EVENT_TYPES:
            bad.append((lineno, "unknown_event_type"))
            continue
        try:
            ts = dt.datetime.fromisoformat(str(ev["occurred_at"]))
        except ValueError:
            bad.append((lineno, "unparsed_occurred_at"))
            continue
        if ts.tzinfo is None:
            ts = ts.replace(tzinfo=dt.UTC)
        ev = dict(ev)
        ev["_ts"] = ts
        if not isinstance(ev.get("payload"), dict):
            ev["payload"] = {}
        events.append((lineno, ev))
    return events, bad


def read_geojson(path: Path) -> Table:
    doc = json.loads(decode_bytes(path.read_bytes()))
    feats = doc.get("features") or []
    header = sorted({k for f in feats for k in (f.get("properties") or {})})
    table = Table(header=header)
    for i, feat in enumerate(feats, start=1):
        props = dict(feat.get("properties") or {})
        props = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in props.items()}
        table.rows.append((i, props))
    return table
