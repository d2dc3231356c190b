"""A user's mistake ends in one line and a non-zero exit, never a traceback."""

from __future__ import annotations

import subprocess
import sys


def regiopool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "regiopool.cli", *args],
                          capture_output=True, text=True, timeout=120, check=False)


def test_missing_inbox_is_one_line(tmp_path):
    proc = regiopool("run", "--inbox", str(tmp_path / "nope"), "--home", str(tmp_path / "home"))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [f"Error: inbox not found: {tmp_path / 'nope'}"]


def test_inbox_without_partner_folders(tmp_path):
    (tmp_path / "inbox").mkdir()
    proc = regiopool("run", "--inbox", str(tmp_path / "inbox"), "--home", str(tmp_path / "home"))
    assert proc.returncode == 1
    assert "no partner folders" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_bad_report_month_is_a_usage_error(tmp_path):
    proc = regiopool("run", "--inbox", str(tmp_path), "--report-month", "2025-13")
    assert proc.returncode == 2
    assert "not a month (YYYY-MM): '2025-13'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_help_lists_the_commands():
    proc = regiopool("--help")
    assert proc.returncode == 0
    for command in ("generate", "run", "demo"):
        assert command in proc.stdout
