"""The data-quality gate: Great Expectations guards the shared dataset and what is published.

``run_quality_gate(warehouse, quality_dir, report_month, accepted_missing_partners)`` validates
the DuckDB warehouse for one report month and returns (and writes to
``quality_dir/<YYYY-MM>/gate.json``) the gate decision; ``assert_gate_passed`` raises
:class:`GateFailed` naming the failed checks and partners. See docs/quality.md.
"""

from .gate import GateFailed, assert_gate_passed, run_quality_gate

__all__ = ["GateFailed", "assert_gate_passed", "run_quality_gate"]
