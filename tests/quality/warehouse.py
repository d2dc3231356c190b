"""A small hand-made warehouse for the quality tests, laid out as docs/raw_layer.md,
docs/record_layer.md and CATALOGUE §4 describe it.

Months 2025-01 to 2025-03 are clean. Later months each carry one delivery defect:
2025-04 IRL sends nothing; 2025-05 the city's sites file is rejected for schema drift;
2025-06 the district workbook drops a settlement; 2025-07 the district delivers late.
Raw contact columns hold the seeded contact strings below: none of them may appear anywhere
outside the raw layer.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb

from regiopool.ingest.warehouse import META_DDL, write_declarations
from regiopool.quality.contracts import load_partners

CONTACT_EMAIL = "erika.muster@example.org"
CONTACT_NAME = "Erika Quellenmuster"
CONTACT_PHONE = "0341 9876543"
DISTRICT_CONTACT = "Max Probemann, m.probemann@example.net"
IRL_CONTACT = {"name": "Jana Beispielfrau", "email": "j.beispielfrau@example.com",
               "phone": "+49 341 5550123"}
SEEDED_CONTACT_STRINGS = [CONTACT_EMAIL, CONTACT_NAME, CONTACT_PHONE, "Max Probemann",
                          "m.probemann@example.net", IRL_CONTACT["name"], IRL_CONTACT["email"],
                          IRL_CONTACT["phone"]]

TYPES = {"text": "VARCHAR", "integer": "BIGINT", "decimal": "DECIMAL(18,4)", "date": "DATE",
         "timestamp": "TIMESTAMPTZ", "boolean": "BOOLEAN", "json": "JSON"}
LINEAGE = [("_load_id", "VARCHAR"), ("_source_file", "VARCHAR"), ("_file_sha256", "VARCHAR"),
           ("_row_number", "INTEGER"), ("_period", "DATE"), ("_loaded_at", "TIMESTAMPTZ")]
MONTHS = [date(2025, m, 1) for m in range(1, 8)]
CLEAN_MONTH = date(2025, 3, 1)


def _insert(con, rel: str, row: dict) -> None:
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    con.execute(f"insert into {rel} ({cols}) values ({marks})", list(row.values()))


def _next(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


class Builder:
    def __init__(self, con):
        self.con = con
        self.n = 0

    def ledger(self, partner, kind, period, file_name, *, rows_loaded, rows_quarantined=0,
               status="loaded", delivered_at=None, period_key=None):
        self.n += 1
        load_id = f"load-{self.n:04d}"
        month = date(period.year, period.month, 1)
        delivered_at = delivered_at or datetime(
            _next(month).year, _next(month).month, 3, 9, 0, tzinfo=UTC)
        _insert(self.con, "meta.load_ledger", {
            "load_id": load_id, "partner": partner, "kind": kind, "period": period,
            "period_key": period_key or period.strftime("%Y-%m"), "correction": 0,
            "file_name": file_name, "file_sha256": f"sha-{self.n}", "file_size": 100,
            "delivered_at": delivered_at, "loaded_at": delivered_at + timedelta(minutes=5),
            "status": status, "rows_read": rows_loaded + rows_quarantined,
            "rows_loaded": rows_loaded if status == "loaded" else 0,
            "rows_quarantined": rows_quarantined if status == "loaded" else 0,
            "message": "columns missing: Status" if status == "rejected_schema" else None,
        })
        return load_id

    def raw(self, rel, load_id, file_name, period, rows):
        for i, row in enumerate(rows, start=2):
            _insert(self.con, rel, {**row, "_load_id": load_id, "_source_file": file_name,
                                    "_file_sha256": "x", "_row_number": i, "_period": period,
                                    "_loaded_at": datetime(2025, 8, 1, tzinfo=UTC)})


def create_schema(con) -> None:
    con.execute("create schema meta")
    con.execute("""create table meta.load_ledger (
        load_id VARCHAR, partner VARCHAR, kind VARCHAR, period DATE, period_key VARCHAR,
        correction INTEGER, file_name VARCHAR, file_sha256 VARCHAR, file_size BIGINT,
        delivered_at TIMESTAMPTZ, loaded_at TIMESTAMPTZ, status VARCHAR, superseded_by VARCHAR,
        resent_of VARCHAR, rows_read BIGINT, rows_loaded BIGINT, rows_quarantined BIGINT,
        message VARCHAR)""")
    con.execute("""create table meta.load_findings (
        load_id VARCHAR, partner VARCHAR, table_name VARCHAR, source_file VARCHAR,
        sheet VARCHAR, row_number INTEGER, column_name VARCHAR, rule VARCHAR)""")
    con.execute("create table meta.api_cursors (partner VARCHAR, cursor VARCHAR, updated_at TIMESTAMPTZ)")
    for p in load_partners():
        con.execute(f"create schema raw_{p.partner}")
        for t in p.tables:
            cols = [(c.name, TYPES[c.type]) for c in t.columns] + LINEAGE
            con.execute(f"create table {t.relation} ({', '.join(f'{n} {ty}' for n, ty in cols)})")
        con.execute(f"""create table raw_{p.partner}.quarantine (
            _load_id VARCHAR, _source_file VARCHAR, table_name VARCHAR, sheet VARCHAR,
            _row_number INTEGER, reason VARCHAR, raw_text VARCHAR, _loaded_at TIMESTAMPTZ)""")
    # the declarations the ingestion writes: contracts' kinds, the Saxon calendar, the view
    # over the partners' quarantine tables
    for stmt in META_DDL:
        con.execute(stmt)
    write_declarations(con)


def load_deliveries(con) -> None:
    b = Builder(con)
    for month in MONTHS:
        ym = month.strftime("%Y-%m")
        # --- stadt_leipzig: enquiries, settlements, sites
        f = f"anfragen_{ym}.csv"
        lid = b.ledger("stadt_leipzig", "enquiries", month, f, rows_loaded=2)
        b.raw("raw_stadt_leipzig.enquiries", lid, f, month, [
            {"enquiry_id": f"WF-2025-{month.month:02d}01", "received_on": month + timedelta(days=3),
             "company_name": "Muster Logistik GmbH", "status_label": "neu",
             "planned_jobs": 40, "planned_investment_eur": 2_500_000,
             "contact_name": CONTACT_NAME, "contact_email": CONTACT_EMAIL,
             "contact_phone": CONTACT_PHONE, "remark": f"Rückruf {CONTACT_PHONE}"},
            {"enquiry_id": f"WF-2025-{month.month:02d}02", "received_on": month + timedelta(days=5),
             "company_name": "Beispiel Werke AG", "status_label": "Zusage",
             "contact_email": CONTACT_EMAIL},
        ])
        f = f"ansiedlungen_{ym}.csv"
        lid = b.ledger("stadt_leipzig", "settlements", month, f, rows_loaded=1)
        b.raw("raw_stadt_leipzig.settlements", lid, f, month, [
            {"enquiry_id": f"WF-2025-{month.month:02d}02", "decided_on": month + timedelta(days=20),
             "jobs_new": 25, "jobs_secured": 5, "investment_eur": 1_000_000,
             "company_name": "Beispiel Werke AG"},
        ])
        f = f"gewerbeflaechen_{ym}.geojson"
        if month == date(2025, 5, 1):  # schema drift: the city's sites file is rejected
            b.ledger("stadt_leipzig", "sites", month, f, rows_loaded=0, status="rejected_schema")
        else:
            lid = b.ledger("stadt_leipzig", "sites", month, f, rows_loaded=2)
            b.raw("raw_stadt_leipzig.sites", lid, f, month, [
                {"site_id": "L-0001", "gross_area_m2": 50000, "free_area_m2": 20000,
                 "status_label": "verfügbar", "changed_on": month},
                {"site_id": "L-0002", "gross_area_m2": 80000, "free_area_m2": 0,
                 "status_label": "vergeben", "changed_on": month},
            ])
        # --- lk_leipzig: one workbook
        f = f"wifoe_lkl_{ym}.xlsx"
        late = datetime(2025, 8, 20, 9, tzinfo=UTC) if month == date(2025, 7, 1) else None
        keeps_settlement = month < date(2025, 6, 1)
        lid = b.ledger("lk_leipzig", "workbook", month, f, rows_loaded=4 + keeps_settlement,
                       delivered_at=late)
        b.raw("raw_lk_leipzig.enquiries", lid, f, month, [
            {"enquiry_id": f"LKL-25-{i:03d}", "received_on": date(2025, 1, 10),
             "status_label": "offen", "contact": DISTRICT_CONTACT, "note": "Notiz"}
            for i in range(1, 4)
        ])
        if keeps_settlement:
            b.raw("raw_lk_leipzig.settlements", lid, f, month, [
                {"enquiry_id": "LKL-25-001", "decided_on": date(2025, 1, 20), "jobs_new": 10,
                 "investment_teur": 800, "municipality_name": "Borna"}])
        b.raw("raw_lk_leipzig.sites", lid, f, month, [
            {"site_id": "K-0001", "gross_area_ha": 12.5, "free_area_ha": 4, "rail": True}])
        # --- irl: one events file a month (none in April)
        if month != date(2025, 4, 1):
            day = month + timedelta(days=14)
            f = f"events_{day.isoformat()}.jsonl"
            lid = b.ledger("irl", "events", day, f, rows_loaded=2,
                           period_key=day.isoformat(),
                           rows_quarantined=1 if month == date(2025, 2, 1) else 0)
            payload = json.dumps({"company_name": "Probe GmbH", "contact": IRL_CONTACT})
            b.raw("raw_irl.events", lid, f, day, [
                {"event_id": f"01J{month.month:02d}A", "event_type": "project.created",
                 "occurred_at": datetime(day.year, day.month, day.day, 8, tzinfo=UTC),
                 "project_id": f"IRL-2025-{month.month:04d}", "payload": payload},
                {"event_id": f"01J{month.month:02d}B", "event_type": "project.updated",
                 "occurred_at": datetime(day.year, day.month, day.day, 9, tzinfo=UTC),
                 "project_id": f"IRL-2025-{month.month:04d}", "payload": payload},
            ])
            if month == date(2025, 2, 1):  # a set-aside line whose text holds contact data
                _insert(con, "raw_irl.quarantine", {
                    "_load_id": lid, "_source_file": f, "table_name": "events", "sheet": None,
                    "_row_number": 4, "reason": "invalid_json",
                    "raw_text": '{"contact": {"email": "' + IRL_CONTACT["email"],
                    "_loaded_at": datetime(2025, 3, 1, tzinfo=UTC)})


def load_models(con) -> None:
    """Record-layer models and the published marts (CATALOGUE §4), consistent with each other
    and with the reference seeds (which dbt loads)."""
    con.execute("create schema intermediate")
    con.execute("""create table intermediate.int_enquiry_records (
        partner VARCHAR, record_id VARCHAR, record_key VARCHAR, received_on DATE,
        company_name VARCHAR, register_raw VARCHAR, register_court_raw VARCHAR,
        referenced_keys VARCHAR[], status VARCHAR, status_on DATE, status_on_imputed BOOLEAN,
        lost_reason VARCHAR, lost_reason_unmapped BOOLEAN, cluster_code VARCHAR,
        cluster_unmapped BOOLEAN, origin_country VARCHAR, origin_country_unmapped BOOLEAN,
        project_type VARCHAR, project_type_unmapped BOOLEAN, required_area_m2 DECIMAL(18,2),
        planned_jobs INTEGER, planned_investment_eur DECIMAL(18,2), candidate_ags VARCHAR[],
        municipality_unmapped BOOLEAN, last_period DATE)""")
    con.execute("""insert into intermediate.int_enquiry_records values
        ('stadt_leipzig','WF-2025-0101','stadt_leipzig:WF-2025-0101',DATE '2025-01-04','Muster Logistik GmbH','HRB 4711','Leipzig',['irl:IRL-2025-0001'],'new',DATE '2025-01-04',false,NULL,false,'LOGISTICS',false,'DE',false,'new',false,12500,40,2500000,['14713000'],false,DATE '2025-03-01'),
        ('stadt_leipzig','WF-2025-0102','stadt_leipzig:WF-2025-0102',DATE '2025-01-06','Beispiel Werke AG',NULL,NULL,[],'won',DATE '2025-02-20',false,NULL,false,'AUTO',false,'US',false,'expansion',false,NULL,NULL,NULL,[],false,DATE '2025-03-01'),
        ('lk_leipzig','LKL-25-001','lk_leipzig:LKL-25-001',DATE '2025-01-10',NULL,'AG Leipzig HRB 99',NULL,[],'in_progress',DATE '2025-01-10',false,NULL,false,'AUTO',false,NULL,false,NULL,false,20000,10,800000,['14729050'],false,DATE '2025-03-01'),
        ('irl','IRL-2025-0001','irl:IRL-2025-0001',DATE '2025-01-02','Probe GmbH',NULL,NULL,['stadt_leipzig:WF-2025-0101'],'lost',DATE '2025-03-10',false,'costs',false,'LOGISTICS',false,'DE',false,'new',false,10000,30,2000000,['14713000'],false,DATE '2025-03-01')""")
    con.execute("""create table intermediate.int_settlement_records (
        partner VARCHAR, record_id VARCHAR, record_key VARCHAR, company_name VARCHAR,
        referenced_keys VARCHAR[], decided_on DATE, ags VARCHAR, ags_unmapped BOOLEAN,
        jobs_new INTEGER, jobs_secured INTEGER, investment_eur DECIMAL(18,2), site_id VARCHAR,
        cluster_code VARCHAR, cluster_unmapped BOOLEAN, project_type VARCHAR,
        is_territorial BOOLEAN)""")
    con.execute("""insert into intermediate.int_settlement_records values
        ('stadt_leipzig','WF-2025-0102','stadt_leipzig:WF-2025-0102','Beispiel Werke AG',[],DATE '2025-02-20','14713000',false,25,5,1000000,NULL,'AUTO',false,'expansion',true),
        ('lk_leipzig','LKL-25-001','lk_leipzig:LKL-25-001',NULL,[],DATE '2025-01-20','14729050',false,10,0,800000,NULL,'OTHER',false,NULL,true),
        ('irl','IRL-2025-0009','irl:IRL-2025-0009','Probe GmbH',[],DATE '2025-01-25','14729010',false,5,0,300000,NULL,'LOGISTICS',false,'new',false)""")
    con.execute("""create table intermediate.int_site_snapshots (
        partner VARCHAR, snapshot_month DATE, site_id VARCHAR, ags VARCHAR, ags_unmapped BOOLEAN,
        name VARCHAR, zoning VARCHAR, area_ha DECIMAL(18,8), free_area_ha DECIMAL(18,8),
        status VARCHAR, price_eur_m2 DECIMAL(18,2), motorway_km DECIMAL(18,2), rail BOOLEAN)""")
    con.execute("""insert into intermediate.int_site_snapshots values
        ('stadt_leipzig',DATE '2025-03-01','L-0001','14713000',false,'Gewerbegebiet Nord','GI',5,2,'available',45,3.5,true),
        ('lk_leipzig',DATE '2025-03-01','K-0001','14729050',false,'Borna Ost','GE',12.5,4,'available',NULL,8,true)""")

    con.execute("""create table intermediate.int_regional_settlements as select * from (values
        ('RP-bbbbbbbbbbbb', 'stadt_leipzig', 'stadt_leipzig:WF-2025-0102', 1, true, false),
        ('RP-cccccccccccc', 'lk_leipzig', 'lk_leipzig:LKL-25-001', 1, true, false),
        ('RP-dddddddddddd', 'irl', 'irl:IRL-2025-0009', 1, false, false))
        t(project_id, partner, record_key, settlement_rank, is_territorial, is_set_aside)""")
    con.execute("""create table intermediate.int_regional_records as
        select partner, record_key, false as register_unparsed
        from intermediate.int_enquiry_records""")
    # the regional rules' findings, located (int_quality__regional_findings): none here
    con.execute("""create table intermediate.int_quality__regional_findings (
        partner VARCHAR, month DATE, file_name VARCHAR, sheet VARCHAR, row_number INTEGER,
        table_name VARCHAR, record_id VARCHAR, project_id VARCHAR, check_name VARCHAR,
        rule VARCHAR, severity VARCHAR, load_id VARCHAR)""")
    # the reporting ranges (CATALOGUE §0): January (the earliest first_received_on, the first
    # period delivered) to July (the latest period delivered); the gate's agreement checks and
    # partner_deliveries take their months from it
    con.execute("""create table intermediate.int_reporting_months as
        select m::date as month, last_day(m::date) as month_end, true as in_project_range,
            true as in_land_range
        from unnest(generate_series(DATE '2025-01-01', DATE '2025-07-01', interval 1 month)) u(m)""")
    con.execute("""create table intermediate.int_site_months as
        select p.partner, m::date as month, m::date as snapshot_month, false as stand_in_ran_out
        from (values ('stadt_leipzig'), ('lk_leipzig')) p(partner),
            unnest(generate_series(DATE '2025-01-01', DATE '2025-07-01', interval 1 month)) u(m)""")

    con.execute("create schema marts")
    con.execute("""create table marts.dim_municipality as select * from (values
        ('14713000', 'Leipzig', 'Stadt Leipzig', 'DED51'),
        ('14729050', 'Borna', 'Landkreis Leipzig', 'DED52'),
        ('14729010', 'Bad Lausick', 'Landkreis Leipzig', 'DED52')) t(ags, name, district_name, nuts3)""")
    con.execute("""create table marts.dim_cluster as select * from (values
        ('AUTO', 'Automobil'), ('LOGISTICS', 'Logistik'), ('OTHER', 'Sonstige'))
        t(cluster_code, name_de)""")
    con.execute("""create table marts.fct_projects (project_id VARCHAR, first_received_on DATE,
        cluster_code VARCHAR, origin_country VARCHAR, project_type VARCHAR, status VARCHAR,
        won_on DATE, lost_on DATE, lost_reason VARCHAR, required_area_m2 DECIMAL(18,2),
        planned_jobs INTEGER, planned_investment_eur DECIMAL(18,2), partners VARCHAR[],
        record_count INTEGER)""")
    con.execute("""insert into marts.fct_projects values
        ('RP-aaaaaaaaaaaa',DATE '2025-01-02','LOGISTICS','DE','new','lost',NULL,DATE '2025-03-10','costs',10000,30,2000000,['irl','stadt_leipzig'],2),
        ('RP-bbbbbbbbbbbb',DATE '2025-01-06','AUTO','US','expansion','won',DATE '2025-02-20',NULL,NULL,NULL,NULL,NULL,['stadt_leipzig'],1),
        ('RP-cccccccccccc',DATE '2025-01-10','OTHER',NULL,'other','won',DATE '2025-01-20',NULL,NULL,20000,10,800000,['lk_leipzig'],1),
        ('RP-dddddddddddd',DATE '2025-01-25','LOGISTICS',NULL,'new','won',DATE '2025-01-25',NULL,NULL,NULL,NULL,NULL,['irl'],1)""")
    con.execute("""create table marts.fct_settlements (project_id VARCHAR, decided_on DATE,
        ags VARCHAR, cluster_code VARCHAR, jobs_new INTEGER, jobs_secured INTEGER,
        investment_eur DECIMAL(18,2), site_id VARCHAR, source_partner VARCHAR)""")
    con.execute("""insert into marts.fct_settlements values
        ('RP-bbbbbbbbbbbb',DATE '2025-02-20','14713000','AUTO',25,5,1000000,NULL,'stadt_leipzig'),
        ('RP-cccccccccccc',DATE '2025-01-20','14729050','OTHER',10,0,800000,NULL,'lk_leipzig'),
        ('RP-dddddddddddd',DATE '2025-01-25','14729010','LOGISTICS',5,0,300000,NULL,'irl')""")
    con.execute("""create table marts.dim_sites (month DATE, site_id VARCHAR, partner VARCHAR,
        ags VARCHAR, name VARCHAR, zoning VARCHAR, area_ha DECIMAL(18,4),
        free_area_ha DECIMAL(18,4), status VARCHAR, price_eur_m2 DECIMAL(18,2),
        motorway_km DECIMAL(18,2), rail BOOLEAN, snapshot_month DATE)""")
    con.execute("""insert into marts.dim_sites
        select m, 'L-0001', 'stadt_leipzig', '14713000', 'Gewerbegebiet Nord', 'GI', 5, 2,
            'available', 45, 3.5, true, m
        from (select unnest(generate_series(DATE '2025-01-01', DATE '2025-07-01', interval 1 month))::date as m)""")
    con.execute("""create table marts.kpi_projects_monthly as
        with months as (select unnest(generate_series(DATE '2025-01-01', DATE '2025-07-01', interval 1 month))::date as month)
        select months.month, c.cluster_code,
            (select count(*) from marts.fct_projects p where date_trunc('month', p.first_received_on) = months.month and p.cluster_code = c.cluster_code)::integer as new_projects,
            (select count(*) from marts.fct_projects p where date_trunc('month', p.won_on) = months.month and p.cluster_code = c.cluster_code)::integer as won_projects,
            (select count(*) from marts.fct_projects p where date_trunc('month', p.lost_on) = months.month and p.cluster_code = c.cluster_code)::integer as lost_projects,
            0::integer as open_projects_eom
        from months cross join marts.dim_cluster c""")
    con.execute("""create table marts.kpi_settlements_monthly as
        select date_trunc('month', decided_on)::date as month, ags, cluster_code,
            count(*)::integer as settlements, sum(jobs_new)::integer as jobs_new,
            sum(jobs_secured)::integer as jobs_secured, sum(investment_eur)::decimal(18,2) as investment_eur
        from marts.fct_settlements group by all""")
    con.execute("""create table marts.kpi_land_monthly as
        select month, ags, zoning, 1 as sites_available, free_area_ha, snapshot_month from marts.dim_sites""")
    con.execute("""create table marts.kpi_lost_reasons_monthly as
        select date_trunc('month', lost_on)::date as month, coalesce(lost_reason, 'other') as lost_reason,
            count(*)::integer as lost_projects
        from marts.fct_projects where lost_on is not null group by all""")


def build_sources(path: Path) -> None:
    """Everything except the quality models (which dbt builds on top)."""
    con = duckdb.connect(str(path))
    try:
        create_schema(con)
        load_deliveries(con)
        load_models(con)
    finally:
        con.close()
