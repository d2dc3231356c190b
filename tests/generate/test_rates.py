"""The documented irregularities appear at roughly their configured rates, and not at rate 0.

Each quirk is detected in the files themselves (independent readers), not taken from the
generator's own summary.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from regiopool.generate.reference import find_reference_dir

from .readers import BOM, read_csv, read_jsonl, read_sheet

KNOWN_TYPES = {"project.created", "project.updated", "project.status_changed",
               "site_visit.held", "project.won", "project.lost"}


def near(observed: float, expected: float, tolerance: float) -> bool:
    return abs(observed - expected) <= tolerance


def _reference(name: str) -> list[dict[str, str]]:
    with (find_reference_dir() / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# ---- detectors ------------------------------------------------------------------------------
def irl_stats(root: Path) -> dict:
    seen: Counter = Counter()
    invalid = truncated = unknown = files = 0
    lags = []
    for path in sorted((root / "irl").glob("*.jsonl")):
        files += 1
        raw = path.read_bytes()
        if raw and not raw.endswith(b"\n"):
            truncated += 1
        events, bad = read_jsonl(path)
        invalid += bad - (1 if raw and not raw.endswith(b"\n") else 0)
        file_day = datetime.strptime(path.stem.split("_")[1], "%Y-%m-%d").date()
        for e in events:
            if e["event_type"] not in KNOWN_TYPES:
                unknown += 1
                continue
            if seen[e["event_id"]] == 0:
                occurred = datetime.strptime(e["occurred_at"], "%Y-%m-%dT%H:%M:%SZ").replace(
                    tzinfo=UTC).date()
                lags.append((file_day - occurred).days)
            seen[e["event_id"]] += 1
    distinct = len(seen)
    return {"distinct": distinct, "duplicated": sum(1 for n in seen.values() if n > 1),
            "invalid": invalid, "truncated": truncated, "files": files, "unknown": unknown,
            "late": sum(1 for d in lags if d >= 1), "max_lag": max(lags), "min_lag": min(lags)}


def irl_inversions(root: Path) -> int:
    """Events delivered after a later event of the same project (delivery order)."""
    latest: dict[str, str] = {}
    inversions = 0
    for path in sorted((root / "irl").glob("*.jsonl")):
        for e in read_jsonl(path)[0]:
            if e["event_type"] not in KNOWN_TYPES:
                continue
            seen = latest.get(e["project_id"], "")
            if e["occurred_at"] < seen:
                inversions += 1
            latest[e["project_id"]] = max(seen, e["occurred_at"])
    return inversions


def latest_workbook(root: Path) -> Path:
    return max(p for p in (root / "lk_leipzig").glob("wifoe_lkl_*.xlsx") if "_k" not in p.name)


def district_cells(root: Path) -> dict:
    s = read_sheet(latest_workbook(root), "Anfragen", "Lfd. Nr.")
    numbers = [r[c] for r in s["records"] for c in ("Fläche (ha)", "AP geplant", "Invest (T€)")
               if r[c] is not None]
    dates = [r[c] for r in s["records"] for c in ("Eingang", "Datum Stand") if r[c] is not None]
    ids = Counter(r["Lfd. Nr."] for r in s["records"] if r["Lfd. Nr."])
    branche = {b["branche"].lower() for b in _reference("branche_cluster.csv")}
    records = {r["Lfd. Nr."]: r for r in s["records"] if r["Lfd. Nr."]}
    sectors = [r["Branche"] for r in records.values() if r["Branche"]]
    return {
        "number_text": sum(isinstance(v, str) for v in numbers) / len(numbers),
        "date_text": sum(isinstance(v, str) for v in dates) / len(dates),
        "dup_ids": sum(1 for n in ids.values() if n > 1), "records": len(records),
        "unmapped_branche": sum(b.strip().lower() not in branche for b in sectors) / len(sectors),
        "munis": [n.strip() for r in records.values() if r["Gemeinde(n)"]
                  for n in re.split(r",|(?<!Trebsen)/(?!Mulde)", r["Gemeinde(n)"]) if n.strip()],
    }


def city_files(root: Path, kind: str = "anfragen") -> list[Path]:
    return sorted(p for p in (root / "stadt_leipzig").glob(f"{kind}_*.csv") if "_k" not in p.name)


def city_stats(root: Path) -> dict:
    rows = dup = 0
    truncated = 0
    wz_bad = wz_all = 0
    added = 0
    valid_wz = re.compile(r"^\d{2,5}$")
    for path in city_files(root):
        header, data = read_csv(path)
        added += "Foerderprogramm" in header
        raw = path.read_bytes()
        if data and (len(data[-1]) < len(header) or not raw.endswith(b"\r\n")):
            truncated += 1
        ids = Counter(r[0] for r in data if r and r[0])
        rows += len(ids)
        dup += sum(1 for n in ids.values() if n > 1)
        wz_col = header.index("WZ2008")
        for r in data:
            if len(r) == len(header) and r[wz_col]:
                wz_all += 1
                wz_bad += not valid_wz.match(r[wz_col].replace(".", ""))
    return {"rows": rows, "dup": dup, "truncated": truncated, "files": len(city_files(root)),
            "wz_bad": wz_bad / wz_all, "added": added}


def late_files(root: Path) -> tuple[int, int]:
    from regiopool.generate.common import working_day

    late = total = 0
    for folder in ("stadt_leipzig", "lk_leipzig"):
        for path in (root / folder).iterdir():
            if "_k" in path.name:
                continue
            y, m = map(int, re.search(r"(\d{4})-(\d{2})", path.name).groups())
            mi = y * 12 + m - 1
            delivered = datetime.fromtimestamp(path.stat().st_mtime, UTC).date()
            total += 1
            late += delivered > working_day(mi + 1, 5)
    return late, total


def deleted_ids(root: Path) -> int:
    books = sorted(p for p in (root / "lk_leipzig").glob("wifoe_lkl_*.xlsx") if "_k" not in p.name)
    seen: set = set()
    gone = 0
    for book in books:
        ids = {r["Lfd. Nr."] for r in read_sheet(book, "Anfragen", "Lfd. Nr.")["records"]}
        gone += len(seen - ids)
        seen |= ids
    return gone


# ---- high rates (20 %) ---------------------------------------------------------------------
def test_irl_quirks_at_high_rate(high_inbox):
    s = irl_stats(high_inbox[0])
    n = s["distinct"]
    assert n > 300
    assert near(s["duplicated"] / n, 0.2, 0.07), s
    assert near(s["invalid"] / n, 0.2, 0.07), s
    assert near(s["unknown"] / n, 0.2, 0.07), s
    assert near(s["truncated"] / s["files"], 0.2, 0.08), s
    # late: 20 % sent 1..60 days (a few up to 150) after they occurred (later ones may be
    # beyond the range's end), plus the default out-of-order events
    assert 0.1 <= s["late"] / n <= 0.3, s
    assert s["min_lag"] >= 0 and s["max_lag"] <= 160
    assert irl_inversions(high_inbox[0]) > 0.1 * n


def test_district_quirks_at_high_rate(high_inbox):
    d = district_cells(high_inbox[0])
    assert near(d["number_text"], 0.2, 0.1), d
    assert near(d["date_text"], 0.2, 0.1), d
    assert near(d["unmapped_branche"], 0.2, 0.1), d
    assert d["dup_ids"] >= 3
    current = {m["name"] for m in _reference("municipalities.csv")}
    former = {f for m in _reference("municipalities.csv") for f in m["former_names"].split("|") if f}
    names = d["munis"]
    assert any(n in former for n in names)
    assert any(n not in current and n not in former for n in names)  # ASCII or padded spelling
    assert deleted_ids(high_inbox[0]) >= 3


def test_city_quirks_at_high_rate(high_inbox):
    c = city_stats(high_inbox[0])
    assert near(c["dup"] / c["rows"], 0.2, 0.07), c
    assert near(c["wz_bad"], 0.2, 0.08), c
    assert c["added"] >= 1
    csv_files = c["files"] + len(city_files(high_inbox[0], "ansiedlungen"))
    assert 1 <= c["truncated"] <= csv_files


def test_files_at_high_rate(high_inbox):
    root, summary = high_inbox
    k1 = sorted(p.name for p in root.rglob("*_k1.*"))
    assert k1 and summary["irregularities"]["correction"] <= len(k1)
    late, total = late_files(root)
    assert 1 <= late <= total * 0.5
    assert summary["irregularities"]["late_delivery"] == late


# ---- rate 0: absent ------------------------------------------------------------------------
def test_no_irregularities_at_rate_zero(clean_inbox):
    root, summary = clean_inbox
    assert not list(root.rglob("*_k*"))
    s = irl_stats(root)
    assert s["duplicated"] == s["invalid"] == s["unknown"] == s["truncated"] == s["late"] == 0
    assert irl_inversions(root) == 0
    d = district_cells(root)
    assert d["number_text"] == d["date_text"] == d["unmapped_branche"] == d["dup_ids"] == 0
    current = {m["name"] for m in _reference("municipalities.csv")}
    assert set(d["munis"]) <= current
    assert deleted_ids(root) == 0
    c = city_stats(root)
    assert c["dup"] == c["truncated"] == c["added"] == 0 and c["wz_bad"] == 0
    assert late_files(root)[0] == 0
    injected = {k: v for k, v in summary["irregularities"].items() if v}
    assert injected == {}


def test_summary_counts_match_files(high_inbox):
    root, summary = high_inbox
    identical = differing = 0
    for k1 in root.rglob("*_k1.*"):
        same = k1.with_name(k1.name.replace("_k1", "")).read_bytes() == k1.read_bytes()
        identical += same
        differing += not same
    # an old month's settlements re-sent under this month's name (with rows)
    by_bytes: dict[bytes, list[str]] = {}
    for path in city_files(root, "ansiedlungen"):
        _header, rows = read_csv(path)
        if rows:
            by_bytes.setdefault(path.read_bytes(), []).append(path.name)
    old_copies = sum(len(v) - 1 for v in by_bytes.values())
    assert summary["irregularities"]["correction"] == differing
    assert summary["irregularities"]["resent_copy"] == identical + old_copies
    assert summary["irregularities"]["irl_duplicate_event"] >= irl_stats(root)["duplicated"]


def test_schema_drift_rates(tmp_path):
    from regiopool.generate import generate_inbox

    out = tmp_path / "drift"
    summary = generate_inbox(out, start="2025-01", end="2025-01", scale=0.3, seed=5,
                             rates={"renamed_column": 1.0, "added_column": 1.0,
                                    "dropped_column": 1.0})
    header, rows = read_csv(out / "stadt_leipzig" / "anfragen_2025-01.csv")
    assert "Investitionssumme_EUR" in header and "Investition_EUR" not in header
    assert "Foerderprogramm" in header and "Telefon" not in header
    assert rows and all(len(r) == len(header) for r in rows[:-1])
    # the settlements file keeps its columns
    s_header, _ = read_csv(out / "stadt_leipzig" / "ansiedlungen_2025-01.csv")
    assert "Investition_EUR" in s_header
    assert summary["irregularities"]["renamed_column"] == 1


def test_tiny_scale_still_writes_every_file(tmp_path):
    from regiopool.generate import generate_inbox

    out = tmp_path / "tiny"
    summary = generate_inbox(out, start="2025-02", end="2025-03", scale=0.01, seed=1)
    assert summary["files"] >= 2 * 4 + 59
    for m in ("2025-02", "2025-03"):
        header, _ = read_csv(out / "stadt_leipzig" / f"ansiedlungen_{m}.csv")
        assert header[0] == "Vorgangsnummer"
        assert read_sheet(out / "lk_leipzig" / f"wifoe_lkl_{m}.xlsx", "Anfragen",
                          "Lfd. Nr.")["header_row"] == 4


def test_truncated_csv_lines_are_detectable(tmp_path):
    from regiopool.generate import generate_inbox

    out = tmp_path / "trunc"
    generate_inbox(out, start="2024-11", end="2025-02", scale=0.3, seed=11,
                   rates={"truncated_last_line": 1.0})
    for path in sorted((out / "stadt_leipzig").glob("*.csv")):
        header, rows = read_csv(path)
        raw = path.read_bytes()
        if not rows:
            continue
        text = raw.decode("utf-8-sig" if raw.startswith(BOM) else "cp1252")
        last_ends_in_quotes = text.count('"') % 2 == 1
        assert last_ends_in_quotes or len(rows[-1]) < len(header), path.name
        assert all(len(r) == len(header) for r in rows[:-1]), path.name


def test_settlements_without_enquiry_and_unmapped_municipalities(tmp_path):
    from regiopool.generate import generate_inbox

    out = tmp_path / "orphans"
    summary = generate_inbox(out, start="2024-06", end="2025-03", scale=0.5, seed=3,
                             rates={"settlement_without_enquiry": 1.0,
                                    "unmapped_municipality": 0.5})
    enquiries = {r[0] for p in city_files(out) for r in read_csv(p)[1] if r}
    settled = [r[0] for p in city_files(out, "ansiedlungen") for r in read_csv(p)[1] if r]
    assert settled and not set(settled) & enquiries
    # rows of a re-sent old file are copies (not counted again)
    assert len(set(settled)) <= summary["irregularities"]["settlement_without_enquiry"] <= \
        len(settled)
    names = set(district_cells(out)["munis"])
    known = {m["name"] for m in _reference("municipalities.csv")} | {
        f for m in _reference("municipalities.csv") for f in m["former_names"].split("|") if f}
    from regiopool.generate.common import ascii_spelling

    known |= {ascii_spelling(k) for k in known}
    assert {n for n in names if n.strip() not in known and n.strip().lower() not in
            {k.lower() for k in known}}


def test_a_date_moved_to_another_year_keeps_29_february_where_it_can():
    from datetime import date

    from regiopool.generate.common import in_year

    assert in_year(date(2024, 2, 29), 2025) == date(2025, 2, 28)  # crashed scale 1000
    assert in_year(date(2024, 2, 29), 1924) == date(1924, 2, 29)
    assert in_year(date(2000, 2, 29), 1900) == date(1900, 2, 28)  # 1900 is no leap year
    assert in_year(date(2025, 3, 31), 2026) == date(2026, 3, 31)
