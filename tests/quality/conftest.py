"""Fixtures: a hand-made warehouse (tests/quality/warehouse.py) with the quality models built
on top by the real dbt project (only the quality models are selected), and gate runs on
copies of it."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from regiopool.quality import run_quality_gate

from .warehouse import build_sources

REPO = Path(__file__).resolve().parents[2]
# the quality models with what they read (ledger, staging), and the reference seeds; the
# record and regional models are hand-made (warehouse.py), and so is the regional findings'
# location (int_quality__regional_findings: its SQL is unit-tested beside the model)
QUALITY_MODELS = ["+path:models/marts/quality", "resource_type:seed"]
HAND_MADE_MODELS = ["int_quality__regional_findings", "path:models/intermediate/regional",
                    "path:models/intermediate/records", "path:models/intermediate/histories"]


def dbt_project_dir() -> Path:
    return Path(os.environ.get("REGIOPOOL_DBT_PROJECT_DIR", REPO / "dbt_project"))


def build_quality_models(path: Path, work: Path) -> None:
    """dbt builds the quality models on the hand-made warehouse at ``path``."""
    from regiopool.transform import invoke_dbt

    project = dbt_project_dir()
    old = os.environ.get("REGIOPOOL_WAREHOUSE")
    os.environ["REGIOPOOL_WAREHOUSE"] = str(path)
    try:
        result = invoke_dbt([
            "build", "--project-dir", str(project), "--profiles-dir", str(project),
            "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
            "--select", *QUALITY_MODELS, "--exclude", *HAND_MADE_MODELS,
            "--quiet", "--full-refresh", "--indirect-selection", "cautious",
        ])
    finally:
        if old is None:
            os.environ.pop("REGIOPOOL_WAREHOUSE", None)
        else:
            os.environ["REGIOPOOL_WAREHOUSE"] = old
    assert result.success, f"dbt build of the quality models failed: {result.exception}"


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("quality_base")
    path = base / "warehouse.duckdb"
    build_sources(path)
    build_quality_models(path, base)
    return path


def copy_warehouse(built: Path, target_dir: Path, *statements: str) -> Path:
    """A copy of the built warehouse with ``statements`` applied (seeded defects)."""
    target_dir.mkdir(parents=True, exist_ok=True)
    path = target_dir / "warehouse.duckdb"
    shutil.copyfile(built, path)
    apply_statements(path, *statements)
    return path


def apply_statements(path: Path, *statements: str) -> None:
    """Run ``statements`` (seeded defects) against the warehouse at ``path``."""
    if not statements:
        return
    con = duckdb.connect(str(path))
    try:
        for sql in statements:
            con.execute(sql)
    finally:
        con.close()


def _run(tmp_path_factory, built, name, month, *statements, accepted=(), acceptances=None):
    work = tmp_path_factory.mktemp(name)
    warehouse = copy_warehouse(built, work, *statements)
    quality = work / "quality"
    if acceptances:
        quality.mkdir()
        (quality / "acceptances.yml").write_text(acceptances, encoding="utf-8")
    result = run_quality_gate(warehouse, quality, month, accepted)
    return result, quality


def checks(items, check):
    return [i for i in items if i["check"] == check]


@pytest.fixture(scope="session")
def clean(tmp_path_factory, built_warehouse):
    return _run(tmp_path_factory, built_warehouse, "clean", date(2025, 3, 1))


@pytest.fixture(scope="session")
def warning_defects(tmp_path_factory, built_warehouse):
    """Defects that CATALOGUE §6 counts as warnings, all in one month."""
    return _run(
        tmp_path_factory, built_warehouse, "warnings", date(2025, 3, 1),
        # an unknown municipality (AGS not in the reference) in IRL's settlement record
        "update intermediate.int_settlement_records set ags = '14999999' where partner = 'irl'",
        # a negative investment, as delivered by the city and harmonised
        "update raw_stadt_leipzig.settlements set investment_eur = -5 where _period = '2025-03-01'",
        "update intermediate.int_settlement_records set investment_eur = -5 "
        "where partner = 'stadt_leipzig'",
        # a key duplicated within one delivery of the district
        "insert into raw_lk_leipzig.enquiries (enquiry_id, received_on, status_label, _load_id, "
        "_source_file, _file_sha256, _row_number, _period, _loaded_at) "
        "select enquiry_id, received_on, status_label, _load_id, _source_file, _file_sha256, 99, "
        "_period, _loaded_at from raw_lk_leipzig.enquiries "
        "where _period = '2025-03-01' and enquiry_id = 'LKL-25-001'",
        # the district's stand-in snapshot ran out (regional land rule)
        "update intermediate.int_site_months set stand_in_ran_out = true "
        "where partner = 'lk_leipzig' and month = '2025-03-01'",
        # the record layer's flags (CATALOGUE §1.2, reference README, partners/lk_leipzig.md):
        # the district's status without status date, a district municipality name that did not
        # map, IRL's loss reason that did not map (counted as `other`)
        "update intermediate.int_enquiry_records set status_on_imputed = true, "
        "municipality_unmapped = true where partner = 'lk_leipzig'",
        "update intermediate.int_enquiry_records set lost_reason = 'other', "
        "lost_reason_unmapped = true where partner = 'irl'",
    )


@pytest.fixture(scope="session")
def blocking_defects(tmp_path_factory, built_warehouse):
    return _run(
        tmp_path_factory, built_warehouse, "blocking", date(2025, 3, 1),
        # a duplicated key in a published mart (and so marts that disagree)
        "insert into marts.fct_settlements select * from marts.fct_settlements "
        "where project_id = 'RP-bbbbbbbbbbbb'",
        # a contact e-mail from a free-text field that leaked into a harmonised model
        "update intermediate.int_enquiry_records set company_name = "
        "'Muster Logistik GmbH (erika.muster@example.org)' where partner = 'stadt_leipzig'",
    )


