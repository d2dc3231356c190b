"""The generic loader: every new file of a partner lands exactly once, and no row is lost.

For each file in ``<inbox>/<partner>/`` that matches one of the contract's deliveries:

1. identity: checksum and size (one streaming pass, which also detects the encoding);
2. ledger: a file already recorded under this name and checksum is skipped; the same bytes as
   a file of the same kind and period -> ``duplicate`` (not loaded again, also under another
   name); the same bytes as a file of another period -> loaded as this period's delivery,
   ``resent_of`` names the other file;
3. columns: a declared, non-optional column missing from the file -> ``rejected_schema``
   (nothing loaded; the message names the file and the columns); added or dropped optional
   columns are findings;
4. rows: streamed in batches through the format's reader, typed and judged in DuckDB
   (:mod:`.typing_sql`), into ``raw_<partner>.<table>`` or ``raw_<partner>.quarantine``. The
   records of small files wait in memory (:class:`_Pending`, up to ``BATCH_ROWS``) and are
   judged together, one set of statements per table for many files of the open transaction,
   with each file's lineage, sheet and period end from a small table ``_parts``; the counts
   per file come back grouped by part. A large file is judged on its own (Parquet staging).
   A column-wise reader (XLSX, GeoJSON) hands over Arrow batches with the raw cells instead of
   a raw text per record; DuckDB builds the raw text of the rows that may be set aside only;
5. a file's rows, quarantine, findings, its ledger row and the supersession of earlier
   versions of the period (``_kN``, highest N wins) commit together or not at all. Several
   files share one transaction (:class:`CommitLimits`: up to 200 files, 50 000 rows or 64 MB;
   a larger file is its own): a crash leaves none of its files, the next run loads them whole.
   The ledger is read once per run (:class:`_LedgerIndex`) and knows the run's own files, so
   the same bytes twice in one transaction are recognised as well.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import logging
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from regiopool.contracts import Delivery, PartnerContract
from regiopool.ingest import report as R
from regiopool.ingest.file_checks import FileChecks
from regiopool.ingest.readers import READERS, Record, TableRead, UnreadableFileError
from regiopool.ingest.readers.base import raw_layout
from regiopool.ingest.readers.encoding import resolve_encoding
from regiopool.ingest.readers.xlsx_reader import PREFETCH
from regiopool.ingest.report import FileReport, IngestReport
from regiopool.ingest.typing_sql import MACROS, TableSql, lit
from regiopool.ingest.warehouse import META_DDL, connect, ensure_partner, q, write_declarations

log = logging.getLogger("regiopool.ingest")

BATCH_ROWS = 50_000


@dataclass(frozen=True)
class LoadContext:
    partner: str
    load_id: str
    source_file: str
    sha256: str
    period: dt.date
    period_end: dt.date | None
    loaded_at: dt.datetime


@dataclass
class TableCounts:
    read: int = 0
    loaded: int = 0
    quarantined: int = 0


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def period_of(delivery: Delivery, key: str) -> tuple[dt.date, dt.date]:
    """(first day, last day) of the reporting period a file name carries."""
    if delivery.period == "day":
        day = dt.date.fromisoformat(key)
        return day, day
    year, month = (int(x) for x in re.split(r"[-_]", key)[:2])
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def open_partner(warehouse: Path, contract: PartnerContract) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse, ready to load `contract`'s deliveries: the meta tables,
    the partner's raw schema and the declarations committed, the typing macros prepared."""
    con = connect(Path(warehouse))
    try:
        con.execute("BEGIN")
        for stmt in META_DDL:
            con.execute(stmt)
        ensure_partner(con, contract)
        write_declarations(con)
        con.execute("COMMIT")
        prepare(con)
    except BaseException:
        con.close()
        raise
    return con


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    for m in MACROS:
        con.execute(m)
    con.execute("CREATE OR REPLACE TEMP TABLE _ids (part INTEGER, id VARCHAR, "
                "row_number INTEGER, quarantined BOOLEAN, raw_text VARCHAR)")


def _arrow(records: list[Record], n_values: int) -> pa.Table:
    arrays = [pa.array([r.row_number for r in records], pa.int32()),
              pa.array([r.raw_text for r in records], pa.string()),
              pa.array([r.reason for r in records], pa.string())]
    columns = list(zip(*(r.values for r in records))) or [()] * n_values
    arrays += [pa.array(columns[i], pa.string()) for i in range(n_values)]
    names = ["_row_number", "_raw_text", "_reason"] + [f"v{i}" for i in range(n_values)]
    return pa.Table.from_arrays(arrays, names=names)


