"""The oracle on §2 of the catalogue: which settlement record becomes the regional settlement.

A second hand-made inbox (January and February 2025); the expected values are worked out by hand
in the comments.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest

from . import handmade as hm
from .catalogue import compute

D = dt.date


def rp(partner: str, rid: str) -> str:
    return "RP-" + hashlib.sha256(f"{partner}:{rid}".encode()).hexdigest()[:12]


def city(vn, eingang, firma, status, datum, **kw):
    return {"Vorgangsnummer": vn, "Eingangsdatum": eingang, "Unternehmen": firma,
            "Status": status, "Statusdatum": datum, **kw}


def city_settlement(vn, firma, datum, jobs_new=None, invest=None, **kw):
    return {"Vorgangsnummer": vn, "Unternehmen": firma, "Entscheidungsdatum": datum,
            "Ortsteil": "Mitte", "Arbeitsplaetze_neu": jobs_new, "Investition_EUR": invest, **kw}


def lk(nr, eingang, firma, stand, datum, irl=None, branche=None):
    return [nr, eingang, firma, None, "Deutschland", branche, "Grimma", None, None, None, stand,
            datum, None, irl, None, None]


def lk_settlement(nr, firma, gemeinde, datum, ap_neu=None, ap_ges=None, invest=None,
                  branche=None):
    return [nr, firma, gemeinde, datum, ap_neu, ap_ges, invest, branche, None, None]


@pytest.fixture(scope="module")
def result(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("inbox_settlements")
    c, k, i = root / "stadt_leipzig", root / "lk_leipzig", root / "irl"
    hm.city_csv(c / "anfragen_2025-01.csv", hm.CITY_ENQUIRY_HEADER, [
        city("WF-20", "05.01.2025", "Rot GmbH", "Zusage", "31.01.2025",
             IRL_Projektnummer="IRL-2025-0020"),
        city("WF-21", "06.01.2025", "Blau GmbH", "Zusage", "20.01.2025"),
        city("WF-22", "07.01.2025", "Gruen GmbH", "Zusage", "25.01.2025", WZ2008="35"),
    ])
    hm.city_csv(c / "anfragen_2025-02.csv", hm.CITY_ENQUIRY_HEADER, [])
    hm.city_csv(c / "ansiedlungen_2025-01.csv", hm.CITY_SETTLEMENT_HEADER, [
        city_settlement("WF-21", "Blau GmbH", "20.01.2025", 12, "1.000.000,00"),
        city_settlement("WF-22", "Grün GmbH", "25.01.2025", 5),
    ])
    # the correction withdraws WF-21's settlement
    hm.city_csv(c / "ansiedlungen_2025-01_k1.csv", hm.CITY_SETTLEMENT_HEADER, [
        city_settlement("WF-22", "Grün GmbH", "25.01.2025", 5),
    ])
    hm.city_csv(c / "ansiedlungen_2025-02.csv", hm.CITY_SETTLEMENT_HEADER, [
        city_settlement("WF-20", "Rot GmbH", "10.02.2025", 30, "3.000.000,00"),
    ])
    enquiries = [
        lk("LKL-20", "08.01.2025", "Rot GmbH", "gewonnen", "31.01.2025", irl="IRL-2025-0020"),
        lk("LKL-22", "09.01.2025", "Gruen GmbH", "gewonnen", "25.01.2025"),
        lk("LKL-23", "10.01.2025", "Gelb GmbH", "gewonnen", "28.01.2025"),
        lk("LKL-24", "11.01.2025", "Lila GmbH", "offen", "11.01.2025"),
    ]
    settlements = [
        lk_settlement("LKL-20", "Rot GmbH", "Grimma", "31.01.2025", 40, None, 2000),
        lk_settlement("LKL-22", "Gruen GmbH", "Wurzen", "25.01.2025", 8),
        lk_settlement("LKL-23", "Gelb GmbH", "Atlantis", "26.01.2025", 9),  # does not map
        lk_settlement("LKL-24", "Lila GmbH", "Borna", "30.01.2025", 3, 2, "250,5",
                      branche="Pharma"),
    ]
    hm.district_workbook(k / "wifoe_lkl_2025-01.xlsx", D(2025, 1, 31), enquiries=enquiries,
                         settlements=settlements, sites=[])
    # February: LKL-24's enquiry is deleted from the register, its settlement stays
    hm.district_workbook(k / "wifoe_lkl_2025-02.xlsx", D(2025, 2, 28), enquiries=enquiries[:3],
                         settlements=settlements, sites=[])
    ev = hm.event
    hm.irl_events(i / "events_2025-02-15.jsonl", [
        ev("f01", "project.created", "2025-01-04T09:00:00Z", "IRL-2025-0020",
           received_on="2025-01-04", company_name="Rot GmbH", cluster="AUTO"),
        ev("f02", "project.won", "2025-01-30T09:00:00Z", "IRL-2025-0020",
           decided_on="2025-01-30", ags="14713000", jobs_new=99, investment_eur=1),
        ev("f03", "project.created", "2025-01-12T09:00:00Z", "IRL-2025-0021",
           received_on="2025-01-12", company_name="Orange GmbH", cluster="ENERGY"),
        ev("f04", "project.won", "2025-02-01T09:00:00Z", "IRL-2025-0021",
           decided_on="2025-02-01", ags="14729050", jobs_new=10),
        ev("f05", "project.status_changed", "2025-02-10T09:00:00Z", "IRL-2025-0021",
           status="negotiation"),  # reopened: the won is no longer the latest status event
        ev("f06", "project.created", "2025-01-13T09:00:00Z", "IRL-2025-0025",
           received_on="2025-01-13", company_name="Braun GmbH", cluster="MEDIA_IT"),
        # no decided_on: the Berlin date of 23:30 UTC on 2 Feb (winter time) is 3 Feb
        ev("f07", "project.won", "2025-02-02T23:30:00Z", "IRL-2025-0025", ags="14729410",
           jobs_new=7, jobs_secured=3, investment_eur="100000.5"),
    ])
    return compute(root)


def test_regional_settlements(result):
    got = {r["project_id"]: (r["decided_on"], r["ags"], r["cluster_code"], r["jobs_new"],
                             r["jobs_secured"], r["investment_eur"], r["source_partner"])
           for r in result.fct_settlements.to_dict("records")}
    assert got == {
        # territorial records beat IRL's project.won; of two, the earliest decided (district)
        rp("irl", "IRL-2025-0020"): (D(2025, 1, 31), "14729160", "AUTO", 40, None,
                                     Decimal(2000000), "lk_leipzig"),
        # the same decision date: the city's record wins the tie
        rp("stadt_leipzig", "WF-22"): (D(2025, 1, 25), "14713000", "ENERGY", 5, None, None,
                                       "stadt_leipzig"),
        # a deleted enquiry's settlement is a record of its own, received on its decision date
        rp("lk_leipzig", "LKL-24"): (D(2025, 1, 30), "14729050", "HEALTH", 3, 2,
                                     Decimal(250500), "lk_leipzig"),
        rp("irl", "IRL-2025-0025"): (D(2025, 2, 3), "14729410", "MEDIA_IT", 7, 3,
                                     Decimal("100000.5"), "irl"),
    }


def test_won_without_settlement(result):
    fct = result.fct_projects.set_index("project_id")
    # withdrawn by the correction of the period that delivered it: won through its status
    assert fct.loc[rp("stadt_leipzig", "WF-21"), ["status", "won_on"]].tolist() == [
        "won", D(2025, 1, 20)]
    # the settlement's municipality does not map: set aside, the project stays won through its
    # status, dated by its status date (28.01.), not by the set-aside decision (26.01.)
    assert fct.loc[rp("lk_leipzig", "LKL-23"), ["status", "won_on"]].tolist() == [
        "won", D(2025, 1, 28)]
    # reopened after project.won: open again, no settlement
    assert fct.loc[rp("irl", "IRL-2025-0021"), ["status", "won_on"]].tolist() == [
        "negotiation", None]
    assert fct.loc[rp("irl", "IRL-2025-0020"), "won_on"] == D(2025, 1, 31)
    assert fct.loc[rp("irl", "IRL-2025-0020"), "record_count"] == 3


def test_kpi_settlements_monthly(result):
    got = {(r["month"], r["ags"], r["cluster_code"]): (r["settlements"], r["jobs_new"],
                                                       r["jobs_secured"], r["investment_eur"])
           for r in result.kpi_settlements_monthly.to_dict("records")}
    assert got == {
        (D(2025, 1, 1), "14729160", "AUTO"): (1, 40, None, Decimal("2000000.00")),
        (D(2025, 1, 1), "14713000", "ENERGY"): (1, 5, None, None),
        (D(2025, 1, 1), "14729050", "HEALTH"): (1, 3, 2, Decimal("250500.00")),
        (D(2025, 2, 1), "14729410", "MEDIA_IT"): (1, 7, 3, Decimal("100000.50")),
    }
    won = result.kpi_projects_monthly
    jan = won[won["month"] == D(2025, 1, 1)].set_index("cluster_code")["won_projects"]
    # Jan: IRL-0020 (AUTO), WF-22 (ENERGY), LKL-24 (HEALTH), WF-21 and LKL-23 (OTHER)
    assert jan.to_dict() == {"AUTO": 1, "ENERGY": 1, "HEALTH": 1, "LOGISTICS": 0, "MEDIA_IT": 0,
                             "OTHER": 2}
