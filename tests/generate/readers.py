"""Independent readers of the partner files (stdlib csv/json and openpyxl only)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import openpyxl

BOM = b"\xef\xbb\xbf"


def csv_encoding(raw: bytes) -> str:
    return "utf-8-sig" if raw.startswith(BOM) else "cp1252"


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    raw = path.read_bytes()
    text = raw.decode(csv_encoding(raw))
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"'))
    return rows[0], rows[1:]


def read_dict_csv(path: Path) -> list[dict[str, str]]:
    header, rows = read_csv(path)
    return [dict(zip(header, r)) for r in rows if len(r) == len(header)]


def read_jsonl(path: Path) -> tuple[list[dict], int]:
    """(events, number of lines that are not valid JSON)."""
    events, bad = [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            bad += 1
    return events, bad


def read_sheet(path: Path, sheet: str, first_header: str) -> dict:
    """Title, Stand, header (found by its first cell), records, and the Summe row if any."""
    wb = openpyxl.load_workbook(path, read_only=True)
    ws = wb[sheet]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == first_header)
    header = [c for c in rows[header_at] if c is not None]
    records, summe, empty_rows = [], None, 0
    for r in rows[header_at + 1:]:
        if all(c is None for c in r):
            empty_rows += 1
            continue
        if r[0] == "Summe":
            summe = r
            continue
        records.append(dict(zip(header, r)))
    return {"title": rows[0][0], "stand": rows[1][0], "header_row": header_at + 1,
            "header": header, "records": records, "summe": summe, "empty_rows": empty_rows}


# ---- CATALOGUE.md §1.1 company name normalisation (written from the text, for the tests) ----
LEGAL_FORMS = ["gmbh co kg", "gmbh co kgaa", "ag co kg", "gmbh", "mbh", "ag", "se", "kg", "kgaa",
               "ohg", "gbr", "eg", "ev", "e v", "ug haftungsbeschraenkt", "ug", "e k", "ek",
               "ltd", "limited", "inc", "llc", "plc", "s a", "sa", "s p a", "spa", "b v", "bv",
               "n v", "nv", "sp z o o", "s r o", "a s", "as"]


def normalise_company(name: str) -> str:
    s = name.lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        s = s.replace(a, b)
    s = re.sub(r"[^0-9a-z]+", " ", s).strip()
    changed = True
    while changed:
        changed = False
        for form in LEGAL_FORMS:
            if s.endswith(" " + form):
                s = s[: -len(form) - 1].strip()
                changed = True
    return s


_REG = re.compile(r"\b(HRA|HRB|GnR|PR|VR)\s*0*(\d+)(\s+[A-Z]\b)?", re.IGNORECASE)


def register_key(entry: str, court: str | None = None) -> tuple[str, str, str] | None:
    """(type, number+suffix, normalised court) per §1.1, court from the field or the cell."""
    m = _REG.search(entry or "")
    if not m:
        return None
    kind, number, suffix = m.group(1).upper(), m.group(2), (m.group(3) or "").strip().upper()
    rest = court if court is not None else (entry[: m.start()] + " " + entry[m.end():])
    rest = re.sub(r"\b(Amtsgericht|AG|Registergericht)\b", " ", rest or "")
    return kind, number + suffix, normalise_company(rest)
