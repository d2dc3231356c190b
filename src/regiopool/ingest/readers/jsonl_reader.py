"""JSON Lines: one JSON object per line, iterated line by line (bounded memory).

``row_number`` is the line number. A line that is not a JSON object is ``invalid_json``
(``truncated_line`` when it is the file's last line and has no line end); blank lines are not
records. The file's columns are the keys seen in any valid line, known after reading it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from regiopool.contracts import Delivery
from regiopool.ingest.readers.base import Record, TableRead, text_of


class JsonlReader:
    def __init__(self, path: Path, delivery: Delivery, encoding: str):
        self.path = path
        self.delivery = delivery
        self.encoding = "utf-8-sig" if encoding in ("detect", "utf-8-sig") else encoding
        self._fh = None

    def tables(self) -> list[TableRead]:
        self.close()
        table = self.delivery.tables[0]
        self._fh = self.path.open("rb")
        sources = [c.source for c in table.columns]
        read = TableRead(table, None, None)
        keys: dict[str, None] = {}

        def records() -> Iterator[Record]:
            for n, line in enumerate(self._fh, start=1):
                if n == 1 and line.startswith(b"\xef\xbb\xbf"):
                    line = line[3:]
                text = line.decode(self.encoding, errors="replace")
                if not text.strip():
                    continue
                raw = text.rstrip("\r\n")
                try:
                    obj = json.loads(line)
                except ValueError:
                    obj = None
                if not isinstance(obj, dict):
                    reason = "truncated_line" if not line.endswith(b"\n") else "invalid_json"
                    yield Record(n, raw, [None] * len(sources), reason)
                    continue
                for k in obj:
                    if k not in keys:
                        keys[k] = None
                yield Record(n, raw, [text_of(obj.get(s)) for s in sources])
            read.found = list(keys)

        read.records = records()
        return [read]

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
