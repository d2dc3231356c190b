"""The ten example questions of docs/analysts.md run against the published marts.

The marts are created with the published columns of CATALOGUE §4 (types as in the dbt model
contracts), filled with a few rows, published with `publish_marts`, and every SQL block of the
guide is run on the analysts' copy. When the dbt project declares its marts, the test also
checks that the columns used here are the ones dbt publishes.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
import yaml

from regiopool.publish import publish_marts
from regiopool.settings import repo_path

MARTS = {
    "dim_municipality": "ags varchar, name varchar, district_name varchar, nuts3 varchar",
    "dim_cluster": "cluster_code varchar, name_de varchar",
    "fct_projects": "project_id varchar, first_received_on date, cluster_code varchar, "
                    "origin_country varchar, project_type varchar, status varchar, won_on date, "
                    "lost_on date, lost_reason varchar, required_area_m2 decimal(18,2), "
                    "planned_jobs integer, planned_investment_eur decimal(18,2), "
                    "partners varchar[], record_count integer",
    "fct_settlements": "project_id varchar, decided_on date, ags varchar, cluster_code varchar, "
                       "jobs_new integer, jobs_secured integer, investment_eur decimal(18,2), "
                       "site_id varchar, source_partner varchar",
    "dim_sites": "month date, site_id varchar, partner varchar, ags varchar, name varchar, "
                 "zoning varchar, area_ha decimal(18,4), free_area_ha decimal(18,4), "
                 "status varchar, price_eur_m2 decimal(18,2), motorway_km double, rail boolean, "
                 "snapshot_month date",
    "kpi_projects_monthly": "month date, cluster_code varchar, new_projects integer, "
                            "won_projects integer, lost_projects integer, "
                            "open_projects_eom integer",
    "kpi_settlements_monthly": "month date, ags varchar, cluster_code varchar, "
                               "settlements integer, jobs_new integer, jobs_secured integer, "
                               "investment_eur decimal(18,2)",
    "kpi_land_monthly": "month date, ags varchar, zoning varchar, sites_available integer, "
                        "free_area_ha decimal(18,4), snapshot_month date",
    "kpi_lost_reasons_monthly": "month date, lost_reason varchar, lost_projects integer",
    "partner_deliveries": "partner varchar, month date, delivered boolean, files integer, "
                          "rows_loaded bigint, rows_rejected bigint, "
                          "last_delivery_at timestamptz",
}

ROWS = [
    ("insert into marts.dim_municipality values ('14713000', 'Leipzig', 'Stadt Leipzig', "
    "'DED51'), ('14729410', 'Markkleeberg', 'Landkreis Leipzig', 'DED53')"),
    "insert into marts.dim_cluster values ('AUTO', 'Automobil'), ('LOG', 'Logistik')",
    ("insert into marts.fct_projects select 'RP-' || i, date '2025-01-01' + i::int, "
    "case when i % 2 = 0 then 'AUTO' else 'LOG' end, case when i % 3 = 0 then 'DE' else 'PL' end,"
    " 'new_settlement', case when i % 4 = 0 then 'won' when i % 4 = 1 then 'lost' "
    "else 'negotiation' end, case when i % 4 = 0 then date '2025-03-01' + i::int end, "
    "case when i % 4 = 1 then date '2025-03-01' + i::int end, case when i % 4 = 1 then 'price' end, "
    "10000 + i, 20 + i, 1e6 + i, case when i % 2 = 0 then ['irl', 'stadt_leipzig'] "
    "else ['lk_leipzig'] end, 1 + i % 2 from range(40) t(i)"),
    ("insert into marts.fct_settlements select project_id, won_on, '14713000', cluster_code, "
    "30, 5, 2e6, 'S1', 'stadt_leipzig' from marts.fct_projects where status = 'won'"),
    ("insert into marts.dim_sites values (date '2025-03-01', 'S1', 'stadt_leipzig', '14713000', "
    "'GE Nord', 'GI', 12.5, 8.25, 'available', 45.00, 2.5, true, date '2025-03-01')"),
    "insert into marts.kpi_projects_monthly values (date '2025-03-01', 'AUTO', 3, 1, 0, 12)",
    ("insert into marts.kpi_settlements_monthly values "
    "(date '2025-03-01', '14713000', 'AUTO', 2, 60, 10, 4e6)"),
    ("insert into marts.kpi_land_monthly values "
    "(date '2025-03-01', '14713000', 'GI', 1, 8.25, date '2025-03-01')"),
    "insert into marts.kpi_lost_reasons_monthly values (date '2025-03-01', 'price', 2)",
    ("insert into marts.partner_deliveries values "
    "('irl', date '2025-03-01', true, 31, 900, 3, timestamptz '2025-04-02 08:00:00+00')"),
]

GUIDE = repo_path("docs", "analysts.md")


def _queries() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.DOTALL)


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("analysts")
    con = duckdb.connect(str(base / "warehouse.duckdb"))
    con.execute("create schema marts")
    for mart, columns in MARTS.items():
        con.execute(f"create table marts.{mart} ({columns})")
    for sql in ROWS:
        con.execute(sql)
    con.close()
    publish_marts(base / "warehouse.duckdb", base / "published")
    return base / "published"


def test_the_guide_has_ten_questions():
    numbered = re.findall(r"^\*\*(\d+)\. ", GUIDE.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert numbered == [str(i) for i in range(1, 11)]


@pytest.mark.parametrize("number", range(1, 11))
def test_question_runs_on_the_published_copy(published, number):
    questions = [q for q in _queries() if "from marts." in q]
    assert len(questions) == 10
    con = duckdb.connect(str(published / "regiopool.duckdb"), read_only=True)
    try:
        rows = con.execute(questions[number - 1]).fetchall()
    finally:
        con.close()
    if number != 1:  # question 1 is relative to today's date
        assert rows, f"question {number} returned nothing on the sample marts"


def test_the_guide_uses_the_columns_dbt_publishes():
    """Against the dbt model contracts, once the marts are in the project."""
    contracts = repo_path("dbt_project", "models", "marts", "_marts__models.yml")
    if not contracts.exists():
        pytest.skip("the dbt marts are not in this checkout yet")
    models = {m["name"]: {c["name"] for c in m.get("columns", [])}
              for m in yaml.safe_load(contracts.read_text(encoding="utf-8"))["models"]}
    for mart, columns in MARTS.items():
        if mart in models:
            declared = {c.split()[0] for c in re.split(r",\s*(?![^()]*\))", columns)}
            assert declared == models[mart], mart
