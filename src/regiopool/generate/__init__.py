"""Deterministic sample inbox for the three partners (``regiopool generate``).

``generate_inbox(out_dir, start=..., end=..., scale=..., seed=..., rates=...)`` writes

    <out>/stadt_leipzig/anfragen_YYYY-MM.csv, ansiedlungen_YYYY-MM.csv,
                        gewerbeflaechen_YYYY-MM.geojson
    <out>/lk_leipzig/wifoe_lkl_YYYY-MM.xlsx
    <out>/irl/events_YYYY-MM-DD.jsonl

exactly as ``../shared/partners`` specifies, with every documented irregularity at a
configurable rate (:data:`DEFAULT_RATES`). The same arguments give byte-identical files and the
same file modification times (the delivery times). See ``docs/sample_data.md``.
"""

from __future__ import annotations

import gc
import os
import pickle
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from . import city, district, irl
from .common import month_key, monthly_delivery_time, parse_month, rng, set_mtime
from .rates import DEFAULT_RATES, RATE_DOCS, resolve_rates
from .reference import load_reference
from .sites import SiteBook
from .world import CITY, DISTRICT, IRL, Project, World

__all__ = ["DATA_VERSION", "DEFAULT_RATES", "RATE_DOCS", "Summary", "generate_inbox"]

# Raised whenever the same arguments give other files than before, so that caches of generated
# inboxes (the benchmark's) are not mistaken for the current generator's. 2: company names have
# variants that grow with the scale (docs/decisions/generate-0001-name-variants.md).
DATA_VERSION = 2

PARTNER_DIRS = (CITY, DISTRICT, IRL)
IRL_KINDS = {"duplicate": "irl_duplicate_event", "late": "irl_late_event",
             "out_of_order": "irl_out_of_order", "invalid": "invalid_json_line",
             "unknown": "unknown_event_type"}


class Summary:
    """What was written: files, rows per file kind, irregularities injected (instances)."""

    def __init__(self) -> None:
        self.files = 0
        self.bytes = 0
        self._rows: dict[str, int] = {}
        self._irregularities: dict[str, int] = {name: 0 for name in DEFAULT_RATES}
        self.projects = 0
        self.records: dict[str, int] = {p: 0 for p in PARTNER_DIRS}

    def file(self, path: Path) -> None:
        self.files += 1
        self.bytes += path.stat().st_size

    def rows(self, kind: str, n: int) -> None:
        self._rows[kind] = self._rows.get(kind, 0) + n

    def irregularity(self, name: str, n: int = 1) -> None:
        self._irregularities[name] = self._irregularities.get(name, 0) + n

    def count_irl(self, kind: str) -> None:
        if kind in IRL_KINDS:
            self.irregularity(IRL_KINDS[kind])

    def state(self) -> tuple:
        return (self.files, self.bytes, self._rows, self._irregularities)

    def merge(self, state: tuple) -> None:
        """Add what another Summary (a background writer's) counted."""
        files, nbytes, rows, irregularities = state
        self.files += files
        self.bytes += nbytes
        for kind, n in rows.items():
            self.rows(kind, n)
        for name, n in irregularities.items():
            if n:
                self.irregularity(name, n)

    def as_dict(self) -> dict:
        return {
            "files": self.files,
            "bytes": self.bytes,
            "projects": self.projects,
            "records": dict(self.records),
            "rows": dict(sorted(self._rows.items())),
            "irregularities": dict(sorted(self._irregularities.items())),
        }


