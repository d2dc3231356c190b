"""The whole pipeline, run through Airflow exactly as the scheduler would run it.

`run_pipeline()` starts one Python process (`python -m regiopool.pipeline`) that configures an
Airflow home under `HOME/airflow` (SQLite metadata database), loads the DAGs from `dags/` with
Airflow's own DagBag and runs them with `dag.test()`:

    regiopool_ingest_<partner> (one per partner contract)  →  regiopool_transform
    →  regiopool_council_extract (for the report month)

A separate process keeps Airflow's configuration (read once at import) apart from the caller,
so that tests and the CLI can run several homes one after the other.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from regiopool.settings import DAGS_DIR, Settings, get_settings

INGEST_PREFIX = "regiopool_ingest_"
TRANSFORM_DAG = "regiopool_transform"
EXTRACT_DAG = "regiopool_council_extract"


class PipelineError(RuntimeError):
    """The pipeline could not start or a DAG run failed; the message says which."""


@dataclass
class PipelineResult:
    home: Path
    warehouse: Path
    report_month: str | None
    runs: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed_runs(self) -> list[dict]:
        return [r for r in self.runs if r["state"] != "success"]

    @property
    def ok(self) -> bool:
        return bool(self.runs) and not self.failed_runs

    @property
    def extract_dir(self) -> Path | None:
        if not self.report_month:
            return None
        return self.home / "extracts" / self.report_month

    @property
    def quality_dir(self) -> Path:
        return self.home / "quality"


def airflow_environment(settings: Settings, *, verbose: bool = False) -> dict[str, str]:
    """Environment for an Airflow process that runs regiopool's DAGs against `settings`."""
    airflow_home = settings.airflow_home
    return {
        "AIRFLOW_HOME": str(airflow_home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_DIR),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{airflow_home / 'airflow.db'}",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO" if verbose else "WARNING",
        "AIRFLOW__CORE__DAGBAG_IMPORT_TIMEOUT": "120",
        "REGIOPOOL_HOME": str(settings.home),
        "REGIOPOOL_INBOX": str(settings.inbox),
        # an interactive run fails at once; the scheduler keeps the retries of default_args()
        "REGIOPOOL_RETRIES": "0",
        "PYTHONWARNINGS": "ignore",
    }


def check_inbox(inbox: Path) -> None:
    if not inbox.is_dir():
        raise PipelineError(f"inbox not found: {inbox}")
    if not any(p.is_dir() for p in inbox.iterdir()):
        raise PipelineError(f"inbox has no partner folders: {inbox}")


def run_pipeline(
    inbox: str | Path | None = None,
    home: str | Path | None = None,
    report_month: str | None = None,
    accepted_missing_partners: tuple[str, ...] | list[str] = (),
    verbose: bool = False,
) -> PipelineResult:
    """Run every DAG once, in order, through Airflow; return what each run did."""
    settings = get_settings(home=home, inbox=inbox)
    check_inbox(settings.inbox)
    settings.home.mkdir(parents=True, exist_ok=True)
    settings.airflow_home.mkdir(parents=True, exist_ok=True)
    result_file = settings.airflow_home / "last_run.json"
    result_file.unlink(missing_ok=True)
    env = {**os.environ, **airflow_environment(settings, verbose=verbose)}
    args = [sys.executable, "-m", "regiopool.pipeline", "--result", str(result_file)]
    if report_month:
        args += ["--report-month", report_month]
    for partner in accepted_missing_partners:
        args += ["--accept-missing", partner]
    started = time.monotonic()
    proc = subprocess.run(args, env=env, check=False)
    seconds = round(time.monotonic() - started, 1)
    if not result_file.exists():
        raise PipelineError(f"the Airflow run ended without a result (exit code {proc.returncode})")
    data = json.loads(result_file.read_text(encoding="utf-8"))
    if data.get("error"):
        raise PipelineError(data["error"])
    return PipelineResult(
        home=settings.home,
        warehouse=settings.warehouse,
        report_month=data.get("report_month"),
        runs=data["runs"],
        seconds=seconds,
    )


# --------------------------------------------------------------------------- in the Airflow process


def _failed_tasks(dag_id: str, run_id: str) -> list[str]:
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session
    from airflow.utils.state import TaskInstanceState

    bad = {TaskInstanceState.FAILED, TaskInstanceState.UPSTREAM_FAILED}
    with create_session() as session:
        rows = session.query(TaskInstance.task_id, TaskInstance.state).filter(
            TaskInstance.dag_id == dag_id, TaskInstance.run_id == run_id).all()
    return sorted(task_id for task_id, state in rows if state in bad)


def _run_dag(bag, dag_id: str, conf: dict | None = None) -> dict:
    dag = bag.get_dag(dag_id)
    started = time.monotonic()
    dagrun = dag.test(run_conf=conf) if conf else dag.test()
    state = str(getattr(dagrun.state, "value", dagrun.state))
    run = {"dag_id": dag_id, "run_id": dagrun.run_id, "state": state,
           "seconds": round(time.monotonic() - started, 1)}
    if state != "success":
        run["failed_tasks"] = _failed_tasks(dag_id, dagrun.run_id)
    return run


def _main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m regiopool.pipeline")
    parser.add_argument("--result", required=True)
    parser.add_argument("--report-month")
    parser.add_argument("--accept-missing", action="append", default=[])
    ns = parser.parse_args(argv)
    result: dict = {"runs": [], "report_month": None}

    def finish(code: int) -> int:
        Path(ns.result).write_text(json.dumps(result, indent=2), encoding="utf-8")
        return code

    from airflow.dag_processing.dagbag import DagBag
    from airflow.utils import db

    if not Path(os.environ["AIRFLOW_HOME"], "airflow.db").exists():
        db.initdb()
    bag = DagBag(str(DAGS_DIR))
    if bag.import_errors:
        first = next(iter(bag.import_errors.items()))
        result["error"] = f"DAG import error in {first[0]}: {first[1].strip().splitlines()[-1]}"
        return finish(2)

    for dag_id in sorted(d for d in bag.dag_ids if d.startswith(INGEST_PREFIX)):
        result["runs"].append(_run_dag(bag, dag_id))
    result["runs"].append(_run_dag(bag, TRANSFORM_DAG))

    import duckdb

    from regiopool.report_month import latest_complete_month
    from regiopool.settings import get_settings

    month = ns.report_month
    if not month:
        try:
            latest = latest_complete_month(get_settings().warehouse)
        except duckdb.Error:  # no warehouse or no ledger yet: nothing was loaded
            latest = None
        month = latest.strftime("%Y-%m") if latest else None
    result["report_month"] = month
    if month is None:
        result["error"] = "no month has deliveries from every partner: no extract to build"
        return finish(1)
    conf = {"report_month": month, "accepted_missing_partners": list(ns.accept_missing)}
    result["runs"].append(_run_dag(bag, EXTRACT_DAG, conf))
    return finish(0 if all(r["state"] == "success" for r in result["runs"]) else 1)


if __name__ == "__main__":
    sys.exit(_main())