_PART_SEQ = itertools.count(1)

PART_COLUMNS = [
    ("_part", pa.int32()), ("_load_id", pa.string()), ("_source_file", pa.string()),
    ("_file_sha256", pa.string()), ("_period", pa.date32()), ("_period_end", pa.date32()),
    ("_loaded_at", pa.timestamp("us", tz="UTC")), ("_sheet", pa.string()),
]


@dataclass
class _Part:
    """One table of one file, handed over to be judged (alone or with other files' parts)."""

    seq: int
    ctx: LoadContext
    sheet: str | None
    n_rows: int
    counts: TableCounts


def _parts_table(parts: list[_Part]) -> pa.Table:
    cols = [[p.seq for p in parts], [p.ctx.load_id for p in parts],
            [p.ctx.source_file for p in parts], [p.ctx.sha256 for p in parts],
            [p.ctx.period for p in parts], [p.ctx.period_end for p in parts],
            [p.ctx.loaded_at for p in parts], [p.sheet for p in parts]]
    return pa.table({name: pa.array(values, t) for (name, t), values in zip(PART_COLUMNS, cols)})


def _judge(con, tsql: TableSql, schema: str, parts: list[_Part], source: pa.Table | list[Path]
           ) -> None:
    """Type, judge and file away all records of these parts (one table; one file or many)
    with single statements (DuckDB streams a single INSERT ... SELECT in bounded memory; many
    appends in one open transaction would not be). Counts per part, checked against the
    records read."""
    con.register("_parts", _parts_table(parts))
    try:
        if isinstance(source, list):  # Parquet staging files
            (part,) = parts
            files = "[" + ", ".join(lit(str(p)) for p in source) + "]"
            con.execute(f"CREATE OR REPLACE TEMP VIEW _batch AS SELECT {part.seq}::INTEGER AS "
                        f"_part, * FROM read_parquet({files}, union_by_name = true)")
            names = {n for p in source for n in pq.read_schema(p).names}
        else:
            con.register("_batch", source)
            names = set(source.column_names)
        try:
            width, objects = raw_layout(names)
            con.execute(tsql.judge_sql(width, objects))
            if width or objects:  # the raw text, only for the rows that need it
                con.execute(tsql.raw_text_sql(width, objects))
        finally:
            if isinstance(source, list):
                con.execute("DROP VIEW IF EXISTS _batch")
            else:
                con.unregister("_batch")
        # DuckDB answers an INSERT with the number of rows it inserted
        ok = con.execute(tsql.insert_raw(f"{q(schema)}.{q(tsql.table.table)}")
                         ).fetchall()[0][0]
        bad = con.execute(tsql.insert_quarantine(f"{q(schema)}.quarantine")).fetchall()[0][0]
        per_part = {seq: (n_ok, n_bad) for seq, n_ok, n_bad in con.execute(
            "SELECT _part, count(*) FILTER (WHERE _fate IS NULL), "
            "count(*) FILTER (WHERE _fate IS NOT NULL) FROM _judged GROUP BY _part").fetchall()}
        for p in parts:
            n_ok, n_bad = per_part.get(p.seq, (0, 0))
            if n_ok + n_bad != p.n_rows:
                raise AssertionError(f"{p.ctx.source_file}: {p.n_rows} rows read but {n_ok} "
                                     f"loaded and {n_bad} set aside")
        if (sum(v[0] for v in per_part.values()), sum(v[1] for v in per_part.values())) != \
                (ok, bad) or len(per_part) > len(parts):
            raise AssertionError(f"{tsql.table.table}: {ok} rows loaded and {bad} set aside, "
                                 f"not what the parts' counts say")
        if sql := tsql.insert_findings():
            con.execute(sql)
        if sql := tsql.insert_ids():
            con.execute(sql)
        dups = _set_aside_duplicates(con, tsql, schema)
        if isinstance(source, list):  # a large table: free its temp space now (small: replaced)
            con.execute("DROP TABLE IF EXISTS _judged")
    finally:
        con.unregister("_parts")
    for p in parts:
        n_ok, n_bad = per_part.get(p.seq, (0, 0))
        n_dup = dups.get(p.seq, 0)
        p.counts.loaded += n_ok - n_dup
        p.counts.quarantined += n_bad + n_dup


