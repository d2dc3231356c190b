"""The workbook read back with openpyxl: every cell against the hand-made marts."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from .marts import CLUSTERS, MONTH, project_rows

SHEETS = ["Projekte", "Ansiedlungen", "Flaechen", "Verlustgruende", "Definitionen", "Lieferungen"]
S, E, K = "•", "–", "k. A."


def read_table(ws, first_header: str, labels: int) -> tuple[list[str], dict[tuple, list]]:
    """The table whose header row starts with `first_header`: (headers, {labels: values})."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == first_header)
    headers = [h for h in rows[start] if h is not None]
    out = {}
    for r in rows[start + 1 :]:
        values = list(r[labels : len(headers)])
        if all(v is None for v in values):
            break
        out[tuple(r[:labels])] = values
    return headers, out


@pytest.fixture(scope="module")
def wb(published):
    return openpyxl.load_workbook(published.xlsx)


def test_sheets(wb):
    assert wb.sheetnames == SHEETS


# Ansiedlungen, Jan.–März 2025: (settlements, new jobs, secured jobs, investment Mio. €).
# Suppression worked out by hand from marts.SETTLEMENTS (see test_disclosure for the rules):
# new jobs and investment: primary Stadt Leipzig/Automobil (1 settlement), Landkreis Leipzig/
# Energie (2), Landkreis Nordsachsen/Logistik and its total (1); secondary the smallest positive
# cell beside each (Medien & IT; Sonstige), and in the region group Landkreis Leipzig's total
# (smallest area total beside Nordsachsen's). Secured jobs: primary Automobil and Energie,
# secondary Gesundheit (80) and Sonstige (3). Gesundheit's new jobs 85 of 100 (exactly 85 %):
# published.
SL, LKL, NS = "Stadt Leipzig", "Landkreis Leipzig", "Landkreis Nordsachsen"
A, EN, H, L, M, O = (name for _, name in CLUSTERS)
EXPECTED_SETTLEMENTS = {
    (SL, A): [1, S, S, S],
    (SL, EN): [E, E, E, E],
    (SL, H): [4, 100, S, 8.1],
    (SL, L): [3, 190, 0, 19.0],
    (SL, M): [3, S, K, S],
    (SL, O): [E, E, E, E],
    (SL, "Insgesamt"): [11, 520, 130, 60.2],
    (LKL, A): [E, E, E, E],
    (LKL, EN): [2, S, S, S],
    (LKL, H): [E, E, E, E],
    (LKL, L): [3, 75, 15, 6.1],  # 6,05 Mio. €: rounded half away from zero
    (LKL, M): [E, E, E, E],
    (LKL, O): [3, S, S, S],
    (LKL, "Insgesamt"): [8, S, 38, S],
    (NS, A): [E, E, E, E],
    (NS, EN): [E, E, E, E],
    (NS, H): [E, E, E, E],
    (NS, L): [1, S, 0, S],
    (NS, M): [E, E, E, E],
    (NS, O): [E, E, E, E],
    (NS, "Insgesamt"): [1, S, 0, S],
    ("Region insgesamt", None): [20, 1221, 168, 125.8],
}


def test_ansiedlungen_every_cell(wb):
    ws = wb["Ansiedlungen"]
    headers, table = read_table(ws, "Gebiet", 2)
    assert headers == [
        "Gebiet",
        "Cluster",
        "Ansiedlungen",
        "Neue Arbeitsplätze",
        "Gesicherte Arbeitsplätze",
        "Investitionen (Mio. €)",
    ]
    assert list(table) == list(EXPECTED_SETTLEMENTS)  # rows and their order
    for key, expected in EXPECTED_SETTLEMENTS.items():
        assert table[key] == pytest.approx(expected), key
    # footnote for the suppression mark, and real numbers with a German-looking format
    notes = [r[0] for r in ws.iter_rows(values_only=True) if r[0] and str(r[0]).startswith("•")]
    assert notes and "85 %" in notes[0]
    rows = {(r[0].value, r[1].value): r for r in ws.iter_rows()}
    region = rows[("Region insgesamt", None)]
    assert region[3].data_type == "n" and region[3].number_format == "#,##0"
    assert region[5].data_type == "n" and region[5].number_format == "#,##0.0"
    assert rows[(SL, A)][3].data_type == "s"  # "•" is text


def test_projekte_every_cell(wb):
    headers, table = read_table(wb["Projekte"], "Cluster", 1)
    assert headers[1:] == [
        "Neue Projekte März 2025",
        "Neue Projekte Jan.–März 2025",
        "Gewonnen Jan.–März 2025",
        "Verloren Jan.–März 2025",
        "Offen Ende März 2025",
    ]
    rows = [r for r in project_rows() if date(2025, 1, 1) <= r[0] <= MONTH]
    expected = {}
    for code, name in CLUSTERS:
        mine = [r for r in rows if r[1] == code]
        expected[(name,)] = [
            sum(r[2] for r in mine if r[0] == MONTH),
            sum(r[2] for r in mine),
            sum(r[3] for r in mine),
            sum(r[4] for r in mine),
            sum(r[5] for r in mine if r[0] == MONTH),
        ]
    expected[("Insgesamt",)] = [sum(v[i] for v in expected.values()) for i in range(5)]
    assert table == expected


