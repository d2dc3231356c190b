"""The partners' delivery rules (../shared/partners): which rows load, which are set aside, and
each record's current state (CATALOGUE §1.2) -- computed straight from the inbox files.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from .readers import (
    MIN_DATE,
    DeliveredFile,
    Table,
    german_date,
    german_number,
    iso_date,
    json_number,
    read_csv,
    read_events,
    read_geojson,
    read_workbook,
    text,
)
from .reference import Reference, label_key

BERLIN = ZoneInfo("Europe/Berlin")

# columns a model needs (a missing one stops the file); contact and free-text columns, and those
# no model reads beyond staging, are optional (docs/decisions/ingest-0007-columns-no-model-needs.md)
CITY_ENQUIRY_COLS = ["Vorgangsnummer", "Eingangsdatum", "Unternehmen",
                     "Registernummer", "Registergericht", "Herkunftsland", "WZ2008", "Vorhabenart",
                     "Flaechenbedarf_m2", "Arbeitsplaetze_geplant", "Investition_EUR", "Status",
                     "Statusdatum", "Absagegrund", "IRL_Projektnummer"]
CITY_SETTLEMENT_COLS = ["Vorgangsnummer", "Unternehmen", "Entscheidungsdatum", "Flaechen_ID", "Arbeitsplaetze_neu", "Arbeitsplaetze_gesichert",
                        "Investition_EUR", "WZ2008", "Vorhabenart", "IRL_Projektnummer"]
CITY_SITE_COLS = ["flaechen_id", "verfuegbar_m2", "nutzungsart", "status"]
LK_ENQUIRY_COLS = ["Lfd. Nr.", "Eingang", "Firma", "HR-Nr.", "Land", "Branche", "Gemeinde(n)",
                   "Fläche (ha)", "AP geplant", "Invest (T€)", "Stand", "Datum Stand",
                   "Grund (bei Verlust)", "IRL-Nr."]
LK_SETTLEMENT_COLS = ["Lfd. Nr. Anfrage", "Firma", "Gemeinde", "Datum Entscheidung", "AP neu",
                      "AP gesichert", "Invest (T€)", "Branche", "IRL-Nr.", "Fläche-ID"]
LK_SITE_COLS = ["Fläche-ID", "Bezeichnung", "Gemeinde", "Größe (ha)", "davon frei (ha)", "Art",
                "Status"]
LK_SHEETS = {"Anfragen": "Lfd. Nr.", "Ansiedlungen": "Lfd. Nr. Anfrage", "Flaechen": "Fläche-ID"}

SITE_STATUS = {"verfuegbar": "available", "frei": "available", "reserviert": "reserved",
               "vergeben": "sold", "verkauft": "sold", "available": "available",
               "reserved": "reserved", "sold": "sold"}


@dataclass
class SetAside:
    partner: str
    file: str
    line: int
    reason: str


@dataclass
class Loaded:
    """One file (sheet) after the row rules: rows that load, ids of rows set aside."""

    file: DeliveredFile
    rows: dict[str, tuple[int, dict]] = field(default_factory=dict)  # id -> (line, row)
    rows_without_id: list[tuple[int, dict]] = field(default_factory=list)
    set_aside_ids: set[str] = field(default_factory=set)
    stopped: bool = False


def _check_rows(partner: str, f: DeliveredFile, table: Table, *, id_col: str,
                date_cols: list[str], status_col: str | None, ref: Reference,
                needed: list[str], findings: list[SetAside], date_parser=german_date,
                sheet: str = "") -> Loaded:
    out = Loaded(file=f)
    label = f.path.name + (f"#{sheet}" if sheet else "")
    for line, reason in table.unreadable:
        findings.append(SetAside(partner, label, line, reason))
    if table.missing or (table.header and [c for c in needed if c not in table.header]):
        out.stopped = True
        findings.append(SetAside(partner, label, 0, "schema_drift"))
        return out
    counts: dict[str, int] = defaultdict(int)
    for _, row in table.rows:
        rid = text(row.get(id_col))
        if rid is not None:
            counts[rid] += 1
    for line, row in table.rows:
        rid = text(row.get(id_col))
        reason = None
        if rid is None:
            reason = f"missing:{id_col}"
        elif counts[rid] > 1:
            reason = "duplicate_id_in_file"
        else:
            for col in date_cols:
                d = date_parser(row.get(col))
                if d is None:
                    reason = f"missing:{col}"
                    break
                if d < MIN_DATE or d > f.period_end:
                    reason = f"date_out_of_period:{col}"
                    break
            if reason is None and status_col is not None:
                if text(row.get(status_col)) is None:
                    reason = f"missing:{status_col}"
                elif ref.status(partner, row.get(status_col)) is None:
                    reason = "unmapped_status"
        if reason is None:
            out.rows[rid] = (line, row)
        else:
            findings.append(SetAside(partner, label, line, reason))
            if rid is not None:
                out.set_aside_ids.add(rid)
    return out


# ---------------------------------------------------------------------------------------------
# records


@dataclass
class Settlement:
    partner: str
    rid: str
    decided_on: dt.date
    ags: str
    jobs_new: int | None
    jobs_secured: int | None
    investment_eur: Decimal | None
    site_id: str | None


@dataclass
class Record:
    partner: str
    rid: str
    received_on: dt.date | None
    names: list[str | None] = field(default_factory=list)  # raw company names
    registers: list[tuple[str | None, str | None]] = field(default_factory=list)  # (entry, court)
    register_cells: list[str | None] = field(default_factory=list)  # district: one cell
    refs: list[tuple[str | None, str]] = field(default_factory=list)  # (partner, ref)
    status: str | None = None
    status_on: dt.date | None = None
    lost_reason: str | None = None
    settlement: Settlement | None = None
    desc: dict[str, object] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        return (self.partner, self.rid)

    @property
    def is_won(self) -> bool:
        return self.settlement is not None or self.status == "won"

    @property
    def is_lost(self) -> bool:
        return self.status == "lost" and not self.is_won


DESC = ("cluster_code", "origin_country", "project_type", "required_area_m2", "planned_jobs",
        "planned_investment_eur")


def _int(value: Decimal | None) -> int | None:
    if value is None or value != value.to_integral_value():
        return None
    return int(value)


def _scaled(value: Decimal | None, factor: int) -> Decimal | None:
    return None if value is None else value * factor


def _fill(desc: dict, extra: dict) -> dict:
    return {k: (desc.get(k) if desc.get(k) is not None else extra.get(k)) for k in DESC}


def _status_dates(history: list[tuple[dt.date, str, dt.date | None]]) -> dt.date | None:
    """history: (period_end, status, status_on) of a record's loaded rows, oldest first. A status
    without a date is dated on the last day of the period of the first file that shows it."""
    period_end, status, status_on = history[-1]
    if status_on is not None:
        return status_on
    first = period_end
    for p_end, s, _ in reversed(history[:-1]):
        if s != status:
            break
        first = p_end
    return first


@dataclass
class PartnerData:
    records: list[Record]
    site_snapshots: dict[str, dict[dt.date, dict[str, dict]]]  # partner -> month -> id -> site
    delivered_months: set[dt.date]
    set_aside: list[SetAside]


def load_city(files: list[DeliveredFile], ref: Reference, findings: list[SetAside]):
    enquiries = sorted((f for f in files if f.kind == "enquiries"), key=lambda f: f.period_key)
    settlements = sorted((f for f in files if f.kind == "settlements"), key=lambda f: f.period_key)
    sites = sorted((f for f in files if f.kind == "sites"), key=lambda f: f.period_key)
    p = "stadt_leipzig"

    history: dict[str, list[tuple[DeliveredFile, dict]]] = defaultdict(list)
    for f in enquiries:
        loaded = _check_rows(p, f, read_csv(f.path), id_col="Vorgangsnummer",
                             date_cols=["Eingangsdatum"], status_col="Status", ref=ref,
                             needed=CITY_ENQUIRY_COLS, findings=findings)
        for rid, (_, row) in loaded.rows.items():
            history[rid].append((f, row))

    current_settlement: dict[str, dict] = {}
    for f in settlements:
        loaded = _check_rows(p, f, read_csv(f.path), id_col="Vorgangsnummer",
                             date_cols=["Entscheidungsdatum"], status_col=None, ref=ref,
                             needed=CITY_SETTLEMENT_COLS, findings=findings)
        for rid, (_, row) in loaded.rows.items():
            current_settlement[rid] = row

    records: list[Record] = []
    for rid in sorted(set(history) | set(current_settlement)):
        srow = current_settlement.get(rid)
        settlement = None
        if srow is not None:
            settlement = Settlement(
                p, rid, german_date(srow["Entscheidungsdatum"]), "14713000",
                _int(german_number(srow.get("Arbeitsplaetze_neu"))),
                _int(german_number(srow.get("Arbeitsplaetze_gesichert"))),
                german_number(srow.get("Investition_EUR")), text(srow.get("Flaechen_ID")))
        s_desc = {} if srow is None else {
            "cluster_code": ref.cluster_from_wz(text(srow.get("WZ2008"))),
            "project_type": ref.project_type(srow.get("Vorhabenart")),
        }
        if rid in history:
            hist = history[rid]
            row = hist[-1][1]
            status_hist = [(f.period_end, ref.status(p, r["Status"]),
                            german_date(r.get("Statusdatum"))) for f, r in hist]
            rec = Record(p, rid, german_date(row["Eingangsdatum"]))
            rec.status = status_hist[-1][1]
            rec.status_on = _status_dates(status_hist)
            rec.lost_reason = ref.lost_reason(row.get("Absagegrund")) if rec.status == "lost" else None
            rec.names.append(text(row.get("Unternehmen")))
            rec.registers.append((text(row.get("Registernummer")),
                                  text(row.get("Registergericht"))))
            if text(row.get("IRL_Projektnummer")):
                rec.refs.append(("irl", text(row.get("IRL_Projektnummer"))))
            rec.desc = _fill({
                "cluster_code": ref.cluster_from_wz(text(row.get("WZ2008"))),
                "origin_country": ref.country(row.get("Herkunftsland")),
                "project_type": ref.project_type(row.get("Vorhabenart")),
                "required_area_m2": german_number(row.get("Flaechenbedarf_m2")),
                "planned_jobs": _int(german_number(row.get("Arbeitsplaetze_geplant"))),
                "planned_investment_eur": german_number(row.get("Investition_EUR")),
            }, s_desc)
        else:
            rec = Record(p, rid, settlement.decided_on)
            rec.desc = _fill({}, s_desc)
        if srow is not None:
            rec.settlement = settlement
            rec.names.append(text(srow.get("Unternehmen")))
            if text(srow.get("IRL_Projektnummer")):
                rec.refs.append(("irl", text(srow.get("IRL_Projektnummer"))))
        records.append(rec)

    snapshots: dict[dt.date, dict[str, dict]] = {}
    last_state: dict[str, dict] = {}
    for f in sites:
        table = read_geojson(f.path)
        loaded = _check_rows(p, f, table, id_col="flaechen_id", date_cols=[], status_col=None,
                             ref=ref, needed=CITY_SITE_COLS if table.rows else [],
                             findings=findings)
        if loaded.stopped:
            continue
        snap: dict[str, dict] = {}
        for sid, (_, row) in loaded.rows.items():
            free = json_number(row.get("verfuegbar_m2"))
            snap[sid] = {
                "ags": "14713000",
                "zoning": _zoning(row.get("nutzungsart")),
                "status": SITE_STATUS.get(label_key(row.get("status")) or ""),
                "free_area_ha": None if free is None else free / Decimal(10000),
            }
        for sid in loaded.set_aside_ids:
            if sid in last_state:
                snap[sid] = last_state[sid]
        last_state.update(snap)
        snapshots[f.month] = snap
    return records, snapshots


def _zoning(value: object) -> str | None:
    t = text(value)
    if t is None:
        return None
    z = "".join(t.split()).upper()
    return "GI" if z == "GE/GI" else z


def _lk_loaded_sheets(files: list[DeliveredFile], ref: Reference, findings: list[SetAside]):
    out = []
    for f in sorted(files, key=lambda f: f.period_key):
        tables = read_workbook(f.path, LK_SHEETS)
        p = "lk_leipzig"
        enq = _check_rows(p, f, tables["Anfragen"], id_col="Lfd. Nr.", date_cols=["Eingang"],
                          status_col="Stand", ref=ref, needed=LK_ENQUIRY_COLS,
                          findings=findings, sheet="Anfragen")
        sett = _check_rows(p, f, tables["Ansiedlungen"], id_col="Lfd. Nr. Anfrage",
                           date_cols=["Datum Entscheidung"], status_col=None, ref=ref,
                           needed=LK_SETTLEMENT_COLS, findings=findings, sheet="Ansiedlungen")
        # a settlement or site whose municipality does not map is set aside (CATALOGUE §2)
        for sid in list(sett.rows):
            if ref.municipality(sett.rows[sid][1].get("Gemeinde")) is None:
                line, _ = sett.rows.pop(sid)
                sett.set_aside_ids.add(sid)
                findings.append(SetAside(p, f.path.name + "#Ansiedlungen", line,
                                         "unmapped_municipality"))
        sites = _check_rows(p, f, tables["Flaechen"], id_col="Fläche-ID", date_cols=[],
                            status_col=None, ref=ref, needed=LK_SITE_COLS, findings=findings,
                            sheet="Flaechen")
        for sid in list(sites.rows):
            if ref.municipality(sites.rows[sid][1].get("Gemeinde")) is None:
                line, _ = sites.rows.pop(sid)
                sites.set_aside_ids.add(sid)
                findings.append(SetAside(p, f.path.name + "#Flaechen", line,
                                         "unmapped_municipality"))
        out.append((f, enq, sett, sites))
    return out


def _snapshot_state(loaded_seq: list[Loaded]) -> dict[str, tuple[DeliveredFile, dict]]:
    """The records of the latest snapshot: loaded rows, plus rows set aside there that keep their
    state from the latest snapshot where they were loaded. Missing ones are deleted."""
    seq = [x for x in loaded_seq if not x.stopped]
    if not seq:
        return {}
    latest = seq[-1]
    state = {rid: (latest.file, row) for rid, (_, row) in latest.rows.items()}
    for rid in latest.set_aside_ids:
        for older in reversed(seq[:-1]):
            if rid in older.rows:
                state[rid] = (older.file, older.rows[rid][1])
                break
    return state


def load_district(files: list[DeliveredFile], ref: Reference, findings: list[SetAside]):
    p = "lk_leipzig"
    seq = _lk_loaded_sheets([f for f in files if f.kind == "workbook"], ref, findings)
    enquiries = _snapshot_state([e for _, e, _, _ in seq])
    settlements = _snapshot_state([s for _, _, s, _ in seq])

    # status history of each record over the workbooks where it was loaded (for undated status)
    hist: dict[str, list[tuple[dt.date, str, dt.date | None]]] = defaultdict(list)
    for f, enq, _, _ in seq:
        for rid, (_, row) in enq.rows.items():
            hist[rid].append((f.period_end, ref.status(p, row["Stand"]),
                              german_date(row.get("Datum Stand"))))

    records: list[Record] = []
    for rid in sorted(set(enquiries) | set(settlements)):
        srow = settlements.get(rid, (None, None))[1]
        settlement = s_desc = None
        if srow is not None:
            settlement = Settlement(
                p, rid, german_date(srow["Datum Entscheidung"]),
                ref.municipality(srow.get("Gemeinde")),
                _int(german_number(srow.get("AP neu"))),
                _int(german_number(srow.get("AP gesichert"))),
                _scaled(german_number(srow.get("Invest (T€)")), 1000), text(srow.get("Fläche-ID")))
            s_desc = {"cluster_code": ref.cluster_from_branche(srow.get("Branche"))}
        if rid in enquiries:
            f, row = enquiries[rid]
            h = [x for x in hist[rid] if x[0] <= f.period_end]
            rec = Record(p, rid, german_date(row["Eingang"]))
            rec.status = h[-1][1]
            rec.status_on = _status_dates(h)
            rec.lost_reason = (ref.lost_reason(row.get("Grund (bei Verlust)"))
                               if rec.status == "lost" else None)
            rec.names.append(text(row.get("Firma")))
            rec.register_cells.append(text(row.get("HR-Nr.")))
            if text(row.get("IRL-Nr.")):
                rec.refs.append(("irl", text(row.get("IRL-Nr."))))
            rec.desc = _fill({
                "cluster_code": ref.cluster_from_branche(row.get("Branche")),
                "origin_country": ref.country(row.get("Land")),
                "project_type": None,
                "required_area_m2": _scaled(german_number(row.get("Fläche (ha)")), 10000),
                "planned_jobs": _int(german_number(row.get("AP geplant"))),
                "planned_investment_eur": _scaled(german_number(row.get("Invest (T€)")), 1000),
            }, s_desc or {})
        else:
            rec = Record(p, rid, settlement.decided_on)
            rec.desc = _fill({}, s_desc or {})
        if srow is not None:
            rec.settlement = settlement
            rec.names.append(text(srow.get("Firma")))
            if text(srow.get("IRL-Nr.")):
                rec.refs.append(("irl", text(srow.get("IRL-Nr."))))
        records.append(rec)

    snapshots: dict[dt.date, dict[str, dict]] = {}
    last_state: dict[str, dict] = {}
    for f, _, _, sites in seq:
        if sites.stopped:
            continue
        snap = {}
        for sid, (_, row) in sites.rows.items():
            snap[sid] = {
                "ags": ref.municipality(row.get("Gemeinde")),
                "zoning": _zoning(row.get("Art")),
                "status": SITE_STATUS.get(label_key(row.get("Status")) or ""),
                "free_area_ha": german_number(row.get("davon frei (ha)")),
            }
        for sid in sites.set_aside_ids:
            if sid in last_state:
                snap[sid] = last_state[sid]
        last_state.update(snap)
        snapshots[f.month] = snap
    return records, snapshots


def berlin_date(ts: dt.datetime) -> dt.date:
    return ts.astimezone(BERLIN).date()


def _irl_set_aside(ev: dict, ref: Reference) -> str | None:
    """partners/README.md: an event without its received date (`project.created`) or its status
    (`project.status_changed`), a received or decision date before 2000-01-01 (IRL's dates are
    not checked against the file date), or a status that does not map (CATALOGUE §1.2), is set
    aside. A decision date is optional (§1.2: "where it has one"), so is a received date in
    `project.updated`."""
    et, pl = ev["event_type"], ev["payload"]
    pl = pl if isinstance(pl, dict) else {}
    if et == "project.created":
        rec_on = iso_date(pl.get("received_on"))
        if rec_on is None or rec_on < MIN_DATE:
            return "missing:received_on"
    if et == "project.updated" and (d := iso_date(pl.get("received_on"))) and d < MIN_DATE:
        return "date_out_of_period:received_on"
    if et in ("project.status_changed", "project.won", "project.lost") and \
            (d := iso_date(pl.get("decided_on"))) and d < MIN_DATE:
        return "date_out_of_period:decided_on"
    if et == "project.status_changed" and ref.status("irl", pl.get("status")) is None:
        return "unmapped_status"
    return None


def load_irl(files: list[DeliveredFile], ref: Reference, findings: list[SetAside]):
    p = "irl"
    seen: dict[str, dict] = {}
    for f in sorted(files, key=lambda f: f.period_key):
        events, bad = read_events(f.path)
        for line, reason in bad:
            findings.append(SetAside(p, f.path.name, line, reason))
        for line, ev in events:
            reason = _irl_set_aside(ev, ref)
            if reason is not None:
                findings.append(SetAside(p, f.path.name, line, reason))
                continue
            seen.setdefault(str(ev["event_id"]), ev)  # at least once: counts once

    by_project: dict[str, list[dict]] = defaultdict(list)
    for ev in seen.values():
        by_project[str(ev["project_id"]).strip()].append(ev)

    records: list[Record] = []
    for pid in sorted(by_project):
        evs = sorted(by_project[pid], key=lambda e: (e["_ts"], str(e["event_id"])))
        fields: dict[str, object] = {}
        status = status_on = reason = None
        last_status_event = None
        for ev in evs:
            et, pl = ev["event_type"], ev["payload"]
            day = berlin_date(ev["_ts"])
            if et in ("project.created", "project.updated"):
                for k, v in pl.items():
                    fields[k] = v
                if et == "project.created":
                    status, status_on, reason = "new", iso_date(pl.get("received_on")), None
                    last_status_event = ev
            elif et == "project.status_changed":
                status = ref.status(p, pl.get("status"))
                status_on = iso_date(pl.get("decided_on")) or day
                reason = None
                last_status_event = ev
            elif et == "project.won":
                status, status_on, reason = "won", iso_date(pl.get("decided_on")) or day, None
                if pl.get("project_type") is not None:
                    fields["project_type"] = pl.get("project_type")
                last_status_event = ev
            elif et == "project.lost":
                status, status_on = "lost", iso_date(pl.get("decided_on")) or day
                reason = ref.lost_reason(pl.get("lost_reason"))
                last_status_event = ev
        # an IRL project whose project.created has not arrived (late) is still a delivered
        # record; without a received_on it is dated by its first event (the catalogue is silent;
        # §6 wants every project of fct_projects in kpi_projects_monthly, so it needs a date)
        received = iso_date(fields.get("received_on")) or berlin_date(evs[0]["_ts"])
        if status is None:
            status = "new"
        rec = Record(p, pid, received, status=status, status_on=status_on,
                     lost_reason=reason if status == "lost" else None)
        rec.names.append(text(fields.get("company_name")))
        rec.registers.append((text(fields.get("register_id")), text(fields.get("register_court"))))
        for r in fields.get("partner_refs") or []:
            if isinstance(r, dict) and text(r.get("ref")):
                rec.refs.append((text(r.get("partner")), text(r.get("ref"))))
        rec.desc = {
            "cluster_code": ref.cluster_code(fields.get("cluster")),
            "origin_country": ref.country(fields.get("origin_country")),
            "project_type": ref.project_type(fields.get("project_type")),
            "required_area_m2": json_number(fields.get("required_area_m2")),
            "planned_jobs": _int(json_number(fields.get("planned_jobs"))),
            "planned_investment_eur": json_number(fields.get("planned_investment_eur")),
        }
        if last_status_event is not None and last_status_event["event_type"] == "project.won":
            pl = last_status_event["payload"]
            ags = ref.municipality(text(pl.get("ags")))
            if ags is not None:
                rec.settlement = Settlement(
                    p, pid, status_on, ags, _int(json_number(pl.get("jobs_new"))),
                    _int(json_number(pl.get("jobs_secured"))),
                    json_number(pl.get("investment_eur")), text(pl.get("site_id")))
            else:
                findings.append(SetAside(p, pid, 0, "unmapped_municipality"))
        records.append(rec)
    return records


def load_partners(files: list[DeliveredFile], ref: Reference) -> PartnerData:
    findings: list[SetAside] = []
    by_partner: dict[str, list[DeliveredFile]] = defaultdict(list)
    for f in files:
        by_partner[f.partner].append(f)
    city_records, city_sites = load_city(by_partner["stadt_leipzig"], ref, findings)
    lk_records, lk_sites = load_district(by_partner["lk_leipzig"], ref, findings)
    irl_records = load_irl(by_partner["irl"], ref, findings)
    return PartnerData(
        records=city_records + lk_records + irl_records,
        site_snapshots={"stadt_leipzig": city_sites, "lk_leipzig": lk_sites},
        delivered_months={f.month for f in files},
        set_aside=findings,
    )
