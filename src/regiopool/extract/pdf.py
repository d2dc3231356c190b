"""The council report (ReportLab platypus), rendered from the same `Table` objects as the XLSX.

Fonts: DejaVu Sans from matplotlib's data directory (offline, covers `•`, `–`, `€`, umlauts).
Reproducible: `invariant=1` (fixed document id) and the creation date derived from the data
status.
"""

from __future__ import annotations

import io
from datetime import datetime
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    CondPageBreak,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as RLTable

from . import charts
from .disclosure import REGION, Status
from .tables import Extract, Kind, Table, format_de, month_name, ytd_label

BERLIN = ZoneInfo("Europe/Berlin")
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
HEAD_BG = colors.HexColor("#DCE6F0")
TOTAL_BG = colors.HexColor("#F2F2F2")
ACCENT = colors.HexColor("#1F4E79")
PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
FRAME_W = PAGE_W - 2 * MARGIN


@cache
def register_fonts() -> None:
    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(ttf / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(ttf / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=12.5)
    return {
        "base": base,
        "small": ParagraphStyle(
            "small", base, fontSize=8, leading=10, textColor=colors.HexColor("#333333")
        ),
        "h1": ParagraphStyle(
            "h1", base, fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=6, textColor=ACCENT
        ),
        "h2": ParagraphStyle(
            "h2",
            base,
            fontName=FONT_BOLD,
            fontSize=12,
            leading=15,
            spaceBefore=4,
            spaceAfter=5,
            textColor=ACCENT,
        ),
        "title": ParagraphStyle(
            "title", base, fontName=FONT_BOLD, fontSize=24, leading=30, textColor=ACCENT
        ),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=14, leading=19),
        "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=10.5),
        "cell_bold": ParagraphStyle(
            "cell_bold", base, fontName=FONT_BOLD, fontSize=8.5, leading=10.5
        ),
        "head": ParagraphStyle("head", base, fontName=FONT_BOLD, fontSize=8, leading=10),
        "head_r": ParagraphStyle(
            "head_r", base, fontName=FONT_BOLD, fontSize=8, leading=10, alignment=TA_RIGHT
        ),
        "kpi_value": ParagraphStyle(
            "kpi_value", base, fontName=FONT_BOLD, fontSize=17, leading=21, textColor=ACCENT
        ),
        "kpi_label": ParagraphStyle("kpi_label", base, fontSize=8, leading=10),
    }


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(text), style)


def _min_width(header: str) -> float:
    """Width that fits the header's longest word (headers wrap between words only)."""
    longest = max((pdfmetrics.stringWidth(w, FONT_BOLD, 8) for w in header.split()), default=0)
    return longest + 14  # the cell padding: 6 pt either side


def _col_widths(table: Table, label_columns: int) -> list[float]:
    nc = len(table.columns)
    if table.sheet == "Definitionen":
        return [45 * mm, FRAME_W - 45 * mm]
    if table.sheet == "Aenderungen":
        return [26 * mm, 54 * mm, 42 * mm, 32 * mm, FRAME_W - 154 * mm]
    if all(c.kind is Kind.TEXT for c in table.columns):  # warnings
        return [38 * mm, 38 * mm, FRAME_W - 76 * mm]
    if table.sheet == "Lieferungen":
        widths = [44 * mm, 34 * mm] + [
            max(16 * mm, _min_width(c.header)) for c in table.columns[1:-1]
        ]
        return widths + [FRAME_W - sum(widths)]
    base = 22 * mm if nc > 1 else 40 * mm
    nums = [max(base, _min_width(c.header)) for c in table.columns]
    return [FRAME_W - sum(nums)] * label_columns + nums


