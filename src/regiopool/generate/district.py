"""Landkreis Leipzig: one workbook a month (sheets Anfragen, Ansiedlungen, Flaechen).

Written with XlsxWriter in constant-memory mode (rows stream to disk) and with fixed document
properties, so that the same arguments give the same bytes.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import xlsxwriter

from . import values
from .common import ascii_spelling, de_date, de_number_text, has_umlaut, month_last, rng
from .sites import Site
from .world import DISTRICT, Project, Record, World

if TYPE_CHECKING:
    from . import Summary

ENQUIRY_HEADER = ["Lfd. Nr.", "Eingang", "Firma", "HR-Nr.", "Land", "Branche", "Gemeinde(n)",
                  "Fläche (ha)", "AP geplant", "Invest (T€)", "Stand", "Datum Stand",
                  "Grund (bei Verlust)", "IRL-Nr.", "Kontakt", "Notiz"]
SETTLEMENT_HEADER = ["Lfd. Nr. Anfrage", "Firma", "Gemeinde", "Datum Entscheidung", "AP neu",
                     "AP gesichert", "Invest (T€)", "Branche", "IRL-Nr.", "Fläche-ID"]
SITE_HEADER = ["Fläche-ID", "Bezeichnung", "Gemeinde", "Größe (ha)", "davon frei (ha)", "Art",
               "Planungsstand", "Eigentümer", "Preis (€/m²)", "Status", "BAB (km)", "Gleis",
               "Rechtswert", "Hochwert"]
SITE_STATUS = {"available": "frei", "reserved": "reserviert", "sold": "verkauft"}
TITLES = {"Anfragen": "Wirtschaftsförderung Landkreis Leipzig – Anfragen",
          "Ansiedlungen": "Wirtschaftsförderung Landkreis Leipzig – Ansiedlungen",
          "Flaechen": "Wirtschaftsförderung Landkreis Leipzig – Gewerbeflächen"}
FIXED_CREATED = datetime(2020, 1, 1, 8, 0, 0)
EXCEL_MAX_ROWS = 1_048_576


class Sheet:
    """A sheet written row by row, with the register's layout and hand-typed cells."""

    def __init__(self, wb, name: str, header: list[str], stand: str, formats: dict):
        self.ws = wb.add_worksheet(name)
        self.f = formats
        self.header = header
        self.ws.write_string(0, 0, TITLES[name], formats["title"])
        self.ws.write_string(1, 0, f"Stand: {stand}")
        for c, h in enumerate(header):
            self.ws.write_string(3, c, h, formats["head"])
        self.row = 4
        self.records = 0
        self.totals: dict[int, float] = {}

    def write(self, cells: list[object], total_cols: Iterable[int] = ()) -> None:
        if self.row >= EXCEL_MAX_ROWS - 4:
            raise ValueError(f"the district's sheet {self.ws.name!r} would exceed Excel's "
                             f"{EXCEL_MAX_ROWS:,} rows: use a smaller --scale or a shorter range")
        for c, v in enumerate(cells):
            if v is None or v == "":
                continue
            if isinstance(v, datetime):
                self.ws.write_datetime(self.row, c, v, self.f["date"])
            elif isinstance(v, bool):
                self.ws.write_string(self.row, c, "ja" if v else "nein")
            elif isinstance(v, (int, float)):
                self.ws.write_number(self.row, c, v)
            else:
                self.ws.write_string(self.row, c, str(v))
        for c in total_cols:
            v = cells[c]
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                self.totals[c] = self.totals.get(c, 0.0) + v
        self.row += 1
        self.records += 1

    def finish(self, r: random.Random) -> bool:
        """Empty rows and, usually, a `Summe` row below the data."""
        self.row += r.choice((0, 1, 1, 2))
        if r.random() < 0.7 and self.records:
            self.ws.write_string(self.row, 0, "Summe", self.f["head"])
            for c, v in sorted(self.totals.items()):
                self.ws.write_number(self.row, c, round(v, 4))
            return True
        return False


