"""`intake report --server URL` (or INTAKE_SERVER) against the real throwaway server: the same
line's data saved to a store file and to the shared store gives the same CSV from the command,
with nothing identifying in it, and the export is audited on the server; a store file and a
server together are refused, in the person's language, with nothing written."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from intake.storage.interface import RecordStore
from intake.storage.local import LocalRecords
from intake.storage.pg.store import PgStore
from tests.conftest import PASSPHRASE, make_store
from tests.matching.test_shared_reports import fill
from tests.storage.conftest import make_shared_store, pg_dsn, pg_server

__all__ = ["pg_dsn", "pg_server"]  # fixtures used here

ROOT = Path(__file__).resolve().parents[2]
YEAR = ("--from", "2026-01-01", "--to", "2026-12-31")
# Names `fill` gives the callers and the requesters: never in a report.
IDENTIFIERS = ("Zyxwerth", "Quolanby", "Pramwick", "Dulvaney")


def report(
    *args: str, env: dict[str, str] | None = None, lang: str = "en_CA.UTF-8"
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "intake", "report", *args],
        input=f"{PASSPHRASE}\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=180,
        check=False,
        env={"LANG": lang, "PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg", **(env or {})},
    )


@pytest.fixture
def both(store_path: Path, pg_dsn: str) -> Iterator[tuple[RecordStore, PgStore]]:
    """The same line's year saved to a store file and to the shared store."""
    file, server = LocalRecords(make_store(store_path)), make_shared_store(pg_dsn)
    for store in (file, server):
        fill(store, 3, 60, 12)
    file.close()
    yield file, server
    server.close()


def _exports(store: PgStore) -> list[str]:
    return [detail for action, _, _, detail in store.audit_trail() if action == "export"]


def test_the_report_is_made_from_the_server_given_by_flag_or_environment(
    both: tuple[RecordStore, PgStore], store_path: Path, tmp_path: Path
) -> None:
    _, server = both
    from_file = tmp_path / "file.csv"
    done = report("--store", str(store_path), *YEAR, "--csv", str(from_file))
    assert done.returncode == 0, done.stderr

    by_flag = tmp_path / "server.csv"
    done = report("--server", server.dsn, *YEAR, "--csv", str(by_flag))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert by_flag.read_bytes() == from_file.read_bytes()
    assert by_flag.stat().st_mode & 0o077 == 0  # owner only, as from the file
    text = by_flag.read_text(encoding="utf-8")
    assert all(name not in text for name in IDENTIFIERS)

    by_env = tmp_path / "rapport.pdf"
    done = report(
        *YEAR, "--pdf", str(by_env), "--language", "fr", env={"INTAKE_SERVER": server.dsn}
    )
    assert done.returncode == 0, done.stderr
    assert by_env.read_bytes().startswith(b"%PDF")
    assert _exports(server) == [
        "report csv 2026-01-01..2026-12-31",
        "report pdf 2026-01-01..2026-12-31",
    ]


@pytest.mark.parametrize(
    ("lang", "message"),
    [("en_CA.UTF-8", "Use --store or --server, not both"), ("fr_CA.UTF-8", "pas les deux")],
)
def test_a_store_file_and_a_server_together_are_refused(
    existing_store: Path, pg_dsn: str, tmp_path: Path, lang: str, message: str
) -> None:
    server = make_shared_store(pg_dsn)
    store_path = existing_store
    out = tmp_path / "r.csv"
    for done in (
        report(
            "--store", str(store_path), "--server", server.dsn, *YEAR, "--csv", str(out), lang=lang
        ),
        report(
            "--store",
            str(store_path),
            *YEAR,
            "--csv",
            str(out),
            env={"INTAKE_SERVER": server.dsn},
            lang=lang,
        ),
    ):
        assert done.returncode == 2, done.stderr
        assert message in done.stderr
        assert "Traceback" not in done.stderr
    assert not out.exists()
    assert _exports(server) == []
    server.close()
