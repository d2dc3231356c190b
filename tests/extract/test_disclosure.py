"""§5 confidentiality on hand-made tables."""

from decimal import Decimal as D

import pytest

from regiopool.extract.disclosure import (
    REGION,
    Group,
    Status,
    area_key,
    cluster_key,
    evaluate,
    is_primary,
    protect,
    protect_settlement_measure,
)

# --- cell states -------------------------------------------------------------------------------


def test_cell_states():
    assert evaluate([]).status is Status.EMPTY
    assert evaluate([None, None]).status is Status.UNKNOWN
    assert evaluate([0, 0]).status is Status.ZERO
    cell = evaluate([5, None, 0, 7])
    assert (cell.status, cell.value, cell.contributors) == (Status.VALUE, D(12), 2)


# --- primary -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "contributions, suppressed",
    [
        ([10], True),  # one contributor
        ([10, 20], True),  # two contributors
        ([10, 20, 0, 0, None], True),  # zeros and unknowns are no contributors
        ([10, 20, 30], False),  # three, none dominant
        ([85, 5, 5, 5], False),  # exactly 85 % is NOT suppressed
        ([D("85.01"), 5, 5, D("4.99")], True),  # 85.01 % of 100: suppressed
        ([D("850000.00"), D("50000.00"), D("50000.00"), D("50000.00")], False),  # money, 85 %
        ([D("850000.01"), D("50000.00"), D("50000.00"), D("49999.99")], True),
        ([], False),
        ([0, 0, 0], False),
        ([None], False),
    ],
)
def test_primary(contributions, suppressed):
    assert is_primary(contributions) is suppressed


# --- secondary ---------------------------------------------------------------------------------


def _pattern(contribs, areas, clusters):
    values, protection = protect_settlement_measure(contribs, areas, clusters)
    return values, protection.suppressed, protection


def test_secondary_within_an_area_suppresses_smallest_positive_cell():
    # area A: AUTO has one settlement (primary); LOG 3 settlements total 30; MED 3 total 15
    contribs = {
        ("A", "AUTO"): [100],
        ("A", "LOG"): [10, 10, 10],
        ("A", "MED"): [5, 5, 5],
        ("A", "ZERO"): [0],
    }
    values, sup, prot = _pattern(contribs, ["A"], ["AUTO", "LOG", "MED", "ZERO"])
    assert prot.primary == {cluster_key("A", "AUTO")}
    # area total: 145, 100 of 145 = 69 % -> not primary; group has exactly one suppressed cell
    # -> the smallest positive unsuppressed cluster cell (MED, 15) goes too; ZERO is no candidate
    assert cluster_key("A", "MED") in sup
    assert cluster_key("A", "LOG") not in sup
    assert cluster_key("A", "ZERO") not in sup
    # the region group: region total == area total, both unsuppressed -> stable
    assert area_key("A") not in sup and REGION not in sup
    assert values[REGION].value == D(145)


def test_secondary_total_when_no_positive_candidate():
    # one area, one cluster with 3 settlements dominated... only cell positive: area total equals
    # it, same contributors -> both primary; use a group where the total alone is suppressed
    cells = {"T": [1, 1, 1, 100], "a": [0], "b": []}
    prot = protect(cells, [Group("T", ("a", "b"))])
    # T is primary (dominance); members have no value above zero -> nothing else can go; the
    # rule then suppresses the group's total, which already is
    assert prot.suppressed == {"T"}


def test_secondary_suppresses_total_when_members_cannot_cover():
    # exactly one member suppressed, the other members zero/empty -> the total goes
    cells = {"T": [5, 5, 5, 5], "a": [5, 5, 5, 5], "z": [0, 0], "e": []}
    pinned = {"a": True}  # suppressed elsewhere
    prot = protect(cells, [Group("T", ("a", "z", "e"))], pinned=pinned)
    assert prot.suppressed == {"a", "T"}
    assert prot.secondary == ["T"]


