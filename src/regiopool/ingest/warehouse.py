"""The warehouse file: schemas ``meta`` and ``raw_<partner>`` and their tables (docs/raw_layer.md)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import duckdb

from regiopool.contracts import PartnerContract, TableSpec, load_contracts

SQL_TYPES = {
    "text": "VARCHAR",
    "integer": "BIGINT",
    "decimal": "DECIMAL(18,4)",
    "date": "DATE",
    "timestamp": "TIMESTAMPTZ",
    "boolean": "BOOLEAN",
    "json": "JSON",
    "json_text": "VARCHAR",
}

LINEAGE = [
    ("_load_id", "VARCHAR NOT NULL"),
    ("_source_file", "VARCHAR NOT NULL"),
    ("_file_sha256", "VARCHAR NOT NULL"),
    ("_row_number", "INTEGER NOT NULL"),
    ("_period", "DATE NOT NULL"),
    ("_loaded_at", "TIMESTAMPTZ NOT NULL"),
]

META_DDL = [
    "CREATE SCHEMA IF NOT EXISTS meta",
    """CREATE TABLE IF NOT EXISTS meta.load_ledger (
        load_id VARCHAR NOT NULL, partner VARCHAR NOT NULL, kind VARCHAR NOT NULL,
        period DATE, period_key VARCHAR, correction INTEGER NOT NULL DEFAULT 0,
        file_name VARCHAR NOT NULL, file_sha256 VARCHAR NOT NULL, file_size BIGINT,
        delivered_at TIMESTAMPTZ, loaded_at TIMESTAMPTZ NOT NULL, status VARCHAR NOT NULL,
        superseded_by VARCHAR, resent_of VARCHAR,
        rows_read BIGINT NOT NULL DEFAULT 0, rows_loaded BIGINT NOT NULL DEFAULT 0,
        rows_quarantined BIGINT NOT NULL DEFAULT 0, message VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS meta.load_findings (
        load_id VARCHAR NOT NULL, partner VARCHAR NOT NULL, table_name VARCHAR,
        source_file VARCHAR, sheet VARCHAR, row_number INTEGER, column_name VARCHAR,
        rule VARCHAR NOT NULL)""",
    # what the last scan of each inbox file found, and the file's stamp then (file_checks.py)
    """CREATE TABLE IF NOT EXISTS meta.file_checks (
        partner VARCHAR NOT NULL, file_name VARCHAR NOT NULL, file_size BIGINT NOT NULL,
        inode BIGINT NOT NULL, mtime_ns BIGINT NOT NULL, ctime_ns BIGINT NOT NULL,
        file_sha256 VARCHAR NOT NULL, encoding VARCHAR NOT NULL,
        checked_at TIMESTAMPTZ NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS meta.api_cursors (
        partner VARCHAR NOT NULL, cursor VARCHAR, updated_at TIMESTAMPTZ NOT NULL)""",
    # declarations written from Python (write_declarations), read by dbt as sources
    """CREATE TABLE IF NOT EXISTS meta.partner_kinds (
        partner VARCHAR NOT NULL, kind VARCHAR NOT NULL, semantics VARCHAR NOT NULL,
        deadline_working_days INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS meta.partner_tables (
        partner VARCHAR NOT NULL, kind VARCHAR NOT NULL, table_name VARCHAR NOT NULL,
        sheet VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS meta.saxon_calendar (
        day DATE NOT NULL, is_working_day BOOLEAN NOT NULL, holiday VARCHAR)""",
]

QUARANTINE_COLUMNS = [
    ("_load_id", "VARCHAR NOT NULL"),
    ("_source_file", "VARCHAR NOT NULL"),
    ("table_name", "VARCHAR NOT NULL"),
    ("sheet", "VARCHAR"),
    ("_row_number", "INTEGER"),
    ("reason", "VARCHAR NOT NULL"),
    ("raw_text", "VARCHAR"),
    ("_loaded_at", "TIMESTAMPTZ NOT NULL"),
]


def q(name: str) -> str:
    """Quote an identifier."""
    return '"' + name.replace('"', '""') + '"'


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A writing connection. DuckDB's memory is capped (``REGIOPOOL_DUCKDB_MEMORY``, default
    512MB): a large file's open transaction spills to disk instead of growing in memory."""
    warehouse = Path(warehouse)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse))
    con.execute("SET TimeZone = 'UTC'")
    limit = os.environ.get("REGIOPOOL_DUCKDB_MEMORY", "512MB")
    con.execute(f"SET memory_limit = '{limit}'")
    return con


def table_columns(table: TableSpec) -> list[tuple[str, str]]:
    return [(n, SQL_TYPES[t]) for n, t in table.raw_columns] + LINEAGE


def _existing_columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_catalog = current_database() AND table_schema = ? AND table_name = ? "
        "ORDER BY ordinal_position",
        [schema, table],
    ).fetchall()
    return [r[0] for r in rows]


def ensure_partner(con: duckdb.DuckDBPyConnection, contract: PartnerContract) -> None:
    schema = contract.schema
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {q(schema)}")
    for table in contract.tables + [None]:
        name = table.table if table else "quarantine"
        cols = table_columns(table) if table else QUARANTINE_COLUMNS
        existing = _existing_columns(con, schema, name)
        if not existing:
            body = ", ".join(f"{q(c)} {t}" for c, t in cols)
            con.execute(f"CREATE TABLE {q(schema)}.{q(name)} ({body})")
            continue
        for c, t in cols:  # a contract that gained a column: add it (older rows: NULL)
            if c not in existing:
                con.execute(f"ALTER TABLE {q(schema)}.{q(name)} ADD COLUMN {q(c)} "
                            f"{t.replace(' NOT NULL', '')}")


def _replace_rows(con: duckdb.DuckDBPyConnection, table: str, columns: list[str],
                  rows: list[tuple]) -> None:
    """Make ``table`` hold exactly ``rows`` (written only when they differ: a load that finds
    them up to date writes nothing)."""
    cols = ", ".join(columns)
    current = con.execute(f"SELECT {cols} FROM {table}").fetchall()
    if sorted(current, key=repr) == sorted(rows, key=repr):
        return
    con.execute(f"DELETE FROM {table}")
    if rows:
        import pyarrow as pa

        arrow = pa.Table.from_pylist([dict(zip(columns, r)) for r in rows])  # noqa: F841
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM arrow")


def set_aside_view_sql(con: duckdb.DuckDBPyConnection) -> str:
    """``meta.set_aside_rows``: where and why rows of every partner's deliveries were set aside,
    over all ``raw_<partner>.quarantine`` tables: location and reason only, never the row's
    text (``raw_text`` stays in the partner's raw layer). One relation for dbt to read, so a
    new partner needs no SQL file (docs/decisions/quality-set-aside-rows.md)."""
    schemas = [r[0] for r in con.execute(
        "SELECT table_schema FROM information_schema.tables "
        "WHERE table_catalog = current_database() AND table_schema LIKE 'raw\\_%' ESCAPE '\\' "
        "AND table_name = 'quarantine' ORDER BY 1").fetchall()]
    selects = [
        f"SELECT '{s[len('raw_'):]}' AS partner, _load_id AS load_id, _source_file AS source_file, "
        f"table_name, sheet, _row_number AS row_number, reason FROM {q(s)}.quarantine"
        for s in schemas
    ] or [("SELECT NULL::VARCHAR AS partner, NULL::VARCHAR AS load_id, "
           "NULL::VARCHAR AS source_file, NULL::VARCHAR AS table_name, NULL::VARCHAR AS sheet, "
           "NULL::INTEGER AS row_number, NULL::VARCHAR AS reason WHERE false")]
    return "CREATE OR REPLACE VIEW meta.set_aside_rows AS\n" + "\nUNION ALL\n".join(selects)


def write_declarations(con: duckdb.DuckDBPyConnection,
                       contracts: Iterable[PartnerContract] | None = None) -> None:
    """The declarations the dbt project reads as data (docs/raw_layer.md, ``meta``):

    - ``meta.partner_kinds``: every declared partner's kinds of file, their delivery semantics
      and the partner's deadline (``partners/*.yml``);
    - ``meta.partner_tables``: the raw tables of each kind, with the workbook sheet that holds
      each (so a finding can name sheet and row);
    - ``meta.saxon_calendar``: every day from 2010 to two years ahead, whether it is a working
      day in Saxony (``regiopool.ops.deadlines``, the project's one calendar);
    - ``meta.set_aside_rows``: the view over every partner's quarantine (location and reason).
    """
    from regiopool.ops.deadlines import calendar_years, saxon_calendar

    contracts = list(contracts) if contracts is not None else load_contracts()
    kinds = {(c.partner, d.kind): (c.partner, d.kind, d.semantics, c.deadline_working_days)
             for c in contracts for d in c.deliveries}
    _replace_rows(con, "meta.partner_kinds",
                  ["partner", "kind", "semantics", "deadline_working_days"], list(kinds.values()))
    tables = {(c.partner, t.table): (c.partner, d.kind, t.table, t.sheet)
              for c in contracts for d in c.deliveries for t in d.tables}
    _replace_rows(con, "meta.partner_tables", ["partner", "kind", "table_name", "sheet"],
                  list(tables.values()))
    _replace_rows(con, "meta.saxon_calendar", ["day", "is_working_day", "holiday"],
                  list(saxon_calendar(*calendar_years())))
    con.execute(set_aside_view_sql(con))


def ensure_warehouse(
    warehouse: Path, contracts: Iterable[PartnerContract] | None = None
) -> None:
    """Create schemas ``meta`` and ``raw_<partner>`` and all their tables (idempotent)."""
    contracts = list(contracts) if contracts is not None else load_contracts()
    con = connect(warehouse)
    try:
        con.execute("BEGIN")
        for stmt in META_DDL:
            con.execute(stmt)
        for contract in contracts:
            ensure_partner(con, contract)
        write_declarations(con, contracts)
        con.execute("COMMIT")
    finally:
        con.close()
