"""PIN checks and lockouts, proven from the refusing side (docs/mutation.md): each test fails
when mutation testing changes the line that refuses (a lock that no longer grows, a lock that
ends a moment early, an attempt audited without its account, a malformed hash accepted)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from intake.accounts import Account, Role
from intake.pins import hash_pin, verify_pin
from intake.storage.account_store import (
    FIRST_LOCK,
    FREE_ATTEMPTS,
    LONGEST_LOCK,
    check_pin,
    insert_account,
    list_accounts,
    lock_duration,
    record_event,
)
from intake.storage.db import Store
from intake.storage.errors import AccountLocked
from tests.conftest import PIN, SUPERVISOR

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
WRONG = "000000"


def _audit(store: Store) -> list[tuple[str | None, str, str | None, str]]:
    return [
        (r[0], r[1], r[2], r[3])
        for r in store.query("SELECT actor, action, record, detail FROM audit ORDER BY seq")
    ]


def _locked_until(store: Store, account_id: str) -> datetime | None:
    value = store.query("SELECT locked_until FROM accounts WHERE id = ?", (account_id,))[0][0]
    return None if value is None else datetime.fromisoformat(value)


def test_each_failure_after_the_free_tries_doubles_the_lock_up_to_its_longest() -> None:
    assert [lock_duration(n) for n in range(FREE_ATTEMPTS)] == [None] * FREE_ATTEMPTS
    doubling = [lock_duration(FREE_ATTEMPTS + n) for n in range(4)]
    assert doubling == [FIRST_LOCK, FIRST_LOCK * 2, FIRST_LOCK * 4, FIRST_LOCK * 8]
    assert lock_duration(FREE_ATTEMPTS + 10) == LONGEST_LOCK
    assert lock_duration(FREE_ATTEMPTS + 60) == LONGEST_LOCK  # no overflow, no wrap


def test_a_long_siege_of_wrong_pins_still_locks_and_counts_every_try(
    store: Store, actor: str
) -> None:
    """Found by mutation testing: the doubling overflowed after 46 failures, so every later
    wrong PIN raised inside its transaction: not counted, not audited, and no lock at all."""
    with store.transaction() as conn:
        conn.execute("UPDATE accounts SET failed_pins = 45 WHERE id = ?", (actor,))
    for n in range(3):
        at = START + n * LONGEST_LOCK
        assert check_pin(store, actor, WRONG, at) is None
        assert _locked_until(store, actor) == at + LONGEST_LOCK
        with pytest.raises(AccountLocked):
            check_pin(store, actor, PIN, at + LONGEST_LOCK - timedelta(seconds=1))
    assert store.query("SELECT failed_pins FROM accounts")[0][0] == 48
    assert _audit(store)[-1] == (actor, "failed-sign-in", actor, "locked")


def test_the_right_pin_is_refused_until_the_very_end_of_the_lock(store: Store, actor: str) -> None:
    for n in range(FREE_ATTEMPTS):
        assert check_pin(store, actor, WRONG, START + timedelta(seconds=n)) is None
    last_try = START + timedelta(seconds=FREE_ATTEMPTS - 1)
    assert _locked_until(store, actor) == last_try + FIRST_LOCK
    with pytest.raises(AccountLocked):
        check_pin(store, actor, PIN, last_try + FIRST_LOCK - timedelta(microseconds=1))
    # The lock has ended at its stated time: the right PIN opens, and clears the count.
    account = check_pin(store, actor, PIN, last_try + FIRST_LOCK)
    assert account is not None
    assert account.id == actor
    assert store.query("SELECT failed_pins, locked_until FROM accounts")[0] == (0, None)


def test_a_wrong_pin_after_a_lock_ends_locks_again_for_twice_as_long(
    store: Store, actor: str
) -> None:
    for _ in range(FREE_ATTEMPTS):
        check_pin(store, actor, WRONG, START)
    after = START + FIRST_LOCK
    assert check_pin(store, actor, WRONG, after) is None
    assert _locked_until(store, actor) == after + FIRST_LOCK * 2


def test_every_refused_try_is_audited_against_its_account_never_with_the_pin(
    store: Store, actor: str
) -> None:
    for _n in range(FREE_ATTEMPTS):
        check_pin(store, actor, WRONG, START)
    with pytest.raises(AccountLocked):
        check_pin(store, actor, PIN, START)
    rows = _audit(store)[-(FREE_ATTEMPTS + 1) :]
    failures = [f"failures={n + 1}" for n in range(FREE_ATTEMPTS)]
    assert rows == [(actor, "failed-sign-in", actor, d) for d in [*failures, "locked"]]
    assert not any(PIN in str(r) or WRONG in str(r) for r in _audit(store))


def test_a_sign_in_gives_the_account_with_its_name_and_role(store: Store) -> None:
    """The role decides what the person may do (holds, purges, the console): it comes back
    from the check exactly as stored, never guessed."""
    with store.transaction() as conn:
        volunteer = insert_account(conn, "Val Volunteer", Role.VOLUNTEER.value, hash_pin("902714"))
    assert check_pin(store, volunteer, "902714", START) == Account(
        volunteer, "Val Volunteer", Role.VOLUNTEER
    )
    supervisor = next(a for a in list_accounts(store) if a.role is Role.SUPERVISOR)
    assert check_pin(store, supervisor.id, PIN, START) == Account(
        supervisor.id, SUPERVISOR, Role.SUPERVISOR
    )


def test_a_sign_in_is_audited_under_the_action_asked_for(store: Store, actor: str) -> None:
    assert check_pin(store, actor, PIN, START) is not None
    assert check_pin(store, actor, PIN, START, action="unlock") is not None
    assert _audit(store)[-2:] == [(actor, "sign-in", actor, ""), (actor, "unlock", actor, "")]


def test_an_unknown_account_is_refused_and_nothing_is_written(store: Store) -> None:
    before = _audit(store)
    assert check_pin(store, "no-such-account", PIN, START) is None
    assert _audit(store) == before


def test_an_event_is_audited_against_the_account_that_caused_it(store: Store, actor: str) -> None:
    record_event(store, actor, "lock")
    assert _audit(store)[-1] == (actor, "lock", actor, "")


def test_an_account_name_is_kept_without_its_surrounding_spaces(store: Store) -> None:
    with store.transaction() as conn:
        new = insert_account(conn, "  Val Volunteer \n", Role.VOLUNTEER.value, hash_pin("902714"))
    assert ("Val Volunteer", Role.VOLUNTEER) in [
        (a.display_name, a.role) for a in list_accounts(store) if a.id == new
    ]


def test_an_account_is_created_with_a_utc_time(store: Store) -> None:
    before = datetime.now(UTC)
    with store.transaction() as conn:
        new = insert_account(conn, "Val Volunteer", Role.VOLUNTEER.value, hash_pin("902714"))
    created = store.query("SELECT created_at FROM accounts WHERE id = ?", (new,))[0][0]
    assert before <= datetime.fromisoformat(created) <= datetime.now(UTC)  # naive: TypeError


def test_an_account_with_an_unknown_role_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="administrator"), store.transaction() as conn:
        insert_account(conn, "Val Volunteer", "administrator", hash_pin("902714"))
    assert len(list_accounts(store)) == 1


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "bcrypt$16384$8$1$00$00",  # another scheme
        "scrypt$16384$8$1$zz$00",  # a salt that is not hex
        "scrypt$16384$8$1$00",  # a field missing
        "scrypt$16384$8$1$00$00$00",  # a field too many
        "scrypt$0$8$1$00$00",  # parameters scrypt refuses
    ],
)
def test_a_damaged_or_foreign_pin_hash_accepts_no_pin(stored: str) -> None:
    assert verify_pin(PIN, stored) is False
    assert verify_pin("", stored) is False


def test_a_pin_hash_accepts_its_pin_and_no_other() -> None:
    stored = hash_pin(PIN)
    assert verify_pin(PIN, stored) is True
    assert verify_pin(PIN[:-1], stored) is False
    assert verify_pin(PIN + "0", stored) is False
    assert hash_pin(PIN) != stored  # salted: the same PIN never hashes the same twice
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, int(n), int(r), int(p)) == ("scrypt", 2**14, 8, 1)
    assert len(bytes.fromhex(salt)) == 16
    assert len(bytes.fromhex(digest)) == 32


def test_a_lock_set_at_the_current_time_is_kept_in_utc_and_holds(store: Store, actor: str) -> None:
    """Without an explicit time, the lock is computed from the current UTC time: a lock kept
    without its zone could not be compared with one written by another station."""
    before = datetime.now(UTC)
    for _ in range(FREE_ATTEMPTS):
        assert check_pin(store, actor, WRONG) is None
    until = _locked_until(store, actor)
    assert until is not None
    assert until.utcoffset() == timedelta(0)
    assert before + FIRST_LOCK <= until <= datetime.now(UTC) + FIRST_LOCK
    with pytest.raises(AccountLocked):
        check_pin(store, actor, PIN, before)  # an explicit time inside the lock: refused
