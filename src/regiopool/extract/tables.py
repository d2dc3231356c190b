"""The tables of the council extract, after disclosure control, as one display model.

PDF and XLSX both render these `Table` objects, so they show the same cells: the same
suppression pattern, the same rounding, the same labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from functools import cache
from importlib import resources

import yaml

from . import disclosure
from .disclosure import REGION, Group, Status, area_key, cluster_key
from .figures import CORE_AREAS, MEASURES, Figures, add_months, area_order

MONTHS_DE = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
MONTHS_DE_SHORT = (
    "Jan.",
    "Feb.",
    "März",
    "Apr.",
    "Mai",
    "Juni",
    "Juli",
    "Aug.",
    "Sep.",
    "Okt.",
    "Nov.",
    "Dez.",
)
MINUS = "\u2212"


@cache
def texts() -> dict:
    """The German texts (definitions, labels, footnotes): texts_de.yaml."""
    raw = resources.files(__package__).joinpath("texts_de.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(raw)


def month_name(m: date) -> str:
    return f"{MONTHS_DE[m.month - 1]} {m.year}"


def ytd_label(m: date) -> str:
    return f"Jan.–{MONTHS_DE_SHORT[m.month - 1]} {m.year}" if m.month > 1 else month_name(m)


def partner_name(pid: str, short: bool = True) -> str:
    entry = texts()["partners"].get(pid)
    return entry["short" if short else "name"] if entry else pid


def partner_order(pid: str) -> tuple:
    known = list(texts()["partners"])
    return (known.index(pid) if pid in known else len(known), pid)


# --- cells ---------------------------------------------------------------------------------


class Kind(str, Enum):
    TEXT = "text"
    INT = "int"  # counts and jobs
    HA = "ha"  # hectares, one decimal
    MIO = "mio"  # euro shown in million euro, one decimal
    DELTA_INT = "delta_int"
    DELTA_HA = "delta_ha"


DECIMALS = {Kind.INT: 0, Kind.HA: 1, Kind.MIO: 1, Kind.DELTA_INT: 0, Kind.DELTA_HA: 1}
SYMBOL = {
    Status.SUPPRESSED: "•",
    Status.EMPTY: "–",
    Status.UNKNOWN: "k. A.",
}


def round_half_away(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_de(value: Decimal | int, decimals: int = 0, sign: bool = False) -> str:
    """German number format: `1.234,5`; with `sign`, `+1.234` / `−1.234`."""
    v = round_half_away(Decimal(value), decimals)
    text = f"{abs(v):,.{decimals}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    if v < 0:
        return MINUS + text
    if sign and v > 0:
        return "+" + text
    return text


@dataclass(frozen=True)
class Cell:
    status: Status
    value: Decimal | int | str | None = None  # exact value (numbers), or the text

    def number(self, kind: Kind) -> Decimal | None:
        """The published (rounded) number, or None where the cell shows a symbol or text."""
        if kind is Kind.TEXT or self.status not in (Status.VALUE, Status.ZERO):
            return None
        v = Decimal(self.value or 0)
        if kind is Kind.MIO:
            v = v / Decimal(1_000_000)
        return round_half_away(v, DECIMALS[kind])

    def display(self, kind: Kind) -> str:
        if kind is Kind.TEXT:
            return "" if self.value is None else str(self.value)
        if self.status in SYMBOL:
            return SYMBOL[self.status]
        if self.status is Status.ZERO and kind not in (Kind.DELTA_INT, Kind.DELTA_HA):
            return "0"
        n = self.number(kind)
        return format_de(n, DECIMALS[kind], sign=kind in (Kind.DELTA_INT, Kind.DELTA_HA))


def text(s: str | None) -> Cell:
    return Cell(Status.VALUE, s)


def count(n: int | None) -> Cell:
    return Cell(Status.UNKNOWN) if n is None else Cell(Status.VALUE, int(n))


def amount(v: Decimal | None) -> Cell:
    return Cell(Status.UNKNOWN) if v is None else Cell(Status.VALUE, Decimal(v))


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind


@dataclass(frozen=True)
class Row:
    labels: tuple[str, ...]
    cells: tuple[Cell, ...]
    style: str = "normal"  # normal | subtotal | total

    @property
    def label(self) -> str:
        return " / ".join(x for x in self.labels if x)


@dataclass
class Table:
    sheet: str
    title: str
    label_headers: tuple[str, ...]
    columns: tuple[Column, ...]
    rows: list[Row]
    footnotes: list[str] = field(default_factory=list)
    is_figures: bool = True  # compared between revisions

    def cells(self) -> dict[tuple[str, str], str]:
        """(row label, column header) -> displayed text."""
        out = {}
        for row in self.rows:
            for col, cell in zip(self.columns, row.cells, strict=True):
                out[(row.label, col.header)] = cell.display(col.kind)
        return out


# --- Projekte ------------------------------------------------------------------------------


def projects_table(f: Figures) -> Table:
    m = f.month
    keys = ("new_m", "new_ytd", "won_ytd", "lost_ytd", "open_eom")
    cols = (
        Column(f"Neue Projekte {month_name(m)}", Kind.INT),
        Column(f"Neue Projekte {ytd_label(m)}", Kind.INT),
        Column(f"Gewonnen {ytd_label(m)}", Kind.INT),
        Column(f"Verloren {ytd_label(m)}", Kind.INT),
        Column(f"Offen Ende {month_name(m)}", Kind.INT),
    )
    rows = []
    totals: dict[str, int | None] = dict.fromkeys(keys, 0)
    for code, name in f.clusters:
        vals = f.projects.get(code, {})
        rows.append(Row((name,), tuple(count(vals.get(k)) for k in keys)))
        for k in keys:
            v = vals.get(k)
            totals[k] = None if v is None or totals[k] is None else totals[k] + v
    rows.append(Row(("Insgesamt",), tuple(count(totals[k]) for k in keys), "total"))
    return Table(
        "Projekte",
        f"Projekte nach Cluster, {month_name(m)}",
        ("Cluster",),
        cols,
        rows,
        ["Ein regionales Projekt zählt einmal, auch wenn mehrere Agenturen es betreuen."],
    )


# --- Ansiedlungen --------------------------------------------------------------------------


@dataclass
class SettlementProtection:
    """The settlement table's values and suppression pattern, per measure."""

    areas: list[str]
    clusters: list[str]
    counts: dict[tuple, int]
    values: dict[str, dict[tuple, disclosure.CellValue]]
    protection: dict[str, disclosure.Protection]

    def cell(self, measure: str, key: tuple) -> Cell:
        if key in self.protection[measure].suppressed:
            return Cell(Status.SUPPRESSED)
        v = self.values[measure][key]
        return Cell(v.status, v.value)


