"""`intake report` as a scheduled export runs it: passphrase on standard input, whole months,
CSV or PDF in either language, nothing identifying in the file, every export audited."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from intake.storage.account_store import list_accounts
from intake.storage.db import open_store
from tests.conftest import PASSPHRASE, make_store
from tests.matching.seed import SENTINELS, seed


def report(*args: str, stdin: str = f"{PASSPHRASE}\n") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "intake", "report", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={"LANG": "en_CA.UTF-8", "PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg"},
    )


@pytest.fixture
def seeded(store_path: Path) -> Path:
    store = make_store(store_path)
    seed(store, list_accounts(store)[0].id, contacts=300, requests=60)
    store.close()
    return store_path


def test_csv_and_pdf_in_both_languages_without_identifiers(seeded: Path, tmp_path: Path) -> None:
    for language in ("en", "fr"):
        out = tmp_path / f"r-{language}.csv"
        done = report(
            "--store", str(seeded), "--from", "2026-01-01", "--to", "2026-12-31",
            "--csv", str(out), "--language", language,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        text = out.read_text(encoding="utf-8")
        assert ("Période" in text) == (language == "fr")
        assert all(s not in text for s in SENTINELS)
        assert out.stat().st_mode & 0o077 == 0  # owner only
    pdf = tmp_path / "r.pdf"
    done = report(
        "--store", str(seeded), "--from", "2026-01-01", "--to", "2026-06-30", "--pdf", str(pdf),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    assert all(s.encode() not in pdf.read_bytes() for s in SENTINELS)
    store = open_store(seeded, PASSPHRASE)
    details = [r[0] for r in store.query("SELECT detail FROM audit WHERE action = 'export'")]
    store.close()
    assert details == [
        "report csv 2026-01-01..2026-12-31",
        "report csv 2026-01-01..2026-12-31",
        "report pdf 2026-01-01..2026-06-30",
    ]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-01-02", "2026-12-31", "first day of a month"),
        ("2026-01-01", "2026-12-30", "last day of a month"),
        ("2026-03-01", "2026-01-31", "before its start"),
        ("2026-13-01", "2026-12-31", "is not a date"),
        ("2020-01-01", "2026-12-31", "at most 36 months"),
    ],
)
def test_a_period_that_is_not_whole_months_is_refused_and_nothing_written(
    seeded: Path, tmp_path: Path, start: str, end: str, message: str
) -> None:
    out = tmp_path / "r.csv"
    done = report("--store", str(seeded), "--from", start, "--to", end, "--csv", str(out))
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_a_wrong_passphrase_is_explained_and_nothing_written(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    done = report(
        "--store", str(seeded), "--from", "2026-01-01", "--to", "2026-01-31", "--csv", str(out),
        stdin="not the passphrase\n",
    )  # fmt: skip
    assert done.returncode == 1
    assert "passphrase" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()
