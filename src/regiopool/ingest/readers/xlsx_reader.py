"""XLSX: one sheet per raw table, read with python-calamine (Rust), or with openpyxl in
read-only (streaming) mode where calamine would differ (decision ingest-0003).

calamine parses a whole sheet into memory, about ten times faster than openpyxl, and its cell
values are brought to openpyxl's (empty cell ``None``, a date cell a ``datetime``, a whole
number an ``int``), so both give the same records. openpyxl is used instead for a workbook that
holds error cells (``#N/A``: calamine reads them as empty, openpyxl as the error's text, which
becomes a finding or a set-aside reason) or with a sheet larger than ``CALAMINE_MAX_XML``
bytes of XML (memory stays bounded by streaming).

The header row is found by its first cell (the first declared column's source, or the table's
``header_first_cell``), not by its number: title rows above it are skipped. Below it, empty rows
and the totals row (first cell ``Summe``) are not records. Cells typed by hand are written back
as the partner would type them: a number cell in the sheet's notation (decimal comma), a date
cell in the contract's date format, text trimmed. ``row_number`` is the sheet row; the raw text
is the row's cells as a JSON array (dates as ``YYYY-MM-DD HH:MM:SS``).

Records are handed over column-wise (decision ingest-0004): ``CHUNK_ROWS`` sheet rows at a time
become one Arrow table, each sheet column converted as a whole (text trimmed in Arrow, number
cells written in Arrow, other distinct cells converted once), with the raw cells instead of a
raw text per row; DuckDB builds the raw text only for the rows that may be set aside
(:func:`regiopool.ingest.readers.base.raw_text_sql`). Both engines go through the same
conversion.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import zipfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import python_calamine

from regiopool.contracts import ColumnSpec, Delivery, TableSpec
from regiopool.ingest.readers.base import (
    UPPER_ESCAPED,
    Record,
    TableRead,
    UnreadableFileError,
    control_bytes,
    raw_cells,
    raw_text_of,
    text_of,
)

# A workbook with a sheet of more XML than this (uncompressed) is streamed with openpyxl:
# calamine holds one parsed sheet at a time in memory, about 1.7 times its XML (measured at
# --scale 1000: 638 MB peak for a 378 MB sheet of 458 000 rows). A sheet of Excel's
# 1 048 576 rows is well below this unless its cells are long texts.
CALAMINE_MAX_XML = 1 << 30
_ERROR_CELL = (b' t="e"', b" t='e'")  # the type attribute of an error cell
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
CHUNK_ROWS = 20_000  # records turned into Arrow columns at a time


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
        if max((i.file_size for i in sheets), default=0) > CALAMINE_MAX_XML:
            return "large"
        for info in sheets:
            with zf.open(info) as fh:
                tail = b""
                while chunk := fh.read(1 << 20):
                    edge = tail + chunk[:8]  # a marker across two chunks
                    if any(marker in chunk or marker in edge for marker in _ERROR_CELL):
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


def _calamine_rows(sheet) -> Iterator[list]:
    """The sheet's rows from row 1 and column A (calamine starts the columns at the first
    used one; the rows it pads from row 1 itself), cells as calamine gives them (see
    :func:`_calamine_value`)."""
    rows = sheet.iter_rows()
    if not sheet.start or not sheet.start[1]:
        return rows
    pad = [None] * sheet.start[1]
    return (pad + row for row in rows)


def _json(v: object) -> str:
    """A cell value (not text, not empty) as ``json.dumps`` writes it in a row's raw text."""
    t = type(v)
    if t is int:
        return str(v)
    if t is float and math.isfinite(v):
        return repr(v)
    if t is dt.datetime:
        return f'"{v}"'
    return json.dumps(v, ensure_ascii=False, default=str)


_TEXT_ONLY = {str}
_NULL_TEXT = pa.scalar(None, pa.string())
_MEMOS: dict[tuple, dict] = {}
_MISS = object()


