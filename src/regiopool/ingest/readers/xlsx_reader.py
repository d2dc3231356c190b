"""XLSX: one sheet per raw table, read with python-calamine (Rust), or with openpyxl in
read-only (streaming) mode where calamine would differ (decision ingest-0003).

calamine parses a whole sheet into memory, about ten times faster than openpyxl, and its cell
values are brought to openpyxl's (empty cell ``None``, a date cell a ``datetime``, a whole
number an ``int``), so both give the same records. openpyxl is used instead for a workbook that
holds error cells (``#N/A``: calamine reads them as empty, openpyxl as the error's text, which
becomes a finding or a set-aside reason) or whose sheets are larger than ``CALAMINE_MAX_XML``
bytes of XML (memory stays bounded by streaming).

The header row is found by its first cell (the first declared column's source, or the table's
``header_first_cell``), not by its number: title rows above it are skipped. Below it, empty rows
and the totals row (first cell ``Summe``) are not records. Cells typed by hand are written back
as the partner would type them: a number cell in the sheet's notation (decimal comma), a date
cell in the contract's date format, text trimmed. ``row_number`` is the sheet row; the raw text
is the row's cells as a JSON array (dates as ``YYYY-MM-DD HH:MM:SS``).
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import python_calamine

from regiopool.contracts import ColumnSpec, Delivery, TableSpec
from regiopool.ingest.readers.base import Record, TableRead, UnreadableFileError, text_of

# Sheets with more XML than this (uncompressed, all sheets) are streamed with openpyxl:
# calamine holds the parsed sheets in memory (measured: about their XML size).
CALAMINE_MAX_XML = 256 << 20
_ERROR_CELL = (b' t="e"', b" t='e'")  # the type attribute of an error cell
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def from_excel(value: float) -> dt.datetime | dt.time:
    """An Excel date serial (1900 date system) as openpyxl reads it: serials below 60 are
    shifted by Excel's phantom 29 February 1900, a fraction alone is a time of day."""
    day, fraction = divmod(value, 1)
    diff = dt.timedelta(milliseconds=round(fraction * 86_400_000))
    if 0 <= value < 1 and diff.days == 0:
        return (dt.datetime.min + diff).time()
    if 0 < value < 60:
        day += 1
    return _EXCEL_EPOCH + dt.timedelta(days=day) + diff


