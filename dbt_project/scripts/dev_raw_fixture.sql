-- Development fixture: the raw layer (partners/*.yml + docs/raw_layer.md) with a handful of rows,
-- for building the dbt project before the ingestion code lands. Not used by the product.
-- Usage: duckdb $REGIOPOOL_WAREHOUSE < dbt_project/scripts/dev_raw_fixture.sql

CREATE SCHEMA IF NOT EXISTS raw_stadt_leipzig;
CREATE OR REPLACE TABLE raw_stadt_leipzig.enquiries (enquiry_id VARCHAR, received_on DATE, project_name VARCHAR, company_name VARCHAR, register_number VARCHAR, register_court VARCHAR, origin_country_label VARCHAR, wz_code VARCHAR, project_type_label VARCHAR, required_area_m2 DOUBLE, planned_jobs BIGINT, planned_investment_eur DOUBLE, status_label VARCHAR, status_on DATE, lost_reason_label VARCHAR, irl_project_ref VARCHAR, contact_name VARCHAR, contact_email VARCHAR, contact_phone VARCHAR, remark VARCHAR, _load_id VARCHAR, _source_file VARCHAR, _file_sha256 VARCHAR, _row_number INTEGER, _period DATE, _loaded_at TIMESTAMPTZ);
CREATE OR REPLACE TABLE raw_stadt_leipzig.settlements (enquiry_id VARCHAR, company_name VARCHAR, decided_on DATE, city_district VARCHAR, site_id VARCHAR, jobs_new BIGINT, jobs_secured BIGINT, investment_eur DOUBLE, wz_code VARCHAR, project_type_label VARCHAR, irl_project_ref VARCHAR, _load_id VARCHAR, _source_file VARCHAR, _file_sha256 VARCHAR, _row_number INTEGER, _period DATE, _loaded_at TIMESTAMPTZ);
CREATE OR REPLACE TABLE raw_stadt_leipzig.sites (site_id VARCHAR, site_name VARCHAR, city_district VARCHAR, gross_area_m2 DOUBLE, free_area_m2 DOUBLE, zoning_label VARCHAR, planning_status_label VARCHAR, ownership_label VARCHAR, price_eur_m2 DOUBLE, status_label VARCHAR, motorway_km DOUBLE, rail BOOLEAN, changed_on DATE, geometry_geojson VARCHAR, _load_id VARCHAR, _source_file VARCHAR, _file_sha256 VARCHAR, _row_number INTEGER, _period DATE, _loaded_at TIMESTAMPTZ);
CREATE OR REPLACE TABLE raw_stadt_leipzig.quarantine (_load_id VARCHAR, _source_file VARCHAR, table_name VARCHAR, sheet VARCHAR, _row_number INTEGER, reason VARCHAR, raw_text VARCHAR, _loaded_at TIMESTAMPTZ);
CREATE SCHEMA IF NOT EXISTS raw_lk_leipzig;
CREATE OR REPLACE TABLE raw_lk_leipzig.enquiries (enquiry_id VARCHAR, received_on DATE, company_name VARCHAR, register_entry VARCHAR, origin_country_label VARCHAR, sector_label VARCHAR, municipality_names VARCHAR, required_area_ha DOUBLE, planned_jobs BIGINT, planned_investment_teur DOUBLE, status_label VARCHAR, status_on DATE, lost_reason_label VARCHAR, irl_project_ref VARCHAR, contact VARCHAR, note VARCHAR, _load_id VARCHAR, _source_file VARCHAR, _file_sha256 VARCHAR, _row_number INTEGER, _period DATE, _loaded_at TIMESTAMPTZ);
CREATE OR REPLACE TABLE raw_lk_leipzig.settlements (enquiry_id VARCHAR, company_name VARCHAR, municipality_name VARCHAR, decided_on DATE, jobs_new BIGINT, jobs_secured BIGINT, investment_teur DOUBLE, sector_label VARCHAR, irl_project_ref VARCHAR, site_id VARCHAR, _load_id VARCHAR, _source_file VARCHAR, _file_sha256 VARCHAR, _row_number INTEGER, _period DATE, _loaded_at TIMESTAMPTZ);
CREATE OR REPLACE TABLE raw_lk_leipzig.sites (site_id VARCHAR, site_name VARCHAR, municipality_name VARCHAR, gross_area_ha DOUBLE, free_area_ha DOUBLE, zoning_label VARCHAR, planning_status_label VARCHAR, ownership_label VARCHAR, price_eur_m2 DOUBLE, status_label VARCHAR, motorway_km DOUBLE, rail BOOLEAN, easting_m DOUBLE, northing_m DOUBLE, _load_id VARCHAR, _source_file VARCHAR, _file_sha256 VARCHAR, _row_number INTEGER, _period DATE, _loaded_at TIMESTAMPTZ);
CREATE OR REPLACE TABLE raw_lk_leipzig.quarantine (_load_id VARCHAR, _source_file VARCHAR, table_name VARCHAR, sheet VARCHAR, _row_number INTEGER, reason VARCHAR, raw_text VARCHAR, _loaded_at TIMESTAMPTZ);
CREATE SCHEMA IF NOT EXISTS raw_irl;
CREATE OR REPLACE TABLE raw_irl.events (event_id VARCHAR, event_type VARCHAR, occurred_at TIMESTAMPTZ, project_id VARCHAR, payload JSON, _load_id VARCHAR, _source_file VARCHAR, _file_sha256 VARCHAR, _row_number INTEGER, _period DATE, _loaded_at TIMESTAMPTZ);
CREATE OR REPLACE TABLE raw_irl.quarantine (_load_id VARCHAR, _source_file VARCHAR, table_name VARCHAR, sheet VARCHAR, _row_number INTEGER, reason VARCHAR, raw_text VARCHAR, _loaded_at TIMESTAMPTZ);
CREATE SCHEMA IF NOT EXISTS meta;
CREATE OR REPLACE TABLE meta.load_ledger (load_id VARCHAR, partner VARCHAR, kind VARCHAR, period DATE, period_key VARCHAR, correction INTEGER, file_name VARCHAR, file_sha256 VARCHAR, file_size BIGINT, delivered_at TIMESTAMPTZ, loaded_at TIMESTAMPTZ, status VARCHAR, superseded_by VARCHAR, resent_of VARCHAR, rows_read INTEGER, rows_loaded INTEGER, rows_quarantined INTEGER, message VARCHAR);
CREATE OR REPLACE TABLE meta.load_findings (load_id VARCHAR, partner VARCHAR, table_name VARCHAR, source_file VARCHAR, sheet VARCHAR, row_number INTEGER, column_name VARCHAR, rule VARCHAR);
CREATE OR REPLACE TABLE meta.api_cursors (partner VARCHAR, cursor VARCHAR, updated_at TIMESTAMPTZ);

-- A handful of rows: a correction, a withdrawn and a set-aside site, a district deletion and a
-- set-aside record, IRL duplicates, out-of-order events, a reopened project, a null update.
INSERT INTO meta.load_ledger VALUES
 ('s1','stadt_leipzig','enquiries','2025-01-01','2025-01',0,'anfragen_2025-01.csv','a',1,'2025-02-03 08:00+00','2025-02-03 09:00+00','loaded',NULL,NULL,2,2,0,NULL),
 ('s2','stadt_leipzig','enquiries','2025-02-01','2025-02',0,'anfragen_2025-02.csv','b',1,'2025-03-03 08:00+00','2025-03-03 09:00+00','loaded','s3',NULL,1,1,0,NULL),
 ('s3','stadt_leipzig','enquiries','2025-02-01','2025-02',1,'anfragen_2025-02_k1.csv','c',1,'2025-03-10 08:00+00','2025-03-10 09:00+00','loaded',NULL,NULL,1,1,0,NULL),
 ('s4','stadt_leipzig','settlements','2025-02-01','2025-02',0,'ansiedlungen_2025-02.csv','d',1,'2025-03-03 08:00+00','2025-03-03 09:00+00','loaded',NULL,NULL,1,1,0,NULL),
 ('s5','stadt_leipzig','sites','2025-01-01','2025-01',0,'gewerbeflaechen_2025-01.geojson','e',1,'2025-02-03 08:00+00','2025-02-03 09:00+00','loaded',NULL,NULL,3,3,0,NULL),
 ('s6','stadt_leipzig','sites','2025-02-01','2025-02',0,'gewerbeflaechen_2025-02.geojson','f',1,'2025-03-03 08:00+00','2025-03-03 09:00+00','loaded',NULL,NULL,2,1,1,NULL),
 ('d1','lk_leipzig','workbook','2025-01-01','2025-01',0,'wifoe_lkl_2025-01.xlsx','g',1,'2025-02-04 08:00+00','2025-02-04 09:00+00','loaded',NULL,NULL,5,5,0,NULL),
 ('d2','lk_leipzig','workbook','2025-02-01','2025-02',0,'wifoe_lkl_2025-02.xlsx','h',1,'2025-03-04 08:00+00','2025-03-04 09:00+00','loaded',NULL,NULL,4,2,2,NULL),
 ('d3','lk_leipzig','workbook','2025-03-01','2025-03',0,'wifoe_lkl_2025-03.xlsx','i',1,'2025-04-04 08:00+00','2025-04-04 09:00+00','loaded',NULL,NULL,4,3,1,NULL),
 ('i1','irl','events','2025-03-01','2025-03-01',0,'events_2025-03-01.jsonl','j',1,'2025-03-01 23:00+00','2025-03-02 01:00+00','loaded',NULL,NULL,4,4,0,NULL),
 ('i2','irl','events','2025-09-01','2025-09-01',0,'events_2025-09-01.jsonl','k',1,'2025-09-01 23:00+00','2025-09-02 01:00+00','loaded',NULL,NULL,5,5,0,NULL),
 ('i3','irl','events','2025-09-01','2025-09-01',0,'events_2025-09-01 (1).jsonl','k',1,'2025-09-01 23:10+00','2025-09-02 01:10+00','duplicate',NULL,NULL,5,0,0,NULL);

INSERT INTO raw_stadt_leipzig.enquiries (enquiry_id, received_on, company_name, register_number, register_court, origin_country_label, wz_code, project_type_label, required_area_m2, planned_jobs, planned_investment_eur, status_label, status_on, lost_reason_label, irl_project_ref, contact_name, remark, _load_id, _source_file, _file_sha256, _row_number, _period, _loaded_at) VALUES
 ('WF-2025-0001','2025-01-10','Muster Logistik GmbH','HRB 12345','Leipzig','Vereinigte Staaten','49.41','Neuansiedlung',12500,120,4500000,'neu','2025-01-10',NULL,' irl-2025-0001 ','Erika','secret','s1','anfragen_2025-01.csv','a',2,'2025-01-01','2025-02-03 09:00+00'),
 ('WF-2025-0002','2025-01-12',NULL,NULL,NULL,'Absurdistan','4','Erweiterung',NULL,NULL,NULL,'Absage',NULL,'zu  teuer',NULL,NULL,NULL,'s1','anfragen_2025-01.csv','a',3,'2025-01-01','2025-02-03 09:00+00'),
 ('WF-2025-0001','2025-01-10','Muster Logistik GmbH','HRB 12345','Leipzig','Vereinigte Staaten','49.41','Neuansiedlung',12500,120,4500000,'Zusage','2025-02-20',NULL,'IRL-2025-0001',NULL,NULL,'s2','anfragen_2025-02.csv','b',2,'2025-02-01','2025-03-03 09:00+00'),
 ('WF-2025-0001','2025-01-10','Muster Logistik GmbH','HRB 12345','Leipzig','Vereinigte Staaten','4941','Neuansiedlung',12500,120,4500000,'in Bearbeitung','2025-02-20',NULL,'IRL-2025-0001',NULL,NULL,'s3','anfragen_2025-02_k1.csv','c',2,'2025-02-01','2025-03-10 09:00+00');

INSERT INTO raw_stadt_leipzig.settlements (enquiry_id, company_name, decided_on, city_district, site_id, jobs_new, jobs_secured, investment_eur, wz_code, project_type_label, irl_project_ref, _load_id, _source_file, _file_sha256, _row_number, _period, _loaded_at) VALUES
 ('WF-2024-0099','Alpha AG','2025-02-14','Plagwitz','L-0001',40,10,2500000,'62.01','Verlagerung',NULL,'s4','ansiedlungen_2025-02.csv','d',2,'2025-02-01','2025-03-03 09:00+00');

INSERT INTO raw_stadt_leipzig.sites (site_id, site_name, city_district, gross_area_m2, free_area_m2, zoning_label, planning_status_label, ownership_label, price_eur_m2, status_label, motorway_km, rail, changed_on, geometry_geojson, _load_id, _source_file, _file_sha256, _row_number, _period, _loaded_at) VALUES
 ('L-0001','GE Nord','Wiederitzsch',123456,50000,'GE','B-Plan rechtskräftig','kommunal',85,'verfügbar',2.5,true,'2025-01-05',NULL,'s5','gewerbeflaechen_2025-01.geojson','e',1,'2025-01-01','2025-02-03 09:00+00'),
 ('L-0002','GI Süd','Knautnaundorf',200000,0,'GI','FNP','privat',NULL,'vergeben',5,false,'2025-01-05',NULL,'s5','gewerbeflaechen_2025-01.geojson','e',2,'2025-01-01','2025-02-03 09:00+00'),
 ('L-0003','MI West','Lindenau',10000,10000,'MI','§34 BauGB','privat',120,'verfügbar',8,false,'2025-01-05',NULL,'s5','gewerbeflaechen_2025-01.geojson','e',3,'2025-01-01','2025-02-03 09:00+00'),
 ('L-0001','GE Nord','Wiederitzsch',123456,40000,'GE','B-Plan rechtskräftig','kommunal',85,'reserviert',2.5,true,'2025-02-05',NULL,'s6','gewerbeflaechen_2025-02.geojson','f',1,'2025-02-01','2025-03-03 09:00+00');
INSERT INTO raw_stadt_leipzig.quarantine VALUES
 ('s6','gewerbeflaechen_2025-02.geojson','sites',NULL,2,'missing_site_name','{"type":"Feature","properties":{"flaechen_id":"L-0003"}}','2025-03-03 09:00+00');

INSERT INTO raw_lk_leipzig.enquiries (enquiry_id, received_on, company_name, register_entry, origin_country_label, sector_label, municipality_names, required_area_ha, planned_jobs, planned_investment_teur, status_label, status_on, lost_reason_label, irl_project_ref, contact, note, _load_id, _source_file, _file_sha256, _row_number, _period, _loaded_at) VALUES
 ('LKL-25-001','2025-01-05','Müller Präzisionsteile GmbH','AG Leipzig HRB 4711','Deutschland','Kfz-Zulieferer','Trebsen/Mulde, Borna',2.5,50,4500,'offen','2025-01-05',NULL,'IRL-2025-0001','Erika, e@x.org','n','d1','wifoe_lkl_2025-01.xlsx','g',5,'2025-01-01','2025-02-04 09:00+00'),
 ('LKL-25-002','2025-01-06','Beta GmbH',NULL,'Polen','Zauberei','Grossbothen / Naunhof',1,NULL,NULL,'offen','2025-01-06',NULL,NULL,NULL,NULL,'d1','wifoe_lkl_2025-01.xlsx','g',6,'2025-01-01','2025-02-04 09:00+00'),
 ('LKL-25-003','2025-01-07','Gamma KG',NULL,NULL,'Logistik','Markranstaedt, Atlantis',NULL,NULL,NULL,'Zurueckgestellt',NULL,NULL,NULL,NULL,NULL,'d1','wifoe_lkl_2025-01.xlsx','g',7,'2025-01-01','2025-02-04 09:00+00'),
 ('LKL-25-001','2025-01-05','Müller Präzisionsteile GmbH','AG Leipzig HRB 4711','Deutschland','Kfz-Zulieferer','Trebsen/Mulde, Borna',2.5,50,4500,'Besichtigung','2025-02-11',NULL,'IRL-2025-0001',NULL,NULL,'d2','wifoe_lkl_2025-02.xlsx','h',5,'2025-02-01','2025-03-04 09:00+00'),
 ('LKL-25-001','2025-01-05','Müller Präzisionsteile GmbH','AG Leipzig HRB 4711','Deutschland','Kfz-Zulieferer','Trebsen/Mulde, Borna',2.5,50,4500,'gewonnen','2025-03-20',NULL,'IRL-2025-0001',NULL,NULL,'d3','wifoe_lkl_2025-03.xlsx','i',5,'2025-03-01','2025-04-04 09:00+00');
INSERT INTO raw_lk_leipzig.quarantine VALUES
 ('d2','wifoe_lkl_2025-02.xlsx','enquiries','Anfragen',6,'duplicate_id_in_file','["LKL-25-003", "2025-01-07"]','2025-03-04 09:00+00'),
 ('d2','wifoe_lkl_2025-02.xlsx','enquiries','Anfragen',7,'duplicate_id_in_file','["LKL-25-003", "2025-01-07"]','2025-03-04 09:00+00'),
 ('d3','wifoe_lkl_2025-03.xlsx','sites','Flaechen',6,'missing_site_id','["K-0002 ", "x"]','2025-04-04 09:00+00');

INSERT INTO raw_lk_leipzig.settlements (enquiry_id, company_name, municipality_name, decided_on, jobs_new, jobs_secured, investment_teur, sector_label, irl_project_ref, site_id, _load_id, _source_file, _file_sha256, _row_number, _period, _loaded_at) VALUES
 ('LKL-25-001','Müller Präzisionsteile GmbH','Trebsen','2025-03-20',30,5,4500,'Kfz-Zulieferer','IRL-2025-0001','K-0001','d3','wifoe_lkl_2025-03.xlsx','i',5,'2025-03-01','2025-04-04 09:00+00');

INSERT INTO raw_lk_leipzig.sites (site_id, site_name, municipality_name, gross_area_ha, free_area_ha, zoning_label, planning_status_label, ownership_label, price_eur_m2, status_label, motorway_km, rail, easting_m, northing_m, _load_id, _source_file, _file_sha256, _row_number, _period, _loaded_at) VALUES
 ('K-0001','GE Borna Ost','Borna',12.5,4.25,'GE/GI','B-Plan','Gemeinde',35,'frei',3.2,true,320000,5670000,'d1','wifoe_lkl_2025-01.xlsx','g',5,'2025-01-01','2025-02-04 09:00+00'),
 ('K-0002','GE Wurzen','Wurzen',8,8,'GE','B-Plan','privat',NULL,'frei',1.1,false,NULL,NULL,'d1','wifoe_lkl_2025-01.xlsx','g',6,'2025-01-01','2025-02-04 09:00+00'),
 ('K-0001','GE Borna Ost','Borna',12.5,2.25,'GE/GI','B-Plan','Gemeinde',35,'reserviert',3.2,true,320000,5670000,'d2','wifoe_lkl_2025-02.xlsx','h',5,'2025-02-01','2025-03-04 09:00+00'),
 ('K-0002','GE Wurzen','Wurzen',8,7,'GE','B-Plan','privat',NULL,'frei',1.1,false,NULL,NULL,'d2','wifoe_lkl_2025-02.xlsx','h',6,'2025-02-01','2025-03-04 09:00+00'),
 ('K-0001','GE Borna Ost','Borna',12.5,0,'GE/GI','B-Plan','Gemeinde',35,'verkauft',3.2,true,320000,5670000,'d3','wifoe_lkl_2025-03.xlsx','i',5,'2025-03-01','2025-04-04 09:00+00');

INSERT INTO raw_irl.events VALUES
 ('01A','project.created','2025-02-28 10:00+00','IRL-2025-0001','{"received_on":"2025-02-27","code_name":"Falke","company_name":"Mueller Praezisionsteile GmbH & Co. KG","register_id":"HRB 4711","register_court":"Leipzig","origin_country":"DE","cluster":"AUTO","project_type":"new","required_area_m2":25000,"planned_jobs":50,"planned_investment_eur":4500000,"candidate_ags":["14729050","14729400"],"partner_refs":[{"partner":"lk_leipzig","ref":"lkl-25-001"}],"contact":{"name":"Erika","email":"e@x.org","phone":"1"}}','i1','events_2025-03-01.jsonl','j',1,'2025-03-01','2025-03-02 01:00+00'),
 ('01C','project.status_changed','2025-03-01 09:00+00','IRL-2025-0001','{"status":"qualified"}','i1','events_2025-03-01.jsonl','j',2,'2025-03-01','2025-03-02 01:00+00'),
 ('01B','project.updated','2025-02-28 12:00+00','IRL-2025-0001','{"company_name":null,"candidate_ags":["14729050"]}','i1','events_2025-03-01.jsonl','j',3,'2025-03-01','2025-03-02 01:00+00'),
 ('01B','project.updated','2025-02-28 12:00+00','IRL-2025-0001','{"company_name":null,"candidate_ags":["14729050"]}','i1','events_2025-03-01.jsonl','j',4,'2025-03-01','2025-03-02 01:00+00'),
 ('01E','project.status_changed','2025-08-20 09:00+00','IRL-2025-0001','{"status":"negotiation"}','i2','events_2025-09-01.jsonl','k',1,'2025-09-01','2025-09-02 01:00+00'),
 ('01D','project.lost','2025-08-10 09:00+00','IRL-2025-0001','{"decided_on":null,"lost_reason":"costs","competitor_region":"Halle"}','i2','events_2025-09-01.jsonl','k',2,'2025-09-01','2025-09-02 01:00+00'),
 ('02A','project.created','2025-08-01 10:00+00','IRL-2025-0002','{"received_on":"2025-07-30","company_name":"Delta SE","register_id":null,"register_court":null,"origin_country":"US","cluster":"LOGISTICS","project_type":"expansion","required_area_m2":null,"planned_jobs":10,"planned_investment_eur":null,"candidate_ags":["14713000"],"partner_refs":[],"contact":null}','i2','events_2025-09-01.jsonl','k',3,'2025-09-01','2025-09-02 01:00+00'),
 ('02B','project.won','2025-08-31 23:30+00','IRL-2025-0002','{"decided_on":null,"ags":"14713000","site_id":"L-0001","jobs_new":12,"jobs_secured":0,"investment_eur":1000000.5,"project_type":"relocation"}','i2','events_2025-09-01.jsonl','k',4,'2025-09-01','2025-09-02 01:00+00'),
 ('02C','site_visit.held','2025-08-15 10:00+00','IRL-2025-0002','{"visited_on":"2025-08-15","ags":"14713000","site_id":"L-0001"}','i2','events_2025-09-01.jsonl','k',5,'2025-09-01','2025-09-02 01:00+00');
