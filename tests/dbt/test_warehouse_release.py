"""dbt-duckdb keeps its DuckDB instance open for the whole build (`keep_open: true`: one open
per build, not one per node); `invoke_dbt` closes it when dbt returns, so the quality gate and
the analysts' copy can open the warehouse next, in this process or in another one."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb

from regiopool.ingest import ensure_warehouse
from regiopool.settings import get_settings
from regiopool.transform import dbt_args, invoke_dbt


def test_the_warehouse_is_free_when_dbt_returns(tmp_path):
    settings = get_settings(home=tmp_path)
    ensure_warehouse(settings.warehouse)
    os.environ["REGIOPOOL_WAREHOUSE"] = str(settings.warehouse)
    result = invoke_dbt(dbt_args(settings, "seed", "--select", "clusters", "--quiet"))
    assert result.success, result.exception

    # read-only in this process: DuckDB refuses a second configuration of an open file
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        assert con.execute("select count(*) from seeds.clusters").fetchone()[0] > 0
    finally:
        con.close()
    # read-write in another process: refused while any process holds the file
    code = ("import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
            "c.execute('create table meta.release_check as select 1 as x'); c.close()")
    subprocess.run([sys.executable, "-c", code, str(settings.warehouse)], check=True,
                   timeout=60)
