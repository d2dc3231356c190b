"""regiopool_ingest_<partner>: one ingestion DAG per partner contract (``partners/*.yml``).

Adding a partner adds a YAML file, not a DAG file: this module generates a DAG for every
contract. Each DAG loads the partner's new files from the inbox (and, where the contract declares
an API, reads it), then announces an Asset per raw table that received new rows (the transform
DAG is scheduled on them), and fails visibly when a file was stopped by schema drift.
"""

from __future__ import annotations

from airflow.sdk import dag, task

from regiopool.airflow_defaults import START_DATE, WAREHOUSE_POOL, default_args
from regiopool.assets import raw_asset
from regiopool.contracts import PartnerContract, load_contracts


def _doc(contract: PartnerContract) -> str:
    lines = [
        f"### Ingest {contract.name} (`{contract.partner}`)",
        "",
        (f"Territory: {contract.territory}. Generated from `partners/{contract.partner}.yml`; "
        "formats and irregularities in `docs/partners.md`, tables in `docs/raw_layer.md`."),
        "",
        "| delivery | format | file pattern | period | semantics | raw tables |",
        "|---|---|---|---|---|---|",
    ]
    for d in contract.deliveries:
        tables = ", ".join(f"`raw_{contract.partner}.{t.table}`" for t in d.tables)
        lines.append(f"| {d.kind} | {d.format}{' + HTTP API' if d.api else ''} | "
                     f"`{d.file_pattern.pattern}` | {d.period} | {d.semantics} | {tables} |")
    lines += [
        "",
        "1. **load_files**: every new file in `INBOX/" + contract.partner + "/` lands exactly once "
        "(checksum ledger `meta.load_ledger`; one transaction per file; set-aside rows in "
        f"`raw_{contract.partner}.quarantine`, values loaded as unknown in `meta.load_findings`).",
    ]
    if contract.api_delivery:
        lines.append(
            f"1. **read_api**: the events over HTTP (Airflow connection "
            f"`{contract.api_delivery.api.connection_id}`: host = base URL, password = token), "
            "from the cursor in `meta.api_cursors`; skipped when the connection is not defined.")
    lines += [
        "1. **announce_&lt;table&gt;**: emits the Asset `raw_" + contract.partner + ".<table>` "
        "only when that table received new rows (otherwise skipped).",
        ("1. **check_schema_drift**: fails, naming each file and its missing columns, when a "
        "file was not loaded because a declared column is missing or renamed (other files and "
        "other partners are loaded). Fix: refine the contract (a renamed column) or ask the "
        "partner to re-deliver; the next run examines the rejected file again."),
        "",
        "Every task that writes the warehouse runs in the one-slot pool `regiopool_warehouse`.",
    ]
    return "\n".join(lines)


def build_ingest_dag(contract: PartnerContract):
    partner = contract.partner
    tables = [t.table for t in contract.tables]

    @dag(
        dag_id=f"regiopool_ingest_{partner}",
        description=f"Load {contract.name}'s deliveries into raw_{partner}",
        schedule=contract.schedule,
        start_date=START_DATE,
        catchup=False,
        max_active_runs=1,
        default_args=default_args(),
        tags=["regiopool", "ingest", partner],
        doc_md=_doc(contract),
    )
    def ingest():
        @task(pool=WAREHOUSE_POOL)
        def load_files() -> dict:
            from regiopool.contracts import get_contract
            from regiopool.ingest import ensure_warehouse, ingest_partner
            from regiopool.settings import get_settings

            settings = get_settings()
            # every declared raw table exists from the first load of any partner on, so the
            # transformation (triggered by this partner's Assets) never meets a missing source
            ensure_warehouse(settings.warehouse)
            report = ingest_partner(settings.warehouse, settings.inbox, get_contract(partner))
            return report.summary()

        loads = [load_files()]

        if contract.api_delivery:
            conn_id = contract.api_delivery.api.connection_id

            @task(pool=WAREHOUSE_POOL)
            def read_api() -> dict:
                from airflow.sdk import Connection
                from airflow.sdk.exceptions import AirflowNotFoundException

                from regiopool.contracts import get_contract
                from regiopool.ingest.irl_api import IrlApiClient, ingest_irl_api
                from regiopool.settings import get_settings

                c = get_contract(partner)
                try:
                    Connection.get(conn_id)
                except AirflowNotFoundException:
                    return {"partner": partner, "files": [], "new_rows": {},
                            "note": f"connection {conn_id!r} not defined: API not read"}
                client = IrlApiClient.from_airflow_connection(
                    conn_id, path=c.api_delivery.api.path, page_size=c.api_delivery.api.page_size)
                return ingest_irl_api(get_settings().warehouse, c, client).summary()

            loads.append(read_api())

        for table in tables:
            key = f"raw_{partner}.{table}"

            @task(task_id=f"announce_{table}", outlets=[raw_asset(partner, table)])
            def announce(files: dict, api: dict | None = None, key: str = key) -> int:
                from airflow.sdk.exceptions import AirflowSkipException

                n = sum(s.get("new_rows", {}).get(key, 0) for s in (files, api or {}))
                if not n:
                    raise AirflowSkipException(f"no new rows in {key}")
                return n

            announce(*loads)

        @task
        def check_schema_drift(summary: dict) -> None:
            bad = [f for f in summary["files"] if f["status"].startswith("rejected")]
            if bad:
                lines = [f"{f['file_name']}: {f['message']}" for f in bad]
                raise RuntimeError(f"{partner}: {len(bad)} file(s) not loaded:\n"
                                   + "\n".join(lines))

        check_schema_drift(loads[0])

    return ingest()


for _contract in load_contracts():
    globals()[f"regiopool_ingest_{_contract.partner}"] = build_ingest_dag(_contract)
