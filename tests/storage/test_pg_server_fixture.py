# One store only (the shared server): the throwaway PostgreSQL server the suite starts.
"""The shared-store tests' server: a machine without PostgreSQL skips them and says why; under
CI (CI=true) the same is a failure, so CI can never pass without having run them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run_without_postgres(ci: bool, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["INTAKE_PG_BIN"] = str(tmp_path / "no-postgres-here")
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "-rs",
            "tests/storage/test_store_contract.py::test_both_stores_implement_the_interface",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_without_postgres_the_shared_store_tests_are_skipped_with_the_reason(
    tmp_path: Path,
) -> None:
    done = _run_without_postgres(False, tmp_path)
    assert done.returncode == 0, done.stdout
    assert "1 passed, 1 skipped" in done.stdout  # the file store still runs
    assert "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found" in done.stdout


def test_under_ci_a_missing_postgres_fails(tmp_path: Path) -> None:
    done = _run_without_postgres(True, tmp_path)
    assert done.returncode == 1, done.stdout
    assert "CI needs the shared-store test server" in done.stdout
