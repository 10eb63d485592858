"""Every benchmark script still runs: each one in its quick mode (small data, seconds), as a
whole process exactly as `make bench` starts it, must exit cleanly and print a ratio.

The full runs (`make bench`) are too long for the test suite; this keeps them from rotting
(a benchmark that crashed on a renamed attribute went unnoticed until someone ran it).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).parent
SCRIPTS = sorted(path.name for path in BENCH.glob("bench_*.py"))
# Measures the built desktop bundle: CI runs its quick mode right after `make bundle`
# (`make bench-bundle`), where the bundle exists; a test run has none to measure.
NEEDS_BUNDLE = {"bench_bundle.py"}
RATIO = re.compile(r"\bratio\b[^\n]*?\d+\.\d+x")


def test_every_benchmark_is_covered() -> None:
    makefile = (BENCH.parent.parent / "Makefile").read_text(encoding="utf-8")
    assert SCRIPTS, "no benchmark scripts found"
    for script in SCRIPTS:
        assert f"tests/bench/{script}" in makefile, f"{script} is not in `make bench`"


@pytest.mark.parametrize("script", sorted(set(SCRIPTS) - NEEDS_BUNDLE))
def test_quick_mode_runs_and_prints_a_ratio(script: str, tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, str(BENCH / script), "--quick"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert RATIO.search(result.stdout), result.stdout
