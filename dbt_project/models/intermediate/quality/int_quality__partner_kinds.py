"""Which kinds of file each partner sends, and its delivery deadline, from partners/*.yml.

A Python model so that the partner list stays declared configuration: a new partner's
contract adds its rows here, and `partner_deliveries` gets its months.
"""

import pandas as pd


def model(dbt, session):
    dbt.config(materialized="table")
    from regiopool.quality.contracts import load_partners

    rows = [
        {
            "partner": p.partner,
            "kind": kind,
            "deadline_working_days": p.deadline_working_days,
        }
        for p in load_partners()
        for kind in p.kinds
    ]
    return pd.DataFrame(rows, columns=["partner", "kind", "deadline_working_days"])
