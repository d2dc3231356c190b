"""Many small files, several per transaction: all or nothing per transaction, exactly once."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from fixtures import event, lk_enquiry, lk_site, write_jsonl, write_workbook

from regiopool.contracts import load_contracts
from regiopool.ingest import ingest_partner
from regiopool.ingest.loader import CommitLimits

DAYS = 150
PER_TXN = 50
KILL_AT = 115  # flushes (files with rows): inside the third transaction

CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from regiopool.contracts import get_contract
    from regiopool.ingest import ingest_partner, loader

    real_flush, n = loader._flush, 0
    def flush(*args, **kwargs):
        global n
        real_flush(*args, **kwargs)
        n += 1
        if n == int(sys.argv[3]):
            print("inserted", flush=True)  # two transactions committed, the third open
            time.sleep(120)
    loader._flush = flush
    ingest_partner(Path(sys.argv[1]), Path(sys.argv[2]), get_contract("irl"),
                   limits=loader.CommitLimits(files=int(sys.argv[4])))
    print("done", flush=True)
""")

CONTENT = ("SELECT * EXCLUDE (_loaded_at) FROM raw_irl.events ORDER BY _source_file, _row_number",
           "SELECT * EXCLUDE (_loaded_at) FROM raw_irl.quarantine ORDER BY _source_file, _row_number",
           "SELECT * EXCLUDE (loaded_at, delivered_at) FROM meta.load_ledger ORDER BY load_id",
           "SELECT * FROM meta.load_findings ORDER BY load_id, row_number, column_name")


def _day(i: int) -> str:
    return (dt.date(2025, 1, 1) + dt.timedelta(days=i)).isoformat()


def _small_files(inbox, days: int = DAYS) -> list[str]:
    """Daily files: every 10th empty (0 bytes), a bad line now and then, and day 30
    re-sending day 20's bytes (same transaction)."""
    names = []
    for i in range(days):
        path = inbox / "irl" / f"events_{_day(i)}.jsonl"
        names.append(path.name)
        if i % 10 == 5:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"")
            continue
        day = 20 if i == 30 else i
        lines = [event(f"E{day:04d}-{j}", occurred_at=f"{_day(day)}T09:00:00Z",
                       project_id=f"IRL-2025-{day:04d}") for j in range(3)]
        if i % 17 == 0:
            lines.append("{not json")
        write_jsonl(path, lines)
    return names


def test_kill_9_mid_transaction_of_many_small_files(tmp_path, query):
    inbox = tmp_path / "inbox"
    names = _small_files(inbox)
    crashed, clean = tmp_path / "crashed.duckdb", tmp_path / "clean.duckdb"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(crashed), str(inbox),
                             str(KILL_AT), str(PER_TXN)], stdout=subprocess.PIPE, text=True,
                            env=env)
    for line in proc.stdout:
        if line.strip() == "inserted":
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    # the two committed transactions stand whole; nothing of the open one is visible
    query.path = crashed
    committed = names[:2 * PER_TXN]
    assert [r[0] for r in query("SELECT file_name FROM meta.load_ledger ORDER BY 1")] == committed
    for table in ("raw_irl.events", "raw_irl.quarantine"):
        assert query(f"SELECT count(*) FROM {table} WHERE _source_file NOT IN "
                     f"(SELECT file_name FROM meta.load_ledger)")[0][0] == 0, table
    assert query("SELECT sum(rows_loaded) FROM meta.load_ledger")[0][0] == query(
        "SELECT count(*) FROM raw_irl.events")[0][0] > 0
    assert query("SELECT count(*) FROM meta.load_findings WHERE source_file NOT IN "
                 "(SELECT file_name FROM meta.load_ledger)")[0][0] == 0

    contract = {c.partner: c for c in load_contracts()}["irl"]
    rep = ingest_partner(crashed, inbox, contract, limits=CommitLimits(files=PER_TXN))
    assert [f.status for f in rep.files] == ["already_loaded"] * len(committed) + [
        "loaded"] * (DAYS - len(committed))
    ingest_partner(clean, inbox, contract)  # one transaction for all files
    after_crash = [query(sql) for sql in CONTENT]
    query.path = clean
    assert [query(sql) for sql in CONTENT] == after_crash
    n_empty = DAYS // 10
    assert len(after_crash[0]) == 3 * (DAYS - n_empty)
    assert len(after_crash[2]) == DAYS


