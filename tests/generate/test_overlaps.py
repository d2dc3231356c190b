"""The overlaps that make the regional de-duplication (CATALOGUE.md §1) necessary."""

from __future__ import annotations

from datetime import date, datetime
from itertools import combinations

from .readers import normalise_company, read_dict_csv, read_jsonl, read_sheet, register_key


def _de(text) -> date | None:
    if isinstance(text, datetime):
        return text.date()
    try:
        return datetime.strptime(str(text).strip(), "%d.%m.%Y").date()
    except ValueError:
        return None


def records(root) -> list[dict]:
    """Every enquiry record of the inbox: partner, id, name, register key, received, refs."""
    out: dict[tuple[str, str], dict] = {}
    for path in sorted((root / "stadt_leipzig").glob("anfragen_*.csv")):
        for r in read_dict_csv(path):
            if r["Vorgangsnummer"]:
                out[("stadt_leipzig", r["Vorgangsnummer"])] = {
                    "partner": "stadt_leipzig", "id": r["Vorgangsnummer"],
                    "name": r["Unternehmen"], "raw_register": (r["Registernummer"],
                                                               r["Registergericht"]),
                    "register": register_key(r["Registernummer"], r["Registergericht"]),
                    "received": _de(r["Eingangsdatum"]),
                    "refs": {r["IRL_Projektnummer"].strip().upper()} - {""}}
    book = max(p for p in (root / "lk_leipzig").glob("*.xlsx") if "_k" not in p.name)
    for r in read_sheet(book, "Anfragen", "Lfd. Nr.")["records"]:
        if r["Lfd. Nr."]:
            out[("lk_leipzig", r["Lfd. Nr."])] = {
                "partner": "lk_leipzig", "id": r["Lfd. Nr."], "name": (r["Firma"] or "").strip(),
                "raw_register": (r["HR-Nr."], None),
                "register": register_key(r["HR-Nr."] or ""), "received": _de(r["Eingang"]),
                "refs": {(r["IRL-Nr."] or "").strip().upper()} - {""}}
    for path in sorted((root / "irl").glob("*.jsonl")):
        for e in read_jsonl(path)[0]:
            key = ("irl", e["project_id"])
            p = e["payload"]
            if e["event_type"] == "project.created":
                rec = out.setdefault(key, {"partner": "irl", "id": e["project_id"], "refs": set()})
                rec.update(name=p["company_name"] or "",
                           raw_register=(p["register_id"], p["register_court"]),
                           register=register_key(p["register_id"] or "", p["register_court"]),
                           received=date.fromisoformat(p["received_on"]))
                rec["refs"] |= {x["ref"].upper() for x in p["partner_refs"]}
            elif e["event_type"] == "project.updated" and "partner_refs" in p:
                rec = out.setdefault(key, {"partner": "irl", "id": e["project_id"], "refs": set()})
                rec["refs"] |= {x["ref"].upper() for x in p["partner_refs"]}
    return [r for r in out.values() if "received" in r]


def test_references_between_agencies(inbox):
    recs = records(inbox[0])
    ids = {r["id"].upper(): r for r in recs}
    city_refs = [r for r in recs if r["partner"] == "stadt_leipzig" and r["refs"]]
    district_refs = [r for r in recs if r["partner"] == "lk_leipzig" and r["refs"]]
    irl_refs = [r for r in recs if r["partner"] == "irl" and r["refs"]]
    assert len(city_refs) >= 10 and len(district_refs) >= 3 and len(irl_refs) >= 10
    # references point at records that were delivered (most of them: the rest is realistic)
    resolved = sum(1 for r in city_refs + district_refs + irl_refs
                   for ref in r["refs"] if ref in ids)
    assert resolved >= 0.8 * sum(len(r["refs"]) for r in city_refs + district_refs + irl_refs)


def _pairs(recs: list[dict], key) -> list[tuple[dict, dict]]:
    groups: dict[object, list[dict]] = {}
    for r in recs:
        k = key(r)
        if k:
            groups.setdefault(k, []).append(r)
    return [pair for group in groups.values() for pair in combinations(group, 2)]


def _unreferenced(a: dict, b: dict) -> bool:
    return (a["partner"] != b["partner"] and a["id"].upper() not in b["refs"]
            and b["id"].upper() not in a["refs"])


def test_same_company_without_references(inbox):
    recs = [r for r in records(inbox[0]) if r["name"]]
    for r in recs:
        r["norm"] = normalise_company(r["name"])
    by_name = [(a, b) for a, b in _pairs(recs, lambda r: r["norm"])
               if _unreferenced(a, b) and abs((a["received"] - b["received"]).days) <= 90]
    by_register = [(a, b) for a, b in _pairs(recs, lambda r: r["register"])
                   if _unreferenced(a, b) and abs((a["received"] - b["received"]).days) <= 365]
    assert len(by_name) >= 5 and sum(a["name"] != b["name"] for a, b in by_name) >= 2
    assert len(by_register) >= 3
    assert sum(a["raw_register"] != b["raw_register"] for a, b in by_register) >= 2


def test_example_spellings_normalise_alike():
    # the catalogue's own example, to keep the test's normaliser honest
    assert normalise_company("Müller Präzisionsteile GmbH") == \
        normalise_company("Mueller Praezisionsteile GmbH & Co. KG") == "mueller praezisionsteile"
    assert register_key("AG Leipzig HRB 4711") == register_key("HRB4711", "Leipzig") == \
        register_key("HRB 4711 (Amtsgericht Leipzig)")
    assert register_key("HRB 12345 B", "Charlottenburg") != register_key("HRB 12345", "Charlottenburg")


def test_confidential_enquiries(inbox):
    recs = records(inbox[0])
    confidential = [r for r in recs if not r["name"] and not r["register"]]
    assert len(confidential) >= 5
    assert any(r["refs"] for r in confidential)  # linkable only through references
