"""What the quality gate reads from the partner contracts (``partners/*.yml``).

Only the parts the gate needs: partner ids, the kinds of file each partner sends, the delivery
deadline, and per raw table its columns with type and checks. Personal columns are named so that
they can be left out of everything the gate loads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[3]


def partners_dir() -> Path:
    """``REGIOPOOL_PARTNERS_DIR`` if set, else the repository's ``partners/``."""
    return Path(os.environ.get("REGIOPOOL_PARTNERS_DIR", REPO_ROOT / "partners"))


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False
    unique_in_file: bool = False
    in_period: bool = False
    accepted_values: tuple[str, ...] | None = None
    personal: bool = False


@dataclass(frozen=True)
class Table:
    partner: str
    kind: str
    table: str
    semantics: str
    columns: tuple[Column, ...]

    @property
    def relation(self) -> str:
        return f"raw_{self.partner}.{self.table}"


@dataclass(frozen=True)
class Partner:
    partner: str
    name: str
    deadline_working_days: int
    kinds: tuple[str, ...]
    tables: tuple[Table, ...]


def load_partners(directory: Path | None = None) -> list[Partner]:
    directory = Path(directory) if directory else partners_dir()
    partners = []
    for path in sorted(directory.glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if "partner" not in doc:
            continue
        pid = doc["partner"]
        tables = []
        kinds = []
        for delivery in doc.get("deliveries", []):
            kinds.append(delivery["kind"])
            for t in delivery.get("tables", []):
                cols = tuple(
                    Column(
                        name=c["name"],
                        type=c.get("type", "text"),
                        required=bool(c.get("required")),
                        unique_in_file=bool(c.get("unique_in_file")),
                        in_period=bool(c.get("in_period")),
                        accepted_values=tuple(c["accepted_values"])
                        if c.get("accepted_values")
                        else None,
                        personal=bool(c.get("personal")),
                    )
                    for c in t.get("columns", [])
                )
                tables.append(
                    Table(pid, delivery["kind"], t["table"], delivery.get("semantics", ""), cols)
                )
        partners.append(
            Partner(
                partner=pid,
                name=doc.get("name", pid),
                deadline_working_days=int(doc.get("deadline_working_days", 5)),
                kinds=tuple(kinds),
                tables=tuple(tables),
            )
        )
    return partners
