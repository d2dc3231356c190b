"""What every format reader hands to the generic loader.

A reader turns one table of one delivered file into a stream of :class:`Record` s: where the
record starts (line, sheet row or feature number), its raw text (for the quarantine), and one
text value per contract column, written as the partner wrote it (numbers with the partner's
decimal mark, dates in the partner's format). Typing and checking happen in one place for all
formats (:mod:`regiopool.ingest.typing_sql`). A reader never logs a value.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

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
