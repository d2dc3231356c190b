"""The limit: the same inbox read with DuckDB's own readers and two KPI marts in hand-written SQL.

    python benchmarks/plain_duckdb.py INBOX WAREHOUSE

Reads every file of the inbox (UTF-8 CSV with `read_csv`, Windows-1252 CSV through pyarrow's
streaming CSV reader, JSON Lines and GeoJSON with `read_json`, the district workbooks with
python-calamine into Arrow, the fastest reader regiopool uses too) and computes `kpi_projects_monthly` and `kpi_settlements_monthly`.

Deliberately simplified (what regiopool does and this script does not):

- no linking across partners: every partner record is its own project, so projects shared by
  agencies are counted once per agency, and settlements once per reporting agency;
- no typing rules, quarantine, findings, ledger, lineage or idempotent reloads; rows that do not
  parse are dropped silently (`ignore_errors`), bad dates become NULL;
- statuses map only by exact label (no ASCII spellings, no trimming of padded cells), municipalities
  only by current name (no former names), WZ codes by longest prefix, IRL by its cluster code;
- IRL: duplicate events dropped by `event_id`; the state is the latest status event by
  `occurred_at` (UTC date, not Europe/Berlin); `project.updated` is not applied;
- district: only the latest workbook counts (no deletions/set-aside handling); city: a `_k<N>`
  file replaces its period's file, the latest period's row of an enquiry wins;
- sites (GeoJSON, the `Flaechen` sheet) are read (so the reading cost is comparable) but no land
  mart is built; no attribute precedence, no `project_id` hashing, no disclosure control;
- a received date before 2000 drops the record (regiopool sets it aside with a finding).
"""

from __future__ import annotations

import csv
import re
import sys
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pcsv
from python_calamine import CalamineWorkbook

SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"
PERIOD = re.compile(r"_(\d{4}-\d{2})(?:-\d{2})?(?:_k(\d+))?\.")


def _is_utf8(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(3) == b"\xef\xbb\xbf"


def _cp1252_table(path: Path) -> pa.Table:
    with path.open("rb") as fh:
        header = fh.readline().decode("cp1252").rstrip("\r\n").split(";")
    table = pcsv.read_csv(
        path,
        read_options=pcsv.ReadOptions(encoding="cp1252"),
        parse_options=pcsv.ParseOptions(delimiter=";", newlines_in_values=True,
                                        invalid_row_handler=lambda row: "skip"),
        convert_options=pcsv.ConvertOptions(column_types={h: pa.string() for h in header}),
    )
    return table.append_column("filename", pa.array([str(path)] * table.num_rows, pa.string()))


def _cell(v) -> str | None:
    if v is None:
        return None
    if hasattr(v, "date"):
        return v.date().isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))  # calamine reads every number cell as a float
    return str(v)


def _workbook_tables(path: Path) -> dict[str, pa.Table]:
    wb = CalamineWorkbook.from_path(str(path))
    out = {}
    try:
        for name in wb.sheet_names:
            header, cols = None, None
            for row in wb.get_sheet_by_name(name).iter_rows():
                row = [None if v == "" else v for v in row]
                if header is None:
                    if row and row[0] in ("Lfd. Nr.", "Lfd. Nr. Anfrage", "Fläche-ID"):
                        header = [str(h) for h in row if h is not None]
                        cols = [[] for _ in header]
                    continue
                if row[0] is None or row[0] == "Summe":
                    continue
                for i in range(len(header)):
                    cols[i].append(_cell(row[i]) if i < len(row) else None)
            if header:
                t = pa.table({h: pa.array(c, pa.string()) for h, c in zip(header, cols)})
                out[name] = t.append_column(
                    "filename", pa.array([str(path)] * t.num_rows, pa.string()))
    finally:
        wb.close()
    return out


def _files(folder: Path, prefix: str) -> list[Path]:
    return sorted(p for p in folder.glob(prefix + "*") if p.is_file())


def _list(files: list[Path]) -> str:
    return "[" + ", ".join(f"'{f}'" for f in files) + "]"


