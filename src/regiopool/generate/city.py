"""Stadt Leipzig: enquiries and settlements (CSV, monthly delta) and sites (GeoJSON snapshot)."""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Iterable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from . import values
from .common import de_date, de_decimal, de_int, in_year, month_last, month_of, parse_month, rng
from .sites import Site, geometry
from .world import CITY, Project, Record, World

if TYPE_CHECKING:
    from . import Summary

ENQUIRY_COLUMNS = [
    "Vorgangsnummer", "Eingangsdatum", "Projektname", "Unternehmen", "Registernummer",
    "Registergericht", "Herkunftsland", "WZ2008", "Vorhabenart", "Flaechenbedarf_m2",
    "Arbeitsplaetze_geplant", "Investition_EUR", "Status", "Statusdatum", "Absagegrund",
    "IRL_Projektnummer", "Ansprechpartner", "E_Mail", "Telefon", "Bemerkung",
]
SETTLEMENT_COLUMNS = [
    "Vorgangsnummer", "Unternehmen", "Entscheidungsdatum", "Ortsteil", "Flaechen_ID",
    "Arbeitsplaetze_neu", "Arbeitsplaetze_gesichert", "Investition_EUR", "WZ2008",
    "Vorhabenart", "IRL_Projektnummer",
]
ADDED_COLUMN = "Foerderprogramm"
ADDED_VALUES = ("GRW", "", "", "EFRE", "JTF", "GRW; EFRE")
DROPPABLE_COLUMN = "Telefon"
RENAMED_COLUMN = ("Investition_EUR", "Investitionssumme_EUR")
LEGACY_UNTIL = parse_month("2024-12")   # Windows-1252 up to and including this month
CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25833"}}
SITE_STATUS = {"available": "verfügbar", "reserved": "reserviert", "sold": "vergeben"}


