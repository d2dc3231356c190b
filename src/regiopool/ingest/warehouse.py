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
    """CREATE TABLE IF NOT EXISTS meta.api_cursors (
        partner VARCHAR NOT NULL, cursor VARCHAR, updated_at TIMESTAMPTZ NOT NULL)""",
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
        con.execute("COMMIT")
    finally:
        con.close()
