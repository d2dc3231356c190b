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


# The raw text of each feature as the reader wrote it before it handed over columns
# (``json.dumps(feature, ensure_ascii=False)`` per feature), fixed here.
RAW1 = ('{"type": "Feature", "properties": {"flaechen_id": "L-0001", "bezeichnung": "Halle '
        '\\"Nord\\" \\\\ Süd\u2028\\u001b\\n", "ortsteil": [1, 2.5], "groesse_m2": 1e+16,'
        ' "verfuegbar_m2": -0.0, "nutzungsart": "GI", "planungsrecht": "B-Plan rechtskräftig",'
        ' "eigentum": "kommunal", "preis_eur_m2": 12.25, "status": "verfügbar", "autobahn_km": '
        '2.4, "gleisanschluss": false, "stand": null}, "geometry": {"type": "Point", "coordinates": '
        '[316000.5, 5690000.125]}}')
RAW3 = ('{"type": "Feature", "properties": {"flaechen_id": "L-0001", "bezeichnung": "Gewerbegebiet '
        'Nord", "ortsteil": "Wiederitzsch", "groesse_m2": 7, "verfuegbar_m2": 40000.5, "nutzungsart": '
        '"GI", "planungsrecht": "B-Plan rechtskräftig", "eigentum": "kommunal", "preis_eur_m2": '
        'null, "status": "verfügbar", "autobahn_km": 0.1, "gleisanschluss": true, "stand": '
        '"2025-03-15"}, "geometry": null}')
RAW4 = ('{"type": "Feature", "properties": {"flaechen_id": " ", "bezeichnung": "Gewerbegebiet '
        'Nord", "ortsteil": "Wiederitzsch", "groesse_m2": 125000, "verfuegbar_m2": 40000.5,'
        ' "nutzungsart": "GI", "planungsrecht": "B-Plan rechtskräftig", "eigentum": "kommunal",'
        ' "preis_eur_m2": null, "status": "verfügbar", "autobahn_km": 2.4, "gleisanschluss": '
        'true, "stand": "2025-03-15"}, "geometry": {}}')
RAW5 = ('{"geometry": null, "properties": {"flaechen_id": null}, "type": "Feature", "id": '
        '6}')
RAW6 = ('{"type": "Feature", "properties": null, "geometry": {"type": "Polygon", "coordinates": '
        '[[[316000.0, 5690000.0], [316100.0, 5690000.0], [316100.0, 5690100.0], [316000.0,'
        ' 5690000.0]]]}}')
RAW7 = '"kein Feature"'


def _tricky_sites() -> list:
    return [
        site_feature("L-0001", {"type": "Point", "coordinates": [316000.5, 5690000.125]},
                     bezeichnung='Halle "Nord" \\ Süd\u2028\x1b\n', groesse_m2=1e16,
                     verfuegbar_m2=-0.0, preis_eur_m2=12.25, gleisanschluss=False, stand=None,
                     ortsteil=[1, 2.5]),
        site_feature("L-0002", POLY),
        site_feature("L-0001", None, groesse_m2=7, autobahn_km=0.1),
        site_feature(" ", {}),
        {"geometry": None, "properties": {"flaechen_id": None}, "type": "Feature", "id": 6},
        {"type": "Feature", "properties": None, "geometry": POLY},
        "kein Feature",
    ]


def test_set_aside_sites_keep_their_raw_text(warehouse, inbox, contracts, query):
    """Features are handed over column-wise and their raw text is built only for the rows set
    aside: in DuckDB for features of the file's first shape (rows 1, 3, 4), by Python for the
    others (5: other member order; 6, 7: not features). The same text as before."""
    write_geojson(inbox / "stadt_leipzig" / "gewerbeflaechen_2025-03.geojson", _tricky_sites())
    rep = ingest_partner(warehouse, inbox, contracts["stadt_leipzig"])
    f = rep.files[0]
    assert (f.rows_read, f.rows_loaded, f.rows_quarantined) == (7, 1, 6)
    assert query("SELECT _row_number, reason, raw_text FROM raw_stadt_leipzig.quarantine "
                 "ORDER BY 1") == [
        (1, "duplicate_id_in_file", RAW1), (3, "duplicate_id_in_file", RAW3),
        (4, "missing_site_id", RAW4), (5, "missing_site_id", RAW5),
        (6, "invalid_feature", RAW6), (7, "invalid_feature", RAW7)]
    assert query("SELECT site_id, _row_number, gross_area_m2, rail, geometry_geojson "
                 "FROM raw_stadt_leipzig.sites") == [
        ("L-0002", 2, Decimal(125000), True, json.dumps(POLY))]


def test_geojson_batches_hold_the_records(tmp_path, contracts):
    """The reader's Arrow batch (values; raw text as DuckDB builds it) equals its records one
    by one (``json.dumps`` per feature, ``text_of`` per property): numbers of every size and
    kind, texts with control characters, nested values, other shapes, no features."""
    import random

    import duckdb

    from regiopool.ingest.readers.base import object_raw_text_sql, raw_layout
    from regiopool.ingest.readers.geojson_reader import GeoJsonReader

    rnd = random.Random(7)
    nums = [0.0, -0.0, 1e16, 1e15, 123456789012345.6, 999999999999999.9, 1e-5, 1e-4, 0.1,
            -2.5, 1e300, 5e-324, 1e22, 0.30000000000000004, float("nan"), float("inf"),
            -float("inf"), 3, -12, 2**70, True, None, "12,5", "\x00\x0b\x1f\"\\", {"a": [1]}]
    nums += [rnd.uniform(-1e6, 1e6) for _ in range(200)]
    nums += [rnd.random() * 10 ** rnd.randint(-8, 17) for _ in range(200)]
    first = [site_feature(f"L-{i}", POLY if i % 2 else None, groesse_m2=v, preis_eur_m2=v,
                          bezeichnung=v, gleisanschluss=v) for i, v in enumerate(nums)]
    files = {
        "one_shape": first,
        "mixed": first[:5] + _tricky_sites() + [{"properties": {"x": "y\x1b"}}],
        "other_first": [None, {"type": "Feature", "properties": {}}] + first[:5],
        "no_features": [],
        "not_features": [None, 1, []],
    }
    delivery = next(d for d in contracts["stadt_leipzig"].deliveries if d.format == "geojson")
    con = duckdb.connect()
    for name, feats in files.items():
        path = write_geojson(tmp_path / f"{name}.geojson", feats)
        (records,) = GeoJsonReader(path, delivery, "utf-8").tables()
        (read,) = GeoJsonReader(path, delivery, "utf-8").tables()
        (batch,) = read.batches  # one table per file
        width, objects = raw_layout(batch.column_names)
        con.register("b", batch)
        raws = [r[0] for r in con.execute(
            f"SELECT {object_raw_text_sql(width) if objects else '_raw_text'} FROM b "
            "ORDER BY _row_number").fetchall()]
        con.unregister("b")
        n_values = sum(1 for c in batch.column_names if c.startswith("v"))
        got = [(r["_row_number"], raw, [r[f"v{i}"] for i in range(n_values)], r["_reason"])
               for r, raw in zip(batch.to_pylist(), raws)]
        want = [(r.row_number, r.raw_text, r.values, r.reason) for r in records.records]
        assert got == want, name


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
