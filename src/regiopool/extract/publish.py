"""Publishing: the gate, revisions, the manifest, and crash-safe writes (CATALOGUE §5).

A published extract (its files and manifest) is never changed. A rebuild whose published cells
equal those of the latest revision writes nothing; one whose cells differ writes the next
revision (`_r2`, `_r3`, …) beside the first, with the changed cells in its manifest, on a page of
its PDF and on a sheet `Aenderungen` of its workbook. A revision is published when its manifest
exists; the manifest is written last, so a crash leaves at most unpublished files, which the next
run replaces.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import duckdb

from .figures import BERLIN, add_months, compute_figures, month_start
from .pdf import render_pdf
from .privacy import redact_gate
from .tables import (
    Column,
    Extract,
    Kind,
    Row,
    Table,
    build_extract,
    month_name,
    partner_name,
    partner_order,
)
from .tables import text as text_cell
from .xlsx import render_xlsx

MANIFEST_VERSION = 1

log = logging.getLogger(__name__)


class ExtractBlocked(RuntimeError):
    """The quality gate for the month has not passed: nothing is published."""


@dataclass(frozen=True)
class ExtractResult:
    month: date
    revision: int
    pdf: Path
    xlsx: Path
    manifest: Path
    written: bool  # False: the figures equal the latest revision, nothing was written
    changes: list[dict] = field(default_factory=list)
    # republish only: why the month was not recomputed (its gate does not pass now); the
    # paths are then those of its latest published revision, which stands
    skipped: str | None = None


def stem(month: date, revision: int) -> str:
    base = f"Stadtrat_KPI_{month:%Y-%m}"
    return base if revision == 1 else f"{base}_r{revision}"


def manifest_name(revision: int) -> str:
    return "manifest.json" if revision == 1 else f"manifest_r{revision}.json"


def published_revisions(month_dir: Path) -> list[int]:
    revs = []
    if (month_dir / "manifest.json").exists():
        revs.append(1)
    for p in month_dir.glob("manifest_r*.json"):
        n = p.stem.removeprefix("manifest_r")
        if n.isdigit():
            revs.append(int(n))
    return sorted(revs)


def check_gate(gate: dict, month: date) -> None:
    gate_month = gate.get("month")
    if gate_month and gate_month != f"{month:%Y-%m}":
        raise ValueError(f"gate result is for {gate_month}, not for {month:%Y-%m}")
    if gate.get("passed") is True:
        return
    blocking = gate.get("blocking") or []
    detail = (
        "; ".join(
            f"{b.get('check')}"
            + (f" (partner {b['partner']})" if b.get("partner") else "")
            + (f": {b['message']}" if b.get("message") else "")
            for b in blocking
        )
        or "no blocking check named"
    )
    partners = sorted({b["partner"] for b in blocking if b.get("partner")})
    raise ExtractBlocked(
        f"council extract {month:%Y-%m} not published: the quality gate did not pass "
        f"(failed checks: {detail}"
        + (f"; partners: {', '.join(partners)}" if partners else "")
        + ")"
    )


def document_date(extract: Extract) -> datetime:
    """The files' creation date: the data status (latest delivery for M), else the first
    moment after M. Derived from the data, so that a rebuild gives the same bytes."""
    status = extract.figures.data_status
    if status is not None:
        return status.replace(tzinfo=None, microsecond=0)
    return datetime.combine(add_months(extract.figures.month, 1), time(0, 0))


def data_status(extract: Extract) -> dict:
    gate = extract.gate
    status = extract.figures.data_status
    return {
        "latest_delivery_at": status.isoformat() if status else None,
        "partners": [
            {
                "partner": d["partner"],
                "delivered": bool(d["delivered"]),
                "last_delivery_at": d["last_delivery_at"].isoformat()
                if d["last_delivery_at"]
                else None,
            }
            for d in extract.figures.deliveries
        ],
        "accepted_missing_partners": sorted(gate.get("accepted_missing_partners") or []),
    }


def intro_lines(extract: Extract, revision: int, changed: int = 0) -> list[str]:
    f, gate = extract.figures, extract.gate
    status = f.data_status
    delivered = [
        f"{partner_name(d['partner'])} ({d['last_delivery_at']:%d.%m.%Y})"
        if d["last_delivery_at"]
        else partner_name(d["partner"])
        for d in sorted(f.deliveries, key=lambda d: partner_order(d["partner"]))
        if d["delivered"]
    ]
    lines = [
        f"Berichtsmonat: {month_name(f.month)}"
        + (
            f" – Revision {revision}: {changed} geänderte Werte (siehe „Geänderte Werte“)"
            if revision > 1
            else ""
        ),
        "Datenstand: "
        + (
            f"{status:%d.%m.%Y %H:%M} Uhr (letzte Lieferung für den Monat)"
            if status
            else "keine Lieferung für den Monat"
        ),
        "Geliefert haben: " + (", ".join(delivered) if delivered else "niemand"),
    ]
    # a partner accepted as missing that has delivered since (a revision carries the first
    # publication's acceptance, see republish) is listed under "Geliefert haben" only
    delivered_now = {d["partner"] for d in f.deliveries if d["delivered"]}
    accepted = [p for p in gate.get("accepted_missing_partners") or [] if p not in delivered_now]
    if accepted:
        lines.append(
            "Als fehlend akzeptiert (ohne Lieferung für den Monat): "
            + ", ".join(partner_name(p) for p in sorted(accepted, key=partner_order))
        )
    n_warn = len(gate.get("warnings") or [])
    hints = "ohne Hinweise" if not n_warn else f"{n_warn} Hinweis{'e' if n_warn > 1 else ''}"
    lines.append(
        "Datenqualitätsprüfung: bestanden, "
        + hints
        + (" (siehe Lieferungen und Datenqualität)" if n_warn else "")
    )
    return lines


def diff_cells(old: dict, new: dict) -> list[dict]:
    changes = []
    for sheet in sorted(set(old) | set(new)):
        o_rows, n_rows = old.get(sheet, {}), new.get(sheet, {})
        for row in list(n_rows) + [r for r in o_rows if r not in n_rows]:
            o, n = o_rows.get(row, {}), n_rows.get(row, {})
            for col in list(n) + [c for c in o if c not in n]:
                if o.get(col) != n.get(col):
                    changes.append(
                        {
                            "sheet": sheet,
                            "row": row,
                            "column": col,
                            "old": o.get(col),
                            "new": n.get(col),
                        }
                    )
    return changes


def changes_table(changes: list[dict], previous: int) -> Table:
    rows = [
        Row(
            (c["sheet"], c["row"], c["column"]),
            (
                text_cell(c["old"] if c["old"] is not None else "(nicht enthalten)"),
                text_cell(c["new"] if c["new"] is not None else "(entfallen)"),
            ),
        )
        for c in changes
    ]
    prev = "Erstausgabe" if previous == 1 else f"Revision {previous}"
    return Table(
        "Aenderungen",
        f"Geänderte Werte gegenüber der {prev}",
        ("Tabelle", "Zeile", "Spalte"),
        (Column(f"Bisher ({prev})", Kind.TEXT), Column("Neu", Kind.TEXT)),
        rows,
        [
            (
                "Diese Werte haben spätere Lieferungen der Agenturen geändert; alle übrigen Werte "
                "der Tabellen sind unverändert."
            )
        ],
        is_figures=False,
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all (temp file, fsync, rename), with the permissions an
    ordinary file gets (mkstemp's temp files are private: 0600)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def render(
    extract: Extract, revision: int, changes: list[dict] | None = None, previous: int | None = None
) -> tuple[bytes, bytes]:
    """The PDF and XLSX bytes of one revision."""
    month = extract.figures.month
    title = f"Stadtrat-Bericht Wirtschaftsförderung Region Leipzig – {month_name(month)}"
    created = document_date(extract)
    intro = intro_lines(extract, revision, len(changes or []))
    extra = [changes_table(changes, previous)] if changes else []
    xlsx = render_xlsx(extract, created, title, intro, extra)
    pdf = render_pdf(extract, created, title, intro, extra)
    return pdf, xlsx


def publish_extract(
    warehouse: Path, extracts_dir: Path, report_month: date, gate: dict
) -> ExtractResult:
    """Publish the council extract for `report_month` (see the module docstring)."""
    month = month_start(report_month)
    check_gate(gate, month)
    gate = redact_gate(gate)
    if not Path(warehouse).is_file():
        raise FileNotFoundError(f"warehouse {warehouse} does not exist: build the marts first")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        figures = compute_figures(con, month)
    extract = build_extract(figures, gate)
    cells = extract.published_cells()

    month_dir = Path(extracts_dir) / f"{month:%Y-%m}"
    month_dir.mkdir(parents=True, exist_ok=True)
    for stale in month_dir.glob(".*.tmp"):  # left by a run that was killed mid-write
        stale.unlink(missing_ok=True)
    revisions = published_revisions(month_dir)
    changes: list[dict] = []
    previous = revisions[-1] if revisions else None
    if previous is not None:
        manifest_path = month_dir / manifest_name(previous)
        old = json.loads(manifest_path.read_text(encoding="utf-8"))
        changes = diff_cells(old["figures"], cells)
        if not changes:
            return ExtractResult(
                month,
                previous,
                month_dir / old["files"]["pdf"]["name"],
                month_dir / old["files"]["xlsx"]["name"],
                manifest_path,
                written=False,
            )
    revision = (previous or 0) + 1
    pdf, xlsx = render(extract, revision, changes, previous)
    name = stem(month, revision)
    pdf_path, xlsx_path = month_dir / f"{name}.pdf", month_dir / f"{name}.xlsx"
    manifest_path = month_dir / manifest_name(revision)
    manifest = {
        "manifest_version": MANIFEST_VERSION,
        "report_month": f"{month:%Y-%m}",
        "revision": revision,
        "previous_revision": previous,
        "document_date": document_date(extract).isoformat(),
        "files": {
            "pdf": {"name": pdf_path.name, "sha256": _sha256(pdf), "bytes": len(pdf)},
            "xlsx": {"name": xlsx_path.name, "sha256": _sha256(xlsx), "bytes": len(xlsx)},
        },
        "data_status": data_status(extract),
        "gate": gate,
        "suppressed_cells": {
            m: len(p.suppressed) for m, p in extract.settlement_protection.protection.items()
        },
        "changes": changes,
        "figures": cells,
    }
    _write_atomic(pdf_path, pdf)
    _write_atomic(xlsx_path, xlsx)
    _write_atomic(
        manifest_path,
        (
            json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n"
        ).encode("utf-8"),
    )
    return ExtractResult(month, revision, pdf_path, xlsx_path, manifest_path, True, changes)


def published_months(extracts_dir: Path) -> list[date]:
    out = []
    for p in sorted(Path(extracts_dir).glob("[0-9][0-9][0-9][0-9]-[0-9][0-9]")):
        if published_revisions(p):
            out.append(date(int(p.name[:4]), int(p.name[5:]), 1))
    return out


def latest_manifest(month_dir: Path) -> dict | None:
    """The manifest of the month's latest published revision (None: nothing published)."""
    revisions = published_revisions(month_dir)
    if not revisions:
        return None
    return json.loads((month_dir / manifest_name(revisions[-1])).read_text(encoding="utf-8"))


