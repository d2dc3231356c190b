"""No personal data in any validation result, gate decision or Data Docs page."""

from __future__ import annotations

import json

from regiopool.quality.contact import EMAIL_RE, PHONE_RE, looks_like_contact

from .warehouse import SEEDED_CONTACT_STRINGS


def _report_files(quality):
    return [p for p in quality.rglob("*") if p.is_file()
            and p.suffix in {".html", ".json", ".yml", ".yaml", ".txt", ".md"}]


def test_reports_hold_no_contact_data(clean, blocking_defects, warning_defects):
    for _, quality in (clean, blocking_defects, warning_defects):
        files = _report_files(quality)
        assert any(p.name == "index.html" for p in files)
        assert any("validations" in p.parts for p in files)
        for path in files:
            text = path.read_text(encoding="utf-8", errors="replace")
            for seeded in SEEDED_CONTACT_STRINGS:
                assert seeded not in text, f"{seeded!r} in {path}"
            assert not EMAIL_RE.search(text), f"e-mail address in {path}"


def test_validation_results_hold_no_values(blocking_defects, warning_defects):
    """Counts only: no unexpected values, rows or index lists in any stored result."""
    for _, quality in (blocking_defects, warning_defects):
        results = [p for p in quality.rglob("*.json") if "validations" in p.parts]
        assert results
        failed = 0
        for path in results:
            for res in json.loads(path.read_text(encoding="utf-8"))["results"]:
                body = res.get("result") or {}
                failed += not res["success"]
                assert not body.get("partial_unexpected_list"), path
                assert not body.get("partial_unexpected_counts"), path
                for key in ("unexpected_list", "unexpected_index_list", "unexpected_rows",
                            "partial_unexpected_index_list"):
                    assert not body.get(key), (key, path)
        assert failed > 0  # the defects are in there, as counts


def test_detector_patterns():
    for text in ["erika.muster@example.org", "Tel. 0341 1234567", "+49 341 5550123",
                 "Tel. 0049 341 5550123", "0049-341-5550123", "(0049) 341 5550123",
                 "(0341) 123 456", "0341/123456"]:
        assert looks_like_contact(text), text
    for text in ["WF-2025-0153", "IRL-2024-0107", "AG Leipzig HRB 4711", "2025-03-01",
                 "wifoe_lkl_2025-06_k1.xlsx", "4.500.000,00", "PLZ 04109 Leipzig",
                 "0a1b2c3d-0412-3456-89ab-0123456789ab",
                 # a load id whose checksum starts with 00 and digits (seen at scale 10)
                 "irl:events_2025-03-02.jsonl:00708891378ab1c4",
                 # a regional project id whose hash starts with 00 and digits (scale 100)
                 "RP-007375183099", "RP-008337549188"]:
        assert not looks_like_contact(text), text
    assert EMAIL_RE and PHONE_RE
