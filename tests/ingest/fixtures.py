"""Hand-made partner files with the documented irregularities (small and precise)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import openpyxl
from partner_headers import CITY_ENQUIRIES, CITY_SETTLEMENTS, LK_SHEETS

# the names the ingestion tests import (tests/partner_headers.py holds the lists)
CITY_ENQ_HEADER = CITY_ENQUIRIES
SETTLEMENT_HEADER = CITY_SETTLEMENTS


def enquiry(id_: str, received: str = "04.03.2025", status: str = "neu", **over) -> dict:
    row = dict.fromkeys(CITY_ENQ_HEADER, "")
    row.update({
        "Vorgangsnummer": id_, "Eingangsdatum": received, "Projektname": f"Projekt {id_}",
        "Unternehmen": "Muster Logistik GmbH", "Herkunftsland": "Deutschland", "WZ2008": "49.41",
        "Vorhabenart": "Neuansiedlung", "Flaechenbedarf_m2": "12.500",
        "Arbeitsplaetze_geplant": "120", "Investition_EUR": "4.500.000,00", "Status": status,
        "Statusdatum": "28.03.2025", "Ansprechpartner": "Erika Muster",
        "E_Mail": "e.muster@example.org", "Telefon": "0341 123456",
    })
    row.update(over)
    return row


def csv_text(header: list[str], rows: list[dict], sep: str = ";") -> str:
    def cell(v: str) -> str:
        v = str(v)
        if any(ch in v for ch in (sep, '"', "\n", "\r")):
            return '"' + v.replace('"', '""') + '"'
        return v

    lines = [sep.join(header)]
    lines += [sep.join(cell(r.get(h, "")) for h in header) for r in rows]
    return "\r\n".join(lines) + "\r\n"


def write_csv(path: Path, header: list[str], rows: list[dict], encoding: str = "utf-8-sig",
              sep: str = ";", tail: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((csv_text(header, rows, sep) + tail).encode(encoding))
    return path




def write_workbook(path: Path, sheets: dict[str, list[list]], stand: str = "31.03.2025",
                   headers: dict[str, list[str]] | None = None, summe: bool = True) -> Path:
    """Title row, 'Stand:' row, empty row, header, data rows, empty row, totals row."""
    headers = headers or LK_SHEETS
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        ws.append([f"Register {name}"])
        ws.append([f"Stand: {stand}"])
        ws.append([])
        ws.append(headers[name])
        for r in rows:
            ws.append(r)
        ws.append([])
        if summe:
            ws.append(["Summe", None, None, None, None, None, None, None, 42])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def lk_enquiry(id_: str, received: object = dt.datetime(2025, 3, 4), status: str = "offen",
               **over) -> list:
    row = {"Lfd. Nr.": id_, "Eingang": received, "Firma": "Beispiel AG",
           "HR-Nr.": "AG Leipzig HRB 4711", "Land": "Deutschland", "Branche": "Kfz-Zulieferer",
           "Gemeinde(n)": "Borna, Neukieritzsch", "Fläche (ha)": "2,5", "AP geplant": 50,
           "Invest (T€)": 4500, "Stand": status, "Datum Stand": "28.03.2025",
           "Grund (bei Verlust)": None, "IRL-Nr.": None,
           "Kontakt": "Erika Muster, e.muster@example.org", "Notiz": None}
    row.update(over)
    return [row[h] for h in LK_SHEETS["Anfragen"]]


def lk_settlement(id_: str, decided: object = dt.datetime(2025, 3, 20), **over) -> list:
    row = {"Lfd. Nr. Anfrage": id_, "Firma": "Beispiel AG", "Gemeinde": "Borna",
           "Datum Entscheidung": decided, "AP neu": 20, "AP gesichert": 5, "Invest (T€)": 1200.5,
           "Branche": "Logistik", "IRL-Nr.": None, "Fläche-ID": "K-0007"}
    row.update(over)
    return [row[h] for h in LK_SHEETS["Ansiedlungen"]]


def lk_site(id_: str, **over) -> list:
    row = {"Fläche-ID": id_, "Bezeichnung": "GE Borna Nord", "Gemeinde": "Borna",
           "Größe (ha)": 12.5, "davon frei (ha)": "3,25", "Art": "GE/GI",
           "Planungsstand": "B-Plan rechtskräftig", "Eigentümer": "Gemeinde",
           "Preis (€/m²)": None, "Status": "frei", "BAB (km)": 4, "Gleis": "ja",
           "Rechtswert": 330123.5, "Hochwert": 5660321.25}
    row.update(over)
    return [row[h] for h in LK_SHEETS["Flaechen"]]


def site_feature(id_: str, geometry: dict | None = None, **over) -> dict:
    props = {"flaechen_id": id_, "bezeichnung": "Gewerbegebiet Nord", "ortsteil": "Wiederitzsch",
             "groesse_m2": 125000, "verfuegbar_m2": 40000.5, "nutzungsart": "GI",
             "planungsrecht": "B-Plan rechtskräftig", "eigentum": "kommunal",
             "preis_eur_m2": None, "status": "verfügbar", "autobahn_km": 2.4,
             "gleisanschluss": True, "stand": "2025-03-15"}
    props.update(over)
    return {"type": "Feature", "properties": props, "geometry": geometry}


def write_geojson(path: Path, features: list[dict]) -> Path:
    doc = {"type": "FeatureCollection",
           "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25833"}},
           "features": features}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def event(event_id: str, event_type: str = "project.created",
          occurred_at: str = "2025-03-04T09:12:33Z", project_id: str = "IRL-2025-0042",
          payload: dict | None = None) -> dict:
    return {"event_id": event_id, "event_type": event_type, "occurred_at": occurred_at,
            "project_id": project_id,
            "payload": payload if payload is not None else {
                "received_on": "2025-03-03", "code_name": "Falke",
                "contact": {"name": "Erika Muster"}}}


def write_jsonl(path: Path, lines: list[dict | str], tail: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join((ln if isinstance(ln, str) else json.dumps(ln)) + "\n" for ln in lines)
    path.write_text(text + tail, encoding="utf-8")
    return path


class Query:
    def __init__(self, path: Path):
        self.path = path

    def __call__(self, sql: str, params=None) -> list[tuple]:
        con = duckdb.connect(str(self.path), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def one(self, sql: str, params=None):
        rows = self(sql, params)
        assert len(rows) == 1, rows
        return rows[0][0] if len(rows[0]) == 1 else rows[0]
