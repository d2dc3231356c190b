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
   (:mod:`.typing_sql`), into ``raw_<partner>.<table>`` or ``raw_<partner>.quarantine``;
5. one transaction per file: rows, quarantine, findings, the ledger row and the supersession
   of earlier versions of the period (``_kN``, highest N wins) commit together or not at all.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from regiopool.contracts import Delivery, PartnerContract
from regiopool.ingest import report as R
from regiopool.ingest.readers import READERS, Record, TableRead, UnreadableFileError
from regiopool.ingest.readers.encoding import resolve_encoding, scan_file
from regiopool.ingest.report import FileReport, IngestReport
from regiopool.ingest.typing_sql import MACROS, TableSql
from regiopool.ingest.warehouse import META_DDL, connect, ensure_partner, q

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


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    for m in MACROS:
        con.execute(m)
    con.execute("CREATE OR REPLACE TEMP TABLE _ids (id VARCHAR, row_number INTEGER, "
                "quarantined BOOLEAN)")


def _flush(con, tsql: TableSql, ctx: LoadContext, sheet: str | None, schema: str,
           records: list[Record], counts: TableCounts) -> None:
    n_values = len(tsql.specs)
    arrays = [pa.array([r.row_number for r in records], pa.int32()),
              pa.array([r.raw_text for r in records], pa.string()),
              pa.array([r.reason for r in records], pa.string())]
    columns = list(zip(*(r.values for r in records))) or [()] * n_values
    arrays += [pa.array(columns[i], pa.string()) for i in range(n_values)]
    names = ["_row_number", "_raw_text", "_reason"] + [f"v{i}" for i in range(n_values)]
    batch = pa.Table.from_arrays(arrays, names=names)
    con.register("_batch", batch)
    try:
        con.execute(tsql.judge)
    finally:
        con.unregister("_batch")
    lineage = {
        "_load_id": ctx.load_id,
        "_source_file": ctx.source_file,
        "_file_sha256": ctx.sha256,
        "_row_number": None,
        "_period": ctx.period,
        "_loaded_at": ctx.loaded_at,
    }
    # DuckDB answers an INSERT with the number of rows it inserted
    ok = con.execute(tsql.insert_raw(f"{q(schema)}.{q(tsql.table.table)}", lineage)
                     ).fetchall()[0][0]
    bad = con.execute(tsql.insert_quarantine(f"{q(schema)}.quarantine", ctx.load_id,
                                             ctx.source_file, sheet, ctx.loaded_at)
                      ).fetchall()[0][0]
    if ok + bad != len(batch):
        raise AssertionError(f"{ctx.source_file}: {len(batch)} rows read but {ok} loaded and "
                             f"{bad} set aside")
    if sql := tsql.insert_findings(ctx.load_id, ctx.partner, ctx.source_file, sheet):
        con.execute(sql)
    if sql := tsql.insert_ids():
        con.execute(sql)
    counts.read += len(batch)
    counts.loaded += ok
    counts.quarantined += bad


def load_records(con, tsql: TableSql, ctx: LoadContext, sheet: str | None, schema: str,
                 records, batch_rows: int = BATCH_ROWS) -> TableCounts:
    """Stream records into the raw table / quarantine in batches (inside the caller's
    transaction)."""
    counts = TableCounts()
    batch: list[Record] = []
    for rec in records:
        batch.append(rec)
        if len(batch) >= batch_rows:
            _flush(con, tsql, ctx, sheet, schema, batch, counts)
            batch = []
    if batch:
        _flush(con, tsql, ctx, sheet, schema, batch, counts)
    return counts


