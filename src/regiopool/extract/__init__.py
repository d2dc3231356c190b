"""The monthly German council extract (PDF + XLSX) with statistical disclosure control.

Public API:

- `publish_extract(warehouse, extracts_dir, report_month, gate) -> ExtractResult`
- `compute_tables(con, report_month) -> dict`: the unsuppressed figures per table
- `ExtractBlocked`: raised when the month's quality gate has not passed
- `republish(warehouse, extracts_dir, today, gate_for_month)`: the §5 rebuild of published months
- `regiopool.extract.disclosure`: the §5 confidentiality rules (pure functions)

See docs/council_extract.md.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import duckdb

from .disclosure import Protection, Status
from .figures import compute_figures
from .publish import ExtractBlocked, ExtractResult, publish_extract, published_months, republish
from .tables import Kind, build_extract, protect_settlements, settlements_table

__all__ = [
    "ExtractBlocked",
    "ExtractResult",
    "compute_tables",
    "publish_extract",
    "published_months",
    "republish",
]


def compute_tables(con: duckdb.DuckDBPyConnection, report_month: date) -> dict:
    """The figures of the extract's tables *before* disclosure control.

    Returns `{sheet: {row label: {column header: value}}}` for `Projekte`, `Ansiedlungen`,
    `Flaechen`, `Verlustgruende` and `Lieferungen`. A value is the exact number (int, or Decimal:
    hectares, and investment in euro, not rounded), a string for text columns, or None where the
    cell has no number (`–` no settlements, `k. A.` unknown). Row labels are `Gebiet / Cluster`
    style, as in the manifest's change list.
    """
    figures = compute_figures(con, report_month)
    extract = build_extract(figures, {"warnings": []})
    clusters = [c for c, _ in figures.clusters]
    sp = protect_settlements(figures.settlements, figures.settlement_areas, clusters)
    open_sp = replace(sp, protection={m: Protection() for m in sp.protection})
    tables = [
        settlements_table(figures, open_sp) if t.sheet == "Ansiedlungen" else t
        for t in extract.tables
        if t.is_figures
    ]
    out: dict[str, dict[str, dict]] = {}
    for t in tables:
        sheet = out.setdefault(t.sheet, {})
        for row in t.rows:
            values = {}
            for col, cell in zip(t.columns, row.cells, strict=True):
                if col.kind is Kind.TEXT:
                    values[col.header] = cell.value
                elif cell.status in (Status.VALUE, Status.ZERO):
                    values[col.header] = cell.value if cell.value is not None else Decimal(0)
                else:
                    values[col.header] = None
            sheet[row.label] = values
    return out
