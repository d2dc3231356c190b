"""The dbt seeds are byte-identical copies of the cooperation's code lists.

shared/reference/README.md: "copy these files into the project (as dbt seeds, say) so that it
runs without this folder, keep the copies identical". For every CSV of the reference folder,
`dbt_project/seeds/<name>.csv` must have the same bytes (docs/decisions/dbt-seeds.md).

The reference folder is `$REGIOPOOL_SHARED_REFERENCE`, else `<repo>/../shared/reference` (a
clone with shared/ beside it, as CI has it), else `<repo>/../../shared/reference` (a git worktree
under `<repo>/../wt/<name>`). The product runs without it: where it is absent, the test is
skipped and says why; a folder named by the variable that does not exist is an error.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ENV = "REGIOPOOL_SHARED_REFERENCE"
REPO_ROOT = Path(__file__).resolve().parents[2]  # the checkout this test belongs to
SEEDS = REPO_ROOT / "dbt_project" / "seeds"


def reference_dir() -> Path | None:
    if env := os.environ.get(ENV):
        return Path(env)
    for candidate in (REPO_ROOT.parent / "shared" / "reference",
                      REPO_ROOT.parent.parent / "shared" / "reference"):
        if candidate.is_dir():
            return candidate
    return None


REFERENCE = reference_dir()
CSVS = sorted(p.name for p in REFERENCE.glob("*.csv")) if REFERENCE and REFERENCE.is_dir() else []
ABSENT = (f"no shared reference folder (set {ENV}, or put shared/ beside the checkout): "
          "the seeds cannot be compared with the code lists")


@pytest.mark.skipif(REFERENCE is None, reason=ABSENT)
def test_the_reference_folder_has_code_lists():
    assert REFERENCE.is_dir(), f"{ENV}={REFERENCE} is not a folder"
    assert CSVS, f"{REFERENCE} holds no CSV"


@pytest.mark.parametrize("name", CSVS or [pytest.param(None, marks=pytest.mark.skip(
    reason=ABSENT if REFERENCE is None else "no code lists to compare"))])
def test_seed_is_a_byte_identical_copy(name):
    seed = SEEDS / name
    assert seed.is_file(), f"{name} of {REFERENCE} has no seed in dbt_project/seeds/"
    assert seed.read_bytes() == (REFERENCE / name).read_bytes(), (
        f"dbt_project/seeds/{name} differs from {REFERENCE / name}: copy the file again "
        "(the seeds must stay identical to the code lists)")