def _memo(calamine: bool, convs: list) -> dict:
    """The converted cells (JSON, values) remembered for columns read with these converters
    (by what they depend on: engine, type, date format, decimal mark), across sheets and
    workbooks: the district's registers repeat their dates and amounts every month."""
    memo = _MEMOS.setdefault((calamine, *(c.key for c in convs)), {})
    if len(memo) > 20_000:  # bounded (a few MB)
        memo.clear()
    return memo


def _column(cells: Sequence, calamine: bool, convs: list[Callable[[object], str | None]],
            dates: bool, decimal: str) -> tuple[pa.Array, pa.Array, list[pa.Array]]:
    """One sheet column of a chunk: its text cells (``_r``; ``None``: not text, or empty),
    its other cells as JSON (``_x``) and, for each converter, the values as the partner's text.
    Text cells are trimmed in Arrow; every other distinct value is converted once."""
    n = len(cells)
    kinds = set(map(type, cells))
    if kinds <= _TEXT_ONLY or (not calamine and kinds <= {str, type(None)} and "" not in cells):
        texts = pa.array(cells, pa.string())
        others = pa.nulls(n, pa.string())
        fixed: list | None = None
        nums = None
    else:
        def other(v: object) -> tuple:
            """(JSON, values) of a cell that is not kept as text."""
            w = _calamine_value(v) if calamine else v
            return ((None if w is None else '""' if w == "" else _json(w)),
                    [conv(w) for conv in convs])

        texts = pa.array([v if type(v) is str and (v or calamine) else None
                          for v in cells], pa.string())
        nums = None
        if not calamine:  # the slow engine: openpyxl gives "" (a text) and None apart
            fixed = [None if type(v) is str and v else other(v) for v in cells]
        else:
            skip: tuple = (str,)
            if not dates and float in kinds:
                # number cells, in Arrow: the same text as Python's repr/text_of (see _floats)
                nums = _floats(pa.array([v if type(v) is float else None
                                         for v in cells], pa.float64()), decimal)
                skip = (str, float)
            if kinds.difference(skip):
                memo = _memo(calamine, convs)
                get = memo.get
                # remembered by value; not a bool, which equals 1 and 0 (and 1.0, 0.0)
                fixed = [None if type(v) in skip else _MISS if type(v) is bool
                         else get(v, _MISS) for v in cells]
                for k in [k for k, f in enumerate(fixed) if f is _MISS]:
                    v = cells[k]
                    fixed[k] = found = other(v)
                    if type(v) is not bool:
                        memo[v] = found
            else:
                fixed = None
        others = pa.array([f[0] if f else None for f in fixed], pa.string()) \
            if fixed is not None else pa.nulls(n, pa.string())
        if nums is not None:
            others = pc.coalesce(nums[0], others)
    if calamine:  # "" is an empty cell (openpyxl: None)
        texts = pc.if_else(pc.equal(texts, ""), _NULL_TEXT, texts)
    if control_bytes(texts) and pc.any(
            hit := pc.fill_null(pc.match_substring_regex(texts, UPPER_ESCAPED), False)).as_py():
        # these text cells go to ``_x``, written by Python's json (see raw_text_sql)
        marks = hit.to_pylist()
        others = pa.array([json.dumps(cells[k], ensure_ascii=False) if h else x
                           for k, (h, x) in enumerate(zip(marks, others.to_pylist()))],
                          pa.string())
        texts = pc.if_else(hit, _NULL_TEXT, texts)
        fixed = [(None, [conv(cells[k]) for conv in convs]) if h else
                 (fixed[k] if fixed is not None else None) for k, h in enumerate(marks)]
    trimmed = pc.utf8_trim_whitespace(texts)  # = str.strip() (checked for all of Unicode)
    if nums is not None:
        trimmed = pc.coalesce(trimmed, nums[1])
    if fixed is None:
        return texts, others, [trimmed] * len(convs)
    values = [pc.coalesce(trimmed, pa.array([f[1][c] if f else None for f in fixed],
                                            pa.string()))
              for c in range(len(convs))]
    return texts, others, values


