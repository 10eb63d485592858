"""The supervisor console's service: every action a supervisor's only, refused to a volunteer
(from the refusing side), and audited without names, PINs or numbers. On both stores
(`any_store`)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from intake.accounts import Role
from intake.pins import hash_pin
from intake.services import accounts as console
from intake.settings import Settings
from intake.storage.account_store import active_accounts
from intake.storage.errors import AccountDisabled, NotAllowed
from intake.storage.interface import RecordStore
from intake.storage.local import LocalRecords
from tests.conftest import PIN
from tests.storage.helpers import RawSql, contact, purge


def _volunteer(any_store: RecordStore) -> str:
    return any_store.add_account("Volunteer Vi", Role.VOLUNTEER.value, hash_pin("902714"))


def _offered(any_store: RecordStore) -> set[str]:
    """The accounts offered at sign-in (the file's session lists the active ones; the server's
    own list leaves a disabled account out)."""
    if isinstance(any_store, LocalRecords):
        return {a.id for a in active_accounts(any_store.store)}
    return {a.id for a in any_store.list_accounts()}


def test_a_supervisor_adds_an_account_that_can_sign_in(
    any_store: RecordStore, any_actor: str
) -> None:
    new = console.add_account(any_store, any_actor, "  Dr Lee  ", "volunteer", "739251")
    account = any_store.check_pin(new, "739251")
    assert account is not None
    assert account.display_name == "Dr Lee"
    assert account.role is Role.VOLUNTEER
    details = [
        tuple(r)
        for r in RawSql(any_store).query("SELECT detail FROM audit WHERE action = 'console'")
    ]
    assert details == [("account-added role=volunteer",)]
    assert "Lee" not in repr(RawSql(any_store).query("SELECT * FROM audit"))


@pytest.mark.parametrize(
    ("name", "pin", "error"),
    [
        ("", "739251", console.BadName),
        ("Dr Sam Okafor", "739251", console.BadName),  # taken (the fixture's supervisor)
        ("Dr Lee", "1234", console.BadPin),
        ("Dr Lee", "000000", console.BadPin),
        ("Dr Lee", "12ab56", console.BadPin),
    ],
)
def test_bad_accounts_are_refused(
    any_store: RecordStore, any_actor: str, name: str, pin: str, error: type[Exception]
) -> None:
    before = RawSql(any_store).query("SELECT count(*) FROM accounts")
    with pytest.raises(error):
        console.add_account(any_store, any_actor, name, "volunteer", pin)
    assert RawSql(any_store).query("SELECT count(*) FROM accounts") == before


def test_a_volunteer_is_refused_every_console_action(
    any_store: RecordStore, any_actor: str
) -> None:
    volunteer = _volunteer(any_store)
    record = contact()
    any_store.save_contact(record, any_actor)
    refused = [
        lambda: console.accounts(any_store, volunteer),
        lambda: console.add_account(any_store, volunteer, "Dr Lee", "supervisor", "739251"),
        lambda: console.reset_pin(any_store, volunteer, any_actor, "739251"),
        lambda: console.clear_lockout(any_store, volunteer, any_actor),
        lambda: console.set_on_call_contact(any_store, volunteer, "Me, 555-0100"),
        lambda: console.set_idle_minutes(any_store, volunteer, 600),
        lambda: console.set_retention_days(any_store, volunteer, 3000),
        lambda: console.hold_record(any_store, volunteer, record.id, True),
        lambda: console.set_disabled(any_store, volunteer, any_actor, True),
        lambda: console.set_kiosk_policy(
            any_store, volunteer, console.KioskPolicy(60, 10, 600, "flag")
        ),
    ]
    for action in refused:
        with pytest.raises(NotAllowed):
            action()
    assert console.on_call_contact(any_store) is None
    assert RawSql(any_store).read("contacts", "on_hold") == [(0,)]
    assert RawSql(any_store).query("SELECT count(*) FROM audit WHERE action = 'console'") == [(0,)]
    assert RawSql(any_store).query(
        "SELECT count(*) FROM accounts WHERE disabled_at IS NOT NULL"
    ) == [(0,)]
    assert console.setting(any_store, "kiosk_idle_seconds") is None


def test_pin_reset_and_lockout(any_store: RecordStore, any_actor: str) -> None:
    volunteer = _volunteer(any_store)
    RawSql(any_store).query(
        "UPDATE accounts SET failed_pins = 7, locked_until = '2999-01-01T00:00:00+00:00' "
        "WHERE id = ?",
        (volunteer,),
    )
    locked = next(a for a in console.accounts(any_store, any_actor) if a.id == volunteer)
    assert locked.failed_pins == 7
    assert locked.locked_until is not None
    console.clear_lockout(any_store, any_actor, volunteer)
    assert RawSql(any_store).read(
        "accounts", "failed_pins, locked_until", "WHERE id = ?", (volunteer,)
    ) == [(0, None)]
    console.reset_pin(any_store, any_actor, volunteer, "582039")
    assert any_store.check_pin(volunteer, "582039") is not None


def test_settings_live_in_the_encrypted_store(any_store: RecordStore, any_actor: str) -> None:
    console.set_on_call_contact(any_store, any_actor, "Dr Roy, 613-555-0100")
    console.set_idle_minutes(any_store, any_actor, 10)
    console.set_retention_days(any_store, any_actor, 730)
    assert console.on_call_contact(any_store) == "Dr Roy, 613-555-0100"
    assert console.setting(any_store, "idle_lock_minutes") == "10"
    assert console.setting(any_store, "retention_days") == "730"
    with pytest.raises(console.OutOfRange):
        console.set_idle_minutes(any_store, any_actor, 0)
    with pytest.raises(console.OutOfRange):
        console.set_retention_days(any_store, any_actor, 5)
    audit_rows = repr(RawSql(any_store).query("SELECT * FROM audit"))
    assert "Roy" not in audit_rows
    assert "613-555-0100" not in audit_rows
    record = contact()
    any_store.save_contact(record, any_actor)
    console.hold_record(any_store, any_actor, record.id, True)
    assert RawSql(any_store).read("contacts", "on_hold") == [(1,)]


def test_the_name_limit_said_is_the_limit_kept() -> None:
    from intake.storage.errors import MAX_NAME_LENGTH

    assert f"at most {MAX_NAME_LENGTH} characters" in console.BadName.title


@pytest.mark.parametrize(
    ("role", "expected"),
    [("coordinator", Role.COORDINATOR), ("peer-supporter", Role.PEER_SUPPORTER)],
)
def test_a_supervisor_adds_coordinators_and_peer_supporters(
    any_store: RecordStore, any_actor: str, role: str, expected: Role
) -> None:
    # Migration 9 widened the accounts table's role check for the matching roles.
    new = console.add_account(any_store, any_actor, "Dr Rae Kim", role, "739251")
    account = any_store.check_pin(new, "739251")
    assert account is not None
    assert account.role is expected


def test_the_store_still_refuses_a_role_outside_the_vocabulary(any_store: RecordStore) -> None:
    # The CHECK itself, below the Python that would refuse it first.
    raw = RawSql(any_store)
    name = raw.seal("accounts", "display_name", "a", "Dr Who")
    pin_hash = b"x" if raw.on_server else "x"
    with pytest.raises(raw.refused), raw.transaction() as run:
        run(
            "INSERT INTO accounts (id, display_name, role, pin_hash, created_at) "
            "VALUES ('a', ?, 'admin', ?, '2026-12-01')",
            (name, pin_hash),
        )
    with pytest.raises(ValueError, match="cannot be added"):
        console.add_account(any_store, "nobody", "Dr Who", "kiosk", "739251")


def test_a_disabled_account_can_neither_sign_in_nor_unlock(
    any_store: RecordStore, any_actor: str
) -> None:
    volunteer = console.add_account(any_store, any_actor, "Dr Lee", "volunteer", "739251")
    console.set_disabled(any_store, any_actor, volunteer, True)
    for action in ("sign-in", "unlock"):
        with pytest.raises(AccountDisabled):  # the right PIN, refused
            any_store.check_pin(volunteer, "739251", action=action)
    assert volunteer not in _offered(any_store)  # not offered at sign-in
    shown = next(a for a in console.accounts(any_store, any_actor) if a.id == volunteer)
    assert shown.disabled
    details = [
        r[0]
        for r in RawSql(any_store).query("SELECT detail FROM audit WHERE record = ?", (volunteer,))
    ]
    assert "account-disabled" in details
    assert details.count("disabled") == 2  # each refused try audited
    console.set_disabled(any_store, any_actor, volunteer, False)
    assert any_store.check_pin(volunteer, "739251") is not None
    assert "account-enabled" in [
        r[0]
        for r in RawSql(any_store).query("SELECT detail FROM audit WHERE record = ?", (volunteer,))
    ]


def test_no_one_disables_themselves_nor_so_the_last_supervisor(
    any_store: RecordStore, any_actor: str
) -> None:
    with pytest.raises(console.CannotDisableSelf):  # the only supervisor, refused
        console.set_disabled(any_store, any_actor, any_actor, True)
    other = console.add_account(any_store, any_actor, "Dr Lee", "supervisor", "739251")
    console.set_disabled(any_store, other, any_actor, True)  # another supervisor remains: allowed
    with pytest.raises(AccountDisabled):
        any_store.check_pin(any_actor, PIN)
    # The one left cannot disable themselves; and the disabled one, though a window of theirs
    # may still be open, can no longer do anything in the console.
    with pytest.raises(console.CannotDisableSelf):
        console.set_disabled(any_store, other, other, True)
    with pytest.raises(NotAllowed):
        console.set_disabled(any_store, any_actor, other, True)
    with pytest.raises(NotAllowed):
        console.accounts(any_store, any_actor)
    assert any_store.check_pin(other, "739251") is not None
    enabled = RawSql(any_store).query(
        "SELECT count(*) FROM accounts WHERE role = 'supervisor' AND disabled_at IS NULL"
    )
    assert enabled == [(1,)]


def test_the_idle_lock_and_retention_saved_are_the_ones_read(
    any_store: RecordStore, any_actor: str
) -> None:
    assert console.idle_minutes(any_store) is None  # not set: the settings file's value applies
    console.set_idle_minutes(any_store, any_actor, 7)
    assert console.idle_minutes(any_store) == 7
    # The retention period the console saves is the one the purge (`intake db purge`) uses.
    old = contact(started_at="2026-01-01T10:00:00+00:00")
    any_store.save_contact(old, any_actor)
    now = datetime(2026, 3, 1, tzinfo=UTC)  # 59 days later: kept under the default 365
    assert purge(any_store, now, any_actor, dry_run=True).contacts_shredded == 0
    console.set_retention_days(any_store, any_actor, 30)
    assert console.retention_days(any_store) == 30
    assert purge(any_store, now, any_actor).contacts_shredded == 1


def test_the_kiosk_policy_moves_to_the_store(any_store: RecordStore, any_actor: str) -> None:
    older_station = Settings(kiosk_idle_seconds=90, kiosk_staff_alert="flag")
    policy = console.kiosk_policy(any_store, older_station)
    assert policy == console.KioskPolicy(90, 30, 1800, "flag")  # the file's, until saved here
    console.set_kiosk_policy(
        any_store, any_actor, console.KioskPolicy(45, 20, 900, "sound-and-flag")
    )
    assert console.kiosk_policy(any_store, older_station) == console.KioskPolicy(
        45, 20, 900, "sound-and-flag"
    )
    with pytest.raises(console.KioskOutOfRange):
        console.set_kiosk_policy(any_store, any_actor, console.KioskPolicy(5, 20, 900, "flag"))
    assert console.kiosk_policy(any_store, older_station).idle_seconds == 45
    assert "kiosk-policy" in [r[0] for r in RawSql(any_store).query("SELECT detail FROM audit")]


def test_an_on_call_contact_too_long_for_the_store_stays_in_the_settings_file(
    any_store: RecordStore, tmp_path: Path
) -> None:
    """A reviewer's finding: an older settings file accepted any length; moving a contact the
    any_store refuses took it out of the file anyway, and the crisis route then said "not set"."""
    from dataclasses import replace

    from intake.settings import SettingsFile

    long_contact = "Dr " + "Tremblay-" * 11 + ", 613-555-0101"
    assert len(long_contact) > console.MAX_NAME_LENGTH
    settings_file = SettingsFile(tmp_path / "settings.json")
    settings_file.save(replace(Settings(), on_call_contact=long_contact))
    console.move_on_call_contact(any_store, settings_file)
    assert console.on_call_contact(any_store) is None
    assert settings_file.load().on_call_contact == long_contact  # still shown by the crisis route