def protect_settlements(settlements, areas, clusters) -> SettlementProtection:
    contributions = {m: {} for m in MEASURES}
    counts: dict[tuple, int] = {}
    for s in settlements:
        for m in MEASURES:
            contributions[m].setdefault((s.area, s.cluster), []).append(getattr(s, m))
        for key in (cluster_key(s.area, s.cluster), area_key(s.area), REGION):
            counts[key] = counts.get(key, 0) + 1
    values, protection = {}, {}
    for m in MEASURES:
        values[m], protection[m] = disclosure.protect_settlement_measure(
            contributions[m], areas, clusters
        )
    return SettlementProtection(list(areas), list(clusters), counts, values, protection)


SETTLEMENT_FOOTNOTES = ("suppressed", "empty", "zero", "unknown")


def settlements_table(f: Figures, sp: SettlementProtection) -> Table:
    m = f.month
    cols = (
        Column("Ansiedlungen", Kind.INT),
        Column("Neue Arbeitsplätze", Kind.INT),
        Column("Gesicherte Arbeitsplätze", Kind.INT),
        Column("Investitionen (Mio. €)", Kind.MIO),
    )

    def row(labels, key, style="normal"):
        n = sp.counts.get(key, 0)
        cells = (Cell(Status.VALUE, n) if n else Cell(Status.EMPTY),) + tuple(
            sp.cell(measure, key) for measure in MEASURES
        )
        return Row(labels, cells, style)

    rows = []
    for area in f.settlement_areas:
        for code, name in f.clusters:
            rows.append(row((area, name), cluster_key(area, code)))
        rows.append(row((area, "Insgesamt"), area_key(area), "subtotal"))
    rows.append(row(("Region insgesamt", ""), REGION, "total"))
    fn = texts()["footnotes"]
    return Table(
        "Ansiedlungen",
        f"Ansiedlungen nach Gebiet und Cluster, {ytd_label(m)}",
        ("Gebiet", "Cluster"),
        cols,
        rows,
        [fn[k] for k in SETTLEMENT_FOOTNOTES],
    )


# --- Flächen -------------------------------------------------------------------------------


