"""GeoJSON FeatureCollection: the files are small (a few hundred sites), read with ``json``.

One record per feature (``row_number`` = feature number, 1-based); values from the feature's
``properties``; the geometry is kept as GeoJSON text (``NULL`` where the site is not
digitised). Property names found in any feature are the file's columns.

The loader gets the records column-wise (``TableRead.batches``, decision ingest-0004): each
property as one Arrow string column (the partner's text, as :func:`text_of` writes it; numbers
written in Arrow), and no raw text per feature. The raw text (``json.dumps(feature,
ensure_ascii=False)``) is built in DuckDB for the rows set aside only, from the feature's
members as raw cells (``_r<j>`` a text as it is, ``_x<j>`` any other value as JSON) and the
literal text between them (``_p<j>``: ``{"type": ``, ``, "properties": {"flaechen_id": ``,
...), the same for every feature of the file's first shape (members and properties in the same
order). A feature of another shape, and one that is not a feature, gets its raw text from
Python (``_raw_text``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from regiopool.contracts import Delivery
from regiopool.ingest.readers.base import (
    UPPER_ESCAPED,
    Record,
    TableRead,
    UnreadableFileError,
    control_bytes,
    text_of,
)

try:
    from json.encoder import c_make_encoder
except ImportError:  # pragma: no cover (CPython has it)
    c_make_encoder = None

if c_make_encoder is not None:
    # json.dumps(value, ensure_ascii=False) of a parsed document (no cycles, nothing that is
    # not JSON), without building an encoder per call (a third less time per geometry)
    _encode = c_make_encoder(None, json.JSONEncoder().default, json.encoder.encode_basestring,
                             None, ": ", ", ", False, False, True)

    def _dumps(value: object) -> str:
        return "".join(_encode(value, 0))
else:  # pragma: no cover
    _dumps = json.JSONEncoder(ensure_ascii=False).encode
_NULL_TEXT = pa.scalar(None, pa.string())
_NULL_JSON = pa.scalar("null", pa.string())
NoneType = type(None)


def _floats(nums: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Floats as JSON (``repr``) and as the partner's text (:func:`text_of`), in Arrow: a whole
    number below 1e15 as an integer (JSON: with ``.0``); Arrow writes the same shortest
    round-trip digits as ``repr`` (see ``xlsx_reader._floats``) and is taken where both write
    plain digits (from 1e-4 to below 1e16); Python writes the others (zero, NaN, ...)."""
    size = pc.abs(nums)
    whole = pc.and_(pc.less(size, 1e15), pc.equal(pc.floor(nums), nums))
    ints = pc.cast(pc.cast(pc.if_else(whole, nums, pa.scalar(None, pa.float64())), pa.int64()),
                   pa.string())
    text = pc.cast(nums, pa.string())
    plain = pc.and_(pc.and_(pc.invert(pc.equal(pc.floor(nums), nums)),
                            pc.greater_equal(size, 1e-4)),
                    pc.and_(pc.less(size, 1e16), pc.invert(pc.match_substring(text, "e"))))
    plain_text = pc.if_else(plain, text, _NULL_TEXT)
    as_text = pc.coalesce(ints, plain_text)
    as_json = pc.coalesce(
        pc.binary_join_element_wise(
            pc.if_else(pc.not_equal(nums, 0.0), ints, _NULL_TEXT), ".0", ""),
        plain_text)
    rest_json = pc.and_(pc.is_valid(nums), pc.is_null(as_json))
    rest_text = pc.and_(pc.is_valid(nums), pc.is_null(as_text))
    if pc.any(pc.or_(rest_json, rest_text)).as_py():
        values = nums.to_pylist()
        as_json = pc.coalesce(as_json, pa.array(
            [_dumps(v) if r else None for r, v in zip(rest_json.to_pylist(), values)],
            pa.string()))
        as_text = pc.coalesce(as_text, pa.array(
            [text_of(v) if r else None for r, v in zip(rest_text.to_pylist(), values)],
            pa.string()))
    return as_json, as_text


