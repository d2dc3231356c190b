"""The data-quality gate for one report month.

Reads each dataset of the suites from the DuckDB warehouse (read-only, only the columns the
suite needs, never a personal column), validates it with Great Expectations' pandas data
source (docs/decisions/quality-gx-on-duckdb.md), and decides: a failed ``critical``
expectation blocks the month's extract, a failed ``warning`` is recorded. Results, the gate
decision (``<quality_dir>/<YYYY-MM>/gate.json``), GX's validation results (counts only,
``<quality_dir>/<YYYY-MM>/validations/``) and the GX Data Docs site
(``<quality_dir>/data_docs/``) are written under ``quality_dir``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from regiopool.months import month_key, parse_month

from .acceptances import load_acceptances
from .contact import detector_sql
from .contracts import load_partners
from .suites import Dataset, expectations_dir, load_suite_file, month_end, raw_datasets, render_sql

log = logging.getLogger(__name__)

RESULT_FORMAT = {
    # counts only: no unexpected values, no rows, no index lists in results or Data Docs
    "result_format": "SUMMARY",
    "partial_unexpected_count": 0,
    "include_unexpected_rows": False,
    "return_unexpected_index_query": False,
}
SUITE_FILES = ("deliveries.yml", "harmonised.yml", "marts.yml")


class GateFailed(RuntimeError):
    """The quality gate blocked the month: the message names the failed checks and partners."""

    def __init__(self, result: dict):
        self.result = result
        items = "; ".join(
            f"{b['check']} ({b['partner'] or 'all partners'}): {b['message']}"
            for b in result.get("blocking", [])
        )
        super().__init__(f"quality gate for {result.get('month')} failed: {items}")


def assert_gate_passed(result: dict) -> dict:
    """Raise :class:`GateFailed` unless the gate passed; return the result otherwise."""
    if not result.get("passed"):
        raise GateFailed(result)
    return result


def _parameter(value, value_sets: dict, params: dict):
    """``$name`` in an expectation's kwargs: a value set of the dataset or a run parameter."""
    if isinstance(value, str) and value.startswith("$"):
        name = value[1:]
        if name in value_sets:
            return value_sets[name]
        if name in params:
            return params[name]
        raise KeyError(f"unknown parameter {value}")
    return value


def _month(value: date | str) -> date:
    if isinstance(value, str):
        return parse_month(value[:7])
    return date(value.year, value.month, 1)


def _load_frames(con, datasets: list[Dataset], month: date, partners) -> dict:
    """Run every dataset's query: suite name -> DataFrame, or the error if it cannot run."""
    frames: dict[str, object] = {}
    for ds in datasets:
        try:
            for name, sql in ds.value_sets.items():
                rows = con.execute(render_sql(sql, month, partners)).fetchall()
                ds.value_sets[name] = [r[0] for r in rows]  # type: ignore[assignment]
            frames[ds.suite] = _dates_as_dates(
                con.execute(render_sql(ds.sql, month, partners)).df())
        except (duckdb.CatalogException, duckdb.BinderException) as exc:
            # a relation or column the suite reads does not exist: reported, not a crash
            frames[ds.suite] = exc
    return frames


def _dates_as_dates(frame):
    """DuckDB DATE columns arrive as datetime64: make them dates again, so that expectations
    compare them with ISO dates (``min_value: "2000-01-01"``)."""
    for col in frame.columns:
        dtype = frame[col].dtype
        if str(dtype).startswith("datetime64") and getattr(dtype, "tz", None) is None:
            frame[col] = frame[col].dt.date
    return frame


def _inspect(con) -> tuple[dict[str, set[str]], str]:
    """The raw tables' columns, and the contact detector's query over everything else."""
    rows = con.execute(
        "select table_schema || '.' || table_name, column_name "
        "from information_schema.columns where table_schema like 'raw\\_%' escape '\\'"
    ).fetchall()
    contact_sql = detector_sql(con)
    result: dict[str, set[str]] = {}
    for rel, col in rows:
        result.setdefault(rel, set()).add(col)
    return result, contact_sql


