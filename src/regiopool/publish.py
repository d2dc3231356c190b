"""The analysts' copy of the marts.

DuckDB allows one writing process per file, so analysts never open the pipeline's working
warehouse. After every passed quality gate the marts are copied into a new DuckDB file that is
then moved over `HOME/published/regiopool.duckdb` in one atomic rename, and written as Parquet
into a new folder that the symlink `HOME/published/parquet` is switched to atomically. An open
analyst connection keeps reading the file it opened; the next connection sees the new one.
"""

from __future__ import annotations

import os
import shutil
import uuid
from datetime import datetime, timezone
from pathlib import Path

import duckdb

PUBLISHED_DB = "regiopool.duckdb"
PARQUET_LINK = "parquet"


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def publish_marts(warehouse: Path, published_dir: Path) -> dict:
    published_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    token = f"{stamp}-{uuid.uuid4().hex[:8]}"
    tmp_db = published_dir / f".{PUBLISHED_DB}.{token}.tmp"
    parquet_dir = published_dir / f"parquet-{token}"
    parquet_dir.mkdir()
    con = duckdb.connect(str(tmp_db))
    try:
        con.execute(f"attach {_quote(warehouse)} as wh (read_only)")
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = 'wh' and table_schema = 'marts' order by 1").fetchall()]
        con.execute("create schema marts")
        for table in tables:
            con.execute(f'create table marts."{table}" as select * from wh.marts."{table}"')
            con.execute(f'copy marts."{table}" to {_quote(parquet_dir / (table + ".parquet"))} '
                        "(format parquet)")
        con.execute("detach wh")
        con.execute("checkpoint")
    except Exception:
        con.close()
        tmp_db.unlink(missing_ok=True)
        shutil.rmtree(parquet_dir, ignore_errors=True)
        raise
    con.close()
    os.replace(tmp_db, published_dir / PUBLISHED_DB)
    link_tmp = published_dir / f".{PARQUET_LINK}.{token}"
    link_tmp.symlink_to(parquet_dir.name)
    link = published_dir / PARQUET_LINK
    previous = link.resolve() if link.is_symlink() else None
    os.replace(link_tmp, link)
    for old in published_dir.glob("parquet-*"):
        # keep the folder just replaced (an analyst may still be reading it), drop older ones
        if old != parquet_dir and old != previous:
            shutil.rmtree(old, ignore_errors=True)
    return {"database": str(published_dir / PUBLISHED_DB), "parquet": str(link), "tables": tables}
