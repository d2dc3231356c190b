"""Suites from configuration: a new partner gets its raw suites from its contract; no suite
reads a personal column; the Saxon deadline calendar."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from regiopool.ops.deadlines import delivery_deadline
from regiopool.quality.contracts import load_partners
from regiopool.quality.suites import expectations_dir, load_suite_file, raw_datasets

REPO = Path(__file__).resolve().parents[2]

NEW_PARTNER = """\
partner: ihk_leipzig
name: IHK zu Leipzig
deadline_working_days: 7
deliveries:
  - kind: enquiries
    file_pattern: '^ihk_(?P<period>\\d{4}-\\d{2})\\.csv$'
    period: month
    semantics: delta
    format: csv
    encoding: utf-8
    csv: {delimiter: ";"}
    tables:
      - table: enquiries
        columns:
          - {source: Nr, name: enquiry_id, type: text, required: true, unique_in_file: true}
          - {source: Eingang, name: received_on, type: date, required: true, in_period: true}
          - {source: Art, name: kind_code, type: text, accepted_values: [A, B]}
          - {source: Jobs, name: jobs_new, type: integer}
          - {source: Mail, name: contact_email, type: text, optional: true, personal: true}
"""


def test_a_new_partner_gets_its_suite_by_configuration(tmp_path):
    (tmp_path / "ihk_leipzig.yml").write_text(NEW_PARTNER, encoding="utf-8")
    [partner] = load_partners(tmp_path)
    assert partner.kinds == ("enquiries",) and partner.deadline_working_days == 7
    existing = {"raw_ihk_leipzig.enquiries": {"enquiry_id", "received_on", "kind_code",
                                              "jobs_new", "contact_email"}}
    datasets = {d.suite: d for d in raw_datasets([partner], expectations_dir(), existing)}
    assert set(datasets) == {"raw_schema.ihk_leipzig", "raw.ihk_leipzig.enquiries"}
    raw = datasets["raw.ihk_leipzig.enquiries"]
    got = {(e.type, str(e.kwargs.get("column") or e.kwargs.get("column_list")), e.check)
           for e in raw.expectations}
    assert ("expect_column_values_to_not_be_null", "enquiry_id", "raw_contract") in got
    assert ("expect_column_values_to_not_be_null", "received_on", "raw_contract") in got
    assert ("expect_column_values_to_be_in_set", "kind_code", "raw_contract") in got
    assert ("expect_compound_columns_to_be_unique", "['_load_id', 'enquiry_id']",
            "duplicate_key") in got
    assert ("expect_column_values_to_be_between", "jobs_new", "implausible_value") in got
    assert "contact_email" not in raw.sql
    assert all(e.severity == "warning" for e in raw.expectations)


def _personal_columns():
    return {c.name for p in load_partners() for t in p.tables for c in t.columns if c.personal}


def test_no_suite_selects_a_personal_column():
    personal = _personal_columns()
    assert {"contact_email", "remark", "note", "payload", "contact"} <= personal
    partners = load_partners()
    existing = {t.relation: {c.name for c in t.columns} for p in partners for t in p.tables}
    sqls = [d.sql for d in raw_datasets(partners, expectations_dir(), existing)]
    for name in ("deliveries.yml", "harmonised.yml", "marts.yml"):
        sqls += [d.sql for d in load_suite_file(expectations_dir() / name)]
    for sql in sqls:
        # column names as string literals (the raw_schema suites list the contract's columns)
        # are metadata, not reads
        words = set(re.findall(r"[a-z_]+", re.sub(r"'[^']*'", "''", sql.lower())))
        assert not (words & personal), (words & personal, sql)
        assert not re.search(r"select\s+(distinct\s+)?(\w+\.)?\*", sql.lower()), sql


def test_every_expectation_declares_check_and_severity():
    for name in ("deliveries.yml", "harmonised.yml", "marts.yml"):
        for dataset in load_suite_file(expectations_dir() / name):
            assert dataset.expectations, dataset.suite
            for e in dataset.expectations:
                assert e.check and e.severity in ("critical", "warning")


@pytest.mark.parametrize("month, deadline", [
    (date(2025, 3, 1), date(2025, 4, 7)),
    (date(2024, 12, 1), date(2025, 1, 8)),   # New Year
    (date(2025, 4, 1), date(2025, 5, 8)),    # 1 May
    (date(2025, 9, 1), date(2025, 10, 8)),   # 3 October
    (date(2025, 11, 1), date(2025, 12, 5)),
])
def test_fifth_working_day_in_saxony(month, deadline):
    assert delivery_deadline(month) == deadline
