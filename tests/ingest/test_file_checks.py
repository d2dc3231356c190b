"""Remembered file checks: unchanged files are not read again, every change is noticed."""

from __future__ import annotations

import os

import pytest
from fixtures import CITY_ENQ_HEADER, enquiry, write_csv

from regiopool.ingest import file_checks, ingest_partner

CITY = "stadt_leipzig"


@pytest.fixture
def no_racy_window(monkeypatch):
    """Files written by a test are milliseconds old; outside tests a file changed within two
    seconds of its scan is scanned again (RACY_NS), which would leave nothing to remember."""
    monkeypatch.setattr(file_checks, "RACY_NS", 0)


def test_an_unchanged_file_is_not_read_again(warehouse, inbox, contracts, query, no_racy_window):
    path = write_csv(inbox / CITY / "anfragen_2025-03.csv", CITY_ENQ_HEADER, [enquiry("WF-1")])
    first = ingest_partner(warehouse, inbox, contracts[CITY])
    assert (first.files_read, first.files_unchanged) == (1, 0)
    st = path.stat()
    assert query("SELECT file_name, file_size, inode, mtime_ns, ctime_ns, encoding "
                 "FROM meta.file_checks") == [("anfragen_2025-03.csv", st.st_size, st.st_ino,
                                               st.st_mtime_ns, st.st_ctime_ns, "utf-8-sig")]
    assert query("SELECT c.file_sha256 = l.file_sha256 FROM meta.file_checks c "
                 "JOIN meta.load_ledger l USING (file_name)") == [(True,)]
    second = ingest_partner(warehouse, inbox, contracts[CITY])
    assert (second.files_read, second.files_unchanged) == (0, 1)
    assert [f.status for f in second.files] == ["already_loaded"]
    assert query("SELECT count(*) FROM raw_stadt_leipzig.enquiries")[0][0] == 1
    # on request every file is read again
    again = ingest_partner(warehouse, inbox, contracts[CITY], rescan=True)
    assert (again.files_read, again.files_unchanged) == (1, 0)
    assert [f.status for f in again.files] == ["already_loaded"]


def test_a_rewrite_that_keeps_size_and_modification_time_is_noticed(
        warehouse, inbox, contracts, query, no_racy_window):
    path = write_csv(inbox / CITY / "anfragen_2025-03.csv", CITY_ENQ_HEADER,
                     [enquiry("WF-1")])
    ingest_partner(warehouse, inbox, contracts[CITY])
    before = path.stat()
    rewritten = path.read_bytes().replace(b"WF-1", b"WF-2")
    assert len(rewritten) == before.st_size
    path.write_bytes(rewritten)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as a copy keeping times would
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    rep = ingest_partner(warehouse, inbox, contracts[CITY])
    assert (rep.files_read, [f.status for f in rep.files]) == (1, ["loaded"])
    assert query("SELECT rule FROM meta.load_findings") == [("file_changed_in_place",)]
    assert query("SELECT e.enquiry_id FROM raw_stadt_leipzig.enquiries e JOIN meta.load_ledger l "
                 "ON l.load_id = e._load_id WHERE l.superseded_by IS NULL") == [("WF-2",)]


def test_a_file_changed_just_before_its_scan_is_read_again(warehouse, inbox, contracts, query):
    """Within RACY_NS of the scan a later write could leave the same stamp: not remembered."""
    write_csv(inbox / CITY / "anfragen_2025-03.csv", CITY_ENQ_HEADER, [enquiry("WF-1")])
    ingest_partner(warehouse, inbox, contracts[CITY])
    assert query("SELECT count(*) FROM meta.file_checks")[0][0] == 0
    rep = ingest_partner(warehouse, inbox, contracts[CITY])
    assert (rep.files_read, rep.files_unchanged) == (1, 0)


def test_checks_of_files_gone_from_the_inbox_are_forgotten(
        warehouse, inbox, contracts, query, no_racy_window):
    a = write_csv(inbox / CITY / "anfragen_2025-03.csv", CITY_ENQ_HEADER, [enquiry("WF-1")])
    write_csv(inbox / CITY / "anfragen_2025-04.csv", CITY_ENQ_HEADER, [enquiry("WF-1")])
    ingest_partner(warehouse, inbox, contracts[CITY])
    assert query("SELECT count(*) FROM meta.file_checks")[0][0] == 2
    a.unlink()  # archived by the operator: its load stands, its check is no longer needed
    rep = ingest_partner(warehouse, inbox, contracts[CITY])
    assert (rep.files_read, rep.files_unchanged) == (0, 1)
    assert query("SELECT file_name FROM meta.file_checks") == [("anfragen_2025-04.csv",)]
    assert query("SELECT count(*) FROM meta.load_ledger WHERE status = 'loaded'")[0][0] == 2
