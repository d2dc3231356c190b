"""Against the sample-inbox generator: every generated row is loaded or set aside, once."""

from __future__ import annotations

import pytest

from regiopool.contracts import load_contracts
from regiopool.ingest import ingest_partner

generate = pytest.importorskip("regiopool.generate")

RATES = {"duplicate_id_in_file": 0.05, "truncated_last_line": 0.3, "invalid_json_line": 0.05,
         "unknown_event_type": 0.05, "correction": 0.3, "resent_copy": 0.2,
         "missing_required": 0.03, "added_column": 0.3, "dropped_column": 0.3}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    root = tmp_path_factory.mktemp("generated")
    inbox, warehouse = root / "inbox", root / "warehouse.duckdb"
    summary = generate.generate_inbox(inbox, start="2025-01", end="2025-03", scale=0.3, seed=7,
                                      rates=RATES)
    reports = {c.partner: ingest_partner(warehouse, inbox, c) for c in load_contracts()}
    return inbox, warehouse, summary, reports


def test_every_file_is_accounted_for(loaded, query):
    _inbox, warehouse, summary, reports = loaded
    query.path = warehouse
    files = sum(len(r.files) for r in reports.values())
    assert files == summary["files"]
    assert all(f.status in ("loaded", "duplicate") for r in reports.values() for f in r.files)
    assert query("SELECT count(*) FROM meta.load_ledger")[0][0] == files
    assert query("SELECT count(*) FROM meta.load_ledger "
                 "WHERE rows_read <> rows_loaded + rows_quarantined")[0][0] == 0


def test_every_generated_row_is_loaded_or_set_aside(loaded, query):
    _inbox, warehouse, summary, reports = loaded
    query.path = warehouse
    rows = summary["rows"]
    by_kind = {}
    for partner, rep in reports.items():
        for f in rep.files:
            by_kind[(partner, f.kind)] = by_kind.get((partner, f.kind), 0) + f.rows_read
    assert by_kind[("stadt_leipzig", "enquiries")] == rows["stadt_leipzig/anfragen"]
    assert by_kind[("stadt_leipzig", "settlements")] == rows["stadt_leipzig/ansiedlungen"]
    assert by_kind[("stadt_leipzig", "sites")] == rows["stadt_leipzig/gewerbeflaechen"]
    assert by_kind[("lk_leipzig", "workbook")] == (
        rows["lk_leipzig/Anfragen"] + rows["lk_leipzig/Ansiedlungen"] + rows["lk_leipzig/Flaechen"])
    truncated = query("SELECT count(*) FROM raw_irl.quarantine WHERE reason = 'truncated_line'")
    assert by_kind[("irl", "events")] - truncated[0][0] == rows["irl/events"]
    # raw + quarantine hold exactly the rows the ledger says
    for partner, rep in reports.items():
        contract = next(c for c in load_contracts() if c.partner == partner)
        in_raw = sum(query(f"SELECT count(*) FROM raw_{partner}.{t.table}")[0][0]
                     for t in contract.tables)
        assert in_raw == sum(rep.new_rows.values()) == sum(f.rows_loaded for f in rep.files)
    irr = summary["irregularities"]
    dups = query("SELECT (SELECT count(*) FROM raw_stadt_leipzig.quarantine WHERE reason = "
                 "'duplicate_id_in_file') + (SELECT count(*) FROM raw_lk_leipzig.quarantine "
                 "WHERE reason = 'duplicate_id_in_file')")[0][0]
    assert dups >= 2 * irr["duplicate_id_in_file"] > 0
    assert query("SELECT count(*) FROM raw_irl.quarantine WHERE reason = 'unknown_event_type'"
                 )[0][0] == irr["unknown_event_type"] > 0


def test_a_rerun_loads_nothing(loaded, query):
    inbox, warehouse, _summary, _reports = loaded
    again = {c.partner: ingest_partner(warehouse, inbox, c) for c in load_contracts()}
    assert all(f.status in ("already_loaded",) for r in again.values() for f in r.files)
    assert all(not r.new_rows for r in again.values())