class CellTyping:
    """Hand-typed cells: stable per record (seeded by its id), so snapshots repeat them."""

    def __init__(self, world: World, key: str, summary: Summary | None):
        self.world, self.summary = world, summary
        self.u = rng(world.seed, "dq", key)

    def _hit(self, name: str, visible: bool = True) -> bool:
        hit = self.world.rate(self.u, name)
        if hit and visible and self.summary is not None:
            self.summary.irregularity(name)
        return hit

    def number(self, x: float | None) -> object:
        hit = self._hit("number_as_text", x is not None)
        if x is None:
            return None
        return de_number_text(x) if hit else x

    def date(self, d) -> object:
        hit = self._hit("date_as_text", d is not None)
        if d is None:
            return None
        return de_date(d) if hit else datetime(d.year, d.month, d.day)

    def text(self, s: str) -> str:
        """Free-typed text: sometimes padded / odd case, sometimes ae/oe/ue/ss."""
        v = self.u.random()
        ascii_hit = self.world.rate(self.u, "ascii_spelling") and has_umlaut(s)
        pad_hit = self.world.rate(self.u, "padded_text") and bool(s)
        if ascii_hit:
            s = ascii_spelling(s)
            if self.summary is not None:
                self.summary.irregularity("ascii_spelling")
        if pad_hit:
            variants = (f" {s}", f"{s} ", f"{s}  ", s.upper(), s.lower(), s.replace(" ", "  "))
            s = variants[int(v * len(variants))]
            if s == variants[-1] and " " not in variants[0].strip():
                s = f"  {s}"
            if self.summary is not None:
                self.summary.irregularity("padded_text")
        return s

    def municipality(self, name: str) -> str:
        former = self._former(name)
        v = self.u.random()
        if self._hit("unmapped_municipality"):
            # a typo or a village name that the reference does not know
            cut = 1 + int(v * (len(former) - 2))
            return former[:cut] + former[cut + 1:]
        return self.text(former)

    def _former(self, name: str) -> str:
        v = self.u.random()
        hit = self.world.rate(self.u, "former_municipality_name")
        if not hit:
            return name
        for m in self.world.district_munis:
            if m["name"] == name and m["former_names"]:
                olds = m["former_names"].split("|")
                if self.summary is not None:
                    self.summary.irregularity("former_municipality_name")
                return olds[int(v * len(olds))]
        return name


def _lost_label(world: World, reason: str | None, r: random.Random) -> str:
    if not reason:
        return ""
    labels = world.ref.lost_labels.get(reason, [reason])
    return r.choice(labels)


def enquiry_cells(world: World, p: Project, rec: Record, mi: int,
                  summary: Summary | None) -> list[object]:
    end = month_last(mi)
    t = CellTyping(world, rec.rid, summary)
    state = rec.state_at(end)
    vocab = world.ref.statuses[DISTRICT]
    empty = rec.quirks.get("empty_field")
    jobs, invest = p.jobs, p.investment
    if p.revision and max(p.revision[0], rec.received) <= end:
        jobs, invest = p.revision[1], p.revision[2]
    received = rec.received
    if rec.quirks.get("bad_date") == "before_2000":
        received = received.replace(year=1900 + received.year % 100)
    elif rec.quirks.get("bad_date") == "after_period":
        received = received.replace(year=received.year + 1)
    sep = rng(world.seed, "sep", rec.rid).choice((", ", ", ", "/", " / ", ","))
    munis = sep.join(t.municipality(n) for n in rec.municipalities)
    lr = rng(world.seed, "lost", rec.rid)
    cells = [
        rec.rid,
        t.date(received),
        t.text(rec.company or ""),
        values.district_register(world, rec),
        "" if empty == "country" else t.text(values.country_name(world, p, rec)),
        "" if empty == "sector" else t.text(values.branche(world, p, rec)),
        munis,
        t.number(None if empty == "area" else round(p.area_m2 / 10_000, 2)),
        t.number(None if empty == "jobs" else jobs),
        t.number(None if empty == "investment" else round(invest / 1000)),
        t.text(vocab[state.status]) if state else "",
        t.date(None if empty == "status_date" or not state else state.on),
        t.text(_lost_label(world, state.reason, lr)) if state and state.status == "lost" else "",
        rec.ref if rec.ref and rec.ref_from and rec.ref_from <= end else "",
        f"{rec.contact[0]}, {rec.contact[1]}",
        rec.note,
    ]
    if summary is not None:
        for name in ("empty_field", "unmapped_sector", "unmapped_country", "bad_date"):
            if name in rec.quirks:
                summary.irregularity(name)
    return cells


