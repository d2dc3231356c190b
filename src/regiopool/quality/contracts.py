"""What the quality gate reads from the partner contracts (``partners/*.yml``, loaded and
validated by :mod:`regiopool.contracts`): partner ids, the kinds of file each partner sends,
its delivery deadline, and per raw table its columns with type and checks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from regiopool.contracts import ColumnSpec, TableSpec, load_contracts


@dataclass(frozen=True)
class Table:
    partner: str
    spec: TableSpec

    @property
    def table(self) -> str:
        return self.spec.table

    @property
    def columns(self) -> tuple[ColumnSpec, ...]:
        return self.spec.columns

    @property
    def relation(self) -> str:
        return f"raw_{self.partner}.{self.spec.table}"


@dataclass(frozen=True)
class Partner:
    partner: str
    deadline_working_days: int
    kinds: tuple[str, ...]
    tables: tuple[Table, ...]


def load_partners(directory: Path | None = None) -> list[Partner]:
    return [
        Partner(
            partner=c.partner,
            deadline_working_days=c.deadline_working_days,
            kinds=tuple(dict.fromkeys(d.kind for d in c.deliveries)),
            tables=tuple(Table(c.partner, t) for t in c.tables),
        )
        for c in load_contracts(directory)
    ]