class _Pending:
    """Small parts of the open transaction waiting to be judged together: per table their
    records as Arrow (bounded: at most ``max_rows`` records and ``max_bytes``, or one part,
    wait), judged at the latest before a large part is judged and before the transaction
    commits."""

    def __init__(self, con: duckdb.DuckDBPyConnection, schema: str, max_rows: int = BATCH_ROWS,
                 max_bytes: int = 64 << 20):
        self.con = con
        self.schema = schema
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self.clear()

    def clear(self) -> None:
        self.groups: dict[TableSql, tuple[list[_Part], list[pa.Table]]] = {}
        self.rows = self.bytes = 0

    def add(self, tsql: TableSql, part: _Part, records: pa.Table) -> None:
        if self.rows and (self.rows + records.num_rows > self.max_rows
                          or self.bytes + records.nbytes > self.max_bytes):
            self.judge()  # what waits, first: never more than the limits (or one part) waits
        parts, tables = self.groups.setdefault(tsql, ([], []))
        parts.append(part)
        tables.append(records)
        self.rows += records.num_rows
        self.bytes += records.nbytes
        if self.rows >= self.max_rows or self.bytes >= self.max_bytes:
            self.judge()

    def judge(self) -> None:
        groups = self.groups
        self.clear()
        for tsql, (parts, tables) in groups.items():
            _judge(self.con, tsql, self.schema, parts, _concat(tables))


def _flush(con, tsql: TableSql, ctx: LoadContext, sheet: str | None, schema: str,
           source: pa.Table | list[Path], n_rows: int, counts: TableCounts,
           pending: _Pending | None = None) -> None:
    """Hand over all records of one table of one file: a small one (Arrow) waits in
    ``pending`` to be judged with other files' records; a large one (Parquet), or any without
    ``pending``, is judged now. ``counts.read`` is known now, loaded and set aside once judged."""
    part = _Part(next(_PART_SEQ), ctx, sheet, n_rows, counts)
    counts.read += n_rows
    if isinstance(source, list) or pending is None:
        if pending is not None:
            pending.judge()  # keep the order of the files
        if not isinstance(source, list):
            source = source.append_column("_part", pa.array([part.seq] * n_rows, pa.int32()))
        _judge(con, tsql, schema, [part], source)
    else:
        pending.add(tsql, part,
                    source.append_column("_part", pa.array([part.seq] * n_rows, pa.int32())))


def _batches(records, n_values: int, batch_rows: int):
    """Records as Arrow batches of ``batch_rows``."""
    batch: list[Record] = []
    for rec in records:
        batch.append(rec)
        if len(batch) >= batch_rows:
            yield _arrow(batch, n_values)
            batch = []
    if batch:
        yield _arrow(batch, n_values)


def _concat(tables: list[pa.Table]) -> pa.Table:
    """One Arrow table (the raw cells of workbooks of other widths: missing ones NULL)."""
    return tables[0] if len(tables) == 1 else pa.concat_tables(tables, promote_options="default")


def load_records(con, tsql: TableSql, ctx: LoadContext, sheet: str | None, schema: str,
                 records, batch_rows: int = BATCH_ROWS,
                 before_write: Callable[[], None] | None = None,
                 pending: _Pending | None = None, batches=None) -> TableCounts:
    """Load one table's records (inside the caller's transaction), given as :class:`Record` s
    or, from a column-wise reader, as Arrow ``batches``. A small table goes to DuckDB
    as one Arrow batch (with ``pending``: judged later, together with other files' tables;
    ``loaded`` and ``quarantined`` of the counts are filled in then); a larger one is first
    streamed, batch by batch, into Parquet staging files (bounded memory), which DuckDB then
    reads once.

    ``before_write`` is called once all records were read and before anything is written (JSON
    Lines: the keys are known only then; it may raise to write nothing)."""
    before_write = before_write or (lambda: None)
    counts = TableCounts()
    if batches is None:
        batches = _batches(records, len(tsql.specs), batch_rows)
    first: list[pa.Table] = []
    n_rows = 0
    it = iter(batches)
    for b in it:
        if b.num_rows:
            first.append(b)
            n_rows += b.num_rows
        if n_rows >= batch_rows:
            break
    else:
        before_write()
        if n_rows:
            _flush(con, tsql, ctx, sheet, schema, _concat(first), n_rows, counts, pending)
        return counts
    with tempfile.TemporaryDirectory(prefix="regiopool-stage-") as tmp:
        paths: list[Path] = []
        writer = None
        columns = None
        n_rows = 0
        try:
            for b in itertools.chain(first, it):
                if not b.num_rows:
                    continue
                if writer is None or b.schema != columns:
                    if writer is not None:  # other columns (raw cells): a file of its own
                        writer.close()
                    paths.append(Path(tmp) / f"records-{len(paths)}.parquet")
                    columns = b.schema
                    writer = pq.ParquetWriter(paths[-1], columns, compression="zstd")
                writer.write_table(b)
                n_rows += b.num_rows
                _staged(n_rows)
        finally:
            if writer is not None:
                writer.close()
        before_write()
        _flush(con, tsql, ctx, sheet, schema, paths, n_rows, counts, pending)
    return counts


