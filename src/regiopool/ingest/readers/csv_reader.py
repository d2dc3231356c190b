"""CSV: Python's C csv tokenizer over a decoded, streamed text file.

Columns are identified by header name. A record may span lines (quoted line breaks); its
``row_number`` is the line where it starts (header = line 1) and its raw text is exactly the
lines it consumed. The file's last record is ``truncated_line`` when it ends inside a quoted
field or has fewer fields than the header; fewer fields elsewhere is ``too_few_fields``; more fields than the
header is ``too_many_fields``. Blank lines are not records.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from regiopool.contracts import Delivery
from regiopool.ingest.readers.base import Record, TableRead


class CsvReader:
    def __init__(self, path: Path, delivery: Delivery, encoding: str):
        self.path = path
        self.delivery = delivery
        self.encoding = encoding
        self._fh: io.TextIOWrapper | None = None

    def tables(self) -> list[TableRead]:
        self.close()
        table = self.delivery.tables[0]
        # errors="replace": bytes undefined in cp1252 become U+FFFD instead of failing the file.
        self._fh = open(  # noqa: SIM115 (closed by close(); the records stream outlives this call)
            self.path, encoding=self.encoding, errors="replace", newline="")
        consumed: list[str] = []
        counter = [0]
        eof = [False]

        def lines() -> Iterator[str]:
            for line in self._fh:
                counter[0] += 1
                consumed.append(line)
                yield line
            eof[0] = True

        dialect = self.delivery.csv
        reader = csv.reader(lines(), delimiter=dialect.delimiter, quotechar=dialect.quote,
                            doublequote=True, strict=False)
        header: list[str] = []
        for row in reader:
            if any(cell.strip() for cell in row):
                header = [h.strip() for h in row]
                break
            consumed.clear()
        consumed.clear()
        found = [h for h in header if h]
        pos = {h: i for i, h in enumerate(header) if h}
        idx = [pos.get(c.source) for c in table.columns]
        n_header = len(header)
        quote = dialect.quote

        def records() -> Iterator[Record]:
            start = counter[0] + 1
            short: Record | None = None  # a record short of fields: truncated if it is the last
            for row in reader:
                raw = "".join(consumed)
                consumed.clear()
                line = start
                start = counter[0] + 1
                if not row or (len(row) == 1 and not row[0].strip() and raw.strip() == ""):
                    continue  # blank line
                if short is not None:
                    yield short
                    short = None
                if eof[0] and raw.count(quote) % 2:
                    yield Record(line, raw, [None] * len(idx), "truncated_line")  # in a quote
                elif len(row) < n_header:
                    short = Record(line, raw, [None] * len(idx), "too_few_fields")
                elif len(row) > n_header:
                    yield Record(line, raw, [None] * len(idx), "too_many_fields")
                else:
                    yield Record(line, raw, [row[i] if i is not None else None for i in idx])
            if short is not None:
                short.reason = "truncated_line"  # the file's last record, cut off
                yield short

        return [TableRead(table, None, found, records())]

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