EXPECTED_LAND = {
    (SL, "Gewerbegebiet (GE)"): [3, 12.5, -1, -2.5],
    (SL, "Industriegebiet (GI)"): [2, 40.3, 0, 0.0],  # 40,25 ha -> 40,3
    (SL, "Insgesamt"): [5, 52.8, -1, -2.5],
    (LKL, "Gewerbegebiet (GE) ¹"): [2, 3.3, 2, 3.3],  # stand-in snapshot: footnote 1
    (LKL, "Industriegebiet (GI) ¹"): [2, 7.0, 1, 2.0],  # GE/GI counts as GI
    (LKL, "Sondergebiet (SO)"): [0, 0.0, -1, -1.0],
    (LKL, "Insgesamt"): [4, 10.3, 2, 4.3],
    # the areas of Ansiedlungen (§5): Nordsachsen has a settlement in 2025, no available land
    (NS, "Insgesamt"): [0, 0.0, 0, 0.0],
    ("Region insgesamt", None): [9, 63.1, 1, 1.8],
}


def test_flaechen_every_cell(wb):
    ws = wb["Flaechen"]
    _, table = read_table(ws, "Gebiet", 2)
    assert list(table) == list(EXPECTED_LAND)
    for key, expected in EXPECTED_LAND.items():
        assert table[key] == pytest.approx(expected), key
    notes = [r[0] for r in ws.iter_rows(values_only=True) if r[0] and str(r[0]).startswith("¹")]
    assert notes
    delta = next(r for r in ws.iter_rows() if r[0].value == SL and r[1].value.startswith("Gew"))
    assert delta[4].number_format == "+#,##0;-#,##0;0"


def test_verlustgruende_every_cell(wb):
    _, table = read_table(wb["Verlustgruende"], "Verlustgrund", 1)
    assert table == {
        ("Kein geeigneter Standort / keine geeignete Fläche",): [1],
        ("Arbeitskräfte / Fachkräftemangel",): [0],  # December 2024 is not in the year
        ("Kosten",): [3],
        ("Förderung",): [0],
        ("Anderer Standort gewählt",): [0],
        ("Projekt aufgegeben",): [0],
        ("Sonstige / ohne Angabe",): [1],
        ("Insgesamt",): [5],
    }


def test_lieferungen_and_warnings(wb):
    ws = wb["Lieferungen"]
    _, table = read_table(ws, "Partner", 1)
    assert table == {
        ("Stadt Leipzig",): ["ja", 3, 120, 2, "04.04.2025 09:15"],
        ("Landkreis Leipzig",): ["ja", 1, 300, 0, "07.04.2025 16:40"],
        ("Invest Region Leipzig (IRL)",): ["nein (als fehlend akzeptiert)", 0, 0, 0, "–"],
    }
    _, warnings = read_table(ws, "Prüfung", 1)
    assert warnings[("late_delivery",)] == [
        "Landkreis Leipzig",
        "wifoe_lkl_2025-03.xlsx: Lieferung nach dem 5. Arbeitstag",
    ]
    assert len(warnings) == 2  # rows_set_aside twice: same label, one key
    assert "[entfernt]" in str(list(ws.iter_rows(values_only=True)))


def test_definitionen(wb):
    from regiopool.extract.tables import texts

    _, table = read_table(wb["Definitionen"], "Begriff", 1)
    assert [k[0] for k in table] == [d["term"] for d in texts()["definitions"]]
    assert "85 %" in table[("Geheimhaltung",)][0]
    # CATALOGUE §1.3 won_on: the settlement's decision date, else the earliest won status date
    won = table[("Gewonnene Projekte",)][0]
    assert "im Monat der Ansiedlungsentscheidung" in won
    assert (
        "liegt noch keine Ansiedlungsmeldung vor, im Monat des frühesten Statusdatums, zu dem "
        "eine ihrer Anfragen den Status „gewonnen“ hat" in won
    )


def test_title_lines_on_first_sheet(wb):
    first = [r[0] for r in wb["Projekte"].iter_rows(max_row=8, values_only=True) if r[0]]
    assert any("Datenstand: 07.04.2025 16:40" in str(x) for x in first)
    assert any("Als fehlend akzeptiert" in str(x) and "Invest Region" in str(x) for x in first)


def _german(v) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, float):
        return f"{v:,.1f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{v:,}".replace(",", ".")


def test_pdf_shows_the_same_settlement_cells(published):
    """The PDF's Ansiedlungen table, read back as text, has exactly the workbook's cells."""
    from pypdf import PdfReader

    page = next(
        p.extract_text()
        for p in PdfReader(published.pdf).pages
        if "Ansiedlungen nach Gebiet und Cluster" in p.extract_text()
    )
    lines = [x.strip() for x in page.splitlines()]
    start = lines.index(SL)
    expected, area = [], None
    for (a, label), values in EXPECTED_SETTLEMENTS.items():
        if a != area and label is not None:
            expected.append(a)
            area = a
        if label is None:
            expected.append(a)
        elif label == "Insgesamt":
            expected.append(f"{a} insgesamt")
        else:
            expected.append(label)
        expected += [_german(v) for v in values]
    assert lines[start : start + len(expected)] == expected
