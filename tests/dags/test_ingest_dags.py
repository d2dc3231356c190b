"""The ingestion DAGs as the scheduler sees them: one per contract, generated, well-formed."""

from __future__ import annotations

import pytest

from regiopool.contracts import load_contracts
from regiopool.settings import DAGS_DIR


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(str(DAGS_DIR))


def test_the_dag_file_imports_without_errors(dagbag):
    assert not {k: v for k, v in dagbag.import_errors.items() if "regiopool_ingest" in k}


def test_one_dag_per_contract(dagbag):
    partners = {c.partner for c in load_contracts()}
    ingest = {d for d in dagbag.dag_ids if d.startswith("regiopool_ingest_")}
    assert ingest == {f"regiopool_ingest_{p}" for p in partners}
    assert len(partners) >= 3


def test_owner_retries_tags_and_doc(dagbag):
    for c in load_contracts():
        dag = dagbag.dags[f"regiopool_ingest_{c.partner}"]
        assert {"regiopool", "ingest", c.partner} <= set(dag.tags)
        assert c.name in dag.doc_md and "check_schema_drift" in dag.doc_md
        assert dag.catchup is False and dag.max_active_runs == 1
        for t in dag.tasks:
            assert t.owner == "regiopool-data-engineering"
            assert t.retries >= 1 and t.on_failure_callback, t.task_id


def test_every_warehouse_writer_takes_the_one_slot_pool(dagbag):
    for c in load_contracts():
        dag = dagbag.dags[f"regiopool_ingest_{c.partner}"]
        writers = [t for t in dag.tasks if t.task_id in ("load_files", "read_api")]
        assert writers and all(t.pool == "regiopool_warehouse" for t in writers)
    assert "read_api" in dagbag.dags["regiopool_ingest_irl"].task_ids
    assert "read_api" not in dagbag.dags["regiopool_ingest_lk_leipzig"].task_ids


def test_an_asset_per_raw_table(dagbag):
    for c in load_contracts():
        dag = dagbag.dags[f"regiopool_ingest_{c.partner}"]
        for table in c.tables:
            t = dag.get_task(f"announce_{table.table}")
            (asset,) = t.outlets
            assert asset.name == f"raw_{c.partner}.{table.table}"
            assert asset.uri == f"regiopool://warehouse/raw_{c.partner}/{table.table}"
            assert set(t.upstream_task_ids) >= {"load_files"}


def test_schema_drift_fails_the_check_task_naming_file_and_columns(dagbag):
    task = dagbag.dags["regiopool_ingest_stadt_leipzig"].get_task("check_schema_drift")
    summary = {"partner": "stadt_leipzig", "new_rows": {}, "files": [
        {"file_name": "anfragen_2025-02.csv", "status": "loaded", "message": ""},
        {"file_name": "anfragen_2025-03.csv", "status": "rejected_schema",
         "message": "schema drift, file not loaded: table enquiries: missing column(s) 'Status'"},
    ]}
    with pytest.raises(RuntimeError, match=r"anfragen_2025-03\.csv: .*'Status'"):
        task.python_callable(summary)
    task.python_callable({**summary, "files": summary["files"][:1]})  # no drift: passes


def test_announce_skips_when_its_table_got_no_rows(dagbag):
    from airflow.sdk.exceptions import AirflowSkipException

    task = dagbag.dags["regiopool_ingest_irl"].get_task("announce_events")
    assert task.python_callable({"new_rows": {"raw_irl.events": 3}}, {"new_rows": {}}) == 3
    assert task.python_callable({"new_rows": {}}, {"new_rows": {"raw_irl.events": 2}}) == 2
    with pytest.raises(AirflowSkipException):
        task.python_callable({"new_rows": {}}, {"new_rows": {}})