def _set_aside_duplicates(con, tsql: TableSql, ctx: LoadContext, sheet: str | None,
                          schema: str, reread, counts: TableCounts) -> int:
    """All rows whose id occurs more than once in the table (sheet) go to quarantine."""
    if tsql.unique_index is None:
        return 0
    rows = con.execute(
        "SELECT row_number FROM _ids WHERE NOT quarantined AND id IN "
        "(SELECT id FROM _ids GROUP BY id HAVING count(*) > 1) ORDER BY row_number"
    ).fetchall()
    con.execute("DELETE FROM _ids")
    if not rows:
        return 0
    wanted = {r[0] for r in rows}
    table = f"{q(schema)}.{q(tsql.table.table)}"
    con.execute(f"DELETE FROM {table} WHERE _load_id = ? AND _row_number IN "
                f"(SELECT unnest(?::INTEGER[]))", [ctx.load_id, sorted(wanted)])
    # Second pass over the file for the raw text of exactly these rows.
    found = []
    for rec in reread():
        if rec.row_number in wanted:
            found.append((rec.row_number, rec.raw_text))
    qt = pa.table({"_row_number": pa.array([f[0] for f in found], pa.int32()),
                   "raw_text": pa.array([f[1] for f in found], pa.string())})
    con.register("_dups", qt)
    try:
        con.execute(
            f"INSERT INTO {q(schema)}.quarantine (_load_id, _source_file, table_name, sheet, "
            "_row_number, reason, raw_text, _loaded_at) SELECT ?, ?, ?, ?, _row_number, "
            "'duplicate_id_in_file', raw_text, ? FROM _dups ORDER BY _row_number",
            [ctx.load_id, ctx.source_file, tsql.table.table, sheet, ctx.loaded_at],
        )
    finally:
        con.unregister("_dups")
    counts.loaded -= len(wanted)
    counts.quarantined += len(wanted)
    return len(wanted)


def _insert_ledger(con, row: dict) -> None:
    cols = list(row)
    con.execute(
        f"INSERT INTO meta.load_ledger ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        [row[c] for c in cols],
    )


