# One store only (the shared server): the lockout decided by the server's own function and clock,
#   two stations at once.
"""PIN lockout enforced by the shared store's server (issue 18): the failure count is read,
compared and written by one server function under the account row's lock, so two stations
trying at once cannot get more tries between them than one station alone; and a station's
own server login cannot write the count, nor clear another person's, whatever it asks."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest

from intake.pins import hash_pin
from intake.storage.account_store import FREE_ATTEMPTS
from intake.storage.errors import AccountLocked, NotAllowed, StoreNeedsOwner
from intake.storage.pg import schema
from intake.storage.pg.security import GROUPS
from intake.storage.pg.store import PgStore, open_shared_store
from tests.conftest import PASSPHRASE, PIN
from tests.storage.conftest import make_shared_store
from tests.storage.test_row_security import Line, line

__all__ = ["line"]  # the fixture

ROOT = Path(__file__).resolve().parents[2]


def test_two_stations_at_once_get_no_more_tries_than_one(pg_dsn: str, tmp_path: Path) -> None:
    owner = make_shared_store(pg_dsn)
    try:
        account = owner.list_accounts()[0].id
        start = tmp_path / "start"
        tries = FREE_ATTEMPTS - 1  # each station alone stays under the limit
        workers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.storage.pin_try_worker",
                    pg_dsn,
                    account,
                    str(tries),
                    str(start),
                ],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _station in range(2)
        ]
        start.touch()
        results = []
        for worker in workers:
            out, _err = worker.communicate(timeout=120)
            assert worker.returncode == 0
            results.append(json.loads(out))
        wrong = sum(r["wrong"] for r in results)
        locked = sum(r["locked"] for r in results)
        # Exactly as one station trying 2 x tries in a row: the fifth wrong PIN locks, the
        # tries after it are refused without counting; whatever the interleaving.
        assert (wrong, locked) == (FREE_ATTEMPTS, 2 * tries - FREE_ATTEMPTS)
        assert owner.query("SELECT failed_pins FROM accounts WHERE id = %s", (account,)) == [
            (FREE_ATTEMPTS,)
        ]
        with pytest.raises(AccountLocked):
            owner.check_pin(account, PIN)  # the right PIN waits for the lock too
        assert owner.verify_audit() == []
    finally:
        owner.close()


def test_a_stations_login_cannot_write_the_count_nor_clear_anothers(line: Line) -> None:
    alice = line.stations["alice"]
    bruno = line.accounts["bruno"]
    for _attempt in range(FREE_ATTEMPTS):
        assert line.stations["bruno"].check_pin(bruno, "000000") is None
    # Refused by the server: writing the count directly...
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        alice.query(
            "UPDATE accounts SET failed_pins = 0, locked_until = NULL WHERE id = %s", (bruno,)
        )
    # ...or trying anything on someone else's account (the older function, which took the
    # station's word and clock, is gone).
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        alice.query("SELECT * FROM intake_pin_attempt(%s, %s)", (bruno, b"x" * 32))
    with pytest.raises(psycopg.errors.UndefinedFunction):
        alice.query(
            "SELECT * FROM intake_pin_attempt(%s, true, %s, now() + interval '1 day')",
            (bruno, b"x"),
        )
    assert line.owner.query("SELECT failed_pins FROM accounts WHERE id = %s", (bruno,)) == [
        (FREE_ATTEMPTS,)
    ]
    with pytest.raises(AccountLocked):
        line.stations["bruno"].check_pin(bruno, "739105")


def _failures(owner: PgStore, account: str) -> int:
    return int(owner.query("SELECT failed_pins FROM accounts WHERE id = %s", (account,))[0][0])


def test_a_login_cannot_lock_out_another_account(line: Line) -> None:
    """Two connections: Alice's login sends wrong PINs for Bruno; the server refuses every one
    without counting it, and Bruno still signs in at once."""
    alice, bruno = line.stations["alice"], line.accounts["bruno"]
    for _attempt in range(FREE_ATTEMPTS + 2):
        with pytest.raises(NotAllowed):
            alice.check_pin(bruno, "000000")
    assert _failures(line.owner, bruno) == 0
    signed_in = line.stations["bruno"].check_pin(bruno, "739105")
    assert signed_in is not None
    assert signed_in.id == bruno
    # Her own account still works from her own login.
    assert alice.check_pin(line.accounts["alice"], "739105") is not None


def test_the_server_decides_whether_a_pin_was_right(pg_dsn: str) -> None:
    """A station holding the line key but not the PIN cannot sign in: the sealed PIN data
    holds no key, and what it sends is compared by the server with the verifier."""
    owner = make_shared_store(pg_dsn)
    station = open_shared_store(pg_dsn, PASSPHRASE)  # a second connection, another station
    try:
        account = owner.list_accounts()[0].id
        sealed, verifier = station.query(
            "SELECT pin_hash, pin_verifier FROM accounts WHERE id = %s", (account,)
        )[0]
        kept = str(station.line_keys.open("accounts", "pin_hash", account, bytes(sealed)))
        assert kept.count("$") == 4  # scheme, costs and salt: no key to replay
        assert len(bytes(verifier)) == 32
        for offered in (bytes(sealed), bytes(verifier), b"", None):
            outcome = station.query(
                "SELECT outcome FROM intake_pin_attempt(%s, %s)", (account, offered)
            )
            assert outcome == [("wrong",)]
        assert _failures(owner, account) == 4
        assert station.check_pin(account, PIN) is not None  # the PIN itself is right
        assert _failures(owner, account) == 0
    finally:
        station.close()
        owner.close()


def test_the_lock_runs_on_the_servers_clock_not_the_stations(pg_dsn: str) -> None:
    owner = make_shared_store(pg_dsn)
    station = open_shared_store(pg_dsn, PASSPHRASE)
    try:
        account = owner.list_accounts()[0].id
        long_ago = datetime(2001, 1, 1, tzinfo=UTC)
        for _attempt in range(FREE_ATTEMPTS):
            assert station.check_pin(account, "000000", long_ago) is None
        # Locked until a minute after the server's now, whatever time the station gave.
        left = owner.query(
            "SELECT extract(epoch FROM locked_until - now()) FROM accounts WHERE id = %s",
            (account,),
        )[0][0]
        assert 0 < float(left) <= 60
        with pytest.raises(AccountLocked):
            station.check_pin(account, PIN, datetime(2099, 1, 1, tzinfo=UTC))
        # The minute passes on the server (the owner moves the lock back).
        owner.query(
            "UPDATE accounts SET locked_until = now() - interval '1 second' WHERE id = %s "
            "RETURNING id",
            (account,),
        )
        assert station.check_pin(account, PIN) is not None
    finally:
        station.close()
        owner.close()


def _before_the_pin_step(admin: psycopg.Connection[Any]) -> None:
    """The store's recorded version: the one before `schema.PIN_STEP` (the step that brings the
    server-decided PIN; the steps after it, if any, are not undone here)."""
    admin.execute(
        "UPDATE meta SET value = %s WHERE key = 'schema_version'",
        (str(schema.STEPS.index(schema.PIN_STEP) + 1),),
    )


def _as_made_before_the_pin_function(line: Line, admin: psycopg.Connection[Any]) -> None:
    """Turn the line's store back into one made before `intake_pin_attempt` existed, with the
    grants that version gave the per-person groups (commit 0e92fd0: they wrote the count)."""
    admin.execute(f"DROP FUNCTION {schema.PIN_SIGNATURE}")
    _before_the_pin_step(admin)
    keys = line.owner.line_keys
    for account in line.accounts.values():
        full = hash_pin(PIN if account == line.accounts["sup"] else "739105")
        admin.execute(
            "UPDATE accounts SET pin_hash = %s WHERE id = %s",
            (keys.seal("accounts", "pin_hash", account, full), account),
        )
    admin.execute("ALTER TABLE accounts DROP COLUMN pin_verifier")
    for group in GROUPS:
        admin.execute(f"GRANT SELECT ON accounts TO {group}")
        admin.execute(f"GRANT UPDATE (failed_pins, locked_until) ON accounts TO {group}")


def test_upgrading_an_older_store_fixes_the_groups_grants(line: Line, pg_dsn: str) -> None:
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        _as_made_before_the_pin_function(line, admin)
    alice_dsn = line.stations["alice"].dsn
    # Before its owner opens it, a person's login is told so, and changes nothing.
    with pytest.raises(StoreNeedsOwner):
        open_shared_store(alice_dsn, PASSPHRASE)
    open_shared_store(line.owner.dsn, PASSPHRASE).close()  # the owner's open upgrades it
    alice = open_shared_store(alice_dsn, PASSPHRASE)
    try:
        me = line.accounts["alice"]
        assert alice.check_pin(me, "000000") is None
        assert _failures(line.owner, me) == 1
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            alice.query("UPDATE accounts SET failed_pins = 0 WHERE id = %s", (me,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            alice.query("SELECT pin_verifier FROM accounts")
        assert _failures(line.owner, me) == 1
        signed_in = alice.check_pin(me, "739105")  # old PINs still work after the upgrade
        assert signed_in is not None
        assert signed_in.display_name == "Alice"
        assert line.owner.check_pin(line.accounts["sup"], PIN) is not None
        assert line.owner.query(
            "SELECT count(*) FROM pg_proc WHERE proname = 'intake_pin_attempt'"
        ) == [(1,)]
    finally:
        alice.close()


def test_upgrading_a_store_without_row_security_grants_the_groups_nothing(pg_dsn: str) -> None:
    """The groups are the whole server's (another line's database may have made them): a store
    that never switched row security on gives them nothing at its upgrade."""
    owner = make_shared_store(pg_dsn)
    owner.close()
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        for group in GROUPS:
            admin.execute(
                f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{group}') "
                f"THEN CREATE ROLE {group} NOLOGIN; END IF; END $$"
            )
        admin.execute(f"DROP FUNCTION {schema.PIN_SIGNATURE}")  # as made before it
        _before_the_pin_step(admin)
    open_shared_store(pg_dsn, PASSPHRASE).close()  # the owner's open upgrades it
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        for group in GROUPS:
            granted = admin.execute(
                "SELECT has_any_column_privilege(%s, 'accounts', 'SELECT'), "
                "has_function_privilege(%s, %s, 'EXECUTE')",
                (group, group, schema.PIN_SIGNATURE),
            ).fetchone()
            assert granted == (False, False)
