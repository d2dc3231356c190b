"""Which month the council extract is about, by default: the latest month for which every
partner delivered every kind of file it sends (read from the load ledger)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from regiopool.contracts import load_contracts


def declared_kinds(partners_dir: Path | None = None) -> dict[str, set[str]]:
    """partner → the kinds of delivery it sends (from the partner contracts)."""
    return {c.partner: {d.kind for d in c.deliveries} for c in load_contracts(partners_dir)}


def delivered_months(warehouse: Path) -> dict[str, dict[date, set[str]]]:
    """partner → month → kinds loaded for that month."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            """
            select partner, date_trunc('month', period)::date as month, kind
            from meta.load_ledger
            where status in ('loaded', 'duplicate')
            group by all
            """
        ).fetchall()
    finally:
        con.close()
    out: dict[str, dict[date, set[str]]] = {}
    for partner, month, kind in rows:
        out.setdefault(partner, {}).setdefault(month, set()).add(kind)
    return out


def latest_complete_month(warehouse: Path, partners_dir: Path | None = None) -> date | None:
    expected = declared_kinds(partners_dir)
    delivered = delivered_months(warehouse)
    complete: set[date] | None = None
    for partner, kinds in expected.items():
        months = {m for m, got in delivered.get(partner, {}).items() if kinds <= got}
        complete = months if complete is None else complete & months
    return max(complete) if complete else None