def _staged(n_rows: int) -> None:
    """Called after each staged batch (a hook for tests and progress; logs counts only)."""
    log.debug("staged %d records", n_rows)


def _set_aside_duplicates(con, tsql: TableSql, schema: str) -> dict[int, int]:
    """All rows whose id occurs more than once in the table (sheet) of one file go to
    quarantine. The ids (with the raw text of loaded rows) were collected in the temp table
    ``_ids`` by part (one table of one file); DuckDB spills it to disk when it grows, so memory
    stays bounded. Returns the rows set aside per part."""
    if tsql.unique_index is None:
        return {}
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _dups AS SELECT i.part, i.row_number, i.raw_text "
            "FROM _ids i JOIN (SELECT part, id FROM _ids GROUP BY part, id "
            "HAVING count(*) > 1) d ON i.part = d.part AND i.id = d.id WHERE NOT i.quarantined")
        per_part = dict(con.execute("SELECT part, count(*) FROM _dups GROUP BY part").fetchall())
        if per_part:
            con.execute(
                f"DELETE FROM {q(schema)}.{q(tsql.table.table)} t USING (SELECT p._load_id, "
                "d.row_number FROM _dups d JOIN _parts p ON p._part = d.part) x "
                "WHERE t._load_id = x._load_id AND t._row_number = x.row_number")
            con.execute(
                f"INSERT INTO {q(schema)}.quarantine (_load_id, _source_file, table_name, sheet, "
                "_row_number, reason, raw_text, _loaded_at) SELECT p._load_id, p._source_file, "
                f"{lit(tsql.table.table)}, p._sheet, d.row_number, 'duplicate_id_in_file', "
                "d.raw_text, p._loaded_at FROM _dups d JOIN _parts p ON p._part = d.part "
                "ORDER BY d.part, d.row_number")
    finally:
        con.execute("DELETE FROM _ids")
        con.execute("DROP TABLE IF EXISTS _dups")
    return per_part


LEDGER_COLUMNS = [
    ("load_id", pa.string()), ("partner", pa.string()), ("kind", pa.string()),
    ("period", pa.date32()), ("period_key", pa.string()), ("correction", pa.int32()),
    ("file_name", pa.string()), ("file_sha256", pa.string()), ("file_size", pa.int64()),
    ("delivered_at", pa.timestamp("us", tz="UTC")), ("loaded_at", pa.timestamp("us", tz="UTC")),
    ("status", pa.string()), ("resent_of", pa.string()), ("rows_read", pa.int64()),
    ("rows_loaded", pa.int64()), ("rows_quarantined", pa.int64()), ("message", pa.string()),
]
FINDING_COLUMNS = ["load_id", "partner", "table_name", "source_file", "sheet", "row_number",
                   "column_name", "rule"]
_COUNTS = {"rows_read": 0, "rows_loaded": 0, "rows_quarantined": 0}


def _insert_ledger(con, rows: list[dict]) -> None:
    """The ledger rows of one transaction, in one statement."""
    if not rows:
        return
    rows = [{**_COUNTS, **r} for r in rows]
    table = pa.table({c: pa.array([r.get(c) for r in rows], t) for c, t in LEDGER_COLUMNS})
    cols = ", ".join(c for c, _ in LEDGER_COLUMNS)
    con.register("_ledger_new", table)
    try:
        con.execute(f"INSERT INTO meta.load_ledger ({cols}) SELECT {cols} FROM _ledger_new")
    finally:
        con.unregister("_ledger_new")


def _insert_findings(con, rows: list[tuple]) -> None:
    """File-level findings of one transaction, in one statement."""
    if not rows:
        return
    table = pa.table({c: pa.array([r[i] for r in rows], pa.int32() if c == "row_number"
                                  else pa.string()) for i, c in enumerate(FINDING_COLUMNS)})
    con.register("_findings_new", table)
    try:
        con.execute(f"INSERT INTO meta.load_findings ({', '.join(FINDING_COLUMNS)}) "
                    f"SELECT {', '.join(FINDING_COLUMNS)} FROM _findings_new")
    finally:
        con.unregister("_findings_new")


def _finding(ctx: LoadContext, table: str | None, sheet: str | None, column: str | None,
             rule: str, row_number: int | None = None) -> tuple:
    return (ctx.load_id, ctx.partner, table, ctx.source_file, sheet, row_number, column, rule)


