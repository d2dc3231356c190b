"""`regiopool generate`: arguments, one-line errors, summary."""

from __future__ import annotations

from click.testing import CliRunner

from regiopool.generate.cli import generate_command


def run(*args: str):
    return CliRunner().invoke(generate_command, list(args))


def test_generate_writes_inbox_and_prints_summary(tmp_path):
    out = tmp_path / "inbox"
    result = run("--out", str(out), "--from", "2025-01", "--to", "2025-01", "--scale", "0.2",
                 "--seed", "3", "--rate", "correction=1", "--rate", "resent_copy=0")
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "correction" in result.output
    assert (out / "stadt_leipzig" / "anfragen_2025-01_k1.csv").exists()
    assert (out / "lk_leipzig" / "wifoe_lkl_2025-01_k1.xlsx").exists()
    assert len(list((out / "irl").glob("events_2025-01-*.jsonl"))) == 31


def test_wrong_arguments_give_one_line_errors(tmp_path):
    out = str(tmp_path / "x")
    cases = [
        ("--out", out, "--from", "2025-13"),
        ("--out", out, "--from", "2025-03", "--to", "2025-01"),
        ("--out", out, "--scale", "0"),
        ("--out", out, "--scale", "abc"),
        ("--out", out, "--rate", "nonsense=0.1"),
        ("--out", out, "--rate", "correction"),
        ("--out", out, "--rate", "correction=2"),
        ("--from", "2025-01"),
    ]
    for args in cases:
        result = run(*args)
        assert result.exit_code != 0, args
        assert "Traceback" not in result.output
        assert "Error" in result.output, (args, result.output)
        assert not isinstance(result.exception, Exception) or isinstance(result.exception,
                                                                         SystemExit)
    assert not (tmp_path / "x" / "irl").exists()


def test_unwritable_output_is_a_clean_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = run("--out", str(blocker / "inbox"), "--from", "2025-01", "--to", "2025-01",
                 "--scale", "0.1")
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and len(result.output.strip().splitlines()) == 1


def test_every_rate_is_documented():
    from pathlib import Path

    from regiopool.generate import DEFAULT_RATES

    doc = (Path(__file__).resolve().parents[2] / "docs" / "sample_data.md").read_text("utf-8")
    missing = [name for name, rate in DEFAULT_RATES.items() if f"| `{name}` | {rate:g} |" not in doc]
    assert missing == []


def test_register_too_large_for_excel_is_a_clean_error(tmp_path, monkeypatch):
    from regiopool.generate import district

    monkeypatch.setattr(district, "EXCEL_MAX_ROWS", 12)
    out = tmp_path / "inbox"
    result = run("--out", str(out), "--from", "2025-01", "--to", "2025-02", "--scale", "1")
    assert result.exit_code == 1
    assert "exceed Excel" in result.output and "Traceback" not in result.output
    assert not (out / "lk_leipzig").exists() and list(out.iterdir()) == []
