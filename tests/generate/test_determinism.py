"""Same arguments -> byte-identical files and identical delivery times."""

from __future__ import annotations

import hashlib
from pathlib import Path

from regiopool.generate import generate_inbox

from .conftest import RANGE


def _fingerprint(root: Path) -> dict[str, tuple[str, int]]:
    return {
        str(p.relative_to(root)): (hashlib.sha256(p.read_bytes()).hexdigest(),
                                   int(p.stat().st_mtime))
        for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_two_runs_give_identical_bytes_and_mtimes(tmp_path, inbox):
    root, summary = inbox
    again = generate_inbox(tmp_path / "again", **RANGE, scale=1.0, seed=42)
    first, second = _fingerprint(root), _fingerprint(tmp_path / "again")
    assert first == second
    assert summary["files"] == again["files"] and summary["rows"] == again["rows"]
    assert any(name.endswith(".xlsx") for name in first)


def test_another_seed_gives_other_data(tmp_path):
    small = {"start": "2025-01", "end": "2025-01", "scale": 0.3}
    generate_inbox(tmp_path / "a", seed=1, **small)
    generate_inbox(tmp_path / "b", seed=2, **small)
    name = "stadt_leipzig/anfragen_2025-01.csv"
    assert (tmp_path / "a" / name).read_bytes() != (tmp_path / "b" / name).read_bytes()


def test_rerun_into_same_directory_replaces_partner_folders(tmp_path):
    out = tmp_path / "inbox"
    generate_inbox(out, start="2025-01", end="2025-02", scale=0.2, seed=1)
    stray = out / "irl" / "events_1999-01-01.jsonl"
    stray.write_text("")
    generate_inbox(out, start="2025-01", end="2025-01", scale=0.2, seed=1)
    assert not stray.exists()
    assert not (out / "stadt_leipzig" / "anfragen_2025-02.csv").exists()
    assert (out / "stadt_leipzig" / "anfragen_2025-01.csv").exists()
    assert sorted(p.name for p in out.iterdir()) == ["irl", "lk_leipzig", "stadt_leipzig"]


def test_rebuilding_projects_gives_the_same_files(tmp_path, monkeypatch):
    """Projects are rebuilt from their seed when not kept: the output must not change."""
    from regiopool.generate import world

    args = {"start": "2024-12", "end": "2025-02", "scale": 0.3, "seed": 9}
    generate_inbox(tmp_path / "cached", **args)
    monkeypatch.setattr(world, "CACHE_SIZE", 1)
    monkeypatch.setattr(world, "KEEP_BUILT", False)
    generate_inbox(tmp_path / "rebuilt", **args)
    assert _fingerprint(tmp_path / "cached") == _fingerprint(tmp_path / "rebuilt")


def test_identical_across_processes_with_other_hash_seeds(tmp_path):
    """No dependence on set/dict order of str hashes: two processes, two PYTHONHASHSEEDs."""
    import os
    import subprocess
    import sys

    code = ("import sys; from regiopool.generate import generate_inbox; "
            "generate_inbox(sys.argv[1], start='2024-12', end='2025-01', scale=0.3, seed=4)")
    for h in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=h)
        subprocess.run([sys.executable, "-c", code, str(tmp_path / h)], check=True, env=env)
    assert _fingerprint(tmp_path / "1") == _fingerprint(tmp_path / "2")


def test_background_writer_gives_the_same_files(tmp_path, monkeypatch):
    """REGIOPOOL_GENERATE_FORK=1 writes months in a forked child: the same bytes and times."""
    args = {"start": "2024-12", "end": "2025-03", "scale": 0.3, "seed": 5}
    one = generate_inbox(tmp_path / "one", **args)
    monkeypatch.setenv("REGIOPOOL_GENERATE_FORK", "1")
    two = generate_inbox(tmp_path / "two", **args)
    assert _fingerprint(tmp_path / "one") == _fingerprint(tmp_path / "two")
    for s in (one, two):
        s.pop("out_dir")
    assert one == two