def _finding(con, ctx: LoadContext, table: str | None, sheet: str | None, column: str | None,
             rule: str, row_number: int | None = None) -> None:
    con.execute(
        "INSERT INTO meta.load_findings VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [ctx.load_id, ctx.partner, table, ctx.source_file, sheet, row_number, column, rule],
    )


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
    def __init__(self, con: duckdb.DuckDBPyConnection, contract: PartnerContract,
                 batch_rows: int = BATCH_ROWS):
        self.con = con
        self.contract = contract
        self.batch_rows = batch_rows

    # ------------------------------------------------------------------ ledger look-ups
    def _ledger_rows(self, sha: str, name: str) -> list[dict]:
        """Ledger rows of this partner with these bytes or this file name."""
        cur = self.con.execute(
            "SELECT load_id, file_name, file_sha256, kind, period_key, status "
            "FROM meta.load_ledger WHERE partner = ? AND (file_sha256 = ? OR file_name = ?) "
            "ORDER BY loaded_at, load_id",
            [self.contract.partner, sha, name],
        )
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    # ------------------------------------------------------------------ one file
    def load_file(self, path: Path, delivery: Delivery, match: re.Match[str]) -> FileReport:
        partner = self.contract.partner
        name = path.name
        period_key = match.group("period")
        correction = int(match.groupdict().get("correction") or 0)
        period, period_end = period_of(delivery, period_key)
        facts = scan_file(path)
        load_id = f"{partner}:{name}:{facts.sha256[:16]}"
        rep = FileReport(name, R.LOADED, delivery.kind, load_id, period_key, correction)
        known = self._ledger_rows(facts.sha256, name)
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
            "delivered_at": dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC),
            "loaded_at": loaded_at,
        }
        if same_period and not retry:
            rep.status = R.DUPLICATE
            rep.message = f"same bytes as {same_period['file_name']}: not loaded again"
            self.con.execute("BEGIN")
            _insert_ledger(self.con, {**ledger, "status": R.DUPLICATE, "message": rep.message})
            self.con.execute("COMMIT")
            log.info("%s/%s: duplicate of %s", partner, name, same_period["file_name"])
            return rep
        ctx = LoadContext(partner, load_id, name, facts.sha256, period,
                          None if delivery.semantics == "events" else period_end, loaded_at)
        encoding = resolve_encoding(delivery.encoding, facts)
        reader = READERS[delivery.format](path, delivery, encoding)
        try:
            return self._load(reader, delivery, ctx, ledger, rep, retry, other_period,
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
        self.con.execute("BEGIN")
        _insert_ledger(self.con, {**ledger, "status": status, "message": message})
        for tread, cols in problems:
            for c in cols:
                _finding(self.con, ctx, tread.table.table, tread.sheet or tread.table.sheet, c,
                         "missing_column")
        if status == R.REJECTED_UNREADABLE:
            _finding(self.con, ctx, None, None, None, "unreadable_file")
        self.con.execute("COMMIT")
        return rep

    def _load(self, reader, delivery: Delivery, ctx: LoadContext, ledger: dict,
              rep: FileReport, retry: bool, other_period: dict | None,
              changed_in_place: bool = False) -> FileReport:
        con = self.con
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
        con.execute("BEGIN")
        try:
            if retry:
                con.execute("DELETE FROM meta.load_ledger WHERE load_id = ?", [ctx.load_id])
                con.execute("DELETE FROM meta.load_findings WHERE load_id = ?", [ctx.load_id])
            totals = TableCounts()
            for i, tr in enumerate(treads):
                tsql = TableSql(ctx.partner, tr.table, delivery, ctx.period_end)
                sheet = tr.sheet or tr.table.sheet
                counts = load_records(con, tsql, ctx, sheet, schema, tr.records, self.batch_rows)
                missing, missing_opt, added = tr.drift()
                if missing and tr.found:  # JSON Lines: keys known only now
                    raise _LateDrift(missing)
                for c in missing_opt:
                    _finding(con, ctx, tr.table.table, sheet, c, "dropped_optional_column")
                for c in added:
                    _finding(con, ctx, tr.table.table, sheet, c, "added_column")
                rep.added_columns += added

                def reread(i=i):
                    return reader.tables()[i].records

                _set_aside_duplicates(con, tsql, ctx, sheet, schema, reread, counts)
                rep.tables[tr.table.table] = rep.tables.get(tr.table.table, 0) + counts.loaded
                totals.read += counts.read
                totals.loaded += counts.loaded
                totals.quarantined += counts.quarantined
            assert totals.read == totals.loaded + totals.quarantined
            rep.rows_read, rep.rows_loaded = totals.read, totals.loaded
            rep.rows_quarantined = totals.quarantined
            notes = []
            if other_period:
                rep.resent_of = other_period["file_name"]
                if totals.read:  # header-only / empty files are often equal: not a finding
                    notes.append(f"same bytes as {rep.resent_of} (another period): re-sent?")
                    _finding(con, ctx, None, None, None, "resent_file")
            if changed_in_place:  # a delivered file must never change: keep both, say so
                notes.append("a file of this name with other bytes was loaded before")
                _finding(con, ctx, None, None, None, "file_changed_in_place")
            if rep.added_columns:
                notes.append(f"added column(s) ignored: {', '.join(rep.added_columns)}")
            rep.message = "; ".join(notes)
            _insert_ledger(con, {
                **ledger, "status": R.LOADED, "resent_of": rep.resent_of,
                "rows_read": totals.read, "rows_loaded": totals.loaded,
                "rows_quarantined": totals.quarantined, "message": rep.message or None,
            })
            if delivery.semantics != "events":
                _supersede(con, ctx.partner, delivery.kind, rep.period_key)
            con.execute("COMMIT")
        except _LateDrift as drift:
            con.execute("ROLLBACK")
            prob = [(tr, drift.missing) for tr in treads if tr.drift()[0]]
            msg, missing = _drift_message(prob)
            return self._reject(rep, ledger, ctx, R.REJECTED_SCHEMA, msg, missing, retry, prob)
        except BaseException:
            con.execute("ROLLBACK")
            raise
        log.info("%s/%s: loaded %d of %d rows, %d set aside", ctx.partner, ctx.source_file,
                 rep.rows_loaded, rep.rows_read, rep.rows_quarantined)
        return rep


def ingest_partner(warehouse: Path, inbox: Path, contract: PartnerContract, *,
                   batch_rows: int = BATCH_ROWS) -> IngestReport:
    """Load every new file of this partner from ``<inbox>/<partner>/`` into the warehouse.

    Returns a report per file. Files rejected for schema drift (or unreadable) are recorded in
    the ledger and returned (status ``rejected_*``), after the partner's other files loaded;
    call ``report.raise_for_rejections()`` to fail loudly.
    """
    report = IngestReport(contract.partner)
    folder = Path(inbox) / contract.partner
    con = connect(Path(warehouse))
    try:
        con.execute("BEGIN")
        for stmt in META_DDL:
            con.execute(stmt)
        ensure_partner(con, contract)
        con.execute("COMMIT")
        prepare(con)
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
        for *_, path, delivery, match in sorted(plan, key=lambda p: p[:4]):
            report.files.append(PartnerLoader(con, contract, batch_rows).load_file(
                path, delivery, match))
    finally:
        con.close()
    return report
