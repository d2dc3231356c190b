"""`regiopool run` and `regiopool demo`."""

from __future__ import annotations

from pathlib import Path

import click

from regiopool.months import parse_month
from regiopool.settings import default_home, default_inbox


def _month(ctx, param, value):
    if value is None:
        return None
    try:
        parse_month(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


def _print_result(result) -> None:
    click.echo("")
    for run in result.runs:
        extra = f"  failed: {', '.join(run.get('failed_tasks', []))}" if run["state"] != "success" else ""
        click.echo(f"  {run['dag_id']:<40} {run['state']:<8} {run['seconds']:>6.1f} s{extra}")
    click.echo("")
    click.echo(f"warehouse:      {result.warehouse}")
    click.echo(f"quality report: {result.quality_dir}  (Data Docs: {result.quality_dir / 'data_docs'})")
    if result.extract_dir is not None:
        click.echo(f"council extract: {result.extract_dir}")
    published = result.home / "published" / "regiopool.duckdb"
    if published.exists():
        click.echo(f"analysts' copy: {published}")
    click.echo(f"report month:   {result.report_month}   total: {result.seconds:.1f} s")


def _run(inbox, home, report_month, accept_missing, verbose) -> None:
    from regiopool.pipeline import PipelineError, run_pipeline

    try:
        result = run_pipeline(inbox=inbox, home=home, report_month=report_month,
                              accepted_missing_partners=list(accept_missing), verbose=verbose)
    except PipelineError as exc:
        raise click.ClickException(str(exc)) from None
    _print_result(result)
    if not result.ok:
        failed = "; ".join(f"{r['dag_id']} ({', '.join(r.get('failed_tasks', [])) or r['state']})"
                           for r in result.failed_runs)
        raise click.ClickException(f"pipeline run failed: {failed}")


_options = [
    click.option("--report-month", callback=_month, metavar="YYYY-MM",
                 help="Month of the council extract (default: latest month every partner delivered)."),
    click.option("--accept-missing", multiple=True, metavar="PARTNER",
                 help="Publish although this partner did not deliver for the month (repeatable)."),
    click.option("-v", "--verbose", is_flag=True, help="Show Airflow's and the tasks' INFO logs."),
]


def _with_options(func):
    for option in reversed(_options):
        func = option(func)
    return func


@click.command()
@click.option("--inbox", type=click.Path(path_type=Path), envvar="REGIOPOOL_INBOX",
              help="Inbox with one folder per partner [env REGIOPOOL_INBOX; default var/inbox].")
@click.option("--home", type=click.Path(path_type=Path), envvar="REGIOPOOL_HOME",
              help="Where warehouse, quality report and extracts go [env REGIOPOOL_HOME; default var/home].")
@_with_options
def run_command(inbox, home, report_month, accept_missing, verbose):
    """Run the complete pipeline through Airflow: ingest, dbt, quality gate, council extract."""
    _run(inbox, home, report_month, accept_missing, verbose)


@click.command()
@_with_options
def demo_command(report_month, accept_missing, verbose):
    """Generate the sample inbox under var/ (if absent) and run the whole pipeline on it."""
    from regiopool.generate import generate_inbox

    inbox, home = default_inbox(), default_home()
    if not inbox.is_dir() or not any(inbox.iterdir()):
        click.echo(f"generating the sample inbox in {inbox} ...")
        generate_inbox(inbox)
    _run(inbox, home, report_month, accept_missing, verbose)
