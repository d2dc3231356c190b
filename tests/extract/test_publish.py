"""Publishing: the gate, the manifest, reproducibility and revisions."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
from datetime import date, datetime
from decimal import Decimal as D

import duckdb
import openpyxl
import pytest
from pypdf import PdfReader

from regiopool.extract import ExtractBlocked, compute_tables, publish_extract

from .marts import (
    CITY,
    DELITZSCH,
    DELIVERIES,
    EARLIER_DELIVERIES,
    GATE,
    LAND,
    MONTH,
    SETTLEMENTS,
    build_warehouse,
    delivery_gate,
)


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_blocked_gate_raises_and_writes_nothing(warehouse, tmp_path):
    gate = copy.deepcopy(GATE)
    gate["passed"] = False
    gate["blocking"] = [
        {"check": "missing_delivery", "partner": "irl", "message": "keine Lieferung für 2025-03"},
        {"check": "settlements_agree", "partner": None, "message": "kpi vs fct"},
    ]
    with pytest.raises(ExtractBlocked) as err:
        publish_extract(warehouse, tmp_path, MONTH, gate)
    message = str(err.value)
    assert "missing_delivery" in message and "settlements_agree" in message
    assert "irl" in message and "2025-03" in message
    assert list(tmp_path.iterdir()) == []


def test_gate_for_another_month_is_refused(warehouse, tmp_path):
    with pytest.raises(ValueError, match="2025-02"):
        publish_extract(warehouse, tmp_path, MONTH, {**GATE, "month": "2025-02"})


def test_manifest(published):
    m = json.loads(published.manifest.read_text(encoding="utf-8"))
    assert published.pdf.name == "Stadtrat_KPI_2025-03.pdf"
    assert published.xlsx.name == "Stadtrat_KPI_2025-03.xlsx"
    assert published.manifest.name == "manifest.json"
    assert published.pdf.parent.name == "2025-03"
    assert m["revision"] == 1 and m["previous_revision"] is None
    assert m["files"]["pdf"]["sha256"] == _sha(published.pdf)
    assert m["files"]["xlsx"]["sha256"] == _sha(published.xlsx)
    assert m["gate"]["passed"] is True
    assert m["data_status"]["latest_delivery_at"] == "2025-04-07T16:40:00"
    assert m["data_status"]["accepted_missing_partners"] == ["irl"]
    assert m["document_date"] == "2025-04-07T16:40:00"
    assert m["figures"]["Ansiedlungen"]["Region insgesamt"]["Neue Arbeitsplätze"] == "1.221"


def test_published_files_are_readable_by_the_council_office(published):
    """Ordinary file permissions (umask), not the private 0600 of a temp file."""
    mask = os.umask(0)
    os.umask(mask)
    for path in (published.pdf, published.xlsx, published.manifest):
        assert path.stat().st_mode & 0o777 == 0o666 & ~mask, path


def test_rebuild_with_same_data_writes_nothing_and_bytes_are_reproducible(
    warehouse, published, tmp_path
):
    folder = published.pdf.parent
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    again = publish_extract(warehouse, folder.parent, MONTH, GATE)
    assert again.written is False and again.revision == 1
    assert again.pdf == published.pdf
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    assert after == before
    # rendering again from scratch gives the same bytes (fixed dates, invariant PDF)
    fresh = publish_extract(warehouse, tmp_path, MONTH, GATE)
    assert fresh.written is True
    assert fresh.pdf.read_bytes() == published.pdf.read_bytes()
    assert fresh.xlsx.read_bytes() == published.xlsx.read_bytes()
    assert fresh.manifest.read_bytes() == published.manifest.read_bytes()


def test_pdf_metadata_dates_come_from_the_data_status(published):
    info = PdfReader(published.pdf).metadata
    assert info["/CreationDate"].startswith("D:20250407164000+02'00'")
    wb = openpyxl.load_workbook(published.xlsx)
    assert wb.properties.created.isoformat().startswith("2025-04-07T16:40")


def test_revision_when_figures_change(published, tmp_path):
    extracts = tmp_path / "extracts"
    shutil.copytree(published.pdf.parent, extracts / "2025-03")  # the first revision
    first = publish_extract(build_warehouse(tmp_path / "a.duckdb"), extracts, MONTH, GATE)
    assert (first.written, first.revision) == (False, 1)
    first_bytes = {p: p.read_bytes() for p in (first.pdf, first.xlsx, first.manifest)}

    # a late delivery: the Landkreis' logistics settlement of 21.01. reports 26 new jobs, not 20
    changed = [
        (d, ags, c, 26 if (d, c) == (date(2025, 1, 21), "LOGISTICS") else jn, js, inv)
        for d, ags, c, jn, js, inv in SETTLEMENTS
    ]
    wh2 = build_warehouse(tmp_path / "b.duckdb", changed)
    second = publish_extract(wh2, extracts, MONTH, GATE)
    assert second.written and second.revision == 2
    assert second.pdf.name == "Stadtrat_KPI_2025-03_r2.pdf"
    assert second.xlsx.name == "Stadtrat_KPI_2025-03_r2.xlsx"
    assert second.manifest.name == "manifest_r2.json"
    expected = [
        {
            "sheet": "Ansiedlungen",
            "row": "Landkreis Leipzig / Logistik",
            "column": "Neue Arbeitsplätze",
            "old": "75",
            "new": "81",
        },
        {
            "sheet": "Ansiedlungen",
            "row": "Region insgesamt",
            "column": "Neue Arbeitsplätze",
            "old": "1.221",
            "new": "1.227",
        },
    ]
    assert second.changes == expected
    m2 = json.loads(second.manifest.read_text(encoding="utf-8"))
    assert m2["changes"] == expected and m2["previous_revision"] == 1
    # the first revision is untouched
    assert {p: p.read_bytes() for p in first_bytes} == first_bytes
    # the revision lists the changes on a sheet and a page
    wb = openpyxl.load_workbook(second.xlsx)
    assert wb.sheetnames[-1] == "Aenderungen"
    rows = [r for r in wb["Aenderungen"].iter_rows(values_only=True) if r[0] == "Ansiedlungen"]
    assert ("Ansiedlungen", "Landkreis Leipzig / Logistik", "Neue Arbeitsplätze", "75", "81") in [
        tuple(r[:5]) for r in rows
    ]
    text = "\n".join(p.extract_text() for p in PdfReader(second.pdf).pages[:3])
    assert "Geänderte Werte" in text and "Revision 2" in text
    # rebuilding the changed data again: nothing new
    third = publish_extract(wh2, extracts, MONTH, GATE)
    assert (third.written, third.revision) == (False, 2)
    assert sorted(p.name for p in (extracts / "2025-03").iterdir()) == [
        "Stadtrat_KPI_2025-03.pdf",
        "Stadtrat_KPI_2025-03.xlsx",
        "Stadtrat_KPI_2025-03_r2.pdf",
        "Stadtrat_KPI_2025-03_r2.xlsx",
        "manifest.json",
        "manifest_r2.json",
    ]


def test_compute_tables_gives_unsuppressed_figures(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        t = compute_tables(con, MONTH)
    auto = t["Ansiedlungen"]["Stadt Leipzig / Automobil & Zulieferer"]
    assert auto == {
        "Ansiedlungen": 1,
        "Neue Arbeitsplätze": D(200),
        "Gesicherte Arbeitsplätze": D(50),
        "Investitionen (Mio. €)": D("30000000.00"),
    }
    assert (
        t["Ansiedlungen"]["Stadt Leipzig / Energie & Umwelttechnik"]["Neue Arbeitsplätze"] is None
    )
    assert t["Flaechen"]["Stadt Leipzig / Industriegebiet (GI)"]["Freie Fläche (ha)"] == D("40.25")
    assert set(t) == {"Projekte", "Ansiedlungen", "Flaechen", "Verlustgruende", "Lieferungen"}
    assert CITY  # the city is in the fixture


def test_jobs_chart_hides_protected_months(warehouse):
    from regiopool.extract.figures import compute_figures
    from regiopool.extract.tables import build_extract

    with duckdb.connect(str(warehouse), read_only=True) as con:
        ex = build_extract(compute_figures(con, MONTH), GATE)
    by_month = dict(zip(ex.figures.chart_months, zip(ex.jobs_series, ex.jobs_hidden)))
    assert by_month[date(2024, 5, 1)] == (None, True)  # one settlement
    assert by_month[date(2024, 6, 1)] == (120, False)  # three settlements, none dominant
    assert by_month[date(2024, 12, 1)] == (None, True)
    assert [by_month[date(2025, m, 1)] for m in (1, 2, 3)] == [
        (267, False),
        (352, False),
        (602, False),
    ]
    assert by_month[date(2024, 1, 1)] == (0, False)
    # the shown 2025 months add up to the published region total
    assert 267 + 352 + 602 == 1221


def test_title_page_names_data_status_and_accepted_missing_partner(published):
    page = PdfReader(published.pdf).pages[0].extract_text()
    assert "März 2025" in page
    assert "Datenstand: 07.04.2025 16:40" in page
    assert "Stadt Leipzig (04.04.2025), Landkreis Leipzig (07.04.2025)" in page
    assert "Als fehlend akzeptiert" in page and "Invest Region Leipzig (IRL)" in page
    assert "bestanden" in page


def test_republish_recomputes_current_and_previous_year_only(warehouse, published, tmp_path):
    from regiopool.extract import republish

    shutil.copytree(published.pdf.parent, tmp_path / "2025-03")
    shutil.copytree(published.pdf.parent, tmp_path / "2023-03")  # too old: left alone
    asked = []

    def gate_for(month, accepted=()):
        asked.append((month, accepted))
        return GATE

    results = republish(warehouse, tmp_path, date(2026, 1, 15), gate_for)
    # the month's gate accepts the partner its published extract was accepted without
    assert asked == [(date(2025, 3, 1), ["irl"])]
    assert [(r.month, r.revision, r.written, r.skipped) for r in results] == [
        (date(2025, 3, 1), 1, False, None)
    ]


def test_republish_revises_a_month_published_without_a_partner_that_still_has_not_delivered(
    published, tmp_path, caplog
):
    """2025-03 was published with IRL accepted as missing; IRL still has not delivered, and the
    Landkreis corrected a settlement: the rebuild publishes _r2 (it used to fail the month's
    gate and skip it without a word). A month whose gate fails for another reason is named in
    the log and the result, without the finding's message."""
    from regiopool.extract import republish

    extracts = tmp_path / "extracts"
    shutil.copytree(published.pdf.parent, extracts / "2025-03")
    shutil.copytree(published.pdf.parent, extracts / "2025-02")  # its gate fails now
    changed = [
        (d, ags, c, 26 if (d, c) == (date(2025, 1, 21), "LOGISTICS") else jn, js, inv)
        for d, ags, c, jn, js, inv in SETTLEMENTS
    ]
    wh = build_warehouse(tmp_path / "corrected.duckdb", changed)
    asked = {}

    def gate_for(month, accepted=()):
        asked[month] = accepted
        if month == date(2025, 2, 1):
            return {
                "month": "2025-02",
                "passed": False,
                "blocking": [
                    {"check": "settlements_agree", "partner": None, "message": "Zeile 4: a@b.de"}
                ],
                "warnings": [],
                "accepted_missing_partners": accepted,
            }
        return delivery_gate(wh, month, accepted)

    with caplog.at_level("WARNING", logger="regiopool.extract.publish"):
        results = republish(wh, extracts, date(2025, 6, 1), gate_for)
    assert asked == {date(2025, 2, 1): ["irl"], date(2025, 3, 1): ["irl"]}
    by_month = {r.month: r for r in results}
    r3 = by_month[date(2025, 3, 1)]
    assert (r3.revision, r3.written, r3.skipped) == (2, True, None)
    m2 = json.loads((extracts / "2025-03" / "manifest_r2.json").read_text(encoding="utf-8"))
    assert m2["gate"]["accepted_missing_partners"] == ["irl"]
    assert m2["figures"]["Ansiedlungen"]["Landkreis Leipzig / Logistik"]["Neue Arbeitsplätze"] == (
        "81"
    )
    # the month whose gate fails keeps its revision and is reported
    r2 = by_month[date(2025, 2, 1)]
    assert (r2.revision, r2.written) == (1, False)
    assert r2.skipped == "quality gate not passed: settlements_agree"
    assert not (extracts / "2025-02" / "manifest_r2.json").exists()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "2025-02" in logged and "settlements_agree" in logged
    assert "a@b.de" not in logged and "Zeile" not in logged


