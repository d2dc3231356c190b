"""A crash in the middle of a large file leaves no trace; the next run loads it whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from fixtures import CITY_ENQ_HEADER, enquiry, write_csv

from regiopool.contracts import load_contracts
from regiopool.ingest import ingest_partner

ROWS = 40_000
BATCH = 4_000

CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from regiopool.contracts import get_contract
    from regiopool.ingest import ingest_partner, loader

    real = loader._flush
    def flush(*args, **kwargs):
        real(*args, **kwargs)
        print("batch", flush=True)
    loader._flush = flush
    ingest_partner(Path(sys.argv[1]), Path(sys.argv[2]), get_contract("stadt_leipzig"),
                   batch_rows=int(sys.argv[3]))
    print("done", flush=True)
""")

CONTENT = ("SELECT * EXCLUDE (_loaded_at) FROM raw_stadt_leipzig.enquiries ORDER BY _row_number",
           "SELECT * EXCLUDE (_loaded_at) FROM raw_stadt_leipzig.quarantine ORDER BY _row_number",
           "SELECT * EXCLUDE (loaded_at, delivered_at) FROM meta.load_ledger ORDER BY load_id",
           "SELECT * FROM meta.load_findings ORDER BY row_number, column_name")


def _big_inbox(inbox):
    rows = [enquiry(f"WF-{i:07d}", Investition_EUR="x" if i % 1000 == 0 else "1.000,50",
                    Bemerkung="zwei\nZeilen; mit \"Zitat\"" if i % 7 == 0 else "")
            for i in range(ROWS)]
    rows[500]["Eingangsdatum"] = ""  # one set-aside row
    write_csv(inbox / "stadt_leipzig" / "anfragen_2025-03.csv", CITY_ENQ_HEADER, rows)


def test_kill_9_mid_file_then_rerun_equals_a_clean_load(tmp_path, query):
    inbox = tmp_path / "inbox"
    _big_inbox(inbox)
    crashed, clean = tmp_path / "crashed.duckdb", tmp_path / "clean.duckdb"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(crashed), str(inbox), str(BATCH)],
                            stdout=subprocess.PIPE, text=True, env=env)
    batches = 0
    for line in proc.stdout:
        if line.strip() == "batch":
            batches += 1
            if batches == 4:  # 16 000 of 40 000 rows are in the open transaction
                os.kill(proc.pid, signal.SIGKILL)
                break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    query.path = crashed
    for table in ("raw_stadt_leipzig.enquiries", "raw_stadt_leipzig.quarantine",
                  "meta.load_ledger", "meta.load_findings"):
        assert query(f"SELECT count(*) FROM {table}")[0][0] == 0, table

    contract = {c.partner: c for c in load_contracts()}["stadt_leipzig"]
    rep = ingest_partner(crashed, inbox, contract, batch_rows=BATCH)
    assert rep.files[0].status == "loaded" and rep.files[0].rows_read == ROWS
    ingest_partner(clean, inbox, contract, batch_rows=BATCH)
    after_crash = [query(sql) for sql in CONTENT]
    query.path = clean
    assert [query(sql) for sql in CONTENT] == after_crash
    assert len(after_crash[0]) == ROWS - 1 and len(after_crash[1]) == 1
