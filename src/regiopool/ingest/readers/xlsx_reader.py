"""XLSX: openpyxl in read-only (streaming) mode, one sheet per raw table.

The header row is found by its first cell (the first declared column's source, or the table's
``header_first_cell``), not by its number: title rows above it are skipped. Below it, empty rows
and the totals row (first cell ``Summe``) are not records. Cells typed by hand are written back
as the partner would type them: a number cell in the sheet's notation (decimal comma), a date
cell in the contract's date format, text trimmed. ``row_number`` is the sheet row; the raw text
is the row's cells as a JSON array.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
from openpyxl.utils.datetime import from_excel

from regiopool.contracts import ColumnSpec, Delivery, TableSpec
from regiopool.ingest.readers.base import Record, TableRead, UnreadableFileError, text_of


def _norm(value: object) -> str:
    return " ".join(str(value).split()).casefold() if value is not None else ""


class XlsxReader:
    def __init__(self, path: Path, delivery: Delivery, encoding: str | None = None):
        self.path = path
        self.delivery = delivery
        self._wb = None

    def _open(self):
        try:
            return openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise UnreadableFileError(f"not a readable xlsx workbook ({type(exc).__name__})") from None

    def tables(self) -> list[TableRead]:
        self.close()
        self._wb = self._open()
        by_name = {_norm(n): n for n in self._wb.sheetnames}
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

    def _table(self, table: TableSpec, sheet_name: str | None) -> TableRead:
        if sheet_name is None:
            return TableRead(table, table.sheet, [], iter(()))
        rows = self._wb[sheet_name].iter_rows(values_only=True)
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
        cols = list(table.columns)
        total = _norm(self.delivery.xlsx.total_row_marker) if self.delivery.xlsx.total_row_marker else None
        n_header = len(header)

        def records() -> Iterator[Record]:
            nonlocal row_no
            for row in rows:
                row_no += 1
                if not row or all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                    continue
                if total and _norm(row[0]) == total:
                    continue
                cells = list(row[:n_header]) + [None] * max(0, n_header - len(row))
                values = [self._cell_text(cells[i], c) if i is not None else None
                          for i, c in zip(idx, cols)]
                while cells and cells[-1] is None:
                    cells.pop()
                raw = json.dumps([self._cell_text(v, None) for v in row[: max(len(cells), 1)]],
                                 ensure_ascii=False)
                yield Record(row_no, raw, values)

        return TableRead(table, sheet_name, [h for h in header if h], records())

    def close(self) -> None:
        if self._wb is not None:
            self._wb.close()
            self._wb = None
