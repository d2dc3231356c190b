"""The gate on seeded defects: each fails the right expectation, and the gate blocks or warns
as CATALOGUE §6 says; the clean month passes."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest

from regiopool.quality import GateFailed, assert_gate_passed, run_quality_gate

from .conftest import _run, checks, copy_warehouse


def test_clean_month_passes(clean):
    result, quality = clean
    assert result["passed"] is True
    assert result["blocking"] == []
    assert result["warnings"] == []
    assert result["month"] == "2025-03"
    assert result["accepted_missing_partners"] == []
    assert all(s["success"] for s in result["suites"].values())
    assert {"raw.stadt_leipzig.enquiries", "raw.lk_leipzig.sites", "raw.irl.events",
            "harmonised.int_settlement_records", "marts.fct_settlements",
            "marts.agreement_settlements", "deliveries", "findings",
            "privacy.contact_data"} <= set(result["suites"])
    assert sum(s["evaluated"] for s in result["suites"].values()) > 100
    assert json.loads((quality / "2025-03" / "gate.json").read_text()) == result
    assert (quality / "data_docs" / "index.html").exists()
    assert_gate_passed(result)


def test_unknown_municipality_warns(warning_defects):
    result, _ = warning_defects
    found = checks(result["warnings"], "unknown_code")
    assert [(w["partner"], "int_settlement_records" in w["message"]) for w in found] == [
        ("irl", True)]
    assert "AGS" in found[0]["message"] and "(1 of 1 rows)" in found[0]["message"]


def test_negative_investment_warns_in_raw_and_harmonised(warning_defects):
    result, _ = warning_defects
    found = sorted((w["partner"], w["message"].split(":")[0])
                   for w in checks(result["warnings"], "negative_value"))
    assert found == [("stadt_leipzig", "harmonised.int_settlement_records"),
                     ("stadt_leipzig", "raw.stadt_leipzig.settlements")]


def test_duplicated_key_in_a_delivery_warns(warning_defects):
    result, _ = warning_defects
    found = checks(result["warnings"], "duplicate_key")
    assert [(w["partner"], w["message"].split(":")[0]) for w in found] == [
        ("lk_leipzig", "raw.lk_leipzig.enquiries")]
    assert "(2 of 4 rows)" in found[0]["message"]


def test_stand_in_ran_out_warns(warning_defects):
    result, _ = warning_defects
    assert [(w["partner"], w["message"].split(":")[0])
            for w in checks(result["warnings"], "stand_in_ran_out")] == [
        ("lk_leipzig", "regional.int_site_months")]


def test_record_flags_warn(warning_defects):
    # a status dated by imputation, a municipality and a loss reason that did not map: each a
    # warning naming the partner and the record model; the clean month has none of them
    result, _ = warning_defects
    found = sorted((w["check"], w["partner"], w["message"].split(":")[0])
                   for w in result["warnings"]
                   if w["check"] in ("imputed_status_date", "unmapped_value"))
    assert found == [
        ("imputed_status_date", "lk_leipzig", "harmonised.int_enquiry_records"),
        ("unmapped_value", "irl", "harmonised.int_enquiry_records"),
        ("unmapped_value", "lk_leipzig", "harmonised.int_enquiry_records"),
    ]
    messages = {(w["check"], w["partner"]): w["message"] for w in result["warnings"]}
    assert "status without status date" in messages["imputed_status_date", "lk_leipzig"]
    assert "loss reason did not map" in messages["unmapped_value", "irl"]
    assert "municipality did not map" in messages["unmapped_value", "lk_leipzig"]
    assert "(1 of 1 rows)" in messages["imputed_status_date", "lk_leipzig"]


def test_warnings_do_not_block(warning_defects):
    result, _ = warning_defects
    assert result["passed"] is True and result["blocking"] == []
    assert result["suites"]["harmonised.int_settlement_records"]["success"] is False


def test_duplicated_key_in_a_mart_blocks(blocking_defects):
    result, _ = blocking_defects
    assert result["passed"] is False
    grain = checks(result["blocking"], "mart_grain")
    assert [g["message"].split(":")[0] for g in grain] == ["marts.fct_settlements"]
    agreement = checks(result["blocking"], "mart_agreement")
    assert {a["message"].split(":")[0] for a in agreement} == {"marts.agreement_settlements"}
    assert all(b["partner"] is None for b in grain + agreement)


def test_contact_datum_outside_raw_blocks(blocking_defects):
    result, _ = blocking_defects
    found = checks(result["blocking"], "contact_datum")
    assert [(f["partner"], f["message"].split(":")[0]) for f in found] == [
        ("stadt_leipzig", "privacy.contact_data")]
    assert "(1 of " in found[0]["message"]


def test_gate_failed_names_checks_and_partners(blocking_defects):
    result, _ = blocking_defects
    with pytest.raises(GateFailed) as err:
        assert_gate_passed(result)
    message = str(err.value)
    assert "2025-03" in message
    assert "mart_grain (all partners)" in message
    assert "contact_datum (stadt_leipzig)" in message
    assert err.value.result is result


def test_partner_without_delivery_blocks(tmp_path_factory, built_warehouse):
    result, _ = _run(tmp_path_factory, built_warehouse, "missing", date(2025, 4, 1))
    assert result["passed"] is False
    assert [(b["check"], b["partner"]) for b in result["blocking"]] == [("delivery", "irl")]


def test_accepted_missing_partner_passes(tmp_path_factory, built_warehouse):
    result, _ = _run(tmp_path_factory, built_warehouse, "accepted", date(2025, 4, 1),
                     accepted=["irl"])
    assert result["passed"] is True
    assert result["accepted_missing_partners"] == ["irl"]
    assert [(w["check"], w["partner"]) for w in result["warnings"]] == [("delivery", "irl")]
    assert "accepted by the run" in result["warnings"][0]["message"]


def test_schema_drift_blocks(tmp_path_factory, built_warehouse):
    result, _ = _run(tmp_path_factory, built_warehouse, "drift", date(2025, 5, 1))
    assert result["passed"] is False
    assert sorted((b["check"], b["partner"]) for b in result["blocking"]) == [
        ("delivery", "stadt_leipzig"), ("schema_drift", "stadt_leipzig")]


def test_district_drop_blocks_until_accepted(tmp_path_factory, built_warehouse):
    result, _ = _run(tmp_path_factory, built_warehouse, "drop", date(2025, 6, 1))
    assert [(b["check"], b["partner"]) for b in result["blocking"]] == [
        ("district_drop", "lk_leipzig")]
    accepted, _ = _run(
        tmp_path_factory, built_warehouse, "drop_accepted", date(2025, 6, 1),
        acceptances=(
            "acceptances:\n"
            "  - check: district_drop\n    partner: lk_leipzig\n    month: 2025-06\n"
            "    file: wifoe_lkl_2025-06.xlsx\n    accepted_by: WiFoe LK, ticket 4711\n"
            "    accepted_on: 2025-07-09\n    reason: settlement withdrawn by the investor\n"
        ),
    )
    assert accepted["passed"] is True
    assert [(w["check"], w["partner"]) for w in accepted["warnings"]] == [
        ("district_drop", "lk_leipzig")]
    assert accepted["acceptances"][0]["accepted_by"] == "WiFoe LK, ticket 4711"


def test_late_delivery_warns(tmp_path_factory, built_warehouse):
    result, _ = _run(tmp_path_factory, built_warehouse, "late", date(2025, 7, 1))
    assert result["passed"] is True
    assert [(w["check"], w["partner"]) for w in result["warnings"]] == [
        ("late_delivery", "lk_leipzig")]


def test_missing_mart_blocks(tmp_path_factory, built_warehouse):
    result, _ = _run(tmp_path_factory, built_warehouse, "no_mart", date(2025, 3, 1),
                     "drop table marts.kpi_settlements_monthly")
    assert result["passed"] is False
    assert {b["message"].split(":")[0] for b in checks(result["blocking"], "missing_relation")} \
        == {"marts.kpi_settlements_monthly", "marts.agreement_settlements"}


def test_a_decision_stands_only_while_its_inputs_are_unchanged(tmp_path, built_warehouse):
    """`reuse=True` (the extract DAG after the transform DAG's gate) returns the decision
    already taken for the unchanged warehouse, and validates again once anything it depends
    on changed: a write to the warehouse, the run's accepted partners."""
    warehouse = copy_warehouse(built_warehouse, tmp_path)
    quality = tmp_path / "quality"
    month = date(2025, 3, 1)
    first = run_quality_gate(warehouse, quality, month)
    assert first["passed"] is True
    assert run_quality_gate(warehouse, quality, month, reuse=True) == first  # stands

    con = duckdb.connect(str(warehouse))  # a seeded blocking defect written afterwards
    con.execute("insert into marts.fct_settlements select * from marts.fct_settlements "
                "where project_id = 'RP-bbbbbbbbbbbb'")
    con.close()
    again = run_quality_gate(warehouse, quality, month, reuse=True)
    assert again["passed"] is False and again["inputs"] != first["inputs"]
    assert checks(again["blocking"], "mart_grain")
    accepted = run_quality_gate(warehouse, quality, month, ["irl"], reuse=True)
    assert accepted["inputs"] != again["inputs"]
    assert accepted["accepted_missing_partners"] == ["irl"]