class CsvFile:
    """Streams rows to a `;`-separated CSV in the city's encoding, with optional truncation."""

    def __init__(self, path: Path, header: list[str], *, legacy: bool, truncate: bool,
                 trunc_rng: random.Random):
        self.path, self.header, self.legacy = path, header, legacy
        self.truncate, self.trunc_rng = truncate, trunc_rng
        self._buf = io.StringIO()
        self._writer = csv.writer(self._buf, delimiter=";", quotechar='"',
                                  quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        self._fh = path.open("wb")
        if not legacy:
            self._fh.write(b"\xef\xbb\xbf")
        self._pending: str | None = None
        self.rows = 0
        self.truncated = False
        self._fh.write(self._encode(self._line(header)))

    def _encode(self, text: str) -> bytes:
        return text.encode("cp1252" if self.legacy else "utf-8")

    def _line(self, row: list[str]) -> str:
        self._buf.seek(0)
        self._buf.truncate()
        self._writer.writerow(row)
        return self._buf.getvalue()

    def write(self, row: dict[str, str]) -> None:
        line = self._line([row.get(c, "") for c in self.header])
        if self._pending is not None:
            self._fh.write(self._encode(self._pending))
        self._pending = line
        self.rows += 1

    def close(self) -> None:
        if self._pending is not None:
            line = self._pending
            if self.truncate:
                # cut at or before the last top-level separator: the line then has fewer
                # fields than the header, or ends inside a quoted field
                last_sep = _last_top_level_separator(line)
                cut = self.trunc_rng.randint(max(1, last_sep // 2), max(1, last_sep))
                line = line[:cut]
                self.truncated = True
            self._fh.write(self._encode(line))
        self._fh.close()


def _last_top_level_separator(line: str) -> int:
    in_quotes, last = False, 0
    for pos, ch in enumerate(line):
        if ch == '"':
            in_quotes = not in_quotes
        elif ch == ";" and not in_quotes:
            last = pos
    return last


# ---- rows -------------------------------------------------------------------------------------
def _active_value(p: Project, rec: Record, day) -> tuple[int, float]:
    if p.revision and max(p.revision[0], rec.received) <= day:
        return p.revision[1], p.revision[2]
    return p.jobs, p.investment


def changed_in(p: Project, rec: Record, mi: int) -> bool:
    if month_of(rec.received) == mi:
        return True
    if rec.ref_from and month_of(rec.ref_from) == mi and rec.received <= rec.ref_from:
        return True
    if p.revision and month_of(max(p.revision[0], rec.received)) == mi:
        return True
    return any(month_of(s.on) == mi for s in rec.steps)


def enquiry_row(world: World, p: Project, rec: Record, mi: int) -> dict[str, str]:
    end = month_last(mi)
    state = rec.state_at(end)
    vocab = world.ref.statuses[CITY]
    jobs, invest = _active_value(p, rec, end)
    quirks = rec.quirks
    empty = quirks.get("empty_field")
    received = rec.received
    received_text = de_date(received)
    if quirks.get("bad_date") == "before_2000":
        received_text = de_date(in_year(received, 1900 + received.year % 100))
    elif quirks.get("bad_date") == "after_period":
        received_text = de_date(month_last(month_of(received)) + timedelta(days=received.day))
    reg, court = values.city_register(world, rec)
    vr = rng(world.seed, "city-row", rec.rid)
    project_name = p.code_name
    if vr.random() < 0.05:
        project_name = f'{p.code_name} "Erweiterung"; Phase {vr.randint(2, 4)}'
    lost_label = ""
    if state and state.status == "lost" and state.reason:
        lost_label = world.ref.lost_labels.get(state.reason, [state.reason])[0]
    row = {
        "Vorgangsnummer": rec.rid,
        "Eingangsdatum": received_text,
        "Projektname": project_name,
        "Unternehmen": rec.company or "",
        "Registernummer": reg,
        "Registergericht": court,
        "Herkunftsland": "" if empty == "country" else values.country_name(world, p, rec),
        "WZ2008": "" if empty == "sector" else values.wz_code(world, p, rec),
        "Vorhabenart": "" if empty == "project_type" else values.project_type_label(
            world, p.project_type),
        "Flaechenbedarf_m2": "" if empty == "area" else de_int(p.area_m2),
        "Arbeitsplaetze_geplant": "" if empty == "jobs" else str(jobs),
        "Investition_EUR": "" if empty == "investment" else de_decimal(invest),
        "Status": vocab[state.status] if state else "",
        "Statusdatum": "" if (empty == "status_date" or not state) else de_date(state.on),
        "Absagegrund": lost_label,
        "IRL_Projektnummer": rec.ref if rec.ref and rec.ref_from and rec.ref_from <= end else "",
        "Ansprechpartner": rec.contact[0],
        "E_Mail": rec.contact[1],
        "Telefon": rec.contact[2],
        "Bemerkung": rec.note,
        "_quirks": [k for k in ("empty_field", "unmapped_sector", "unmapped_country", "bad_date")
                    if k in quirks],
    }
    return row


def settlement_row(world: World, p: Project, rec: Record, corrected: bool = False
                   ) -> dict[str, str]:
    w = p.win
    assert w is not None
    jobs_new, investment = w.jobs_new, w.investment_eur
    if corrected and w.correction:
        _, jobs_new, investment = w.correction
    return {
        "Vorgangsnummer": rec.rid,
        "Unternehmen": rec.company or "",
        "Entscheidungsdatum": de_date(w.decided_on),
        "Ortsteil": w.place,
        "Flaechen_ID": w.site_id or "",
        "Arbeitsplaetze_neu": str(jobs_new),
        "Arbeitsplaetze_gesichert": str(w.jobs_secured),
        "Investition_EUR": de_decimal(investment),
        "WZ2008": values.wz_code(world, p, rec),
        "Vorhabenart": values.project_type_label(world, w.project_type),
        "IRL_Projektnummer": rec.ref or "",
        "_quirks": ["settlement_without_enquiry"] if "settlement_without_enquiry" in rec.quirks
        else [],
    }


def enquiry_rows(world: World, projects: Iterable[Project], mi: int) -> Iterator[dict]:
    for p in projects:
        rec = p.records.get(CITY)
        if rec is not None and rec.received <= month_last(mi) and changed_in(p, rec, mi) \
                and "settlement_without_enquiry" not in rec.quirks:
            yield enquiry_row(world, p, rec, mi)


def settlement_rows(world: World, projects: Iterable[Project], mi: int) -> Iterator[dict]:
    for p in projects:
        rec = p.records.get(CITY)
        if rec is None or not rec.settles or p.win is None:
            continue
        if month_of(p.win.decided_on) == mi:
            yield settlement_row(world, p, rec)
        elif p.win.correction and p.win.correction[0] == mi:
            # "every settlement decided or corrected in the reporting month"
            yield settlement_row(world, p, rec, corrected=True)


# ---- files ------------------------------------------------------------------------------------
def write_csv(world: World, path: Path, header: list[str], rows: Iterable[dict], mi: int, *,
              clean: bool, summary: Summary, kind: str, correction_change: str | None = None
              ) -> int:
    """Write one city CSV; unless `clean`, inject the file-level irregularities."""
    fr = rng(world.seed, "file", path.name)
    legacy = mi <= LEGACY_UNTIL and not clean
    truncate = world.rate(fr, "truncated_last_line") and not clean
    added = world.rate(fr, "added_column") and not clean and kind == "anfragen"
    dropped = world.rate(fr, "dropped_column") and not clean and kind == "anfragen"
    renamed = world.rate(fr, "renamed_column") and not clean and kind == "anfragen"
    header = list(header)
    if added:
        header.insert(header.index("IRL_Projektnummer") + 1, ADDED_COLUMN)
    if dropped:
        header.remove(DROPPABLE_COLUMN)
    if renamed:
        header[header.index(RENAMED_COLUMN[0])] = RENAMED_COLUMN[1]
    out = CsvFile(path, header, legacy=legacy, truncate=truncate, trunc_rng=fr)
    changed = False
    for row in rows:
        dup = world.rate(fr, "duplicate_id_in_file")
        missing = world.rate(fr, "missing_required")
        unparsable = world.rate(fr, "unparsable_number")
        pick = fr.random()
        if clean:
            if correction_change and not changed:
                row = dict(row)
                if correction_change == "anfragen" and row.get("Arbeitsplaetze_geplant"):
                    row["Arbeitsplaetze_geplant"] = str(int(row["Arbeitsplaetze_geplant"]) + 10)
                    changed = True
                elif correction_change == "ansiedlungen":
                    row["Arbeitsplaetze_neu"] = str(int(row["Arbeitsplaetze_neu"]) + 5)
                    changed = True
            out.write(row)
            continue
        if added:
            row[ADDED_COLUMN] = ADDED_VALUES[int(pick * len(ADDED_VALUES))]
        if renamed:
            row[RENAMED_COLUMN[1]] = row.get(RENAMED_COLUMN[0], "")
        if missing:
            col = ("Vorgangsnummer", "Eingangsdatum", "Status")[int(pick * 3)] \
                if kind == "anfragen" else ("Vorgangsnummer", "Entscheidungsdatum")[int(pick * 2)]
            row = dict(row, **{col: ""})
            summary.irregularity("missing_required")
        if unparsable and kind == "anfragen" and row.get("Arbeitsplaetze_geplant"):
            n = int(row["Arbeitsplaetze_geplant"])
            row["Arbeitsplaetze_geplant"] = f"ca. {n}" if pick < 0.5 else f"{n}-{n + 20}"
            summary.irregularity("unparsable_number")
        out.write(row)
        if dup:
            out.write(row)
            summary.irregularity("duplicate_id_in_file")
        _count_row_quirks(row, kind, summary)
    out.close()
    if out.truncated:
        summary.irregularity("truncated_last_line")
    if added:
        summary.irregularity("added_column")
    if dropped:
        summary.irregularity("dropped_column")
    if renamed:
        summary.irregularity("renamed_column")
    summary.rows(f"stadt_leipzig/{kind}", out.rows)
    summary.file(path)
    return out.rows


def _count_row_quirks(row: dict, kind: str, summary: Summary) -> None:
    for name in row.get("_quirks", ()):
        summary.irregularity(name)


def write_sites(world: World, path: Path, sites: list[Site], mi: int, *, clean: bool,
                summary: Summary, correction_change: bool = False) -> int:
    fr = rng(world.seed, "file", path.name)
    with path.open("wb") as fh:
        head = {"type": "FeatureCollection", "name": "gewerbeflaechen", "crs": CRS}
        fh.write(json.dumps(head, ensure_ascii=False)[:-1].encode("utf-8"))
        fh.write(b', "features": [\n')
        first = True
        changed = False
        n = 0
        for s in sites:
            dup = world.rate(fr, "duplicate_id_in_file") and not clean
            free = s.free_m2
            if correction_change and not changed and free:
                free, changed = round(free * 0.9, -2), True
            feature = {
                "type": "Feature",
                "properties": {
                    "flaechen_id": s.site_id, "bezeichnung": s.name, "ortsteil": s.place,
                    "groesse_m2": s.area_m2, "verfuegbar_m2": free,
                    "nutzungsart": s.zoning, "planungsrecht": s.planning,
                    "eigentum": s.owner, "preis_eur_m2": s.price,
                    "status": SITE_STATUS[s.status], "autobahn_km": s.motorway_km,
                    "gleisanschluss": s.rail, "stand": s.changed_on.isoformat(),
                },
                "geometry": geometry(s),
            }
            text = json.dumps(feature, ensure_ascii=False)
            for _ in range(2 if dup else 1):
                fh.write((b"" if first else b",\n") + text.encode("utf-8"))
                first = False
                n += 1
            if dup:
                summary.irregularity("duplicate_id_in_file")
            if feature["geometry"] is None:
                summary.irregularity("site_without_geometry")
        fh.write(b"\n]}\n")
    summary.rows("stadt_leipzig/gewerbeflaechen", n)
    summary.file(path)
    return n
