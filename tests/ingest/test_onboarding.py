"""Onboarding proof: Landkreis Nordsachsen joins by configuration alone (a YAML file)."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal

from regiopool.contracts import REPO_ROOT, load_contracts
from regiopool.ingest import ensure_warehouse, ingest_partner

NORDSACHSEN = """
partner: lk_nordsachsen
name: Landkreis Nordsachsen, Wirtschaftsförderung
territory: "AGS 14730xxx (the municipalities of Landkreis Nordsachsen)"
deliveries:
  - kind: projects
    file_pattern: '^NOS_Projekte_(?P<period>\\d{4}-\\d{2})(?:_v(?P<correction>\\d+))?\\.csv$'
    period: month
    semantics: snapshot
    format: csv
    encoding: detect
    csv: {delimiter: ",", quote: '"', decimal: ".", thousands: null}
    date_format: "%Y-%m-%d"
    tables:
      - table: enquiries
        columns:
          - {source: project_no, name: enquiry_id, type: text, required: true, unique_in_file: true}
          - {source: opened, name: received_on, type: date, required: true, in_period: true}
          - {source: municipality_ags, name: ags, type: text}
          - {source: jobs, name: planned_jobs, type: integer}
          - {source: invest_meur, name: planned_investment_meur, type: decimal}
          - {source: hot_lead, name: is_priority, type: boolean, true_values: ["Y"], false_values: ["N"]}
          - {source: state, name: status_label, type: text, required: true,
             accepted_values: [open, won, lost]}
          - {source: contact, name: contact, type: text, optional: true, personal: true}
"""

FILE = (
    "project_no,opened,municipality_ags,jobs,invest_meur,hot_lead,state,contact\n"
    'NOS-1,2025-03-02,14730010,40,12.5,Y,open,"Mustermann, Max"\n'
    "NOS-2,2025-03-09,14730020,,0.75,N,won,\n"
    "NOS-3,03.03.2025,14730030,5,1,N,open,\n"
    "NOS-4,2025-03-11,14730040,7,2,N,paused,\n"
)


def test_a_fourth_partner_by_configuration_alone(tmp_path, monkeypatch, query, warehouse):
    partners = tmp_path / "partners"
    shutil.copytree(REPO_ROOT / "partners", partners)
    (partners / "lk_nordsachsen.yml").write_text(NORDSACHSEN, encoding="utf-8")
    monkeypatch.setenv("REGIOPOOL_PARTNERS_DIR", str(partners))
    inbox = tmp_path / "inbox" / "lk_nordsachsen"
    inbox.mkdir(parents=True)
    (inbox / "NOS_Projekte_2025-03.csv").write_text(FILE, encoding="utf-8")

    contracts = {c.partner: c for c in load_contracts()}  # picks up the env override
    assert set(contracts) == {"irl", "lk_leipzig", "lk_nordsachsen", "stadt_leipzig"}
    ensure_warehouse(warehouse)
    rep = ingest_partner(warehouse, inbox.parent, contracts["lk_nordsachsen"])
    f = rep.files[0]
    assert (f.status, f.rows_read, f.rows_loaded, f.rows_quarantined) == ("loaded", 4, 2, 2)
    assert rep.new_rows == {"raw_lk_nordsachsen.enquiries": 2}
    assert query("SELECT enquiry_id, received_on, ags, planned_jobs, planned_investment_meur, "
                 "is_priority, status_label, contact FROM raw_lk_nordsachsen.enquiries "
                 "ORDER BY 1") == [
        ("NOS-1", dt.date(2025, 3, 2), "14730010", 40, Decimal("12.5"), True, "open",
         "Mustermann, Max"),
        ("NOS-2", dt.date(2025, 3, 9), "14730020", None, Decimal("0.75"), False, "won", None),
    ]
    assert query("SELECT _row_number, reason FROM raw_lk_nordsachsen.quarantine ORDER BY 1") == [
        (4, "unparsed_date:received_on"), (5, "unknown_status_label")]
    # the quality models read the new partner's kinds and set-aside rows without a new SQL file
    assert query("SELECT partner, kind, semantics, deadline_working_days FROM meta.partner_kinds "
                 "WHERE partner = 'lk_nordsachsen'") == [("lk_nordsachsen", "projects",
                                                          "snapshot", 5)]
    assert query("SELECT source_file, table_name, row_number, reason FROM meta.set_aside_rows "
                 "WHERE partner = 'lk_nordsachsen' ORDER BY 3") == [
        ("NOS_Projekte_2025-03.csv", "enquiries", 4, "unparsed_date:received_on"),
        ("NOS_Projekte_2025-03.csv", "enquiries", 5, "unknown_status_label")]


def test_the_dag_file_generates_its_dag(tmp_path, monkeypatch):
    partners = tmp_path / "partners"
    shutil.copytree(REPO_ROOT / "partners", partners)
    (partners / "lk_nordsachsen.yml").write_text(NORDSACHSEN, encoding="utf-8")
    monkeypatch.setenv("REGIOPOOL_PARTNERS_DIR", str(partners))
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(str(REPO_ROOT / "dags" / "regiopool_ingest.py"))
    assert not bag.import_errors
    dag = bag.dags["regiopool_ingest_lk_nordsachsen"]
    assert dag.get_task("announce_enquiries").outlets[0].name == "raw_lk_nordsachsen.enquiries"