def test_revision_does_not_call_a_partner_missing_that_has_delivered_since(published, tmp_path):
    from regiopool.extract import republish

    extracts = tmp_path / "extracts"
    shutil.copytree(published.pdf.parent, extracts / "2025-03")
    late = [
        ("irl", MONTH, True, 1, 40, 0, datetime(2025, 4, 20, 10, 0)) if d[0] == "irl" else d
        for d in DELIVERIES
    ]
    wh = build_warehouse(tmp_path / "late.duckdb", deliveries=late + EARLIER_DELIVERIES)
    results = republish(wh, extracts, date(2025, 6, 1), lambda m, a=(): delivery_gate(wh, m, a))
    assert [(r.revision, r.written) for r in results] == [(2, True)]
    first = [
        str(r[0])
        for r in openpyxl.load_workbook(results[0].xlsx)["Projekte"].iter_rows(
            max_row=8, values_only=True
        )
        if r[0]
    ]
    assert any("Geliefert haben:" in x and "Invest Region Leipzig (IRL) (20.04.2025)" in x
               for x in first)
    assert not any("Als fehlend akzeptiert" in x for x in first)


def test_land_table_has_the_areas_of_the_settlements(tmp_path):
    """§5: the areas are Stadt Leipzig, Landkreis Leipzig and any other district with a
    settlement in the year, in Flächen as in Ansiedlungen: land in a district without a
    settlement is in no row and no total (and not in the free-land chart)."""
    from regiopool.extract.figures import compute_figures

    land = LAND + [(MONTH, DELITZSCH, "GI", 2, D("7.0000"), MONTH)]
    no_ns = [s for s in SETTLEMENTS if s[1] != DELITZSCH]
    without = build_warehouse(tmp_path / "without.duckdb", no_ns, land)
    with duckdb.connect(str(without), read_only=True) as con:
        t = compute_tables(con, MONTH)
        charts = compute_figures(con, MONTH).free_ha_by_area
    assert not [r for r in t["Flaechen"] if r.startswith("Landkreis Nordsachsen")]
    assert not [r for r in t["Ansiedlungen"] if r.startswith("Landkreis Nordsachsen")]
    region = t["Flaechen"]["Region insgesamt"]
    assert region["Verfügbare Flächen Ende März 2025"] == 9
    assert region["Freie Fläche (ha)"] == D("63.0833")
    assert list(charts) == ["Stadt Leipzig", "Landkreis Leipzig"]

    # with its settlement in 2025, Nordsachsen is an area: its land counts
    with_ns = build_warehouse(tmp_path / "with.duckdb", SETTLEMENTS, land)
    with duckdb.connect(str(with_ns), read_only=True) as con:
        t = compute_tables(con, MONTH)
    ns = t["Flaechen"]["Landkreis Nordsachsen / Industriegebiet (GI)"]
    assert ns["Verfügbare Flächen Ende März 2025"] == 2 and ns["Freie Fläche (ha)"] == D("7.0000")
    assert t["Flaechen"]["Region insgesamt"]["Freie Fläche (ha)"] == D("70.0833")


