"""Delivery deadline per partner and reporting month: the partner's n-th working day
(default 5) in Saxony of the following month, with Saxon public holidays from the
`holidays` package (see docs/decisions/quality-saxon-working-days.md)."""

import datetime

import pandas as pd

FIRST_YEAR = 2010  # reporting periods before 2010 get no deadline (and no timeliness)


def model(dbt, session):
    dbt.config(materialized="table")
    from regiopool.quality.calendar import deadlines
    from regiopool.quality.contracts import load_partners

    last_year = datetime.date.today().year + 1
    by_days = {}  # partners with the same deadline share one computation
    rows = []
    for p in load_partners():
        days = p.deadline_working_days
        if days not in by_days:
            by_days[days] = deadlines(FIRST_YEAR, last_year, days)
        for month, deadline in by_days[days]:
            rows.append({"partner": p.partner, "month": month, "deadline_on": deadline})
    frame = pd.DataFrame(rows, columns=["partner", "month", "deadline_on"])
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    frame["deadline_on"] = pd.to_datetime(frame["deadline_on"]).dt.date
    return frame
