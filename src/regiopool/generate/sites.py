"""Commercial sites of the city and the district: a register that changes month by month.

Site counts are capped at 9,999 per agency (ids have four digits), so the register is small
enough to keep in memory at any scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta

from . import names
from .common import month_first, month_last, rng
from .world import CITY, World

CITY_BOX = (305_000, 331_000, 5_678_000, 5_700_000)       # E min, E max, N min, N max
DISTRICT_BOX = (300_000, 345_000, 5_665_000, 5_712_000)


@dataclass
class Site:
    number: int
    site_id: str
    name: str
    place: str                  # city district (city) or municipality name (district)
    area_m2: float
    free_m2: float | None
    zoning: str
    planning: str
    owner: str
    price: float | None
    status: str                 # harmonised: available / reserved / sold
    motorway_km: float
    rail: bool
    changed_on: date
    start_month: int
    withdraw_month: int | None
    centre: tuple[float, float]
    geometry: str               # 'polygon', 'multipolygon' or 'none'
    rotation: float


def _free_area(r, area: float) -> float | None:
    v = r.random()
    if v < 0.02:
        return None  # not known
    return area if v < 0.8 else round(area * r.uniform(0.2, 0.9), -2)


class SiteBook:
    def __init__(self, world: World, partner: str, count: int):
        self.world, self.partner = world, partner
        self.sites: list[Site] = []
        city = partner == CITY
        box = CITY_BOX if city else DISTRICT_BOX
        for k in range(1, count + 1):
            r = rng(world.seed, "site", partner, k)
            q = rng(world.seed, "site-q", partner, k)
            area = max(2000.0, round(math.exp(r.gauss(math.log(40_000), 0.9)), -2))
            start = world.start if r.random() < 0.85 else r.randint(world.start, world.end)
            withdraw = None
            if world.rate(q, "site_withdrawn"):
                withdraw = q.randint(start + 1, max(start + 1, world.end + 1))
            else:
                q.random()
            no_geom = world.rate(q, "site_without_geometry")
            if city:
                place = r.choice(names.CITY_DISTRICTS)
                zoning = r.choices(("GE", "GI", "SO", "MI"), weights=(50, 30, 10, 10))[0]
                owner = r.choice(("kommunal", "privat"))
                planning = r.choice(names.PLANNING["city"])
            else:
                place = r.choice(world.district_munis)["name"]
                zoning = r.choices(("GE", "GI", "SO", "GE/GI"), weights=(50, 25, 10, 15))[0]
                owner = r.choice(("Gemeinde", "Landkreis", "privat"))
                planning = r.choice(names.PLANNING["district"])
            name = f"{r.choice(names.SITE_WORDS)} {r.choice(names.SITE_NAMES)}"
            if r.random() < 0.3:
                name += f", Baufeld {r.randint(1, 9)}"
            self.sites.append(Site(
                number=k, site_id=f"{'L' if city else 'K'}-{k:04d}", name=name, place=place,
                area_m2=area, free_m2=_free_area(r, area),
                zoning=zoning, planning=planning, owner=owner,
                price=None if r.random() < 0.2 else float(r.randint(15, 160 if city else 60)),
                status="available" if r.random() < 0.85 else "reserved",
                motorway_km=round(r.uniform(0.3, 18.0), 1), rail=r.random() < 0.15,
                changed_on=month_first(world.start) - timedelta(days=r.randint(30, 900)),
                start_month=start, withdraw_month=withdraw,
                centre=(round(r.uniform(box[0], box[1]), 1), round(r.uniform(box[2], box[3]), 1)),
                geometry="none" if no_geom else ("multipolygon" if r.random() < 0.1 else "polygon"),
                rotation=r.uniform(-0.5, 0.5)))

    def advance(self, mi: int) -> None:
        """Apply the changes of month mi (reservations, sales, partial sales, prices)."""
        r = rng(self.world.seed, "sites-month", self.partner, mi)
        first, last = month_first(mi), month_last(mi)
        for s in self.sites:
            u = [r.random() for _ in range(4)]
            day = first + timedelta(days=r.randint(0, (last - first).days))
            if s.start_month == mi:
                s.changed_on = day
                continue
            if s.start_month > mi:
                continue
            changed = False
            if s.status == "available" and u[0] < 0.03:
                s.status, changed = "reserved", True
            elif s.status == "reserved" and u[0] < 0.15:
                s.status, s.free_m2, changed = "sold", 0.0, True
            elif s.status == "reserved" and u[0] < 0.25:
                s.status, changed = "available", True
            if s.status == "available" and s.free_m2 and u[1] < 0.03:
                s.free_m2 = round(s.free_m2 * (0.5 + u[2] * 0.4), -2)
                changed = True
            if s.price is not None and u[3] < 0.02:
                s.price = round(s.price * 1.05, 0)
                changed = True
            if changed:
                s.changed_on = day

    def snapshot(self, mi: int) -> list[Site]:
        return [replace(s) for s in self.sites
                if s.start_month <= mi and (s.withdraw_month is None or s.withdraw_month > mi)]


def geometry(site: Site) -> dict | None:
    """A rectangle (or two) of roughly the site's area around its centre, EPSG:25833 metres."""
    if site.geometry == "none":
        return None
    e, n = site.centre
    ratio = 1.0 + (site.number % 7) / 4
    parts = [(0.0, 0.0, site.area_m2)]
    if site.geometry == "multipolygon":
        w = math.sqrt(site.area_m2 * 0.6 * ratio)
        parts = [(-w * 0.7, 0.0, site.area_m2 * 0.6), (w * 0.7, 40.0, site.area_m2 * 0.4)]
    polys = []
    c, s_ = math.cos(site.rotation), math.sin(site.rotation)
    for dx, dy, area in parts:
        w = math.sqrt(area * ratio)
        h = area / w
        ring = []
        for x, y in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)):
            x, y = x + dx, y + dy
            ring.append([round(e + x * c - y * s_, 2), round(n + x * s_ + y * c, 2)])
        ring.append(ring[0])
        polys.append([ring])
    if len(polys) == 1:
        return {"type": "Polygon", "coordinates": polys[0]}
    return {"type": "MultiPolygon", "coordinates": polys}
