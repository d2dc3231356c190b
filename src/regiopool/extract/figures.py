"""Read the unsuppressed figures of the council extract from the published marts (CATALOGUE §4/§5).

Only `marts.*` is read: the marts hold no contact data and no free text, so neither can reach the
extract. Everything is returned as plain Python values (Decimal for money and areas).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import duckdb

BERLIN = ZoneInfo("Europe/Berlin")
CORE_AREAS = ("Stadt Leipzig", "Landkreis Leipzig")
MEASURES = ("jobs_new", "jobs_secured", "investment_eur")
CHART_MONTHS = 24
UNKNOWN_AREA = "Gebiet unbekannt"


def month_start(d: date) -> date:
    return date(d.year, d.month, 1)


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    return date(y, m + 1, 1)


def berlin_local(ts: datetime | None) -> datetime | None:
    """A delivery time as a naive Europe/Berlin wall-clock time (the catalogue's dates are
    Europe/Berlin local); naive values are taken to be that already."""
    if ts is None or ts.tzinfo is None:
        return ts
    return ts.astimezone(BERLIN).replace(tzinfo=None)


def area_order(areas) -> list[str]:
    """Display order: Stadt Leipzig, Landkreis Leipzig, then the other districts by name."""
    areas = set(areas)
    return [a for a in CORE_AREAS if a in areas] + sorted(areas - set(CORE_AREAS))


@dataclass
class Settlement:
    area: str
    cluster: str
    decided_on: date
    jobs_new: int | None
    jobs_secured: int | None
    investment_eur: Decimal | None


@dataclass
class LandCell:
    sites: int
    free_ha: Decimal | None
    stand_in: bool  # a stand-in snapshot of an earlier month


@dataclass
class Figures:
    """The unsuppressed figures for report month `month`."""

    month: date
    clusters: list[tuple[str, str]]  # (code, German name), display order
    projects: dict[str, dict[str, int | None]]  # cluster -> measure -> count
    settlement_areas: list[str]  # display order
    settlements: list[Settlement]  # YTD
    land_areas: list[str]
    land: dict[date, dict[tuple[str, str], LandCell]]  # month (M, M-1) -> (area, zoning)
    lost_reasons: dict[str, int]  # reason code -> lost projects YTD
    deliveries: list[dict]  # partner_deliveries rows for M
    # charts: last 24 months
    chart_months: list[date] = field(default_factory=list)
    new_projects_by_cluster: dict[str, list[int]] = field(default_factory=dict)
    settlements_by_area: dict[str, list[int]] = field(default_factory=dict)
    # settlements from January of the first chart year to M (protection of the jobs chart)
    history: list[Settlement] = field(default_factory=list)
    free_ha_by_area: dict[str, list[Decimal | None]] = field(default_factory=dict)

    @property
    def data_status(self) -> datetime | None:
        """When the latest file for M arrived (None: nothing delivered)."""
        stamps = [d["last_delivery_at"] for d in self.deliveries if d["last_delivery_at"]]
        return max(stamps) if stamps else None


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params=()) -> list[tuple]:
    return con.execute(sql, list(params)).fetchall()


def read_clusters(con) -> list[tuple[str, str]]:
    rows = _rows(con, "select cluster_code, name_de from marts.dim_cluster")
    return sorted(((c, n or c) for c, n in rows), key=lambda r: (r[0] == "OTHER", r[1]))


def read_settlements(con, start: date, end_exclusive: date) -> list[Settlement]:
    """Regional settlements decided in [start, end_exclusive), with their area."""
    rows = _rows(
        con,
        f"""
        select coalesce(m.district_name, '{UNKNOWN_AREA}'), coalesce(s.cluster_code, 'OTHER'),
               s.decided_on, s.jobs_new, s.jobs_secured, s.investment_eur
        from marts.fct_settlements s
        left join marts.dim_municipality m on m.ags = s.ags
        where s.decided_on >= ? and s.decided_on < ?
        order by s.decided_on, s.project_id
        """,
        (start, end_exclusive),
    )
    return [
        Settlement(a, c, d, jn, js, Decimal(inv) if inv is not None else None)
        for a, c, d, jn, js, inv in rows
    ]


def _normal_zoning(z: str | None) -> str:
    z = (z or "").strip().upper().replace(" ", "")
    return "GI" if z == "GE/GI" else (z or "?")


def _read_land(con, months: list[date]) -> dict[date, dict[tuple[str, str], LandCell]]:
    rows = _rows(
        con,
        f"""
        select k.month, coalesce(m.district_name, '{UNKNOWN_AREA}'), k.zoning,
               k.sites_available, k.free_area_ha, k.snapshot_month
        from marts.kpi_land_monthly k
        left join marts.dim_municipality m on m.ags = k.ags
        where k.month in ({", ".join("?" for _ in months)})
        """,
        months,
    )
    out: dict[date, dict[tuple[str, str], LandCell]] = {m: {} for m in months}
    for month, area, zoning, sites, ha, snap in rows:
        key = (area, _normal_zoning(zoning))
        cell = out[month].setdefault(key, LandCell(0, None, False))
        cell.sites += int(sites or 0)
        if ha is not None:
            cell.free_ha = (cell.free_ha or Decimal(0)) + Decimal(ha)
        if snap is not None and month_start(snap) != month:
            cell.stand_in = True
    return out


def compute_figures(con: duckdb.DuckDBPyConnection, report_month: date) -> Figures:
    month = month_start(report_month)
    year_start = date(month.year, 1, 1)
    next_month = add_months(month, 1)
    clusters = read_clusters(con)
    codes = [c for c, _ in clusters]

    # --- Projekte ---------------------------------------------------------------------------
    proj_rows = _rows(
        con,
        """
        select cluster_code,
               sum(new_projects) filter (where month = ?),
               sum(new_projects), sum(won_projects), sum(lost_projects),
               sum(open_projects_eom) filter (where month = ?),
               count(*) filter (where month = ?)
        from marts.kpi_projects_monthly
        where month >= ? and month <= ?
        group by cluster_code
        """,
        (month, month, month, year_start, month),
    )
    in_range = bool(
        _rows(con, "select 1 from marts.kpi_projects_monthly where month = ?", (month,))
    )
    projects: dict[str, dict[str, int | None]] = {}
    for code in codes:
        zero = 0 if in_range else None
        projects[code] = dict.fromkeys(
            ("new_m", "new_ytd", "won_ytd", "lost_ytd", "open_eom"), zero
        )
    for code, new_m, new_ytd, won, lost, open_eom, _ in proj_rows:
        code = code or "OTHER"
        if code not in projects:
            projects[code] = dict.fromkeys(
                ("new_m", "new_ytd", "won_ytd", "lost_ytd", "open_eom"), None
            )
            clusters.append((code, code))
            codes.append(code)
        if not in_range:
            continue
        projects[code] = {
            "new_m": int(new_m or 0),
            "new_ytd": int(new_ytd or 0),
            "won_ytd": int(won or 0),
            "lost_ytd": int(lost or 0),
            "open_eom": int(open_eom or 0),
        }

    # --- Ansiedlungen -----------------------------------------------------------------------
    settlements = read_settlements(con, year_start, next_month)
    for s in settlements:
        if s.cluster not in codes:
            clusters.append((s.cluster, s.cluster))
            codes.append(s.cluster)
            projects[s.cluster] = dict.fromkeys(
                ("new_m", "new_ytd", "won_ytd", "lost_ytd", "open_eom"), 0 if in_range else None
            )
    settlement_areas = area_order(set(CORE_AREAS) | {s.area for s in settlements})

    # --- Flächen ----------------------------------------------------------------------------
    # the same areas as Ansiedlungen (§5: Stadt Leipzig, Landkreis Leipzig and any other
    # district with a settlement in the year); land elsewhere is in no area and no total
    prev = add_months(month, -1)
    land_areas = list(settlement_areas)
    land = {
        m: {k: c for k, c in cells.items() if k[0] in land_areas}
        for m, cells in _read_land(con, [month, prev]).items()
    }

    # --- Verlustgründe ----------------------------------------------------------------------
    lost = {
        (r or "other"): int(n or 0)
        for r, n in _rows(
            con,
            """
            select coalesce(lost_reason, 'other'), sum(lost_projects)
            from marts.kpi_lost_reasons_monthly where month >= ? and month <= ?
            group by 1
            """,
            (year_start, month),
        )
    }

    # --- Lieferungen ------------------------------------------------------------------------
    deliveries = [
        {
            "partner": partner,
            "delivered": bool(delivered),
            "files": files,
            "rows_loaded": loaded,
            "rows_rejected": rejected,
            "last_delivery_at": berlin_local(last),
        }
        for partner, delivered, files, loaded, rejected, last in _rows(
            con,
            """
            select partner, delivered, files, rows_loaded, rows_rejected, last_delivery_at
            from marts.partner_deliveries where month = ? order by partner
            """,
            (month,),
        )
    ]

    figures = Figures(
        month=month,
        clusters=clusters,
        projects=projects,
        settlement_areas=settlement_areas,
        settlements=settlements,
        land_areas=land_areas,
        land=land,
        lost_reasons=lost,
        deliveries=deliveries,
    )
    _chart_series(con, figures)
    return figures


def _chart_series(con, f: Figures) -> None:
    first = add_months(f.month, -(CHART_MONTHS - 1))
    months = [add_months(first, i) for i in range(CHART_MONTHS)]
    idx = {m: i for i, m in enumerate(months)}
    f.chart_months = months

    by_cluster: dict[str, list[int]] = {c: [0] * len(months) for c, _ in f.clusters}
    for m, c, n in _rows(
        con,
        """select month, coalesce(cluster_code, 'OTHER'), sum(new_projects)
           from marts.kpi_projects_monthly where month >= ? and month <= ? group by 1, 2""",
        (first, f.month),
    ):
        by_cluster.setdefault(c, [0] * len(months))[idx[month_start(m)]] += int(n or 0)
    f.new_projects_by_cluster = by_cluster

    # the jobs series covers whole calendar years (for the year groups of the protection)
    year_first = date(first.year, 1, 1)
    settl = read_settlements(con, year_first, add_months(f.month, 1))
    by_area: dict[str, list[int]] = defaultdict(lambda: [0] * len(months))
    for s in settl:
        sm = month_start(s.decided_on)
        if sm in idx:
            by_area[s.area][idx[sm]] += 1
    f.settlements_by_area = {a: by_area[a] for a in area_order(set(by_area) | set(CORE_AREAS))}
    f.history = settl

    # kpi_land_monthly has rows only where a site is available: within the reporting range
    # (the months of partner_deliveries) a missing row is zero, before it unknown
    in_range = {
        month_start(m)
        for (m,) in _rows(
            con, "select distinct month from marts.partner_deliveries where month >= ?", (first,)
        )
    }
    land: dict[str, list[Decimal | None]] = defaultdict(
        lambda: [Decimal(0) if m in in_range else None for m in months]
    )
    for m, area, ha in _rows(
        con,
        f"""select k.month, coalesce(d.district_name, '{UNKNOWN_AREA}'), sum(k.free_area_ha)
            from marts.kpi_land_monthly k left join marts.dim_municipality d on d.ags = k.ags
            where k.month >= ? and k.month <= ? group by 1, 2""",
        (first, f.month),
    ):
        if area in f.land_areas:  # the areas of the report (§5), as in the Flächen table
            land[area][idx[month_start(m)]] = Decimal(ha) if ha is not None else None
    f.free_ha_by_area = {a: land[a] for a in f.land_areas}
