"""German number formats and cell symbols, Berlin times."""

from datetime import UTC, datetime
from decimal import Decimal as D

import pytest

from regiopool.extract.disclosure import Status
from regiopool.extract.figures import berlin_local
from regiopool.extract.tables import Cell, Kind, format_de


@pytest.mark.parametrize(
    "value, decimals, sign, text",
    [
        (1234, 0, False, "1.234"),
        (D("1234.5"), 1, False, "1.234,5"),
        (D("1234567.25"), 1, False, "1.234.567,3"),  # half away from zero
        (D("0.05"), 1, False, "0,1"),
        (D("-0.05"), 1, False, "\u22120,1"),
        (D("-2.5"), 1, True, "\u22122,5"),
        (3, 0, True, "+3"),
        (0, 0, True, "0"),
    ],
)
def test_format_de(value, decimals, sign, text):
    assert format_de(value, decimals, sign) == text


@pytest.mark.parametrize(
    "cell, kind, text",
    [
        (Cell(Status.SUPPRESSED), Kind.INT, "•"),
        (Cell(Status.EMPTY), Kind.MIO, "–"),
        (Cell(Status.UNKNOWN), Kind.INT, "k. A."),
        (Cell(Status.ZERO, D(0)), Kind.MIO, "0"),
        (Cell(Status.VALUE, D("6050000.00")), Kind.MIO, "6,1"),
        (Cell(Status.VALUE, D("40000.00")), Kind.MIO, "0,0"),
        (Cell(Status.VALUE, D("40.2500")), Kind.HA, "40,3"),
        (Cell(Status.VALUE, 0), Kind.DELTA_INT, "0"),
    ],
)
def test_cell_display(cell, kind, text):
    assert cell.display(kind) == text


def test_delivery_times_are_shown_in_berlin_time():

    assert berlin_local(datetime(2025, 4, 7, 14, 40, tzinfo=UTC)) == datetime(2025, 4, 7, 16, 40)
    assert berlin_local(datetime(2025, 1, 7, 14, 40, tzinfo=UTC)) == datetime(2025, 1, 7, 15, 40)
    assert berlin_local(datetime(2025, 4, 7, 16, 40)) == datetime(2025, 4, 7, 16, 40)
