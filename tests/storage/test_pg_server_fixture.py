# One store only (the shared server): the throwaway PostgreSQL server the suite starts.
"""The shared-store tests' server: a machine without PostgreSQL skips them and says why; under
CI (CI=true, which `.ci/run` exports) the same is a failure, so CI can never pass without having
run them. Both ways of getting a server are checked: the `pg_server` fixture and the
`throwaway_server()` helper of the tests that stop and restart their own server."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REASON = "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found"
# One test through the fixture (its SQLCipher half still runs) and one that starts its own server.
THROUGH_THE_FIXTURE = (
    "tests/storage/test_store_contract.py::test_both_stores_implement_the_interface"
)
OWN_SERVER = (
    "tests/storage/test_shared_store.py::"
    "test_an_unreachable_server_is_told_plainly_and_the_store_reconnects"
)


def _run_without_postgres(
    ci: bool, tmp_path: Path, *tests: str
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["INTAKE_PG_BIN"] = str(tmp_path / "no-postgres-here")
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-v", "-rs", *tests],
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
    done = _run_without_postgres(False, tmp_path, THROUGH_THE_FIXTURE, OWN_SERVER)
    assert done.returncode == 0, done.stdout
    assert "1 passed, 2 skipped" in done.stdout  # the file store still runs
    assert done.stdout.count(f"shared-store tests skipped: {REASON}") == 2
    assert f"{OWN_SERVER} SKIPPED" in done.stdout


@pytest.mark.parametrize("test", [THROUGH_THE_FIXTURE, OWN_SERVER])
def test_under_ci_a_missing_postgres_fails(tmp_path: Path, test: str) -> None:
    done = _run_without_postgres(True, tmp_path, test)
    assert done.returncode == 1, done.stdout
    assert "CI needs the shared-store test server" in done.stdout
    assert REASON in done.stdout
    assert "skipped" not in done.stdout


def test_ci_runs_the_suite_with_ci_set() -> None:
    """`.ci/run` itself exports CI=true before the tests, so a CI machine without PostgreSQL
    fails, whatever the CI service sets."""
    script = (ROOT / ".ci" / "run").read_text()
    exported = re.search(r"^export CI=true$", script, re.MULTILINE)
    tests = re.search(r"^make test", script, re.MULTILINE)
    assert tests is not None
    assert exported is not None
    assert exported.start() < tests.start()


def test_tests_start_a_server_only_through_the_helper() -> None:
    """A test calling running_server() itself would raise instead of skipping (or failing
    under CI); tests use throwaway_server() or the pg_server fixture."""
    direct = []
    for path in (ROOT / "tests").rglob("*.py"):
        if "bench" in path.parts or path.name == "pg_server.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            named = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.ImportFrom)
                else [node.id]
                if isinstance(node, ast.Name)
                else [node.attr]
                if isinstance(node, ast.Attribute)
                else []
            )
            if "running_server" in named:
                direct.append(f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}")
    assert direct == []
