"""What the scheduler checks when it parses the DAG folder."""

from __future__ import annotations

import pytest

from regiopool.settings import DAGS_DIR


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(str(DAGS_DIR))


def test_dags_import_without_errors(dagbag):
    assert dagbag.import_errors == {}


def test_the_pipeline_dags_exist(dagbag):
    assert {"regiopool_transform", "regiopool_council_extract"} <= set(dagbag.dag_ids)


def test_every_dag_has_owner_retries_tags_and_doc(dagbag):
    for dag_id, dag in dagbag.dags.items():
        assert dag.doc_md and len(dag.doc_md) > 100, dag_id
        assert "regiopool" in dag.tags, dag_id
        assert dag.max_active_runs == 1 or dag_id.startswith("regiopool_ingest_"), dag_id
        for task in dag.tasks:
            assert task.owner == "regiopool-data-engineering", (dag_id, task.task_id)
            assert task.retries >= 1, (dag_id, task.task_id)
            assert task.on_failure_callback, (dag_id, task.task_id)


def test_transform_runs_when_raw_data_landed(dagbag):
    dag = dagbag.dags["regiopool_transform"]
    names = {asset.name for asset in dag.timetable.asset_condition.objects}
    assert {"raw_stadt_leipzig.enquiries", "raw_lk_leipzig.sites", "raw_irl.events"} <= names


def test_warehouse_writers_share_the_one_slot_pool(dagbag):
    transform = dagbag.dags["regiopool_transform"]
    assert transform.get_task("build_marts").pool == "regiopool_warehouse"
    assert transform.get_task("publish_for_analysts").pool == "regiopool_warehouse"


def test_extract_is_monthly_after_the_partner_deadline(dagbag):
    dag = dagbag.dags["regiopool_council_extract"]
    assert dag.timetable.expression == "0 6 12 * *"
    assert "report_month" in dag.params