def _contact_dataset(sql: str) -> Dataset:
    from .suites import Expectation

    return Dataset(
        suite="privacy.contact_data",
        sql=sql,
        partition_by="partner",
        on_missing="critical",
        description="No e-mail address or phone number outside the raw layer",
        expectations=[
            Expectation(
                "expect_column_values_to_be_between",
                {"column": "contact_values", "min_value": 0, "max_value": 0},
                "contact_datum",
                "critical",
                "a text column outside the raw layer holds e-mail addresses or phone numbers",
            )
        ],
    )


def _gx_context(quality_dir: Path):
    """An ephemeral GX context (suites, validation definitions and results in memory: they
    are rebuilt from the suite files on every run) with one file-system Data Docs site. A
    file context would rewrite its YAML configuration for every asset added (~0.1 s each)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    stale = quality_dir / "gx"  # the file context of earlier versions
    if stale.is_dir():
        shutil.rmtree(stale)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.variables.analytics_enabled = False
    for site in list(context.get_site_names()):
        context.delete_data_docs_site(site)
    # the Data Docs site shows the latest gate run (each month's decision stays in
    # <quality_dir>/<YYYY-MM>/gate.json)
    docs = quality_dir / "data_docs"
    if docs.exists():
        shutil.rmtree(docs)
    context.add_data_docs_site(
        site_name="regiopool",
        site_config={
            "class_name": "SiteBuilder",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs.resolve()),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    return gx, context


def _failure(ds: Dataset, partner: str | None, res) -> dict:
    meta = res.expectation_config.meta or {}
    info = res.exception_info or {}
    raised = info.get("raised_exception") or any(
        isinstance(v, dict) and v.get("raised_exception") for v in info.values())
    if raised:
        message = f"{ds.suite}: {res.expectation_config.type} could not be evaluated"
    else:
        message = _summary_message(ds, res.expectation_config.type, meta.get("description"),
                                   res.result or {}, meta.get("unit", "rows"))
    return {"check": meta.get("check", "unknown"), "partner": partner,
            "severity": meta.get("severity", "critical"), "message": message}


def _summary_message(ds: Dataset, type_: str, description: str | None, result: dict,
                     unit: str = "rows") -> str:
    """``<suite>: <description> (<n> of <m> rows)``; ``unit: findings`` counts findings,
    ``unit: none`` gives no count (a dataset of one row per partner)."""
    described = description or type_
    if unit == "none":
        return f"{ds.suite}: {described}"
    if "unexpected_count" in result and result.get("element_count") is not None:
        if unit != "rows":
            return f"{ds.suite}: {described} ({result['unexpected_count']} {unit})"
        return (f"{ds.suite}: {described} ({result['unexpected_count']} of "
                f"{result['element_count']} rows)")
    observed = result.get("observed_value")
    return f"{ds.suite}: {described}" + (f" (observed {observed})" if observed is not None else "")


def run_quality_gate(
    warehouse: Path,
    quality_dir: Path,
    report_month: date,
    accepted_missing_partners: Iterable[str] = (),
    *,
    partners_dir: Path | None = None,
    suites_dir: Path | None = None,
    reuse: bool = False,
) -> dict:
    """Validate the warehouse for ``report_month`` and write the gate decision.

    Returns ``{"month", "passed", "blocking", "warnings", "accepted_missing_partners",
    "acceptances", "suites", "inputs", "seconds"}`` and writes it to
    ``quality_dir/<YYYY-MM>/gate.json``. With ``reuse``, a decision already written for the
    same inputs (the warehouse file unchanged since, the same suites, partner contracts,
    acceptances and accepted partners) is returned instead of validating again.
    """
    started = time.perf_counter()
    warehouse, quality_dir = Path(warehouse), Path(quality_dir)
    month = _month(report_month)
    label = month_key(month)
    accepted = sorted(set(accepted_missing_partners))
    partners = load_partners(partners_dir)
    suites_dir = Path(suites_dir) if suites_dir else expectations_dir()
    quality_dir.mkdir(parents=True, exist_ok=True)
    acceptances = load_acceptances(quality_dir / "acceptances.yml")  # a bad file fails first
    inputs = _inputs_fingerprint(warehouse, suites_dir, partners_dir, quality_dir, accepted)
    out = quality_dir / label / "gate.json"
    if reuse and out.exists():
        earlier = json.loads(out.read_text(encoding="utf-8"))
        if earlier.get("inputs") == inputs:
            log.info("quality gate %s: the decision of %s stands (same inputs): %s", label,
                     earlier.get("validated_at"), "passed" if earlier["passed"] else "FAILED")
            return earlier

    # DuckDB's cache of the warehouse's blocks is capped (default: 80 % of RAM); the DataFrames
    # come on top. At --scale 1000 with three years of history the gate peaked at 3.26 GB
    # uncapped, 2.74 GB with 1 GB, in the same time (docs/performance.md, set I)
    con = duckdb.connect(str(warehouse), read_only=True, config={
        "memory_limit": os.environ.get("REGIOPOOL_GATE_DUCKDB_MEMORY", "1GB")})
    try:
        existing, contact_sql = _inspect(con)
        datasets = raw_datasets(partners, suites_dir, existing)
        for name in SUITE_FILES:
            datasets += load_suite_file(suites_dir / name)
        datasets.append(_contact_dataset(contact_sql))
        frames = _load_frames(con, datasets, month, partners)
    finally:
        con.close()

    log.info("read %d datasets in %.1f s", len(datasets), time.perf_counter() - started)
    gx, context = _gx_context(quality_dir)
    log.info("GX context ready at %.1f s", time.perf_counter() - started)
    import great_expectations.expectations as gxe
    from great_expectations.core.run_identifier import RunIdentifier

    source = context.data_sources.add_pandas("warehouse")
    params = {"month_start_iso": month.isoformat(),
              "month_end_iso": month_end(month).isoformat()}
    run_time = datetime.now(UTC)
    failures: list[dict] = []
    suites: dict[str, dict] = {}
    stored: dict[str, dict] = {}  # validation results (counts only: RESULT_FORMAT)

    for ds in datasets:
        stats = suites.setdefault(ds.suite, {"success": True, "evaluated": 0, "failed": 0})
        frame = frames[ds.suite]
        if isinstance(frame, Exception):
            stats.update(success=False, failed=stats["failed"] + 1)
            failures.append({
                "check": "missing_relation", "partner": ds.partner, "severity": ds.on_missing,
                "message": f"{ds.suite}: a relation or column it reads does not exist "
                           f"({str(frame).splitlines()[0]})",
            })
            continue
        suite = gx.ExpectationSuite(name=ds.suite, meta={"description": ds.description})
        for exp in ds.expectations:
            kwargs = {k: _parameter(v, ds.value_sets, params) for k, v in exp.kwargs.items()}
            cls = getattr(gxe, "".join(p.title() for p in exp.type.split("_")))
            suite.add_expectation(cls(**kwargs, meta={
                "check": exp.check, "severity": exp.severity, "description": exp.description}))
        suite = context.suites.add(suite)
        asset = source.add_dataframe_asset(ds.suite)
        batch = asset.add_batch_definition_whole_dataframe("whole")
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(name=ds.suite, data=batch, suite=suite))

        def run(partner, part, validation=validation, suite_name=ds.suite):
            res = validation.run(
                batch_parameters={"dataframe": part.reset_index(drop=True)},
                result_format=RESULT_FORMAT,
                run_id=RunIdentifier(run_name=f"{label} {partner or 'all'}",
                                     run_time=run_time),
            )
            stored[f"{suite_name}.{partner or 'all'}"] = res.to_json_dict()
            return res

        # A partitioned dataset is validated whole; only when something fails is it
        # validated again per partner, so that each failure names its partner.
        result = run(ds.partner, frame)
        stats["evaluated"] += len(result.results)
        failed = [r for r in result.results if not r.success]
        stats["failed"] += len(failed)
        stats["success"] = stats["success"] and not failed
        if not failed:
            continue
        if ds.partition_by:
            key = frame[ds.partition_by]
            runs = [(v, run(v, frame[key == v])) for v in sorted(key.dropna().unique())]
            if key.isna().any():
                runs.append((None, run(None, frame[key.isna()])))
        else:
            runs = [(ds.partner, result)]
        for partner, partial in runs:
            for res in partial.results:
                if not res.success:
                    failures.append(_failure(ds, partner, res))

    log.info("validated %d datasets in %.1f s", len(datasets), time.perf_counter() - started)
    blocking, warnings, applied = _decide(failures, accepted, label, acceptances)
    context.build_data_docs()
    result = {
        "month": label,
        "passed": not blocking,
        "blocking": blocking,
        "warnings": warnings,
        "accepted_missing_partners": accepted,
        "acceptances": applied,
        "suites": suites,
        "data_docs": str(quality_dir / "data_docs" / "index.html"),
        "inputs": inputs,
        "validated_at": run_time.isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 2),
    }
    _write_validations(out.parent / "validations", stored)
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(out)
    log.info("quality gate %s: %s (%d blocking, %d warnings, %.1f s)", label,
             "passed" if result["passed"] else "FAILED", len(blocking), len(warnings),
             result["seconds"])
    return result


def _write_validations(directory: Path, stored: dict[str, dict]) -> None:
    """The month's GX validation results, one JSON file per suite and partner, replacing the
    month's earlier ones as a whole."""
    tmp = directory.with_name(directory.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name, body in stored.items():
        (tmp / f"{name}.json").write_text(json.dumps(body, indent=1, ensure_ascii=False),
                                          encoding="utf-8")
    shutil.rmtree(directory, ignore_errors=True)
    tmp.replace(directory)


def _inputs_fingerprint(warehouse: Path, suites_dir: Path, partners_dir: Path | None,
                        quality_dir: Path, accepted: list[str]) -> str:
    """What a gate decision depends on: the warehouse file's state (size and modification
    time of the database and its WAL: every write changes them, a read-only check does not),
    the suite files, the partner contracts, the recorded acceptances and the run's accepted
    partners."""
    from regiopool.contracts import default_partners_dir

    digest = hashlib.sha256()
    for path in (warehouse, warehouse.with_name(warehouse.name + ".wal")):
        st = path.stat() if path.exists() else None
        digest.update(f"{path.name}:{st and st.st_size}:{st and st.st_mtime_ns}\n".encode())
    files = sorted(suites_dir.glob("*.yml")) + sorted(
        Path(partners_dir or default_partners_dir()).glob("*.yml"))
    files.append(quality_dir / "acceptances.yml")
    for path in files:
        digest.update(path.name.encode() + (path.read_bytes() if path.exists() else b"-"))
    digest.update(",".join(accepted).encode())
    return digest.hexdigest()


def _decide(failures, accepted_partners, key, acceptances):
    """Split failures into blocking and warnings; apply the run's accepted missing partners
    and the recorded acceptances (a blocking item they cover becomes a warning)."""
    blocking, warnings, applied = [], [], []
    for f in failures:
        item = {"check": f["check"], "partner": f["partner"], "message": f["message"]}
        if f["severity"] != "critical":
            warnings.append(item)
            continue
        if f["check"] == "delivery" and f["partner"] in accepted_partners:
            warnings.append({**item, "message": item["message"] + " (accepted by the run)"})
            continue
        match = next((a for a in acceptances if a.check == f["check"]
                      and a.partner == f["partner"] and a.month == key), None)
        if match:
            warnings.append({**item, "message": item["message"]
                             + f" (accepted by {match.accepted_by}: {match.reason})"})
            if match.as_dict() not in applied:
                applied.append(match.as_dict())
            continue
        blocking.append(item)
    return blocking, warnings, applied
