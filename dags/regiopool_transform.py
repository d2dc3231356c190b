"""regiopool_transform: harmonise, build the marts, check them, publish them for analysts.

Runs whenever a partner's ingestion DAG has landed new rows in any raw table (Assets).
"""

from __future__ import annotations

from airflow.sdk import AssetAny, dag, task

from regiopool.airflow_defaults import START_DATE, WAREHOUSE_POOL, default_args
from regiopool.assets import MARTS, PUBLISHED_MARTS, raw_assets

DOC = """
### Harmonise and build the regional marts

Runs when any partner's raw tables received new rows (Assets `raw_<partner>.<table>`).

1. **build_marts**: one in-process `dbt build` (seeds, staging, histories, regional projects,
   settlements, land, marts, and all dbt tests) against `HOME/warehouse.duckdb`.
2. **check_quality**: the Great Expectations suites over raw tables, harmonised models and marts,
   for the latest month that every partner delivered; results and Data Docs in `HOME/quality/`.
3. **publish_for_analysts**: only when the gate passed, a read-only copy of the marts (DuckDB
   file swapped in atomically, plus Parquet) in `HOME/published/`.

Failure here means: look at the task log; dbt's own log is in `HOME/dbt/logs/`. A failed gate
publishes nothing: analysts keep the previous copy. To rebuild the marts now (after a fix),
trigger this DAG by hand (▶); to republish only the analysts' copy, clear `publish_for_analysts`.
Runbook: `docs/operations.md`.
"""


@dag(
    dag_id="regiopool_transform",
    description="dbt build of the harmonised model and KPI marts, quality gate, analyst copy",
    schedule=AssetAny(*raw_assets()),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    tags=["regiopool", "transform", "dbt", "quality"],
    doc_md=DOC,
)
def regiopool_transform():
    @task(pool=WAREHOUSE_POOL, outlets=[MARTS])
    def build_marts() -> dict:
        from regiopool.settings import get_settings
        from regiopool.transform import dbt_build

        return dbt_build(get_settings())

    @task
    def check_quality(build: dict) -> dict:
        from regiopool.quality import run_quality_gate
        from regiopool.report_month import latest_complete_month
        from regiopool.settings import get_settings

        settings = get_settings()
        month = latest_complete_month(settings.warehouse)
        if month is None:
            return {"month": None, "passed": False, "blocking": [
                {"check": "no_complete_month", "partner": None,
                 "message": "no month has deliveries from every partner yet"}], "warnings": []}
        return run_quality_gate(settings.warehouse, settings.quality_dir, month)

    @task(pool=WAREHOUSE_POOL, outlets=[PUBLISHED_MARTS])
    def publish_for_analysts(gate: dict) -> dict:
        from regiopool.publish import publish_marts
        from regiopool.quality import assert_gate_passed
        from regiopool.settings import get_settings

        assert_gate_passed(gate)
        settings = get_settings()
        return publish_marts(settings.warehouse, settings.published_dir, gate=gate)

    publish_for_analysts(check_quality(build_marts()))


regiopool_transform()
