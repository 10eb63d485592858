"""PIN checks under a burst of tries: the failure count is read, compared and written in one
transaction, so no try is lost and the lockout holds, also across a restart."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from intake.storage.account_store import FREE_ATTEMPTS, check_pin
from intake.storage.db import Store, open_store
from intake.storage.errors import AccountLocked
from tests.conftest import PASSPHRASE, PIN


def _failures(store: Store, account_id: str) -> tuple[int, str | None]:
    row = store.query("SELECT failed_pins, locked_until FROM accounts WHERE id = ?", (account_id,))
    return int(row[0][0]), row[0][1]


def _try(store: Store, account_id: str, pin: str) -> str:
    try:
        return "right" if check_pin(store, account_id, pin) is not None else "wrong"
    except AccountLocked:
        return "locked"


def test_a_burst_of_wrong_pins_counts_every_one_and_locks(store: Store, actor: str) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(lambda i: _try(store, actor, f"{i:06d}"), range(40)))
    wrong = outcomes.count("wrong")
    failures, locked_until = _failures(store, actor)
    # Every try that was checked was counted: none read a stale count.
    assert failures == wrong
    assert wrong >= FREE_ATTEMPTS
    assert locked_until is not None
    failed = store.query("SELECT count(*) FROM audit WHERE action = 'failed-sign-in'")[0][0]
    assert failed == len(outcomes)  # wrong and refused tries alike are audited
    with pytest.raises(AccountLocked):
        check_pin(store, actor, PIN)


def test_the_right_pin_inside_a_burst_does_not_unlock(store: Store, actor: str) -> None:
    pins = ["000000"] * 99
    pins[89] = PIN
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(lambda p: _try(store, actor, p), pins))
    assert outcomes[89] == "locked"
    assert _failures(store, actor)[0] >= FREE_ATTEMPTS


def test_the_lockout_holds_across_a_restart(store_path: Path, store: Store, actor: str) -> None:
    for _ in range(FREE_ATTEMPTS):
        assert check_pin(store, actor, "000000") is None
    store.close()
    reopened = open_store(store_path, PASSPHRASE)
    try:
        with pytest.raises(AccountLocked):
            check_pin(reopened, actor, PIN)
        assert _failures(reopened, actor)[0] == FREE_ATTEMPTS
    finally:
        reopened.close()
