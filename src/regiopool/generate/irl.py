"""IRL: the CRM's event stream as daily JSON Lines files (``irl/events_YYYY-MM-DD.jsonl``)."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .common import berlin_timestamp, month_first, month_last, rng, set_mtime
from .world import CITY, DISTRICT, IRL, IrlLine, Project, event_id, utc_at

if TYPE_CHECKING:
    from . import Summary
    from .world import World

UNKNOWN_TYPES = ("project.note_added", "document.uploaded", "project.merged",
                 "contact.updated")
KIND_ORDER = {"invalid": 0, "event": 1, "late": 1, "out_of_order": 1, "unknown": 2,
              "duplicate": 3}


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _created_payload(world: World, p: Project, er: random.Random) -> dict:
    rec = p.records[IRL]
    quirks = rec.quirks
    register = rec.register
    reg_id = f"{register[0]} {register[1]}" if register else None
    payload = {
        "received_on": rec.received.isoformat(),
        "code_name": p.code_name,
        "company_name": rec.company,
        "register_id": reg_id,
        "register_court": register[2] if register else None,
        "origin_country": p.country,
        "cluster": p.cluster,
        "project_type": p.project_type,
        "required_area_m2": p.area_m2,
        "planned_jobs": p.jobs,
        "planned_investment_eur": p.investment,
        "candidate_ags": _candidate_ags(world, p, er),
        "partner_refs": [],
        "contact": {"name": rec.contact[0], "email": rec.contact[1], "phone": rec.contact[2]},
    }
    empty = quirks.get("empty_field")
    field = {"country": "origin_country", "sector": "cluster", "area": "required_area_m2",
             "jobs": "planned_jobs", "investment": "planned_investment_eur",
             "project_type": "project_type"}.get(str(empty))
    if field:
        payload[field] = None
    if "unmapped_sector" in quirks:
        payload["cluster"] = "INDUSTRY" if quirks["unmapped_sector"] < 0.5 else "Logistik"
    if "unmapped_country" in quirks:
        payload["origin_country"] = "XX"
    return payload


def _candidate_ags(world: World, p: Project, er: random.Random) -> list[str]:
    pool = [world.city["ags"]] + [m["ags"] for m in world.district_munis]
    chosen = set(er.sample(pool, k=er.choice((1, 1, 2, 3))))
    if p.win:
        chosen.add(p.win.ags)
    return sorted(chosen)


def project_lines(world: World, p: Project, r: random.Random, q: random.Random) -> list[IrlLine]:
    """Every line the CRM sends for this project, with its send day (irregularities included)."""
    rec = p.records[IRL]
    er = rng(world.seed, "ev", *p.key)
    events: list[tuple[datetime, str, dict]] = []
    created_at = utc_at(rec.received + timedelta(days=er.randint(0, 3)), er)
    payload = _created_payload(world, p, er)
    # references to the city's / district's records: at creation, or added later
    later_refs: list[tuple[date, dict]] = []
    if p.link_mode == "ref":
        for partner in (CITY, DISTRICT):
            other = p.records.get(partner)
            if other is None or er.random() >= 0.7:
                continue
            ref = {"partner": partner, "ref": other.rid}
            since = max(other.received, rec.received)
            if since <= created_at.date():
                payload["partner_refs"].append(ref)
            else:
                later_refs.append((since + timedelta(days=er.randint(0, 20)), ref))
    events.append((created_at, "project.created", payload))
    refs = list(payload["partner_refs"])
    for day, ref in sorted(later_refs, key=lambda x: x[0]):
        refs = refs + [ref]
        events.append((utc_at(day, er), "project.updated", {"partner_refs": list(refs)}))
    if p.revision and p.revision[0] > created_at.date():
        events.append((utc_at(p.revision[0], er), "project.updated",
                       {"planned_jobs": p.revision[1], "planned_investment_eur": p.revision[2]}))
    if p.company is None and er.random() < 0.2:
        events.append((utc_at(rec.received + timedelta(days=er.randint(30, 120)), er),
                       "project.updated", {"code_name": f"{p.code_name} II"}))
    narrow = er.random() < 0.25
    if er.random() < 0.03:
        # a field cleared: `null` in an update clears it
        day = rec.received + timedelta(days=er.randint(10, 90))
        events.append((utc_at(day, er), "project.updated", {"planned_investment_eur": None}))
    for s in rec.steps[1:]:
        if s.status == "site_offer" and narrow and len(payload["candidate_ags"]) > 1:
            # the candidate municipalities narrowed down (a list is replaced as a whole)
            keep = [a for a in payload["candidate_ags"] if p.win and a == p.win.ags]
            keep = keep or payload["candidate_ags"][:1]
            when = max(utc_at(s.on + timedelta(days=1), er), created_at + timedelta(hours=1))
            events.append((when, "project.updated", {"candidate_ags": keep}))
        at = utc_at(s.on, er)
        if at <= created_at:
            at = created_at + timedelta(minutes=er.randint(5, 600))
        if s.status == "won" and p.win:
            w = p.win
            events.append((at, "project.won", {
                "decided_on": s.on.isoformat(), "ags": w.ags, "site_id": w.site_id,
                "jobs_new": w.jobs_new, "jobs_secured": w.jobs_secured,
                "investment_eur": w.investment_eur, "project_type": w.project_type}))
        elif s.status == "lost":
            events.append((at, "project.lost", {
                "decided_on": s.on.isoformat(), "lost_reason": s.reason,
                "competitor_region": s.competitor}))
        else:
            # IRL sends its own status values (statuses.csv): `qualified`, not `in_progress`
            events.append((at, "project.status_changed",
                           {"status": world.ref.statuses[IRL][s.status]}))
        if s.status == "site_visit":
            for _ in range(er.choice((1, 1, 2))):
                visited = s.on + timedelta(days=er.randint(0, 20))
                ags = er.choice(payload["candidate_ags"] or [world.city["ags"]])
                if ags == world.city["ags"]:
                    site = f"L-{er.randint(1, world.n_city_sites):04d}"
                else:
                    site = f"K-{er.randint(1, world.n_district_sites):04d}"
                events.append((utc_at(visited, er), "site_visit.held", {
                    "visited_on": visited.isoformat(), "ags": ags,
                    "site_id": site if er.random() < 0.7 else None}))
    events.sort(key=lambda e: e[0])

    lines: list[IrlLine] = []
    envelopes = []
    for at, etype, pl in events:
        eid = event_id(at, er)
        env = {"event_id": eid, "event_type": etype, "occurred_at": _iso(at),
               "project_id": rec.rid, "payload": pl}
        envelopes.append((at, eid, json.dumps(env, ensure_ascii=False)))
    for k, (at, eid, text) in enumerate(envelopes):
        send, order, kind = at.date(), at.timestamp(), "event"
        late = world.rate(q, "irl_late_event")
        ooo = world.rate(q, "irl_out_of_order")
        dup = world.rate(q, "irl_duplicate_event")
        bad = world.rate(q, "invalid_json_line")
        unknown = world.rate(q, "unknown_event_type")
        lag_days = q.randint(1, 60) if q.random() < 0.95 else q.randint(61, 150)
        dup_days = q.choice((0, 0, 1, 2, 3, 7, 10))
        if late:
            send, kind = send + timedelta(days=lag_days), "late"
        elif ooo and k + 1 < len(envelopes) and envelopes[k + 1][0] - at <= timedelta(days=7):
            nxt = envelopes[k + 1][0]
            send, order, kind = nxt.date(), nxt.timestamp() + 1, "out_of_order"
        lines.append(IrlLine(send, order, eid, text, kind))
        if dup:
            lines.append(IrlLine(send + timedelta(days=dup_days), order + 2, eid, text,
                                 "duplicate"))
        if bad:
            cut = max(10, int(len(text) * q.uniform(0.3, 0.9)))
            lines.append(IrlLine(send, order - 0.5, eid, text[:cut], "invalid"))
        if unknown:
            uat = at + timedelta(minutes=q.randint(1, 120))
            env = {"event_id": event_id(uat, q), "event_type": q.choice(UNKNOWN_TYPES),
                   "occurred_at": _iso(uat), "project_id": rec.rid,
                   "payload": {"note": "internal"}}
            lines.append(IrlLine(uat.date(), uat.timestamp(), env["event_id"],
                                 json.dumps(env, ensure_ascii=False), "unknown"))
    return lines


def write_month(world: World, mi: int, projects, out: Path, summary: Summary) -> None:
    """Write one events file per day of month mi with the lines sent on that day."""
    first, last = month_first(mi), month_last(mi)
    by_day: dict[date, list[tuple[float, str, int, str, str]]] = {}
    for p in projects:
        for line in p.irl_lines:
            if first <= line.send_day <= last:
                by_day.setdefault(line.send_day, []).append(
                    (line.order, line.event_id, KIND_ORDER[line.kind], line.kind, line.text))
    folder = out / IRL
    folder.mkdir(parents=True, exist_ok=True)
    day = first
    while day <= last:
        lines = sorted(by_day.pop(day, []))
        path = folder / f"events_{day.isoformat()}.jsonl"
        fr = rng(world.seed, "file", path.name)
        truncate = world.rate(fr, "truncated_last_line") and lines
        with path.open("wb") as fh:
            for _order, _eid, _k, kind, text in lines:
                fh.write(text.encode("utf-8") + b"\n")
                summary.count_irl(kind)
            if truncate:
                text = lines[-1][4]
                fh.write(text[: max(5, len(text) // 2)].encode("utf-8"))
                summary.irregularity("truncated_last_line")
        summary.rows("irl/events", len(lines))
        nxt = day + timedelta(days=1)
        set_mtime(path, berlin_timestamp(nxt, fr.randint(1, 3), fr.randint(0, 59),
                                         fr.randint(0, 59)))
        summary.file(path)
        day = nxt