def land_table(f: Figures) -> Table:
    m, prev = f.month, add_months(f.month, -1)
    zlabels = texts()["zoning"]
    cols = (
        Column(f"Verfügbare Flächen Ende {month_name(m)}", Kind.INT),
        Column("Freie Fläche (ha)", Kind.HA),
        Column("Veränderung Flächen ggü. Vormonat", Kind.DELTA_INT),
        Column("Veränderung ha ggü. Vormonat", Kind.DELTA_HA),
    )
    cur, old = f.land.get(m, {}), f.land.get(prev, {})

    def agg(cells):
        cells = list(cells)
        sites = sum(c.sites for c in cells)
        has = [c.free_ha for c in cells if c.free_ha is not None]
        return sites, (sum(has, Decimal(0)) if has else (Decimal(0) if not cells else None))

    def row(labels, now_cells, old_cells, style="normal"):
        s1, h1 = agg(now_cells)
        s0, h0 = agg(old_cells)
        delta_h = None if h1 is None or h0 is None else h1 - h0
        return Row(
            labels,
            (
                count(s1),
                amount(h1),
                Cell(Status.VALUE, s1 - s0),
                amount(delta_h),
            ),
            style,
        )

    rows, stand_in = [], False
    for area in f.land_areas:
        zonings = sorted({z for (a, z) in (*cur, *old) if a == area})
        for z in zonings:
            c = cur.get((area, z))
            label = zlabels.get(z, z)
            if c is not None and c.stand_in:
                label += " ¹"
                stand_in = True
            rows.append(
                row((area, label), [c] if c else [], [old[(area, z)]] if (area, z) in old else [])
            )
        rows.append(
            row(
                (area, "Insgesamt"),
                [c for (a, _), c in cur.items() if a == area],
                [c for (a, _), c in old.items() if a == area],
                "subtotal",
            )
        )
    rows.append(row(("Region insgesamt", ""), cur.values(), old.values(), "total"))
    notes = ["Verfügbar: Status frei/verfügbar und freie Fläche bekannt und größer null."]
    if stand_in:
        notes.append(texts()["footnotes"]["standin"])
    return Table(
        "Flaechen",
        f"Verfügbare Gewerbeflächen Ende {month_name(m)}",
        ("Gebiet", "Nutzungsart"),
        cols,
        rows,
        notes,
    )


# --- Verlustgründe -------------------------------------------------------------------------


def lost_reasons_table(f: Figures) -> Table:
    labels = texts()["lost_reasons"]
    reasons = list(labels) + sorted(set(f.lost_reasons) - set(labels))
    rows = [Row((labels.get(r, r),), (count(f.lost_reasons.get(r, 0)),)) for r in reasons]
    rows.append(Row(("Insgesamt",), (count(sum(f.lost_reasons.values())),), "total"))
    return Table(
        "Verlustgruende",
        f"Verlorene Projekte nach Verlustgrund, {ytd_label(f.month)}",
        ("Verlustgrund",),
        (Column(f"Verlorene Projekte {ytd_label(f.month)}", Kind.INT),),
        rows,
    )


# --- Definitionen, Lieferungen -------------------------------------------------------------


def definitions_table() -> Table:
    rows = [Row((d["term"],), (text(" ".join(d["text"].split())),)) for d in texts()["definitions"]]
    return Table(
        "Definitionen",
        "Definitionen",
        ("Begriff",),
        (Column("Definition", Kind.TEXT),),
        rows,
        is_figures=False,
    )


def format_timestamp(ts: datetime | None) -> str:
    return ts.strftime("%d.%m.%Y %H:%M") if ts else "–"


def deliveries_table(f: Figures, gate: dict) -> Table:
    accepted = set(gate.get("accepted_missing_partners") or [])
    rows = []
    seen = set()
    for d in sorted(f.deliveries, key=lambda d: partner_order(d["partner"])):
        seen.add(d["partner"])
        if d["delivered"]:
            status = "ja"
        elif d["partner"] in accepted:
            status = "nein (als fehlend akzeptiert)"
        else:
            status = "nein"
        rows.append(
            Row(
                (partner_name(d["partner"]),),
                (
                    text(status),
                    count(d["files"]),
                    count(d["rows_loaded"]),
                    count(d["rows_rejected"]),
                    text(format_timestamp(d["last_delivery_at"])),
                ),
            )
        )
    for p in sorted(accepted - seen, key=partner_order):
        rows.append(
            Row(
                (partner_name(p),),
                (text("nein (als fehlend akzeptiert)"), count(0), count(0), count(0), text("–")),
            )
        )
    return Table(
        "Lieferungen",
        f"Lieferungen für {month_name(f.month)}",
        ("Partner",),
        (
            Column("Geliefert", Kind.TEXT),
            Column("Dateien", Kind.INT),
            Column("Zeilen geladen", Kind.INT),
            Column("Zeilen zurückgestellt", Kind.INT),
            Column("Letzte Lieferung", Kind.TEXT),
        ),
        rows,
        [
            "Zurückgestellte Zeilen werden mit ihrem Grund aufbewahrt und nach Korrektur nachgeladen."
        ],
    )


