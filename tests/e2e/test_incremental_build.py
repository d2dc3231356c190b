"""Incremental builds give the same marts as a full refresh (issue 4, item 6).

A warehouse is built the way it is run: deliveries arrive month by month, each month is ingested
and built with the production `dbt build` (incremental models keep their rows). After each step a
copy of the warehouse is rebuilt with `--full-refresh` from the same raw tables, and every
published mart (schema `marts`) and every history and record model must hold the same rows.

Step 1 adds one plain month (new snapshots, new city deltas, IRL daily files with late and
duplicate events, a district record that January's workbook left out coming back): the
histories take their incremental path. Step 2 adds the last month together
with every correction `_k1` (one month after the period it corrects): superseded loads, late
events and corrections of earlier snapshots (the snapshot histories fall back to a rebuild).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

START, END, SCALE, SEED = "2024-10", "2025-03", 0.3, 7
RATES = {"correction": 0.3, "resent_copy": 0.2, "district_deleted_record": 0.1,
         "reopened_project": 0.2, "irl_duplicate_event": 0.1, "irl_late_event": 0.2,
         "irl_out_of_order": 0.1, "site_withdrawn": 0.1, "settlement_without_enquiry": 0.3}
PERIOD = re.compile(r"_(\d{4}-\d{2})(?:-\d{2})?(_k\d+)?\.")

# besides the marts: the models that are built incrementally, and the record layer they feed
COMPARED = ["intermediate.int_irl__project_history", "intermediate.int_stadt_leipzig__enquiry_history",
            "intermediate.int_stadt_leipzig__settlement_history",
            "intermediate.int_stadt_leipzig__site_history", "intermediate.int_lk_leipzig__enquiry_history",
            "intermediate.int_lk_leipzig__settlement_history", "intermediate.int_lk_leipzig__site_history",
            "intermediate.int_enquiry_records", "intermediate.int_settlement_records",
            "intermediate.int_site_snapshots", "intermediate.int_quality__workbook_drops",
            "intermediate.int_regional_record_groups"]


def _deliver(generated: Path, inbox: Path, month: str, corrections_through: str | None) -> int:
    """Copy into the inbox the files of periods up to `month` (corrections only up to
    `corrections_through`); returns how many files were added."""
    added = 0
    for path in sorted(generated.rglob("*")):
        m = PERIOD.search(path.name) if path.is_file() else None
        if not m:
            continue
        period, correction = m.group(1), m.group(2)
        limit = corrections_through if correction else month
        if limit is None or period > limit:
            continue
        target = inbox / path.relative_to(generated)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            added += 1
    return added


def _drop_from_january(generated: Path) -> str:
    """Take one district enquiry out of January's workbooks (original and corrections) that has
    the same status in December and February: deleted in January, back in February with its
    status run going on over the gap. Returns its id."""
    import openpyxl

    def register(month: str) -> dict[str, object]:
        ws = openpyxl.load_workbook(generated / "lk_leipzig" / f"wifoe_lkl_{month}.xlsx",
                                    read_only=True)["Anfragen"]
        rows = list(ws.iter_rows(values_only=True))
        header = next(i for i, r in enumerate(rows) if r and r[0] == "Lfd. Nr.")
        status, dated = rows[header].index("Stand"), rows[header].index("Datum Stand")
        return {r[0]: (r[status], r[dated]) for r in rows[header + 1:] if r and r[0]}

    december, february = register("2024-12"), register("2025-02")
    same = [k for k, v in december.items() if k in february and february[k][0] == v[0]]
    # preferably one without status date: its imputed date depends on where the run started
    record = next((k for k in same if february[k][1] in (None, "")), same[0])
    for path in sorted((generated / "lk_leipzig").glob("wifoe_lkl_2025-01*.xlsx")):
        wb = openpyxl.load_workbook(path)
        ws = wb["Anfragen"]
        for row in range(ws.max_row, 0, -1):
            if ws.cell(row=row, column=1).value == record:
                ws.delete_rows(row)
        wb.save(path)
    return record


def _ingest_and_build(home: Path, inbox: Path) -> dict:
    from regiopool.contracts import load_contracts
    from regiopool.ingest import ensure_warehouse, ingest_partner
    from regiopool.settings import get_settings
    from regiopool.transform import dbt_build

    settings = get_settings(home=home, inbox=inbox)
    ensure_warehouse(settings.warehouse)
    for contract in load_contracts():
        ingest_partner(settings.warehouse, settings.inbox, contract)
    return dbt_build(settings)


def _full_refresh_copy(home: Path, inbox: Path, copy: Path) -> None:
    """The same raw tables rebuilt from scratch (models only: the tests ran in the step)."""
    from regiopool.settings import get_settings
    from regiopool.transform import dbt_args, invoke_dbt

    shutil.copytree(home, copy)
    settings = get_settings(home=copy, inbox=inbox)
    import os
    os.environ["REGIOPOOL_WAREHOUSE"] = str(settings.warehouse)
    result = invoke_dbt(dbt_args(settings, "build", "--full-refresh", "--quiet",
                                         "--exclude-resource-type", "test", "unit_test"))
    assert result.success, result.exception


def _query(home: Path, sql: str, params=()) -> list[tuple]:
    """Rows of one query against the home's warehouse (read-only)."""
    import duckdb

    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _differences(incremental: Path, full: Path) -> dict[str, tuple[int, int]]:
    """Per table: rows only in the incremental build, rows only in the full refresh."""
    import duckdb

    con = duckdb.connect()
    try:
        con.execute(f"attach '{incremental}' as inc (read_only)")
        con.execute(f"attach '{full}' as ful (read_only)")
        marts = [f"marts.{t}" for (t,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = 'inc' and table_schema = 'marts' order by 1").fetchall()]
        assert {"marts.kpi_projects_monthly", "marts.fct_projects", "marts.kpi_land_monthly"} <= set(marts)
        out = {}
        for table in marts + COMPARED:
            only_inc = con.execute(f"select count(*) from (select * from inc.{table} "
                                   f"except all select * from ful.{table})").fetchone()[0]
            only_full = con.execute(f"select count(*) from (select * from ful.{table} "
                                    f"except all select * from inc.{table})").fetchone()[0]
            rows = con.execute(f"select count(*) from inc.{table}").fetchone()[0]
            out[table] = (only_inc, only_full, rows)
        return out
    finally:
        con.close()


def _assert_same(home: Path, inbox: Path, copy: Path) -> dict:
    _full_refresh_copy(home, inbox, copy)
    diffs = _differences(home / "warehouse.duckdb", copy / "warehouse.duckdb")
    assert {t: d for t, d in diffs.items() if d[:2] != (0, 0)} == {}
    return diffs


def test_month_by_month_equals_a_full_refresh(tmp_path):

    from regiopool.generate import generate_inbox

    generated, inbox, home = tmp_path / "generated", tmp_path / "inbox", tmp_path / "home"
    generate_inbox(generated, start=START, end=END, scale=SCALE, seed=SEED, rates=RATES)
    back = _drop_from_january(generated)

    # the history up to January (with the corrections of its months), built from scratch
    assert _deliver(generated, inbox, "2025-01", "2025-01") > 0
    _ingest_and_build(home, inbox)

    # step 1: February, no correction: the incremental path of every history
    assert _deliver(generated, inbox, "2025-02", "2025-01") > 0
    _ingest_and_build(home, inbox)
    late = _query(home, "select count(*) from staging.stg_irl__events "
                        "where _period >= date '2025-02-01' "
                        "and occurred_month < date '2025-02-01'")[0][0]
    assert late > 0, "the added month brings late IRL events"
    step1 = _assert_same(home, inbox, tmp_path / "full1")
    assert step1["intermediate.int_lk_leipzig__enquiry_history"][2] > 0
    rows = _query(home, "select valid_from, ended_by, status_run_started from "
                        "intermediate.int_lk_leipzig__enquiry_history where enquiry_id = ? "
                        "and valid_from >= date '2024-12-01' order by valid_from", [back])
    # deleted in January, back in February: the status run started before the gap
    assert [(r[0].isoformat(), r[1]) for r in rows] == [("2024-12-01", "deletion"), ("2025-02-01", None)]
    assert rows[1][2] == rows[0][2] < dt.date(2025, 2, 1)

    # step 2: March and the corrections of February and March (supersede loads built before)
    assert _deliver(generated, inbox, "2025-03", "2025-03") > 0
    _ingest_and_build(home, inbox)
    superseded = _query(home, "select count(*) from meta.load_ledger where superseded_by "
                              "is not null and period >= date '2025-02-01'")[0][0]
    assert superseded > 0, "the step supersedes loads that the warehouse had built"
    # a corrected district workbook of February: March's drop check compares with the correction
    workbooks = _query(home, "select count(*) from meta.load_ledger where partner = 'lk_leipzig' "
                             "and kind = 'workbook' and superseded_by is not null "
                             "and period = date '2025-02-01'")[0][0]
    assert workbooks > 0, "the step supersedes a district workbook that was checked before"
    step2 = _assert_same(home, inbox, tmp_path / "full2")
    assert step2["intermediate.int_quality__workbook_drops"][2] > 0