def _table_flowable(table: Table, st: dict) -> RLTable:
    """One table. Tables with two label columns (area, cluster/zoning) are set the way
    statistical offices set them: the area as a heading row, its rows indented below it."""
    nl = len(table.label_headers)
    grouped = nl == 2 and table.is_figures
    shown_labels = 1 if grouped else nl
    label_headers = (
        [f"{table.label_headers[0]} / {table.label_headers[1]}"]
        if grouped
        else list(table.label_headers)
    )
    header = [_p(h, st["head"]) for h in label_headers] + [
        _p(c.header, st["head"] if c.kind is Kind.TEXT else st["head_r"]) for c in table.columns
    ]
    data = [header]
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("ALIGN", (shown_labels, 1), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
    ]
    indent = ParagraphStyle("indent", st["cell"], leftIndent=9)
    indent_bold = ParagraphStyle("indent_bold", st["cell_bold"], leftIndent=9)
    current_group = None
    for row in table.rows:
        bold = row.style in ("subtotal", "total")
        if grouped and row.style != "total" and row.labels[0] != current_group:
            current_group = row.labels[0]
            i = len(data)
            data.append([_p(current_group, st["cell_bold"])] + [""] * len(table.columns))
            style += [("SPAN", (0, i), (-1, i)), ("TOPPADDING", (0, i), (-1, i), 6)]
            if i > 1:
                style.append(("LINEABOVE", (0, i), (-1, i), 0.5, colors.HexColor("#AAAAAA")))
        i = len(data)
        if grouped:
            label = row.labels[0] if row.style == "total" else row.labels[1]
            if row.style == "subtotal":
                label = f"{row.labels[0]} {row.labels[1].lower()}"
            labels = [
                _p(
                    label,
                    st["cell_bold"] if row.style == "total" else indent_bold if bold else indent,
                )
            ]
        else:
            labels = [_p(x, st["cell_bold"] if bold else st["cell"]) for x in row.labels]
        line = labels
        for col, cell in zip(table.columns, row.cells, strict=True):
            shown = cell.display(col.kind)
            line.append(
                _p(shown, st["cell_bold"] if bold else st["cell"])
                if col.kind is Kind.TEXT
                else shown
            )
        data.append(line)
        if bold:
            style.append(("FONT", (0, i), (-1, i), FONT_BOLD, 8.5))
        if row.style == "total":
            style += [
                ("BACKGROUND", (0, i), (-1, i), TOTAL_BG),
                ("LINEABOVE", (0, i), (-1, i), 0.8, colors.black),
            ]
        elif row.style == "subtotal":
            style.append(("LINEABOVE", (0, i), (-1, i), 0.3, colors.HexColor("#888888")))
        elif i % 2 == 0 and not grouped and table.is_figures:
            style.append(("BACKGROUND", (0, i), (-1, i), colors.HexColor("#F7F7F7")))
    t = RLTable(data, colWidths=_col_widths(table, shown_labels), repeatRows=1, hAlign="LEFT")
    t.setStyle(TableStyle(style))
    return t


def _table_block(table: Table, st: dict, heading: bool = True) -> list:
    out = []
    if heading:
        out.append(_p(table.title, st["h2"]))
    out.append(_table_flowable(table, st))
    if table.footnotes:
        out.append(Spacer(1, 3))
        out += [_p(n, st["small"]) for n in table.footnotes]
    out.append(Spacer(1, 8))
    return out


def _image(png: bytes, width: float) -> Image:
    img = Image(io.BytesIO(png))
    ratio = img.imageHeight / img.imageWidth
    img.drawWidth, img.drawHeight = width, width * ratio
    return img


def _key_figures(ex: Extract, st: dict) -> RLTable:
    """'Auf einen Blick': figures that are published in the tables anyway."""
    f, sp = ex.figures, ex.settlement_protection
    proj = next(t for t in ex.tables if t.sheet == "Projekte").rows[-1].cells
    land = next(t for t in ex.tables if t.sheet == "Flaechen").rows[-1].cells
    jobs = sp.cell("jobs_new", REGION)
    jobs_text = jobs.display(Kind.INT)
    items = [
        (proj[0].display(Kind.INT), f"neue Projekte im {month_name(f.month)}"),
        (proj[2].display(Kind.INT), f"gewonnene Projekte {ytd_label(f.month)}"),
        (format_de(sp.counts.get(REGION, 0)), f"Ansiedlungen {ytd_label(f.month)}"),
        (
            jobs_text,
            f"neue Arbeitsplätze {ytd_label(f.month)}"
            + (" (Geheimhaltung)" if jobs.status is Status.SUPPRESSED else ""),
        ),
        (land[1].display(Kind.HA) + " ha", f"freie Gewerbefläche Ende {month_name(f.month)}"),
    ]
    cells = [[_p(v, st["kpi_value"]) for v, _ in items], [_p(k, st["kpi_label"]) for _, k in items]]
    t = RLTable(cells, colWidths=[FRAME_W / len(items)] * len(items), hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#F3F7FB")),
                ("LINEABOVE", (0, 0), (-1, 0), 2, ACCENT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, 0), 8),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
            ]
        )
    )
    return t


def _pdf_date(created: datetime):
    aware = created.replace(tzinfo=BERLIN) if created.tzinfo is None else created
    offset = aware.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    stamp = (
        f"D:{aware:%Y%m%d%H%M%S}{'+' if minutes >= 0 else '-'}"
        f"{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"
    )
    return lambda *_: stamp


