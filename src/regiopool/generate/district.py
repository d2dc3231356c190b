"""Landkreis Leipzig: one workbook a month (sheets Anfragen, Ansiedlungen, Flaechen).

Written with XlsxWriter in constant-memory mode (rows stream to disk) and with fixed document
properties, so that the same arguments give the same bytes.

Speed: the workbook repeats the whole register every month, so the data rows are not written
cell by cell through XlsxWriter. A row's ``<row>`` XML is rendered once (:func:`cell_xml` makes
exactly what XlsxWriter's constant-memory writer makes, with a placeholder for the row number)
and appended to the worksheet's row file; a record's rendered row is kept between months
(:class:`Entry`) and only rendered again when its cells change (status, revised figures, a
reference). Titles, headers and `Summe` rows still go through XlsxWriter.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import xlsxwriter
from xlsxwriter.utility import _datetime_to_excel_datetime, _preserve_whitespace, xl_col_to_name
from xlsxwriter.worksheet import Worksheet
from xlsxwriter.xmlwriter import XMLwriter

from . import values
from .common import (
    ascii_spelling,
    de_date,
    de_number_text,
    has_umlaut,
    in_year,
    month_last,
    month_of,
    rng,
)
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


# ---- rows as XML ------------------------------------------------------------------------------
ROW = "\x00"          # placeholder for the row number (XlsxWriter escapes a literal NUL as _x0000_)
DATE_XF = 3           # the date format's XF index: formats are numbered in the order of first use
                      # (title 1, header 2, date 3); Sheet.write_slots checks it
_COLS = [xl_col_to_name(c) for c in range(32)]
_escape_control = Worksheet._escape_control_characters
_escape_data = XMLwriter._escape_data
_DATE_MARK = f'{ROW}" s="{DATE_XF}"><v>'   # only a date cell has it (ROW is never in a text)
_STRMAX_SAFE = 32767 // 2   # shorter strings cannot exceed Excel's 32767 UTF-16 units


class SlowCell(Exception):
    """A value that the fast renderer does not handle (XlsxWriter writes the row)."""


def cell_xml(col: int, v: object) -> str | None:
    """The ``<c>`` element XlsxWriter's constant-memory mode writes for Sheet.write's value v."""
    if v is None or v == "":
        return None
    ref = _COLS[col]
    if isinstance(v, datetime):
        number = _datetime_to_excel_datetime(v, False, False)
        return f'<c r="{ref}{ROW}" s="{DATE_XF}"><v>{number:.16G}</v></c>'
    if isinstance(v, bool):
        text = "ja" if v else "nein"
    elif isinstance(v, (int, float)):
        if not math.isfinite(v):  # XlsxWriter raises for NaN/inf (no nan_inf_to_errors)
            raise SlowCell(v)
        return f'<c r="{ref}{ROW}"><v>{v:.16G}</v></c>'
    else:
        text = str(v)
    if len(text) > _STRMAX_SAFE:
        raise SlowCell(v)
    text = _escape_control(text)
    if text.startswith("<r>") and text.endswith("</r>"):
        return f'<c r="{ref}{ROW}" t="inlineStr"><is>{text}</is></c>'
    t_attr = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
    return f'<c r="{ref}{ROW}" t="inlineStr"><is><t{t_attr}>{_escape_data(None, text)}</t></is></c>'


def row_slots(cells: list[object]) -> tuple[str | None, ...] | None:
    """The cells rendered (None: empty), or None if XlsxWriter has to write them itself."""
    try:
        return tuple(cell_xml(c, v) for c, v in enumerate(cells))
    except SlowCell:
        return None


def _numbers(cells: list[object], cols: Iterable[int]) -> tuple[tuple[int, float], ...]:
    return tuple((c, cells[c]) for c in cols
                 if isinstance(cells[c], (int, float)) and not isinstance(cells[c], bool))


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

    def _check_rows(self) -> None:
        if self.row >= EXCEL_MAX_ROWS - 4:
            raise ValueError(f"the district's sheet {self.ws.name!r} would exceed Excel's "
                             f"{EXCEL_MAX_ROWS:,} rows: use a smaller --scale or a shorter range")

    def write(self, cells: list[object], total_cols: Iterable[int] = ()) -> None:
        slots = row_slots(cells)
        if slots is None:
            self._write_cells(cells)
            self._add(_numbers(cells, total_cols))
        else:
            self.write_slots(slots, _numbers(cells, total_cols))

    def _write_cells(self, cells: list[object]) -> None:
        """Through XlsxWriter, cell by cell (values the fast path does not handle)."""
        self._check_rows()
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
        self.row += 1
        self.records += 1

    def _add(self, numbers: tuple[tuple[int, float], ...]) -> None:
        totals = self.totals
        for c, v in numbers:
            totals[c] = totals.get(c, 0.0) + v

    def write_slots(self, slots: tuple[str | None, ...],
                    numbers: tuple[tuple[int, float], ...] = ()) -> None:
        """Append a rendered row (as XlsxWriter would write it) and add to the totals."""
        self._check_rows()
        ws, row = self.ws, self.row
        last = -1
        for c in range(len(slots) - 1, -1, -1):
            if slots[c] is not None:
                last = c
                break
        if last >= 0:
            xml = "".join(x for x in slots if x is not None)
            if ws.previous_row < row:
                ws._write_single_row(row)       # flush a pending row written by XlsxWriter
            if _DATE_MARK in xml and self.f["date"]._get_xf_index() != DATE_XF:
                raise AssertionError("the date format's XF index is not the expected one")
            ws._check_dimensions(row, last)
            ws.fh.write(f'<row r="{ROW}">{xml}</row>'.replace(ROW, str(row + 1)))
        if numbers:
            self._add(numbers)
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
        received = in_year(received, 1900 + received.year % 100)
    elif rec.quirks.get("bad_date") == "after_period":
        received = in_year(received, received.year + 1)
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


# ---- the register between months ----------------------------------------------------------------
class _Tally:
    """Collects the irregularities that computing a row reports (replayed in every file)."""

    __slots__ = ("names",)

    def __init__(self) -> None:
        self.names: list[str] = []

    def irregularity(self, name: str, n: int = 1) -> None:
        self.names.extend([name] * n)


class Row:
    """A rendered row: slots (None: XlsxWriter writes `cells`), totals, reported irregularities."""

    __slots__ = ("cells", "counts", "numbers", "slots")

    def __init__(self, cells: list[object], total_cols: tuple[int, ...], counts: list[str],
                 like: Row | None = None):
        slots = row_slots(cells)
        if slots is not None and like is not None and like.slots is not None:
            # share the unchanged cells' strings with the previous version
            slots = tuple(o if o == n else n for o, n in zip(like.slots, slots, strict=True))
        self.slots = slots
        self.cells = None if slots is not None else list(cells)
        self.numbers = _numbers(cells, total_cols)
        self.counts = tuple(counts)

    def value(self, c: int) -> object:
        if self.cells is not None:
            return self.cells[c]
        for col, v in self.numbers:
            if col == c:
                return v
        return None

    def write(self, sheet: Sheet, *, numbers: bool = True, drop: int | None = None,
              plus_one: int | None = None) -> None:
        """Write the row; `drop` empties a cell, `plus_one` adds 1 to a number cell."""
        if self.cells is not None or (drop is None and plus_one is None):
            if self.cells is not None:
                cells = list(self.cells)
                if plus_one is not None:
                    cells[plus_one] += 1
                if drop is not None:
                    cells[drop] = None
                sheet._write_cells(cells)
                if numbers:
                    sheet._add(_numbers(cells, [c for c, _ in self.numbers]
                                        + ([plus_one] if plus_one is not None else [])))
                return
            sheet.write_slots(self.slots, self.numbers if numbers else ())
            return
        slots = list(self.slots)
        nums = self.numbers
        if plus_one is not None:
            nums = tuple((c, v + 1 if c == plus_one else v) for c, v in nums)
            slots[plus_one] = cell_xml(plus_one, self.value(plus_one) + 1)
        if drop is not None:
            slots[drop] = None
        sheet.write_slots(tuple(slots), nums if numbers else ())


class Entry:
    """A district record as every monthly workbook needs it, kept instead of its project.

    `versions` holds the enquiry row rendered for each month in which its cells change
    (status, revised figures, a reference shown), as (first month, Row), in month order.
    """

    __slots__ = ("deleted_month", "received_month", "settle_month", "settlement", "versions")

    def __init__(self, world: World, p: Project, rec: Record):
        self.received_month = rm = month_of(rec.received)
        self.deleted_month = rec.deleted_month
        self.versions: list[tuple[int, Row]] = []
        self.settle_month: int | None = None
        self.settlement: Row | None = None
        lo = max(world.start, rm)
        hi = world.end if rec.deleted_month is None else min(world.end, rec.deleted_month - 1)
        rev_from = max(p.revision[0], rec.received) if p.revision else None
        ref_from = rec.ref_from if rec.ref else None
        key = None
        for mi in range(lo, hi + 1):
            end = month_last(mi)
            n = 0
            for s in rec.steps:            # as Record.state_at
                if s.on > end:
                    break
                n += 1
            k = (n, rev_from is not None and rev_from <= end,
                 ref_from is not None and ref_from <= end)
            if k == key:
                continue
            key = k
            tally = _Tally()
            cells = enquiry_cells(world, p, rec, mi, tally)
            like = self.versions[-1][1] if self.versions else None
            self.versions.append((mi, Row(cells, (7, 8, 9), tally.names, like)))
        if rec.settles and p.win and lo <= hi and month_of(p.win.decided_on) <= hi:
            self.settle_month = month_of(p.win.decided_on)
            tally = _Tally()
            self.settlement = Row(settlement_cells(world, p, rec, tally), (4, 5, 6), tally.names)

    def row_at(self, mi: int) -> Row:
        versions = self.versions
        for j in range(len(versions) - 1, -1, -1):
            if versions[j][0] <= mi:
                return versions[j][1]
        raise LookupError(mi)


def write_workbook(world: World, path: Path, mi: int, register: Iterable[Entry],
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
    irregularity = summary.irregularity
    rate = world.rate
    changed = not correction_change
    deleted = 0
    for e in register:
        if e.received_month > mi:
            continue
        if e.deleted_month is not None and e.deleted_month <= mi:
            deleted += 1
            if e.deleted_month == mi and not clean:
                irregularity("district_deleted_record")
            continue
        row = e.row_at(mi)
        if counting is not None:
            for name in row.counts:
                irregularity(name)
        dup = rate(fr, "duplicate_id_in_file")
        missing = rate(fr, "missing_required")
        pick = fr.random()
        plus_one = None
        if not changed and isinstance(row.value(8), (int, float)):
            plus_one = 8
            changed = True
        drop = None
        if missing and not clean:
            drop = (0, 1, 10)[int(pick * 3)]
            irregularity("missing_required")
        if plus_one is None and drop is None:
            enq.write_slots(row.slots, row.numbers) if row.cells is None else row.write(enq)
        else:
            row.write(enq, drop=drop, plus_one=plus_one)
        if dup and not clean:
            row.write(enq, numbers=False, drop=drop, plus_one=plus_one)
            irregularity("duplicate_id_in_file")
        if e.settle_month is not None and e.settle_month <= mi:
            srow = e.settlement
            if counting is not None:
                for name in srow.counts:
                    irregularity(name)
            srow.write(sett)
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
