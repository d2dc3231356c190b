"""The district's rendered rows are byte for byte what XlsxWriter writes cell by cell."""

from __future__ import annotations

from datetime import datetime

import pytest
import xlsxwriter

from regiopool.generate import district

VALUES = [
    "LKL-24-001", "Müller Präzisionsteile GmbH", " padded", "trailing ", "two  spaces", "",
    None, "a & b < c > d \"quoted\"", "line\nbreak", "tab\tin", "ctrl\x01char", "_x0041_ literal",
    "<r>rich-looking</r>", "€ „quoted“ – dash", "\ufffe", 0, 7, -3, 12.5, 0.1 + 0.2, 1e-07,
    123456789012.0, True, False, datetime(2024, 2, 29), datetime(1900, 3, 1),
    datetime(2025, 12, 31, 13, 45),
]


def _workbook(path, rows, fast: bool) -> None:
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"created": district.FIXED_CREATED})
    formats = {"title": wb.add_format({"bold": True, "font_size": 13}),
               "head": wb.add_format({"bold": True}),
               "date": wb.add_format({"num_format": "dd.mm.yyyy"})}
    sheet = district.Sheet(wb, "Anfragen", district.ENQUIRY_HEADER, "31.12.2025", formats)
    for cells in rows:
        if fast:
            sheet.write(cells, total_cols=(7, 8, 9))
        else:
            sheet._write_cells(cells)
            sheet._add(district._numbers(cells, (7, 8, 9)))
    wb.close()


@pytest.mark.parametrize("shift", [0, 5, 11])
def test_rendered_rows_match_xlsxwriter(tmp_path, shift):
    n = len(district.ENQUIRY_HEADER)
    rows = []
    for k in range(40):
        row = [VALUES[(k * 7 + c * 3 + shift) % len(VALUES)] for c in range(n)]
        rows.append(row)
    rows.append([None] * n)                      # an empty row writes nothing
    rows.append(["only first"] + [None] * (n - 1))
    _workbook(tmp_path / "fast.xlsx", rows, fast=True)
    _workbook(tmp_path / "slow.xlsx", rows, fast=False)
    assert (tmp_path / "fast.xlsx").read_bytes() == (tmp_path / "slow.xlsx").read_bytes()


def test_nan_falls_back_to_xlsxwriter():
    assert district.row_slots([float("nan")]) is None
    assert district.row_slots(["x" * 40_000]) is None
