"""Airflow Assets that connect the DAGs.

Each raw table is an Asset that its partner's ingestion DAG updates when new rows landed; the
transformation DAG runs when any of them changed and updates the marts Asset after a passed
quality gate.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from airflow.sdk import Asset

from regiopool.settings import repo_path


def raw_asset(partner: str, table: str) -> Asset:
    return Asset(name=f"raw_{partner}.{table}", uri=f"regiopool://warehouse/raw_{partner}/{table}")


def raw_assets(partners_dir: Path | None = None) -> list[Asset]:
    """One Asset per raw table declared in the partner contracts."""
    partners_dir = partners_dir or repo_path("partners")
    assets = []
    for path in sorted(partners_dir.glob("*.yml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for delivery in spec["deliveries"]:
            for table in delivery["tables"]:
                assets.append(raw_asset(spec["partner"], table["table"]))
    return assets


MARTS = Asset(name="marts", uri="regiopool://warehouse/marts")
PUBLISHED_MARTS = Asset(name="published_marts", uri="regiopool://published/marts")