def _floats(nums: pa.Array, decimal: str) -> tuple[pa.Array, pa.Array]:
    """Number cells (calamine: floats; not in a date column) as JSON (``repr``; a whole
    number below 1e15 as an integer, as openpyxl reads it) and as the partner's text
    (``text_of``: the sheet's decimal mark), computed in Arrow. Arrow writes the same shortest
    round-trip digits as ``repr`` but switches to an exponent at other magnitudes, so Arrow's
    text is taken where both write plain digits (from 1e-4 to below 1e16; checked against
    ``repr`` for 1.2 M random numbers) and Python writes the others (few, if any)."""
    size = pc.abs(nums)
    whole = pc.and_(pc.less(size, 1e15), pc.equal(pc.floor(nums), nums))
    ints = pc.cast(pc.cast(pc.if_else(whole, nums, pa.scalar(None, pa.float64())), pa.int64()),
                   pa.string())
    text = pc.cast(nums, pa.string())
    plain = pc.and_(pc.and_(pc.invert(whole), pc.greater_equal(size, 1e-4)),
                    pc.and_(pc.less(size, 1e16), pc.invert(pc.match_substring(text, "e"))))
    plain_text = pc.if_else(plain, text, pa.scalar(None, pa.string()))
    as_json = pc.coalesce(ints, plain_text)
    as_text = pc.coalesce(ints, pc.replace_substring(plain_text, ".", decimal)
                          if decimal != "." else plain_text)
    rest = pc.and_(pc.is_valid(nums), pc.is_null(as_json))
    if pc.any(rest).as_py():
        marks, values = rest.to_pylist(), nums.to_pylist()
        as_json = pc.coalesce(as_json, pa.array([_json(v) if m else None
                                                 for m, v in zip(marks, values)], pa.string()))
        as_text = pc.coalesce(as_text, pa.array([text_of(v, decimal) if m else None
                                                 for m, v in zip(marks, values)], pa.string()))
    return as_json, as_text


def _columns(chunk: list, numbers: list[int], idx: list[int | None],
             convs: list[Callable[[object], str | None]], dates: list[bool], decimal: str,
             calamine: bool) -> pa.Table:
    """A chunk of records (sheet rows, from column A) as one Arrow table: row numbers, the
    contract columns' values as the partner's text (``v<i>``) and the raw cells (``_r<j>``,
    ``_x<j>``); the raw text itself is built later, for the rows that need it only."""
    n = len(chunk)
    width = max(map(len, chunk))
    if min(map(len, chunk)) != width:
        chunk = [tuple(r) + (None,) * (width - len(r)) for r in chunk]
    texts: list[pa.Array] = []
    others: list[pa.Array] = []
    values: list[pa.Array | None] = [None] * len(idx)
    for j, cells in enumerate(zip(*chunk)):
        used = [i for i, k in enumerate(idx) if k == j]
        t, x, vals = _column(cells, calamine, [convs[i] for i in used],
                             any(dates[i] for i in used), decimal)
        texts.append(t)
        others.append(x)
        for i, v in zip(used, vals):
            values[i] = v
    arrays = [pa.array(numbers, pa.int32()), pa.nulls(n, pa.string()), pa.nulls(n, pa.string()),
              *(v if v is not None else pa.nulls(n, pa.string()) for v in values),
              *texts, *others]
    names = (["_row_number", "_raw_text", "_reason"] + [f"v{i}" for i in range(len(values))]
             + [f"_r{j}" for j in range(width)] + [f"_x{j}" for j in range(width)])
    return pa.Table.from_arrays(arrays, names=names)


def records_of(batches: Iterator[pa.Table]) -> Iterator[Record]:
    """The same records one by one, with their raw text (for tests and comparisons)."""
    for batch in batches:
        width = raw_cells(batch.column_names)
        rows = batch.to_pylist()
        n_values = sum(1 for c in batch.column_names if c.startswith("v"))
        for r in rows:
            raw = raw_text_of([r[f"_r{j}"] for j in range(width)],
                              [r[f"_x{j}"] for j in range(width)])
            yield Record(r["_row_number"], raw, [r[f"v{i}"] for i in range(n_values)])


