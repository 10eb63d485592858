# Both stores in every test: each moves a station's SQLCipher file into the shared server.
"""Moving a station's file into the shared store as the coordinator expects: one person, one
account. Into an empty database the move creates the line's store from the file (its accounts
are the line's, no other); into a store that already has another account of the same name it
is refused, saying why, and nothing is moved."""

from __future__ import annotations

from pathlib import Path

from intake.pins import hash_pin
from intake.storage.local import LocalRecords
from intake.storage.pg.store import open_shared_store
from tests.conftest import PASSPHRASE, PIN, SUPERVISOR, make_store
from tests.storage.test_db_cli import db

LINE = "the line passphrase, long enough"


def _file_with_a_volunteer(store_path: Path) -> dict[str, str]:
    file = LocalRecords(make_store(store_path))
    try:
        file.add_account("Bénévole Anne", "volunteer", hash_pin("739105"))
        return {a.display_name: a.id for a in file.list_accounts()}
    finally:
        file.close()


def _server_accounts(dsn: str, passphrase: str) -> dict[str, str]:
    shared = open_shared_store(dsn, passphrase)
    try:
        return {a.display_name: a.id for a in shared.list_accounts()}
    finally:
        shared.close()


def test_a_move_into_an_empty_database_makes_the_store_with_the_files_accounts(
    store_path: Path, pg_dsn: str
) -> None:
    accounts = _file_with_a_volunteer(store_path)
    done = db(
        "move-to-server",
        "--store",
        str(store_path),
        "--server",
        pg_dsn,
        stdin=f"{PASSPHRASE}\n{LINE}\n{LINE}\n",
    )
    assert done.returncode == 0, done.stderr
    assert "Created the shared store" in done.stdout
    assert _server_accounts(pg_dsn, LINE) == accounts  # the same people, ids kept
    shared = open_shared_store(pg_dsn, LINE)
    try:
        signed_in = shared.check_pin(accounts[SUPERVISOR], PIN)  # the file's PIN still works
        assert signed_in is not None
        assert signed_in.id == accounts[SUPERVISOR]
        assert [r[0] for r in shared.audit_trail()] == ["restore", "init", "sign-in"]
    finally:
        shared.close()
    checked = db("check", "--server", pg_dsn, stdin=f"{LINE}\n")  # the audit chain is whole
    assert checked.returncode == 0, checked.stderr
    # Run again: the store is there, the same accounts are not "taken", nothing is added.
    again = db(
        "move-to-server",
        "--store",
        str(store_path),
        "--server",
        pg_dsn,
        stdin=f"{PASSPHRASE}\n{LINE}\n",
    )
    assert again.returncode == 0, again.stderr
    assert _server_accounts(pg_dsn, LINE) == accounts


def test_a_name_already_on_the_server_is_refused_and_nothing_moves(
    store_path: Path, pg_dsn: str
) -> None:
    accounts = _file_with_a_volunteer(store_path)
    # The old doc's order: the store made with a first supervisor of the same name.
    done = db("init", "--server", pg_dsn, "--supervisor", SUPERVISOR, stdin=f"{LINE}\n246810\n")
    assert done.returncode == 0, done.stderr
    before = _server_accounts(pg_dsn, LINE)
    for env, words in (
        ({}, ("already has another account named " + SUPERVISOR, "nothing was moved")),
        ({"LANG": "fr_CA.UTF-8"}, ("a déjà un autre compte nommé " + SUPERVISOR, "rien n’a été")),
    ):
        refused = db(
            "move-to-server",
            "--store",
            str(store_path),
            "--server",
            pg_dsn,
            stdin=f"{PASSPHRASE}\n{LINE}\n",
            env=env,
        )
        assert refused.returncode == 2
        assert "Traceback" not in refused.stderr
        for word in words:
            assert word in refused.stderr
        assert "Bénévole Anne" not in refused.stderr  # only the name that clashes
    assert _server_accounts(pg_dsn, LINE) == before
    assert accounts["Bénévole Anne"] not in before.values()


def test_add_account_offers_the_coordinator_on_both_stores(store_path: Path, pg_dsn: str) -> None:
    from intake.accounts import Role
    from intake.storage.db import open_store

    make_store(store_path).close()
    done = db(
        "add-account",
        "--store",
        str(store_path),
        "--name",
        "Coord Lise",
        "--role",
        "coordinator",
        stdin=f"{PASSPHRASE}\n739105\n",
    )
    assert done.returncode == 0, done.stderr
    file = LocalRecords(open_store(store_path, PASSPHRASE))
    try:
        roles = {a.display_name: a.role for a in file.list_accounts()}
    finally:
        file.close()
    assert roles["Coord Lise"] is Role.COORDINATOR
    done = db("init", "--server", pg_dsn, "--supervisor", "Sam Lee", stdin=f"{LINE}\n246810\n")
    assert done.returncode == 0, done.stderr
    done = db(
        "add-account",
        "--server",
        pg_dsn,
        "--name",
        "Coord Lise",
        "--role",
        "coordinator",
        stdin=f"{LINE}\n739105\n",
    )
    assert done.returncode == 0, done.stderr
    shared = open_shared_store(pg_dsn, LINE)
    try:
        roles = {a.display_name: a.role for a in shared.list_accounts()}
    finally:
        shared.close()
    assert roles["Coord Lise"] is Role.COORDINATOR
