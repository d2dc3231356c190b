"""The agreed code lists, read at run time (never copied into code).

Looked up in this order: ``<repo>/dbt_project/seeds/`` (the project's own copy), then
``<repo>/../shared/reference/`` (the cooperation's binding documentation), or a directory given
explicitly / through ``REGIOPOOL_REFERENCE_DIR``.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path

FILES = (
    "municipalities.csv",
    "clusters.csv",
    "wz_cluster.csv",
    "branche_cluster.csv",
    "countries.csv",
    "lost_reasons.csv",
    "statuses.csv",
    "project_types.csv",
)


class ReferenceNotFound(RuntimeError):
    """No directory with the reference CSVs was found."""


def _repo_root() -> Path:
    # src/regiopool/generate/reference.py -> repo root is three levels above the package
    return Path(__file__).resolve().parents[3]


def candidate_dirs() -> list[Path]:
    dirs: list[Path] = []
    env = os.environ.get("REGIOPOOL_REFERENCE_DIR")
    if env:
        dirs.append(Path(env))
    root = _repo_root()
    dirs += [root / "dbt_project" / "seeds", root.parent / "shared" / "reference"]
    # a git worktree under <repo>/../wt/<name>: the shared folder sits beside the main checkout
    dirs.append(root.parent.parent / "shared" / "reference")
    return dirs


def find_reference_dir(explicit: Path | None = None) -> Path:
    for d in ([explicit] if explicit else candidate_dirs()):
        if d is not None and all((d / f).is_file() for f in FILES):
            return d
    tried = ", ".join(str(d) for d in ([explicit] if explicit else candidate_dirs()))
    raise ReferenceNotFound(f"reference tables ({', '.join(FILES)}) not found; looked in: {tried}")


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass
class Reference:
    """The code lists the generator draws its values from."""

    directory: Path
    municipalities: list[dict[str, str]]
    clusters: list[str]
    wz_prefixes: dict[str, list[str]]          # cluster -> wz prefixes
    branche: dict[str, list[str]]              # cluster -> Branche labels
    countries: list[tuple[str, list[str]]]     # (iso2, German names) in file order
    lost_labels: dict[str, list[str]]          # reason code -> labels (first = canonical)
    statuses: dict[str, dict[str, str]]        # partner -> harmonised status -> source label
    project_type_labels: dict[str, list[str]]  # code -> labels that are not the code
    project_type_codes: list[str]
    all_wz_prefixes: list[str] = field(default_factory=list)

    @property
    def lost_reason_codes(self) -> list[str]:
        return list(self.lost_labels)

    def district_municipalities(self, district_name: str) -> list[dict[str, str]]:
        return [m for m in self.municipalities if m["district_name"] == district_name]

    def city(self) -> dict[str, str]:
        """The one municipality that is a district of its own (Stadt Leipzig)."""
        for m in self.municipalities:
            if m["district_name"].startswith("Stadt "):
                return m
        raise ReferenceNotFound("municipalities.csv has no 'Stadt ...' district")


def load_reference(directory: Path | None = None) -> Reference:
    d = find_reference_dir(directory)
    municipalities = _read(d / "municipalities.csv")
    clusters = [r["cluster_code"] for r in _read(d / "clusters.csv")]
    wz: dict[str, list[str]] = {c: [] for c in clusters}
    all_wz: list[str] = []
    for r in _read(d / "wz_cluster.csv"):
        wz.setdefault(r["cluster_code"], []).append(r["wz_prefix"])
        all_wz.append(r["wz_prefix"])
    branche: dict[str, list[str]] = {c: [] for c in clusters}
    for r in _read(d / "branche_cluster.csv"):
        branche.setdefault(r["cluster_code"], []).append(r["branche"])
    countries: dict[str, list[str]] = {}
    for r in _read(d / "countries.csv"):
        countries.setdefault(r["iso2"], []).append(r["name_de"])
    lost: dict[str, list[str]] = {}
    for r in _read(d / "lost_reasons.csv"):
        lost.setdefault(r["lost_reason"], []).append(r["label"])
    statuses: dict[str, dict[str, str]] = {}
    for r in _read(d / "statuses.csv"):
        statuses.setdefault(r["partner"], {}).setdefault(r["status"], r["source_status"])
    pt_labels: dict[str, list[str]] = {}
    pt_codes: list[str] = []
    for r in _read(d / "project_types.csv"):
        if r["label"] == r["project_type"]:
            pt_codes.append(r["project_type"])
        else:
            pt_labels.setdefault(r["project_type"], []).append(r["label"])
    return Reference(
        directory=d,
        municipalities=municipalities,
        clusters=clusters,
        wz_prefixes=wz,
        branche=branche,
        countries=list(countries.items()),
        lost_labels=lost,
        statuses=statuses,
        project_type_labels=pt_labels,
        project_type_codes=pt_codes or sorted(pt_labels),
        all_wz_prefixes=all_wz,
    )