def generate_inbox(out_dir: Path, *, start: str = "2024-01", end: str = "2025-12",
                   scale: float = 1.0, seed: int = 42, rates: dict[str, float] | None = None
                   ) -> dict:
    """Write a complete sample inbox into ``out_dir`` and return a summary.

    Raises ``ValueError`` for arguments that make no sense (the CLI turns it into a usage
    error). The partner folders are written beside ``out_dir`` first and moved in at the end,
    so that a crash leaves no half-written inbox.
    """
    s_mi, e_mi = parse_month(start), parse_month(end)
    if s_mi > e_mi:
        raise ValueError(f"--from {start} is after --to {end}")
    if s_mi < parse_month("2000-01") or e_mi > parse_month("2099-12"):
        raise ValueError("months must lie between 2000-01 and 2099-12")
    if not (scale > 0) or scale > 100_000:
        raise ValueError(f"scale must be > 0, got {scale}")
    resolved = resolve_rates(rates)
    ref = load_reference()
    world = World(ref, seed=int(seed), start=s_mi, end=e_mi, scale=float(scale), rates=resolved)
    summary = Summary()

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = out_dir / f".generate-{os.getpid()}.tmp"
    if tmp.exists():
        shutil.rmtree(tmp)
    for p in PARTNER_DIRS:
        (tmp / p).mkdir(parents=True)
    try:
        _write_all(world, tmp, summary)
        for p in PARTNER_DIRS:
            target = out_dir / p
            if target.exists():
                shutil.rmtree(target)
            os.replace(tmp / p, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    result = summary.as_dict()
    result["out_dir"] = str(out_dir)
    result["range"] = [month_key(s_mi), month_key(e_mi)]
    result["seed"], result["scale"] = int(seed), float(scale)
    return result


def _index_project(world: World, p: Project, summary: Summary) -> None:
    """Count a project and its project-level irregularities (once per project)."""
    if not p.records:
        return  # an IRL-only project before IRL's feed started
    summary.projects += 1
    for partner in p.records:
        summary.records[partner] += 1
    if p.region_loss_reported:
        summary.irregularity("region_win_reported_as_loss")
    if p.reopened:
        summary.irregularity("reopened_project")


def _projects(world: World, mi: int, partner: str) -> Callable[[], Iterator[Project]]:
    """Projects handled by `partner` that produce output in month mi."""
    plan = world.plan

    def it() -> Iterator[Project]:
        for s in plan.months:
            if s > mi:
                break
            cats, last = plan.cats[s], plan.last[s]
            for i in range(len(cats)):
                if partner in plan.partners_of(s, cats[i]) and last[i] >= mi:
                    yield world.project(s, i)

    return it


def _write_all(world: World, out: Path, summary: Summary) -> None:
    """One pass over the months: build each month's projects once, then write the month.

    A project is kept (``world.built``) from its first month to the last month in which it
    produces city or IRL output; the district's workbooks, which repeat the whole register
    every month, use a compact :class:`district.Entry` per record instead of the project.
    With REGIOPOOL_GENERATE_FORK=1 a month's snapshots and events are written in a forked
    child (:class:`_Background`) while the next month is built.
    """
    city_sites = SiteBook(world, CITY, world.n_city_sites)
    district_sites = SiteBook(world, DISTRICT, world.n_district_sites)
    register: list[district.Entry] = []
    expires: dict[int, list[tuple[int, int]]] = {}
    background = _Background(summary)
    try:
        _pass(world, out, summary, city_sites, district_sites, register, expires, background)
        background.wait()
    finally:
        background.stop()


def _pass(world: World, out: Path, summary: Summary, city_sites: SiteBook,
          district_sites: SiteBook, register: list[district.Entry],
          expires: dict[int, list[tuple[int, int]]], background: _Background) -> None:
    from array import array

    plan = world.plan
    for mi in plan.months:
        n = plan.count(mi)
        last = array("i", [0]) * n
        for i in range(n):
            p = world.project(mi, i)
            last[i] = p.last_month
            _index_project(world, p, summary)
            rec = p.records.get(DISTRICT)
            if rec is not None:
                register.append(district.Entry(world, p, rec))
            if world.keep_built and last[i] >= world.start and (CITY in p.records
                                                               or IRL in p.records):
                world.built[(mi, i)] = p
                expires.setdefault(max(last[i], mi), []).append((mi, i))
        plan.last[mi] = last
        if mi >= world.start:
            _write_month(world, mi, out, summary, city_sites, district_sites, register,
                         background)
        for key in expires.pop(mi, ()):
            del world.built[key]


def _write_month(world: World, mi: int, out: Path, summary: Summary, city_sites: SiteBook,
                 district_sites: SiteBook, register: list[district.Entry],
                 background: _Background | None = None) -> None:
    """Write month mi's files: the city's deltas here, the snapshots and IRL's events in the
    background if given (the sites advance here)."""
    for book in (city_sites, district_sites):
        book.advance(mi)
        summary.irregularity("site_withdrawn",
                             sum(1 for x in book.sites if x.withdraw_month == mi))
    snapshots = (city_sites.snapshot(mi), district_sites.snapshot(mi))
    _write_city_deltas(world, mi, out, summary)

    def job(part: Summary) -> None:
        _write_snapshots(world, mi, out, part, snapshots, register)

    if background is None:
        job(summary)
    else:
        background.run(job)


def _write_city_deltas(world: World, mi: int, out: Path, summary: Summary) -> None:
    key = month_key(mi)
    city_projects = _projects(world, mi, CITY)
    folder = out / CITY

    def enquiries(path: Path, clean: bool, change: bool):
        city.write_csv(world, path, city.ENQUIRY_COLUMNS,
                       city.enquiry_rows(world, city_projects(), mi), mi, clean=clean,
                       summary=summary, kind="anfragen",
                       correction_change="anfragen" if change else None)

    def settlements(path: Path, clean: bool, change: bool):
        city.write_csv(world, path, city.SETTLEMENT_COLUMNS,
                       city.settlement_rows(world, city_projects(), mi), mi, clean=clean,
                       summary=summary, kind="ansiedlungen",
                       correction_change="ansiedlungen" if change else None)

    _deliver(world, folder, f"anfragen_{key}", ".csv", mi, enquiries, summary)
    _deliver(world, folder, f"ansiedlungen_{key}", ".csv", mi, settlements, summary,
             resend_old=True)


def _write_snapshots(world: World, mi: int, out: Path, summary: Summary,
                     snapshots: tuple[list, list], register: list[district.Entry]) -> None:
    """The city's sites, the district's workbook and IRL's daily files of month mi."""
    key = month_key(mi)
    snapshot, d_snapshot = snapshots

    def city_site_file(path: Path, clean: bool, change: bool):
        city.write_sites(world, path, snapshot, mi, clean=clean, summary=summary,
                         correction_change=change)

    _deliver(world, out / CITY, f"gewerbeflaechen_{key}", ".geojson", mi, city_site_file,
             summary)

    def workbook(path: Path, clean: bool, change: bool):
        district.write_workbook(world, path, mi, register, d_snapshot, clean=clean,
                                summary=summary, correction_change=change)

    _deliver(world, out / DISTRICT, f"wifoe_lkl_{key}", ".xlsx", mi, workbook, summary)
    irl.write_month(world, mi, _projects(world, mi, IRL)(), out, summary)


FORK_MAX_RSS_MB = int(os.environ.get("REGIOPOOL_GENERATE_FORK_MAX_MB", "3000"))


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class _Background:
    """Writes one month's files in a forked child process (opt-in: REGIOPOOL_GENERATE_FORK=1).

    While the child writes month mi's sites, workbook and events (from a copy-on-write snapshot
    of the kept projects, the register and the sites), this process builds month mi+1's
    projects and writes its city deltas. At most one child runs; its Summary counts are merged
    when it is waited for. The files do not depend on the order in which they are written, so
    the output is the same as in one process (the default; also when fork is unavailable or
    other threads run).

    Off by default: a child touches most of the heap it shares (reference counts), so its pages
    become copies (page faults cost CPU; both processes together use up to about twice this
    process's memory), and the main process (building projects) is the longer half anyway. On
    the shared 2-core machine it saved no wall time and cost ~20 % more CPU. Months are written
    in one process once this process's peak RSS passes FORK_MAX_RSS_MB.
    """

    def __init__(self, summary: Summary):
        self.summary = summary
        self.pid: int | None = None
        self.fd: int | None = None
        self.enabled = (hasattr(os, "fork") and threading.active_count() == 1
                        and os.environ.get("REGIOPOOL_GENERATE_FORK", "0") == "1")

    def run(self, job: Callable[[Summary], None]) -> None:
        self.wait()
        if not self.enabled or _peak_rss_mb() > FORK_MAX_RSS_MB:
            job(self.summary)
            return
        sys.stdout.flush()
        sys.stderr.flush()
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: write, report, leave without running the parent's cleanup
            code = 1
            try:
                os.close(r)
                gc.disable()
                part = Summary()
                try:
                    job(part)
                    payload = pickle.dumps(("ok", part.state()))
                    code = 0
                except BaseException as exc:  # noqa: BLE001 - re-raised in the parent
                    try:
                        payload = pickle.dumps(("error", exc))
                    except Exception:  # noqa: BLE001
                        payload = pickle.dumps(("error", RuntimeError(repr(exc))))
                with os.fdopen(w, "wb") as fh:
                    fh.write(payload)
            finally:
                os._exit(code)
        os.close(w)
        self.pid, self.fd = pid, r

    def wait(self) -> None:
        if self.pid is None:
            return
        with os.fdopen(self.fd, "rb") as fh:
            payload = fh.read()
        pid, self.pid, self.fd = self.pid, None, None
        _, status = os.waitpid(pid, 0)
        if not payload:
            raise RuntimeError(f"the background writer failed (wait status {status})")
        kind, value = pickle.loads(payload)
        if kind == "error":
            raise value
        self.summary.merge(value)

    def stop(self) -> None:
        """After an error: end a running child (ours, by its pid)."""
        if self.pid is not None:
            import signal

            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            if self.fd is not None:
                os.close(self.fd)
            self.pid = self.fd = None


def _data_lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for _ in fh) - 1


