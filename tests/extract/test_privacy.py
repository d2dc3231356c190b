"""No contact data (e-mail addresses, phone numbers) in the PDF's text or the workbook's cells."""

from __future__ import annotations

import openpyxl
import pytest
from pypdf import PdfReader

from regiopool.extract.privacy import find_contact_data, redact


def texts_of(result) -> tuple[str, list[str]]:
    pdf = "\n".join(page.extract_text() for page in PdfReader(result.pdf).pages)
    wb = openpyxl.load_workbook(result.xlsx)
    cells = [str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c]
    return pdf, cells


@pytest.mark.parametrize(
    "text, hit",
    [
        ("anna.schmidt@leipzig.de", True),
        ("+49 341 123-4567", True),
        ("0341/1234567", True),
        ("0171 2345678", True),
        ("anfragen_2025-03.csv Zeile 17", False),
        ("07.04.2025 16:40", False),
        ("1.221", False),
    ],
)
def test_patterns(text, hit):
    assert bool(find_contact_data(text)) is hit


def test_published_extract_holds_no_contact_data(published):
    # marts.GATE carries a warning whose message holds an e-mail address and a phone number
    pdf, cells = texts_of(published)
    assert "Ansiedlungen" in pdf and "k. A." in pdf and "•" in pdf  # text extraction works
    assert find_contact_data(pdf) == []
    assert [c for c in cells if find_contact_data(c)] == []
    assert "[entfernt]" in pdf
    assert "anna.schmidt" not in published.manifest.read_text(encoding="utf-8")
    assert redact("x a@b.de y") == "x [entfernt] y"