def warnings_table(gate: dict) -> Table:
    from .privacy import redact

    rows = [
        Row(
            (redact(w.get("check") or ""),),
            (
                text(partner_name(w["partner"]) if w.get("partner") else "–"),
                text(redact(w.get("message") or "")),
            ),
        )
        for w in gate.get("warnings") or []
    ]
    if not rows:
        rows = [Row(("keine",), (text("–"), text("Die Qualitätsprüfung meldet keine Warnungen.")))]
    return Table(
        "Lieferungen",
        "Hinweise der Datenqualitätsprüfung",
        ("Prüfung",),
        (Column("Partner", Kind.TEXT), Column("Hinweis", Kind.TEXT)),
        rows,
        is_figures=False,
    )


# --- all of it -----------------------------------------------------------------------------


@dataclass
class Extract:
    figures: Figures
    gate: dict
    settlement_protection: SettlementProtection
    tables: list[Table]
    jobs_series: list[int | None]  # new jobs per chart month; None: not shown
    jobs_hidden: list[bool]  # True where the month is suppressed

    def sheets(self) -> dict[str, list[Table]]:
        out: dict[str, list[Table]] = {}
        for t in self.tables:
            out.setdefault(t.sheet, []).append(t)
        return out

    def published_cells(self) -> dict[str, dict[str, dict[str, str]]]:
        """sheet -> row label -> column -> displayed text, for the figures tables."""
        out: dict[str, dict[str, dict[str, str]]] = {}
        for t in self.tables:
            if not t.is_figures:
                continue
            sheet = out.setdefault(t.sheet, {})
            for (row, col), v in t.cells().items():
                sheet.setdefault(row, {})[col] = v
        return out


def _year_region_state(f: Figures, year: int, clusters: list[str]) -> bool:
    """Whether the region total of new jobs is suppressed in the year's (December or M) table."""
    settl = [s for s in f.history if s.decided_on.year == year]
    areas = area_order(set(CORE_AREAS) | {s.area for s in settl})
    sp = protect_settlements(settl, areas, clusters)
    return REGION in sp.protection["jobs_new"].suppressed


def jobs_chart_series(f: Figures, clusters: list[str]) -> tuple[list[int | None], list[bool]]:
    """New jobs per chart month (region), protected like a published group.

    Each calendar year's months and the year's total (published in the year's December
    extract, or this extract's region total) form a group: the §5 rules run over it with the
    total pinned to its published state, so no hidden month can be derived from the total and
    the shown months.
    """
    contributions: dict[date, list] = {}
    for s in f.history:
        contributions.setdefault(date(s.decided_on.year, s.decided_on.month, 1), []).append(
            s.jobs_new
        )
    hidden: set[date] = set()
    values: dict[date, disclosure.CellValue] = {}
    for year in sorted({m.year for m in f.chart_months}):
        last = 12 if year < f.month.year else f.month.month
        months = [date(year, i, 1) for i in range(1, last + 1)]
        cells = {m: contributions.get(m, []) for m in months}
        total = ("year", year)
        cells[total] = [c for m in months for c in cells[m]]
        pinned = {total: _year_region_state(f, year, clusters)}
        prot = disclosure.protect(cells, [Group(total, tuple(months))], lambda k: (str(k),), pinned)
        if prot.conflicts:
            hidden.update(months)
        else:
            hidden.update(k for k in prot.suppressed if k != total)
        values.update({m: disclosure.evaluate(cells[m]) for m in months})
    series, mask = [], []
    for m in f.chart_months:
        v = values.get(m)
        if m in hidden:
            series.append(None)
            mask.append(True)
        elif v is None or v.status is Status.UNKNOWN:
            series.append(None)
            mask.append(False)
        else:
            series.append(int(v.value or 0))
            mask.append(False)
    return series, mask


def build_extract(f: Figures, gate: dict) -> Extract:
    clusters = [c for c, _ in f.clusters]
    sp = protect_settlements(f.settlements, f.settlement_areas, clusters)
    tables = [
        projects_table(f),
        settlements_table(f, sp),
        land_table(f),
        lost_reasons_table(f),
        definitions_table(),
        deliveries_table(f, gate),
        warnings_table(gate),
    ]
    series, mask = jobs_chart_series(f, clusters)
    return Extract(f, gate, sp, tables, series, mask)