def load(con: duckdb.DuckDBPyConnection, inbox: Path) -> int:
    """Read every file of the inbox into tables; returns the rows read."""
    city, district, irl = inbox / "stadt_leipzig", inbox / "lk_leipzig", inbox / "irl"
    for kind in ("anfragen", "ansiedlungen"):
        files = _files(city, kind + "_")
        utf8 = [f for f in files if _is_utf8(f)]
        legacy = [f for f in files if not _is_utf8(f)]
        parts = []
        if utf8:
            con.execute(f"CREATE OR REPLACE TABLE {kind}_utf8 AS SELECT * FROM read_csv("
                        f"{_list(utf8)}, delim=';', quote='\"', header=true, all_varchar=true, "
                        "union_by_name=true, filename=true, ignore_errors=true, strict_mode=false)")
            parts.append(f"SELECT * FROM {kind}_utf8")
        for i, f in enumerate(legacy):
            con.register(f"legacy_{i}", _cp1252_table(f))
            parts.append(f"SELECT * FROM legacy_{i}")
        con.execute(f"CREATE OR REPLACE TABLE city_{kind} AS " + " UNION ALL BY NAME ".join(parts))
        for i in range(len(legacy)):
            con.unregister(f"legacy_{i}")
    sites = _files(city, "gewerbeflaechen_")
    con.execute("CREATE OR REPLACE TABLE city_sites AS SELECT * "
                f"FROM read_json({_list(sites)}, filename=true, "
                "maximum_object_size=2000000000)")
    sheets: dict[str, list[pa.Table]] = {}
    for f in _files(district, "wifoe_lkl_"):
        for name, t in _workbook_tables(f).items():
            sheets.setdefault(name, []).append(t)
    for name, tables in sheets.items():
        con.register("arrow_sheet", pa.concat_tables(tables, promote_options="permissive"))
        con.execute(f"CREATE OR REPLACE TABLE district_{name.lower()} AS SELECT * FROM arrow_sheet")
        con.unregister("arrow_sheet")
    con.execute(
        "CREATE OR REPLACE TABLE irl_events AS SELECT * FROM read_json("
        f"{_list(_files(irl, 'events_'))}, format='newline_delimited', ignore_errors=true, filename=true, "
        "columns={event_id: 'VARCHAR', event_type: 'VARCHAR', occurred_at: 'VARCHAR', "
        "project_id: 'VARCHAR', payload: 'JSON'})")
    for seed in ("statuses", "wz_cluster", "branche_cluster", "municipalities", "clusters"):
        with (SEEDS / f"{seed}.csv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        con.register("seed", pa.Table.from_pylist(rows))
        con.execute(f"CREATE OR REPLACE TABLE seed_{seed} AS SELECT * FROM seed")
        con.unregister("seed")
    return sum(con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in (
        "city_anfragen", "city_ansiedlungen", "city_sites", "irl_events",
        *(f"district_{n.lower()}" for n in sheets)))


KPI_SQL = r"""
CREATE OR REPLACE MACRO de_num(x) AS
    try_cast(replace(replace(trim(x), '.', ''), ',', '.') AS DECIMAL(18, 2));
CREATE OR REPLACE MACRO x_num(x) AS try_cast(replace(trim(x), ',', '.') AS DECIMAL(18, 4));
CREATE OR REPLACE MACRO de_date(x) AS
    coalesce(try_strptime(x, '%d.%m.%Y'), try_strptime(x, '%Y-%m-%d'))::DATE;
CREATE OR REPLACE MACRO period_of(f) AS regexp_extract(f, '_(\d{4}-\d{2})[^/]*$', 1);
CREATE OR REPLACE MACRO corr_of(f) AS coalesce(try_cast(regexp_extract(f, '_k(\d+)\.', 1) AS INT), 0);

CREATE OR REPLACE TABLE wz AS
    SELECT wz_prefix, cluster_code FROM seed_wz_cluster;

-- city: a correction replaces its period's file; the latest period's row of an enquiry wins
CREATE OR REPLACE TABLE city_enq AS
WITH rows AS (
    SELECT *, period_of(filename) AS period, corr_of(filename) AS corr FROM city_anfragen
), standing AS (
    SELECT * FROM rows QUALIFY corr = max(corr) OVER (PARTITION BY period)
)
SELECT Vorgangsnummer AS id, de_date(Eingangsdatum) AS received_on,
       regexp_replace(WZ2008, '\D', '', 'g') AS wz, Status AS status_label,
       de_date(Statusdatum) AS status_on, period
FROM standing WHERE Vorgangsnummer IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY Vorgangsnummer ORDER BY period DESC) = 1;

CREATE OR REPLACE TABLE records AS
WITH city AS (
    SELECT 'stadt_leipzig' AS partner, e.id, e.received_on, e.status_label, e.status_on,
           coalesce((SELECT w.cluster_code FROM wz w WHERE starts_with(e.wz, w.wz_prefix)
                     ORDER BY length(w.wz_prefix) DESC LIMIT 1), 'OTHER') AS cluster_code
    FROM city_enq e
), latest_wb AS (
    SELECT filename FROM district_anfragen GROUP BY filename
    ORDER BY period_of(filename) DESC, corr_of(filename) DESC LIMIT 1
), district AS (
    SELECT 'lk_leipzig' AS partner, a."Lfd. Nr." AS id, de_date(a.Eingang) AS received_on,
           a.Stand AS status_label, de_date(a."Datum Stand") AS status_on,
           coalesce(b.cluster_code, 'OTHER') AS cluster_code
    FROM district_anfragen a
    LEFT JOIN seed_branche_cluster b ON b.branche = a.Branche
    WHERE a.filename = (SELECT filename FROM latest_wb)
), events AS (
    SELECT * FROM irl_events WHERE event_id IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY occurred_at) = 1
), created AS (
    SELECT project_id AS id, (payload->>'received_on')::DATE AS received_on,
           coalesce(payload->>'cluster', 'OTHER') AS cluster_code
    FROM events WHERE event_type = 'project.created'
), state AS (
    SELECT project_id AS id,
           CASE event_type WHEN 'project.won' THEN 'won' WHEN 'project.lost' THEN 'lost'
                ELSE payload->>'status' END AS status_label,
           coalesce(try_cast(payload->>'decided_on' AS DATE),
                    try_cast(left(occurred_at, 10) AS DATE)) AS status_on
    FROM events
    WHERE event_type IN ('project.created', 'project.status_changed', 'project.won',
                         'project.lost')
    QUALIFY row_number() OVER (PARTITION BY project_id ORDER BY occurred_at DESC, event_id DESC) = 1
), irl AS (
    SELECT 'irl' AS partner, c.id, c.received_on,
           coalesce(s.status_label, 'new') AS status_label,
           s.status_on, c.cluster_code
    FROM created c LEFT JOIN state s USING (id)
)
SELECT r.partner, r.id, r.received_on,
       CASE WHEN r.cluster_code IN (SELECT cluster_code FROM seed_clusters) THEN r.cluster_code
            ELSE 'OTHER' END AS cluster_code,
       coalesce(st.status, CASE WHEN r.partner = 'irl' THEN r.status_label END) AS status,
       r.status_on
FROM (SELECT * FROM city UNION ALL SELECT * FROM district UNION ALL SELECT * FROM irl) r
LEFT JOIN seed_statuses st ON st.partner = r.partner AND st.source_status = r.status_label
WHERE r.received_on >= DATE '2000-01-01';  -- a mistyped year (1924) would stretch the range

CREATE OR REPLACE TABLE months AS
SELECT range::DATE AS month FROM range(
    (SELECT date_trunc('month', min(received_on)) FROM records),
    (SELECT max(strptime(p, '%Y-%m')) + INTERVAL 1 MONTH FROM (
        SELECT period_of(filename) AS p FROM city_anfragen
        UNION ALL SELECT period_of(filename) FROM district_anfragen
        UNION ALL SELECT left(period_of(filename), 7) FROM irl_events)),
    INTERVAL 1 MONTH);

CREATE OR REPLACE TABLE kpi_projects_monthly AS
WITH flows AS (
    SELECT date_trunc('month', received_on)::DATE AS month, cluster_code,
           1 AS new_p, 0 AS won_p, 0 AS lost_p FROM records
    UNION ALL
    SELECT date_trunc('month', status_on)::DATE, cluster_code, 0,
           (status = 'won')::INT, (status = 'lost')::INT
    FROM records WHERE status IN ('won', 'lost') AND status_on IS NOT NULL
), grid AS (
    SELECT m.month, c.cluster_code FROM months m CROSS JOIN seed_clusters c
), agg AS (
    SELECT g.month, g.cluster_code, coalesce(sum(new_p), 0) AS new_projects,
           coalesce(sum(won_p), 0) AS won_projects, coalesce(sum(lost_p), 0) AS lost_projects
    FROM grid g LEFT JOIN flows f USING (month, cluster_code)
    GROUP BY ALL
)
SELECT month, cluster_code, new_projects, won_projects, lost_projects,
       sum(new_projects - won_projects - lost_projects)
           OVER (PARTITION BY cluster_code ORDER BY month) AS open_projects_eom
FROM agg ORDER BY month, cluster_code;

CREATE OR REPLACE TABLE settlements AS
WITH city_rows AS (
    SELECT *, period_of(filename) AS period, corr_of(filename) AS corr FROM city_ansiedlungen
), city AS (
    SELECT '14713000' AS ags, de_date(Entscheidungsdatum) AS decided_on,
           regexp_replace(WZ2008, '\D', '', 'g') AS wz, NULL::VARCHAR AS branche,
           try_cast(Arbeitsplaetze_neu AS INT) AS jobs_new,
           try_cast(Arbeitsplaetze_gesichert AS INT) AS jobs_secured,
           de_num(Investition_EUR) AS investment_eur, NULL::VARCHAR AS cluster_code
    FROM city_rows WHERE Vorgangsnummer IS NOT NULL
    QUALIFY corr = max(corr) OVER (PARTITION BY period)
        AND row_number() OVER (PARTITION BY Vorgangsnummer ORDER BY period DESC) = 1
), latest_wb AS (
    SELECT filename FROM district_ansiedlungen GROUP BY filename
    ORDER BY period_of(filename) DESC, corr_of(filename) DESC LIMIT 1
), district AS (
    SELECT m.ags, de_date(s."Datum Entscheidung"), NULL, s.Branche,
           try_cast(x_num(s."AP neu") AS INT), try_cast(x_num(s."AP gesichert") AS INT),
           x_num(s."Invest (T€)") * 1000, NULL
    FROM district_ansiedlungen s JOIN seed_municipalities m ON m.name = s.Gemeinde
    WHERE s.filename = (SELECT filename FROM latest_wb)
), irl AS (
    SELECT payload->>'ags', (payload->>'decided_on')::DATE, NULL, NULL,
           (payload->>'jobs_new')::INT, (payload->>'jobs_secured')::INT,
           (payload->>'investment_eur')::DECIMAL(18, 2), r.cluster_code
    FROM irl_events e JOIN records r ON r.partner = 'irl' AND r.id = e.project_id
    WHERE e.event_type = 'project.won' AND r.status = 'won'
    QUALIFY row_number() OVER (PARTITION BY e.project_id ORDER BY e.occurred_at DESC) = 1
)
SELECT s.ags, s.decided_on, s.jobs_new, s.jobs_secured, s.investment_eur,
       coalesce(s.cluster_code,
                (SELECT w.cluster_code FROM wz w WHERE starts_with(s.wz, w.wz_prefix)
                 ORDER BY length(w.wz_prefix) DESC LIMIT 1),
                b.cluster_code, 'OTHER') AS cluster_code
FROM (SELECT * FROM city UNION ALL SELECT * FROM district UNION ALL SELECT * FROM irl) s
LEFT JOIN seed_branche_cluster b ON b.branche = s.branche
WHERE s.decided_on IS NOT NULL;

CREATE OR REPLACE TABLE kpi_settlements_monthly AS
SELECT date_trunc('month', decided_on)::DATE AS month, ags, cluster_code,
       count(*) AS settlements, sum(jobs_new) AS jobs_new, sum(jobs_secured) AS jobs_secured,
       round(sum(investment_eur), 2) AS investment_eur
FROM settlements GROUP BY ALL ORDER BY ALL;
"""


def run(inbox: Path, warehouse: Path) -> dict:
    warehouse.unlink(missing_ok=True)
    con = duckdb.connect(str(warehouse))
    t0 = time.perf_counter()
    rows = load(con, inbox)
    t1 = time.perf_counter()
    con.execute(KPI_SQL)
    t2 = time.perf_counter()
    out = {"rows": rows, "read_seconds": t1 - t0, "sql_seconds": t2 - t1}
    for t in ("kpi_projects_monthly", "kpi_settlements_monthly"):
        out[t] = con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
    con.close()
    return out


if __name__ == "__main__":
    print(run(Path(sys.argv[1]), Path(sys.argv[2])))