def _deliver(world: World, folder: Path, stem: str, ext: str, mi: int,
             write: Callable[[Path, bool, bool], None], summary: Summary,
             resend_old: bool = False) -> None:
    """Write a monthly file, and maybe its correction `_k1` or a re-sent copy; set mtimes."""
    fr = rng(world.seed, "delivery", stem)
    late = world.rate(fr, "late_delivery")
    correction = world.rate(fr, "correction")
    resent = world.rate(fr, "resent_copy")
    mode = fr.random()
    back = fr.randint(1, 6)
    delivered = monthly_delivery_time(mi, fr, late)
    k1_delay = fr.randint(7, 40) * 86400 + fr.randint(0, 20000)
    path = folder / f"{stem}{ext}"
    k1 = folder / f"{stem}_k1{ext}"
    old = None
    if resent and resend_old and mode < 0.5:
        prefix = stem.rsplit("_", 1)[0]
        for b in range(back, 0, -1):
            cand = folder / f"{prefix}_{month_key(mi - b)}{ext}"
            if mi - b >= world.start and cand.exists() and _data_lines(cand) > 0:
                old = cand
                break
    if old is not None:
        # an old month's file re-sent as this month's; the real one follows as a correction
        shutil.copyfile(old, path)
        summary.file(path)
        summary.irregularity("resent_copy")
        write(k1, True, False)
        summary.irregularity("correction")
        set_mtime(k1, delivered + k1_delay)
    else:
        write(path, False, False)
        if correction:
            write(k1, True, True)
            summary.irregularity("correction")
            set_mtime(k1, delivered + k1_delay)
        elif resent:
            shutil.copyfile(path, k1)
            summary.file(k1)
            summary.irregularity("resent_copy")
            set_mtime(k1, delivered + k1_delay)
    set_mtime(path, delivered)
    if late:
        summary.irregularity("late_delivery")
