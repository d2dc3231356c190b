"""The simulated region: investor projects and each agency's record of them.

A *regional project* is one investor project. Each is a pure function of
``(seed, month, index)``: the writer builds it once and keeps it only while it still produces
output (``World.built``); anything else is rebuilt on demand (a small LRU cache), so that memory
grows with the projects active at a time, not with all of them. The :class:`Plan` only keeps, per month, how many projects start, which
agencies handle each, their record numbers and the last month in which a project still produces
output (a few bytes per project).
"""

from __future__ import annotations

import math
import random
from array import array
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from . import names
from .common import month_first, month_last, month_of, rng, ulid
from .reference import Reference

CITY, DISTRICT, IRL = "stadt_leipzig", "lk_leipzig", "irl"

# Regional projects per year at scale 1, by the agencies that handle them.
# City 280+100+10+10 = 400, district 85+50+10+10 = 155, IRL 90+100+50+10 = 250.
MIX: list[tuple[tuple[str, ...], int]] = [
    ((CITY,), 280),
    ((DISTRICT,), 85),
    ((IRL,), 90),
    ((CITY, IRL), 100),
    ((DISTRICT, IRL), 50),
    ((CITY, DISTRICT, IRL), 10),
    ((CITY, DISTRICT), 10),
]
PER_YEAR = sum(w for _, w in MIX)
# the registers have a history: projects start this many months before the first delivered
# month (the city's and the district's; IRL's CRM feed starts with the first delivered month)
WARMUP_MONTHS = 12
WARMUP_MIX = [tuple(p for p in partners if p != IRL) for partners, _ in MIX]
SEASON = [1.0, 1.05, 1.1, 1.1, 1.0, 0.95, 0.85, 0.8, 1.05, 1.1, 1.05, 0.95]
MAX_LIFE_DAYS = 640          # every status change of a project falls within this many days
CITY_SITES_PER_SCALE = 150
DISTRICT_SITES_PER_SCALE = 120
MAX_SITES = 9999             # site ids have four digits
CACHE_SIZE = 4096            # projects kept built besides `World.built`; others are rebuilt
KEEP_BUILT = True            # the writer keeps the projects it still needs in `World.built`


def site_count(per_scale: int, scale: float) -> int:
    return max(1, min(MAX_SITES, round(per_scale * scale)))


# ---------------------------------------------------------------------------------------------
@dataclass(slots=True)
class Win:
    decided_on: date
    territory: str               # CITY or DISTRICT
    ags: str
    place: str                   # city district (Ortsteil) or municipality name
    site_id: str | None
    jobs_new: int
    jobs_secured: int
    investment_eur: float
    project_type: str
    # a corrected settlement row delivered again in a later month: (month, jobs_new, investment)
    correction: tuple[int, int, float] | None = None


@dataclass(slots=True)
class Step:
    on: date
    status: str                  # harmonised status (statuses.csv `status`)
    reason: str | None = None    # lost reason code
    competitor: str | None = None
    reopen: bool = False


@dataclass(slots=True)
class Record:
    """One agency's record of a regional project."""

    partner: str
    rid: str
    received: date
    steps: list[Step]
    company: str | None
    register: tuple[str, str, str] | None   # (type, number incl. suffix, court) or None
    ref: str | None = None                  # the IRL project id as written (city/district)
    ref_from: date | None = None
    quirks: dict[str, object] = field(default_factory=dict)
    deleted_month: int | None = None        # district: missing from snapshots from this month
    contact: tuple[str, str, str] = ("", "", "")
    note: str = ""
    municipalities: list[str] = field(default_factory=list)   # district: names considered
    settles: bool = False                   # holds the territorial settlement record

    def state_at(self, day: date) -> Step | None:
        cur = None
        for s in self.steps:
            if s.on <= day:
                cur = s
            else:
                break
        return cur


@dataclass(slots=True)
class IrlLine:
    send_day: date
    order: float                 # position in the CRM outbox on that day
    event_id: str
    text: str
    kind: str                    # 'event', 'duplicate', 'late', 'out_of_order', 'invalid', 'unknown'


