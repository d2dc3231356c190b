"""One end-to-end run through Airflow, shared by the end-to-end tests of a session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

SAMPLE = {"start": "2024-10", "end": "2025-03", "scale": 0.5, "seed": 7}


@dataclass
class SampleRun:
    inbox: Path
    home: Path
    result: object  # regiopool.pipeline.PipelineResult


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory) -> SampleRun:
    from regiopool.generate import generate_inbox
    from regiopool.pipeline import run_pipeline

    base = tmp_path_factory.mktemp("e2e")
    inbox, home = base / "inbox", base / "home"
    generate_inbox(inbox, **SAMPLE)
    result = run_pipeline(inbox=inbox, home=home)
    return SampleRun(inbox=inbox, home=home, result=result)


@pytest.fixture()
def warehouse(sample_run):
    import duckdb

    con = duckdb.connect(str(sample_run.home / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()
