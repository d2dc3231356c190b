"""The analysts' copy of the marts.

DuckDB allows one writing process per file, so analysts never open the pipeline's working
warehouse. After every passed quality gate the marts are copied into a new DuckDB file that is
then moved over `HOME/published/regiopool.duckdb` in one atomic rename, and written as Parquet
(one file per mart) into a new folder that the symlink `HOME/published/parquet` is switched to
atomically. An open analyst connection keeps reading the file it opened; the next connection
sees the new one. Neither ever sees a half-built table, and no analyst can block a publish:
the pipeline never writes to a file an analyst can have open.

    HOME/published/regiopool.duckdb     schema `marts` (the published marts), `meta.publication`
    HOME/published/parquet/<mart>.parquet
    HOME/published/publication.json     when, from which warehouse, tables and row counts

The published file is read-only (mode 444): open it with `read_only=True` (DuckDB CLI:
`duckdb -readonly`). A failed publish leaves the previous copy in place.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

import duckdb

PUBLISHED_DB = "regiopool.duckdb"
PARQUET_LINK = "parquet"
MANIFEST = "publication.json"


class PublishError(RuntimeError):
    """Nothing to publish, or the copy failed; the previous copy stays in place."""


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _remove_leftovers(published_dir: Path, keep: set[Path]) -> None:
    """Temporary files of a publish that crashed (the pool runs one publish at a time)."""
    for old in published_dir.glob(f".{PUBLISHED_DB}.*.tmp*"):
        if old not in keep:
            old.unlink(missing_ok=True)
    for old in published_dir.glob(f".{PARQUET_LINK}.*"):
        if old not in keep and old.is_symlink():
            old.unlink(missing_ok=True)


def publish_marts(warehouse: Path, published_dir: Path, *, gate: dict | None = None) -> dict:
    """Copy `marts.*` of `warehouse` into the analysts' copy; return what was published."""
    warehouse, published_dir = Path(warehouse), Path(published_dir)
    if not warehouse.exists():
        raise PublishError(f"no warehouse to publish from: {warehouse}")
    published_dir.mkdir(parents=True, exist_ok=True)
    published_at = datetime.now(UTC)
    token = f"{published_at.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    tmp_db = published_dir / f".{PUBLISHED_DB}.{token}.tmp"
    parquet_dir = published_dir / f"parquet-{token}"
    _remove_leftovers(published_dir, keep=set())
    parquet_dir.mkdir()
    # attached under its own name, so that a mart that is a view still resolves its references
    source = _ident(warehouse.stem)
    counts: dict[str, int] = {}
    con = duckdb.connect(str(tmp_db))
    try:
        con.execute(f"attach {_quote(warehouse)} as {source} (read_only)")
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = ? and table_schema = 'marts' order by 1",
            [warehouse.stem]).fetchall()]
        if not tables:
            raise PublishError(f"the warehouse has no marts to publish: {warehouse}")
        con.execute("create schema marts")
        for table in tables:
            con.execute(f"create table marts.{_ident(table)} as "
                        f"select * from {source}.marts.{_ident(table)}")
            counts[table] = con.execute(f"select count(*) from marts.{_ident(table)}").fetchone()[0]
            con.execute(f"copy marts.{_ident(table)} to "
                        f"{_quote(parquet_dir / (table + '.parquet'))} (format parquet)")
        con.execute(f"detach {source}")
        con.execute("create schema meta")
        con.execute("create table meta.publication as select ?::timestamptz as published_at, "
                    "?::varchar as gate_month, ?::varchar[] as marts",
                    [published_at, (gate or {}).get("month"), tables])
        con.execute("checkpoint")
    except Exception as exc:
        con.close()
        tmp_db.unlink(missing_ok=True)
        shutil.rmtree(parquet_dir, ignore_errors=True)
        if isinstance(exc, PublishError):
            raise
        raise PublishError(f"publishing the marts failed, the previous copy stays: {exc}") from exc
    con.close()
    tmp_db.chmod(0o444)
    target = published_dir / PUBLISHED_DB
    os.replace(tmp_db, target)  # atomic: a reader opens either the old file or the new one

    link_tmp = published_dir / f".{PARQUET_LINK}.{token}"
    link_tmp.symlink_to(parquet_dir.name)
    link = published_dir / PARQUET_LINK
    previous = link.resolve() if link.is_symlink() else None
    os.replace(link_tmp, link)
    for old in published_dir.glob("parquet-*"):
        # keep the folder just replaced (an analyst may still be reading it), drop older ones
        if old.resolve() not in {parquet_dir.resolve(), previous}:
            shutil.rmtree(old, ignore_errors=True)

    result = {"database": str(target), "parquet": str(link), "tables": tables, "rows": counts,
              "published_at": published_at.isoformat(timespec="seconds"),
              "gate_month": (gate or {}).get("month"), "source": str(warehouse)}
    manifest_tmp = published_dir / f".{MANIFEST}.{token}"
    manifest_tmp.write_text(json.dumps(result, indent=2), encoding="utf-8")
    os.replace(manifest_tmp, published_dir / MANIFEST)
    return result
