"""A small hand-made warehouse with the published marts of CATALOGUE §4 (report month 2025-03).

The rows are chosen so that every rule of §5 shows: see test_xlsx.EXPECTED_SETTLEMENTS."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D
from pathlib import Path

import duckdb

MONTH = date(2025, 3, 1)

DDL = """
create schema marts;
create table marts.dim_municipality (ags varchar, name varchar, district_name varchar,
    nuts3 varchar);
create table marts.dim_cluster (cluster_code varchar, name_de varchar);
create table marts.fct_projects (project_id varchar, first_received_on date, cluster_code varchar,
    origin_country varchar, project_type varchar, status varchar, won_on date, lost_on date,
    lost_reason varchar, required_area_m2 decimal(18,4), planned_jobs integer,
    planned_investment_eur decimal(18,2), partners varchar[], record_count integer);
create table marts.fct_settlements (project_id varchar, decided_on date, ags varchar,
    cluster_code varchar, jobs_new integer, jobs_secured integer, investment_eur decimal(18,2),
    site_id varchar, source_partner varchar);
create table marts.dim_sites (month date, site_id varchar, partner varchar, ags varchar,
    name varchar, zoning varchar, area_ha decimal(18,4), free_area_ha decimal(18,4),
    status varchar, price_eur_m2 decimal(18,2), motorway_km decimal(18,2), rail boolean,
    snapshot_month date);
create table marts.kpi_projects_monthly (month date, cluster_code varchar, new_projects integer,
    won_projects integer, lost_projects integer, open_projects_eom integer);
create table marts.kpi_settlements_monthly (month date, ags varchar, cluster_code varchar,
    settlements integer, jobs_new integer, jobs_secured integer, investment_eur decimal(18,2));
create table marts.kpi_land_monthly (month date, ags varchar, zoning varchar,
    sites_available integer, free_area_ha decimal(18,4), snapshot_month date);
create table marts.kpi_lost_reasons_monthly (month date, lost_reason varchar,
    lost_projects integer);
create table marts.partner_deliveries (partner varchar, month date, delivered boolean,
    files integer, rows_loaded integer, rows_rejected integer, last_delivery_at timestamp);
