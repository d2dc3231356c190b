"""Which kinds of file each partner sends, and its delivery deadline, from partners/*.yml.

A Python model so that the partner list stays declared configuration: a new partner's
contract adds its rows here, and `partner_deliveries` gets its months.
"""

import pandas as pd


def model(dbt, session):
    dbt.config(materialized="table")
    from regiopool.quality.contracts import load_partners

    rows = {
        (p.partner, kind): {
            "partner": p.partner,
            "kind": kind,
            "deadline_working_days": p.deadline_working_days,
            "declared": True,
        }
        for p in load_partners()
        for kind in p.kinds
    }
    # a partner or kind in the ledger that no contract declares (a contract removed, say)
    # still gets its months, with the default deadline
    ledger = dbt.ref("stg_meta__load_ledger").df()
    for partner, kind in ledger[["partner", "kind"]].drop_duplicates().itertuples(index=False):
        rows.setdefault((partner, kind), {"partner": partner, "kind": kind,
                                          "deadline_working_days": 5, "declared": False})
    return pd.DataFrame(list(rows.values()),
                        columns=["partner", "kind", "deadline_working_days", "declared"])
