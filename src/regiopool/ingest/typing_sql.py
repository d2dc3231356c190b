"""Typing and checking of staged text values, in DuckDB SQL, the same for every format.

A batch of records arrives as an Arrow table of text (``v0..vN`` plus ``_part``,
``_row_number``, ``_raw_text`` and ``_reason``, the reader's verdict), with the records of one or
many *parts* (one table of one file each: the records of many small files are judged together).
The parts' lineage (load id, file, checksum, period, period end, sheet) is a small table
``_parts`` joined by ``_part``. One statement types every column (``t0..tN``) and decides each
row's fate (``_fate``): the set-aside rules of the contract,
in this order: unreadable (reader), ``missing_<name>``, ``unparsed_<type>:<name>`` (a required
value that does not parse), ``date_out_of_period:<name>``, ``unmapped_<name>`` (codelist),
``unknown_<name>`` (accepted_values). Other values that do not parse become NULL and a finding.
A table's ``checks`` (values inside a json column, e.g. IRL's ``received_on`` in the payload of
a ``project.created``) take part in the same rules, after the columns of each rule, for the rows
their ``when`` selects; they add no raw column (the JSON is loaded whole).
"""

from __future__ import annotations

import datetime as dt
import re

import duckdb

from regiopool.contracts import CheckSpec, ColumnSpec, Delivery, TableSpec
from regiopool.ingest.readers.base import object_raw_text_sql, raw_text_sql
from regiopool.ingest.reference import codelist_keys

MIN_DATE = dt.date(2000, 1, 1)

MACROS = [
    r"""CREATE OR REPLACE TEMP MACRO rp_norm(s) AS
        replace(replace(replace(replace(regexp_replace(lower(trim(s)), '\s+', ' ', 'g'),
        'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'ß', 'ss')""",
    """CREATE OR REPLACE TEMP MACRO rp_dec(x) AS
        coalesce(try_cast(x AS DECIMAL(18,4)), try_cast(try_cast(x AS DOUBLE) AS DECIMAL(18,4)))""",
    """CREATE OR REPLACE TEMP MACRO rp_int(x) AS
        CASE WHEN try_cast(x AS DOUBLE) = round(try_cast(x AS DOUBLE))
             THEN try_cast(try_cast(x AS DOUBLE) AS BIGINT) END""",
]

FINDING_RULE = {
    "integer": "unparsed_number",
    "decimal": "unparsed_number",
    "date": "unparsed_date",
    "timestamp": "unparsed_timestamp",
    "boolean": "unparsed_boolean",
    "json": "invalid_json",
}


def lit(value: object) -> str:
    """A SQL literal (values are contract constants or load metadata, never row content)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return f"TIMESTAMPTZ '{value.isoformat()}'"
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    return "'" + str(value).replace("'", "''") + "'"


def normalized(keys) -> list[str]:
    """The code list's keys as ``rp_norm`` writes them, computed once by DuckDB itself (an
    in-memory connection): in the judging statement a list of ``rp_norm(<key>)`` was
    evaluated again for every row."""
    con = duckdb.connect()
    try:
        con.execute(MACROS[0])
        return sorted({k for (k,) in con.execute(
            "SELECT rp_norm(k) FROM unnest(?::VARCHAR[]) AS t(k)", [sorted(keys)]).fetchall()})
    finally:
        con.close()


def number_pattern(decimal: str, thousands: str | None) -> str:
    d = re.escape(decimal)
    if thousands:
        t = re.escape(thousands)
        return rf"[+-]?(\d{{1,3}}({t}\d{{3}})+|\d+)({d}\d+)?"
    if decimal == ".":
        return r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"
    return rf"[+-]?\d+({d}\d+)?"


def _number_text(s: str, decimal: str, thousands: str | None) -> str:
    norm = s
    if thousands:
        norm = f"replace({norm}, {lit(thousands)}, '')"
    if decimal != ".":
        norm = f"replace({norm}, {lit(decimal)}, '.')"
    return f"CASE WHEN regexp_full_match({s}, {lit(number_pattern(decimal, thousands))}) THEN {norm} END"


def typed_expr(col_type: str, col: ColumnSpec | None, s: str, delivery: Delivery) -> str:
    """SQL typing ``s`` (the trimmed text, NULL when empty) as the column's type."""
    if col_type in ("text", "json_text"):
        return s
    if col_type in ("integer", "decimal"):
        num = _number_text(s, delivery.decimal, delivery.thousands)
        return f"rp_int({num})" if col_type == "integer" else f"rp_dec({num})"
    if col_type == "date":
        fmt = (col.date_format if col else None) or delivery.date_format
        return f"CAST(try_strptime({s}, {lit(fmt)}) AS DATE)"
    if col_type == "timestamp":
        return f"try_cast({s} AS TIMESTAMPTZ)"
    if col_type == "boolean":
        true = ", ".join(lit(v.lower()) for v in col.true_values)
        false = ", ".join(lit(v.lower()) for v in col.false_values)
        return f"CASE WHEN lower({s}) IN ({true}) THEN true WHEN lower({s}) IN ({false}) THEN false END"
    if col_type == "json":
        return f"CASE WHEN json_valid({s}) THEN CAST({s} AS JSON) END"
    raise ValueError(col_type)