"""

MUNICIPALITIES = [
    ("14713000", "Leipzig", "Stadt Leipzig", "DED51"),
    ("14729050", "Borna", "Landkreis Leipzig", "DED52"),
    ("14729260", "Markkleeberg", "Landkreis Leipzig", "DED52"),
    ("14730070", "Delitzsch", "Landkreis Nordsachsen", "DED53"),
]
CLUSTERS = [
    ("AUTO", "Automobil & Zulieferer"),
    ("ENERGY", "Energie & Umwelttechnik"),
    ("HEALTH", "Gesundheitswirtschaft & Biotechnologie"),
    ("LOGISTICS", "Logistik"),
    ("MEDIA_IT", "Medien, Kreativwirtschaft & IT"),
    ("OTHER", "Sonstige Branchen"),
]
CITY, BORNA, MKB, DELITZSCH = "14713000", "14729050", "14729260", "14730070"

# (decided_on, ags, cluster, jobs_new, jobs_secured, investment_eur)
SETTLEMENTS = [
    # Stadt Leipzig 2025
    (date(2025, 1, 10), CITY, "LOGISTICS", 100, 0, D("10040000.00")),
    (date(2025, 2, 3), CITY, "LOGISTICS", 50, 0, D("5000000.00")),
    (date(2025, 3, 20), CITY, "LOGISTICS", 40, 0, D("4000000.00")),
    (date(2025, 2, 14), CITY, "AUTO", 200, 50, D("30000000.00")),
    (date(2025, 1, 5), CITY, "MEDIA_IT", 10, None, D("1000000.00")),
    (date(2025, 1, 6), CITY, "MEDIA_IT", 10, None, D("1000000.00")),
    (date(2025, 3, 7), CITY, "MEDIA_IT", 10, None, D("1000000.00")),
    (date(2025, 1, 15), CITY, "HEALTH", 85, 20, D("2030000.00")),  # exactly 85 %
    (date(2025, 2, 15), CITY, "HEALTH", 5, 20, D("2030000.00")),
    (date(2025, 3, 15), CITY, "HEALTH", 5, 20, D("2030000.00")),
    (date(2025, 3, 16), CITY, "HEALTH", 5, 20, D("2030000.00")),
    # Landkreis Leipzig 2025
    (date(2025, 1, 20), BORNA, "ENERGY", 30, 10, D("3000000.00")),
    (date(2025, 2, 20), MKB, "ENERGY", 60, 10, D("6000000.00")),
    (date(2025, 1, 21), BORNA, "LOGISTICS", 20, 5, D("1500000.00")),
    (date(2025, 2, 21), MKB, "LOGISTICS", 25, 5, D("2000000.00")),
    (date(2025, 3, 21), BORNA, "LOGISTICS", 30, 5, D("2550000.00")),  # 6,05 Mio -> 6,1
    (date(2025, 1, 22), BORNA, "OTHER", 12, 1, D("200000.00")),
    (date(2025, 2, 22), MKB, "OTHER", 12, 1, D("200000.00")),
    (date(2025, 3, 22), BORNA, "OTHER", 12, 1, D("200000.00")),
    # Landkreis Nordsachsen 2025: one large settlement
    (date(2025, 3, 3), DELITZSCH, "LOGISTICS", 500, 0, D("50000000.00")),
    # outside the year to date
    (date(2024, 12, 30), CITY, "LOGISTICS", 999, 999, D("99000000.00")),
    (date(2025, 4, 1), CITY, "LOGISTICS", 777, 777, D("77000000.00")),
    # 2024 history for the charts
    (date(2024, 5, 5), CITY, "AUTO", 300, 0, D("20000000.00")),
    (date(2024, 6, 6), BORNA, "ENERGY", 40, 0, D("4000000.00")),
    (date(2024, 6, 7), CITY, "HEALTH", 45, 0, D("4000000.00")),
    (date(2024, 6, 8), MKB, "OTHER", 35, 0, D("3000000.00")),
]

# (month, ags, zoning, sites, free ha, snapshot month)
LAND = [
    (date(2025, 3, 1), CITY, "GE", 3, D("12.5000"), date(2025, 3, 1)),
    (date(2025, 3, 1), CITY, "GI", 2, D("40.2500"), date(2025, 3, 1)),
    (date(2025, 3, 1), BORNA, "GI", 1, D("5.0000"), date(2025, 3, 1)),
    (date(2025, 3, 1), MKB, "GE", 2, D("3.3333"), date(2025, 2, 1)),  # stand-in snapshot
    (date(2025, 3, 1), MKB, "GE/GI", 1, D("2.0000"), date(2025, 2, 1)),
    (date(2025, 2, 1), CITY, "GE", 4, D("15.0000"), date(2025, 2, 1)),
    (date(2025, 2, 1), CITY, "GI", 2, D("40.2500"), date(2025, 2, 1)),
    (date(2025, 2, 1), BORNA, "GI", 1, D("5.0000"), date(2025, 2, 1)),
    (date(2025, 2, 1), BORNA, "SO", 1, D("1.0000"), date(2025, 2, 1)),
    (date(2024, 9, 1), CITY, "GE", 5, D("20.0000"), date(2024, 9, 1)),
]

LOST = [
    (date(2024, 12, 1), "labour", 5),
    (date(2025, 1, 1), "costs", 2),
    (date(2025, 2, 1), "no_suitable_site", 1),
    (date(2025, 3, 1), "costs", 1),
    (date(2025, 3, 1), "other", 1),
]

DELIVERIES = [
    ("irl", MONTH, False, 0, 0, 0, None),
    ("lk_leipzig", MONTH, True, 1, 300, 0, datetime(2025, 4, 7, 16, 40)),
    ("stadt_leipzig", MONTH, True, 3, 120, 2, datetime(2025, 4, 4, 9, 15)),
]

# earlier months of the reporting range (it starts 2024-09): everyone delivered
EARLIER_DELIVERIES = [
    (
        p,
        date(2024 + (m > 12), (m - 1) % 12 + 1, 1),
        True,
        1,
        10,
        0,
        datetime(2024 + (m >= 12), m % 12 + 1, 5, 8, 0),
    )
    for m in range(9, 15)
    for p in ("irl", "lk_leipzig", "stadt_leipzig")
]

GATE = {
    "month": "2025-03",
    "passed": True,
    "blocking": [],
    "warnings": [
        {
            "check": "late_delivery",
            "partner": "lk_leipzig",
            "message": "wifoe_lkl_2025-03.xlsx: Lieferung nach dem 5. Arbeitstag",
        },
        {
            "check": "rows_set_aside",
            "partner": "stadt_leipzig",
            "message": "anfragen_2025-03.csv Zeile 17, 18: Eingangsdatum fehlt",
        },
        # a finding must never carry row content (§6); if one did, the extract blanks it
        {
            "check": "rows_set_aside",
            "partner": "irl",
            "message": "events_2025-03-02.jsonl Zeile 4: anna.schmidt@example.org, +49 341 9876543",
        },
    ],
    "accepted_missing_partners": ["irl"],
}


def project_rows():
    """kpi_projects_monthly: every month 2023-04 .. 2025-03 and every cluster."""
    rows = []
    m = date(2023, 4, 1)
    i = 0
    while m <= MONTH:
        for j, (code, _) in enumerate(CLUSTERS):
            rows.append(
                (
                    m,
                    code,
                    (i + j) % 4,
                    (i * j) % 3 == 0 and j % 2,
                    (i + 2 * j) % 5 == 0,
                    10 + (i + j) % 7,
                )
            )
        i += 1
        m = date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    return [(m, c, n, int(w), int(lo), o) for m, c, n, w, lo, o in rows]


def build_warehouse(path: Path, settlements=None, land=None, deliveries=None) -> Path:
    """The marts; `settlements`, `land` and `deliveries` replace SETTLEMENTS, LAND and
    DELIVERIES + EARLIER_DELIVERIES (a late delivery, a correction)."""
    settlements = SETTLEMENTS if settlements is None else settlements
    land = LAND if land is None else land
    deliveries = DELIVERIES + EARLIER_DELIVERIES if deliveries is None else deliveries
    con = duckdb.connect(str(path))
    try:
        con.execute(DDL)
        con.executemany("insert into marts.dim_municipality values (?, ?, ?, ?)", MUNICIPALITIES)
        con.executemany("insert into marts.dim_cluster values (?, ?)", CLUSTERS)
        con.executemany(
            "insert into marts.fct_settlements values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (f"RP-{i:012x}", d, ags, c, jn, js, inv, None, "stadt_leipzig")
                for i, (d, ags, c, jn, js, inv) in enumerate(settlements)
            ],
        )
        con.executemany("insert into marts.kpi_land_monthly values (?, ?, ?, ?, ?, ?)", land)
        con.executemany("insert into marts.kpi_lost_reasons_monthly values (?, ?, ?)", LOST)
        con.executemany(
            "insert into marts.partner_deliveries values (?, ?, ?, ?, ?, ?, ?)", deliveries
        )
        con.executemany(
            "insert into marts.kpi_projects_monthly values (?, ?, ?, ?, ?, ?)", project_rows()
        )
    finally:
        con.close()
    return path


def delivery_gate(warehouse, month, accepted) -> dict:
    """A stand-in for the quality gate's delivery check (§6): a partner without a delivery for
    the month blocks unless it is accepted."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        missing = {
            p
            for (p,) in con.execute(
                "select partner from marts.partner_deliveries where month = ? and not delivered",
                [month],
            ).fetchall()
        }
    blocking = [
        {"check": "delivery", "partner": p, "message": f"keine Lieferung für {month:%Y-%m}"}
        for p in sorted(missing - set(accepted))
    ]
    return {
        "month": f"{month:%Y-%m}",
        "passed": not blocking,
        "blocking": blocking,
        "warnings": [],
        "accepted_missing_partners": sorted(set(accepted)),
    }
