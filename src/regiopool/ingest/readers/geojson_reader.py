"""GeoJSON FeatureCollection: the files are small (a few hundred sites), read with ``json``.

One record per feature (``row_number`` = feature number, 1-based); values from the feature's
``properties``; the geometry is kept as GeoJSON text (``NULL`` where the site is not
digitised). Property names found in any feature are the file's columns.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from regiopool.contracts import Delivery
from regiopool.ingest.readers.base import Record, TableRead, UnreadableFileError, text_of


class GeoJsonReader:
    def __init__(self, path: Path, delivery: Delivery, encoding: str):
        self.path = path
        self.delivery = delivery
        self.encoding = encoding
        self.crs: str | None = None

    def tables(self) -> list[TableRead]:
        table = self.delivery.tables[0]
        try:
            with self.path.open(encoding=self.encoding) as fh:
                doc = json.load(fh)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise UnreadableFileError(f"not valid JSON ({type(exc).__name__} at char "
                                      f"{getattr(exc, 'pos', '?')})") from None
        if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(
            doc.get("features"), list
        ):
            raise UnreadableFileError("not a GeoJSON FeatureCollection")
        crs = doc.get("crs")
        if isinstance(crs, dict):
            self.crs = str((crs.get("properties") or {}).get("name"))
        features = doc["features"]
        found: list[str] = []
        seen: set[str] = set()
        for f in features:
            props = f.get("properties") if isinstance(f, dict) else None
            if isinstance(props, dict):
                for k in props:
                    if k not in seen:
                        seen.add(k)
                        found.append(k)
        sources = [c.source for c in table.columns]
        with_geometry = table.geometry_column is not None

        def records() -> Iterator[Record]:
            for n, f in enumerate(features, start=1):
                raw = json.dumps(f, ensure_ascii=False)
                props = f.get("properties") if isinstance(f, dict) else None
                if not isinstance(props, dict):
                    width = len(sources) + with_geometry
                    yield Record(n, raw, [None] * width, "invalid_feature")
                    continue
                values = [text_of(props.get(s)) for s in sources]
                if with_geometry:
                    geom = f.get("geometry")
                    values.append(json.dumps(geom, ensure_ascii=False) if geom else None)
                yield Record(n, raw, values)

        return [TableRead(table, None, found, records())]

    def close(self) -> None:
        pass
