"""`python -m regiopool.extract --month 2025-03 --gate gate.json [--warehouse …] [--extracts …]`

Publishes the council extract for a month from a warehouse and the month's gate result (JSON).
Exit code 2 when the gate has not passed (nothing is published)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from regiopool.settings import get_settings

from . import ExtractBlocked, publish_extract


def main(argv: list[str] | None = None) -> int:
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="python -m regiopool.extract", description=__doc__)
    parser.add_argument("--month", required=True, help="report month, YYYY-MM")
    parser.add_argument("--gate", required=True, type=Path, help="the gate result (JSON file)")
    parser.add_argument("--warehouse", type=Path, default=settings.warehouse)
    parser.add_argument("--extracts", type=Path, default=settings.extracts_dir)
    args = parser.parse_args(argv)
    year, month = (int(x) for x in args.month.split("-"))
    gate = json.loads(args.gate.read_text(encoding="utf-8"))
    try:
        result = publish_extract(args.warehouse, args.extracts, date(year, month, 1), gate)
    except ExtractBlocked as err:
        print(err, file=sys.stderr)
        return 2
    state = "published" if result.written else "unchanged, nothing written"
    print(f"{result.month:%Y-%m} revision {result.revision} ({state}): {result.pdf}, {result.xlsx}")
    for c in result.changes:
        print(f"  changed: {c['sheet']} | {c['row']} | {c['column']}: {c['old']} -> {c['new']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
