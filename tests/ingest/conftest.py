from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fixtures import Query

from regiopool.contracts import load_contracts


@pytest.fixture(scope="session")
def contracts():
    return {c.partner: c for c in load_contracts()}


@pytest.fixture
def inbox(tmp_path) -> Path:
    p = tmp_path / "inbox"
    p.mkdir()
    return p


@pytest.fixture
def warehouse(tmp_path) -> Path:
    return tmp_path / "warehouse.duckdb"


@pytest.fixture
def query(warehouse) -> Query:
    return Query(warehouse)
