"""Small generated inboxes shared by the generator tests (scale <= 1, a few months)."""

from __future__ import annotations

from pathlib import Path

import pytest

from regiopool.generate import DEFAULT_RATES, generate_inbox

RANGE = {"start": "2024-09", "end": "2025-02"}

# irregularities that the high-rate inbox injects at 20 %
HIGH = {name: 0.2 for name in (
    "irl_duplicate_event", "invalid_json_line", "unknown_event_type", "number_as_text",
    "date_as_text", "duplicate_id_in_file", "truncated_last_line", "correction",
    "late_delivery", "former_municipality_name", "ascii_spelling", "unmapped_sector",
    "added_column", "district_deleted_record", "irl_late_event", "irl_out_of_order",
)}


@pytest.fixture(scope="session")
def inbox(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("inbox") / "inbox"
    summary = generate_inbox(out, scale=1.0, seed=42, **RANGE)
    return out, summary


@pytest.fixture(scope="session")
def high_inbox(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("high") / "inbox"
    summary = generate_inbox(out, scale=1.0, seed=7, rates=HIGH, **RANGE)
    return out, summary


@pytest.fixture(scope="session")
def clean_inbox(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("clean") / "inbox"
    rates = {name: 0.0 for name in DEFAULT_RATES}
    summary = generate_inbox(out, scale=1.0, seed=42, rates=rates, **RANGE)
    return out, summary
