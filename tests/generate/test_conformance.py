"""The files follow ../shared/partners, read back with independent readers."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

import pytest
from partner_headers import CITY_ENQUIRIES as ENQUIRY_HEADER
from partner_headers import CITY_SETTLEMENTS as SETTLEMENT_HEADER
from partner_headers import LK_SHEETS as XLSX_HEADERS

from .readers import BOM, read_csv, read_dict_csv, read_jsonl, read_sheet

SITE_PROPERTIES = ["flaechen_id", "bezeichnung", "ortsteil", "groesse_m2", "verfuegbar_m2",
                   "nutzungsart", "planungsrecht", "eigentum", "preis_eur_m2", "status",
                   "autobahn_km", "gleisanschluss", "stand"]
EVENT_TYPES = {"project.created", "project.updated", "project.status_changed",
               "site_visit.held", "project.won", "project.lost"}
MONTHS = ["2024-09", "2024-10", "2024-11", "2024-12", "2025-01", "2025-02"]
ULID = re.compile(r"^[0-7][0-9A-HJKMNP-TV-Z]{25}$")
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


IRL_STATUSES = {"new", "qualified", "site_offer", "site_visit", "negotiation", "won", "lost",
                "on_hold"}


def test_file_names(inbox):
    root, summary = inbox
    city = {p.name for p in (root / "stadt_leipzig").iterdir()}
    for m in MONTHS:
        assert {f"anfragen_{m}.csv", f"ansiedlungen_{m}.csv", f"gewerbeflaechen_{m}.geojson"} <= city
        assert (root / "lk_leipzig" / f"wifoe_lkl_{m}.xlsx").is_file()
    pattern = re.compile(r"^(anfragen|ansiedlungen)_\d{4}-\d{2}(_k\d+)?\.csv$"
                         r"|^gewerbeflaechen_\d{4}-\d{2}(_k\d+)?\.geojson$")
    assert all(pattern.match(n) for n in city)
    days = sorted(p.name for p in (root / "irl").iterdir())
    assert days[0] == "events_2024-09-01.jsonl" and days[-1] == "events_2025-02-28.jsonl"
    assert len(days) == 30 + 31 + 30 + 31 + 31 + 28
    assert summary["files"] == sum(1 for p in root.rglob("*") if p.is_file())


def test_city_csv_encodings(inbox):
    root, _ = inbox
    legacy_text = ""
    for path in sorted((root / "stadt_leipzig").glob("*.csv")):
        raw = path.read_bytes()
        period = path.stem.split("_")[1]
        if period <= "2024-12" and "_k" not in path.stem:
            assert not raw.startswith(BOM), path.name
            legacy_text += raw.decode("cp1252")
        else:
            assert raw.startswith(BOM), path.name
            raw.decode("utf-8")
    # Windows-1252-only characters are there, so a latin-1 reading would be visibly wrong
    assert any(ch in legacy_text for ch in "€„“–")
    assert any(ch in legacy_text for ch in "äöüß")


def test_city_csv_headers_and_dialect(inbox):
    root, _ = inbox
    multiline = semicolon = doubled = 0
    for path in sorted((root / "stadt_leipzig").glob("anfragen_*.csv")):
        header, rows = read_csv(path)
        assert [h for h in header if h != "Foerderprogramm"] == ENQUIRY_HEADER
        raw = path.read_bytes()
        doubled += raw.count(b'""')
        for r in rows:
            d = dict(zip(header, r))
            multiline += "\n" in d.get("Bemerkung", "")
            semicolon += ";" in d.get("Bemerkung", "") + d.get("Projektname", "")
    assert multiline and semicolon and doubled
    for path in sorted((root / "stadt_leipzig").glob("ansiedlungen_*.csv")):
        header, _ = read_csv(path)
        assert header == SETTLEMENT_HEADER


def test_city_values_are_german(inbox):
    root, _ = inbox
    rows = read_dict_csv(root / "stadt_leipzig" / "anfragen_2025-01.csv")
    assert len(rows) > 20
    money = re.compile(r"^\d{1,3}(\.\d{3})*,\d{2}$")
    dates = re.compile(r"^\d{2}\.\d{2}\.\d{4}$")
    assert sum(bool(money.match(r["Investition_EUR"])) for r in rows) > 0.8 * len(rows)
    assert sum(bool(dates.match(r["Eingangsdatum"])) for r in rows) > 0.9 * len(rows)
    assert any("." in r["Flaechenbedarf_m2"] for r in rows)
    statuses = {r["Status"] for r in rows}
    assert statuses <= {"neu", "in Bearbeitung", "Standortangebot", "Besichtigung", "Zusage",
                        "Absage", "ruhend", ""}
    confidential = [r for m in MONTHS
                    for r in read_dict_csv(root / "stadt_leipzig" / f"anfragen_{m}.csv")
                    if r["Unternehmen"] == "" and r["Registernummer"] == ""]
    assert confidential and all(r["Projektname"] for r in confidential)


def test_city_delta_repeats_changed_enquiries(inbox):
    root, _ = inbox
    ids = [{r["Vorgangsnummer"] for r in read_dict_csv(
        root / "stadt_leipzig" / f"anfragen_{m}.csv")} for m in MONTHS]
    assert ids[0] & ids[1] and ids[1] & ids[2]
    # every row of a month is new that month or changed in it
    for r in read_dict_csv(root / "stadt_leipzig" / "anfragen_2025-02.csv"):
        if r["Statusdatum"] and r["Eingangsdatum"]:
            changed = r["Statusdatum"].endswith(".02.2025") or r["Eingangsdatum"].endswith(".02.2025")
            assert changed or r["IRL_Projektnummer"] or r["Arbeitsplaetze_geplant"], r


def test_geojson(inbox):
    root, _ = inbox
    for path in sorted((root / "stadt_leipzig").glob("gewerbeflaechen_*.geojson")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["type"] == "FeatureCollection"
        assert doc["crs"] == {"type": "name",
                              "properties": {"name": "urn:ogc:def:crs:EPSG::25833"}}
        kinds = set()
        for f in doc["features"]:
            assert list(f["properties"]) == SITE_PROPERTIES
            assert re.match(r"^L-\d{4}$", f["properties"]["flaechen_id"])
            assert f["properties"]["status"] in {"verfügbar", "reserviert", "vergeben"}
            date.fromisoformat(f["properties"]["stand"])
            g = f["geometry"]
            kinds.add(g["type"] if g else None)
            if g:
                polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
                for poly in polys:
                    ring = poly[0]
                    assert ring[0] == ring[-1]
                    for e, n in ring:
                        assert 295_000 < e < 350_000 and 5_660_000 < n < 5_720_000
        assert len(doc["features"]) > 100
        assert "Polygon" in kinds
    assert kinds & {None, "MultiPolygon"}


def test_workbook_layout(inbox):
    root, _ = inbox
    for m in MONTHS:
        path = root / "lk_leipzig" / f"wifoe_lkl_{m}.xlsx"
        y, mo = int(m[:4]), int(m[5:])
        for sheet, header in XLSX_HEADERS.items():
            s = read_sheet(path, sheet, header[0])
            assert s["title"].startswith("Wirtschaftsförderung Landkreis Leipzig")
            assert re.match(r"^Stand: \d{2}\.\d{2}\.\d{4}$", s["stand"])
            assert s["stand"].endswith(f".{mo:02d}.{y}")
            assert s["header_row"] == 4 and s["header"] == header
    sums = [read_sheet(root / "lk_leipzig" / f"wifoe_lkl_{m}.xlsx", "Anfragen", "Lfd. Nr.")
            for m in MONTHS]
    assert any(s["summe"] for s in sums)
    # the register grows: a full snapshot every month
    assert len(sums[-1]["records"]) > len(sums[0]["records"]) > 5


def test_workbook_values(inbox):
    root, _ = inbox
    s = read_sheet(root / "lk_leipzig" / "wifoe_lkl_2025-02.xlsx", "Anfragen", "Lfd. Nr.")
    ids = [r["Lfd. Nr."] for r in s["records"] if r["Lfd. Nr."]]
    assert all(re.match(r"^LKL-\d{2}-\d{3}$", i) for i in ids)
    assert any(isinstance(r["Eingang"], datetime) for r in s["records"])
    assert any(r["HR-Nr."] and r["HR-Nr."].startswith("AG ") for r in s["records"])
    assert any(r["Kontakt"] and "@example." in r["Kontakt"] for r in s["records"])
    f = read_sheet(root / "lk_leipzig" / "wifoe_lkl_2025-02.xlsx", "Flaechen", "Fläche-ID")
    for r in f["records"]:
        assert 295_000 < r["Rechtswert"] < 350_000 and 5_660_000 < r["Hochwert"] < 5_720_000
        assert r["Gleis"] in ("ja", "nein")


def test_irl_events(inbox):
    root, _ = inbox
    types, ids, statuses = set(), [], set()
    for path in sorted((root / "irl").glob("*.jsonl")):
        events, _ = read_jsonl(path)
        for e in events:
            assert list(e) == ["event_id", "event_type", "occurred_at", "project_id", "payload"]
            assert ULID.match(e["event_id"])
            at = datetime.strptime(e["occurred_at"], "%Y-%m-%dT%H:%M:%SZ").replace(
                tzinfo=UTC)
            # the ULID's 48-bit prefix is the event's time (ms)
            ms = 0
            for ch in e["event_id"][:10]:
                ms = ms * 32 + CROCKFORD.index(ch)
            assert abs(ms / 1000 - at.timestamp()) < 1
            types.add(e["event_type"])
            ids.append(e["event_id"])
            if e["event_type"] == "project.created":
                p = e["payload"]
                assert set(p) >= {"received_on", "code_name", "company_name", "register_id",
                                  "register_court", "origin_country", "cluster", "project_type",
                                  "required_area_m2", "planned_jobs", "planned_investment_eur",
                                  "candidate_ags", "partner_refs", "contact"}
                assert set(p["contact"]) == {"name", "email", "phone"}
            if e["event_type"] == "project.status_changed":
                statuses.add(e["payload"]["status"])
    assert EVENT_TYPES <= types
    # IRL's own values (irl.md), `qualified` among them: never a harmonised-only code
    assert statuses <= IRL_STATUSES and "qualified" in statuses


def test_delivery_times(clean_inbox):
    root, _ = clean_inbox
    from regiopool.generate.common import month_of, working_day

    for path in sorted((root / "stadt_leipzig").iterdir()) + sorted((root / "lk_leipzig").iterdir()):
        period = re.search(r"(\d{4})-(\d{2})", path.name)
        mi = int(period.group(1)) * 12 + int(period.group(2)) - 1
        delivered = datetime.fromtimestamp(path.stat().st_mtime, UTC).date()
        assert working_day(mi + 1, 1) <= delivered <= working_day(mi + 1, 5), path.name
        assert month_of(delivered) == mi + 1


@pytest.mark.parametrize("kind", ["anfragen", "ansiedlungen"])
def test_no_field_count_errors_in_clean_files(clean_inbox, kind):
    root, _ = clean_inbox
    for path in sorted((root / "stadt_leipzig").glob(f"{kind}_*.csv")):
        header, rows = read_csv(path)
        assert all(len(r) == len(header) for r in rows), path.name


def test_irl_updates_follow_creation_and_replace_lists(inbox):
    root, _ = inbox
    created: dict[str, str] = {}
    updates = []
    for path in sorted((root / "irl").glob("*.jsonl")):
        for e in read_jsonl(path)[0]:
            if e["event_type"] == "project.created":
                created[e["project_id"]] = e["occurred_at"]
            elif e["event_type"] == "project.updated":
                updates.append(e)
    assert updates
    assert all(u["occurred_at"] > created[u["project_id"]] for u in updates
               if u["project_id"] in created)
    lists = [u for u in updates if "partner_refs" in u["payload"] or "candidate_ags" in u["payload"]]
    assert lists and all(isinstance(v, list) for u in lists for k, v in u["payload"].items()
                         if k in ("partner_refs", "candidate_ags"))
