"""The peer: the same inbox loaded with dlt into DuckDB (as a dlt user would write it).

    python benchmarks/peer_dlt.py INBOX WAREHOUSE

One dlt source with a resource per delivery kind, yielding Python dicts (dlt's usual path: schema
inference, normalisation of nested data into child tables, load into DuckDB): city CSVs with the
`csv` module in the file's encoding (UTF-8 with BOM or Windows-1252), GeoJSON features, the
district workbooks' three sheets (python-calamine, the reader of regiopool and of the limit, so
that the comparison is about the loaders, not about openpyxl; header found by its first cell),
IRL events (JSON Lines; broken lines skipped). Every row is tagged with its file name; write
disposition `append`. No typing rules, quarantine, ledger or supersession.

Loader file format Parquet, as dlt's DuckDB page advises when pyarrow is installed: with its
default (`insert_values`, SQL INSERT files) dlt needed 7.3 GB at scale 10 and twice the time
at scale 1 (decision bench-0001).
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
import time
from pathlib import Path

import dlt
from python_calamine import CalamineWorkbook


def _encoding(path: Path) -> str:
    with path.open("rb") as fh:
        return "utf-8-sig" if fh.read(3) == b"\xef\xbb\xbf" else "cp1252"


def _csv_rows(files):
    for f in files:
        with f.open(encoding=_encoding(f), newline="") as fh:
            for row in csv.DictReader(fh, delimiter=";"):
                row["_file"] = f.name
                yield row


def make_source(inbox: Path):
    city, district, irl = inbox / "stadt_leipzig", inbox / "lk_leipzig", inbox / "irl"

    @dlt.resource(name="city_enquiries", write_disposition="append")
    def city_enquiries():
        yield from _csv_rows(sorted(city.glob("anfragen_*.csv")))

    @dlt.resource(name="city_settlements", write_disposition="append")
    def city_settlements():
        yield from _csv_rows(sorted(city.glob("ansiedlungen_*.csv")))

    @dlt.resource(name="city_sites", write_disposition="append")
    def city_sites():
        for f in sorted(city.glob("gewerbeflaechen_*.geojson")):
            for feat in json.loads(f.read_text(encoding="utf-8"))["features"]:
                yield {**feat["properties"], "geometry": json.dumps(feat["geometry"]),
                       "_file": f.name}

    @dlt.resource(name="district_sheets", write_disposition="append",
                  table_name=lambda row: "district_" + row["_sheet"].lower())
    def district_sheets():
        for f in sorted(district.glob("wifoe_lkl_*.xlsx")):
            wb = CalamineWorkbook.from_path(str(f))
            for name in wb.sheet_names:
                header = None
                for row in wb.get_sheet_by_name(name).iter_rows():
                    row = [None if v == "" else v for v in row]  # calamine: empty cell ""
                    if header is None:
                        if row and row[0] in ("Lfd. Nr.", "Lfd. Nr. Anfrage", "Fläche-ID"):
                            header = [h for h in row if h is not None]
                        continue
                    if row[0] is None or row[0] == "Summe":
                        continue
                    yield {**{h: (str(v) if isinstance(v, str | int | float) else v)
                              for h, v in zip(header, row)},
                           "_sheet": name, "_file": f.name}
            wb.close()

    @dlt.resource(name="irl_events", write_disposition="append")
    def irl_events():
        for f in sorted(irl.glob("events_*.jsonl")):
            with f.open(encoding="utf-8") as fh:
                for line in fh:
                    try:
                        event = json.loads(line)
                    except ValueError:
                        continue
                    if isinstance(event, dict):
                        event["_file"] = f.name
                        yield event

    @dlt.source(name="regiopool_inbox")
    def source():
        return [city_enquiries, city_settlements, city_sites, district_sheets, irl_events]

    return source()


def run(inbox: Path, warehouse: Path, pipelines_dir: Path) -> dict:
    warehouse.unlink(missing_ok=True)
    shutil.rmtree(pipelines_dir, ignore_errors=True)
    t0 = time.perf_counter()
    pipeline = dlt.pipeline(pipeline_name="regiopool_peer", pipelines_dir=str(pipelines_dir),
                            destination=dlt.destinations.duckdb(str(warehouse)),
                            dataset_name="raw")
    info = pipeline.run(make_source(inbox), loader_file_format="parquet")
    seconds = time.perf_counter() - t0
    info.raise_on_failed_jobs()
    counts = pipeline.last_trace.last_normalize_info.row_counts
    top = {t: n for t, n in counts.items() if not t.startswith("_dlt") and "__" not in t}
    return {"rows": sum(top.values()), "rows_all_tables": sum(
        n for t, n in counts.items() if not t.startswith("_dlt")), "seconds": seconds}


if __name__ == "__main__":
    print(run(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[2]).parent / "dlt_pipelines"))
