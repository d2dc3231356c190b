"""Remembered file checks: a file already checked is not read again while it is unchanged.

Every run looks at every file in the partner's inbox folder, and a file's identity is its
SHA-256 (docs/raw_layer.md). Reading every byte of years of deliveries on every run costs
more than loading the new ones (at --scale 1000: 831 files, 2.7 GB, 3 to 11 s per run).
``meta.file_checks`` remembers, per partner and file name, what the last scan found (checksum,
size, encoding) together with the file's stamp: size, inode, modification and change times in
nanoseconds. A file whose stamp is unchanged is not read again; any other file is scanned, and
its row replaced. The change time (ctime) cannot be set by a program (``touch -d`` and copies
that keep modification times change it), so a rewritten file is always scanned again, also
when it kept its size and modification time. File times tick coarsely (a few milliseconds), so a
file changed within ``RACY_NS`` before its scan is not remembered: it is scanned again next run
(git's "racy clean" rule). docs/decisions/ingest-0005-file-checks.md.

The rows are facts about files, not about loads: they are written after the run's last commit,
and a crash before that only means the next run scans those files again.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from regiopool.ingest.readers.encoding import FileFacts, scan_file

_STAMP = ("file_size", "inode", "mtime_ns", "ctime_ns")
RACY_NS = 2_000_000_000


@dataclass(frozen=True)
class _Check:
    stamp: tuple[int, int, int, int]
    facts: FileFacts


def stamp_of(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns)


class FileChecks:
    """One partner's remembered checks, read once per run; ``facts()`` scans only what changed,
    ``save()`` writes the new checks."""

    def __init__(self, con: duckdb.DuckDBPyConnection, partner: str, *, trust: bool = True):
        self.partner = partner
        self.known: dict[str, _Check] = {}  # empty when not trusted: every file is read
        self.fresh: dict[str, _Check] = {}
        self.seen: set[str] = set()
        self.scanned = self.reused = 0
        if trust:
            for name, *stamp, sha, enc in con.execute(
                f"SELECT file_name, {', '.join(_STAMP)}, file_sha256, encoding "
                "FROM meta.file_checks WHERE partner = ?", [partner]).fetchall():
                self.known[name] = _Check(tuple(stamp), FileFacts(sha, stamp[0], enc))

    def facts(self, path: Path, st: os.stat_result) -> FileFacts:
        """The file's checksum, size and encoding: remembered while its stamp is unchanged,
        else read (and remembered for the next run)."""
        stamp = stamp_of(st)
        self.seen.add(path.name)
        known = self.known.get(path.name)
        if known is not None and known.stamp == stamp:
            self.reused += 1
            return known.facts
        started = time.time_ns()
        facts = scan_file(path)
        self.scanned += 1
        # the stamp taken before the scan: a file written during the scan, or so shortly before
        # it that a later write could leave the same times, is scanned again next time
        if max(st.st_mtime_ns, st.st_ctime_ns) < started - RACY_NS:
            self.fresh[path.name] = _Check(stamp, facts)
        return facts

    def save(self, con: duckdb.DuckDBPyConnection) -> None:
        """Replace this partner's rows of the files scanned in this run, and forget files no
        longer in the inbox (one transaction)."""
        gone = set(self.known) - self.seen
        if not self.fresh and not gone:
            return
        now = dt.datetime.now(dt.UTC)
        names = list(self.fresh)
        rows = pa.table({
            "partner": [self.partner] * len(names),
            "file_name": names,
            **{col: [self.fresh[n].stamp[i] for n in names] for i, col in enumerate(_STAMP)},
            "file_sha256": [self.fresh[n].facts.sha256 for n in names],
            "encoding": [self.fresh[n].facts.encoding for n in names],
            "checked_at": pa.array([now] * len(names), pa.timestamp("us", tz="UTC")),
        })
        con.execute("BEGIN")
        try:
            con.register("_file_checks", rows)
            con.execute("DELETE FROM meta.file_checks WHERE partner = ? AND (file_name IN "
                        "(SELECT file_name FROM _file_checks) OR file_name IN (SELECT unnest(?::VARCHAR[])))",
                        [self.partner, sorted(gone)])
            con.execute("INSERT INTO meta.file_checks BY NAME SELECT * FROM _file_checks")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            con.unregister("_file_checks")
        self.fresh.clear()