def _norm(value: object) -> str:
    return " ".join(str(value).split()).casefold() if value is not None else ""


# what opening or parsing a workbook raises when the file is not a readable workbook
_UNREADABLE = (zipfile.BadZipFile, python_calamine.CalamineError, KeyError, OSError, ValueError)


@dataclass
class _Parsed:
    """A workbook opened and its sheets parsed by calamine ahead of its reading."""
    wb: object
    names: list[str]
    sheets: dict[str, object] = field(default_factory=dict)


def _parse_ahead(path: Path, sheets: list[str]) -> _Parsed | None:
    """Open the workbook and parse the named sheets (``None``: the workbook goes to openpyxl)."""
    if openpyxl_reason(path):
        return None
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        names = list(wb.sheet_names)
        by_name = {_norm(n): n for n in names}
        parsed = _Parsed(wb, names)
        for sheet in sheets:
            name = by_name.get(_norm(sheet))
            if name is not None:
                parsed.sheets[name] = wb.get_sheet_by_name(name)
    except BaseException:
        wb.close()
        raise
    return parsed


def _stamp(path: Path) -> tuple:
    """The file as it is now (as in ingest-0005: a rewrite moves the change time)."""
    st = path.stat()
    return (str(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


class WorkbookPrefetch:
    """Workbooks parsed by calamine in a background thread while the current file is
    converted, judged and written: calamine's parse releases the GIL, and so does DuckDB while
    it runs (at --scale 1000 a register sheet takes ~6 s to parse, a third of its workbook's
    ingestion). The loader asks for the next file while the current one loads, so at most two
    are held (``KEEP``). A parsed workbook is used only by a reader of the same file (same path,
    size, modification and change time, inode); a prefetch that failed is dropped, and the
    reader then opens the file itself and reports what is wrong with it as usual. Off with
    ``REGIOPOOL_XLSX_PREFETCH=0``."""

    KEEP = 2

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._ahead: dict[tuple, Future] = {}

    @staticmethod
    def enabled() -> bool:
        return os.environ.get("REGIOPOOL_XLSX_PREFETCH", "1") not in ("", "0")

    def start(self, path: Path, delivery: Delivery) -> None:
        """Parse this workbook ahead (the oldest one not taken is dropped beyond ``KEEP``)."""
        if not self.enabled():
            return
        stamp = _stamp(path)
        if stamp in self._ahead:
            return
        while len(self._ahead) >= self.KEEP:
            _close_parsed(self._ahead.pop(next(iter(self._ahead))))
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="xlsx-prefetch")
        self._ahead[stamp] = self._pool.submit(
            _parse_ahead, path, [t.sheet for t in delivery.tables])

    def take(self, path: Path) -> _Parsed | None:
        """The parsed workbook if this file was parsed ahead (waits for the parse), else
        ``None``."""
        if not self._ahead:
            return None
        try:
            future = self._ahead.pop(_stamp(path), None)
        except OSError:
            return None
        if future is None:
            return None
        try:
            return future.result()
        except _UNREADABLE:  # the reader opens the file itself and reports it
            return None

    def discard(self) -> None:
        """Drop every workbook parsed ahead and not taken."""
        for future in self._ahead.values():
            _close_parsed(future)
        self._ahead.clear()


def _close_parsed(future: Future) -> None:
    """Close the workbook of a prefetch nobody takes (once its parse has ended)."""
    def close(f: Future) -> None:
        if not f.cancelled() and f.exception() is None and f.result() is not None:
            f.result().wb.close()
    if not future.cancel():
        future.add_done_callback(close)


PREFETCH = WorkbookPrefetch()


class XlsxReader:
    def __init__(self, path: Path, delivery: Delivery, encoding: str | None = None,
                 engine: str | None = None):
        self.path = path
        self.delivery = delivery
        self.engine = engine  # "calamine" or "openpyxl"; None: chosen per workbook
        self._wb = None
        self._parsed: dict[str, object] = {}
        self.parsed_ahead = False  # whether the sheets came from WorkbookPrefetch

    def _open(self) -> tuple[str, object, list[str]]:
        ahead = PREFETCH.take(self.path) if self.engine is None else None
        self.parsed_ahead = ahead is not None
        if ahead is not None:
            self._parsed = dict(ahead.sheets)
            return "calamine", ahead.wb, ahead.names
        try:
            engine = self.engine or ("openpyxl" if openpyxl_reason(self.path) else "calamine")
            if engine == "calamine":
                wb = python_calamine.CalamineWorkbook.from_path(str(self.path))
                return engine, wb, list(wb.sheet_names)
            import openpyxl

            wb = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
            return engine, wb, list(wb.sheetnames)
        except _UNREADABLE as exc:
            raise UnreadableFileError(f"not a readable xlsx workbook ({type(exc).__name__})") from None

    def _rows(self, sheet_name: str) -> Iterator[tuple]:
        if self._engine == "openpyxl":
            return self._wb[sheet_name].iter_rows(values_only=True)
        try:
            sheet = self._parsed.pop(sheet_name, None)
            return _calamine_rows(sheet if sheet is not None
                                  else self._wb.get_sheet_by_name(sheet_name))
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

            date_text.key = ("date", col.date_format or self.delivery.date_format,
                             self.delivery.xlsx.decimal)
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

        text.key = ("text", self.delivery.xlsx.decimal)
        return text

    def _table(self, table: TableSpec, sheet_name: str | None) -> TableRead:
        if sheet_name is None:
            return TableRead(table, table.sheet, [], iter(()))
        calamine = self._engine == "calamine"
        norm = _calamine_value if calamine else (lambda v: v)
        rows: Iterator = iter(self._rows(sheet_name))
        first = _norm(table.header_first_cell or table.columns[0].source)
        header: list[str] | None = None
        row_no = 0
        for row in rows:
            row_no += 1
            if row and _norm(norm(row[0])) == first:
                header = [" ".join(str(h).split()) if h is not None else ""
                          for h in map(norm, row)]
                break
        if header is None:
            return TableRead(table, sheet_name, [], iter(()))
        pos: dict[str, int] = {}
        for i, h in enumerate(header):
            if h:
                pos.setdefault(h, i)
        idx = [pos.get(c.source) for c in table.columns]
        convs = [self._converter(c) for c in table.columns]
        dates = [c.type == "date" for c in table.columns]
        decimal = self.delivery.xlsx.decimal
        total = _norm(self.delivery.xlsx.total_row_marker) if self.delivery.xlsx.total_row_marker else None

        def batches() -> Iterator[pa.Table]:
            """The records, CHUNK_ROWS at a time, as Arrow columns (see :class:`TableRead`)."""
            nonlocal row_no
            chunk: list = []
            numbers: list[int] = []
            for row in rows:
                row_no += 1
                if not row:
                    continue
                head = row[0]
                if not (type(head) is str and head.strip()) and all(
                        v is None or (isinstance(v, str) and not v.strip()) for v in row):
                    continue  # an empty row
                if total and type(head) is str and head.lstrip()[:1].casefold()[:1] == \
                        total[:1] and _norm(head) == total:
                    continue  # the totals row
                chunk.append(row)
                numbers.append(row_no)
                if len(chunk) >= CHUNK_ROWS:
                    yield _columns(chunk, numbers, idx, convs, dates, decimal, calamine)
                    chunk, numbers = [], []
            if chunk:
                yield _columns(chunk, numbers, idx, convs, dates, decimal, calamine)

        read = TableRead(table, sheet_name, [h for h in header if h])
        read.batches = batches()
        read.records = records_of(read.batches)
        return read

    def close(self) -> None:
        self._parsed = {}
        if self._wb is not None:
            self._wb.close()
            self._wb = None
