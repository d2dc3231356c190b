"""Statistical disclosure control for the council extract (CATALOGUE §5, "Confidentiality").

Pure functions, no I/O: the PDF, the XLSX and the charts all get their suppression pattern from
here, so the rule exists exactly once.

Vocabulary
----------
A **cell** is one published value for one measure (new jobs, secured jobs, investment). Its
input is the tuple of *contributions*: one entry per settlement in the cell, the settlement's
value for the measure, or ``None`` where it is unknown.

- ``–`` (EMPTY): no settlements at all;
- ``k. A.`` (UNKNOWN): settlements, but none with a known value;
- ``0`` (ZERO): known values that add up to zero;
- a number (VALUE) otherwise; it becomes ``•`` (SUPPRESSED) when protected.

Its **contributors** are the settlements with a value above zero.

Rules (§5)
----------
1. *Primary*: suppress a cell with one or two contributors, or whose largest contribution is
   more than 85 % of its value (exactly 85 % is not suppressed). Compared in exact decimal
   arithmetic.
2. *Secondary*: a group is a total with the cells that add up to it. When exactly one cell of a
   group (total included) is suppressed, suppress also the unsuppressed non-total cell with the
   smallest value above zero (ties: cluster code, then area name); if there is none, suppress the
   group's total. Repeat over all groups until nothing changes.

Groups are visited in a fixed order (the order given; the settlement table passes the area groups
by area name, then the region group) and every suppression takes effect at once, so the result is
deterministic. See docs/decisions/extract-disclosure-control.md.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

Contribution = Decimal | int | None
Key = Hashable

DOMINANCE_LIMIT_PERCENT = 85
MAX_SMALL_CONTRIBUTORS = 2


class Status(str, Enum):
    EMPTY = "empty"  # no settlements: "–"
    UNKNOWN = "unknown"  # settlements, no known value: "k. A."
    ZERO = "zero"  # known values, all zero: "0"
    VALUE = "value"  # a number
    SUPPRESSED = "suppressed"  # "•"


@dataclass(frozen=True)
class CellValue:
    status: Status
    value: Decimal | None  # the exact sum of the known contributions (None when EMPTY/UNKNOWN)
    contributors: int  # settlements with a value above zero


def _dec(x: Contribution) -> Decimal | None:
    if x is None:
        return None
    return x if isinstance(x, Decimal) else Decimal(x)


def evaluate(contributions: Iterable[Contribution]) -> CellValue:
    """The unsuppressed state of a cell from its settlements' contributions."""
    values = [_dec(c) for c in contributions]
    if not values:
        return CellValue(Status.EMPTY, None, 0)
    known = [v for v in values if v is not None]
    if not known:
        return CellValue(Status.UNKNOWN, None, 0)
    total = sum(known, Decimal(0))
    contributors = sum(1 for v in known if v > 0)
    status = Status.ZERO if total == 0 else Status.VALUE
    return CellValue(status, total, contributors)


def is_primary(contributions: Iterable[Contribution]) -> bool:
    """§5 primary rule: one or two contributors, or dominance above 85 %."""
    positive = [v for v in (_dec(c) for c in contributions) if v is not None and v > 0]
    if not positive:
        return False
    if len(positive) <= MAX_SMALL_CONTRIBUTORS:
        return True
    cell = evaluate(contributions)
    if cell.value is None or cell.value <= 0:
        return False
    # largest contribution more than 85 % of the value; exactly 85 % is not suppressed
    return max(positive) * 100 > cell.value * DOMINANCE_LIMIT_PERCENT


@dataclass(frozen=True)
class Group:
    """A total and the cells that add up to it."""

    total: Key
    members: tuple[Key, ...]


@dataclass
class Protection:
    """Result of :func:`protect`: which cells are suppressed and why."""

    primary: set[Key] = field(default_factory=set)
    secondary: list[Key] = field(default_factory=list)  # in the order they were added
    # pinned cells the rules wanted to change (see `protect(pinned=...)`)
    conflicts: list[Key] = field(default_factory=list)

    @property
    def suppressed(self) -> set[Key]:
        return self.primary | set(self.secondary)


