"""How an agency writes a project's coded values (drawn from the reference tables).

Every choice is stable per record (seeded by the record id), so that a record looks the same in
every delivery that repeats it.
"""

from __future__ import annotations

from .common import rng
from .world import Project, Record, World

INVALID_WZ = ("4Z.10", "1", "494112", "k.A.", "49.4.1", "Logistik")
INVALID_BRANCHE = ("Dienstleistungen", "Sonstiges Gewerbe", "Produktion allg.", "Mischnutzung",
                   "k.A.")


def wz_code(world: World, p: Project, rec: Record) -> str:
    r = rng(world.seed, "wz", rec.rid)
    if "unmapped_sector" in rec.quirks:
        return r.choice(INVALID_WZ)
    prefixes = world.ref.wz_prefixes.get(p.cluster) or []
    prefix = ""
    if prefixes:
        prefix = code = r.choice(prefixes)
        while len(code) < 4:
            code += str(r.randint(1, 9))
    else:
        # a valid code that matches no prefix of the table (maps to OTHER as a value)
        while True:
            code = f"{r.randint(10, 99)}{r.randint(1, 9)}{r.randint(0, 9)}"
            if not any(code.startswith(x) for x in world.ref.all_wz_prefixes):
                break
    v = r.random()
    if v < 0.6:
        return f"{code[:2]}.{code[2:]}"
    if v < 0.85 or (prefix and len(prefix) > 2):
        return code
    return code[:2]


def branche(world: World, p: Project, rec: Record) -> str:
    r = rng(world.seed, "branche", rec.rid)
    if "unmapped_sector" in rec.quirks:
        known = {b.lower() for bs in world.ref.branche.values() for b in bs}
        return next(b for b in r.sample(INVALID_BRANCHE, len(INVALID_BRANCHE))
                    if b.lower() not in known)
    labels = world.ref.branche.get(p.cluster) or ["Sonstiges"]
    return r.choice(labels)


def country_name(world: World, p: Project, rec: Record) -> str:
    if "unmapped_country" in rec.quirks:
        return str(rec.quirks["unmapped_country"])
    r = rng(world.seed, "country", rec.rid)
    options = world.country_names.get(p.country) or [p.country]
    return options[0] if r.random() < 0.8 else r.choice(options)


def project_type_label(world: World, code: str) -> str:
    labels = world.ref.project_type_labels.get(code)
    return labels[0] if labels else code


def city_register(world: World, rec: Record) -> tuple[str, str]:
    """(Registernummer, Registergericht) as the city writes them."""
    if rec.register is None:
        return "", ""
    kind, number, court = rec.register
    r = rng(world.seed, "reg-city", rec.rid)
    v = r.random()
    if v < 0.7:
        reg = f"{kind} {number}"
    elif v < 0.85:
        reg = f"{kind}{number}"
    else:
        reg = f"{kind} 0{number}"
    v = r.random()
    court_text = court if v < 0.7 else (f"Amtsgericht {court}" if v < 0.85 else f"AG {court}")
    if rec.quirks.get("empty_field") == "court":
        court_text = ""
    return reg, court_text


def district_register(world: World, rec: Record) -> str:
    """The district's one-cell `HR-Nr.`: court and entry together, in several spellings."""
    if rec.register is None:
        return ""
    kind, number, court = rec.register
    r = rng(world.seed, "reg-district", rec.rid)
    v = r.random()
    if rec.quirks.get("empty_field") == "court":
        return f"{kind} {number}"
    if v < 0.45:
        return f"AG {court} {kind} {number}"
    if v < 0.65:
        return f"{kind} {number} (Amtsgericht {court})"
    if v < 0.8:
        return f"Amtsgericht {court}, {kind} {number}"
    if v < 0.92:
        return f"{kind} {number} {court}"
    return f"{kind}{number}, {court}"
