"""PIN checks under a burst of tries: the failure count is read, compared and written in one
transaction, so no try is lost and the lockout holds, also across a restart. On both stores (`any_store`)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from intake.storage.account_store import FREE_ATTEMPTS
from intake.storage.db import open_store
from intake.storage.errors import AccountLocked
from intake.storage.interface import RecordStore
from intake.storage.local import LocalRecords
from intake.storage.pg.store import PgStore, open_shared_store
from tests.conftest import PASSPHRASE, PIN
from tests.storage.helpers import RawSql


def _failures(any_store: RecordStore, account_id: str) -> tuple[int, object]:
    row = RawSql(any_store).read(
        "accounts", "failed_pins, locked_until", "WHERE id = ?", (account_id,)
    )
    return int(row[0][0]), row[0][1]


def _try(any_store: RecordStore, account_id: str, pin: str) -> str:
    try:
        return "right" if any_store.check_pin(account_id, pin) is not None else "wrong"
    except AccountLocked:
        return "locked"


def test_a_burst_of_wrong_pins_counts_every_one_and_locks(
    any_store: RecordStore, any_actor: str
) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(lambda i: _try(any_store, any_actor, f"{i:06d}"), range(40)))
    wrong = outcomes.count("wrong")
    failures, locked_until = _failures(any_store, any_actor)
    # Every try that was checked was counted: none read a stale count.
    assert failures == wrong
    assert wrong >= FREE_ATTEMPTS
    assert locked_until is not None
    failed = RawSql(any_store).query("SELECT count(*) FROM audit WHERE action = 'failed-sign-in'")[
        0
    ][0]
    assert failed == len(outcomes)  # wrong and refused tries alike are audited
    with pytest.raises(AccountLocked):
        any_store.check_pin(any_actor, PIN)


def test_the_right_pin_inside_a_burst_does_not_unlock(
    any_store: RecordStore, any_actor: str
) -> None:
    pins = ["000000"] * 99
    pins[89] = PIN
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(lambda p: _try(any_store, any_actor, p), pins))
    assert outcomes[89] == "locked"
    assert _failures(any_store, any_actor)[0] >= FREE_ATTEMPTS


def _reopened(any_store: RecordStore) -> RecordStore:
    """The store closed and opened again, as after the application was restarted."""
    any_store.close()
    if isinstance(any_store, PgStore):
        return open_shared_store(any_store.dsn, PASSPHRASE)
    assert isinstance(any_store, LocalRecords)
    return LocalRecords(open_store(any_store.store.path, PASSPHRASE))


def test_the_lockout_holds_across_a_restart(any_store: RecordStore, any_actor: str) -> None:
    for _ in range(FREE_ATTEMPTS):
        assert any_store.check_pin(any_actor, "000000") is None
    reopened = _reopened(any_store)
    try:
        with pytest.raises(AccountLocked):
            reopened.check_pin(any_actor, PIN)
        assert _failures(reopened, any_actor)[0] == FREE_ATTEMPTS
    finally:
        reopened.close()