def _supersede(con, partner: str, kind: str, period_key: str) -> None:
    """Within a period, the loaded file with the highest correction stands; the others are
    marked ``superseded_by`` it (their rows stay, for audit)."""
    con.execute(
        """
        UPDATE meta.load_ledger l SET superseded_by = CASE WHEN l.load_id = w.load_id
                                                           THEN NULL ELSE w.load_id END
        FROM (SELECT load_id FROM meta.load_ledger
              WHERE partner = $p AND kind = $k AND period_key = $pk AND status = 'loaded'
              ORDER BY correction DESC, loaded_at DESC, load_id DESC LIMIT 1) w
        WHERE l.partner = $p AND l.kind = $k AND l.period_key = $pk AND l.status = 'loaded'
        """,
        {"p": partner, "k": kind, "pk": period_key},
    )


@dataclass(frozen=True)
class CommitLimits:
    """When an open transaction of several files is committed: after the file that reaches
    any of these. A file of ``bytes`` or more is its own transaction."""

    files: int = 200
    rows: int = 50_000
    bytes: int = 64 << 20


class _Transaction:
    """Several files in one transaction (all or nothing). Rows, quarantine and row findings are
    written as the files' records are judged (:class:`_Pending`: many small files together, at
    the latest before the commit); the files' ledger rows, file-level findings and the
    supersession of their periods at commit, each in one statement."""

    def __init__(self, con: duckdb.DuckDBPyConnection, limits: CommitLimits,
                 pending: _Pending | None = None):
        self.con = con
        self.limits = limits
        self.pending = pending
        self.open = False
        self._reset()

    def _reset(self) -> None:
        self.files = self.rows = self.bytes = 0
        self.ledger: list[dict] = []
        self.findings: list[tuple] = []
        self.supersede: set[tuple[str, str, str]] = set()
        self.judged: list[Callable[[], None]] = []  # per file, once its records are judged
        if self.pending is not None:
            self.pending.clear()

    def begin(self) -> None:
        if not self.open:
            self.con.execute("BEGIN")
            self.open = True

    def record(self, ledger_row: dict, findings: list[tuple], supersede: tuple | None,
               judged: Callable[[], None] | None = None) -> None:
        """Queue a file's ledger row; ``judged`` completes it (rows loaded and set aside) once
        all its records were judged, before the commit."""
        self.begin()
        self.ledger.append(ledger_row)
        self.findings += findings
        if supersede:
            self.supersede.add(supersede)
        if judged is not None:
            self.judged.append(judged)
        self.files += 1
        self.rows += ledger_row.get("rows_read") or 0
        self.bytes += ledger_row.get("file_size") or 0

    @property
    def full(self) -> bool:
        lim = self.limits
        return self.files >= lim.files or self.rows >= lim.rows or self.bytes >= lim.bytes

    def commit(self) -> None:
        if not self.open:
            return
        if self.pending is not None:
            self.pending.judge()
        for judged in self.judged:
            judged()
        _insert_ledger(self.con, self.ledger)
        _insert_findings(self.con, self.findings)
        for partner, kind, period_key in sorted(self.supersede):
            _supersede(self.con, partner, kind, period_key)
        self.con.execute("COMMIT")
        log.debug("committed %d file(s), %d rows", self.files, self.rows)
        self.open = False
        self._reset()

    def rollback(self) -> None:
        if self.open:
            self.open = False
            self._reset()
            self.con.execute("ROLLBACK")


