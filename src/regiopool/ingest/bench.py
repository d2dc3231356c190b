"""Throughput of the loaders, next to DuckDB reading the same files plainly (a benchmark, not a
test: it prints figures).

    python -m regiopool.ingest.bench --rows 500000            # synthetic files per format
    python -m regiopool.ingest.bench --inbox var/inbox        # a generated inbox (all partners)

Every measurement runs in its own process, which reports its wall time, CPU time and peak
resident memory (``ru_maxrss``). "plain DuckDB" is ``CREATE TABLE AS SELECT * FROM
read_csv/read_json(...)`` of the same file: no typing rules, no lineage, no quarantine, no ledger.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
kind, arg = sys.argv[1], json.loads(sys.argv[2])
import duckdb, pandas, pyarrow, pyarrow.csv, openpyxl  # imports are not part of the figures
t0, c0 = time.perf_counter(), time.process_time()
rows = 0
if kind == "regiopool":
    from regiopool.contracts import get_contract
    from regiopool.ingest import ingest_partner
    t0, c0 = time.perf_counter(), time.process_time()
    rep = ingest_partner(Path(arg["warehouse"]), Path(arg["inbox"]), get_contract(arg["partner"]))
    rows = sum(f.rows_read for f in rep.files)
elif kind == "duckdb":
    import duckdb
    t0, c0 = time.perf_counter(), time.process_time()
    con = duckdb.connect(arg["warehouse"])
    con.execute("CREATE OR REPLACE TABLE t AS SELECT * FROM " + arg["reader"])
    rows = con.execute("SELECT count(*) FROM t").fetchall()[0][0]
    con.close()
elif kind == "pyarrow_cp1252":
    import duckdb, pyarrow.csv as pc
    t0, c0 = time.perf_counter(), time.process_time()
    con = duckdb.connect(arg["warehouse"])
    reader = pc.open_csv(arg["file"], read_options=pc.ReadOptions(encoding="cp1252"),
                         parse_options=pc.ParseOptions(delimiter=";", newlines_in_values=True),
                         convert_options=pc.ConvertOptions(column_types={}, strings_can_be_null=True))
    first = True
    for batch in reader:
        con.register("b", batch)
        con.execute(("CREATE TABLE t AS " if first else "INSERT INTO t ") + "SELECT * FROM b")
        con.unregister("b")
        first = False
        rows += batch.num_rows
    con.close()
elif kind == "openpyxl":
    import openpyxl
    t0, c0 = time.perf_counter(), time.process_time()
    wb = openpyxl.load_workbook(arg["file"], read_only=True, data_only=True)
    for ws in wb.worksheets:
        for _ in ws.iter_rows(values_only=True):
            rows += 1
print(json.dumps({"rows": rows, "seconds": time.perf_counter() - t0,
                  "cpu": time.process_time() - c0,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(kind: str, **arg) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, kind, json.dumps(arg)], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- synthetic files

def _german(n: float) -> str:
    whole, frac = f"{n:,.2f}".split(".")
    return whole.replace(",", ".") + "," + frac


def _city_header() -> list[str]:
    return ["Vorgangsnummer", "Eingangsdatum", "Projektname", "Unternehmen", "Registernummer",
            "Registergericht", "Herkunftsland", "WZ2008", "Vorhabenart", "Flaechenbedarf_m2",
            "Arbeitsplaetze_geplant", "Investition_EUR", "Status", "Statusdatum", "Absagegrund",
            "IRL_Projektnummer", "Ansprechpartner", "E_Mail", "Telefon", "Bemerkung"]


def write_city_csv(path: Path, rows: int, encoding: str) -> None:
    rnd = random.Random(1)
    statuses = ["neu", "in Bearbeitung", "Standortangebot", "Besichtigung", "Zusage", "Absage"]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig" if encoding == "utf-8" else encoding,
                   newline="") as fh:
        fh.write(";".join(_city_header()) + "\r\n")
        for i in range(rows):
            remark = '"Halle; 2 Tore\r\n„Nord“ – 5 €"' if i % 10 == 0 else ""
            fh.write(";".join([
                f"WF-{i:08d}", f"{rnd.randint(1, 28):02d}.03.2025", f"Projekt {i}",
                "Muster Logistik GmbH", "HRB 12345", "Leipzig", "Deutschland", "49.41",
                "Neuansiedlung", _german(rnd.randint(1000, 90000)).split(",")[0],
                str(rnd.randint(1, 500)), _german(rnd.randint(10_000, 9_000_000)),
                rnd.choice(statuses), "28.03.2025", "", f"IRL-2025-{i % 9999:04d}",
                "Erika Muster", "e.muster@example.org", "0341 123456", remark,
            ]) + "\r\n")


def write_events(path: Path, rows: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(rows):
            fh.write(json.dumps({
                "event_id": f"01J{i:023d}", "event_type": "project.updated",
                "occurred_at": "2025-03-04T09:12:33Z", "project_id": f"IRL-2025-{i % 9999:04d}",
                "payload": {"planned_jobs": i % 500, "contact": {"name": "Erika Muster"}},
            }) + "\n")


def write_workbook(path: Path, rows: int) -> None:
    import datetime as dt

    import openpyxl

    from regiopool.generate.district import ENQUIRY_HEADER, SETTLEMENT_HEADER, SITE_HEADER

    wb = openpyxl.Workbook(write_only=True)
    # the generator's headers (docs/partners.md), not a copy of them
    heads = {"Anfragen": ENQUIRY_HEADER, "Ansiedlungen": SETTLEMENT_HEADER,
             "Flaechen": SITE_HEADER}
    for name, head in heads.items():
        ws = wb.create_sheet(name)
        ws.append([f"Register {name}"])
        ws.append(["Stand: 31.03.2025"])
        ws.append([])
        ws.append(head)
        n = rows if name == "Anfragen" else rows // 10
        for i in range(n):
            if name == "Anfragen":
                ws.append([f"LKL-{i:07d}", dt.datetime(2025, 3, 1 + i % 28), "Beispiel AG",
                           "AG Leipzig HRB 4711", "Deutschland", "Logistik", "Borna", "2,5",
                           50, 4500, "offen", "28.03.2025", None, None, "Erika Muster", None])
            elif name == "Ansiedlungen":
                ws.append([f"LKL-{i:07d}", "Beispiel AG", "Borna", dt.datetime(2025, 3, 20),
                           20, 5, 1200.5, "Logistik", None, None])
            else:
                ws.append([f"K-{i:06d}", "GE Nord", "Borna", 12.5, "3,25", "GE", "B-Plan",
                           "Gemeinde", None, "frei", 4, "ja", 330123.5, 5660321.25])
        ws.append([])
        ws.append(["Summe"])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def write_geojson(path: Path, rows: int) -> None:
    feats = [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[
        [316000.0 + i, 5690000.0], [316100.0 + i, 5690000.0], [316100.0 + i, 5690100.0],
        [316000.0 + i, 5690000.0]]]}, "properties": {
        "flaechen_id": f"L-{i:06d}", "bezeichnung": "GE Nord", "ortsteil": "Wiederitzsch",
        "groesse_m2": 125000, "verfuegbar_m2": 40000.5, "nutzungsart": "GI",
        "planungsrecht": "FNP", "eigentum": "kommunal", "preis_eur_m2": None,
        "status": "verfügbar", "autobahn_km": 2.4, "gleisanschluss": True,
        "stand": "2025-03-15"}} for i in range(rows)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}),
                    encoding="utf-8")


# ----------------------------------------------------------------------------- runs

def _row(label: str, r: dict, size: int | None = None) -> str:
    rate = r["rows"] / r["seconds"] if r["seconds"] else 0
    cpu_rate = r["rows"] / r["cpu"] if r["cpu"] else 0
    mb = f"{size / 1e6:8.1f}" if size else "       -"
    return (f"| {label:<44} | {r['rows']:>10,} | {mb} | {r['seconds']:7.2f} | {r['cpu']:7.2f} | "
            f"{rate:>10,.0f} | {cpu_rate:>10,.0f} | {r['peak_mb']:7.0f} |")


HEAD = ("| measurement | rows | MB | wall s | cpu s | rows/s (wall) | rows/cpu-s | peak MB |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|")


def synthetic(rows: int, work: Path) -> None:
    print(HEAD)
    cases = []
    for enc in ("utf-8", "cp1252"):
        inbox = work / f"csv_{enc}"
        f = inbox / "stadt_leipzig" / "anfragen_2025-03.csv"
        write_city_csv(f, rows, enc)
        cases.append((f"CSV {enc}: regiopool", "regiopool", {"partner": "stadt_leipzig",
                                                                 "inbox": str(inbox)}, f))
        if enc == "utf-8":
            cases.append(("CSV utf-8: plain DuckDB read_csv", "duckdb", {
                "reader": f"read_csv('{f}', delim=';', header=true, all_varchar=true)"}, f))
        else:
            cases.append(("CSV cp1252: pyarrow open_csv -> DuckDB", "pyarrow_cp1252",
                          {"file": str(f)}, f))
    inbox = work / "jsonl"
    f = inbox / "irl" / "events_2025-03-04.jsonl"
    write_events(f, rows)
    cases.append(("JSONL: regiopool", "regiopool", {"partner": "irl", "inbox": str(inbox)}, f))
    cases.append(("JSONL: plain DuckDB read_json", "duckdb", {
        "reader": f"read_json('{f}', format='newline_delimited')"}, f))
    inbox = work / "xlsx"
    f = inbox / "lk_leipzig" / "wifoe_lkl_2025-03.xlsx"
    write_workbook(f, max(1, rows // 5))
    cases.append(("XLSX: regiopool", "regiopool", {"partner": "lk_leipzig", "inbox": str(inbox)}, f))
    cases.append(("XLSX: openpyxl read-only iteration only", "openpyxl", {"file": str(f)}, f))
    inbox = work / "geojson"
    f = inbox / "stadt_leipzig" / "gewerbeflaechen_2025-03.geojson"
    write_geojson(f, max(1, rows // 10))
    cases.append(("GeoJSON: regiopool", "regiopool", {"partner": "stadt_leipzig",
                                                          "inbox": str(inbox)}, f))
    cases.append(("GeoJSON: plain DuckDB read_json", "duckdb", {
        "reader": f"read_json('{f}', maximum_object_size=1000000000)"}, f))
    for i, (label, kind, arg, f) in enumerate(cases):
        wh = work / f"wh_{i}.duckdb"
        r = measure(kind, warehouse=str(wh), **arg)
        print(_row(label, r, f.stat().st_size), flush=True)


PLAIN = {
    "csv": "read_csv({files}, delim=';', header=true, all_varchar=true, union_by_name=true, "
           "ignore_errors=true, strict_mode=false)",
    "jsonl": "read_json({files}, format='newline_delimited', union_by_name=true, "
             "ignore_errors=true)",
    "geojson": "read_json({files}, union_by_name=true, maximum_object_size=1000000000)",
}


def inbox_run(inbox: Path, work: Path) -> None:
    """Per partner and delivery kind: regiopool on just those files, then plain DuckDB."""
    import os

    from regiopool.contracts import load_contracts

    print(HEAD)
    for c in load_contracts():
        folder = inbox / c.partner
        if not folder.is_dir():
            continue
        for d in c.deliveries:
            files = sorted(p for p in folder.iterdir() if p.is_file() and d.match(p.name))
            if not files:
                continue
            sub = work / f"{c.partner}_{d.kind}"
            (sub / c.partner).mkdir(parents=True, exist_ok=True)
            for f in files:
                link = sub / c.partner / f.name
                if not link.exists():
                    os.symlink(f, link)
            size = sum(f.stat().st_size for f in files)
            r = measure("regiopool", warehouse=str(work / f"wh_{c.partner}_{d.kind}.duckdb"),
                        partner=c.partner, inbox=str(sub))
            print(_row(f"{c.partner} {d.kind} ({d.format}, {len(files)} files): regiopool", r,
                       size), flush=True)
            if d.format in PLAIN:
                listing = "[" + ", ".join(f"'{f}'" for f in files) + "]"
                try:
                    r = measure("duckdb", warehouse=str(work / f"plain_{c.partner}_{d.kind}.duckdb"),
                                reader=PLAIN[d.format].format(files=listing))
                    print(_row(f"{c.partner} {d.kind}: plain DuckDB", r, size), flush=True)
                except subprocess.CalledProcessError as exc:
                    print(f"| {c.partner} {d.kind}: plain DuckDB failed: "
                          f"{exc.stderr.strip().splitlines()[-1][:80]} |", flush=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m regiopool.ingest.bench")
    p.add_argument("--rows", type=int, default=200_000)
    p.add_argument("--inbox", type=Path)
    p.add_argument("--work", type=Path)
    ns = p.parse_args(argv)
    # absolute: the measured runs are child processes with their own working directory
    work = (ns.work or Path(tempfile.mkdtemp(prefix="regiopool-bench-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if ns.inbox:
        inbox_run(ns.inbox.resolve(), work)
    else:
        synthetic(ns.rows, work)
    print(f"\n(work dir {work}; {time.perf_counter() - started:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
