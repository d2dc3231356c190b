"""Cost of the quality gate on a built warehouse (a benchmark, not a test: it prints figures).

    python -m regiopool.quality.bench --warehouse var/home/warehouse.duckdb --month 2025-03

Runs in this process: first ``import great_expectations`` alone (its fixed cost), then the
gate into a temporary quality directory; prints wall and CPU seconds of each, the suites,
expectations evaluated and the decision. The warehouse is opened read-only.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from regiopool.months import parse_month


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--month", required=True, help="YYYY-MM")
    args = parser.parse_args(argv)
    month = parse_month(args.month)

    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    t0, c0 = time.perf_counter(), time.process_time()
    import great_expectations  # noqa: F401
    imported = (time.perf_counter() - t0, time.process_time() - c0)

    from regiopool.quality import run_quality_gate

    with tempfile.TemporaryDirectory() as tmp:
        t0, c0 = time.perf_counter(), time.process_time()
        result = run_quality_gate(args.warehouse, Path(tmp) / "quality", month)
        gate = (time.perf_counter() - t0, time.process_time() - c0)
    evaluated = sum(s["evaluated"] for s in result["suites"].values())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"import great_expectations: {imported[0]:6.1f} s wall {imported[1]:6.1f} s CPU")
    print(f"quality gate {result['month']}:    {gate[0]:6.1f} s wall {gate[1]:6.1f} s CPU")
    print(f"suites {len(result['suites'])}, expectations evaluated {evaluated}, "
          f"peak RSS {peak_mb:.0f} MB, load average {os.getloadavg()[0]:.1f}")
    print(f"passed {result['passed']}: {len(result['blocking'])} blocking, "
          f"{len(result['warnings'])} warnings")


if __name__ == "__main__":
    main()
