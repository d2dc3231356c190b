"""The agreed code lists, read as data, and the label matching of ../shared/reference/README.md.

Deliberately independent of the project's seeds loader and dbt macros: plain `csv`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

REFERENCE_FILES = (
    "branche_cluster.csv",
    "clusters.csv",
    "countries.csv",
    "lost_reasons.csv",
    "municipalities.csv",
    "project_types.csv",
    "statuses.csv",
    "wz_cluster.csv",
)


def find_reference_dir(repo_root: Path) -> Path:
    """`dbt_project/seeds/` of the checkout if it holds the tables, else `../shared/reference/`."""
    candidates = [repo_root / "dbt_project" / "seeds", repo_root.parent / "shared" / "reference"]
    for cand in candidates:
        if all((cand / name).is_file() for name in REFERENCE_FILES):
            return cand
    # seeds may live in a sub-folder of seeds/
    seeds = repo_root / "dbt_project" / "seeds"
    if seeds.is_dir():
        for sub in sorted(p for p in seeds.rglob("*") if p.is_dir()):
            if all((sub / name).is_file() for name in REFERENCE_FILES):
                return sub
    raise FileNotFoundError("no reference tables found (dbt_project/seeds or ../shared/reference)")


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe",
                          "Ü": "ue", "ẞ": "ss"})


def label_key(value: object) -> str | None:
    """Case-insensitive, surrounding/repeated spaces ignored, ae/oe/ue/ss equal to umlauts."""
    if value is None:
        return None
    text = " ".join(str(value).split()).lower().translate(_UMLAUTS)
    return text or None


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass
class Reference:
    clusters: list[str]
    wz_prefixes: dict[str, str]
    branche: dict[str, str]
    countries: dict[str, str]
    country_codes: set[str]
    lost_reasons: dict[str, str]
    lost_reason_codes: set[str]
    statuses: dict[tuple[str, str], str]
    project_types: dict[str, str]
    municipality_by_name: dict[str, str]
    municipality_ags: set[str]
    municipality_district: dict[str, str]

    @classmethod
    def load(cls, ref_dir: Path) -> Reference:
        clusters = [r["cluster_code"] for r in _rows(ref_dir / "clusters.csv")]
        wz = {r["wz_prefix"].strip(): r["cluster_code"] for r in _rows(ref_dir / "wz_cluster.csv")}
        branche = {label_key(r["branche"]): r["cluster_code"]
                   for r in _rows(ref_dir / "branche_cluster.csv")}
        crows = _rows(ref_dir / "countries.csv")
        countries = {label_key(r["name_de"]): r["iso2"] for r in crows}
        lrows = _rows(ref_dir / "lost_reasons.csv")
        lost = {label_key(r["label"]): r["lost_reason"] for r in lrows}
        statuses = {(r["partner"], label_key(r["source_status"])): r["status"]
                    for r in _rows(ref_dir / "statuses.csv")}
        ptypes = {label_key(r["label"]): r["project_type"]
                  for r in _rows(ref_dir / "project_types.csv")}
        by_name: dict[str, str] = {}
        district: dict[str, str] = {}
        mrows = _rows(ref_dir / "municipalities.csv")
        for r in mrows:
            by_name[label_key(r["name"])] = r["ags"]
            district[r["ags"]] = r["district_name"]
        for r in mrows:  # former names never override a current name
            for former in (r.get("former_names") or "").split("|"):
                key = label_key(former)
                if key and key not in by_name:
                    by_name[key] = r["ags"]
        return cls(
            clusters=clusters, wz_prefixes=wz, branche=branche, countries=countries,
            country_codes={r["iso2"] for r in crows}, lost_reasons=lost,
            lost_reason_codes={r["lost_reason"] for r in lrows}, statuses=statuses,
            project_types=ptypes, municipality_by_name=by_name,
            municipality_ags={r["ags"] for r in mrows}, municipality_district=district,
        )

    # -- mappings: each returns None for "no value" ------------------------------------------
    def status(self, partner: str, value: object) -> str | None:
        key = label_key(value)
        if key is None:
            return None
        hit = self.statuses.get((partner, key))
        if hit is None:  # a harmonised code maps to itself
            codes = {v for (p, _), v in self.statuses.items() if p == partner}
            if key in codes:
                return key
        return hit

    def cluster_from_wz(self, value: object) -> str | None:
        if value is None:
            return None
        digits = str(value).strip().replace(".", "")
        if not re.fullmatch(r"\d{2,5}", digits):
            return None
        best = None
        for prefix, cluster in self.wz_prefixes.items():
            if digits.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
                best = (prefix, cluster)
        return best[1] if best else "OTHER"

    def cluster_from_branche(self, value: object) -> str | None:
        key = label_key(value)
        if key is None:
            return None
        hit = self.branche.get(key)
        if hit is None and str(value).strip() in self.clusters:
            return str(value).strip()
        return hit

    def cluster_code(self, value: object) -> str | None:
        if value is None:
            return None
        text = str(value).strip()
        if text in self.clusters:
            return text
        upper = text.upper()
        return upper if upper in self.clusters else None

    def country(self, value: object) -> str | None:
        if value is None:
            return None
        text = str(value).strip()
        if text.upper() in self.country_codes and len(text) == 2:
            return text.upper()
        return self.countries.get(label_key(text))

    def lost_reason(self, value: object) -> str | None:
        """None when no reason is given; `other` when it does not map."""
        key = label_key(value)
        if key is None:
            return None
        if key in self.lost_reason_codes:
            return key
        return self.lost_reasons.get(key, "other")

    def project_type(self, value: object) -> str | None:
        key = label_key(value)
        if key is None:
            return None
        return self.project_types.get(key)

    def municipality(self, value: object) -> str | None:
        if value is None:
            return None
        text = str(value).strip()
        if text in self.municipality_ags:
            return text
        return self.municipality_by_name.get(label_key(text))
