# One store only (the shared server): `intake db --server` (on the file: test_db_cli.py).
"""`intake db … --server URL` (or INTAKE_SERVER) as the person who installs a shared store runs
it: passphrases and PINs on standard input, never in the address."""

from __future__ import annotations

import pytest

from intake.storage.pg.store import open_shared_store
from tests.storage.test_db_cli import GOOD, db


def test_init_add_account_check_and_rekey_on_the_server(pg_dsn: str) -> None:
    done = db("init", "--server", pg_dsn, "--supervisor", "Sam Lee", stdin=f"{GOOD}\n246810\n")
    assert done.returncode == 0, done.stderr
    assert "shared store" in done.stdout
    env = {"INTAKE_SERVER": pg_dsn}
    done = db("add-account", "--name", "Alex Roy", stdin=f"{GOOD}\n739105\n", env=env)
    assert done.returncode == 0, done.stderr
    assert db("check", stdin=f"{GOOD}\n", env=env).returncode == 0
    done = db("rekey", "--server", pg_dsn, stdin=f"{GOOD}\nthe new line passphrase\n")
    assert done.returncode == 0, done.stderr
    refused = db("check", stdin=f"{GOOD}\n", env=env)
    assert refused.returncode == 1
    assert "passphrase does not open" in refused.stderr
    assert db("check", stdin="the new line passphrase\n", env=env).returncode == 0
    store = open_shared_store(pg_dsn, "the new line passphrase")
    try:
        assert sorted(a.display_name for a in store.list_accounts()) == ["Alex Roy", "Sam Lee"]
        assert [r[0] for r in store.audit_trail()] == ["init", "create", "rekey"]
    finally:
        store.close()


def test_a_second_init_on_the_server_is_refused(pg_dsn: str) -> None:
    first = db("init", "--server", pg_dsn, "--supervisor", "Sam Lee", stdin=f"{GOOD}\n246810\n")
    assert first.returncode == 0, first.stderr
    again = db("init", "--server", pg_dsn, "--supervisor", "Kim", stdin=f"{GOOD}\n246810\n")
    assert again.returncode == 1
    assert "already exists" in again.stderr


@pytest.mark.parametrize("command", [["backup", "b.db"], ["restore", "b.db"], ["accept"]])
def test_file_only_commands_say_so_for_the_server(pg_dsn: str, command: list[str]) -> None:
    done = db(*command, "--server", pg_dsn, stdin=f"{GOOD}\n{GOOD}\n")
    assert done.returncode == 2
    assert "store file only" in done.stderr
    assert "Traceback" not in done.stderr


def test_addresses_that_would_leak_are_refused(tmp_path: object) -> None:
    with_password = "postgresql://intake:secret@db.example.org/intake?sslmode=verify-full"
    done = db("check", "--server", with_password, stdin=f"{GOOD}\n")
    assert done.returncode == 2
    assert "password" in done.stderr
    assert "secret" not in done.stderr
    plain = db("check", "--server", "postgresql://intake@db.example.org/intake", stdin=f"{GOOD}\n")
    assert plain.returncode == 1
    assert "TLS" in plain.stderr


def test_french_messages_for_the_server(pg_dsn: str) -> None:
    done = db(
        "check",
        "--server",
        "postgresql://intake@db.example.org/intake",
        stdin=f"{GOOD}\n",
        env={"LANG": "fr_CA.UTF-8"},
    )
    assert done.returncode == 1
    assert "doit être joint par TLS" in done.stderr


def test_the_window_never_falls_back_to_a_file_when_a_server_was_asked_for() -> None:
    import subprocess
    import sys

    from tests.storage.test_db_cli import ROOT

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "intake",
            "--store",
            "/tmp/never.db",
            "--server",
            "postgresql://intake@/intake",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )
    # The window opens the shared store (tests/gui/test_shared_window.py); asked for both, it
    # refuses rather than pick one: the line's records would split in two.
    assert done.returncode == 2
    assert "--store or --server, not both" in done.stderr