class _LedgerIndex:
    """This partner's ledger, read once per run, kept up to date with the files of the run
    (also those of the still open transaction)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, partner: str):
        self.by_sha: dict[str, list[dict]] = {}
        self.by_name: dict[str, list[dict]] = {}
        cur = con.execute(
            "SELECT load_id, file_name, file_sha256, kind, period_key, status, loaded_at "
            "FROM meta.load_ledger WHERE partner = ? ORDER BY loaded_at, load_id", [partner])
        names = [d[0] for d in cur.description]
        for r in cur.fetchall():
            self.add(dict(zip(names, r)))

    def add(self, row: dict) -> None:
        self.by_sha.setdefault(row["file_sha256"], []).append(row)
        self.by_name.setdefault(row["file_name"], []).append(row)

    def rows(self, sha: str, name: str) -> list[dict]:
        """Ledger rows with these bytes or this file name, oldest first."""
        found = {id(r): r for r in self.by_sha.get(sha, []) + self.by_name.get(name, [])}
        return sorted(found.values(), key=lambda r: (r["loaded_at"], r["load_id"]))


class _LateDrift(Exception):
    def __init__(self, missing: list[str]):
        self.missing = missing


def _drift_message(problems: list[tuple[TableRead, list[str]]]) -> tuple[str, list[str]]:
    parts, missing_all = [], []
    for tread, missing in problems:
        where = f"sheet {tread.sheet or tread.table.sheet!r}" if tread.table.sheet else \
            f"table {tread.table.table}"
        if not tread.found:
            parts.append(f"{where} not found (missing columns: {', '.join(missing)})")
        else:
            parts.append(f"{where}: missing column(s) {', '.join(repr(m) for m in missing)}")
        missing_all += missing
    return "schema drift, file not loaded: " + "; ".join(parts), missing_all


class PartnerLoader:
    """Loads one partner's files into the open transaction (:class:`_Transaction`); the caller
    commits (``loader.txn.commit()``) when ``loader.txn.full`` and at the end."""

    def __init__(self, con: duckdb.DuckDBPyConnection, contract: PartnerContract,
                 batch_rows: int = BATCH_ROWS, limits: CommitLimits = CommitLimits(),
                 rescan: bool = False):
        self.con = con
        self.contract = contract
        self.batch_rows = batch_rows
        self.pending = _Pending(con, contract.schema, batch_rows)
        self.txn = _Transaction(con, limits, self.pending)
        self.index = _LedgerIndex(con, contract.partner)
        self.checks = FileChecks(con, contract.partner, trust=not rescan)
        self._tsql: dict[tuple[str, str], TableSql] = {}

    def table_sql(self, delivery: Delivery, table) -> TableSql:
        """One :class:`TableSql` per delivery and table, so that all files' records of a table
        are judged together."""
        key = (delivery.kind, table.table)
        if key not in self._tsql:
            self._tsql[key] = TableSql(self.contract.partner, table, delivery)
        return self._tsql[key]

    def _record(self, row: dict, findings: list[tuple] = (), supersede: tuple | None = None,
                previous: dict | None = None, judged: Callable[[], None] | None = None) -> None:
        """Queue the file's ledger row (and file-level findings) in the open transaction and
        make it known to the next files of the run."""
        self.txn.record(row, list(findings), supersede, judged)
        entry = {k: row[k] for k in ("load_id", "file_name", "file_sha256", "kind",
                                     "period_key", "status", "loaded_at")}
        if previous is not None:  # a rejected file examined again: its row is replaced
            previous.update(entry)
        else:
            self.index.add(entry)

    # ------------------------------------------------------------------ one file
    def load_file(self, path: Path, delivery: Delivery, match: re.Match[str]) -> FileReport:
        partner = self.contract.partner
        name = path.name
        period_key = match.group("period")
        correction = int(match.groupdict().get("correction") or 0)
        period, period_end = period_of(delivery, period_key)
        st = path.stat()
        facts = self.checks.facts(path, st)
        load_id = f"{partner}:{name}:{facts.sha256[:16]}"
        rep = FileReport(name, R.LOADED, delivery.kind, load_id, period_key, correction)
        known = self.index.rows(facts.sha256, name)
        same = [r for r in known if r["file_sha256"] == facts.sha256]
        changed_in_place = any(r["file_sha256"] != facts.sha256 for r in known)
        previous = next((r for r in same if r["file_name"] == name), None)
        if previous and previous["status"] not in R.REJECTED:
            rep.status = R.ALREADY_LOADED
            rep.load_id = previous["load_id"]
            return rep
        retry = previous is not None  # a rejected file is examined again (contract fixed?)
        same_period = next((r for r in same if r["file_name"] != name and r["kind"] ==
                            delivery.kind and r["period_key"] == period_key), None)
        other_period = next((r for r in same if r["file_name"] != name and r["period_key"] !=
                             period_key and r["status"] == R.LOADED), None)
        loaded_at = now_utc()
        ledger = {
            "load_id": load_id, "partner": partner, "kind": delivery.kind, "period": period,
            "period_key": period_key, "correction": correction, "file_name": name,
            "file_sha256": facts.sha256, "file_size": facts.size,
            "delivered_at": dt.datetime.fromtimestamp(st.st_mtime, dt.UTC),
            "loaded_at": loaded_at,
        }
        if same_period and not retry:
            rep.status = R.DUPLICATE
            rep.message = f"same bytes as {same_period['file_name']}: not loaded again"
            self._record({**ledger, "status": R.DUPLICATE, "message": rep.message})
            log.info("%s/%s: duplicate of %s", partner, name, same_period["file_name"])
            return rep
        ctx = LoadContext(partner, load_id, name, facts.sha256, period,
                          None if delivery.semantics == "events" else period_end, loaded_at)
        encoding = resolve_encoding(delivery.encoding, facts)
        reader = READERS[delivery.format](path, delivery, encoding)
        try:
            return self._load(reader, delivery, ctx, ledger, rep, previous, other_period,
                              changed_in_place)
        finally:
            reader.close()

    def _reject(self, rep: FileReport, ledger: dict, ctx: LoadContext, status: str,
                message: str, missing: list[str], retry: bool,
                problems: list[tuple[TableRead, list[str]]] = ()) -> FileReport:
        rep.status, rep.message, rep.missing_columns = status, message, missing
        rep.rows_read = rep.rows_loaded = rep.rows_quarantined = 0
        rep.tables = {}
        log.error("%s/%s: %s", ctx.partner, ctx.source_file, message)
        if retry:
            return rep  # already recorded; nothing changes
        findings = [_finding(ctx, tread.table.table, tread.sheet or tread.table.sheet, c,
                             "missing_column") for tread, cols in problems for c in cols]
        if status == R.REJECTED_UNREADABLE:
            findings.append(_finding(ctx, None, None, None, "unreadable_file"))
        self._record({**ledger, "status": status, "message": message}, findings)
        return rep

    def _load(self, reader, delivery: Delivery, ctx: LoadContext, ledger: dict,
              rep: FileReport, previous: dict | None, other_period: dict | None,
              changed_in_place: bool = False) -> FileReport:
        con = self.con
        retry = previous is not None
        try:
            treads = reader.tables()
        except UnreadableFileError as exc:
            return self._reject(rep, ledger, ctx, R.REJECTED_UNREADABLE,
                                f"file not loaded: {exc}", [], retry)
        problems = []
        for tr in treads:
            if tr.found is not None and (missing := tr.drift()[0]):
                problems.append((tr, missing))
        if problems:
            msg, missing = _drift_message(problems)
            return self._reject(rep, ledger, ctx, R.REJECTED_SCHEMA, msg, missing, retry,
                                problems)
        schema = self.contract.schema
        self.txn.begin()
        written = False

        def before_write(tr: TableRead) -> None:
            """Nothing of this file is written before its columns are known to be complete,
            so a late rejection (JSON Lines) leaves the open transaction's other files alone."""
            nonlocal written
            missing = tr.drift()[0]
            if missing and tr.found:  # JSON Lines: keys known only now
                if written:  # cannot happen: only single-table readers learn columns late
                    raise AssertionError(f"{ctx.source_file}: late drift after rows were written")
                raise _LateDrift(missing)
            if retry and not written:  # the rejection recorded before is replaced
                con.execute("DELETE FROM meta.load_ledger WHERE load_id = ?", [ctx.load_id])
                con.execute("DELETE FROM meta.load_findings WHERE load_id = ?", [ctx.load_id])
            written = True

        findings: list[tuple] = []
        parts: list[tuple[str, TableCounts]] = []
        try:
            for tr in treads:
                tsql = self.table_sql(delivery, tr.table)
                sheet = tr.sheet or tr.table.sheet
                counts = load_records(con, tsql, ctx, sheet, schema, tr.records, self.batch_rows,
                                      before_write=lambda tr=tr: before_write(tr),
                                      pending=self.pending, batches=tr.batches)
                _missing, missing_opt, added = tr.drift()
                for c in missing_opt:
                    findings.append(_finding(ctx, tr.table.table, sheet, c,
                                             "dropped_optional_column"))
                for c in added:
                    findings.append(_finding(ctx, tr.table.table, sheet, c, "added_column"))
                rep.added_columns += added
                rep.tables.setdefault(tr.table.table, 0)
                parts.append((tr.table.table, counts))
        except _LateDrift as drift:
            prob = [(tr, drift.missing) for tr in treads if tr.drift()[0]]
            msg, missing = _drift_message(prob)
            return self._reject(rep, ledger, ctx, R.REJECTED_SCHEMA, msg, missing, retry, prob)
        rows_read = sum(c.read for _, c in parts)
        rep.rows_read = rows_read
        notes = []
        if other_period:
            rep.resent_of = other_period["file_name"]
            # Equal bytes across periods are normal for empty and header-only files (IRL's
            # 0-byte days): that period's own, empty delivery. Only a file with rows is a finding.
            if rows_read:
                notes.append(f"same bytes as {rep.resent_of} (another period): re-sent?")
                findings.append(_finding(ctx, None, None, None, "resent_file"))
        if changed_in_place:  # a delivered file must never change: keep both, say so
            notes.append("a file of this name with other bytes was loaded before")
            findings.append(_finding(ctx, None, None, None, "file_changed_in_place"))
        if rep.added_columns:
            notes.append(f"added column(s) ignored: {', '.join(rep.added_columns)}")
        rep.message = "; ".join(notes)
        row = {**ledger, "status": R.LOADED, "resent_of": rep.resent_of, "rows_read": rows_read,
               "message": rep.message or None}

        def judged() -> None:
            """All records of the file are judged: its counts, in the report and ledger row."""
            loaded = sum(c.loaded for _, c in parts)
            quarantined = sum(c.quarantined for _, c in parts)
            if rows_read != loaded + quarantined:
                raise AssertionError(f"{ctx.source_file}: {rows_read} rows read but {loaded} "
                                     f"loaded and {quarantined} set aside")
            for table, c in parts:
                rep.tables[table] += c.loaded
            rep.rows_loaded, rep.rows_quarantined = loaded, quarantined
            row.update(rows_loaded=loaded, rows_quarantined=quarantined)
            log.info("%s/%s: loaded %d of %d rows, %d set aside", ctx.partner, ctx.source_file,
                     loaded, rows_read, quarantined)

        self._record(row, findings, None if delivery.semantics == "events" else (
            ctx.partner, delivery.kind, rep.period_key), previous, judged)
        return rep


