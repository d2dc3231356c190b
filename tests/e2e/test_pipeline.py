"""End to end: generated inbox → Airflow (dag.test) → DuckDB → dbt → GX gate → extract.

These assert outcomes of one real run (see conftest.sample_run): values in the marts, rows in
quarantine, files in the extract, and that a rerun changes nothing.
"""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.slow


def test_every_dag_run_succeeded(sample_run):
    runs = sample_run.result.runs
    assert [r["dag_id"] for r in runs] == [
        "regiopool_ingest_irl", "regiopool_ingest_lk_leipzig", "regiopool_ingest_stadt_leipzig",
        "regiopool_transform", "regiopool_council_extract"]
    assert [r for r in runs if r["state"] != "success"] == []


def test_report_month_is_the_latest_month_every_partner_delivered(sample_run):
    assert sample_run.result.report_month == "2025-03"


def test_projects_mart_covers_every_month_and_cluster(warehouse):
    months, clusters, rows = warehouse.execute(
        "select count(distinct month), count(distinct cluster_code), count(*) "
        "from marts.kpi_projects_monthly").fetchone()
    n_clusters = warehouse.execute("select count(*) from marts.dim_cluster").fetchone()[0]
    assert clusters == n_clusters
    assert rows == months * clusters
    assert months >= 6  # the range starts with the earliest first_received_on


def test_project_counts_agree_between_marts(warehouse):
    new_total = warehouse.execute("select sum(new_projects) from marts.kpi_projects_monthly").fetchone()[0]
    projects = warehouse.execute("select count(*) from marts.fct_projects").fetchone()[0]
    assert new_total == projects > 50
    won = warehouse.execute("select count(*) from marts.fct_projects where status = 'won'").fetchone()[0]
    settlements = warehouse.execute("select count(*) from marts.fct_settlements").fetchone()[0]
    assert 0 < settlements <= won


def test_projects_shared_between_agencies_are_counted_once(warehouse):
    shared = warehouse.execute(
        "select count(*) from marts.fct_projects where len(partners) > 1").fetchone()[0]
    records = warehouse.execute("select sum(record_count) from marts.fct_projects").fetchone()[0]
    projects = warehouse.execute("select count(*) from marts.fct_projects").fetchone()[0]
    assert shared > 0
    assert records > projects


def test_every_arrived_row_is_loaded_or_set_aside(warehouse):
    bad = warehouse.execute(
        "select file_name from meta.load_ledger where status = 'loaded' "
        "and rows_read <> rows_loaded + rows_quarantined").fetchall()
    assert bad == []
    quarantined = warehouse.execute(
        "select sum(rows_quarantined) from meta.load_ledger").fetchone()[0]
    assert quarantined > 0  # the generator injects bad rows


def test_extract_files_were_published(sample_run):
    folder = sample_run.home / "extracts" / "2025-03"
    assert (folder / "Stadtrat_KPI_2025-03.pdf").stat().st_size > 10_000
    assert (folder / "Stadtrat_KPI_2025-03.xlsx").stat().st_size > 5_000
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["gate"]["passed"] is True


def test_quality_report_and_analyst_copy_exist(sample_run):
    gate = json.loads((sample_run.home / "quality" / "2025-03" / "gate.json").read_text())
    assert gate["passed"] is True
    assert (sample_run.home / "quality" / "data_docs").is_dir()
    assert (sample_run.home / "published" / "regiopool.duckdb").exists()


def _contact_strings(inbox):
    """E-mail addresses the partners sent as contact data (city CSV, district Kontakt, IRL)."""
    emails = set()
    for path in inbox.rglob("*"):
        if path.suffix in {".csv", ".jsonl"}:
            raw = path.read_bytes()
            text = raw.decode("utf-8-sig", errors="replace") if raw.startswith(b"\xef\xbb\xbf") \
                else raw.decode("cp1252", errors="replace")
            emails |= set(re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", text))
    return emails


def test_contact_data_stays_in_the_raw_layer(sample_run, warehouse):
    emails = _contact_strings(sample_run.inbox)
    assert emails, "the sample inbox has contact e-mails"
    outside_raw = warehouse.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_schema in ('staging', 'intermediate', 'marts') "
        "and data_type in ('VARCHAR', 'VARCHAR[]', 'JSON')").fetchall()
    for schema, table, column in outside_raw:
        hits = warehouse.execute(
            f'select count(*) from {schema}."{table}" '
            f"where cast(\"{column}\" as varchar) similar to '.*[A-Za-z0-9._-]+@[A-Za-z0-9-]+\\.[a-z]+.*'"
        ).fetchone()[0]
        assert hits == 0, f"{schema}.{table}.{column} holds e-mail addresses"
    # logs, quality reports, extracts and the analysts' copy: no contact e-mail anywhere
    for path in sample_run.home.rglob("*"):
        if path.is_file() and path.suffix in {".log", ".json", ".html", ".txt", ".csv", ""}:
            text = path.read_text(encoding="utf-8", errors="ignore")
            leaked = [e for e in emails if e in text]
            assert leaked == [], f"{path} holds contact data"


def test_rerun_on_the_same_inbox_changes_nothing(sample_run, tmp_path):
    import duckdb

    from regiopool.pipeline import run_pipeline

    def snapshot():
        con = duckdb.connect(str(sample_run.home / "warehouse.duckdb"), read_only=True)
        try:
            ledger = con.execute("select count(*), sum(rows_loaded) from meta.load_ledger").fetchall()
            kpis = con.execute("select * from marts.kpi_projects_monthly order by all").fetchall()
            settlements = con.execute("select * from marts.fct_settlements order by all").fetchall()
        finally:
            con.close()
        return ledger, kpis, settlements

    before = snapshot()
    extract_files = sorted(p.name for p in (sample_run.home / "extracts" / "2025-03").iterdir())
    again = run_pipeline(inbox=sample_run.inbox, home=sample_run.home)
    assert again.ok
    assert snapshot() == before
    assert sorted(p.name for p in (sample_run.home / "extracts" / "2025-03").iterdir()) == extract_files
