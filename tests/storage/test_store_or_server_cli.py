# Both stores in every test: a store file and a server address given together are refused.
"""`intake db` given both a store file and a shared store's address refuses, as the window does
and as the documentation says (the line's records would split in two without anyone noticing):
a clear message in the person's language, exit 2, nothing opened on either side. Only
`move-to-server`, which copies the one into the other, takes both (tests/storage/
test_move_to_server.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake.storage.db import open_store
from intake.storage.pg.store import open_shared_store
from tests.conftest import PASSPHRASE
from tests.storage.conftest import make_shared_store
from tests.storage.test_db_cli import db

MESSAGES = {
    "C.UTF-8": "Use --store or --server, not both",
    "fr_CA.UTF-8": "Utilisez --store ou --server, pas les deux",
}


def _trails(path: Path, dsn: str) -> tuple[list[str], list[str], int]:
    """The file's audit actions, the server's, and how many accounts the server has."""
    store = open_store(path, PASSPHRASE)
    try:
        on_file = [r[0] for r in store.query("SELECT action FROM audit ORDER BY seq")]
    finally:
        store.close()
    shared = open_shared_store(dsn, PASSPHRASE)
    try:
        return on_file, [r[0] for r in shared.audit_trail()], len(shared.list_accounts())
    finally:
        shared.close()


@pytest.mark.parametrize(
    ("command", "lang"),
    [
        (["check"], "C.UTF-8"),
        (["check"], "fr_CA.UTF-8"),
        (["add-account", "--name", "Alex Roy"], "fr_CA.UTF-8"),
        (["rekey"], "C.UTF-8"),
    ],
)
def test_a_store_file_and_a_server_together_are_refused(
    existing_store: Path, pg_dsn: str, lang: str, command: list[str]
) -> None:
    make_shared_store(pg_dsn).close()
    before = _trails(existing_store, pg_dsn)
    asked = [
        db(*command, "--server", pg_dsn, "--store", str(existing_store), env={"LANG": lang}),
        db(
            *command,
            "--store",
            str(existing_store),
            env={"LANG": lang, "INTAKE_SERVER": pg_dsn},
        ),
    ]
    for done in asked:
        assert done.returncode == 2, done.stderr
        assert MESSAGES[lang] in done.stderr
        assert "Traceback" not in done.stderr
        assert done.stdout == ""
    # Nothing was opened, on either side: no audit row added to the file or the server.
    assert _trails(existing_store, pg_dsn) == before