def render_pdf(
    ex: Extract, created: datetime, title: str, intro: list[str], extra: list[Table] = ()
) -> bytes:
    register_fonts()
    st = _styles()
    f = ex.figures
    buf = io.BytesIO()
    footer = f"Stadtrat-Bericht Wirtschaftsförderung Region Leipzig · {month_name(f.month)}"
    date_formatter = _pdf_date(created)

    def on_page(canv, doc):
        canv.setDateFormatter(date_formatter)
        canv.saveState()
        canv.setFont(FONT, 7.5)
        canv.setFillColor(colors.HexColor("#555555"))
        canv.drawString(MARGIN, 10 * mm, footer)
        canv.drawRightString(PAGE_W - MARGIN, 10 * mm, f"Seite {doc.page}")
        canv.restoreState()

    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=title,
        author="regiopool",
        subject="Monatlicher KPI-Bericht für den Stadtrat",
        creator="regiopool",
        producer="regiopool (ReportLab)",
        lang="de-DE",
        invariant=1,
    )
    tables = {t.sheet: [] for t in ex.tables}
    for t in ex.tables:
        tables[t.sheet].append(t)

    story: list = [
        Spacer(1, 22 * mm),
        _p("Wirtschaftsförderung Region Leipzig", st["subtitle"]),
        Spacer(1, 3 * mm),
        _p("KPI-Bericht für den Stadtrat", st["title"]),
        Spacer(1, 2 * mm),
        _p(month_name(f.month), st["title"]),
        Spacer(1, 10 * mm),
        _key_figures(ex, st),
        Spacer(1, 9 * mm),
    ]
    for line in intro:
        head, _, rest = line.partition(": ")
        para = Paragraph(f"<b>{escape(head)}:</b> {escape(rest)}", st["base"])
        if head.startswith("Als fehlend akzeptiert"):  # must not be overlooked
            box = RLTable([[para]], colWidths=[FRAME_W], hAlign="LEFT")
            box.setStyle(
                TableStyle(
                    [
                        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#FFF4D6")),
                        ("LINEBEFORE", (0, 0), (0, -1), 3, colors.HexColor("#E69F00")),
                    ]
                )
            )
            para = box
        story += [para, Spacer(1, 3)]
    story += [
        Spacer(1, 8 * mm),
        _p(
            "Gemeinsamer Bericht der Stadt Leipzig (Amt für Wirtschaftsförderung), des Landkreises "
            "Leipzig und der Invest Region Leipzig GmbH aus dem gemeinsamen Datenbestand "
            "regiopool. Ein Projekt, das mehrere Agenturen betreuen, zählt einmal.",
            st["small"],
        ),
        Spacer(1, 2),
        _p(
            "Arbeitsplätze und Investitionen einzelner Investoren sind Geschäftsgeheimnisse: "
            "Werte, die Rückschlüsse auf einzelne Ansiedlungen erlauben, sind mit • gesperrt. "
            "Die Tabellen stehen auch als Arbeitsmappe (XLSX) zur Verfügung.",
            st["small"],
        ),
        Spacer(1, 8 * mm),
        _p("Inhalt", st["h2"]),
        _p(
            ("Geänderte Werte · " if extra else "")
            + "Projekte und Verlustgründe · Ansiedlungen · Gewerbeflächen · Definitionen · "
            "Lieferungen und Datenqualität",
            st["base"],
        ),
        PageBreak(),
    ]
    for t in extra:  # the changes of a revision come first
        story += _table_block(t, st)
        story.append(PageBreak())

    months = f.chart_months
    span = f"{month_name(months[0])} bis {month_name(months[-1])}"

    def chart(title: str, png: bytes, note: str | None = None) -> KeepTogether:
        parts = [_p(title, st["h2"]), _p(span, st["small"]), _image(png, FRAME_W)]
        if note:
            parts.append(_p(note, st["small"]))
        return KeepTogether(parts)

    story += [_p("Projekte", st["h1"])]
    story += _table_block(tables["Projekte"][0], st)
    story += _table_block(tables["Verlustgruende"][0], st)
    story.append(chart("Neue Projekte je Monat nach Cluster", charts.new_projects_chart(ex)))
    story.append(PageBreak())
    story += [_p("Ansiedlungen", st["h1"])]
    story += _table_block(tables["Ansiedlungen"][0], st)
    story.append(
        chart(
            "Ansiedlungen je Monat nach Gebiet und neue Arbeitsplätze (Region)",
            charts.settlements_chart(ex),
            "• Monat gesperrt (Geheimhaltung): Die neuen Arbeitsplätze dieses Monats beruhen auf "
            "einer oder zwei Ansiedlungen, werden von einer Ansiedlung dominiert oder ließen sich "
            "aus der veröffentlichten Jahressumme errechnen.",
        )
    )
    story.append(PageBreak())
    story += [_p("Gewerbeflächen", st["h1"])]
    story += _table_block(tables["Flaechen"][0], st)
    story.append(
        chart("Freie Gewerbefläche am Monatsende nach Gebiet (ha)", charts.free_land_chart(ex))
    )
    story.append(PageBreak())
    story += [_p("Definitionen", st["h1"])]
    story += _table_block(tables["Definitionen"][0], st, heading=False)
    story.append(CondPageBreak(90 * mm))  # deliveries follow on the same page where they fit
    story += [_p("Lieferungen und Datenqualität", st["h1"])]
    for t in tables["Lieferungen"]:
        story += _table_block(t, st)

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buf.getvalue()
