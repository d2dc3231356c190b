"""Small hand-made partner files, written exactly in the partners' formats (../shared/partners).

Used by the oracle's own tests; each writer takes plain rows so that a test reads like the
delivery it describes.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

CITY_ENQUIRY_HEADER = ["Vorgangsnummer", "Eingangsdatum", "Projektname", "Unternehmen",
                       "Registernummer", "Registergericht", "Herkunftsland", "WZ2008",
                       "Vorhabenart", "Flaechenbedarf_m2", "Arbeitsplaetze_geplant",
                       "Investition_EUR", "Status", "Statusdatum", "Absagegrund",
                       "IRL_Projektnummer", "Ansprechpartner", "E_Mail", "Telefon", "Bemerkung"]
CITY_SETTLEMENT_HEADER = ["Vorgangsnummer", "Unternehmen", "Entscheidungsdatum", "Ortsteil",
                          "Flaechen_ID", "Arbeitsplaetze_neu", "Arbeitsplaetze_gesichert",
                          "Investition_EUR", "WZ2008", "Vorhabenart", "IRL_Projektnummer"]
LK_ENQUIRY_HEADER = ["Lfd. Nr.", "Eingang", "Firma", "HR-Nr.", "Land", "Branche", "Gemeinde(n)",
                     "Fläche (ha)", "AP geplant", "Invest (T€)", "Stand", "Datum Stand",
                     "Grund (bei Verlust)", "IRL-Nr.", "Kontakt", "Notiz"]
LK_SETTLEMENT_HEADER = ["Lfd. Nr. Anfrage", "Firma", "Gemeinde", "Datum Entscheidung", "AP neu",
                        "AP gesichert", "Invest (T€)", "Branche", "IRL-Nr.", "Fläche-ID"]
LK_SITE_HEADER = ["Fläche-ID", "Bezeichnung", "Gemeinde", "Größe (ha)", "davon frei (ha)", "Art",
                  "Planungsstand", "Eigentümer", "Preis (€/m²)", "Status", "BAB (km)", "Gleis",
                  "Rechtswert", "Hochwert"]


def _csv_field(value: object) -> str:
    s = "" if value is None else str(value)
    if any(c in s for c in ';"\n\r'):
        return '"' + s.replace('"', '""') + '"'
    return s


def city_csv(path: Path, header: list[str], rows: list[dict], *, encoding: str = "utf-8-sig",
             tail: str = "") -> Path:
    """rows: dicts by header name (missing keys are empty). `tail` is appended raw (e.g. a
    truncated last line)."""
    lines = [";".join(header)]
    for row in rows:
        lines.append(";".join(_csv_field(row.get(h)) for h in header))
    content = "\r\n".join(lines) + "\r\n" + tail
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode(encoding))
    return path


def city_sites(path: Path, features: list[dict]) -> Path:
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25833"}},
        "features": [{"type": "Feature", "geometry": None, "properties": {
            "bezeichnung": f"Fläche {f['flaechen_id']}", "ortsteil": "Plagwitz",
            "groesse_m2": 50000, "planungsrecht": "B-Plan rechtskräftig", "eigentum": "kommunal",
            "preis_eur_m2": None, "autobahn_km": 3.5, "gleisanschluss": False,
            "stand": "2025-01-01", **f}} for f in features],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def district_workbook(path: Path, stand: dt.date, *, enquiries: list[list],
                      settlements: list[list], sites: list[list]) -> Path:
    """Rows as lists in the header order; a row `["Summe", ...]` and empty rows may be given."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, header, rows in (("Anfragen", LK_ENQUIRY_HEADER, enquiries),
                                ("Ansiedlungen", LK_SETTLEMENT_HEADER, settlements),
                                ("Flaechen", LK_SITE_HEADER, sites)):
        ws = wb.create_sheet(title)
        ws.append([f"Wirtschaftsförderung Landkreis Leipzig: {title}"])
        ws.append([f"Stand: {stand:%d.%m.%Y}"])
        ws.append([])
        ws.append(header)
        for row in rows:
            ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def irl_events(path: Path, events: list[dict | str]) -> Path:
    """events: dicts (written as JSON) or raw strings (written as they are)."""
    lines = [e if isinstance(e, str) else json.dumps(e, ensure_ascii=False) for e in events]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def event(event_id: str, event_type: str, occurred_at: str, project_id: str, **payload) -> dict:
    return {"event_id": event_id, "event_type": event_type, "occurred_at": occurred_at,
            "project_id": project_id, "payload": payload}
