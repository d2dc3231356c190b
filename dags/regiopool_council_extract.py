"""regiopool_council_extract: the monthly German KPI extract for the city council."""

from __future__ import annotations

from airflow.sdk import Param, dag, get_current_context, task

from regiopool.airflow_defaults import START_DATE, default_args

DOC = """
### Monthly council extract (PDF and XLSX)

Runs on the 12th of every month at 06:00 Europe/Berlin (after the partners' deadline, the 5th
working day in Saxony) for the **previous** month, or for the month given as `report_month` (`YYYY-MM`) when triggered by
hand (re-publishing or backfilling a month).

1. **choose_report_month**: the `report_month` parameter, else the month before the run's date.
2. **quality_gate**: the Great Expectations gate for that month (a decision already taken for the
   same month on the unchanged warehouse, e.g. by `regiopool_transform`, stands and is not
   validated again). A failed critical check stops here, naming the checks and partners;
   nothing is published. Partners named in
   `accepted_missing_partners` may lack a delivery (the extract says so on its title page).
3. **publish_extract**: `HOME/extracts/<YYYY-MM>/Stadtrat_KPI_<YYYY-MM>.pdf|.xlsx` and
   `manifest.json`, with disclosure control. A published extract is never overwritten: changed
   figures give a revision `_r2`, `_r3`, ... beside it.
4. **revise_published_extracts**: recomputes every extract already published for the current
   and the previous calendar year of the day the task runs (Europe/Berlin; late deliveries
   restate past months); where a figure changed, it publishes a revision listing the changed
   cells. Each month's gate accepts the partners that its latest published revision was
   accepted without. A month whose gate does not pass now keeps its published revision and is
   named (with the failed checks) in the task's log and its returned report (`skipped`).

Re-publish or backfill a month: ▶ Trigger with config `{"report_month": "2025-03"}`, or
`airflow dags trigger regiopool_council_extract --conf '{"report_month": "2025-03"}'`; several
months: `airflow backfill create --dag-id regiopool_council_extract --from-date 2025-02-01
--to-date 2025-04-30` (the run on the 12th of M+1 reports M). A late partner:
`regiopool_delivery_watch` alerts daily. Runbook: `docs/operations.md`.
"""


@dag(
    dag_id="regiopool_council_extract",
    description="Monthly German KPI extract (PDF + XLSX) for the city council, after the quality gate",
    schedule="0 6 12 * *",
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    tags=["regiopool", "extract", "council"],
    doc_md=DOC,
    params={
        "report_month": Param(None, type=["null", "string"], pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
                              description="YYYY-MM; empty: the month before the run date"),
        "accepted_missing_partners": Param([], type="array",
                                           description="partner ids accepted as not delivered"),
    },
)
def regiopool_council_extract():
    @task
    def choose_report_month() -> str:
        from regiopool.months import month_key, parse_month, previous_month

        context = get_current_context()
        given = context["params"].get("report_month")
        if given:
            return month_key(parse_month(given))
        run_date = context["logical_date"] or context["dag_run"].run_after
        return month_key(previous_month(run_date.date().replace(day=1)))

    @task
    def quality_gate(month: str) -> dict:
        from regiopool.months import parse_month
        from regiopool.quality import assert_gate_passed, run_quality_gate
        from regiopool.settings import get_settings

        settings = get_settings()
        accepted = get_current_context()["params"].get("accepted_missing_partners") or []
        # the transform DAG's gate for this month stands while the warehouse is unchanged
        gate = run_quality_gate(settings.warehouse, settings.quality_dir, parse_month(month),
                                accepted_missing_partners=accepted, reuse=True)
        assert_gate_passed(gate)
        return gate

    @task
    def publish_extract(month: str, gate: dict) -> dict:
        from regiopool.extract import publish_extract as publish
        from regiopool.months import parse_month
        from regiopool.settings import get_settings

        settings = get_settings()
        result = publish(settings.warehouse, settings.extracts_dir, parse_month(month), gate)
        return {"month": month, "gate": gate, "revision": result.revision, "written": result.written,
                "pdf": str(result.pdf), "xlsx": str(result.xlsx), "manifest": str(result.manifest)}

    @task
    def revise_published_extracts(month: str, published: dict) -> list[dict]:
        """Recompute the extracts already published for the current and the previous calendar
        year of the day this runs (Europe/Berlin); a month whose figures changed gets a revision
        (_r2, ...) beside the first. Each month's gate accepts the partners its latest published
        revision was accepted without; a month whose gate does not pass is reported, not
        revised."""
        import logging

        from regiopool.extract.publish import berlin_today, republish
        from regiopool.months import parse_month
        from regiopool.quality import run_quality_gate
        from regiopool.settings import get_settings

        settings = get_settings()
        report_month = parse_month(month)

        def gate_for(other, accepted):
            if other == report_month:  # published by this run, with this run's gate
                return published["gate"]
            return run_quality_gate(settings.warehouse, settings.quality_dir, other,
                                    accepted_missing_partners=accepted, reuse=True)

        # "current and previous calendar year" are those of the rebuild, not of the report
        # month: a run on 12 January for December revises January's year and the one before
        results = republish(settings.warehouse, settings.extracts_dir, berlin_today(), gate_for)
        report = [{"month": f"{r.month:%Y-%m}", "revision": r.revision, "written": r.written,
                   "changes": len(r.changes), "skipped": r.skipped}
                  for r in results if r.month != report_month]
        skipped = [r for r in report if r["skipped"]]
        if skipped:
            logging.getLogger(__name__).warning(
                "%d published month(s) not revised because their gate does not pass now: %s",
                len(skipped), "; ".join(f"{r['month']}: {r['skipped']}" for r in skipped))
        return report

    month = choose_report_month()
    revise_published_extracts(month, publish_extract(month, quality_gate(month)))


regiopool_council_extract()