def _read_ahead(loader: PartnerLoader, path: Path, delivery: Delivery) -> None:
    """Have the next workbook parsed while this file loads, if it is one this partner never
    delivered under that name (a file already loaded is not read again)."""
    if delivery.format == "xlsx" and not loader.index.by_name.get(path.name):
        PREFETCH.start(path, delivery)


def ingest_partner(warehouse: Path, inbox: Path, contract: PartnerContract, *,
                   batch_rows: int = BATCH_ROWS,
                   limits: CommitLimits = CommitLimits(),
                   rescan: bool | None = None) -> IngestReport:
    """Load every new file of this partner from ``<inbox>/<partner>/`` into the warehouse.

    Files are committed several at a time (``limits``): a transaction holds whole files, and a
    crash leaves none of its files behind (the next run loads them whole). Returns a report
    per file. Files rejected for schema drift (or unreadable) are recorded in the ledger and
    returned (status ``rejected_*``), after the partner's other files loaded; call
    ``report.raise_for_rejections()`` to fail loudly.

    A file checked in an earlier run and unchanged since (same size, inode, modification and
    change time) is not read again (:mod:`regiopool.ingest.file_checks`); ``rescan`` (default:
    environment ``REGIOPOOL_RESCAN_FILES=1``) reads every file again.
    """
    if rescan is None:
        rescan = os.environ.get("REGIOPOOL_RESCAN_FILES", "") not in ("", "0")
    report = IngestReport(contract.partner)
    folder = Path(inbox) / contract.partner
    con = open_partner(warehouse, contract)
    try:
        if not folder.is_dir():
            log.warning("%s: no inbox folder %s", contract.partner, folder)
            return report
        plan = []
        for path in sorted(folder.iterdir()):
            if not path.is_file() or path.name.startswith("."):
                continue
            found = contract.delivery_for(path.name)
            if not found:
                log.warning("%s/%s: file name matches no delivery of the contract: ignored",
                            contract.partner, path.name)
                report.files.append(FileReport(path.name, R.UNRECOGNISED,
                                               message="file name matches no delivery"))
                continue
            delivery, match = found
            corr = int(match.groupdict().get("correction") or 0)
            plan.append((match.group("period"), delivery.kind, corr, path.name, path, delivery,
                         match))
        loader = PartnerLoader(con, contract, batch_rows, limits, rescan)
        ordered = [p[4:] for p in sorted(plan, key=lambda p: p[:4])]  # (path, delivery, match)
        try:
            for i, (path, delivery, match) in enumerate(ordered):
                if loader.txn.files and path.stat().st_size >= limits.bytes:
                    loader.txn.commit()  # a large file is its own transaction
                if i + 1 < len(ordered):
                    _read_ahead(loader, *ordered[i + 1][:2])
                report.files.append(loader.load_file(path, delivery, match))
                if loader.txn.full:
                    loader.txn.commit()
            loader.txn.commit()
        except BaseException:
            loader.txn.rollback()
            raise
        finally:
            PREFETCH.discard()
        loader.checks.save(con)
        report.files_read, report.files_unchanged = loader.checks.scanned, loader.checks.reused
        log.info("%s: %d file(s) read, %d unchanged since their last check", contract.partner,
                 report.files_read, report.files_unchanged)
    finally:
        con.close()
    return report
