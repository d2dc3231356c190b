"""Suite definitions: the reviewable YAML files in ``expectations/`` plus the raw-table suites
generated from the partner contracts (``partners/*.yml``).

A *dataset* is one SQL query against the warehouse (projecting only the columns its
expectations need, never a personal column) and the expectations that validate its result.
Every expectation carries ``meta.check`` (the gate check it belongs to) and ``meta.severity``
(``critical`` blocks the month's extract, ``warning`` is recorded).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from string import Template

import yaml

from regiopool.contracts import REPO_ROOT

from .contracts import Partner, Table

SEVERITIES = ("critical", "warning")
DUCKDB_TYPE_FAMILIES = """case
    when data_type in ('TINYINT','SMALLINT','INTEGER','BIGINT','HUGEINT','UTINYINT',
                       'USMALLINT','UINTEGER','UBIGINT') then 'integer'
    when data_type like 'DECIMAL%' or data_type in ('DOUBLE','FLOAT','REAL') then 'decimal'
    when data_type like 'TIMESTAMP%' then 'timestamp'
    when data_type = 'DATE' then 'date'
    when data_type = 'BOOLEAN' then 'boolean'
    when data_type = 'JSON' then 'json'
    when data_type = 'VARCHAR' then 'text'
    else lower(data_type) end"""


def expectations_dir() -> Path:
    return Path(os.environ.get("REGIOPOOL_EXPECTATIONS_DIR", REPO_ROOT / "expectations"))


@dataclass
class Expectation:
    type: str
    kwargs: dict
    check: str
    severity: str
    description: str = ""

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"expectation {self.type} ({self.check}): severity {self.severity!r}")


@dataclass
class Dataset:
    suite: str
    sql: str
    expectations: list[Expectation]
    partition_by: str | None = None  # a column: one validation per value (results name it)
    partner: str | None = None  # the whole dataset belongs to this partner
    on_missing: str = "critical"  # severity when the query's relations do not exist
    description: str = ""
    value_sets: dict[str, str] = field(default_factory=dict)  # name -> SQL giving one column


def _expectation(item: dict) -> Expectation:
    meta = item.get("meta", {})
    return Expectation(
        type=item["type"],
        kwargs=dict(item.get("kwargs", {})),
        check=meta["check"],
        severity=meta["severity"],
        description=meta.get("description", ""),
    )


def load_suite_file(path: Path) -> list[Dataset]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    datasets = []
    for item in doc.get("datasets", []):
        datasets.append(
            Dataset(
                suite=item["suite"],
                sql=item["sql"],
                expectations=[_expectation(e) for e in item.get("expectations", [])],
                partition_by=item.get("partition_by"),
                on_missing=item.get("on_missing", "critical"),
                description=item.get("description", ""),
                value_sets=dict(item.get("value_sets", {})),
            )
        )
    return datasets


def month_end(month: date) -> date:
    """The last day of ``month``."""
    return date(month.year + month.month // 12, month.month % 12 + 1, 1) - timedelta(days=1)


def render_sql(sql: str, month: date, partners: list[Partner]) -> str:
    """Fill ``$month_start``, ``$month_end`` (DATE literals) and ``$partners`` (a VALUES list
    of the configured partner ids) into a dataset's SQL."""
    values = ", ".join(f"('{p.partner}')" for p in partners) or "(NULL)"
    return Template(sql).safe_substitute(
        month_start=f"DATE '{month.isoformat()}'",
        month_end=f"DATE '{month_end(month).isoformat()}'",
        partners=f"(VALUES {values})",
    )


# --- raw tables: the partner contract as expectations ------------------------------------


def _raw_rules(directory: Path) -> dict:
    path = directory / "raw.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}


def raw_datasets(partners: list[Partner], directory: Path | None = None,
                 existing: dict[str, set[str]] | None = None) -> list[Dataset]:
    """One dataset per raw table (rows of the loads of the report month that stand) and one
    per partner for the raw schema. ``existing`` maps ``raw_<partner>.<table>`` to the
    columns the warehouse has; tables missing from it get only the schema check."""
    rules = _raw_rules(Path(directory) if directory else expectations_dir())
    datasets: list[Dataset] = []
    for partner in partners:
        datasets.append(_raw_schema_dataset(partner, rules))
        for table in partner.tables:
            cols = (existing or {}).get(table.relation)
            if cols is None:
                continue
            datasets.append(_raw_table_dataset(table, cols, rules))
    return datasets


