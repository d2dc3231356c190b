"""What every format reader hands to the generic loader.

A reader turns one table of one delivered file into a stream of :class:`Record` s: where the
record starts (line, sheet row or feature number), its raw text (for the quarantine), and one
text value per contract column, written as the partner wrote it (numbers with the partner's
decimal mark, dates in the partner's format). Typing and checking happen in one place for all
formats (:mod:`regiopool.ingest.typing_sql`). A reader never logs a value.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import pyarrow as pa
import pyarrow.compute as pc

from regiopool.contracts import TableSpec


class UnreadableFileError(Exception):
    """The file as a whole cannot be read (not a workbook, not JSON, ...)."""


@dataclass(slots=True)
class Record:
    row_number: int
    raw_text: str
    values: list[str | None]  # aligned with TableSpec.raw_columns
    reason: str | None = None  # set by the reader when the record cannot be read at all


@dataclass
class TableRead:
    """One table of one file: its columns as found and its records."""

    table: TableSpec
    sheet: str | None = None
    # Source names found in the file (header, property or key names). ``None`` until known:
    # for JSON Lines the keys are only known after all records were read.
    found: list[str] | None = None
    records: Iterator[Record] = field(default_factory=lambda: iter(()))
    # A column-wise reader (XLSX, GeoJSON) hands its records over as Arrow batches instead
    # (the loader takes these when set; ``records`` then yields the same records one by one, for
    # tests): ``_row_number``, ``_raw_text`` (NULL: built in DuckDB from the raw cells ``_r<j>``
    # and ``_x<j>`` for the rows set aside, see :func:`raw_text_sql`; with ``_p<j>``, the text
    # between a JSON object's members, :func:`object_raw_text_sql`), ``_reason``, ``v0..vN``.
    batches: Iterator[pa.Table] | None = None

    def drift(self) -> tuple[list[str], list[str], list[str]]:
        """(missing required columns, missing optional columns, added columns)."""
        found = set(self.found or [])
        declared = {c.source for c in self.table.columns}
        missing = [c.source for c in self.table.columns if c.source not in found and not c.optional]
        missing_opt = [c.source for c in self.table.columns if c.source not in found and c.optional]
        added = [f for f in (self.found or []) if f not in declared]
        return missing, missing_opt, added


class FileReader(Protocol):
    def tables(self) -> list[TableRead]:
        """One TableRead per table of the delivery, in contract order. May be called again
        to read the file a second time."""

    def close(self) -> None: ...


def text_of(value: object, decimal: str = ".") -> str | None:
    """A JSON or cell value as text in the partner's notation (never logged)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        text = format(value, "f").rstrip("0") if "e" in repr(value) else repr(value)
        return text.replace(".", decimal) if decimal != "." else text
    if isinstance(value, str):
        return value
    if isinstance(value, (dt.date, dt.time)):  # datetime included
        return value.isoformat()
    if isinstance(value, dt.timedelta):  # a duration-formatted cell (`[h]:mm`)
        return str(value)
    if isinstance(value, (list, dict)):
        import json

        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


# ----------------------------------------------------------------------------- raw cells
# A column-wise reader (XLSX) does not build each record's raw text: it hands over the raw cells
# as two text columns per sheet column ``j``: ``_r<j>`` a text cell as it is (``""``: empty),
# ``_x<j>`` any other cell already as JSON (a number ``1.5``, a date ``"2025-03-04 00:00:00"``).
# The raw text, the row's cells as a JSON array without its trailing empty cells (at least one),
# is built only for the rows that need it: in DuckDB (:func:`raw_text_sql`), or in Python
# (:func:`raw_text_of`, the same text).

RAW_CELL = re.compile(r"_r(\d+)")


def raw_cells(names: Iterable[str]) -> int:
    """How many sheet columns of raw cells (``_r<j>``) these batch columns hold."""
    return max((int(m.group(1)) + 1 for n in names if (m := RAW_CELL.fullmatch(n))), default=0)


def raw_layout(names: Iterable[str]) -> tuple[int, bool]:
    """How many raw cells (``_r<j>``/``_x<j>``) these batch columns hold, and whether they are
    a JSON object's members with the literal text between them (``_p<j>``, GeoJSON features;
    see :func:`object_raw_text_sql`) rather than a sheet row's cells."""
    names = list(names)
    return raw_cells(names), "_p0" in names


def object_raw_text_sql(width: int, raw: str = "_raw_text") -> str:
    """SQL: the raw text of a feature, ``json.dumps(feature, ensure_ascii=False)``: Python's
    (``_raw_text``) where the reader wrote it, else the literal texts ``_p0 .. _p<width>`` with
    the members' raw cells between them (a text ``_r<j>`` as DuckDB's ``to_json`` writes it, any
    other value ``_x<j>`` as Python's ``json`` did). ``concat`` skips NULLs: the columns of a
    wider file's features are NULL for the features of a narrower one."""
    parts = ["_p0"]
    for j in range(width):
        parts += [f"coalesce(_x{j}, to_json(_r{j})::VARCHAR)", f"_p{j + 1}"]
    return f"coalesce({raw}, concat({', '.join(parts)}))"


def raw_text_sql(width: int) -> str:
    """SQL: the raw text of a row from its raw cells ``_r0/_x0 .. _r<width-1>/_x<width-1>``,
    the same text as ``json.dumps(cells, ensure_ascii=False, default=str)`` of the row without
    its trailing empty cells. DuckDB's ``to_json`` escapes as Python's ``json`` does, except
    that it writes the control characters U+000B, U+000E..U+001F as ``\\u001B`` (Python:
    ``\\u001b``): the readers put text cells holding them into ``_x`` (see
    :data:`UPPER_ESCAPED`)."""
    cells = [f"coalesce(_x{j}, to_json(nullif(_r{j}, ''))::VARCHAR, 'null')"
             for j in range(width)]
    return ("regexp_replace('[' || concat_ws(', ', " + ", ".join(cells)
            + r") || ']', '(, null)+\]$', ']')")


UPPER_ESCAPED = r"[\x0b\x0e-\x1f]"  # (RE2) text cells whose JSON DuckDB would write otherwise


def control_bytes(texts: pa.Array) -> bool:
    """Whether these texts may hold a control character (a byte below 0x20): a quick look at
    their bytes, before the exact (slower) match."""
    data = texts.buffers()[2]
    if data is None or not data.size:
        return False
    low = pc.min(pa.Array.from_buffers(pa.uint8(), data.size, [None, data])).as_py()
    return low is not None and low < 0x20


def raw_text_of(texts: Sequence[str | None], others: Sequence[str | None]) -> str:
    """Python: what :func:`raw_text_sql` gives for one row's raw cells."""
    cells = [x if x is not None else json.dumps(r, ensure_ascii=False) if r else "null"
             for r, x in zip(texts, others)]
    end = len(cells)
    while end > 1 and cells[end - 1] == "null":
        end -= 1
    return "[" + ", ".join(cells[:end]) + "]"
