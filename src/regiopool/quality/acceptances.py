"""Operator acceptances recorded in ``<quality_dir>/acceptances.yml``.

CATALOGUE §6: a district workbook that drops records blocks the month "until an operator
accepts it (the acceptance is recorded)". An acceptance names the check, partner and month,
optionally the file, and says who (a role or ticket, not a person's contact) and why::

    acceptances:
      - check: district_drop
        partner: lk_leipzig
        month: 2025-06
        file: wifoe_lkl_2025-06.xlsx      # optional
        accepted_by: WiFö LK, ticket 4711
        accepted_on: 2025-07-09
        reason: register cleaned up after the audit

Only checks listed in ``ACCEPTABLE_CHECKS`` can be accepted this way; a partner without a
delivery is accepted by the run itself (``accepted_missing_partners``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

ACCEPTABLE_CHECKS = frozenset({"district_drop"})


class AcceptanceError(ValueError):
    """acceptances.yml is malformed (names the entry and the problem)."""


@dataclass(frozen=True)
class Acceptance:
    check: str
    partner: str
    month: str
    file: str | None
    accepted_by: str
    accepted_on: str
    reason: str

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def load_acceptances(path: Path) -> list[Acceptance]:
    if not path.exists():
        return []
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    result = []
    for i, item in enumerate(doc.get("acceptances", []) or [], start=1):
        missing = [k for k in ("check", "partner", "month", "accepted_by", "reason")
                   if not item.get(k)]
        if missing:
            raise AcceptanceError(f"{path}: acceptance #{i} lacks {', '.join(missing)}")
        if item["check"] not in ACCEPTABLE_CHECKS:
            raise AcceptanceError(
                f"{path}: acceptance #{i}: check {item['check']!r} cannot be accepted "
                f"(only {', '.join(sorted(ACCEPTABLE_CHECKS))})"
            )
        result.append(
            Acceptance(
                check=item["check"],
                partner=item["partner"],
                month=str(item["month"])[:7],
                file=item.get("file"),
                accepted_by=str(item["accepted_by"]),
                accepted_on=str(item.get("accepted_on", "")),
                reason=str(item["reason"]),
            )
        )
    return result
