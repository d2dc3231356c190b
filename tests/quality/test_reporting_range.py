"""The marts' agreement on the reporting range (CATALOGUE §0, §6): the KPI marts cover the
project range only, so a fact of `fct_projects` / `fct_settlements` dated outside it is no
disagreement (it does not block the extract) but a warning that counts it; a disagreement inside
the range still blocks.

The test warehouse's range is 2025-01 to 2025-07 (tests/quality/warehouse.py). The facts below
are in `fct_*` as dbt would build them; the KPI marts count only their in-range months."""

from __future__ import annotations

from datetime import date

import pytest

from .conftest import _run, checks


def _sql(value) -> str:
    return "NULL" if value is None else f"'{value}'"


def _project(project_id, received, cluster, status, won=None, lost=None, reason=None,
             partner="irl"):
    return (f"insert into marts.fct_projects (project_id, first_received_on, cluster_code, "
            f"status, won_on, lost_on, lost_reason, partners, record_count) values "
            f"('{project_id}', DATE '{received}', '{cluster}', '{status}', "
            f"{_sql(won)}::date, {_sql(lost)}::date, {_sql(reason)}, ['{partner}'], 1)")


def _settlement(project_id, decided, ags, cluster, jobs_new, investment, partner):
    return (f"insert into marts.fct_settlements values ('{project_id}', DATE '{decided}', "
            f"'{ags}', '{cluster}', {jobs_new}, 0, {investment}, NULL, '{partner}')")


def _new_in_kpi(month, cluster):
    """kpi_projects_monthly counts the project's in-range month of first_received_on."""
    return (f"update marts.kpi_projects_monthly set new_projects = new_projects + 1 "
            f"where month = DATE '{month}' and cluster_code = '{cluster}'")


OUTSIDE_THE_RANGE = (
    # won on the month after the range's end (an IRL status event at 2025-07-31 22:30Z is
    # 2025-08-01 in Berlin; IRL's dates have no upper bound), with its settlement
    _project("RP-eeeeeeeeeeee", "2025-06-10", "LOGISTICS", "won", won="2025-08-01"),
    _settlement("RP-eeeeeeeeeeee", "2025-08-01", "14713000", "LOGISTICS", 12, 400000, "irl"),
    _new_in_kpi("2025-06-01", "LOGISTICS"),
    # won (and settled) before the range's start: a decision dated before its enquiry
    _project("RP-ffffffffffff", "2025-02-03", "AUTO", "won", won="2024-12-15",
             partner="lk_leipzig"),
    _settlement("RP-ffffffffffff", "2024-12-15", "14729050", "AUTO", 7, 250000, "lk_leipzig"),
    _new_in_kpi("2025-02-01", "AUTO"),
    # received after the range's end (IRL's received_on is not checked against its file date)
    _project("RP-111111111111", "2025-08-02", "OTHER", "new"),
    # lost after the range's end
    _project("RP-222222222222", "2025-05-05", "OTHER", "lost", lost="2025-08-03",
             reason="costs"),
    _new_in_kpi("2025-05-01", "OTHER"),
)

INSIDE_THE_RANGE = (
    # received in April, won and settled in May: in fct_* but in no KPI month (a real
    # disagreement)
    _project("RP-333333333333", "2025-04-07", "AUTO", "won", won="2025-05-12",
             partner="stadt_leipzig"),
    _settlement("RP-333333333333", "2025-05-12", "14713000", "AUTO", 20, 900000,
                "stadt_leipzig"),
)


@pytest.fixture(scope="module")
def outside(tmp_path_factory, built_warehouse):
    return _run(tmp_path_factory, built_warehouse, "outside_range", date(2025, 3, 1),
                *OUTSIDE_THE_RANGE)[0]


@pytest.fixture(scope="module")
def outside_and_inside(tmp_path_factory, built_warehouse):
    return _run(tmp_path_factory, built_warehouse, "outside_and_inside_range",
                date(2025, 3, 1), *OUTSIDE_THE_RANGE, *INSIDE_THE_RANGE)[0]


def _outside_messages(result):
    return sorted(w["message"] for w in checks(result["warnings"], "outside_reporting_range"))


def test_facts_outside_the_range_do_not_block(outside):
    assert outside["passed"] is True
    assert outside["blocking"] == []
    assert outside["suites"]["marts.agreement_projects"]["success"] is True
    assert outside["suites"]["marts.agreement_settlements"]["success"] is True


def test_facts_outside_the_range_are_warnings_with_their_count(outside):
    found = checks(outside["warnings"], "outside_reporting_range")
    assert all(w["partner"] is None for w in found)
    projects = "marts.fct_projects_outside_range"
    settlements = "marts.fct_settlements_outside_range"
    assert _outside_messages(outside) == [
        (f"{projects}: first_received_on outside the reporting range (not in new_projects of "
         "kpi_projects_monthly) (1 of 8 rows)"),
        (f"{projects}: lost_on outside the reporting range (not in lost_projects of "
         "kpi_projects_monthly) (1 of 8 rows)"),
        (f"{projects}: won_on outside the reporting range (not in won_projects of "
         "kpi_projects_monthly) (2 of 8 rows)"),
        (f"{settlements}: decided_on outside the reporting range (not in "
         "kpi_settlements_monthly) (2 of 5 rows)"),
    ]
    # counts only: no project id, no other row content
    assert not any("RP-" in w["message"] for w in found)
    # they are the only warnings (the clean month has none)
    assert [w["check"] for w in outside["warnings"]] == ["outside_reporting_range"] * 4


def test_the_clean_month_has_no_fact_outside_the_range(clean):
    result, _ = clean
    assert result["suites"]["marts.fct_projects_outside_range"]["success"] is True
    assert result["suites"]["marts.fct_settlements_outside_range"]["success"] is True


def test_a_disagreement_inside_the_range_still_blocks(outside_and_inside):
    result = outside_and_inside
    assert result["passed"] is False
    blocking = sorted(b["message"] for b in result["blocking"])
    assert [b["check"] for b in result["blocking"]] == ["mart_agreement"] * len(blocking)
    # only the in-range months disagree: April's new project, May's win and settlement
    # (the range has 7 months; the facts outside it are not compared)
    assert blocking == [
        ("marts.agreement_projects: new_projects per month of the range = projects of "
         "fct_projects by first_received_on (1 of 7 rows)"),
        "marts.agreement_projects: won_projects per month = projects by won_on (1 of 7 rows)",
        "marts.agreement_settlements: investment per month agrees (1 of 7 rows)",
        ("marts.agreement_settlements: kpi_settlements_monthly.settlements per month of the "
         "range = rows of fct_settlements (1 of 7 rows)"),
        "marts.agreement_settlements: new jobs per month agree (1 of 7 rows)",
    ]
    # the facts outside the range are still reported, and do not block
    assert len(_outside_messages(result)) == 4
