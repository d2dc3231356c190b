"""dbt's own unit tests (the `unit_tests:` beside the models) and data tests on an empty build.

The production build skips unit tests (they test SQL logic, not deliveries); they run here,
against a warehouse that has the raw tables but no rows (`dbt build --empty`).
"""

from __future__ import annotations

import os

from regiopool.settings import DBT_PROJECT_DIR


def test_dbt_unit_tests_pass(tmp_path):
    from regiopool.ingest import ensure_warehouse
    from regiopool.transform import invoke_dbt

    warehouse = tmp_path / "warehouse.duckdb"
    ensure_warehouse(warehouse)
    os.environ["REGIOPOOL_WAREHOUSE"] = str(warehouse)
    result = invoke_dbt([
        "build", "--empty", "--project-dir", str(DBT_PROJECT_DIR),
        "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(tmp_path / "target"),
        "--log-path", str(tmp_path / "logs"), "--quiet"])
    statuses = [(r.node.unique_id, str(r.status)) for r in result.result or []]
    failed = [uid for uid, status in statuses if status in {"fail", "error", "runtime error"}]
    assert failed == []
    unit = [uid for uid, status in statuses if uid.startswith("unit_test.")]
    assert len(unit) >= 25, "every business rule keeps its unit test"
    assert result.success
