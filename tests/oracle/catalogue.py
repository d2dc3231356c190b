"""An independent implementation of ../shared/kpi/CATALOGUE.md §1-§4, straight from the inbox.

It is a second opinion on the dbt project: written from the catalogue and the partner formats
only, in plain Python, never reading the warehouse. `compute(inbox)` returns the published KPI
marts (and `fct_projects` / `fct_settlements`) as pandas DataFrames.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

from .partners import PartnerData, Record, SetAside, load_partners
from .readers import add_months, discover, month_end, month_start, months_between
from .reference import Reference, find_reference_dir

PARTNER_ORDER = {"irl": 0, "stadt_leipzig": 1, "lk_leipzig": 2}
STATUS_RANK = {"new": 0, "in_progress": 1, "site_offer": 2, "site_visit": 3, "negotiation": 4}

# -- §1.1 matching keys ------------------------------------------------------------------------

LEGAL_FORMS = sorted(
    (tuple(f.split()) for f in [
        "gmbh co kg", "gmbh co kgaa", "ag co kg", "gmbh", "mbh", "ag", "se", "kg", "kgaa", "ohg",
        "gbr", "eg", "ev", "e v", "ug haftungsbeschraenkt", "ug", "e k", "ek", "ltd", "limited",
        "inc", "llc", "plc", "s a", "sa", "s p a", "spa", "b v", "bv", "n v", "nv", "sp z o o",
        "s r o", "a s", "as"]),
    key=len, reverse=True)
_UML = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _plain_words(value: str) -> list[str]:
    s = value.lower().translate(_UML)
    s = re.sub(r"[\W_]+", " ", s)
    return s.split()


def normalise_name(value: str | None) -> str | None:
    if value is None:
        return None
    words = _plain_words(value)
    if not words:
        return None
    while True:
        for form in LEGAL_FORMS:
            n = len(form)
            if len(words) >= n and tuple(words[-n:]) == form:
                if len(words) == n:  # would become empty: keeps its last word
                    return words[-1]
                words = words[:-n]
                break
        else:
            return " ".join(words)


_REGISTER = re.compile(r"(?<![A-Za-z])(HRA|HRB|GNR|PR|VR)\s*0*(\d+)(?:\s*([A-Z])(?![A-Za-z0-9]))?",
                       re.IGNORECASE)
_COURT_WORDS = {"amtsgericht", "ag", "registergericht"}


def _court(value: str | None) -> str | None:
    if value is None:
        return None
    words = [w for w in _plain_words(value) if w not in _COURT_WORDS]
    if not words:
        return None
    return normalise_name(" ".join(words))


def parse_register(entry: str | None, court: str | None = None,
                   whole_cell: bool = False) -> tuple[str, str, str | None] | None:
    """(type, number[+suffix], court) or None when it does not parse. District: `whole_cell`, the
    court is what remains of the cell."""
    if entry is None:
        return None
    m = _REGISTER.search(entry)
    if m is None:
        return None
    kind = m.group(1).upper()
    number = str(int(m.group(2))) + (" " + m.group(3).upper() if m.group(3) else "")
    if whole_cell:
        court = entry[:m.start()] + " " + entry[m.end():]
    return (kind, number, _court(court))


# -- union-find --------------------------------------------------------------------------------


class UnionFind:
    def __init__(self, items):
        self.parent = {i: i for i in items}

    def find(self, x):
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _order(rec: Record):
    return (rec.received_on or dt.date.max, PARTNER_ORDER[rec.partner], rec.rid)


def link(records: list[Record]) -> list[list[Record]]:
    """§1: connected groups of records (references, register within 365 days, name within 90)."""
    by_key = {(r.partner, r.rid.strip().upper()): r for r in records}
    uf = UnionFind([r.key for r in records])

    # rule 1: references
    for r in records:
        for partner, ref in r.refs:
            target_ref = ref.strip().upper()
            for p in ([partner] if partner in PARTNER_ORDER else list(PARTNER_ORDER)):
                target = by_key.get((p, target_ref))
                if target is not None:
                    uf.union(r.key, target.key)

    # rule 2: register entries
    entries: list[tuple[Record, tuple[str, str, str | None]]] = []
    for r in records:
        for entry, court in r.registers:
            parsed = parse_register(entry, court)
            if parsed:
                entries.append((r, parsed))
        for cell in r.register_cells:
            parsed = parse_register(cell, whole_cell=True)
            if parsed:
                entries.append((r, parsed))
    courts: dict[tuple[str, str], set[str]] = defaultdict(set)
    for _, (kind, num, court) in entries:
        if court is not None:
            courts[(kind, num)].add(court)
    reg_groups: dict[tuple[str, str, str | None], list[Record]] = defaultdict(list)
    for r, (kind, num, court) in entries:
        if court is None:
            named = courts[(kind, num)]
            if len(named) > 1:
                continue  # matches nothing
            court = next(iter(named)) if named else None
        reg_groups[(kind, num, court)].append(r)
    _pairs(uf, reg_groups.values(), 365)

    # rule 3: normalised company names
    name_groups: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        for name in {normalise_name(n) for n in r.names} - {None}:
            name_groups[name].append(r)
    _pairs(uf, name_groups.values(), 90)

    groups: dict = defaultdict(list)
    for r in records:
        groups[uf.find(r.key)].append(r)
    return [sorted(g, key=_order) for g in groups.values()]


def _pairs(uf: UnionFind, groups, window_days: int) -> None:
    for members in groups:
        uniq = list({m.key: m for m in members}.values())
        uniq = [m for m in uniq if m.received_on is not None]
        for i, a in enumerate(uniq):
            for b in uniq[i + 1:]:
                if abs((a.received_on - b.received_on).days) <= window_days:
                    uf.union(a.key, b.key)


# -- §1.3 attributes and §2 settlements ---------------------------------------------------------


def project_id_of(rec: Record) -> str:
    return "RP-" + hashlib.sha256(f"{rec.partner}:{rec.rid}".encode()).hexdigest()[:12]


def regional_project(group: list[Record]) -> tuple[dict, dict | None]:
    first = min(group, key=_order)
    pid = project_id_of(first)
    desc_order = sorted(group, key=lambda r: (r.partner != "irl",) + _order(r))
    desc = {}
    for attr in ("cluster_code", "origin_country", "project_type", "required_area_m2",
                 "planned_jobs", "planned_investment_eur"):
        desc[attr] = next((r.desc.get(attr) for r in desc_order
                           if r.desc.get(attr) is not None), None)
    if desc["cluster_code"] is None:
        desc["cluster_code"] = "OTHER"
    if desc["project_type"] is None:
        desc["project_type"] = "other"

    won = [r for r in group if r.is_won]
    lost = [r for r in group if r.is_lost]
    open_ = [r for r in group if not r.is_won and not r.is_lost]

    settlement = None
    territorial = [r.settlement for r in group
                   if r.settlement is not None and r.partner in ("stadt_leipzig", "lk_leipzig")]
    irl_won = [r.settlement for r in group if r.settlement is not None and r.partner == "irl"]
    if territorial:
        settlement = min(territorial, key=lambda s: (s.decided_on, s.partner != "stadt_leipzig",
                                                     s.rid))
    elif irl_won:
        settlement = min(irl_won, key=lambda s: (s.decided_on, s.rid))

    won_on = lost_on = lost_reason = None
    if won:
        status = "won"
        if settlement is not None:
            won_on = settlement.decided_on
        else:
            won_on = min(r.status_on for r in won if r.status == "won")
    elif len(lost) == len(group):
        status = "lost"
        last = min(lost, key=lambda r: (-r.status_on.toordinal(), PARTNER_ORDER[r.partner], r.rid))
        lost_on, lost_reason = last.status_on, last.lost_reason
    else:
        active = [r.status for r in open_ if r.status != "on_hold"]
        status = max(active, key=lambda s: STATUS_RANK.get(s, -1)) if active else "on_hold"

    project = {
        "project_id": pid,
        "first_received_on": first.received_on,  # None only when no record is dated
        **{k: desc[k] for k in ("cluster_code", "origin_country", "project_type")},
        "status": status,
        "won_on": won_on,
        "lost_on": lost_on,
        "lost_reason": lost_reason,
        **{k: desc[k] for k in ("required_area_m2", "planned_jobs", "planned_investment_eur")},
        "partners": sorted({r.partner for r in group}),
        "record_count": len(group),
    }
    fct_settlement = None
    if settlement is not None:
        fct_settlement = {
            "project_id": pid, "decided_on": settlement.decided_on, "ags": settlement.ags,
            "cluster_code": project["cluster_code"], "jobs_new": settlement.jobs_new,
            "jobs_secured": settlement.jobs_secured, "investment_eur": settlement.investment_eur,
            "site_id": settlement.site_id, "source_partner": settlement.partner,
        }
    return project, fct_settlement


# -- §4 ----------------------------------------------------------------------------------------


def round_half_away(value: Decimal | None, places: int) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _sum(values) -> Decimal | None:
    known = [Decimal(v) for v in values if v is not None]
    return sum(known, Decimal(0)) if known else None


def _frame(rows, columns) -> pd.DataFrame:
    """Object columns: None stays None (an unknown value), Decimals stay exact."""
    return pd.DataFrame(rows, columns=columns, dtype=object)


def month_range(start: dt.date, end: dt.date) -> list[dt.date]:
    return [add_months(start, i) for i in range(months_between(start, end) + 1)]


@dataclass
class OracleResult:
    fct_projects: pd.DataFrame
    fct_settlements: pd.DataFrame
    kpi_projects_monthly: pd.DataFrame
    kpi_settlements_monthly: pd.DataFrame
    kpi_land_monthly: pd.DataFrame
    kpi_lost_reasons_monthly: pd.DataFrame
    set_aside: list[SetAside]
    range_projects: tuple[dt.date, dt.date] | None
    range_land: tuple[dt.date, dt.date] | None

    def marts(self) -> dict[str, pd.DataFrame]:
        return {
            "kpi_projects_monthly": self.kpi_projects_monthly,
            "kpi_settlements_monthly": self.kpi_settlements_monthly,
            "kpi_land_monthly": self.kpi_land_monthly,
            "kpi_lost_reasons_monthly": self.kpi_lost_reasons_monthly,
        }


def compute(inbox: Path, repo_root: Path | None = None) -> OracleResult:
    repo_root = repo_root or Path(__file__).resolve().parents[2]
    ref = Reference.load(find_reference_dir(repo_root))
    files = discover(Path(inbox))
    data = load_partners(files, ref)
    return compute_from(data, ref)


def compute_from(data: PartnerData, ref: Reference) -> OracleResult:
    projects, settlements = [], []
    for group in link(data.records):
        project, settlement = regional_project(group)
        projects.append(project)
        if settlement is not None:
            settlements.append(settlement)
    fct_projects = _frame(projects, columns=[
        "project_id", "first_received_on", "cluster_code", "origin_country", "project_type",
        "status", "won_on", "lost_on", "lost_reason", "required_area_m2", "planned_jobs",
        "planned_investment_eur", "partners", "record_count"])
    fct_projects = fct_projects.sort_values("project_id", ignore_index=True)
    fct_settlements = _frame(settlements, columns=[
        "project_id", "decided_on", "ags", "cluster_code", "jobs_new", "jobs_secured",
        "investment_eur", "site_id", "source_partner"]).sort_values("project_id",
                                                                     ignore_index=True)

    end = max(data.delivered_months) if data.delivered_months else None
    range_p = range_l = None
    if end is not None and projects:
        dated = [p["first_received_on"] for p in projects if p["first_received_on"]]
        range_p = (month_start(min(dated)), end) if dated else None
    if end is not None:
        range_l = (min(data.delivered_months), end)

    kp_rows, kl_rows, ks_rows, kr_rows = [], [], [], []
    if range_p:
        months = month_range(*range_p)
        for m in months:
            eom = month_end(m)
            for c in ref.clusters:
                mine = [p for p in projects if p["cluster_code"] == c]
                dated = [p for p in mine if p["first_received_on"] is not None]
                kp_rows.append({
                    "month": m, "cluster_code": c,
                    "new_projects": sum(month_start(p["first_received_on"]) == m for p in dated),
                    "won_projects": sum(p["won_on"] is not None and month_start(p["won_on"]) == m
                                        for p in mine),
                    "lost_projects": sum(p["lost_on"] is not None
                                         and month_start(p["lost_on"]) == m for p in mine),
                    "open_projects_eom": sum(
                        p["first_received_on"] <= eom
                        and (p["won_on"] is None or p["won_on"] > eom)
                        and (p["lost_on"] is None or p["lost_on"] > eom) for p in dated),
                })
        groups = defaultdict(list)
        for s in settlements:
            m = month_start(s["decided_on"])
            if range_p[0] <= m <= range_p[1]:
                groups[(m, s["ags"], s["cluster_code"])].append(s)
        for (m, ags, c), ss in sorted(groups.items()):
            ks_rows.append({
                "month": m, "ags": ags, "cluster_code": c, "settlements": len(ss),
                "jobs_new": _sum(s["jobs_new"] for s in ss),
                "jobs_secured": _sum(s["jobs_secured"] for s in ss),
                "investment_eur": round_half_away(_sum(s["investment_eur"] for s in ss), 2),
            })
        lost = defaultdict(int)
        for p in projects:
            if p["lost_on"] is not None:
                m = month_start(p["lost_on"])
                if range_p[0] <= m <= range_p[1]:
                    lost[(m, p["lost_reason"] or "other")] += 1
        kr_rows = [{"month": m, "lost_reason": r, "lost_projects": n}
                   for (m, r), n in sorted(lost.items())]

    if range_l:
        for m in month_range(*range_l):
            agg = defaultdict(list)
            for snaps in data.site_snapshots.values():
                stand_in = [s for s in snaps if s <= m and months_between(s, m) <= 2]
                if not stand_in:
                    continue
                snap_month = max(stand_in)
                for site in snaps[snap_month].values():
                    if (site["status"] == "available" and site["free_area_ha"] is not None
                            and site["free_area_ha"] > 0):
                        agg[(site["ags"], site["zoning"], snap_month)].append(site)
            for (ags, zoning, snap_month), sites in sorted(agg.items(), key=lambda kv: (
                    kv[0][0] or "", kv[0][1] or "", kv[0][2])):
                kl_rows.append({
                    "month": m, "ags": ags, "zoning": zoning, "sites_available": len(sites),
                    "free_area_ha": round_half_away(_sum(s["free_area_ha"] for s in sites), 4),
                    "snapshot_month": snap_month,
                })

    return OracleResult(
        fct_projects=fct_projects,
        fct_settlements=fct_settlements,
        kpi_projects_monthly=_frame(kp_rows, columns=[
            "month", "cluster_code", "new_projects", "won_projects", "lost_projects",
            "open_projects_eom"]),
        kpi_settlements_monthly=_frame(ks_rows, columns=[
            "month", "ags", "cluster_code", "settlements", "jobs_new", "jobs_secured",
            "investment_eur"]),
        kpi_land_monthly=_frame(kl_rows, columns=[
            "month", "ags", "zoning", "sites_available", "free_area_ha", "snapshot_month"]),
        kpi_lost_reasons_monthly=_frame(kr_rows, columns=[
            "month", "lost_reason", "lost_projects"]),
        set_aside=data.set_aside,
        range_projects=range_p,
        range_land=range_l,
    )
