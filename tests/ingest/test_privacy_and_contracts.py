"""Personal data stays in its partner's raw layer and out of logs; contracts are validated."""

from __future__ import annotations

import logging

import pytest
from fixtures import (
    CITY_ENQ_HEADER,
    enquiry,
    event,
    lk_enquiry,
    write_csv,
    write_jsonl,
    write_workbook,
)

from regiopool.contracts import ContractError, load_contract, load_contracts
from regiopool.ingest import ingest_partner

SECRETS = ["Erika Muster", "e.muster@example.org", "0341 123456", "Geheimprojekt Zander"]


def test_loaders_never_log_row_content(warehouse, inbox, contracts, query, caplog):
    caplog.set_level(logging.DEBUG)
    write_csv(inbox / "stadt_leipzig" / "anfragen_2025-03.csv", CITY_ENQ_HEADER, [
        enquiry("WF-1", Bemerkung=SECRETS[3]), enquiry("WF-2", status="???",
                                                        Bemerkung=SECRETS[3])])
    write_workbook(inbox / "lk_leipzig" / "wifoe_lkl_2025-03.xlsx",
                   {"Anfragen": [lk_enquiry("L-1", Notiz=SECRETS[3])], "Ansiedlungen": [],
                    "Flaechen": []})
    write_jsonl(inbox / "irl" / "events_2025-03-04.jsonl",
                [event("01A", payload={"contact": {"name": SECRETS[0]}}), "{broken " + SECRETS[1]])
    for partner in ("stadt_leipzig", "lk_leipzig", "irl"):
        rep = ingest_partner(warehouse, inbox, contracts[partner])
        assert all(secret not in repr(rep.summary()) for secret in SECRETS)
    assert caplog.records, "loads are logged (names and counts)"
    for secret in SECRETS:
        assert secret not in caplog.text
    # personal values are in the partner's raw table and quarantine, nowhere in meta
    assert query("SELECT count(*) FROM raw_stadt_leipzig.enquiries WHERE contact_name = ?",
                 [SECRETS[0]])[0][0] == 1
    for table in ("load_ledger", "load_findings", "api_cursors", "file_checks"):
        dump = repr(query(f"SELECT * FROM meta.{table}"))
        assert all(secret not in dump for secret in SECRETS), table


def test_the_declared_contracts_load(contracts):
    assert set(contracts) == {"stadt_leipzig", "lk_leipzig", "irl"}
    city = contracts["stadt_leipzig"]
    assert [d.kind for d in city.deliveries] == ["enquiries", "settlements", "sites"]
    personal = {c.name for t in city.tables for c in t.columns if c.personal}
    assert personal == {"contact_name", "contact_email", "contact_phone", "remark"}
    assert contracts["irl"].api_delivery.api.connection_id == "irl_crm_api"
    d, m = city.delivery_for("anfragen_2025-03_k2.csv")
    assert (d.kind, m.group("period"), m.group("correction")) == ("enquiries", "2025-03", "2")
    assert city.delivery_for("anfragen_2025-03.xlsx") is None


@pytest.mark.parametrize("body, message", [
    ("partner: x\nname: X\ndeliveries: []\n", "no deliveries"),
    ("partner: x\ndeliveries:\n  - {kind: a, format: csv, file_pattern: 'a.csv', tables: []}\n",
     "(?P<period>"),
    ("partner: x\ndeliveries:\n  - {kind: a, format: pdf, file_pattern: '(?P<period>.*)'}\n",
     "format must be one of"),
    (("partner: x\ndeliveries:\n  - kind: a\n    format: csv\n    file_pattern: '(?P<period>.*)'\n"
     "    tables: [{table: t, columns: [{source: A, name: a, type: money}]}]\n"), "unknown type"),
    (("partner: x\ndeliveries:\n  - kind: a\n    format: csv\n    file_pattern: '(?P<period>.*)'\n"
     "    tables: [{table: t, columns: [{source: A, name: a, requird: true}]}]\n"),
     "unknown column keys"),
])
def test_malformed_contracts_are_refused_with_a_clear_message(tmp_path, body, message):
    path = tmp_path / "x.yml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ContractError) as err:
        load_contract(path)
    assert "x.yml" in str(err.value) and message in str(err.value)


def test_partners_dir_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("REGIOPOOL_PARTNERS_DIR", str(tmp_path))
    assert load_contracts() == []


def test_status_codes_come_from_the_dbt_seed_when_present(tmp_path, monkeypatch):
    from regiopool.ingest import reference

    seeds = tmp_path / "dbt_project" / "seeds"
    seeds.mkdir(parents=True)
    (seeds / "statuses.csv").write_text("partner,source_status,status\nx,Offen,in_progress\n",
                                        encoding="utf-8")
    monkeypatch.setattr(reference, "REPO_ROOT", tmp_path)
    monkeypatch.delenv("REGIOPOOL_REFERENCE_DIR", raising=False)
    assert reference.codelist_path("statuses") == seeds / "statuses.csv"
    assert reference.codelist_keys("statuses", "x") == ["Offen", "in_progress"]
    assert reference.codelist_keys("statuses", "y") == []
    with pytest.raises(reference.CodelistNotFound):
        reference.codelist_path("no_such_list")