def settlement_cells(world: World, p: Project, rec: Record, summary: Summary | None
                     ) -> list[object]:
    w = p.win
    assert w is not None
    t = CellTyping(world, f"{rec.rid}/settlement", summary)
    return [
        rec.rid,
        t.text(rec.company or ""),
        t.municipality(w.place),
        t.date(w.decided_on),
        t.number(w.jobs_new),
        t.number(w.jobs_secured),
        t.number(round(w.investment_eur / 1000)),
        values.branche(world, p, rec),
        rec.ref or "",
        w.site_id or "",
    ]


def site_cells(world: World, s: Site, summary: Summary | None, change: bool = False
               ) -> list[object]:
    t = CellTyping(world, s.site_id, summary)
    free = None if s.free_m2 is None else round(s.free_m2 / 10_000, 4)
    if change and free:
        free = round(free * 0.9, 4)
    return [
        s.site_id,
        s.name,
        t.municipality(s.place),
        t.number(round(s.area_m2 / 10_000, 4)),
        t.number(free),
        s.zoning,
        s.planning,
        s.owner,
        t.number(s.price),
        t.text(SITE_STATUS[s.status]),
        s.motorway_km,
        s.rail,
        s.centre[0],
        s.centre[1],
    ]


def in_register(rec: Record, mi: int) -> bool:
    return rec.received <= month_last(mi) and (rec.deleted_month is None
                                                  or rec.deleted_month > mi)


def write_workbook(world: World, path: Path, mi: int, projects: Iterable[Project],
                   sites: list[Site], *, clean: bool, summary: Summary,
                   correction_change: bool = False) -> dict[str, int]:
    """Write the district's workbook for month mi (a full snapshot of its registers)."""
    fr = rng(world.seed, "file", path.name)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": "Wirtschaftsförderung Landkreis Leipzig",
                       "author": "Landkreis Leipzig", "created": FIXED_CREATED})
    formats = {"title": wb.add_format({"bold": True, "font_size": 13}),
               "head": wb.add_format({"bold": True}),
               "date": wb.add_format({"num_format": "dd.mm.yyyy"})}
    stand = de_date(month_last(mi))
    enq = Sheet(wb, "Anfragen", ENQUIRY_HEADER, stand, formats)
    sett = Sheet(wb, "Ansiedlungen", SETTLEMENT_HEADER, stand, formats)
    flae = Sheet(wb, "Flaechen", SITE_HEADER, stand, formats)
    counting = summary if not clean else None
    changed = not correction_change
    deleted = 0
    for p in projects:
        rec = p.records.get(DISTRICT)
        if rec is None or rec.received > month_last(mi):
            continue
        if not in_register(rec, mi):
            deleted += 1
            if rec.deleted_month == mi and not clean:
                summary.irregularity("district_deleted_record")
            continue
        cells = enquiry_cells(world, p, rec, mi, counting)
        dup = world.rate(fr, "duplicate_id_in_file")
        missing = world.rate(fr, "missing_required")
        pick = fr.random()
        if not changed and isinstance(cells[8], (int, float)):
            cells[8] += 1
            changed = True
        if missing and not clean:
            cells[(0, 1, 10)[int(pick * 3)]] = None
            summary.irregularity("missing_required")
        enq.write(cells, total_cols=(7, 8, 9))
        if dup and not clean:
            enq.write(cells)
            summary.irregularity("duplicate_id_in_file")
        if rec.settles and p.win and p.win.decided_on <= month_last(mi):
            sett.write(settlement_cells(world, p, rec, counting), total_cols=(4, 5, 6))
    for s in sites:
        cells = site_cells(world, s, counting)
        flae.write(cells, total_cols=(3, 4))
        if world.rate(fr, "duplicate_id_in_file") and not clean:
            flae.write(cells)
            summary.irregularity("duplicate_id_in_file")
    for sheet in (enq, sett, flae):
        sheet.finish(fr)
    wb.close()
    summary.rows("lk_leipzig/Anfragen", enq.records)
    summary.rows("lk_leipzig/Ansiedlungen", sett.records)
    summary.rows("lk_leipzig/Flaechen", flae.records)
    summary.file(path)
    return {"deleted": deleted}