def test_empty_files_of_other_periods_are_their_own_deliveries(warehouse, inbox, contracts,
                                                               query):
    """IRL writes a 0-byte file for a day without events: equal bytes across days, and not a
    re-sent file. A file with rows whose bytes equal another day's is a finding."""
    folder = inbox / "irl"
    folder.mkdir()
    for day in ("2025-03-01", "2025-03-02", "2025-03-08", "2025-03-09"):
        (folder / f"events_{day}.jsonl").write_bytes(b"")
    write_jsonl(folder / "events_2025-03-03.jsonl", [event("01A")])
    write_jsonl(folder / "events_2025-03-04.jsonl", [event("01A")])  # 03-03's bytes again
    rep = ingest_partner(warehouse, inbox, contracts["irl"])
    assert [(f.file_name, f.status, f.rows_read) for f in rep.files] == [
        ("events_2025-03-01.jsonl", "loaded", 0), ("events_2025-03-02.jsonl", "loaded", 0),
        ("events_2025-03-03.jsonl", "loaded", 1), ("events_2025-03-04.jsonl", "loaded", 1),
        ("events_2025-03-08.jsonl", "loaded", 0), ("events_2025-03-09.jsonl", "loaded", 0)]
    ledger = query("SELECT period, status, superseded_by, rows_read, message FROM "
                   "meta.load_ledger WHERE rows_read = 0 ORDER BY period")
    assert ledger == [(dt.date(2025, 3, d), "loaded", None, 0, None) for d in (1, 2, 8, 9)]
    assert query("SELECT source_file, rule FROM meta.load_findings") == [
        ("events_2025-03-04.jsonl", "resent_file")]
    assert query("SELECT _period FROM raw_irl.events ORDER BY 1") == [
        (dt.date(2025, 3, 3),), (dt.date(2025, 3, 4),)]
    # later empty days (next run, against the ledger) are their own deliveries too
    (folder / "events_2025-03-15.jsonl").write_bytes(b"")
    again = ingest_partner(warehouse, inbox, contracts["irl"])
    assert [f.status for f in again.files] == ["already_loaded"] * 6 + ["loaded"]
    assert query("SELECT count(*) FROM meta.load_findings")[0][0] == 1
    assert query("SELECT status, message FROM meta.load_ledger WHERE period_key = "
                 "'2025-03-15'") == [("loaded", None)]


def test_commit_limits_do_not_change_the_outcome(tmp_path, contracts, query):
    """One file per transaction, or all in one: the same rows, ledger and findings."""
    inbox = tmp_path / "inbox"
    _small_files(inbox, days=40)
    out = []
    for name, limits in (("one.duckdb", CommitLimits(files=1)), ("seven.duckdb",
                         CommitLimits(files=7)), ("all.duckdb", CommitLimits())):
        query.path = tmp_path / name
        ingest_partner(query.path, inbox, contracts["irl"], limits=limits)
        out.append([query(sql) for sql in CONTENT])
    assert out[0] == out[1] == out[2]
    assert len(out[0][3]) > 0  # findings: bad lines and the re-sent day


@pytest.mark.parametrize("batch_rows", [50_000, 3])
def test_files_judged_together_keep_their_own_periods_ids_and_counts(warehouse, inbox,
                                                                     contracts, query,
                                                                     batch_rows):
    """Two monthly workbooks in one transaction are typed and judged in one statement per
    sheet: each keeps its own period end, its own duplicate ids and its own counts. (With 3
    rows a batch, a 4-row sheet is staged and judged alone, the others wait in between.)"""
    folder = inbox / "lk_leipzig"
    write_workbook(folder / "wifoe_lkl_2025-02.xlsx", {
        "Anfragen": [lk_enquiry("LKL-1", received="10.02.2025"),             # row 5
                     lk_enquiry("LKL-2", received="10.03.2025")],            # 6: after February
        "Ansiedlungen": [], "Flaechen": [lk_site("K-0001")]}, stand="28.02.2025")
    write_workbook(folder / "wifoe_lkl_2025-03.xlsx", {
        "Anfragen": [lk_enquiry("LKL-1", received="10.02.2025"),             # 5: not a duplicate
                     lk_enquiry("LKL-2", received="10.03.2025"),             # 6: in March
                     lk_enquiry("LKL-3"), lk_enquiry("LKL-3")],              # 7, 8: duplicates
        "Ansiedlungen": [], "Flaechen": [lk_site("K-0001")]})
    rep = ingest_partner(warehouse, inbox, contracts["lk_leipzig"], batch_rows=batch_rows)
    assert [(f.file_name, f.rows_read, f.rows_loaded, f.rows_quarantined, f.tables)
            for f in rep.files] == [
        ("wifoe_lkl_2025-02.xlsx", 3, 2, 1, {"enquiries": 1, "settlements": 0, "sites": 1}),
        ("wifoe_lkl_2025-03.xlsx", 5, 3, 2, {"enquiries": 2, "settlements": 0, "sites": 1})]
    assert query("SELECT file_name, rows_read, rows_loaded, rows_quarantined "
                 "FROM meta.load_ledger ORDER BY file_name") == [
        ("wifoe_lkl_2025-02.xlsx", 3, 2, 1), ("wifoe_lkl_2025-03.xlsx", 5, 3, 2)]
    assert query("SELECT _source_file, sheet, _row_number, reason FROM raw_lk_leipzig.quarantine "
                 "ORDER BY ALL") == [
        ("wifoe_lkl_2025-02.xlsx", "Anfragen", 6, "date_out_of_period:received_on"),
        ("wifoe_lkl_2025-03.xlsx", "Anfragen", 7, "duplicate_id_in_file"),
        ("wifoe_lkl_2025-03.xlsx", "Anfragen", 8, "duplicate_id_in_file")]
    assert query("SELECT _source_file, enquiry_id, _period, _row_number "
                 "FROM raw_lk_leipzig.enquiries ORDER BY ALL") == [
        ("wifoe_lkl_2025-02.xlsx", "LKL-1", dt.date(2025, 2, 1), 5),
        ("wifoe_lkl_2025-03.xlsx", "LKL-1", dt.date(2025, 3, 1), 5),
        ("wifoe_lkl_2025-03.xlsx", "LKL-2", dt.date(2025, 3, 1), 6)]
