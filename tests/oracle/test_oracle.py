"""The oracle itself, on a hand-made inbox whose expected KPIs were worked out by hand from
../shared/kpi/CATALOGUE.md (the reasoning is in the comments next to each figure).

The inbox covers: the city's deltas with a `_k1` correction, a legacy-encoded file, a duplicate
id, an out-of-period date, an unmapped status, a truncated last line; district snapshots with a
deletion, a duplicate id, a set-aside site that keeps its state, a former municipality name, the
`Summe` row; IRL duplicates, out-of-order and late events, a reopened project, invalid JSON, an
unknown event type, a field cleared by `project.updated`; linking by reference, register entry
(court taken over) and normalised name (window edges, transitively); the regional win; the
settlement precedence; stand-in site snapshots that run out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest

from . import handmade as hm
from .catalogue import compute, normalise_name, parse_register, round_half_away
from .readers import decode_bytes, discover, read_csv, tokenize_csv

D = dt.date
EH = hm.CITY_ENQUIRY_HEADER
SH = hm.CITY_SETTLEMENT_HEADER


def city_row(vn, eingang, firma=None, status="neu", statusdatum=None, **kw):
    row = {"Vorgangsnummer": vn, "Eingangsdatum": eingang, "Unternehmen": firma,
           "Status": status, "Statusdatum": statusdatum, "Projektname": f"Projekt {vn}",
           "Ansprechpartner": "Erika Muster", "E_Mail": "e.muster@example.org"}
    row.update(kw)
    return row


def lk_enquiry(nr, eingang, firma, stand, datum=None, *, hr=None, branche=None, grund=None,
               irl=None):
    return [nr, eingang, firma, hr, "Deutschland", branche, "Borna", "2,5", 40, "4500", stand,
            datum, grund, irl, "Erika Muster, e.muster@example.org", "vertraulich"]


def lk_site(fid, gemeinde, free, art, status):
    return [fid, f"Gewerbegebiet {fid}", gemeinde, "10,0", free, art, "B-Plan rechtskräftig",
            "Gemeinde", None, status, 2.5, "ja", 320000, 5680000]


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("inbox")
    city, lk, irl = root / "stadt_leipzig", root / "lk_leipzig", root / "irl"

    # -- city enquiries ----------------------------------------------------------------------
    hm.city_csv(city / "anfragen_2024-12.csv", EH, [
        city_row("WF-1", "02.12.2024", "Müller Präzisionsteile GmbH", "neu", "02.12.2024",
                 Registernummer="HRB 4711", Registergericht="Leipzig", WZ2008="29.10",
                 Herkunftsland="Österreich", Bemerkung="Rückruf „dringend“ – 5 €"),
        city_row("WF-2", "05.12.2024", "Alpha Logistik GmbH", "in Bearbeitung", "10.12.2024",
                 WZ2008="49.41"),
    ], encoding="cp1252")
    hm.city_csv(city / "anfragen_2025-01.csv", EH, [  # replaced completely by _k1
        city_row("WF-2", "05.12.2024", "Alpha Logistik GmbH", "Zusage", "20.01.2025"),
        city_row("WF-3", "10.01.2025", "Gamma GmbH", "Absage", "25.01.2025",
                 Absagegrund="Kosten", WZ2008="62"),
        city_row("WF-5", "11.01.2025", "Omikron GmbH", "neu", "11.01.2025"),
    ])
    hm.city_csv(city / "anfragen_2025-01_k1.csv", EH, [
        city_row("WF-2", "05.12.2024", "Alpha Logistik GmbH", "Zusage", "20.01.2025",
                 WZ2008="49.41"),
        city_row("WF-3", "10.01.2025", "Gamma GmbH", "Absage", "28.01.2025",
                 Absagegrund="zu teuer", WZ2008="62"),
        city_row("WF-4", "12.01.2025", "Pi GmbH", "neu", "12.01.2025"),
        city_row("WF-4", "12.01.2025", "Pi GmbH", "in Bearbeitung", "13.01.2025"),
    ])
    hm.city_csv(city / "anfragen_2025-02.csv", EH, [
        city_row("WF-1", "02.12.2024", "Müller Präzisionsteile GmbH", "Besichtigung", None,
                 Registernummer="HRB 4711", Registergericht="Leipzig", WZ2008="29.10"),
        city_row("WF-6", "05.03.2025", "Rho GmbH", "neu", "05.03.2025"),  # after its period
        city_row("WF-7", "06.02.2025", "Sigma GmbH", "unbekannt", "06.02.2025"),  # unmapped
    ])
    hm.city_csv(city / "anfragen_2025-03.csv", EH, [
        city_row("WF-1", "02.12.2024", "Müller Präzisionsteile GmbH", "Absage", "03.03.2025"),
        city_row("WF-1", "02.12.2024", "Müller Präzisionsteile GmbH", "Zusage", "04.03.2025"),
        city_row("WF-8", "03.03.2025", None, "neu", "03.03.2025",
                 IRL_Projektnummer=" irl-2025-0001 ", WZ2008="86.10",
                 Bemerkung='Zeile 1; mit "Zitat"\nZeile 2'),
        city_row("WF-10", "25.03.2025", "Iota", "neu", "25.03.2025", WZ2008="4941",
                 IRL_Projektnummer="IRL-2025-0007"),
    ], tail='WF-11;05.03.2025;"Projekt Abbruch;Tau GmbH')  # truncated last line
    # -- city settlements: WF-9's enquiry was never delivered --------------------------------
    hm.city_csv(city / "ansiedlungen_2025-03.csv", SH, [
        {"Vorgangsnummer": "WF-9", "Unternehmen": "Delta Chemie AG",
         "Entscheidungsdatum": "15.03.2025", "Ortsteil": "Plagwitz", "Arbeitsplaetze_neu": "50",
         "Arbeitsplaetze_gesichert": "10", "Investition_EUR": "1.234.567,895",
         "WZ2008": "20.11", "Vorhabenart": "Neuansiedlung"},
    ])
    hm.city_csv(city / "ansiedlungen_2025-01.csv", SH, [])
    # -- city sites: Jan, (Feb missing), Mar --------------------------------------------------
    hm.city_sites(city / "gewerbeflaechen_2025-01.geojson", [
        {"flaechen_id": "L-0001", "verfuegbar_m2": 25000, "nutzungsart": "GE",
         "status": "verfügbar"},
        {"flaechen_id": "L-0002", "verfuegbar_m2": 30000, "nutzungsart": "GI",
         "status": "reserviert"},
        {"flaechen_id": "L-0003", "verfuegbar_m2": 12345, "nutzungsart": "GI",
         "status": "verfügbar"},
    ])
    hm.city_sites(city / "gewerbeflaechen_2025-03.geojson", [
        {"flaechen_id": "L-0001", "verfuegbar_m2": 20000, "nutzungsart": "GE",
         "status": "verfügbar"},
    ])

    # -- district workbooks: Jan and Feb --------------------------------------------------------
    hm.district_workbook(lk / "wifoe_lkl_2025-01.xlsx", D(2025, 1, 31), enquiries=[
        lk_enquiry("LKL-1", dt.datetime(2025, 1, 8), "Mueller Praezisionsteile GmbH & Co. KG",
                   "offen", "08.01.2025", hr="AG Leipzig HRB 4711", branche="Kfz-Zulieferer"),
        lk_enquiry("LKL-2", dt.datetime(2025, 1, 15), "Epsilon GmbH", "verloren",
                   dt.datetime(2025, 1, 30), grund="Fachkräftemangel", irl="IRL-2025-0002"),
        lk_enquiry("LKL-3", "20.01.2025", " Zeta AG ", "gewonnen", "31.01.2025",
                   branche="Logistik"),
        lk_enquiry("LKL-4", "05.01.2025", "Eta GmbH", "offen", "05.01.2025"),
        [None] * 5,
        ["Summe", None, None, None, None, None, None, "10", 160, "18000"],
    ], settlements=[
        ["LKL-3", "Zeta AG", "Trebsen", "31.01.2025", 20, "5", "1,5", "Logistik", None, None],
    ], sites=[
        lk_site("K-0001", "Borna", "2,5", "GE/GI", "frei"),
        lk_site("K-0002", "Grimma", "3,0", "GE", "verkauft"),
    ])
    hm.district_workbook(lk / "wifoe_lkl_2025-02.xlsx", D(2025, 2, 28), enquiries=[
        lk_enquiry("LKL-1", dt.datetime(2025, 1, 8), "Mueller Praezisionsteile GmbH & Co. KG",
                   " Zurueckgestellt ", None, hr="AG Leipzig HRB 4711", branche="Kfz-Zulieferer"),
        lk_enquiry("LKL-2", dt.datetime(2025, 1, 15), "Epsilon GmbH", "verloren",
                   dt.datetime(2025, 1, 30), grund="Fachkräftemangel", irl="IRL-2025-0002"),
        lk_enquiry("LKL-3", "20.01.2025", "Zeta AG", "gewonnen", "31.01.2025",
                   branche="Logistik"),
        lk_enquiry("LKL-5", "10.02.2025", "Ypsilon GmbH", "offen", "10.02.2025"),
        lk_enquiry("LKL-5", "11.02.2025", "Ypsilon GmbH", "offen", "11.02.2025"),
        lk_enquiry("LKL-6", "01.02.2025", "Alpha Logistik", "offen", "01.02.2025"),
        ["Summe"],
    ], settlements=[
        ["LKL-3", "Zeta AG", "Trebsen", "31.01.2025", 20, "5", "1,5", "Logistik", None, None],
    ], sites=[
        lk_site("K-0001", "Nirgendwo", "9,0", "GE/GI", "frei"),  # set aside: keeps its state
        lk_site("K-0003", "Wurzen", "0,00005", "GI", "frei"),
    ])

    # -- IRL events ---------------------------------------------------------------------------
    ev = hm.event
    created1 = ev("e01", "project.created", "2025-01-10T10:00:00Z", "IRL-2025-0001",
                  received_on="2025-01-09", company_name="Theta Ltd.", cluster="MEDIA_IT",
                  project_type="new", partner_refs=[],
                  contact={"name": "A", "email": "a@example.org", "phone": "1"})
    hm.irl_events(irl / "events_2025-01-10.jsonl", [
        created1, created1,
        '{"event_id": "e98", "event_type": "project.created", "occurred_at": "2025-01-1',
        ev("e99", "project.deleted", "2025-01-10T11:00:00Z", "IRL-2025-0001"),
    ])
    hm.irl_events(irl / "events_2025-02-01.jsonl", [
        ev("e02", "project.created", "2025-01-12T09:00:00Z", "IRL-2025-0002",
           received_on="2025-01-12", company_name="Epsilon GmbH", cluster="HEALTH",
           partner_refs=[{"partner": "lk_leipzig", "ref": "LKL-2"}]),
    ])
    won2 = ev("e03", "project.won", "2025-02-03T15:00:00Z", "IRL-2025-0002",
              decided_on="2025-02-03", ags="14729050", site_id=None, jobs_new=100,
              jobs_secured=None, investment_eur=5000000.005, project_type="new")
    hm.irl_events(irl / "events_2025-02-05.jsonl", [
        won2,
        # late, and its occurred_at is in April in Berlin (summer time): 2025-04-01
        ev("e04", "project.status_changed", "2025-03-31T22:30:00Z", "IRL-2025-0001",
           status="qualified"),
    ])
    hm.irl_events(irl / "events_2025-03-10.jsonl", [
        ev("e05", "project.created", "2025-03-01T08:00:00Z", "IRL-2025-0003",
           received_on="2025-02-27", company_name=None, register_id="HRB 999",
           register_court=None, cluster="ENERGY"),
        ev("e06", "project.lost", "2025-03-05T08:00:00Z", "IRL-2025-0003",
           decided_on="2025-03-04", lost_reason="no_suitable_site"),
        ev("e07", "project.status_changed", "2025-03-08T08:00:00Z", "IRL-2025-0003",
           status="site_offer"),  # reopens
        ev("e08", "project.lost", "2025-03-02T08:00:00Z", "IRL-2025-0003",
           decided_on="2025-03-02", lost_reason="labour"),  # out of order
        ev("e03b", "project.created", "2025-03-06T08:00:00Z", "IRL-2025-0006",
           received_on="2025-03-06", company_name="Alpha-Logistik GmbH", cluster="OTHER"),
        won2,  # delivered again
    ])
    hm.irl_events(irl / "events_2025-04-02.jsonl", [
        ev("e09", "project.created", "2025-04-01T10:00:00Z", "IRL-2025-0004",
           received_on="2025-03-20", company_name="Iota GmbH", cluster="LOGISTICS"),
        ev("e10", "project.lost", "2025-04-02T10:00:00Z", "IRL-2025-0004",
           decided_on="2025-04-01", lost_reason="other_location"),
        ev("e11", "project.updated", "2025-04-01T12:00:00Z", "IRL-2025-0001", cluster=None),
        # IRL-0007's project.created has not arrived: a record all the same, linked by WF-10
        ev("e13", "project.status_changed", "2025-04-02T09:00:00Z", "IRL-2025-0007",
           status="negotiation"),
    ])
    # an identical copy of a file delivered again under another name: its events count once
    (irl / "events_2025-04-03.jsonl").write_bytes((irl / "events_2025-04-02.jsonl").read_bytes())
    hm.irl_events(irl / "events_2025-05-01.jsonl", [
        ev("e12", "project.created", "2025-05-01T09:00:00Z", "IRL-2025-0005",
           received_on="2025-04-28", company_name="Kappa GmbH", register_id="HRB 999",
           register_court="Amtsgericht Leipzig", cluster="AUTO"),
        # only a status event, no project.created: dated by its first event (Berlin date)
        ev("e14", "project.status_changed", "2025-04-30T22:30:00Z", "IRL-2025-0008",
           status="site_visit"),
    ])
    return root


@pytest.fixture(scope="module")
def result(inbox):
    return compute(inbox)


def rp(partner: str, rid: str) -> str:
    return "RP-" + hashlib.sha256(f"{partner}:{rid}".encode()).hexdigest()[:12]


def test_regional_projects(result):
    fct = result.fct_projects.set_index("project_id")
    got = {pid: (r.first_received_on, r.cluster_code, r.status, r.won_on, r.lost_on,
                 r.lost_reason, tuple(r.partners), r.record_count) for pid, r in fct.iterrows()}
    assert got == {
        # WF-1 + LKL-1: same register entry (court from the whole cell) and name; WF-1 keeps its
        # February state (its March rows are a duplicate id), LKL-1 is on hold -> site_visit
        rp("stadt_leipzig", "WF-1"): (D(2024, 12, 2), "AUTO", "site_visit", None, None, None,
                                      ("lk_leipzig", "stadt_leipzig"), 2),
        # WF-2 ~ LKL-6 (58 days) ~ IRL-0006 (33 days; 91 days from WF-2): transitively one;
        # cluster from the IRL record; won by the city's status, no settlement
        rp("stadt_leipzig", "WF-2"): (D(2024, 12, 5), "OTHER", "won", D(2025, 1, 20), None,
                                      None, ("irl", "lk_leipzig", "stadt_leipzig"), 3),
        # the _k1 correction: lost on 28.01., "zu teuer" -> costs
        rp("stadt_leipzig", "WF-3"): (D(2025, 1, 10), "MEDIA_IT", "lost", None, D(2025, 1, 28),
                                      "costs", ("stadt_leipzig",), 1),
        # IRL-0001 <- WF-8 by reference (trimmed, upper-cased); IRL's cluster cleared -> city's
        rp("irl", "IRL-2025-0001"): (D(2025, 1, 9), "HEALTH", "in_progress", None, None, None,
                                     ("irl", "stadt_leipzig"), 2),
        # settlement without an enquiry: a record of its own, received on its decision date
        rp("stadt_leipzig", "WF-9"): (D(2025, 3, 15), "ENERGY", "won", D(2025, 3, 15), None,
                                      None, ("stadt_leipzig",), 1),
        # IRL-0004 lost, WF-10 ("Iota", 5 days) still new, IRL-0007 (referenced by WF-10, no
        # project.created yet) in negotiation -> not every record lost; the most advanced
        rp("irl", "IRL-2025-0004"): (D(2025, 3, 20), "LOGISTICS", "negotiation", None, None,
                                     None, ("irl", "stadt_leipzig"), 3),
        # regional win: the district lost it, IRL won it (IRL's project.won is the settlement)
        rp("irl", "IRL-2025-0002"): (D(2025, 1, 12), "HEALTH", "won", D(2025, 2, 3), None, None,
                                     ("irl", "lk_leipzig"), 2),
        rp("lk_leipzig", "LKL-3"): (D(2025, 1, 20), "LOGISTICS", "won", D(2025, 1, 31), None,
                                    None, ("lk_leipzig",), 1),
        # HRB 999 without a court takes the only court named for it; reopened -> site_offer
        rp("irl", "IRL-2025-0003"): (D(2025, 2, 27), "ENERGY", "site_offer", None, None, None,
                                     ("irl",), 2),
        rp("irl", "IRL-2025-0008"): (D(2025, 5, 1), "OTHER", "site_visit", None, None, None,
                                     ("irl",), 1),
    }


def test_settlements(result):
    fct = result.fct_settlements.set_index("project_id")
    assert set(fct.index) == {rp("stadt_leipzig", "WF-9"), rp("irl", "IRL-2025-0002"),
                              rp("lk_leipzig", "LKL-3")}
    assert fct.loc[rp("lk_leipzig", "LKL-3"), "ags"] == "14729400"  # former name "Trebsen"
    assert fct.loc[rp("lk_leipzig", "LKL-3"), "investment_eur"] == Decimal(1500)  # 1,5 T€
    assert fct.loc[rp("irl", "IRL-2025-0002"), "source_partner"] == "irl"


def rows(df, keys):
    return {tuple(r[k] for k in keys): tuple(r[c] for c in df.columns if c not in keys)
            for r in df.to_dict("records")}


def test_kpi_projects_monthly(result):
    kp = result.kpi_projects_monthly
    months = [D(2024, 12, 1)] + [D(2025, m, 1) for m in range(1, 6)]
    assert sorted(set(kp["month"])) == months  # up to IRL's latest events file (May)
    assert len(kp) == len(months) * 6  # every cluster, zeros included
    nonzero = {k: v for k, v in rows(kp, ["month", "cluster_code"]).items() if any(v)}
    M = lambda m: D(2024, 12, 1) if m == 0 else D(2025, m, 1)
    # (new, won, lost, open at month end)
    assert nonzero == {
        (M(0), "AUTO"): (1, 0, 0, 1), (M(0), "OTHER"): (1, 0, 0, 1),
        (M(1), "AUTO"): (0, 0, 0, 1), (M(1), "HEALTH"): (2, 0, 0, 2),
        (M(1), "LOGISTICS"): (1, 1, 0, 0), (M(1), "MEDIA_IT"): (1, 0, 1, 0),
        (M(1), "OTHER"): (0, 1, 0, 0),
        (M(2), "AUTO"): (0, 0, 0, 1), (M(2), "HEALTH"): (0, 1, 0, 1),
        (M(2), "ENERGY"): (1, 0, 0, 1),
        (M(3), "AUTO"): (0, 0, 0, 1), (M(3), "HEALTH"): (0, 0, 0, 1),
        (M(3), "ENERGY"): (1, 1, 0, 1), (M(3), "LOGISTICS"): (1, 0, 0, 1),
        (M(4), "AUTO"): (0, 0, 0, 1), (M(4), "HEALTH"): (0, 0, 0, 1),
        (M(4), "ENERGY"): (0, 0, 0, 1), (M(4), "LOGISTICS"): (0, 0, 0, 1),
        (M(5), "AUTO"): (0, 0, 0, 1), (M(5), "HEALTH"): (0, 0, 0, 1),
        (M(5), "ENERGY"): (0, 0, 0, 1), (M(5), "LOGISTICS"): (0, 0, 0, 1),
        (M(5), "OTHER"): (1, 0, 0, 1),  # IRL-0008
    }


def test_kpi_settlements_monthly(result):
    got = rows(result.kpi_settlements_monthly, ["month", "ags", "cluster_code"])
    assert got == {
        (D(2025, 1, 1), "14729400", "LOGISTICS"): (1, 20, 5, Decimal("1500.00")),
        # secured jobs unknown -> empty, not zero; 5000000.005 rounds half away from zero
        (D(2025, 2, 1), "14729050", "HEALTH"): (1, 100, None, Decimal("5000000.01")),
        (D(2025, 3, 1), "14713000", "ENERGY"): (1, 50, 10, Decimal("1234567.90")),
    }


def test_kpi_lost_reasons_monthly(result):
    assert rows(result.kpi_lost_reasons_monthly, ["month", "lost_reason"]) == {
        (D(2025, 1, 1), "costs"): (1,)}


def test_kpi_land_monthly(result):
    got = rows(result.kpi_land_monthly, ["month", "ags", "zoning"])
    city_jan = {"GE": (1, Decimal("2.5000"), D(2025, 1, 1)),
                "GI": (1, Decimal("1.2345"), D(2025, 1, 1))}
    city_mar = {"GE": (1, Decimal("2.0000"), D(2025, 3, 1))}
    lk_feb = {("14729050", "GI"): (1, Decimal("2.5000"), D(2025, 2, 1)),  # K-0001 kept
              ("14729410", "GI"): (1, Decimal("0.0001"), D(2025, 2, 1))}  # 0.00005 ha
    expected = {}
    for m, city in ((1, city_jan), (2, city_jan), (3, city_mar), (4, city_mar), (5, city_mar)):
        for z, v in city.items():
            expected[(D(2025, m, 1), "14713000", z)] = v
    expected[(D(2025, 1, 1), "14729050", "GI")] = (1, Decimal("2.5000"), D(2025, 1, 1))
    for m in (2, 3, 4):  # the February workbook stands in for March and April, not May
        for (ags, z), v in lk_feb.items():
            expected[(D(2025, m, 1), ags, z)] = v
    assert got == expected
    assert result.range_land == (D(2024, 12, 1), D(2025, 5, 1))


def test_set_aside_rows(result):
    reasons = {(s.file, s.reason) for s in result.set_aside}
    assert ("anfragen_2025-01_k1.csv", "duplicate_id_in_file") in reasons
    assert ("anfragen_2025-02.csv", "date_out_of_period:Eingangsdatum") in reasons
    assert ("anfragen_2025-02.csv", "unmapped_status") in reasons
    assert ("anfragen_2025-03.csv", "truncated_line") in reasons
    assert ("wifoe_lkl_2025-02.xlsx#Anfragen", "duplicate_id_in_file") in reasons
    assert ("wifoe_lkl_2025-02.xlsx#Flaechen", "unmapped_municipality") in reasons
    assert ("events_2025-01-10.jsonl", "invalid_json") in reasons
    assert ("events_2025-01-10.jsonl", "unknown_event_type") in reasons
    # nothing of the replaced January file is read
    assert not any(s.file == "anfragen_2025-01.csv" for s in result.set_aside)


def test_discover_keeps_highest_correction(inbox):
    names = {f.path.name for f in discover(inbox)}
    assert "anfragen_2025-01_k1.csv" in names and "anfragen_2025-01.csv" not in names


# -- keys and readers -------------------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    ("Müller Präzisionsteile GmbH", "mueller praezisionsteile"),
    ("Mueller Praezisionsteile GmbH & Co. KG", "mueller praezisionsteile"),
    ("Straße der Einheit e.V.", "strasse der einheit"),
    ("Nordwind UG (haftungsbeschränkt)", "nordwind"),
    ("ACME Holding S.A.", "acme holding"),
    ("Foo AG & Co. KG", "foo"),
    ("Beta SE KG", "beta"),  # removed again and again
    ("GmbH", "gmbh"),  # would become empty: keeps its last word
    ("  ", None),
])
def test_normalise_name(raw, expected):
    assert normalise_name(raw) == expected


def test_register_entries():
    leipzig = ("HRB", "4711", "leipzig")
    assert parse_register("AG Leipzig HRB 4711", whole_cell=True) == leipzig
    assert parse_register("HRB 4711 (Amtsgericht Leipzig)", whole_cell=True) == leipzig
    assert parse_register("HRB4711", "Leipzig") == leipzig
    assert parse_register("hrb 004711", "Registergericht Leipzig") == leipzig
    assert parse_register("HRB 12345 B", "Leipzig") == ("HRB", "12345 B", "leipzig")
    assert parse_register("GnR 12", None) == ("GNR", "12", None)
    assert parse_register("12345", "Leipzig") is None


def test_encoding_detection():
    assert decode_bytes("a;€ „x“ – ü".encode("cp1252")) == "a;€ „x“ – ü"
    assert decode_bytes("\ufeffa;ü".encode("utf-8")) == "a;ü"
    assert decode_bytes("a;ü".encode()) == "a;ü"


def test_csv_tokenizer_quotes_and_truncation(tmp_path):
    recs = tokenize_csv('a;b\r\n1;"x;\n""y"""\r\n2;"open')
    assert [r.fields for r in recs] == [["a", "b"], ["1", 'x;\n"y"'], ["2", "open"]]
    assert [r.line for r in recs] == [1, 2, 4]
    assert recs[-1].unterminated
    (tmp_path / "f.csv").write_bytes(b"a;b;c\r\n1;2;3\r\n4;5\r\n")
    table = read_csv(tmp_path / "f.csv")
    assert len(table.rows) == 1 and table.unreadable == [(3, "too_few_fields")]


def test_rounding_half_away_from_zero():
    assert round_half_away(Decimal("0.00005"), 4) == Decimal("0.0001")
    assert round_half_away(Decimal("-2.345"), 2) == Decimal("-2.35")
    assert round_half_away(None, 2) is None
