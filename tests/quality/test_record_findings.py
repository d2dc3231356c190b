"""CATALOGUE §6 warnings that name a record or a file: records of one project that disagree, a
settlement whose enquiry is no longer won, a re-sent old file. Seeded into the hand-made
warehouse before dbt builds the quality models: each reaches marts.quality_findings with its
partner, file, sheet and row and rule, and the gate warns; the clean sample has none."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from regiopool.quality import run_quality_gate

from .conftest import apply_statements, build_quality_models, checks
from .warehouse import build_sources

DEFECTS = [
    # the city's March enquiries file has the bytes of its February file (and rows)
    ("update meta.load_ledger set resent_of = 'anfragen_2025-02.csv' "
    "where file_name = 'anfragen_2025-03.csv'"),
    ("insert into meta.load_findings select load_id, partner, null, file_name, null, null, null, "
    "'resent_file' from meta.load_ledger where file_name = 'anfragen_2025-03.csv'"),
    # the regional rules' findings, as int_quality__regional_findings locates them
    ("insert into intermediate.int_quality__regional_findings values "
    "('stadt_leipzig', DATE '2025-03-01', 'anfragen_2025-03.csv', NULL, 2, 'enquiries', "
    "'WF-2025-0301', 'RP-aaaaaaaaaaaa', 'records_disagree', 'records_disagree', 'warning', NULL), "
    "('lk_leipzig', DATE '2025-03-01', 'wifoe_lkl_2025-03.xlsx', 'Ansiedlungen', 2, "
    "'settlements', 'LKL-25-001', 'RP-cccccccccccc', 'settlement_enquiry_not_won', "
    "'settlement_enquiry_not_won', 'warning', NULL)"),
]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    work = tmp_path_factory.mktemp("record_findings")
    path = work / "warehouse.duckdb"
    build_sources(path)
    apply_statements(path, *DEFECTS)
    build_quality_models(path, work)
    return path, work


def _findings(path, *checks_):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(
            "select partner, month, file_name, sheet, line, table_name, record_id, check_name, "
            "rule, severity from marts.quality_findings where check_name in "
            f"({', '.join('?' for _ in checks_)}) order by partner, check_name",
            list(checks_)).fetchall()
    finally:
        con.close()


CHECKS = ("resent_file", "records_disagree", "settlement_enquiry_not_won", "load_finding")


def test_each_defect_is_one_finding_with_its_location(seeded):
    path, _ = seeded
    m = date(2025, 3, 1)
    assert _findings(path, *CHECKS) == [
        ("lk_leipzig", m, "wifoe_lkl_2025-03.xlsx", "Ansiedlungen", 2, "settlements",
         "LKL-25-001", "settlement_enquiry_not_won", "settlement_enquiry_not_won", "warning"),
        ("stadt_leipzig", m, "anfragen_2025-03.csv", None, 2, "enquiries", "WF-2025-0301",
         "records_disagree", "records_disagree", "warning"),
        # once, from the ledger: the ingestion's load finding of the same file is not repeated
        ("stadt_leipzig", m, "anfragen_2025-03.csv", None, None, None, None, "resent_file",
         "same_bytes_as_other_period", "warning"),
    ]


def test_the_clean_sample_has_none(built_warehouse):
    assert _findings(built_warehouse, *CHECKS) == []


def test_the_gate_warns_and_passes(seeded):
    path, work = seeded
    result = run_quality_gate(path, work / "quality", date(2025, 3, 1))
    assert result["passed"] is True
    found = sorted((w["check"], w["partner"]) for w in result["warnings"])
    assert found == [("records_disagree", "stadt_leipzig"), ("resent_file", "stadt_leipzig"),
                     ("settlement_enquiry_not_won", "lk_leipzig")]
    assert checks(result["warnings"], "records_disagree")[0]["message"].startswith(
        "findings: records of one project that disagree (one lost, another still open after "
        "90 days) (1 ")
    assert checks(result["warnings"], "settlement_enquiry_not_won")[0]["message"].startswith(
        "findings: a settlement whose enquiry is no longer won (1 ")
