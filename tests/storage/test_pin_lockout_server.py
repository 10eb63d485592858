"""PIN lockout enforced by the shared store's server (issue 18): the failure count is read,
compared and written by one server function under the account row's lock, so two stations
trying at once cannot get more tries between them than one station alone; and a station's
own server login cannot write the count, nor clear another person's, whatever it asks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from intake.storage.account_store import FREE_ATTEMPTS
from intake.storage.errors import AccountLocked
from tests.conftest import PIN
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
    # ...or claiming a right PIN for someone else's account once the lock has passed.
    sealed = line.owner.query("SELECT pin_hash FROM accounts WHERE id = %s", (bruno,))[0][0]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        alice.query(
            "SELECT * FROM intake_pin_attempt(%s, true, %s, now() + interval '1 day')",
            (bruno, sealed),
        )
    assert line.owner.query("SELECT failed_pins FROM accounts WHERE id = %s", (bruno,)) == [
        (FREE_ATTEMPTS,)
    ]
    with pytest.raises(AccountLocked):
        line.stations["bruno"].check_pin(bruno, "739105")
