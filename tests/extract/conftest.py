"""Fixtures of the extract tests: a hand-made warehouse and one published extract."""

from __future__ import annotations

from pathlib import Path

import pytest

from .marts import GATE, MONTH, build_warehouse


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("wh") / "warehouse.duckdb")


@pytest.fixture(scope="session")
def published(warehouse, tmp_path_factory):
    """The extract for 2025-03, published once for the read-only tests."""
    from regiopool.extract import publish_extract

    out = tmp_path_factory.mktemp("extracts")
    return publish_extract(warehouse, out, MONTH, GATE)