def test_month_outside_the_marts_range_shows_unknown(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        t = compute_tables(con, date(2022, 6, 1))
    assert t["Projekte"]["Insgesamt"]["Neue Projekte Juni 2022"] is None
    assert t["Ansiedlungen"]["Region insgesamt"]["Ansiedlungen"] is None


def test_crash_before_the_manifest_leaves_nothing_published(warehouse, tmp_path, monkeypatch):
    from regiopool.extract import publish

    # rendering is not under test here: stand-in bytes keep the test fast
    monkeypatch.setattr(publish, "render", lambda *a, **k: (b"%PDF-1.4 stand-in", b"PK stand-in"))
    real_write = publish._write_atomic

    def crash_on_manifest(path, data):
        if path.name.startswith("manifest"):
            raise OSError("disk full")
        real_write(path, data)

    monkeypatch.setattr(publish, "_write_atomic", crash_on_manifest)
    with pytest.raises(OSError):
        publish_extract(warehouse, tmp_path, MONTH, GATE)
    folder = tmp_path / "2025-03"
    assert not (folder / "manifest.json").exists()  # not published
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary files

    monkeypatch.setattr(publish, "_write_atomic", real_write)
    result = publish_extract(warehouse, tmp_path, MONTH, GATE)
    assert (result.revision, result.written) == (1, True)  # the unpublished files are replaced
    assert sorted(p.name for p in folder.iterdir()) == [
        "Stadtrat_KPI_2025-03.pdf",
        "Stadtrat_KPI_2025-03.xlsx",
        "manifest.json",
    ]
