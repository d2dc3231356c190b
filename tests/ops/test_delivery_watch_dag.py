"""The deadline watch DAG as the scheduler sees it."""

from __future__ import annotations

import pytest

from regiopool.settings import DAGS_DIR


@pytest.fixture(scope="module")
def dag():
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(str(DAGS_DIR / "regiopool_delivery_watch.py"))
    assert bag.import_errors == {}
    return bag.dags["regiopool_delivery_watch"]


def test_runs_every_morning_berlin_time(dag):
    assert dag.timetable.expression == "0 8 * * *"
    assert str(dag.timezone) == "Europe/Berlin"
    assert not dag.catchup and dag.max_active_runs == 1


def test_reads_the_warehouse_in_the_writers_pool_and_alerts_after(dag):
    assert dag.get_task("find_late_deliveries").pool == "regiopool_warehouse"
    alert = dag.get_task("alert_late_partners")
    assert alert.upstream_task_ids == {"find_late_deliveries"}
    assert alert.pool != "regiopool_warehouse"