def _cells(values: Sequence) -> tuple[pa.Array, pa.Array, pa.Array]:
    """One member of the features (a property, ``type``, ...), column-wise: its texts as they
    are (``_r``), its other values as JSON (``_x``; ``None`` as ``null``) and every value as
    the partner's text (:func:`text_of`)."""
    kinds = set(map(type, values))
    n = len(values)
    if kinds <= {str, NoneType}:
        texts = pa.array(values, pa.string())
        others = pc.if_else(pc.is_null(texts), _NULL_JSON, _NULL_TEXT)
        as_text = texts
    elif kinds <= {float, NoneType}:
        nums = pa.array(values, pa.float64())
        as_json, as_text = _floats(nums)
        others = pc.coalesce(as_json, _NULL_JSON)
        texts = pa.nulls(n, pa.string())
    else:
        texts = pa.array([v if type(v) is str else None for v in values], pa.string())
        parts_json, parts_text = [], [texts]
        if float in kinds:
            as_json, f_text = _floats(pa.array([v if type(v) is float else None
                                                for v in values], pa.float64()))
            parts_json.append(as_json)
            parts_text.append(f_text)
        memo: dict = {}
        rest_json, rest_text = [], []
        for v in values:
            t = type(v)
            if t is str or t is float:
                rest_json.append(None)
                rest_text.append(None)
                continue
            key = (t, v) if t in (int, bool, NoneType) else None
            found = memo.get(key) if key is not None else None
            if found is None:
                found = (_dumps(v), text_of(v))
                if key is not None:
                    memo[key] = found
            rest_json.append(found[0])
            rest_text.append(found[1])
        parts_json.append(pa.array(rest_json, pa.string()))
        parts_text.append(pa.array(rest_text, pa.string()))
        others = pc.coalesce(*parts_json)
        as_text = pc.coalesce(*parts_text)
    if str in kinds and control_bytes(texts) and pc.any(
            hit := pc.fill_null(pc.match_substring_regex(texts, UPPER_ESCAPED), False)).as_py():
        # DuckDB's to_json would write these otherwise (see base.raw_text_sql): Python's json
        marks = hit.to_pylist()
        others = pc.coalesce(others, pa.array(
            [_dumps(v) if m else None for m, v in zip(marks, values)], pa.string()))
        texts = pc.if_else(hit, _NULL_TEXT, texts)
    return texts, others, as_text


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
            """The records one by one, each with its raw text (for tests and comparisons:
            the loader takes :func:`batches`, the same records column-wise)."""
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

        def batches() -> Iterator[pa.Table]:
            yield _columns(features, sources, with_geometry)

        read = TableRead(table, None, found, records())
        read.batches = batches()
        return [read]

    def close(self) -> None:
        pass


def _columns(features: list, sources: list[str], with_geometry: bool) -> pa.Table:
    """All features of a file as one Arrow table (see the module's docstring)."""
    n = len(features)
    raw: list[str | None] = [None] * n
    reasons: list[str | None] = [None] * n
    feats: list[dict] = []  # the features (dicts with properties), in order
    props: list[dict] = []
    at: list[int] = []  # their positions in ``features``
    fkeys = pkeys = None
    for k, f in enumerate(features):
        p = f.get("properties") if isinstance(f, dict) else None
        if not isinstance(p, dict):
            raw[k] = _dumps(f)
            reasons[k] = "invalid_feature"
            continue
        if fkeys is None:
            fkeys, pkeys = tuple(f), tuple(p)
        elif tuple(f) != fkeys or tuple(p) != pkeys:
            raw[k] = _dumps(f)  # another shape: its raw text from Python
        feats.append(f)
        props.append(p)
        at.append(k)
    m = len(feats)
    full = m == n

    def spread(arr: pa.Array) -> pa.Array:
        """A column of the features with properties, as a column of all records."""
        if full:
            return arr
        idx = [None] * n
        for j, k in enumerate(at):
            idx[k] = j
        return arr.take(pa.array(idx, pa.int32()))

    columns: dict[str, pa.Array] = {}
    by_name: dict[str, tuple[pa.Array, pa.Array, pa.Array]] = {}
    if m and pkeys and not any(raw):  # every feature of the first shape: values in key order
        for s, vals in zip(pkeys, zip(*map(dict.values, props))):
            by_name[s] = _cells(vals)
    for s in dict.fromkeys([*(pkeys or ()), *sources]):
        if s not in by_name:
            by_name[s] = _cells([p.get(s) for p in props])
    values = [spread(by_name[s][2]) for s in sources]
    geo_json: pa.Array | None = None
    if with_geometry or (fkeys and "geometry" in fkeys):
        geoms = [f.get("geometry") for f in feats]
        dumped = [_dumps(g) for g in geoms]
        geo_json = pa.array(dumped, pa.string())
        if with_geometry:
            values.append(spread(pa.array([d if g else None for g, d in zip(geoms, dumped)],
                                          pa.string())))
    columns["_row_number"] = pa.array(range(1, n + 1), pa.int32())
    columns["_raw_text"] = pa.array(raw, pa.string())
    columns["_reason"] = pa.array(reasons, pa.string())
    for i, v in enumerate(values):
        columns[f"v{i}"] = v
    if fkeys is not None:
        # the raw cells of the first shape and the text between them
        pieces: list[str] = []
        texts: list[pa.Array] = []
        others: list[pa.Array] = []
        cur = "{"
        for i, key in enumerate(fkeys):
            cur += (", " if i else "") + _dumps(key) + ": "
            if key == "properties":
                cur += "{"
                for j, pk in enumerate(pkeys):
                    cur += (", " if j else "") + _dumps(pk) + ": "
                    pieces.append(cur)
                    cur = ""
                    texts.append(by_name[pk][0])
                    others.append(by_name[pk][1])
                cur += "}"
                continue
            pieces.append(cur)
            cur = ""
            if key == "geometry":
                texts.append(pa.nulls(m, pa.string()))
                others.append(geo_json)
            else:
                t, x, _ = _cells([f.get(key) for f in feats])
                texts.append(t)
                others.append(x)
        pieces.append(cur + "}")
        for j, (t, x) in enumerate(zip(texts, others)):
            columns[f"_r{j}"] = spread(t)
            columns[f"_x{j}"] = spread(x)
        for j, piece in enumerate(pieces):
            columns[f"_p{j}"] = pa.repeat(pa.scalar(piece, pa.string()), n)
    return pa.table(columns)

