"""PIN checks and lockouts, proven from the refusing side (docs/mutation.md): each test fails
when mutation testing changes the line that refuses (a lock that no longer grows, a lock that
ends a moment early, an attempt audited without its account, a malformed hash accepted). On both
stores (`any_store`); the server keeps its own clock (see `Clock`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from intake.accounts import Account, Role
from intake.pins import hash_pin, verify_pin
from intake.storage.account_store import FIRST_LOCK, FREE_ATTEMPTS, LONGEST_LOCK, lock_duration
from intake.storage.errors import AccountLocked
from intake.storage.interface import RecordStore
from tests.conftest import PIN, SUPERVISOR
from tests.storage.helpers import RawSql

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
WRONG = "000000"
# How far from its end a lock is probed on the server, whose clock runs on while the test does.
SERVER_SLACK = timedelta(seconds=10)


class Clock:
    """The time a PIN is checked at. The file's check takes the station's time, so the test
    moves that (exactly). The server's function reads its own clock and never a station's, so
    there time passes by moving the lock back by as much, as the server's owner can; and a lock's
    length is read against the server's clock, to within SERVER_SLACK."""

    def __init__(self, store: RecordStore) -> None:
        self.store = store
        self.raw = RawSql(store)
        self.at = START

    def check(self, account: str, pin: str, **kwargs: str) -> Account | None:
        return self.store.check_pin(account, pin, None if self.raw.on_server else self.at, **kwargs)

    def wait(self, delta: timedelta) -> None:
        self.at += delta
        if self.raw.on_server:
            self.raw.query("UPDATE accounts SET locked_until = locked_until - ?", (delta,))

    def before_the_end(self, delta: timedelta) -> timedelta:
        """A probe `delta` before a lock ends (SERVER_SLACK on the server)."""
        return max(delta, SERVER_SLACK) if self.raw.on_server else delta

    def locked_until(self, account: str) -> datetime | None:
        value = self.raw.query("SELECT locked_until FROM accounts WHERE id = ?", (account,))[0][0]
        if value is None or isinstance(value, datetime):
            return value
        return datetime.fromisoformat(value)

    def assert_locked_for(self, account: str, length: timedelta) -> None:
        if self.raw.on_server:
            left = self.raw.query(
                "SELECT locked_until - now() FROM accounts WHERE id = ?", (account,)
            )[0][0]
            assert length - SERVER_SLACK < left <= length
        else:
            assert self.locked_until(account) == self.at + length


def _audit(store: RecordStore) -> list[tuple[str | None, str, str | None, str]]:
    return [
        (actor, action, record, detail) for action, actor, record, detail in store.audit_trail()
    ]


def test_each_failure_after_the_free_tries_doubles_the_lock_up_to_its_longest() -> None:
    assert [lock_duration(n) for n in range(FREE_ATTEMPTS)] == [None] * FREE_ATTEMPTS
    doubling = [lock_duration(FREE_ATTEMPTS + n) for n in range(4)]
    assert doubling == [FIRST_LOCK, FIRST_LOCK * 2, FIRST_LOCK * 4, FIRST_LOCK * 8]
    assert lock_duration(FREE_ATTEMPTS + 10) == LONGEST_LOCK
    assert lock_duration(FREE_ATTEMPTS + 60) == LONGEST_LOCK  # no overflow, no wrap


def test_a_long_siege_of_wrong_pins_still_locks_and_counts_every_try(
    any_store: RecordStore, any_actor: str
) -> None:
    """Found by mutation testing: the doubling overflowed after 46 failures, so every later
    wrong PIN raised inside its transaction: not counted, not audited, and no lock at all."""
    clock = Clock(any_store)
    clock.raw.query("UPDATE accounts SET failed_pins = 45 WHERE id = ?", (any_actor,))
    for _n in range(3):
        assert clock.check(any_actor, WRONG) is None
        clock.assert_locked_for(any_actor, LONGEST_LOCK)
        almost = clock.before_the_end(timedelta(seconds=1))
        clock.wait(LONGEST_LOCK - almost)
        with pytest.raises(AccountLocked):
            clock.check(any_actor, PIN)
        clock.wait(almost)
    failed = clock.raw.query("SELECT failed_pins FROM accounts WHERE id = ?", (any_actor,))
    assert failed[0][0] == 48
    assert _audit(any_store)[-1] == (any_actor, "failed-sign-in", any_actor, "locked")


def test_the_right_pin_is_refused_until_the_very_end_of_the_lock(
    any_store: RecordStore, any_actor: str
) -> None:
    clock = Clock(any_store)
    for n in range(FREE_ATTEMPTS):
        assert clock.check(any_actor, WRONG) is None
        if n < FREE_ATTEMPTS - 1:
            clock.wait(timedelta(seconds=1))
    clock.assert_locked_for(any_actor, FIRST_LOCK)
    almost = clock.before_the_end(timedelta(microseconds=1))
    clock.wait(FIRST_LOCK - almost)
    with pytest.raises(AccountLocked):
        clock.check(any_actor, PIN)
    # The lock has ended at its stated time: the right PIN opens, and clears the count.
    clock.wait(almost)
    account = clock.check(any_actor, PIN)
    assert account is not None
    assert account.id == any_actor
    rows = clock.raw.query(
        "SELECT failed_pins, locked_until FROM accounts WHERE id = ?", (any_actor,)
    )
    assert tuple(rows[0]) == (0, None)