def _raw_schema_dataset(partner: Partner, rules: dict) -> Dataset:
    expected = ", ".join(
        f"('{t.table}', '{c.name}', '{'text' if c.type == 'json' else c.type}')"
        for t in partner.tables
        for c in t.columns
    )
    sql = f"""
with expected(table_name, column_name, expected_type) as (values {expected}),
actual as (
    select table_name, column_name,
        {DUCKDB_TYPE_FAMILIES} as actual_type
    from information_schema.columns
    where table_schema = 'raw_{partner.partner}'
)
select expected.table_name, expected.column_name, expected.expected_type,
    case when actual.actual_type = 'json' and expected.expected_type = 'text' then 'text'
         else actual.actual_type end as actual_type
from expected
left join actual using (table_name, column_name)
"""
    meta = rules.get("schema", {})
    return Dataset(
        suite=f"raw_schema.{partner.partner}",
        sql=sql,
        partner=partner.partner,
        on_missing="warning",
        description=f"Raw tables of {partner.partner} have the contract's columns and types",
        expectations=[
            Expectation("expect_column_values_to_not_be_null", {"column": "actual_type"},
                        meta.get("check", "raw_schema"), meta.get("severity", "warning"),
                        "a contract column is missing from the raw table"),
            Expectation("expect_column_pair_values_to_be_equal",
                        {"column_A": "actual_type", "column_B": "expected_type",
                         "ignore_row_if": "either_value_is_missing"},
                        meta.get("check", "raw_schema"), meta.get("severity", "warning"),
                        "a raw column's type differs from the contract"),
        ],
    )


def _raw_table_dataset(table: Table, existing_cols: set[str], rules: dict) -> Dataset:
    contract = rules.get("contract", {})
    by_column = rules.get("columns", [])
    cols = [c for c in table.columns if not c.personal and c.type != "json"
            and c.name in existing_cols]
    names = {c.name for c in cols}
    select = ", ".join(f"r.{c.name}" for c in cols)
    sql = f"""
select {select + ', ' if select else ''}r._load_id, r._row_number, r._period,
    last_day(r._period) as _period_end
from {table.relation} as r
inner join meta.load_ledger as l on l.load_id = r._load_id
where l.status = 'loaded' and l.superseded_by is null
  and date_trunc('month', r._period) = $month_start
"""

    def rule(key: str, default_check: str) -> tuple[str, str]:
        spec = contract.get(key, {})
        return spec.get("check", default_check), spec.get("severity", "warning")

    exps: list[Expectation] = []
    for c in cols:
        if c.required:
            exps.append(Expectation("expect_column_values_to_not_be_null", {"column": c.name},
                                    *rule("required", "raw_contract"),
                                    f"{c.name} is required"))
        if c.accepted_values:
            exps.append(Expectation("expect_column_values_to_be_in_set",
                                    {"column": c.name, "value_set": list(c.accepted_values)},
                                    *rule("accepted_values", "raw_contract"),
                                    f"{c.name} is one of the accepted values"))
        if c.unique_in_file:
            exps.append(Expectation("expect_compound_columns_to_be_unique",
                                    {"column_list": ["_load_id", c.name]},
                                    *rule("unique_in_file", "duplicate_key"),
                                    f"{c.name} is unique within a delivery"))
        if c.in_period:
            exps.append(Expectation("expect_column_values_to_be_between",
                                    {"column": c.name, "min_value": "2000-01-01"},
                                    *rule("in_period", "implausible_date"),
                                    f"{c.name} is not before 2000-01-01"))
            exps.append(Expectation("expect_column_pair_values_a_to_be_greater_than_b",
                                    {"column_A": "_period_end", "column_B": c.name,
                                     "or_equal": True, "ignore_row_if": "either_value_is_missing"},
                                    *rule("in_period", "implausible_date"),
                                    f"{c.name} is not after the end of the file's period"))
    for spec in by_column:
        for col in spec.get("columns", []):
            if col in names:
                exps.append(_column_rule(spec, {"column": col}))
    for spec in rules.get("column_pairs", []):
        a, b = spec["columns"]
        if a in names and b in names:
            exps.append(_column_rule(spec, {"column_A": a, "column_B": b}))
    exps.append(Expectation("expect_compound_columns_to_be_unique",
                            {"column_list": ["_load_id", "_row_number"]},
                            *rule("row_location", "duplicate_key"),
                            "a delivery's rows have distinct locations (file and line)"))
    return Dataset(
        suite=f"raw.{table.partner}.{table.table}",
        sql=sql,
        partner=table.partner,
        on_missing="warning",
        description=f"{table.relation}: the partner contract, rows of the report month",
        expectations=exps,
    )


def _column_rule(spec: dict, target: dict) -> Expectation:
    meta = spec["meta"]
    kwargs = {**spec.get("kwargs", {}), **target}
    label = ", ".join(str(v) for v in target.values())
    return Expectation(spec["type"], kwargs, meta["check"], meta["severity"],
                       f"{label}: {meta.get('description', spec['type'])}")
