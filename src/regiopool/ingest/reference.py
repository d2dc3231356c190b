"""Code lists a contract checks values against (``codelist: statuses``).

They are data, never code: the project's dbt seed (``dbt_project/seeds/<name>.csv``) is
preferred; ``REGIOPOOL_REFERENCE_DIR`` overrides; as a last resort the cooperation's shared
``reference/`` folder beside the checkout is used.
"""

from __future__ import annotations

import csv
import functools
import os
from pathlib import Path

from regiopool.contracts import REPO_ROOT


class CodelistNotFound(FileNotFoundError):
    pass


def codelist_path(name: str) -> Path:
    candidates = [REPO_ROOT / "dbt_project" / "seeds" / f"{name}.csv"]
    if env := os.environ.get("REGIOPOOL_REFERENCE_DIR"):
        candidates.insert(0, Path(env) / f"{name}.csv")
    for parent in [REPO_ROOT, *REPO_ROOT.parents]:
        candidates.append(parent / "shared" / "reference" / f"{name}.csv")
    for path in candidates:
        if path.is_file():
            return path
    raise CodelistNotFound(f"code list {name!r} not found (looked in dbt_project/seeds, "
                           "$REGIOPOOL_REFERENCE_DIR and shared/reference)")


def codelist_keys(name: str, partner: str) -> list[str]:
    """Every value that maps through the code list for this partner: its labels and its
    target codes (a value that already is a code maps to itself). Not normalised."""
    path = codelist_path(name)
    return list(_keys(path, path.stat().st_mtime_ns, partner))


@functools.lru_cache(maxsize=64)
def _keys(path: Path, mtime_ns: int, partner: str) -> tuple[str, ...]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    keys: list[str] = []
    for row in rows:
        if "partner" in row and row["partner"] != partner:
            continue
        keys.extend(v for k, v in row.items() if k != "partner" and v)
    return tuple(keys)
