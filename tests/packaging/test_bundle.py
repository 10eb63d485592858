"""The desktop bundle (make bundle → dist/intake/), run as a person would on a machine without
Python: create a store, route a caller in both languages, list the directory, check the store,
and start the window offscreen. `make bundle-smoke` runs this after `make bundle`; without a
bundle (INTAKE_BUNDLE unset) `make test` does not collect it."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

import intake

pytestmark = pytest.mark.bundle

GOOD = "a long and good store passphrase"


@pytest.fixture(scope="module")
def bundle() -> Path:
    folder = Path(os.environ["INTAKE_BUNDLE"]).resolve()
    executable = folder / ("intake.exe" if os.name == "nt" else "intake")
    assert executable.is_file(), f"no bundle at {folder}: run make bundle first"
    return executable


def env_for(home: Path) -> dict[str, str]:
    # Nothing from this tree's virtual environment: the bundle must carry its own Python.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("INTAKE_", "PYTHON", "VIRTUAL_ENV"))
    }
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p
    )
    return env | {"QT_QPA_PLATFORM": "offscreen", "HOME": str(home), "LANG": "C.UTF-8"}


def run(bundle: Path, *args: str, home: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bundle), *args], input=stdin, capture_output=True, text=True, encoding="utf-8",
        env=env_for(home), cwd=home, timeout=120, check=False,
    )  # fmt: skip


def test_the_bundle_routes_a_caller_in_both_languages(bundle: Path, tmp_path: Path) -> None:
    done = run(bundle, "--version", home=tmp_path)
    assert done.stdout.strip() == f"intake {intake.__version__}"
    done = run(bundle, "route", "--province", "NT", "--json", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["recommendations"]
    done = run(bundle, "route", "--province", "QC", "--language", "fr", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Pourquoi" in done.stdout  # the French catalog and Babel's French data are inside
    done = run(bundle, "directory", "list", "--province", "NU", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "nu-local-emergency" in done.stdout


def test_the_bundle_creates_a_store_and_starts_the_window(bundle: Path, tmp_path: Path) -> None:
    store = tmp_path / "data" / "store.db"
    done = run(
        bundle, "db", "init", "--store", str(store), "--supervisor", "Sam Lee",
        stdin=f"{GOOD}\n246810\n", home=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    if os.name == "posix":
        assert store.stat().st_mode & 0o077 == 0
    done = run(bundle, "db", "check", "--store", str(store), stdin=f"{GOOD}\n", home=tmp_path)
    assert done.returncode == 0, done.stderr
    # The window: Qt, its platform plugin and the unlock screen come up and stay up.
    window = subprocess.Popen(
        [str(bundle), "--store", str(store)], env=env_for(tmp_path), cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(5)
    still_running = window.poll() is None
    window.terminate()
    _out, err = window.communicate(timeout=30)
    assert still_running, err
    assert "Traceback" not in err