def test_a_wrong_pin_after_a_lock_ends_locks_again_for_twice_as_long(
    any_store: RecordStore, any_actor: str
) -> None:
    clock = Clock(any_store)
    for _ in range(FREE_ATTEMPTS):
        clock.check(any_actor, WRONG)
    clock.wait(FIRST_LOCK)
    assert clock.check(any_actor, WRONG) is None
    clock.assert_locked_for(any_actor, FIRST_LOCK * 2)


def test_every_refused_try_is_audited_against_its_account_never_with_the_pin(
    any_store: RecordStore, any_actor: str
) -> None:
    clock = Clock(any_store)
    for _n in range(FREE_ATTEMPTS):
        clock.check(any_actor, WRONG)
    with pytest.raises(AccountLocked):
        clock.check(any_actor, PIN)
    rows = _audit(any_store)[-(FREE_ATTEMPTS + 1) :]
    failures = [f"failures={n + 1}" for n in range(FREE_ATTEMPTS)]
    assert rows == [(any_actor, "failed-sign-in", any_actor, d) for d in [*failures, "locked"]]
    assert not any(PIN in str(r) or WRONG in str(r) for r in _audit(any_store))


def test_a_sign_in_gives_the_account_with_its_name_and_role(any_store: RecordStore) -> None:
    """The role decides what the person may do (holds, purges, the console): it comes back
    from the check exactly as stored, never guessed."""
    volunteer = any_store.add_account("Val Volunteer", Role.VOLUNTEER.value, hash_pin("902714"))
    assert any_store.check_pin(volunteer, "902714", START) == Account(
        volunteer, "Val Volunteer", Role.VOLUNTEER
    )
    supervisor = next(a for a in any_store.list_accounts() if a.role is Role.SUPERVISOR)
    assert any_store.check_pin(supervisor.id, PIN, START) == Account(
        supervisor.id, SUPERVISOR, Role.SUPERVISOR
    )


def test_a_sign_in_is_audited_under_the_action_asked_for(
    any_store: RecordStore, any_actor: str
) -> None:
    assert any_store.check_pin(any_actor, PIN, START) is not None
    assert any_store.check_pin(any_actor, PIN, START, action="unlock") is not None
    assert _audit(any_store)[-2:] == [
        (any_actor, "sign-in", any_actor, ""),
        (any_actor, "unlock", any_actor, ""),
    ]


def test_an_unknown_account_is_refused_and_nothing_is_written(any_store: RecordStore) -> None:
    before = _audit(any_store)
    assert any_store.check_pin("no-such-account", PIN, START) is None
    assert _audit(any_store) == before


def test_an_event_is_audited_against_the_account_that_caused_it(
    any_store: RecordStore, any_actor: str
) -> None:
    any_store.record_event(any_actor, "lock")
    assert _audit(any_store)[-1] == (any_actor, "lock", any_actor, "")


def test_an_account_name_is_kept_without_its_surrounding_spaces(any_store: RecordStore) -> None:
    new = any_store.add_account("  Val Volunteer \n", Role.VOLUNTEER.value, hash_pin("902714"))
    assert ("Val Volunteer", Role.VOLUNTEER) in [
        (a.display_name, a.role) for a in any_store.list_accounts() if a.id == new
    ]


def test_an_account_is_created_with_a_utc_time(any_store: RecordStore) -> None:
    before = datetime.now(UTC)
    new = any_store.add_account("Val Volunteer", Role.VOLUNTEER.value, hash_pin("902714"))
    created = RawSql(any_store).query("SELECT created_at FROM accounts WHERE id = ?", (new,))[0][0]
    if not isinstance(created, datetime):
        created = datetime.fromisoformat(created)
    assert before <= created <= datetime.now(UTC)  # naive: TypeError


def test_an_account_with_an_unknown_role_is_refused(any_store: RecordStore) -> None:
    with pytest.raises(ValueError, match="administrator"):
        any_store.add_account("Val Volunteer", "administrator", hash_pin("902714"))
    assert len(any_store.list_accounts()) == 1


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


def test_a_lock_set_at_the_current_time_is_kept_in_utc_and_holds(
    any_store: RecordStore, any_actor: str
) -> None:
    """Without an explicit time, the lock is computed from the current UTC time: a lock kept
    without its zone could not be compared with one written by another station."""
    clock = Clock(any_store)
    before = datetime.now(UTC)
    for _ in range(FREE_ATTEMPTS):
        assert any_store.check_pin(any_actor, WRONG) is None
    until = clock.locked_until(any_actor)
    assert until is not None
    if clock.raw.on_server:
        assert until.tzinfo is not None  # timestamptz: an instant, whatever the session's zone
    else:
        assert until.utcoffset() == timedelta(0)
    assert before + FIRST_LOCK <= until <= datetime.now(UTC) + FIRST_LOCK
    with pytest.raises(AccountLocked):
        any_store.check_pin(any_actor, PIN, before)  # an explicit time inside the lock: refused