def openpyxl_reason(path: Path) -> str | None:
    """Why this workbook is read with openpyxl rather than calamine (``None``: calamine)."""
    with zipfile.ZipFile(path) as zf:
        sheets = [i for i in zf.infolist()
                  if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")]
        if sum(i.file_size for i in sheets) > CALAMINE_MAX_XML:
            return "large"
        for info in sheets:
            with zf.open(info) as fh:
                tail = b""
                while chunk := fh.read(1 << 20):
                    buf = tail + chunk
                    if any(marker in buf for marker in _ERROR_CELL):
                        return "error cells"
                    tail = chunk[-8:]
    return None


def _calamine_value(v: object) -> object:
    """A calamine cell value as openpyxl (read-only, values only) gives it."""
    t = type(v)
    if t is str:
        return v or None
    if t is float:
        return int(v) if v.is_integer() and -1e15 < v < 1e15 else v
    if t is dt.date:
        return dt.datetime(v.year, v.month, v.day)
    return v


def _calamine_rows(sheet) -> Iterator[tuple]:
    """The sheet's rows from row 1 and column A (calamine starts the columns at the first
    used one; the rows it pads from row 1 itself)."""
    pad = (None,) * (sheet.start[1] if sheet.start else 0)
    conv = _calamine_value
    for row in sheet.iter_rows():
        yield pad + tuple(map(conv, row))


def _norm(value: object) -> str:
    return " ".join(str(value).split()).casefold() if value is not None else ""


class XlsxReader:
    def __init__(self, path: Path, delivery: Delivery, encoding: str | None = None,
                 engine: str | None = None):
        self.path = path
        self.delivery = delivery
        self.engine = engine  # "calamine" or "openpyxl"; None: chosen per workbook
        self._wb = None

    def _open(self) -> tuple[str, object, list[str]]:
        try:
            engine = self.engine or ("openpyxl" if openpyxl_reason(self.path) else "calamine")
            if engine == "calamine":
                wb = python_calamine.CalamineWorkbook.from_path(str(self.path))
                return engine, wb, list(wb.sheet_names)
            import openpyxl

            wb = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
            return engine, wb, list(wb.sheetnames)
        except (zipfile.BadZipFile, python_calamine.CalamineError, KeyError, OSError,
                ValueError) as exc:
            raise UnreadableFileError(f"not a readable xlsx workbook ({type(exc).__name__})") from None

    def _rows(self, sheet_name: str) -> Iterator[tuple]:
        if self._engine == "openpyxl":
            return self._wb[sheet_name].iter_rows(values_only=True)
        try:
            return _calamine_rows(self._wb.get_sheet_by_name(sheet_name))
        except (python_calamine.CalamineError, ValueError) as exc:
            raise UnreadableFileError(f"sheet {sheet_name!r} is not readable "
                                      f"({type(exc).__name__})") from None

    def tables(self) -> list[TableRead]:
        self.close()
        self._engine, self._wb, names = self._open()
        by_name = {_norm(n): n for n in names}
        return [self._table(t, by_name.get(_norm(t.sheet))) for t in self.delivery.tables]

    def _cell_text(self, value: object, col: ColumnSpec | None) -> str | None:
        if value is None:
            return None
        fmt = (col.date_format if col else None) or self.delivery.date_format
        is_date = col is not None and col.type == "date"
        if is_date and isinstance(value, (int, float)) and not isinstance(value, bool) \
                and 1 < value < 100000:
            value = from_excel(value)  # an Excel date serial without date formatting
        if isinstance(value, (dt.datetime, dt.date)):
            if col is not None and col.type == "date":
                return value.strftime(fmt)
            return value.isoformat()
        if isinstance(value, dt.time):
            return value.isoformat()
        if isinstance(value, str):
            return value.strip()
        return text_of(value, self.delivery.xlsx.decimal)

    def _converter(self, col: ColumnSpec) -> Callable[[object], str | None]:
        """``_cell_text`` for one column, with the common cases first (and each date cell
        formatted once per sheet)."""
        cell_text = self._cell_text
        if col.type == "date":
            seen: dict[dt.datetime, str | None] = {}

            def date_text(v: object) -> str | None:
                t = type(v)
                if t is str:
                    return v.strip()
                if v is None:
                    return None
                if t is dt.datetime:
                    text = seen.get(v)
                    if text is None:
                        if len(seen) >= 10_000:
                            seen.clear()
                        text = seen[v] = cell_text(v, col)
                    return text
                return cell_text(v, col)

            return date_text

        def text(v: object) -> str | None:
            t = type(v)
            if t is str:
                return v.strip()
            if v is None:
                return None
            if t is int:
                return str(v)
            return cell_text(v, col)

        return text

    def _table(self, table: TableSpec, sheet_name: str | None) -> TableRead:
        if sheet_name is None:
            return TableRead(table, table.sheet, [], iter(()))
        rows: Iterable[tuple] = self._rows(sheet_name)
        first = _norm(table.header_first_cell or table.columns[0].source)
        header: list[str] | None = None
        row_no = 0
        for row in rows:
            row_no += 1
            if row and _norm(row[0]) == first:
                header = [" ".join(str(h).split()) if h is not None else "" for h in row]
                break
        if header is None:
            return TableRead(table, sheet_name, [], iter(()))
        pos: dict[str, int] = {}
        for i, h in enumerate(header):
            if h:
                pos.setdefault(h, i)
        idx = [pos.get(c.source) for c in table.columns]
        convs = [self._converter(c) for c in table.columns]
        total = _norm(self.delivery.xlsx.total_row_marker) if self.delivery.xlsx.total_row_marker else None

        def records() -> Iterator[Record]:
            nonlocal row_no
            for row in rows:
                row_no += 1
                if not row or all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                    continue
                if total and _norm(row[0]) == total:
                    continue
                width = len(row)
                values = [conv(row[i]) if i is not None and i < width else None
                          for i, conv in zip(idx, convs)]
                end = width
                while end > 1 and row[end - 1] is None:
                    end -= 1
                raw = json.dumps(row[:end], ensure_ascii=False, default=str)
                yield Record(row_no, raw, values)

        return TableRead(table, sheet_name, [h for h in header if h], records())

    def close(self) -> None:
        if self._wb is not None:
            self._wb.close()
            self._wb = None