class TableSql:
    """The statements that type, judge and file away one batch of one table (the records of
    one or many files: their lineage, sheet and period end come from ``_parts``)."""

    def __init__(self, partner: str, table: TableSpec, delivery: Delivery):
        self.partner = partner
        self.table = table
        specs: list[tuple[str, str, ColumnSpec | None]] = [
            (c.name, c.type, c) for c in table.columns
        ]
        if table.geometry_column:
            specs.append((table.geometry_column, "json_text", None))
        self.specs = specs
        sel = ["_part", "_row_number"]
        for i, (name, ctype, col) in enumerate(specs):
            s = f"nullif(trim(v{i}), '')"
            sel.append(f"{s} AS s{i}")
            sel.append(f"{typed_expr(ctype, col, s, delivery)} AS t{i}")
        # What is judged: the columns (text s<i>, typed t<i>), then the checks of values inside
        # a json column (c<k>, u<k>: only for the rows their `when` selects, else NULL).
        index = {name: i for i, (name, _, _) in enumerate(specs)}
        judged: list[tuple[str, str, str, str, ColumnSpec, str]] = [
            (f"s{i}", f"t{i}", name, ctype, col, "")
            for i, (name, ctype, col) in enumerate(specs) if col]
        self.check_sel: list[str] = []
        for k, chk in enumerate(table.checks):
            guard = " AND ".join(
                f"s{index[c]} IN ({', '.join(lit(v) for v in vals)})" for c, vals in chk.when)
            cond = f"{guard} AND " if guard else ""
            path = lit(f'$."{chk.source}"')
            self.check_sel.append(
                f"CASE WHEN {cond}t{index[chk.column]} IS NOT NULL THEN "
                f"nullif(trim(json_extract_string(t{index[chk.column]}, {path})), '') END AS c{k}")
            self.check_sel.append(f"{typed_expr(chk.type, chk, f'c{k}', delivery)} AS u{k}")
            judged.append((f"c{k}", f"u{k}", chk.name, chk.type, chk,
                           f"({guard}) AND " if guard else ""))
        self.judged = judged
        reasons: list[str] = []
        # Rules run in order; the first that fires is the row's reason.
        for s, _, name, _, col, on in judged:
            if col.required:
                reasons.append(f"WHEN {on}{s} IS NULL THEN {lit('missing_' + name)}")
        for s, t, name, ctype, col, on in judged:
            if col.required and ctype not in ("text", "json_text"):
                rule = FINDING_RULE[ctype]
                reasons.append(f"WHEN {on}{t} IS NULL THEN {lit(rule + ':' + name)}")
        for s, t, name, _, col, on in judged:
            if col.in_period:
                # _period_end is NULL for events: no upper bound
                reasons.append(f"WHEN {on}({t} < {lit(MIN_DATE)} OR {t} > _period_end) "
                               f"THEN {lit('date_out_of_period:' + name)}")
        for s, _, name, _, col, on in judged:
            if col.codelist:
                keys = normalized(set(codelist_keys(col.codelist, partner)))
                arr = "[" + ", ".join(lit(k) for k in keys) + "]"
                base = name.removesuffix("_label")
                reasons.append(f"WHEN {on}{s} IS NOT NULL AND NOT list_contains({arr}, rp_norm({s})) "
                               f"THEN {lit('unmapped_' + base)}")
        for s, _, name, _, col, on in judged:
            if col.accepted_values:
                vals = ", ".join(lit(v) for v in col.accepted_values)
                reasons.append(f"WHEN {on}{s} IS NOT NULL AND {s} NOT IN ({vals}) "
                               f"THEN {lit('unknown_' + name)}")
        self._case = "CASE WHEN _reason IS NOT NULL THEN _reason " + " ".join(reasons) + " END"
        self._sel = sel
        self.unique_index = next(
            (i for i, (_, _, c) in enumerate(specs) if c and c.unique_in_file), None
        )
        self.judge = self.judge_sql(0)

    def judge_sql(self, raw_cells: int = 0, objects: bool = False) -> str:
        """The statement that types and judges ``_batch`` into ``_judged``. A column-wise
        reader's batch (``raw_cells``: raw cells ``_r<j>``/``_x<j>`` instead of the raw text;
        ``objects``: a JSON object's members, see :func:`object_raw_text_sql`) gets its raw
        texts afterwards, for the rows that need them (:meth:`raw_text_sql`)."""
        raw = "NULL::VARCHAR AS _raw_text" if raw_cells or objects else "_raw_text"
        typed = (f"SELECT _reason, _period_end, {raw}, {', '.join(self._sel)} "
                 "FROM _batch JOIN _parts USING (_part)")
        if self.check_sel:
            typed = f"SELECT *, {', '.join(self.check_sel)} FROM ({typed})"
        return ("CREATE OR REPLACE TEMP TABLE _judged AS SELECT *, "
                f"{self._case} AS _fate FROM ({typed})")

    def raw_text_sql(self, raw_cells: int, objects: bool = False) -> str:
        """The raw text (built from ``_batch``'s raw cells, :func:`raw_text_sql`) of the rows
        of ``_judged`` that need it: the rows set aside, and those whose id occurs more than
        once in their part (they may be set aside as duplicates)."""
        need = "_fate IS NOT NULL"
        ids = ""
        if self.unique_index is not None:
            u = f"s{self.unique_index}"
            ids = f", {u} IS NOT NULL AND count(*) OVER (PARTITION BY _part, {u}) > 1 AS _dup"
            need += " OR _dup"
        return (
            "UPDATE _judged SET _raw_text = r._raw_text FROM (SELECT b._part, b._row_number, "
            f"{object_raw_text_sql(raw_cells, 'b._raw_text') if objects else raw_text_sql(raw_cells)} "
            "AS _raw_text FROM _batch b SEMI JOIN (SELECT _part, "
            f"_row_number FROM (SELECT _part, _row_number, _fate{ids} FROM _judged) "
            f"WHERE {need}) n ON b._part = n._part AND b._row_number = n._row_number) r "
            "WHERE _judged._part = r._part AND _judged._row_number = r._row_number")

    def insert_raw(self, target: str) -> str:
        lineage = ["_load_id", "_source_file", "_file_sha256", "_row_number", "_period",
                   "_loaded_at"]
        cols = [name for name, _, _ in self.specs] + lineage
        exprs = [f"t{i}" for i in range(len(self.specs))] + lineage
        quoted = ", ".join(f'"{c}"' for c in cols)
        return (f"INSERT INTO {target} ({quoted}) SELECT {', '.join(exprs)} "
                "FROM _judged JOIN _parts USING (_part) WHERE _fate IS NULL "
                "ORDER BY _part, _row_number")

    def insert_quarantine(self, target: str) -> str:
        return (
            f"INSERT INTO {target} (_load_id, _source_file, table_name, sheet, _row_number, "
            f"reason, raw_text, _loaded_at) SELECT _load_id, _source_file, "
            f"{lit(self.table.table)}, _sheet, _row_number, _fate, _raw_text, _loaded_at "
            "FROM _judged JOIN _parts USING (_part) WHERE _fate IS NOT NULL "
            "ORDER BY _part, _row_number"
        )

    def insert_findings(self) -> str | None:
        parts = []
        values = [(f"s{i}", f"t{i}", name, ctype, col) for i, (name, ctype, col)
                  in enumerate(self.specs)]
        values += [(s, t, name, ctype, col) for s, t, name, ctype, col, _ in self.judged
                   if isinstance(col, CheckSpec)]
        for s, t, name, ctype, col in values:
            if ctype in FINDING_RULE and not (col and col.required):
                parts.append(
                    f"SELECT _part, _row_number, {lit(name)} AS column_name, "
                    f"{lit(FINDING_RULE[ctype])} AS rule FROM _judged "
                    f"WHERE _fate IS NULL AND {s} IS NOT NULL AND {t} IS NULL"
                )
        if not parts:
            return None
        return (
            "INSERT INTO meta.load_findings (load_id, partner, table_name, source_file, sheet, "
            f"row_number, column_name, rule) SELECT _load_id, {lit(self.partner)}, "
            f"{lit(self.table.table)}, _source_file, _sheet, _row_number, column_name, rule "
            f"FROM ({' UNION ALL '.join(parts)}) JOIN _parts USING (_part) "
            "ORDER BY _part, _row_number"
        )

    def insert_ids(self) -> str | None:
        if self.unique_index is None:
            return None
        i = self.unique_index
        return (f"INSERT INTO _ids SELECT _part, s{i}, _row_number, _fate IS NOT NULL, "
                f"CASE WHEN _fate IS NULL THEN _raw_text END FROM _judged WHERE s{i} IS NOT NULL")
