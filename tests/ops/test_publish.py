"""The analysts' copy: atomic, never blocked by readers, never half-built, Parquet per mart."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import duckdb
import pyarrow.parquet as pq
import pytest

from regiopool.publish import PublishError, publish_marts


def _build(warehouse, version: int, projects: int = 50) -> None:
    """A warehouse whose marts all carry `version`, so a reader can tell mixed states apart."""
    con = duckdb.connect(str(warehouse))
    con.execute("create schema if not exists marts")
    con.execute("create or replace table marts.fct_projects as select "
                "'RP-' || lpad(i::varchar, 12, '0') as project_id, ? as version, "
                "['irl', 'stadt_leipzig'] as partners from range(?) t(i)", [version, projects])
    con.execute("create or replace table marts.kpi_projects_monthly as select "
                "date '2025-01-01' + to_months(i::int) as month, ? as version "
                "from range(12) t(i)", [version])
    con.execute("create or replace view marts.v_version as "
                "select max(version) as version from marts.fct_projects")
    con.execute("create schema if not exists raw_irl")
    con.execute("create or replace table raw_irl.events as select 'contact@example.org' as c")
    con.close()


@pytest.fixture()
def warehouse(tmp_path):
    path = tmp_path / "home" / "warehouse.duckdb"
    path.parent.mkdir()
    _build(path, 1)
    return path


def _read(db, sql):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_publishes_the_marts_only_as_duckdb_and_parquet(warehouse, tmp_path):
    out = tmp_path / "published"
    result = publish_marts(warehouse, out, gate={"month": "2025-03", "passed": True})
    db = out / "regiopool.duckdb"
    assert result["tables"] == ["fct_projects", "kpi_projects_monthly", "v_version"]
    assert result["rows"] == {"fct_projects": 50, "kpi_projects_monthly": 12, "v_version": 1}
    schemas = {r[0] for r in _read(db, "select schema_name from information_schema.schemata "
                                       "where catalog_name = 'regiopool'")}
    assert "raw_irl" not in schemas and {"marts", "meta"} <= schemas
    assert _read(db, "select gate_month, marts from meta.publication") == [
        ("2025-03", ["fct_projects", "kpi_projects_monthly", "v_version"])]
    # a view in the marts is published as a table with its rows
    assert _read(db, "select version from marts.v_version") == [(1,)]
    assert (db.stat().st_mode & 0o777) == 0o444
    table = pq.read_table(out / "parquet" / "fct_projects.parquet")
    assert table.num_rows == 50 and table.column("partners")[0].as_py() == ["irl", "stadt_leipzig"]
    assert sorted(p.name for p in (out / "parquet").iterdir()) == [
        "fct_projects.parquet", "kpi_projects_monthly.parquet", "v_version.parquet"]
    manifest = json.loads((out / "publication.json").read_text())
    assert manifest["rows"]["fct_projects"] == 50 and manifest["gate_month"] == "2025-03"
    assert not list(out.glob(".*")), "no temporary files left behind"


def test_nothing_to_publish_keeps_the_previous_copy(warehouse, tmp_path):
    out = tmp_path / "published"
    publish_marts(warehouse, out)
    con = duckdb.connect(str(warehouse))
    con.execute("drop schema marts cascade")
    con.close()
    with pytest.raises(PublishError, match="no marts"):
        publish_marts(warehouse, out)
    assert _read(out / "regiopool.duckdb", "select count(*) from marts.fct_projects") == [(50,)]
    assert len(list(out.glob("parquet-*"))) == 1 and not list(out.glob(".*"))


def test_old_parquet_folders_are_dropped_but_the_last_one_is_kept(warehouse, tmp_path):
    out = tmp_path / "published"
    for version in (1, 2, 3):
        _build(warehouse, version)
        publish_marts(warehouse, out)
    assert len(list(out.glob("parquet-*"))) == 2
    assert pq.read_table(out / "parquet" / "fct_projects.parquet").column("version")[0].as_py() == 3


HOLDER = textwrap.dedent("""
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    print(con.execute("select max(version), count(*) from marts.fct_projects").fetchone(),
          flush=True)
    sys.stdin.readline()            # the test publishes meanwhile
    print(con.execute("select max(version), count(*) from marts.fct_projects").fetchone(),
          flush=True)
    con.close()
    con = duckdb.connect(sys.argv[1], read_only=True)
    print(con.execute("select max(version), count(*) from marts.fct_projects").fetchone(),
          flush=True)
""")


def test_an_open_analyst_connection_neither_blocks_nor_breaks_a_publish(warehouse, tmp_path):
    out = tmp_path / "published"
    publish_marts(warehouse, out)
    analyst = subprocess.Popen([sys.executable, "-c", HOLDER, str(out / "regiopool.duckdb")],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert analyst.stdout.readline().strip() == "(1, 50)"
        _build(warehouse, 2, projects=70)
        started = time.monotonic()
        publish_marts(warehouse, out)          # while the analyst's connection is open
        assert time.monotonic() - started < 30
        analyst.stdin.write("\n")
        analyst.stdin.flush()
        # the open connection still reads the copy it opened, whole; a new one sees the new copy
        assert analyst.stdout.readline().strip() == "(1, 50)"
        assert analyst.stdout.readline().strip() == "(2, 70)"
        assert analyst.wait(timeout=30) == 0
    finally:
        analyst.kill()


READER = textwrap.dedent("""
    import sys, time, duckdb
    seen, deadline = set(), time.monotonic() + float(sys.argv[2])
    while time.monotonic() < deadline:
        con = duckdb.connect(sys.argv[1], read_only=True)
        a = con.execute("select min(version), max(version), count(*) from marts.fct_projects").fetchone()
        b = con.execute("select min(version), max(version) from marts.kpi_projects_monthly").fetchone()
        c = con.execute("select marts from meta.publication").fetchone()
        con.close()
        v = a[0]
        assert a[0] == a[1] == b[0] == b[1], ("mixed versions", a, b)
        assert a[2] == 10 * v, ("half a table", a)
        assert len(c[0]) == 3, ("marts missing", c)
        seen.add(v)
    print(sorted(seen))
""")


def test_a_reader_never_sees_a_half_built_or_mixed_copy(warehouse, tmp_path):
    out = tmp_path / "published"
    _build(warehouse, 1, projects=10)
    publish_marts(warehouse, out)
    reader = subprocess.Popen([sys.executable, "-c", READER, str(out / "regiopool.duckdb"), "8"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        version = 1
        while reader.poll() is None and version < 40:
            version += 1
            _build(warehouse, version, projects=10 * version)
            publish_marts(warehouse, out)
        stdout, stderr = reader.communicate(timeout=60)
    finally:
        reader.kill()
    assert reader.returncode == 0, stderr[-2000:]
    seen = json.loads(stdout)
    assert len(seen) >= 3, f"the reader saw too few publishes to prove anything: {seen}"
