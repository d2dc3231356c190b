"""Hand-written inboxes for the end-to-end tests: one build of such an inbox as production does
it (every contract ingested, a full dbt build). The partners' headers: tests/partner_headers.py."""

from __future__ import annotations

from pathlib import Path

from regiopool.contracts import load_contracts
from regiopool.ingest import ensure_warehouse, ingest_partner
from regiopool.settings import Settings
from regiopool.transform import dbt_build


def ingest_and_build(inbox: Path, home: Path) -> Settings:
    """Ingest the inbox with every partner contract into a new warehouse and build it with
    `dbt build --full-refresh`; the home's settings."""
    settings = Settings(home=home, inbox=inbox)
    contracts = load_contracts()
    ensure_warehouse(settings.warehouse, contracts)
    for contract in contracts:
        ingest_partner(settings.warehouse, inbox, contract)
    dbt_build(settings, full_refresh=True)
    return settings