def published_accepted_missing_partners(extracts_dir: Path, month: date) -> list[str]:
    """The partners that the month's latest published revision was accepted without (§6: "a
    partner without a delivery for M, unless the run names it as accepted"), as its manifest
    records them (`gate.accepted_missing_partners`, else `data_status`)."""
    manifest = latest_manifest(Path(extracts_dir) / f"{month_start(month):%Y-%m}") or {}
    accepted = (manifest.get("gate") or {}).get("accepted_missing_partners")
    if accepted is None:
        accepted = (manifest.get("data_status") or {}).get("accepted_missing_partners")
    return sorted(set(accepted or []))


def berlin_today() -> date:
    """Today's date in Europe/Berlin: the date a rebuild runs (CATALOGUE §0, §5)."""
    return datetime.now(BERLIN).date()


def blocked_reason(gate: dict) -> str:
    """Why a gate did not pass, by check and partner id only (no finding's message: it names
    files and lines, and a log is no place for more)."""
    items = sorted(
        {
            f"{b.get('check') or 'unknown'}" + (f" ({b['partner']})" if b.get("partner") else "")
            for b in gate.get("blocking") or []
        }
    )
    return "quality gate not passed: " + (", ".join(items) or "no blocking check named")


def republish(
    warehouse: Path, extracts_dir: Path, today: date | None, gate_for_month
) -> list[ExtractResult]:
    """Recompute every extract already published for the current and the previous calendar
    year (§5 revisions).

    `today` is the date the rebuild runs (Europe/Berlin; None: now), not a report month: a run
    in January recomputes January's year and the year before. `gate_for_month(month,
    accepted_missing_partners) -> dict` gives the gate result to use; it is called with the
    partners the month's latest published revision was accepted without, so that a partner
    that still has not delivered does not stop the revision of the month's other figures.

    A month whose gate does not pass now is not recomputed (its published revision stands):
    it is logged as a warning and returned with `skipped` saying why."""
    today = today or berlin_today()
    results = []
    for month in published_months(extracts_dir):
        if month.year < today.year - 1:
            continue
        accepted = published_accepted_missing_partners(extracts_dir, month)
        gate = gate_for_month(month, accepted)
        try:
            results.append(publish_extract(warehouse, extracts_dir, month, gate))
        except ExtractBlocked:
            month_dir = Path(extracts_dir) / f"{month:%Y-%m}"
            latest = published_revisions(month_dir)[-1]
            manifest = latest_manifest(month_dir) or {}
            files = manifest.get("files") or {}
            reason = blocked_reason(gate)
            log.warning(
                "council extract %s not recomputed, its revision %d stands: %s "
                "(accepted as missing: %s)",
                f"{month:%Y-%m}",
                latest,
                reason,
                ", ".join(accepted) or "none",
            )
            results.append(
                ExtractResult(
                    month,
                    latest,
                    month_dir / (files.get("pdf") or {}).get("name", ""),
                    month_dir / (files.get("xlsx") or {}).get("name", ""),
                    month_dir / manifest_name(latest),
                    written=False,
                    skipped=reason,
                )
            )
    return results