@dataclass(slots=True)
class Project:
    key: tuple[int, int]
    gidx: int
    partners: tuple[str, ...]
    received: date
    cluster: str
    country: str
    project_type: str
    area_m2: int
    jobs: int
    investment: float
    company: tuple[str, str, bool] | None   # (base name, legal form, foreign) or None
    code_name: str
    steps: list[Step]
    win: Win | None
    revision: tuple[date, int, float] | None
    link_mode: str                          # 'single', 'ref', 'register', 'name'
    records: dict[str, Record] = field(default_factory=dict)
    irl_lines: list[IrlLine] = field(default_factory=list)
    region_loss_reported: bool = False
    reopened: bool = False
    mega: bool = False

    @property
    def last_month(self) -> int:
        last = month_of(self.received)
        for rec in self.records.values():
            for s in rec.steps:
                last = max(last, month_of(s.on))
            if rec.ref_from:
                last = max(last, month_of(rec.ref_from))
        if self.revision:
            last = max(last, month_of(self.revision[0]))
        if self.win and self.win.correction:
            last = max(last, self.win.correction[0])
        for line in self.irl_lines:
            last = max(last, month_of(line.send_day))
        return last


# ---------------------------------------------------------------------------------------------
class Plan:
    """How many projects start in each month, who handles them, and their record numbers."""

    def __init__(self, world: World):
        self.world = world
        self.first = world.start - WARMUP_MONTHS
        self.months: list[int] = list(range(self.first, world.end + 1))
        self.output_months: list[int] = list(range(world.start, world.end + 1))
        self.cats: dict[int, bytes] = {}
        self.days: dict[int, bytes] = {}
        self.numbers: dict[int, dict[str, array]] = {}
        self.last: dict[int, array] = {}
        self.offsets: dict[int, int] = {}
        counters: dict[tuple[str, int], int] = {}
        weights = [w for _, w in MIX]
        gidx = 0
        for mi in self.months:
            r = rng(world.seed, "plan", mi)
            mean = PER_YEAR / 12 * world.scale * SEASON[mi % 12]
            n = int(mean) + (1 if r.random() < mean - int(mean) else 0)
            cats = bytes(r.choices(range(len(MIX)), weights=weights, k=n))
            ndays = month_last(mi).day
            days = bytes(sorted(r.randint(1, ndays) for _ in range(n)))
            nums = {p: array("i", [0]) * n for p in (CITY, DISTRICT, IRL)}
            year = mi // 12
            for i, c in enumerate(cats):
                for p in self.partners_of(mi, c):
                    counters[(p, year)] = counters.get((p, year), 0) + 1
                    nums[p][i] = counters[(p, year)]
            self.cats[mi], self.days[mi], self.numbers[mi] = cats, days, nums
            self.offsets[mi] = gidx
            gidx += n
        self.total = gidx

    def partners_of(self, mi: int, cat: int) -> tuple[str, ...]:
        """The agencies of a project (before the first delivered month: without IRL)."""
        return MIX[cat][0] if mi >= self.world.start else WARMUP_MIX[cat]

    def count(self, mi: int) -> int:
        return len(self.cats[mi])


