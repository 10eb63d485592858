"""The wheel, as a new user gets it: built from this tree, installed into a fresh virtual
environment (only the application's own dependencies), and used from there, far from the source
tree. Slow (one to two minutes, mostly installing PySide6), so it is marked: CI runs it once, as
part of `make test`; `-m "not packaging"` leaves it out of a quick run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import intake

pytestmark = pytest.mark.packaging

ROOT = Path(intake.__file__).resolve().parent.parent
GOOD = "a long and good store passphrase"
PIN = "246810"


def bin_dir(venv: Path) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", work, ROOT],
        check=True,
        cwd=work,
    )
    (wheel,) = work.glob("peer_support_intake-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    subprocess.run(
        [
            bin_dir(venv) / "python",
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            wheel,
        ],
        check=True,
        cwd=work,
    )
    return venv


def run(*args: str, stdin: str = "", cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INTAKE_", "PYTHON"))}
    env |= {"QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8", "HOME": str(cwd)}
    return subprocess.run(
        [*args], input=stdin, capture_output=True, text=True, encoding="utf-8", env=env,
        cwd=cwd, timeout=300, check=False,
    )  # fmt: skip


def test_the_installed_copy_is_the_wheel_not_the_source_tree(installed: Path) -> None:
    python = bin_dir(installed) / "python"
    done = run(
        str(python),
        "-c",
        "import intake, intake.paths as p; print(intake.__file__); print(p.shipped('directory.toml'))",
        cwd=installed.parent,
    )
    assert done.returncode == 0, done.stderr
    package, data = (Path(line) for line in done.stdout.splitlines())
    assert installed in package.parents
    assert installed in data.parents
    assert data.is_file()
    # `pip install .` brings what the application needs, and not the test or developer tools.
    listing = run(str(python), "-m", "pip", "list", cwd=installed.parent).stdout
    names = {line.split()[0].lower().replace("_", "-") for line in listing.splitlines()[2:]}
    assert {"pyside6-essentials", "sqlcipher3", "filelock", "platformdirs"} <= names
    assert {"pytest", "pytest-qt", "hypothesis", "mypy", "ruff", "pyinstaller"} & names == set()


def test_route_directory_and_version_from_the_wheel(installed: Path) -> None:
    intake_cmd = str(bin_dir(installed) / "intake")
    done = run(intake_cmd, "route", "--province", "NT", "--json", cwd=installed.parent)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["recommendations"]
    assert all(r["contacts"] for r in result["recommendations"])
    done = run(intake_cmd, "directory", "list", cwd=installed.parent)
    assert done.returncode == 0, done.stderr
    assert "ca-988" in done.stdout
    done = run(intake_cmd, "--version", cwd=installed.parent)
    assert done.stdout.strip() == f"intake {intake.__version__}"


def test_db_commands_and_the_window_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    intake_cmd = str(bin_dir(installed) / "intake")
    store = tmp_path / "data" / "store.db"
    init = run(
        intake_cmd, "db", "init", "--store", str(store), "--supervisor", "Sam Lee",
        stdin=f"{GOOD}\n{PIN}\n", cwd=tmp_path,
    )  # fmt: skip
    assert init.returncode == 0, init.stderr
    check = run(intake_cmd, "db", "check", "--store", str(store), stdin=f"{GOOD}\n", cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    add = run(
        intake_cmd, "db", "add-account", "--store", str(store), "--name", "Vi Tran",
        stdin=f"{GOOD}\n135790\n", cwd=tmp_path,
    )  # fmt: skip
    assert add.returncode == 0, add.stderr
    backup = tmp_path / "backup.db"
    done = run(
        intake_cmd, "db", "backup", str(backup), "--store", str(store),
        stdin=f"{GOOD}\nbackup phrase, long enough\n", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    done = run(
        intake_cmd,
        "db",
        "purge",
        "--dry-run",
        "--store",
        str(store),
        stdin=f"{GOOD}\n",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    done = run(
        intake_cmd,
        "db",
        "rekey",
        "--store",
        str(store),
        stdin=f"{GOOD}\n{GOOD} again\n",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    done = run(
        intake_cmd, "db", "restore", str(backup), "--store", str(store),
        stdin=f"backup phrase, long enough\n{GOOD}\n", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    # The window and the kiosk, through the real gate, with the installed copy's own Python.
    python = str(bin_dir(installed) / "python")
    driver = str(Path(__file__).with_name("drive_window.py"))
    for mode, reached in (("main", "call started"), ("kiosk", "kiosk shown")):
        done = run(
            python, driver, str(store), str(tmp_path / f"{mode}.json"), mode,
            stdin=f"{GOOD}\n{PIN}\n", cwd=tmp_path,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        assert reached in done.stdout.splitlines()
        assert done.stdout.splitlines()[-1] == "ok"
