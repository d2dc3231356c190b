"""The council workbook (XlsxWriter), rendered from the same `Table` objects as the PDF.

Numbers are real numeric cells holding the published (rounded) value, with a thousands
separator and fixed decimals; Excel and LibreOffice show them in the reader's locale, so a German
installation shows `1.234,5`. Symbols (`•`, `–`, `k. A.`) are text cells, right-aligned.
The file is byte-for-byte reproducible: in-memory packaging (fixed zip timestamps) and a creation
date derived from the data status.
"""

from __future__ import annotations

import io
from datetime import datetime

import xlsxwriter

from .tables import Extract, Kind, Table

NUMBER_FORMATS = {
    Kind.INT: "#,##0",
    Kind.HA: "#,##0.0",
    Kind.MIO: "#,##0.0",
    Kind.DELTA_INT: "+#,##0;-#,##0;0",
    Kind.DELTA_HA: "+#,##0.0;-#,##0.0;0.0",
}
SHEET_ORDER = (
    "Projekte",
    "Ansiedlungen",
    "Flaechen",
    "Verlustgruende",
    "Definitionen",
    "Lieferungen",
    "Aenderungen",
)


def render_xlsx(
    extract: Extract, created: datetime, title: str, intro: list[str], extra: list[Table] = ()
) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties(
        {
            "title": title,
            "subject": "Monatlicher KPI-Bericht für den Stadtrat",
            "author": "regiopool",
            "company": "Kooperation Wirtschaftsförderung Region Leipzig",
            "created": created,
            "keywords": "Stadtrat, KPI, Ansiedlungen, Gewerbeflächen",
        }
    )
    base = {"font_name": "Arial", "font_size": 10, "valign": "top"}
    fmt = {
        "title": wb.add_format({**base, "bold": True, "font_size": 13}),
        "intro": wb.add_format({**base, "italic": True, "font_color": "#444444"}),
        "header": wb.add_format(
            {
                **base,
                "bold": True,
                "text_wrap": True,
                "bg_color": "#DCE6F0",
                "bottom": 1,
                "valign": "bottom",
            }
        ),
        "header_num": wb.add_format(
            {
                **base,
                "bold": True,
                "text_wrap": True,
                "align": "right",
                "bg_color": "#DCE6F0",
                "bottom": 1,
                "valign": "bottom",
            }
        ),
        "note": wb.add_format({**base, "font_size": 9, "font_color": "#444444"}),
    }
    cell_formats: dict[tuple, object] = {}

    def cell_format(kind: Kind | None, style: str, symbol: bool = False, wrap: bool = False):
        key = (kind, style, symbol, wrap)
        if key not in cell_formats:
            props = dict(base)
            if style in ("subtotal", "total"):
                props["bold"] = True
            if style == "total":
                props["top"] = 1
                props["bg_color"] = "#F2F2F2"
            if kind not in (None, Kind.TEXT):
                props["align"] = "right"
                if not symbol:
                    props["num_format"] = NUMBER_FORMATS[kind]
            if wrap:
                props["text_wrap"] = True
            cell_formats[key] = wb.add_format(props)
        return cell_formats[key]

    sheets = extract.sheets()
    for t in extra:
        sheets.setdefault(t.sheet, []).append(t)
    for name in sorted(sheets, key=lambda s: SHEET_ORDER.index(s) if s in SHEET_ORDER else 99):
        ws = wb.add_worksheet(name)
        r = 0
        if name == "Projekte":
            ws.write(r, 0, title, fmt["title"])
            r += 1
            for line in intro:
                ws.write(r, 0, line, fmt["intro"])
                r += 1
            r += 1
        widths: dict[int, float] = {}

        def fit(column: int, chars: int, widths: dict = widths) -> None:
            """Column width from its content (wrapped text columns stop at 60 characters)."""
            widths[column] = max(widths.get(column, 10), min(chars * 1.1 + 2, 60))

        for ti, table in enumerate(sheets[name]):
            if ti:
                r += 2
            ws.write(r, 0, table.title, fmt["title"])
            r += 1
            nl = len(table.label_headers)
            for c, h in enumerate(table.label_headers):
                ws.write(r, c, h, fmt["header"])
                fit(c, max(len(w) for w in h.split()))
            for j, col in enumerate(table.columns):
                is_text = col.kind is Kind.TEXT
                ws.write(r, nl + j, col.header, fmt["header" if is_text else "header_num"])
                fit(nl + j, max(len(w) for w in col.header.split()) + 1)
                for row in table.rows:
                    fit(nl + j, len(row.cells[j].display(col.kind)))
            for row in table.rows:
                for c, label in enumerate(row.labels):
                    # the definitions' terms wrap (their cells have text_wrap)
                    fit(c, min(len(label), 28) if name == "Definitionen" else len(label))
            ws.set_row(r, 42)
            if ti == 0 and name != "Projekte":  # Projekte is short and starts with the intro
                ws.freeze_panes(r + 1, nl)
            r += 1
            for row in table.rows:
                for c, label in enumerate(row.labels):
                    f = cell_format(None, row.style, wrap=name == "Definitionen")
                    if label:
                        ws.write_string(r, c, label, f)
                    else:
                        ws.write_blank(r, c, None, f)
                for j, (col, cell) in enumerate(zip(table.columns, row.cells, strict=True)):
                    number = cell.number(col.kind)
                    if number is not None:
                        value = (
                            int(number)
                            if number == number.to_integral_value()
                            and col.kind in (Kind.INT, Kind.DELTA_INT)
                            else float(number)
                        )
                        ws.write_number(r, nl + j, value, cell_format(col.kind, row.style))
                    else:
                        ws.write_string(
                            r,
                            nl + j,
                            cell.display(col.kind),
                            cell_format(
                                col.kind, row.style, symbol=True, wrap=col.kind is Kind.TEXT
                            ),
                        )
                r += 1
            for note in table.footnotes:
                ws.write_string(r, 0, note, fmt["note"])
                r += 1
        for c, w in widths.items():
            ws.set_column(c, c, w)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.set_header(f"&L&8{title}&R&8&A")
        ws.set_footer("&R&8Seite &P von &N")
    wb.close()
    return buf.getvalue()
