"""The council extract DAG's rebuild of published months (CATALOGUE §5 revisions), run as the
task runs: which months it revises, with which gate, relative to which date."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest

# tests/ is on sys.path (rootdir conftest), as for partner_headers
from extract.marts import (
    DELIVERIES,
    EARLIER_DELIVERIES,
    GATE,
    MONTH,
    SETTLEMENTS,
    build_warehouse,
    delivery_gate,
)

from regiopool.settings import DAGS_DIR

MKB = "14729260"  # Markkleeberg, Landkreis Leipzig


@pytest.fixture(scope="module")
def revise():
    from airflow.dag_processing.dagbag import DagBag

    dag = DagBag(str(DAGS_DIR)).dags["regiopool_council_extract"]
    return dag.get_task("revise_published_extracts").python_callable


def _delivery_gate(calls):
    """A stand-in for run_quality_gate: the delivery check of §6 read from the marts (a
    partner without a delivery for the month blocks unless the run accepts it)."""

    def gate(warehouse, quality_dir, month, accepted_missing_partners=(), **kwargs):
        calls.append((month, sorted(set(accepted_missing_partners))))
        return delivery_gate(warehouse, month, accepted_missing_partners)

    return gate


def _revise_on(revise, monkeypatch, home, today, month):
    """Run the revision task on `today` after `month` was published with a passed gate, against
    the stand-in delivery gate; return its report and the gate's calls (month, accepted)."""
    from regiopool import quality
    from regiopool.extract import publish as publish_module

    calls = []
    monkeypatch.setenv("REGIOPOOL_HOME", str(home))
    monkeypatch.setattr(quality, "run_quality_gate", _delivery_gate(calls))
    # the day the rebuild runs (raising=False: without the helper the test fails on outcomes)
    monkeypatch.setattr(publish_module, "berlin_today", lambda: today, raising=False)
    passed = {"month": month, "passed": True, "blocking": [], "warnings": [],
              "accepted_missing_partners": []}
    return revise(month, {"gate": passed}), calls


def test_january_run_revises_this_and_last_year_keeping_the_accepted_missing_partner(
    revise, tmp_path, monkeypatch
):
    """The run on 12 January 2026 reports December 2025. Published: 2024-12 (everyone
    delivered) and 2025-03 (IRL accepted as missing, and still missing). Late settlements of
    the Landkreis (July 2024, February 2025) change both months' figures.

    §5: the rebuild recomputes the current and previous calendar year *of the rebuild* (2026,
    2025): 2025-03 gets _r2, 2024-12 stays as published. 2025-03's gate accepts IRL again, as
    its published manifest did."""
    from regiopool.extract import publish_extract

    home = tmp_path / "home"
    extracts = home / "extracts"
    home.mkdir()
    first = build_warehouse(tmp_path / "first.duckdb")
    publish_extract(first, extracts, MONTH, GATE)
    gate_2412 = {"month": "2024-12", "passed": True, "blocking": [], "warnings": [],
                 "accepted_missing_partners": []}
    publish_extract(first, extracts, date(2024, 12, 1), gate_2412)
    before_2412 = sorted(p.name for p in (extracts / "2024-12").iterdir())

    late = [
        (date(2024, 7, 10), MKB, "OTHER", 5, 0, None),
        (date(2025, 2, 10), MKB, "OTHER", 5, 0, None),
    ]
    shutil.copy(build_warehouse(tmp_path / "late.duckdb", SETTLEMENTS + late),
                home / "warehouse.duckdb")

    report, calls = _revise_on(revise, monkeypatch, home, date(2026, 1, 12), "2025-12")

    assert calls == [(date(2025, 3, 1), ["irl"])]  # 2024-12 is not recomputed at all
    assert report == [
        {"month": "2025-03", "revision": 2, "written": True, "changes": 4, "skipped": None}
    ]
    m2 = json.loads((extracts / "2025-03" / "manifest_r2.json").read_text(encoding="utf-8"))
    assert m2["gate"]["accepted_missing_partners"] == ["irl"]
    assert m2["data_status"]["accepted_missing_partners"] == ["irl"]
    assert [(c["row"], c["column"], c["old"], c["new"]) for c in m2["changes"]] == [
        ("Landkreis Leipzig / Sonstige Branchen", "Ansiedlungen", "3", "4"),
        ("Landkreis Leipzig / Insgesamt", "Ansiedlungen", "8", "9"),
        ("Region insgesamt", "Ansiedlungen", "20", "21"),
        ("Region insgesamt", "Neue Arbeitsplätze", "1.221", "1.226"),
    ]
    # the year before last keeps its extract untouched
    assert sorted(p.name for p in (extracts / "2024-12").iterdir()) == before_2412
    assert not (extracts / "2024-12" / "manifest_r2.json").exists()


def test_a_month_whose_gate_fails_is_reported_not_skipped_silently(
    revise, tmp_path, monkeypatch, caplog
):
    """2025-03 was published with IRL accepted; the rebuild runs with a gate that blocks it for
    another partner (the Landkreis' delivery is gone): the month is named in the task's report
    and log, and its published revision stands."""
    from regiopool.extract import publish_extract

    home = tmp_path / "home"
    extracts = home / "extracts"
    home.mkdir()
    publish_extract(build_warehouse(tmp_path / "first.duckdb"), extracts, MONTH, GATE)
    gone = [(p, m, p != "lk_leipzig" and ok, *rest) for p, m, ok, *rest in DELIVERIES]
    build_warehouse(home / "warehouse.duckdb", deliveries=gone + EARLIER_DELIVERIES)

    with caplog.at_level("WARNING"):
        report, calls = _revise_on(revise, monkeypatch, home, date(2025, 5, 12), "2025-04")

    assert calls == [(date(2025, 3, 1), ["irl"])]
    assert report == [{"month": "2025-03", "revision": 1, "written": False, "changes": 0,
                       "skipped": "quality gate not passed: delivery (lk_leipzig)"}]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "2025-03" in logged and "delivery (lk_leipzig)" in logged
    assert sorted(p.name for p in (extracts / "2025-03").iterdir()) == [
        "Stadtrat_KPI_2025-03.pdf", "Stadtrat_KPI_2025-03.xlsx", "manifest.json"]