# ---------------------------------------------------------------------------------------------
def _lognormal(r: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(r.gauss(0.0, sigma))


def _days(r: random.Random, lo: int, hi: int) -> timedelta:
    return timedelta(days=r.randint(lo, hi))


class World:
    """Builds projects on demand from the seed; holds the reference data and the rates."""

    def __init__(self, ref: Reference, *, seed: int, start: int, end: int, scale: float,
                 rates: dict[str, float]):
        self.ref, self.seed, self.start, self.end, self.scale = ref, seed, start, end, scale
        self.rates = rates
        self.city = ref.city()
        self.district_munis = ref.district_municipalities("Landkreis Leipzig")
        self.n_city_sites = site_count(CITY_SITES_PER_SCALE, scale)
        self.n_district_sites = site_count(DISTRICT_SITES_PER_SCALE, scale)
        # countries: weight by the order of first appearance (the file lists common ones first);
        # the first (Germany) gets about three quarters of the projects
        self.country_isos = [iso for iso, _ in ref.countries]
        self.country_weights = [(8.0 if k == 0 else 1.0 / (k + 1) ** 1.2)
                                for k in range(len(self.country_isos))]
        self.country_names = dict(ref.countries)
        self.cluster_weights = [1.0] * len(ref.clusters)
        # name variants grow with the scale, so that a company name is shared by about as many
        # unrelated projects at every scale (docs/decisions/generate-0001-name-variants.md);
        # at scale 1 there is one variant and the names are the pools' own
        self.name_variants = max(1, round(scale))
        self.plan = Plan(self)
        self._cached = lru_cache(maxsize=CACHE_SIZE)(self._build)
        # projects the writer still needs (it adds and drops them); looked up before the cache
        self.built: dict[tuple[int, int], Project] = {}
        self.keep_built = KEEP_BUILT

    def project(self, mi: int, i: int) -> Project:
        """The i-th project of month mi: kept, cached or built from its seed."""
        p = self.built.get((mi, i))
        return p if p is not None else self._cached(mi, i)

    # -- helpers --------------------------------------------------------------------------
    def rate(self, q: random.Random, name: str) -> bool:
        """Draw once (always, so that a rate of 0 does not shift other draws)."""
        return q.random() < self.rates[name]

    def ids(self, mi: int, i: int) -> dict[str, str]:
        nums = self.plan.numbers[mi]
        year = mi // 12
        out = {}
        for p in self.plan.partners_of(mi, self.plan.cats[mi][i]):
            n = nums[p][i]
            if p == CITY:
                out[p] = f"WF-{year}-{n:04d}"
            elif p == DISTRICT:
                out[p] = f"LKL-{year % 100:02d}-{n:03d}"
            else:
                out[p] = f"IRL-{year}-{n:04d}"
        return out

    def _company(self, r: random.Random, cluster: str, iso: str):
        if iso != "DE" and r.random() < 0.8:
            word = r.choice(names.FOREIGN_WORDS)
            trade = r.choice(names.TRADES_EN.get(cluster, names.TRADES_EN_OTHER))
            form = r.choice(names.FOREIGN_FORMS.get(iso, ["Ltd"]))
            return (f"{word} {trade}", form, True)
        first = r.choice(names.SURNAMES if r.random() < 0.6 else names.FANTASY)
        if r.random() < 0.15:
            first = f"{first} & {r.choice(names.SURNAMES)}"
        trade = r.choice(names.TRADES.get(cluster, names.TRADES_OTHER))
        qual = r.choice(names.QUALIFIERS)
        base = " ".join(x for x in (first, trade, qual) if x)
        form = r.choices([f for f, _ in names.GERMAN_FORMS],
                         weights=[w for _, w in names.GERMAN_FORMS])[0]
        return (base, form, False)

    def _register(self, r: random.Random, gidx: int, form: str) -> tuple[str, str, str]:
        court = r.choices([c for c, _ in names.COURTS], weights=[w for _, w in names.COURTS])[0]
        kind = "HRA" if form in ("KG", "e.K.") else "HRB"
        p = 99991
        number = 1000 + (gidx * 7919 + 17) % p if gidx < p else 101000 + gidx
        suffix = " B" if court == "Charlottenburg" else ""
        return (kind, f"{number}{suffix}", court)

    # -- the build ------------------------------------------------------------------------
    def _build(self, mi: int, i: int) -> Project:
        seed = self.seed
        r = rng(seed, "p", mi, i)          # base data
        q = rng(seed, "q", mi, i)          # irregularities (always drawn, rate-independent)
        ref = self.ref
        partners = self.plan.partners_of(mi, self.plan.cats[mi][i])
        received = month_first(mi) + timedelta(days=self.plan.days[mi][i] - 1)
        gidx = self.plan.offsets[mi] + i
        cluster = r.choices(ref.clusters, weights=self.cluster_weights)[0]
        iso = r.choices(self.country_isos, weights=self.country_weights)[0]
        codes = ref.project_type_codes
        ptype = r.choices(codes, weights=([6, 3, 1] + [1] * len(codes))[: len(codes)])[0]
        mega = r.random() < 0.012
        if mega:
            jobs = r.randint(600, 2500)
            invest = round(r.uniform(300e6, 1.2e9), -5)
            area = round(r.uniform(200_000, 600_000), -3)
        else:
            jobs = max(3, min(3000, round(_lognormal(r, 35, 1.0))))
            invest = round(jobs * _lognormal(r, 120_000, 0.6), -4)
            area = max(500, round(_lognormal(r, 15_000, 0.9), -2))
        confidential = r.random() < 0.12
        company = None if confidential else self._company(r, cluster, iso)
        if company is not None and self.name_variants > 1:
            # its own stream, so that the other draws stay those of scale 1
            variant = rng(seed, "n", mi, i).randrange(self.name_variants)
            company = (names.variant(company[0], variant),) + company[1:]
        code_name = f"Projekt {r.choice(names.CODE_NAMES)}"
        if len(partners) == 1:
            link_mode = "single"
        elif IRL not in partners:
            link_mode = r.choice(("register", "name"))
        elif confidential:
            link_mode = "ref" if r.random() < 0.9 else "none"
        else:
            link_mode = r.choices(("ref", "register", "name"), weights=(75, 12, 13))[0]
        if link_mode == "register" and company is not None and company[2]:
            link_mode = "name"  # foreign companies have no German register entry
        if link_mode in ("register", "name") and company is None:
            link_mode = "none"

        steps, win, reopened = self._timeline(r, q, received, partners, ptype, jobs, invest,
                                              mega)
        revision = None
        if r.random() < 0.3:
            rev_day = received + _days(r, 20, 200)
            revision = (rev_day, max(1, round(jobs * r.uniform(0.7, 1.4))),
                        round(invest * r.uniform(0.7, 1.4), -4))
        p = Project(key=(mi, i), gidx=gidx, partners=partners, received=received,
                    cluster=cluster, country=iso, project_type=ptype, area_m2=int(area),
                    jobs=jobs, investment=invest, company=company, code_name=code_name,
                    steps=steps, win=win, revision=revision, link_mode=link_mode,
                    reopened=reopened, mega=mega)
        self._records(p, r, q)
        if IRL in p.records:
            from .irl import project_lines  # the event stream lives with its writer

            p.irl_lines = project_lines(self, p, r, q)
        return p

    def _timeline(self, r, q, received, partners, ptype, jobs, invest, mega):
        steps = [Step(received, "new")]
        t = received + _days(r, 3, 30)
        steps.append(Step(t, "in_progress"))
        win: Win | None = None
        reopened = False
        revived = False
        while True:
            reached = "in_progress"
            for stage, p_go in (("site_offer", 0.7), ("site_visit", 0.65), ("negotiation", 0.65)):
                if r.random() < p_go:
                    t = t + _days(r, 14, 75)
                    steps.append(Step(t, stage))
                    reached = stage
                else:
                    break
            t = t + _days(r, 14, 90)
            if reached == "negotiation" and r.random() < (0.3 if not mega else 0.5):
                win = self._win(r, t, partners, ptype, jobs, invest)
                steps.append(Step(t, "won"))
                outcome = "won"
            elif r.random() < 0.75:
                steps.append(Step(t, "lost", r.choice(self.ref.lost_reason_codes),
                                  r.choice(names.COMPETITORS)))
                outcome = "lost"
            else:
                steps.append(Step(t, "on_hold"))
                outcome = "on_hold"
            if outcome == "on_hold" and not revived and r.random() < 0.35:
                revived = True
                t = t + _days(r, 60, 240)
                steps.append(Step(t, "in_progress", reopen=True))
                continue
            if outcome in ("won", "lost") and self.rate(q, "reopened_project") and not reopened:
                reopened = True
                t = t + _days(q, 30, 150)
                steps.append(Step(t, "negotiation" if outcome == "won" else "in_progress",
                                  reopen=True))
                if outcome == "won":
                    if q.random() < 0.6:
                        t = t + _days(q, 30, 120)
                        steps.append(Step(t, "lost", "cancelled"))
                    break
                continue  # a lost project revived: it may still be won
            break
        limit = received + timedelta(days=MAX_LIFE_DAYS)
        steps = [s for s in steps if s.on <= limit]
        if win and win.decided_on > limit:
            win = None
        return steps, win, reopened

    def _win(self, r, t, partners, ptype, jobs, invest) -> Win:
        if partners == (CITY,):
            territory = CITY
        elif partners == (DISTRICT,):
            territory = DISTRICT
        elif partners == (IRL,):
            territory = CITY if r.random() < 0.45 else DISTRICT
        elif DISTRICT not in partners:
            territory = CITY if r.random() < 0.8 else DISTRICT
        elif CITY not in partners:
            territory = DISTRICT if r.random() < 0.85 else CITY
        else:
            territory = r.choice((CITY, DISTRICT))
        if territory == CITY:
            ags, place = self.city["ags"], r.choice(names.CITY_DISTRICTS)
            site = f"L-{r.randint(1, self.n_city_sites):04d}" if r.random() < 0.5 else None
        else:
            m = r.choice(self.district_munis)
            ags, place = m["ags"], m["name"]
            site = f"K-{r.randint(1, self.n_district_sites):04d}" if r.random() < 0.5 else None
        jobs_new = max(1, round(jobs * r.uniform(0.6, 1.2)))
        secured = 0 if ptype == "new" else round(jobs_new * r.uniform(0.3, 2.0))
        investment = round(invest * r.uniform(0.7, 1.3), -3)
        fix = rng(self.seed, "settlement-fix", t.isoformat(), jobs_new)
        correction = None
        if territory == CITY and fix.random() < 0.1:
            correction = (month_of(t) + fix.randint(1, 3), max(1, jobs_new + fix.randint(-10, 10)),
                          round(investment * fix.uniform(0.8, 1.2), -3))
        return Win(decided_on=t, territory=territory, ags=ags, place=place, site_id=site,
                   jobs_new=jobs_new, jobs_secured=secured, investment_eur=investment,
                   project_type=ptype, correction=correction)

    def _partner_steps(self, r: random.Random, p: Project, partner: str, received: date,
                       lose_instead: bool) -> list[Step]:
        vocab = self.ref.statuses.get(partner, {})
        out: list[Step] = []
        last_day = received
        for s in p.steps:
            status, reason, comp = s.status, s.reason, s.competitor
            if status == "won" and lose_instead:
                status, reason, comp = "lost", "other_location", None
            if status not in vocab:
                continue  # the agency has no such status: it keeps its previous one
            shifted = s.on + timedelta(days=r.randint(0, 6)) if s.on > p.received else received
            day = max(last_day, shifted)
            if out and out[-1].status == status:
                continue
            if not out and partner == DISTRICT:
                day = received
            out.append(Step(day, status, reason, comp, s.reopen))
            last_day = day
        if not out or out[0].on != received:
            first = "new" if "new" in vocab else next(iter(vocab))
            out.insert(0, Step(received, first))
        return out

    def _records(self, p: Project, r: random.Random, q: random.Random) -> None:
        ids = self.ids(*p.key)
        order = list(p.partners)
        if not order:
            return
        r.shuffle(order)
        primary = order[0]
        # a regional win that one agency reports as a loss: the agency that did not get the
        # settlement (city or district), else IRL while the territorial agency records the win
        loser = None
        if p.win and len(p.partners) > 1:
            others = [x for x in (CITY, DISTRICT) if x in p.partners and x != p.win.territory]
            if others:
                loser = others[0]
            elif p.win.territory in p.partners and IRL in p.partners:
                loser = IRL
        hit = self.rate(q, "region_win_reported_as_loss")
        if not (hit and loser):
            loser = None
        p.region_loss_reported = loser is not None
        irl_received = None
        for partner in order:
            if partner == primary:
                received = p.received
            elif p.link_mode == "ref":
                received = p.received + _days(r, 0, 40)
            else:
                received = p.received + _days(r, 0, 80)
            received = min(received, p.steps[-1].on)
            if partner == IRL:
                irl_received = received
            steps = self._partner_steps(r, p, partner, received, lose_instead=partner == loser)
            rec = Record(partner=partner, rid=ids[partner], received=received, steps=steps,
                         company=None, register=None)
            rec.settles = (p.win is not None and partner == p.win.territory
                           and any(s.status == "won" for s in steps))
            stale = rng(self.seed, "stale", *p.key, partner)
            if partner != primary and not rec.settles and len(steps) > 2 \
                    and stale.random() < 0.15:
                # the agency stops updating its record: it disagrees with the others
                del steps[stale.randint(1, len(steps) - 1):]
            rec.contact = names.person(r)
            rec.note = names.remark(r)
            self._identity(p, rec, r, partner == primary)
            if partner == DISTRICT:
                munis = r.sample(self.district_munis, k=r.choice((1, 1, 1, 2, 2, 3)))
                names_ = [m["name"] for m in munis]
                if p.win and p.win.territory == DISTRICT and p.win.place not in names_:
                    names_[0] = p.win.place
                rec.municipalities = names_
                if self.rate(q, "district_deleted_record") and not rec.settles:
                    rec.deleted_month = month_of(received) + q.randint(1, 6)
                else:
                    q.random()
            self._record_quirks(rec, q)
            p.records[partner] = rec
        # references to IRL's project id from the city's and the district's records
        if p.link_mode == "ref" and IRL in p.records:
            for partner in (CITY, DISTRICT):
                rec = p.records.get(partner)
                if rec is None:
                    continue
                if r.random() < 0.85:
                    rec.ref = ids[IRL]
                    start = max(rec.received, irl_received or rec.received)
                    rec.ref_from = start if r.random() < 0.7 else start + _days(r, 5, 60)
                    if self.rate(q, "padded_text"):
                        rec.ref = f" {rec.ref.lower()}"
                else:
                    q.random()

    def _identity(self, p: Project, rec: Record, r: random.Random, primary: bool) -> None:
        """The company name and register entry as this agency writes them."""
        if p.company is None:
            return
        base, form, foreign = p.company
        mode = p.link_mode
        name_base, name_form = base, form
        if not primary and mode in ("name", "register", "ref", "none"):
            # the same company spelled slightly differently by another agency
            v = r.random()
            if v < 0.3:
                from .common import ascii_spelling

                name_base = ascii_spelling(base)
            elif v < 0.45 and "&" not in base:
                name_base = base.replace(" ", "-", 1)
            elif v < 0.55:
                name_base = base.upper()
            if not foreign and r.random() < 0.5:
                name_form = r.choice(names.FORM_VARIANTS.get(form, [form]))
        rec.company = f"{name_base} {name_form}"
        if foreign:
            return
        register = self._register(rng(self.seed, "reg", p.gidx), p.gidx, form)
        if mode == "name" and not primary:
            return  # the second agency did not note the register entry: link by name only
        if r.random() < 0.85 or mode == "register":
            rec.register = register

    def _record_quirks(self, rec: Record, q: random.Random) -> None:
        quirks = rec.quirks
        if self.rate(q, "settlement_without_enquiry") and rec.settles and rec.partner == CITY:
            quirks["settlement_without_enquiry"] = True
        if self.rate(q, "empty_field"):
            quirks["empty_field"] = q.choice(("country", "sector", "area", "jobs", "investment",
                                              "status_date", "project_type", "court"))
        else:
            q.random()
        if self.rate(q, "unmapped_sector"):
            quirks["unmapped_sector"] = q.random()
        else:
            q.random()
        if self.rate(q, "unmapped_country"):
            quirks["unmapped_country"] = q.choice(("Nordamerika", "Fernost", "EU-Ausland",
                                                   "Skandinavien", "Ostblock"))
        else:
            q.random()
        if self.rate(q, "bad_date"):
            quirks["bad_date"] = q.choice(("before_2000", "after_period"))
        else:
            q.random()


# ---------------------------------------------------------------------------------------------
def utc_at(day: date, r: random.Random) -> datetime:
    """A working-hours time on a day, in UTC."""
    return datetime(day.year, day.month, day.day, r.randint(6, 16), r.randint(0, 59),
                    r.randint(0, 59), tzinfo=UTC)


def event_id(at: datetime, r: random.Random) -> str:
    return ulid(int(at.timestamp()) * 1000 + r.randint(0, 999), r)
