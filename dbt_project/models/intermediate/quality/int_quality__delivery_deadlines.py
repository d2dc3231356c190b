"""Delivery deadline per partner and reporting month: the partner's n-th working day
(default 5) in Saxony of the following month (regiopool.ops.deadlines: Saxon public holidays
from the `holidays` package; see docs/decisions/quality-saxon-working-days.md)."""

import datetime

import pandas as pd

FIRST_YEAR = 2010  # reporting periods before 2010 get no deadline (and no timeliness)


def model(dbt, session):
    dbt.config(materialized="table")
    from regiopool.ops.deadlines import delivery_deadline

    kinds = dbt.ref("int_quality__partner_kinds").df()
    first_year, last_year = FIRST_YEAR, datetime.date.today().year + 1
    days_of = dict(zip(kinds["partner"], kinds["deadline_working_days"]))
    by_days = {}  # partners with the same deadline share one computation
    rows = []
    for partner, days in sorted(days_of.items()):
        days = int(days)
        if days not in by_days:
            by_days[days] = [
                (datetime.date(y, m, 1), delivery_deadline(datetime.date(y, m, 1), days))
                for y in range(first_year, last_year + 1)
                for m in range(1, 13)
            ]
        for month, deadline in by_days[days]:
            rows.append({"partner": partner, "month": month, "deadline_on": deadline})
    frame = pd.DataFrame(rows, columns=["partner", "month", "deadline_on"])
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    frame["deadline_on"] = pd.to_datetime(frame["deadline_on"]).dt.date
    return frame
