"""Where regiopool keeps things.

Everything a run writes lives under one *home* directory:

    HOME/warehouse.duckdb      the pipeline's working DuckDB file (one writer at a time)
    HOME/quality/              quality-gate results and GX Data Docs
    HOME/extracts/YYYY-MM/     the council extracts
    HOME/published/            the analysts' read-only copy of the marts
    HOME/airflow/              AIRFLOW_HOME for `regiopool run` (SQLite metadata, logs)
    HOME/dbt/                  dbt's target and log folders

The inbox (one folder per partner) and the home come from `REGIOPOOL_INBOX` / `REGIOPOOL_HOME`,
else from the sample inbox and home under `var/` in the repository (git-ignored).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    home: Path
    inbox: Path

    @property
    def warehouse(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def quality_dir(self) -> Path:
        return self.home / "quality"

    @property
    def extracts_dir(self) -> Path:
        return self.home / "extracts"

    @property
    def published_dir(self) -> Path:
        return self.home / "published"

    @property
    def airflow_home(self) -> Path:
        return self.home / "airflow"

    @property
    def dbt_dir(self) -> Path:
        return self.home / "dbt"


def repo_path(*parts: str) -> Path:
    return REPO_ROOT.joinpath(*parts)


def default_home() -> Path:
    return repo_path("var", "home")


def default_inbox() -> Path:
    return repo_path("var", "inbox")


def get_settings(home: str | Path | None = None, inbox: str | Path | None = None) -> Settings:
    """Resolve the home and inbox: explicit argument, then environment, then `var/`."""
    home = home or os.environ.get("REGIOPOOL_HOME") or default_home()
    inbox = inbox or os.environ.get("REGIOPOOL_INBOX") or default_inbox()
    return Settings(home=Path(home).resolve(), inbox=Path(inbox).resolve())


DAGS_DIR = repo_path("dags")
DBT_PROJECT_DIR = repo_path("dbt_project")
EXPECTATIONS_DIR = repo_path("expectations")