def test_cascade_across_cluster_area_and_region_groups():
    # Stadt L: one dominant settlement makes its AUTO cell and its area total primary (the area
    # group then has two suppressed cells: stable). The region group has exactly one suppressed
    # cell (Stadt L's total) -> Landkreis L's total goes -> Landkreis L's group has exactly one
    # -> its smallest positive cluster cell goes too.
    contribs = {
        ("Stadt L", "AUTO"): [1000, 1, 1],  # dominance 99.8 %: primary
        ("Stadt L", "LOG"): [1, 1, 1],  # 3 contributors, 33 %: not primary
        ("Landkreis L", "AUTO"): [50, 50, 50],
        ("Landkreis L", "LOG"): [40, 40, 40],
    }
    _, sup, prot = _pattern(contribs, ["Stadt L", "Landkreis L"], ["AUTO", "LOG"])
    # Stadt L total 1005: 1000 is 99.5 % -> primary; region 1275: 1000 is 78 % -> not primary
    assert prot.primary == {cluster_key("Stadt L", "AUTO"), area_key("Stadt L")}
    # Landkreis L total (270) is the only candidate in the region group; LOG (120) < AUTO (150)
    assert area_key("Landkreis L") in sup
    assert cluster_key("Landkreis L", "LOG") in sup
    assert cluster_key("Landkreis L", "AUTO") not in sup
    assert cluster_key("Stadt L", "LOG") not in sup
    assert REGION not in sup
    assert prot.secondary == [area_key("Landkreis L"), cluster_key("Landkreis L", "LOG")]
    # every group now has 0 or >= 2 suppressed cells
    for area in ("Stadt L", "Landkreis L"):
        group = [area_key(area)] + [cluster_key(area, c) for c in ("AUTO", "LOG")]
        assert sum(k in sup for k in group) != 1
    assert sum(k in sup for k in (REGION, area_key("Stadt L"), area_key("Landkreis L"))) != 1


def test_region_total_suppressed_when_only_one_area_has_values():
    # one area with values; another area whose cells are zero -> area totals group: if the
    # single positive area total is primary, the region total (same contributors) is too
    contribs = {("A", "X"): [10, 10], ("B", "X"): [0]}
    _, sup, _ = _pattern(contribs, ["A", "B"], ["X"])
    assert sup == {cluster_key("A", "X"), area_key("A"), REGION}


def test_ties_cluster_code_then_area_name():
    # area A: X primary; Y and Z equal value 30 -> tie broken by cluster code: Y
    contribs = {
        ("A", "X"): [7],
        ("A", "Z"): [10, 10, 10],
        ("A", "Y"): [10, 10, 10],
        ("A", "W"): [20, 20, 20],
    }
    _, sup, prot = _pattern(contribs, ["A"], ["W", "X", "Y", "Z"])
    assert prot.secondary == [cluster_key("A", "Y")]

    # region group tie by area name: area "M" total primary via pin-free construction:
    # M has a single settlement -> M/X and M total primary; areas "K" and "L" have equal totals
    contribs = {
        ("M", "X"): [5],
        ("L", "X"): [10, 10, 10],
        ("K", "X"): [10, 10, 10],
    }
    _, sup, prot = _pattern(contribs, ["M", "L", "K"], ["X"])
    # region group: exactly M's total -> smallest positive area total: K and L tie at 30 -> K;
    # then K's group (K/X + K total) has one suppressed -> K/X goes
    assert prot.secondary[:2] == [area_key("K"), cluster_key("K", "X")]
    assert area_key("L") not in sup


def test_unknown_and_empty_cells_are_never_candidates():
    contribs = {
        ("A", "X"): [9],
        ("A", "U"): [None, None],
        ("A", "Y"): [4, 4, 4],
    }
    values, sup, _ = _pattern(contribs, ["A"], ["E", "U", "X", "Y"])
    assert values[cluster_key("A", "E")].status is Status.EMPTY
    assert values[cluster_key("A", "U")].status is Status.UNKNOWN
    assert cluster_key("A", "Y") in sup
    assert cluster_key("A", "U") not in sup and cluster_key("A", "E") not in sup


def test_pinned_cell_is_never_changed_and_conflict_reported():
    cells = {"T": [10, 10, 10], "a": [10], "b": [10, 10]}
    prot = protect(cells, [Group("T", ("a", "b"))], pinned={"a": False})
    assert "a" not in prot.suppressed
    assert prot.conflicts == ["a"]
