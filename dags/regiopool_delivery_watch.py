"""regiopool_delivery_watch: a daily alert when a partner's delivery for last month is late."""

from __future__ import annotations

from airflow.sdk import dag, get_current_context, task

from regiopool.airflow_defaults import START_DATE, TIMEZONE, WAREHOUSE_POOL, default_args

DOC = """
### Delivery deadline watch (daily alert for late partners)

Partners deliver a month's files by the **5th working day of the following month** (working days
in Saxony: Monday to Friday without Saxon public holidays; `deadline_working_days` in
`partners/<partner>.yml`). Every morning at 08:00 (Europe/Berlin) this DAG looks at the month
before the run date:

1. **find_late_deliveries**: after the deadline, every partner for which not every kind of file
   it sends has been loaded for that month (from the load ledger `meta.load_ledger`; reads the
   warehouse in the one-slot pool `regiopool_warehouse`). Before the deadline nobody is late.
2. **alert_late_partners**: one alert naming the partners, the missing kinds of file and the
   deadline, posted to `REGIOPOOL_ALERT_WEBHOOK` (chat or mail gateway) and written to the task
   log. *Skipped* when every partner has delivered (or the deadline has not passed yet).

The alert repeats every day until the files are there. What to do: docs/operations.md, "A partner
is late". A late partner never stops the others' data; the council extract's quality gate blocks
the month until it delivers, or until the extract is triggered with
`accepted_missing_partners`.
"""


@dag(
    dag_id="regiopool_delivery_watch",
    description="Daily 08:00: alert when a partner's delivery for last month is late "
                "(after the 5th working day in Saxony)",
    schedule="0 8 * * *",
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    tags=["regiopool", "operations", "deadline"],
    doc_md=DOC,
)
def regiopool_delivery_watch():
    @task(pool=WAREHOUSE_POOL)
    def find_late_deliveries() -> dict:
        import pendulum

        from regiopool.ops.deadlines import late_deliveries
        from regiopool.settings import get_settings

        context = get_current_context()
        when = context.get("logical_date") or context["dag_run"].run_after
        today = pendulum.instance(when).in_timezone(TIMEZONE).date()
        month, late = late_deliveries(get_settings().warehouse, today)
        return {"today": today.isoformat(), "month": month, "late": [d.as_dict() for d in late]}

    @task
    def alert_late_partners(found: dict) -> str:
        from datetime import date

        from airflow.sdk.exceptions import AirflowSkipException

        from regiopool.airflow_defaults import send_alert
        from regiopool.ops.deadlines import LateDelivery, late_message

        if not found["late"]:
            raise AirflowSkipException(f"every partner delivered {found['month']} "
                                       "(or its deadline has not passed)")
        late = [LateDelivery(**d) for d in found["late"]]
        text = late_message(found["month"], late, date.fromisoformat(found["today"]))
        send_alert(text, kind="late_delivery",
                   details={"month": found["month"], "partners": [d.partner for d in late]})
        return text

    alert_late_partners(find_late_deliveries())


regiopool_delivery_watch()
