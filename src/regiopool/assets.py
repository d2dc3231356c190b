"""Airflow Assets that connect the DAGs.

Each raw table is an Asset that its partner's ingestion DAG updates when new rows landed; the
transformation DAG runs when any of them changed and updates the marts Asset after a passed
quality gate.
"""

from __future__ import annotations

from pathlib import Path

from airflow.sdk import Asset

from regiopool.contracts import load_contracts


def raw_asset(partner: str, table: str) -> Asset:
    return Asset(name=f"raw_{partner}.{table}", uri=f"regiopool://warehouse/raw_{partner}/{table}")


def raw_assets(partners_dir: Path | None = None) -> list[Asset]:
    """One Asset per raw table declared in the partner contracts (``partners/*.yml``, or
    ``REGIOPOOL_PARTNERS_DIR``)."""
    return [raw_asset(c.partner, t.table) for c in load_contracts(partners_dir) for t in c.tables]


MARTS = Asset(name="marts", uri="regiopool://warehouse/marts")
PUBLISHED_MARTS = Asset(name="published_marts", uri="regiopool://published/marts")
