"""Partner contracts: load and validate ``partners/*.yml``.

A contract declares everything regiopool knows about one partner's deliveries (file patterns,
format, encoding, CSV dialect or sheet layout, and per raw table the mapping source column ->
raw column with type, parsing and checks). The generic loaders in :mod:`regiopool.ingest` read
nothing else: adding a partner means adding a YAML file (see ``partners/README.md``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]

COLUMN_TYPES = {"text", "integer", "decimal", "date", "timestamp", "boolean", "json"}
FORMATS = {"csv", "xlsx", "geojson", "jsonl"}
PERIODS = {"month", "day"}
SEMANTICS = {"delta", "snapshot", "events"}
ENCODINGS = {"detect", "utf-8", "utf-8-sig", "cp1252"}
PARTNER_ID = re.compile(r"^[a-z][a-z0-9_]*$")
DEFAULT_TRUE = ("true", "ja", "j", "yes", "1", "wahr", "x")
DEFAULT_FALSE = ("false", "nein", "n", "no", "0", "falsch")


class ContractError(ValueError):
    """A partner contract is malformed (names the file and the problem)."""


@dataclass(frozen=True)
class ColumnSpec:
    source: str
    name: str
    type: str = "text"
    required: bool = False
    unique_in_file: bool = False
    in_period: bool = False
    codelist: str | None = None
    accepted_values: tuple[str, ...] | None = None
    optional: bool = False
    personal: bool = False
    date_format: str | None = None
    true_values: tuple[str, ...] = DEFAULT_TRUE
    false_values: tuple[str, ...] = DEFAULT_FALSE


@dataclass(frozen=True)
class CheckSpec(ColumnSpec):
    """A value inside a ``json`` column that identifies or dates a row, checked like a column
    (``required``, ``in_period``, ``codelist``, ``accepted_values``: the same set-aside reasons,
    named by ``name``) for the rows whose ``when`` columns hold one of the listed values. It is
    no raw column: the JSON value is loaded whole. ``source`` is the key inside ``column``."""

    column: str = ""
    when: tuple[tuple[str, tuple[str, ...]], ...] = ()


TABLE_KEYS = {"table", "sheet", "header_first_cell", "geometry_column", "columns", "checks"}
CHECK_TYPES = {"text", "integer", "decimal", "date", "timestamp"}
CHECK_KEYS = {"column", "source", "name", "type", "required", "in_period", "codelist",
              "accepted_values", "date_format", "when"}


@dataclass(frozen=True)
class TableSpec:
    table: str
    columns: tuple[ColumnSpec, ...]
    checks: tuple[CheckSpec, ...] = ()  # values inside json columns, checked per row
    sheet: str | None = None  # xlsx: the sheet holding this table
    header_first_cell: str | None = None  # xlsx: first cell of the header row (default: 1st source)
    geometry_column: str | None = None  # geojson: raw column for the feature's geometry

    @property
    def unique_column(self) -> ColumnSpec | None:
        return next((c for c in self.columns if c.unique_in_file), None)

    @property
    def raw_columns(self) -> list[tuple[str, str]]:
        """(name, type) of the contract columns of the raw table, in order."""
        cols = [(c.name, c.type) for c in self.columns]
        if self.geometry_column:
            cols.append((self.geometry_column, "json_text"))
        return cols


@dataclass(frozen=True)
class CsvDialect:
    delimiter: str = ","
    quote: str = '"'
    decimal: str = "."
    thousands: str | None = None


@dataclass(frozen=True)
class XlsxOptions:
    decimal: str = ","
    thousands: str | None = "."
    total_row_marker: str | None = "Summe"


@dataclass(frozen=True)
class ApiSpec:
    connection_id: str
    path: str
    page_size: int = 500


@dataclass(frozen=True)
class Delivery:
    kind: str
    file_pattern: re.Pattern[str]
    period: str
    semantics: str
    format: str
    tables: tuple[TableSpec, ...]
    encoding: str = "detect"
    date_format: str = "%d.%m.%Y"
    csv: CsvDialect = field(default_factory=CsvDialect)
    xlsx: XlsxOptions = field(default_factory=XlsxOptions)
    api: ApiSpec | None = None

    @property
    def decimal(self) -> str:
        if self.format == "csv":
            return self.csv.decimal
        if self.format == "xlsx":
            return self.xlsx.decimal
        return "."

    @property
    def thousands(self) -> str | None:
        if self.format == "csv":
            return self.csv.thousands
        if self.format == "xlsx":
            return self.xlsx.thousands
        return None

    def match(self, file_name: str) -> re.Match[str] | None:
        return self.file_pattern.match(file_name)


@dataclass(frozen=True)
class PartnerContract:
    partner: str
    name: str
    deliveries: tuple[Delivery, ...]
    territory: str = ""
    deadline_working_days: int = 5
    schedule: str = "@daily"
    source_path: Path | None = None

    @property
    def schema(self) -> str:
        return f"raw_{self.partner}"

    @property
    def tables(self) -> list[TableSpec]:
        """Every raw table of this partner (a table may be fed by files and API alike)."""
        seen: dict[str, TableSpec] = {}
        for d in self.deliveries:
            for t in d.tables:
                seen.setdefault(t.table, t)
        return list(seen.values())

    def delivery_for(self, file_name: str) -> tuple[Delivery, re.Match[str]] | None:
        for d in self.deliveries:
            m = d.match(file_name)
            if m:
                return d, m
        return None

    @property
    def api_delivery(self) -> Delivery | None:
        return next((d for d in self.deliveries if d.api), None)


# --------------------------------------------------------------------------- parsing


def _fail(path: Path, msg: str) -> ContractError:
    return ContractError(f"{path.name}: {msg}")


def _as_tuple(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        value = [value]
    return tuple(str(v) for v in value)


def _column(path: Path, where: str, raw: dict[str, Any]) -> ColumnSpec:
    unknown = set(raw) - {f for f in ColumnSpec.__dataclass_fields__}
    if unknown:
        raise _fail(path, f"{where}: unknown column keys {sorted(unknown)}")
    for key in ("source", "name"):
        if not raw.get(key):
            raise _fail(path, f"{where}: column without '{key}'")
    ctype = raw.get("type", "text")
    if ctype not in COLUMN_TYPES:
        raise _fail(path, f"{where}: column {raw['name']!r} has unknown type {ctype!r}")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", raw["name"]):
        raise _fail(path, f"{where}: raw column name {raw['name']!r} is not snake_case")
    if raw.get("required") and raw.get("optional"):
        raise _fail(path, f"{where}: column {raw['name']!r} cannot be required and optional")
    if raw.get("in_period") and ctype != "date":
        raise _fail(path, f"{where}: in_period needs a date column ({raw['name']!r})")
    kwargs = dict(raw)
    kwargs["source"] = str(raw["source"])
    kwargs["accepted_values"] = _as_tuple(raw.get("accepted_values"))
    for key in ("true_values", "false_values"):
        if key in raw:
            kwargs[key] = tuple(str(v).lower() for v in _as_tuple(raw[key]) or ())
    return ColumnSpec(**kwargs)


def _check(path: Path, where: str, cols: tuple[ColumnSpec, ...], raw: Any) -> CheckSpec:
    if not isinstance(raw, dict):
        raise _fail(path, f"{where}: a check must be a mapping")
    unknown = set(raw) - CHECK_KEYS
    if unknown:
        raise _fail(path, f"{where}: unknown check keys {sorted(unknown)}")
    by_name = {c.name: c for c in cols}
    holder = by_name.get(raw.get("column"))
    if holder is None or holder.type != "json":
        raise _fail(path, f"{where}: check {raw.get('name')!r} needs 'column', a json column "
                          "of the table")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(raw.get("source") or "")):
        raise _fail(path, f"{where}: check {raw.get('name')!r} needs 'source', a plain key")
    if raw.get("type", "text") not in CHECK_TYPES:
        raise _fail(path, f"{where}: check {raw.get('name')!r} has type {raw.get('type')!r}; "
                          f"one of {sorted(CHECK_TYPES)}")
    when = raw.get("when") or {}
    if not isinstance(when, dict) or any(k not in by_name for k in when):
        raise _fail(path, f"{where}: check {raw.get('name')!r}: 'when' maps columns of the "
                          "table to values")
    base = _column(path, where, {k: v for k, v in raw.items() if k not in ("column", "when")})
    fields = {f: getattr(base, f) for f in ColumnSpec.__dataclass_fields__}
    return CheckSpec(**fields, column=raw["column"],
                     when=tuple((k, _as_tuple(v) or ()) for k, v in when.items()))


def _table(path: Path, kind: str, fmt: str, raw: dict[str, Any]) -> TableSpec:
    where = f"delivery {kind!r}, table {raw.get('table')!r}"
    if not raw.get("table") or not re.fullmatch(r"[a-z][a-z0-9_]*", raw["table"]):
        raise _fail(path, f"delivery {kind!r}: table without a snake_case 'table' name")
    if raw["table"] == "quarantine":
        raise _fail(path, f"{where}: 'quarantine' is reserved")
    unknown = set(raw) - TABLE_KEYS
    if unknown:
        raise _fail(path, f"{where}: unknown table keys {sorted(unknown)}")
    cols = tuple(_column(path, where, c) for c in raw.get("columns") or [])
    if not cols:
        raise _fail(path, f"{where}: no columns")
    names = [c.name for c in cols] + ([raw["geometry_column"]] if raw.get("geometry_column") else [])
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise _fail(path, f"{where}: raw column names used twice: {sorted(dupes)}")
    sources = [c.source for c in cols]
    if len(set(sources)) != len(sources):
        raise _fail(path, f"{where}: a source column is mapped twice")
    if sum(c.unique_in_file for c in cols) > 1:
        raise _fail(path, f"{where}: at most one unique_in_file column")
    if fmt == "xlsx" and not raw.get("sheet"):
        raise _fail(path, f"{where}: xlsx tables need a 'sheet'")
    checks = tuple(_check(path, where, cols, c) for c in raw.get("checks") or [])
    return TableSpec(
        table=raw["table"],
        columns=cols,
        checks=checks,
        sheet=raw.get("sheet"),
        header_first_cell=raw.get("header_first_cell"),
        geometry_column=raw.get("geometry_column"),
    )


def _delivery(path: Path, raw: dict[str, Any]) -> Delivery:
    kind = raw.get("kind")
    if not kind:
        raise _fail(path, "a delivery without 'kind'")
    fmt = raw.get("format")
    if fmt not in FORMATS:
        raise _fail(path, f"delivery {kind!r}: format must be one of {sorted(FORMATS)}")
    try:
        pattern = re.compile(raw["file_pattern"])
    except (KeyError, re.error) as exc:
        raise _fail(path, f"delivery {kind!r}: bad or missing file_pattern ({exc})") from None
    if "period" not in pattern.groupindex:
        raise _fail(path, f"delivery {kind!r}: file_pattern needs a (?P<period>...) group")
    period = raw.get("period", "month")
    if period not in PERIODS:
        raise _fail(path, f"delivery {kind!r}: period must be one of {sorted(PERIODS)}")
    semantics = raw.get("semantics", "delta")
    if semantics not in SEMANTICS:
        raise _fail(path, f"delivery {kind!r}: semantics must be one of {sorted(SEMANTICS)}")
    encoding = raw.get("encoding", "detect")
    if encoding not in ENCODINGS:
        raise _fail(path, f"delivery {kind!r}: encoding must be one of {sorted(ENCODINGS)}")
    tables = tuple(_table(path, kind, fmt, t) for t in raw.get("tables") or [])
    if not tables:
        raise _fail(path, f"delivery {kind!r}: no tables")
    if fmt != "xlsx" and len(tables) != 1:
        raise _fail(path, f"delivery {kind!r}: a {fmt} file feeds exactly one table")
    api = None
    if raw.get("api"):
        api = ApiSpec(**raw["api"])
    return Delivery(
        kind=kind,
        file_pattern=pattern,
        period=period,
        semantics=semantics,
        format=fmt,
        tables=tables,
        encoding=encoding,
        date_format=raw.get("date_format", "%d.%m.%Y"),
        csv=CsvDialect(**(raw.get("csv") or {})),
        xlsx=XlsxOptions(**(raw.get("xlsx") or {})),
        api=api,
    )


def load_contract(path: Path) -> PartnerContract:
    """Read and validate one partner contract file."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise _fail(path, f"not valid YAML ({exc})") from None
    if not isinstance(raw, dict):
        raise _fail(path, "expected a mapping at the top level")
    partner = raw.get("partner")
    if not partner or not PARTNER_ID.match(str(partner)):
        raise _fail(path, "'partner' must be a snake_case id")
    if path.stem != partner:
        raise _fail(path, f"file name must be {partner}.yml")
    deliveries = tuple(_delivery(path, d) for d in raw.get("deliveries") or [])
    if not deliveries:
        raise _fail(path, "no deliveries")
    kinds = [d.kind for d in deliveries]
    if len(set(kinds)) != len(kinds):
        raise _fail(path, "delivery kinds must be unique")
    # A raw table fed by several deliveries must be declared identically.
    by_table: dict[str, TableSpec] = {}
    for d in deliveries:
        for t in d.tables:
            if t.table in by_table and by_table[t.table].raw_columns != t.raw_columns:
                raise _fail(path, f"table {t.table!r} is declared twice with different columns")
            by_table[t.table] = t
    return PartnerContract(
        partner=partner,
        name=raw.get("name", partner),
        territory=raw.get("territory", ""),
        deadline_working_days=int(raw.get("deadline_working_days", 5)),
        schedule=raw.get("schedule", "@daily"),
        deliveries=deliveries,
        source_path=path,
    )


def default_partners_dir() -> Path:
    env = os.environ.get("REGIOPOOL_PARTNERS_DIR")
    return Path(env) if env else REPO_ROOT / "partners"


def load_contracts(partners_dir: Path | None = None) -> list[PartnerContract]:
    """Every partner contract (``*.yml``) in the partners directory, sorted by partner id.

    Default directory: ``<repo>/partners``, overridable by ``REGIOPOOL_PARTNERS_DIR``.
    """
    directory = Path(partners_dir) if partners_dir else default_partners_dir()
    contracts = [load_contract(p) for p in sorted(directory.glob("*.yml"))]
    return sorted(contracts, key=lambda c: c.partner)


def get_contract(partner: str, partners_dir: Path | None = None) -> PartnerContract:
    for c in load_contracts(partners_dir):
        if c.partner == partner:
            return c
    raise KeyError(f"no contract for partner {partner!r}")
