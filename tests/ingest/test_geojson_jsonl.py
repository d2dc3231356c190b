"""The city's GeoJSON sites and IRL's JSON Lines events."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from fixtures import event, site_feature, write_geojson, write_jsonl

from regiopool.ingest import ingest_partner

POLY = {"type": "Polygon", "coordinates": [[[316000.0, 5690000.0], [316100.0, 5690000.0],
                                            [316100.0, 5690100.0], [316000.0, 5690000.0]]]}


def test_geojson_features_geometry_and_properties(warehouse, inbox, contracts, query):
    write_geojson(inbox / "stadt_leipzig" / "gewerbeflaechen_2025-03.geojson", [
        site_feature("L-0001", POLY),
        site_feature("L-0002", None, preis_eur_m2=45.5, gleisanschluss=False),
        site_feature("L-0003", POLY, groesse_m2="groß", stand="15.03.2025"),
        site_feature(None, POLY),
    ])
    rep = ingest_partner(warehouse, inbox, contracts["stadt_leipzig"])
    f = rep.files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_quarantined) == (4, 3, 1)
    rows = query("SELECT site_id, gross_area_m2, price_eur_m2, rail, changed_on, "
                 "geometry_geojson, _row_number FROM raw_stadt_leipzig.sites ORDER BY 1")
    assert rows[0][:5] == ("L-0001", Decimal(125000), None, True, dt.date(2025, 3, 15))
    assert json.loads(rows[0][5]) == POLY
    assert rows[1][2:4] == (Decimal("45.5"), False) and rows[1][5] is None
    assert rows[2][1] is None and rows[2][4] is None and rows[2][6] == 3
    assert query("SELECT _row_number, reason FROM raw_stadt_leipzig.quarantine") == [
        (4, "missing_site_id")]
    assert query("SELECT row_number, column_name, rule FROM meta.load_findings ORDER BY 2") == [
        (3, "changed_on", "unparsed_date"), (3, "gross_area_m2", "unparsed_number")]


def test_jsonl_events_and_every_set_aside_reason(warehouse, inbox, contracts, query):
    write_jsonl(inbox / "irl" / "events_2025-03-04.jsonl", [
        event("01A"),                                                     # 1
        event("01A"),                                                     # 2 at least once: kept
        event("01B", "project.exploded"),                                 # 3
        "{not json",                                                      # 4
        "",                                                               # 5 blank: no record
        {"event_type": "project.updated", "occurred_at": "2025-03-04T10:00:00Z",
         "project_id": "IRL-2025-0042", "payload": {}},                   # 6 no id
        event("01C", occurred_at="gestern"),                              # 7 bad timestamp
        "[1, 2]",                                                         # 8 not an object
        event("01D", occurred_at="2019-01-01T00:00:00Z", project_id="IRL-2019-1"),  # 9 old: ok
    ], tail='{"event_id": "01E", "event_type": "proj')                    # 10 truncated
    rep = ingest_partner(warehouse, inbox, contracts["irl"])
    f = rep.files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_quarantined) == (9, 3, 6)
    assert query("SELECT event_id, _row_number, occurred_at, _period FROM raw_irl.events "
                 "ORDER BY 2") == [
        ("01A", 1, dt.datetime(2025, 3, 4, 9, 12, 33, tzinfo=dt.UTC),
         dt.date(2025, 3, 4)),
        ("01A", 2, dt.datetime(2025, 3, 4, 9, 12, 33, tzinfo=dt.UTC),
         dt.date(2025, 3, 4)),
        ("01D", 9, dt.datetime(2019, 1, 1, tzinfo=dt.UTC), dt.date(2025, 3, 4)),
    ]
    assert query("SELECT _row_number, reason FROM raw_irl.quarantine ORDER BY 1") == [
        (3, "unknown_event_type"), (4, "invalid_json"), (6, "missing_event_id"),
        (7, "unparsed_timestamp:occurred_at"), (8, "invalid_json"), (10, "truncated_line")]
    payload = query("SELECT payload FROM raw_irl.events WHERE _row_number = 1")[0][0]
    assert json.loads(payload)["contact"] == {"name": "Erika Muster"}


def test_jsonl_renamed_key_rejects_file_but_loads_the_others(warehouse, inbox, contracts, query):
    write_jsonl(inbox / "irl" / "events_2025-03-04.jsonl", [event("01A")])
    renamed = {**event("01B"), "type": "project.created"}
    del renamed["event_type"]
    write_jsonl(inbox / "irl" / "events_2025-03-05.jsonl", [renamed, renamed])
    rep = ingest_partner(warehouse, inbox, contracts["irl"])
    assert [f.status for f in rep.files] == ["loaded", "rejected_schema"]
    assert rep.files[1].missing_columns == ["event_type"]
    assert rep.files[1].added_columns == []
    assert query("SELECT event_id FROM raw_irl.events") == [("01A",)]
    assert query("SELECT count(*) FROM raw_irl.quarantine")[0][0] == 0
    assert query("SELECT file_name, status FROM meta.load_ledger ORDER BY 1") == [
        ("events_2025-03-04.jsonl", "loaded"), ("events_2025-03-05.jsonl", "rejected_schema")]