def protect(
    cells: Mapping[Key, Sequence[Contribution]],
    groups: Sequence[Group],
    tie_key: Callable[[Key], tuple] = lambda k: (),
    pinned: Mapping[Key, bool] | None = None,
) -> Protection:
    """Apply the primary rule to every cell, then the secondary rule over `groups` until stable.

    `tie_key(key)` orders candidates of equal value (the settlement table: cluster code, then area
    name). `pinned` fixes the state of some cells (True: suppressed, False: shown) whose state was
    decided elsewhere (e.g. a total published in another table); the rules never change a pinned
    cell, and a wish to do so is reported in `conflicts`.
    """
    pinned = dict(pinned or {})
    values = {k: evaluate(c) for k, c in cells.items()}
    result = Protection()
    for key, contributions in cells.items():
        if key in pinned:
            if pinned[key]:
                result.primary.add(key)
            elif is_primary(contributions):
                result.conflicts.append(key)
        elif is_primary(contributions):
            result.primary.add(key)

    suppressed = set(result.primary)

    def add(key: Key) -> bool:
        if key in suppressed:
            return False
        if key in pinned and not pinned[key]:
            if key not in result.conflicts:
                result.conflicts.append(key)
            return False
        suppressed.add(key)
        result.secondary.append(key)
        return True

    changed = True
    while changed:
        changed = False
        for group in groups:
            keys = (group.total, *group.members)
            if sum(1 for k in keys if k in suppressed) != 1:
                continue
            candidates = [
                k
                for k in group.members
                if k not in suppressed
                and not (k in pinned and not pinned[k])
                and values[k].value is not None
                and values[k].value > 0
            ]
            if candidates:
                best = min(candidates, key=lambda k: (values[k].value, *tie_key(k)))
                changed |= add(best)
            else:
                changed |= add(group.total)
    return result


# --- the settlement table (§5 "Ansiedlungen") -------------------------------------------------

REGION: Key = ("region",)


def area_key(area: str) -> Key:
    return ("area", area)


def cluster_key(area: str, cluster: str) -> Key:
    return ("cell", area, cluster)


def settlement_groups(areas: Iterable[str], clusters: Iterable[str]) -> list[Group]:
    """The groups of the settlement table: per area (by name) its cluster cells and its total;
    then the area totals with the region total."""
    areas = sorted(areas)
    clusters = sorted(clusters)
    groups = [Group(area_key(a), tuple(cluster_key(a, c) for c in clusters)) for a in areas]
    groups.append(Group(REGION, tuple(area_key(a) for a in areas)))
    return groups


def settlement_tie_key(key: Key) -> tuple:
    """Ties: cluster code, then area name."""
    if key[0] == "cell":
        return (key[2], key[1])
    if key[0] == "area":
        return ("", key[1])
    return ("", "")


def protect_settlement_measure(
    contributions: Mapping[tuple[str, str], Sequence[Contribution]],
    areas: Iterable[str],
    clusters: Iterable[str],
) -> tuple[dict[Key, CellValue], Protection]:
    """Protect one measure of the settlement table.

    `contributions[(area, cluster)]` lists the measure's value of every settlement in that cell
    (missing keys: no settlements). Area totals and the region total are built from them. Returns
    the unsuppressed cell values under the keys `cluster_key`, `area_key`, `REGION`, and the
    protection.
    """
    areas = sorted(set(areas))
    clusters = sorted(set(clusters))
    cells: dict[Key, tuple[Contribution, ...]] = {}
    region: list[Contribution] = []
    for a in areas:
        area_values: list[Contribution] = []
        for c in clusters:
            vals = tuple(contributions.get((a, c), ()))
            cells[cluster_key(a, c)] = vals
            area_values.extend(vals)
        cells[area_key(a)] = tuple(area_values)
        region.extend(area_values)
    cells[REGION] = tuple(region)
    unknown = set(contributions) - {(a, c) for a in areas for c in clusters}
    if unknown:
        raise ValueError(f"contributions outside the table's areas/clusters: {sorted(unknown)}")
    protection = protect(cells, settlement_groups(areas, clusters), settlement_tie_key)
    return {k: evaluate(v) for k, v in cells.items()}, protection