def test_switching_on_row_security_and_mapping_an_account_to_a_login(pg_dsn: str) -> None:
    """`intake db row-security` then `intake db map-account`: a person's own server login then
    reads only their own calls, and signs in only as themselves; refusals said plainly."""
    import uuid

    import psycopg
    from psycopg import sql

    assert (
        db(
            "init", "--server", pg_dsn, "--supervisor", "Sam Lee", stdin=f"{GOOD}\n246810\n"
        ).returncode
        == 0
    )
    assert (
        db(
            "add-account", "--server", pg_dsn, "--name", "Alex Roy", stdin=f"{GOOD}\n739105\n"
        ).returncode
        == 0
    )
    login = f"intake_t{uuid.uuid4().hex[:8]}_alex"
    # Mapping before row security is on: refused, saying what to run first.
    early = db(
        "map-account", "--server", pg_dsn, "--name", "Alex Roy", "--login", login, stdin=f"{GOOD}\n"
    )
    assert early.returncode == 2
    assert "row-security" in early.stderr
    on = db("row-security", "--server", pg_dsn, stdin=f"{GOOD}\n")
    assert on.returncode == 0, on.stderr
    again = db("row-security", "--server", pg_dsn, stdin=f"{GOOD}\n")
    assert again.returncode == 0, again.stderr  # already on: said, nothing changed
    # A login the server's administrator has not made yet: refused, saying so.
    missing = db(
        "map-account", "--server", pg_dsn, "--name", "Alex Roy", "--login", login, stdin=f"{GOOD}\n"
    )
    assert missing.returncode == 2
    assert login in missing.stderr
    assert "Traceback" not in missing.stderr
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(login)))
    try:
        unknown = db(
            "map-account",
            "--server",
            pg_dsn,
            "--name",
            "Nobody",
            "--login",
            login,
            stdin=f"{GOOD}\n",
        )
        assert unknown.returncode == 2
        assert "Nobody" in unknown.stderr
        done = db(
            "map-account",
            "--server",
            pg_dsn,
            "--name",
            "Alex Roy",
            "--login",
            login,
            stdin=f"{GOOD}\n",
        )
        assert done.returncode == 0, done.stderr
        # One login acts for one account: mapping it to a second is refused, saying so.
        taken = db(
            "map-account", "--server", pg_dsn, "--name", "Sam Lee", "--login", login,
            stdin=f"{GOOD}\n",
        )  # fmt: skip
        assert taken.returncode == 2
        assert login in taken.stderr
        assert "Traceback" not in taken.stderr
        alex_dsn = pg_dsn.replace("postgresql://intake_admin@", f"postgresql://{login}@")
        owner = open_shared_store(pg_dsn, GOOD)
        alex = open_shared_store(alex_dsn, GOOD)
        try:
            ids = {a.display_name: a.id for a in owner.list_accounts()}
            assert alex.session_account == ids["Alex Roy"]
            assert alex.check_pin(ids["Alex Roy"], "739105") is not None
            from intake.storage.errors import NotAllowed

            with pytest.raises(NotAllowed):
                alex.check_pin(ids["Sam Lee"], "246810")
            actions = [r[3] for r in owner.audit_trail() if r[0] == "edit"]
            assert "row security on" in actions
            assert "account mapped to a server login" in actions
            # Two accounts of the same name (two stations' files moved in): which one is
            # meant cannot be told, so none is mapped.
            from intake.pins import hash_pin

            owner.add_account("Alex Roy", "volunteer", hash_pin("739105"))
            twice = db(
                "map-account", "--server", pg_dsn, "--name", "Alex Roy", "--login", login,
                stdin=f"{GOOD}\n",
            )  # fmt: skip
            assert twice.returncode == 2
            assert "Alex Roy" in twice.stderr
            assert "Traceback" not in twice.stderr
        finally:
            alex.close()
            owner.close()
    finally:
        with psycopg.connect(pg_dsn, autocommit=True) as admin:
            admin.execute(
                sql.SQL("REASSIGN OWNED BY {} TO intake_admin").format(sql.Identifier(login))
            )
            admin.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(login)))
