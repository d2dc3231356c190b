"""Land and deliveries through the real chain: partner files → ingestion → the full dbt build →
the marts.

- Hectares are summed exactly and rounded once, at the end (CATALOGUE §4): three city sites of
  1,234.5 m² are 0.12345 ha each, so `dim_sites` shows 0.1235 per site and `kpi_land_monthly`
  0.3704 for the three together (rounding each site first would give 0.3705).
- `partner_deliveries` runs over the same months as the other marts (CATALOGUE §0): a latest
  period that holds only a file whose load a change of columns stopped (February) is a month of
  `kpi_projects_monthly`, `kpi_land_monthly` (the stand-in) and of `partner_deliveries`.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import duckdb
import pytest
from partner_headers import CITY_ENQUIRIES, CITY_SETTLEMENTS

from .hand_inbox import ingest_and_build

pytestmark = pytest.mark.slow

JAN, FEB = dt.date(2025, 1, 1), dt.date(2025, 2, 1)


def _csv(path, header, rows):
    lines = [";".join(header)] + [";".join(str(r.get(h, "")) for h in header) for r in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))


def _site(site_id):
    return {"type": "Feature", "geometry": None, "properties": {
        "flaechen_id": site_id, "bezeichnung": f"Fläche {site_id}", "ortsteil": "Plagwitz",
        "groesse_m2": 1234.5, "verfuegbar_m2": 1234.5, "nutzungsart": "GE",
        "planungsrecht": "B-Plan rechtskräftig", "eigentum": "kommunal", "preis_eur_m2": None,
        "status": "verfügbar", "autobahn_km": 3.5, "gleisanschluss": False,
        "stand": "2025-01-10"}}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    base = tmp_path_factory.mktemp("land_precision")
    inbox, home = base / "inbox", base / "home"
    city = inbox / "stadt_leipzig"
    _csv(city / "anfragen_2025-01.csv", CITY_ENQUIRIES, [
        {"Vorgangsnummer": "WF-1", "Eingangsdatum": "06.01.2025", "Unternehmen": "Alpha GmbH",
         "Status": "neu", "Statusdatum": "06.01.2025"}])
    _csv(city / "ansiedlungen_2025-01.csv", CITY_SETTLEMENTS, [])
    city.joinpath("gewerbeflaechen_2025-01.geojson").write_text(json.dumps({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25833"}},
        "features": [_site("L-0001"), _site("L-0002"), _site("L-0003")]}), encoding="utf-8")
    # February: the enquiries' columns changed (no `Status`): the load stops, nothing else came
    _csv(city / "anfragen_2025-02.csv", [h for h in CITY_ENQUIRIES if h != "Status"], [
        {"Vorgangsnummer": "WF-2", "Eingangsdatum": "03.02.2025", "Unternehmen": "Beta AG"}])

    settings = ingest_and_build(inbox, home)
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    yield con
    con.close()


def test_the_stopped_file_was_stopped(warehouse):
    assert warehouse.execute(
        "select status from meta.load_ledger where file_name = 'anfragen_2025-02.csv'"
    ).fetchall() == [("rejected_schema",)]


def test_hectares_are_rounded_once_per_site_and_once_per_sum(warehouse):
    assert warehouse.execute(
        "select site_id, area_ha, free_area_ha from marts.dim_sites where month = ? "
        "order by site_id", [JAN]).fetchall() == [
        ("L-0001", Decimal("0.1235"), Decimal("0.1235")),
        ("L-0002", Decimal("0.1235"), Decimal("0.1235")),
        ("L-0003", Decimal("0.1235"), Decimal("0.1235")),
    ]
    assert warehouse.execute(
        "select month, ags, zoning, sites_available, free_area_ha, snapshot_month "
        "from marts.kpi_land_monthly order by month").fetchall() == [
        (JAN, "14713000", "GE", 3, Decimal("0.3704"), JAN),
        (FEB, "14713000", "GE", 3, Decimal("0.3704"), JAN),  # the stand-in
    ]


def test_partner_deliveries_has_the_months_of_the_other_marts(warehouse):
    def months(sql):
        return sorted({m for (m,) in warehouse.execute(sql).fetchall()})

    assert months("select month from marts.kpi_projects_monthly") == [JAN, FEB]
    assert months("select month from marts.dim_sites") == [JAN, FEB]
    assert months("select month from marts.partner_deliveries") == [JAN, FEB]
    assert warehouse.execute(
        "select partner, month, delivered, files from marts.partner_deliveries "
        "where partner = 'stadt_leipzig' order by month").fetchall() == [
        ("stadt_leipzig", JAN, True, 3, ),
        ("stadt_leipzig", FEB, False, 0),
    ]
