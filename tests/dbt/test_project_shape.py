"""The dbt DAG's shape, judged by the dbt-project-evaluator rules (regiopool.dbt_shape)."""

from __future__ import annotations

import os

import pytest

from regiopool.dbt_shape import evaluate
from regiopool.settings import DBT_PROJECT_DIR


def _model(name, folder, parents=(), description="d", code="select 1", columns=None):
    return f"model.regiopool.{name}", {
        "resource_type": "model", "name": name,
        "original_file_path": f"models/{folder}/{name}.sql",
        "depends_on": {"nodes": list(parents)}, "description": description,
        "raw_code": code, "columns": columns or {}, "constraints": [],
    }


def _pk_test(model_uid):
    return f"test.regiopool.unique_{model_uid}", {
        "resource_type": "test", "attached_node": model_uid, "test_metadata": {"name": "unique"},
        "original_file_path": "x", "depends_on": {"nodes": [model_uid]},
    }


def _rules(*entries):
    return sorted({v.rule for v in evaluate({"nodes": dict(entries)})})


SRC = "source.regiopool.raw_irl.events"


def test_a_clean_chain_has_no_violation():
    stg = _model("stg_irl__events", "staging/irl", [SRC])
    it = _model("int_projects", "intermediate", [stg[0]])
    mart = _model("fct_projects", "marts", [it[0]], columns={"project_id": {"description": "id"}})
    assert _rules(stg, it, mart, _pk_test(it[0]), _pk_test(mart[0])) == []


@pytest.mark.parametrize("entries, rule", [
    ([_model("int_x", "intermediate", [SRC])], "fct_marts_or_intermediate_dependent_on_source"),
    ([_model("stg_a__b", "staging/a", [SRC, "source.regiopool.raw_a.c"])], "fct_multiple_sources_joined"),
    ([_model("stg_a__b", "staging/a", [SRC, "model.regiopool.int_y"]), _model("int_y", "intermediate", [SRC])],
     "fct_direct_join_to_source"),
    ([_model("int_x", "staging/a", [SRC])], "fct_model_directories"),
    ([_model("events", "staging/a", [SRC])], "fct_model_naming_conventions"),
    ([_model("stg_a__b", "staging/a", [SRC], description="")], "fct_undocumented_models"),
    ([_model("stg_a__b", "staging/a", [SRC], code="select * from raw_irl.events")], "fct_hard_coded_references"),
    ([_model("fct_x", "marts", ["model.regiopool.stg_a__b"])], "fct_missing_primary_key_tests"),
    ([_model("fct_x", "marts", ["seed.regiopool.c"], columns={"a": {"description": ""}})], "fct_undocumented_columns"),
    ([_model("stg_a__b", "staging/a", [])], "fct_root_models"),
])
def test_each_rule_catches_its_violation(entries, rule):
    assert rule in _rules(*entries)


@pytest.mark.skipif(not (DBT_PROJECT_DIR / "dbt_project.yml").exists(), reason="no dbt project yet")
def test_the_project_follows_the_rules(tmp_path):
    from dbt.cli.main import dbtRunner

    os.environ.setdefault("REGIOPOOL_WAREHOUSE", str(tmp_path / "parse.duckdb"))
    result = dbtRunner().invoke(["parse", "--project-dir", str(DBT_PROJECT_DIR),
                                 "--profiles-dir", str(DBT_PROJECT_DIR),
                                 "--target-path", str(tmp_path / "target"), "--quiet"])
    assert result.success, result.exception
    violations = evaluate(result.result.to_dict() if hasattr(result.result, "to_dict")
                          else __import__("json").loads((tmp_path / "target/manifest.json").read_text()))
    assert [str(v) for v in violations] == []
