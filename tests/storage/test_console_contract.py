"""The supervisor console's service on both stores (issue 18): the SQLCipher file and the shared
PostgreSQL server (`any_store`). The same actions, the same refusals (from the refusing side),
the same audit without names, PINs or numbers; on the server the on-call contact is sealed on
the station and a disabled account is refused by the server itself."""

from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from intake.accounts import Role
from intake.pins import hash_pin
from intake.services import accounts as console
from intake.settings import Settings, SettingsFile
from intake.storage import retention
from intake.storage.account_store import FREE_ATTEMPTS
from intake.storage.errors import AccountDisabled, AccountLocked, NotAllowed
from intake.storage.interface import RecordStore
from intake.storage.local import LocalRecords
from intake.storage.pg.store import PgStore, open_shared_store
from tests.conftest import PASSPHRASE, PIN
from tests.storage.helpers import contact

ON_CALL = "Dr Roy, 613-555-0100"


def _details(store: RecordStore) -> list[str]:
    return [detail for action, _a, _r, detail in store.audit_trail() if action == "console"]


def _purge(store: RecordStore, now: datetime, actor: str) -> int:
    if isinstance(store, LocalRecords):
        return retention.purge(store.store, now, actor).contacts_shredded
    assert isinstance(store, PgStore)
    return store.purge(now, actor).contacts_shredded


def test_a_supervisor_adds_an_account_that_can_sign_in(
    any_store: RecordStore, any_actor: str
) -> None:
    new = console.add_account(any_store, any_actor, "  Dr Lee  ", "volunteer", "739251")
    account = any_store.check_pin(new, "739251")
    assert account is not None
    assert account.display_name == "Dr Lee"
    assert account.role is Role.VOLUNTEER
    assert new in {a.id for a in any_store.list_accounts()}
    assert _details(any_store) == ["account-added role=volunteer"]
    assert "Lee" not in repr(any_store.audit_trail())
    with pytest.raises(console.BadName):  # a name another account uses, whatever its case
        console.add_account(any_store, any_actor, "dr lee", "supervisor", "582039")
    assert len(console.accounts(any_store, any_actor)) == 2


def test_a_volunteer_is_refused_every_console_action(
    any_store: RecordStore, any_actor: str
) -> None:
    volunteer = any_store.add_account("Volunteer Vi", "volunteer", hash_pin(PIN))
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
    assert console.idle_minutes(any_store) is None
    assert console.setting(any_store, "kiosk_idle_seconds") is None
    assert not any_store.on_hold(record.id)
    assert _details(any_store) == []
    assert not any(a.disabled for a in console.accounts(any_store, any_actor))


def test_settings_are_kept_and_read_back(any_store: RecordStore, any_actor: str) -> None:
    console.set_on_call_contact(any_store, any_actor, ON_CALL)
    console.set_idle_minutes(any_store, any_actor, 10)
    console.set_kiosk_policy(any_store, any_actor, console.KioskPolicy(45, 20, 900, "flag"))
    assert console.on_call_contact(any_store) == ON_CALL
    assert console.idle_minutes(any_store) == 10
    assert console.kiosk_policy(any_store, Settings()) == console.KioskPolicy(45, 20, 900, "flag")
    with pytest.raises(console.OutOfRange):
        console.set_idle_minutes(any_store, any_actor, 0)
    with pytest.raises(console.KioskOutOfRange):
        console.set_kiosk_policy(any_store, any_actor, console.KioskPolicy(5, 20, 900, "flag"))
    assert console.idle_minutes(any_store) == 10
    console.set_on_call_contact(any_store, any_actor, "  ")  # emptied: not set any more
    assert console.on_call_contact(any_store) is None
    audit_rows = repr(any_store.audit_trail())
    assert "Roy" not in audit_rows
    assert "613-555-0100" not in audit_rows


def test_the_retention_saved_is_the_one_the_purge_uses(
    any_store: RecordStore, any_actor: str
) -> None:
    old = contact(started_at="2026-01-01T10:00:00+00:00")
    any_store.save_contact(old, any_actor)
    now = datetime(2026, 3, 1, tzinfo=UTC)  # 59 days later: kept under the default 365
    assert _purge(any_store, now, any_actor) == 0
    console.set_retention_days(any_store, any_actor, 30)
    assert console.retention_days(any_store) == 30
    assert _purge(any_store, now, any_actor) == 1


def test_pin_reset_and_lockout(any_store: RecordStore, any_actor: str) -> None:
    volunteer = console.add_account(any_store, any_actor, "Dr Lee", "volunteer", "739251")
    for _try in range(FREE_ATTEMPTS + 1):
        with contextlib.suppress(AccountLocked):
            any_store.check_pin(volunteer, "000111")
    locked = next(a for a in console.accounts(any_store, any_actor) if a.id == volunteer)
    assert locked.failed_pins >= FREE_ATTEMPTS
    assert locked.locked_until is not None
    console.clear_lockout(any_store, any_actor, volunteer)
    cleared = next(a for a in console.accounts(any_store, any_actor) if a.id == volunteer)
    assert (cleared.failed_pins, cleared.locked_until) == (0, None)
    console.reset_pin(any_store, any_actor, volunteer, "582039")
    assert any_store.check_pin(volunteer, "739251") is None  # the old PIN no longer opens it
    assert any_store.check_pin(volunteer, "582039") is not None
    done = [d for d in _details(any_store) if d != "accounts-listed"]
    assert done[-2:] == ["lockout-cleared", "pin-reset"]


def test_a_disabled_account_is_refused_then_enabled_again(
    any_store: RecordStore, any_actor: str
) -> None:
    volunteer = console.add_account(any_store, any_actor, "Dr Lee", "volunteer", "739251")
    console.set_disabled(any_store, any_actor, volunteer, True)
    for action in ("sign-in", "unlock"):
        with pytest.raises(AccountDisabled):  # the right PIN, refused
            any_store.check_pin(volunteer, "739251", action=action)
    shown = next(a for a in console.accounts(any_store, any_actor) if a.id == volunteer)
    assert shown.disabled
    console.reset_pin(any_store, any_actor, volunteer, "582039")  # still disabled after it
    with pytest.raises(AccountDisabled):
        any_store.check_pin(volunteer, "582039")
    console.set_disabled(any_store, any_actor, volunteer, False)
    assert any_store.check_pin(volunteer, "582039") is not None
    assert "account-disabled" in _details(any_store)
    assert "account-enabled" in _details(any_store)


def test_no_one_disables_themselves_nor_so_the_last_supervisor(
    any_store: RecordStore, any_actor: str
) -> None:
    with pytest.raises(console.CannotDisableSelf):
        console.set_disabled(any_store, any_actor, any_actor, True)
    other = console.add_account(any_store, any_actor, "Dr Lee", "supervisor", "739251")
    console.set_disabled(any_store, other, any_actor, True)  # another supervisor remains
    with pytest.raises(AccountDisabled):
        any_store.check_pin(any_actor, PIN)
    with pytest.raises(NotAllowed):  # the disabled one can no longer act in the console
        console.set_disabled(any_store, any_actor, other, True)
    with pytest.raises(NotAllowed):
        console.accounts(any_store, any_actor)
    assert any_store.check_pin(other, "739251") is not None


# One store only: two stations racing on the server (the file has one station at a time).
def test_two_supervisors_disabling_each_other_at_once_leave_one(
    pg_dsn: str, shared_store_for_race: PgStore
) -> None:
    """On the server, from two stations: the supervisors' rows are locked before counting, so
    exactly one of the two disables succeeds and one supervisor can still sign in."""
    first = shared_store_for_race.list_accounts()[0].id
    second = console.add_account(shared_store_for_race, first, "Dr Lee", "supervisor", "739251")
    stations = [open_shared_store(pg_dsn, PASSPHRASE) for _ in range(2)]
    try:

        def disable(pair: tuple[PgStore, str, str]) -> str:
            station, actor, target = pair
            try:
                console.set_disabled(station, actor, target, True)
            except (console.LastSupervisor, NotAllowed) as exc:
                return type(exc).__name__
            return "done"

        with ThreadPoolExecutor(2) as pool:
            results = sorted(
                pool.map(disable, [(stations[0], first, second), (stations[1], second, first)])
            )
    finally:
        for station in stations:
            station.close()
    assert results.count("done") == 1
    assert set(results) - {"done"} <= {"LastSupervisor", "NotAllowed"}
    assert shared_store_for_race.query(
        "SELECT count(*) FROM accounts WHERE role = 'supervisor' AND disabled_at IS NULL"
    ) == [(1,)]


@pytest.fixture
def shared_store_for_race(pg_dsn: str) -> PgStore:
    from tests.storage.conftest import make_shared_store

    store = make_shared_store(pg_dsn)
    yield store  # type: ignore[misc]
    store.close()


def test_on_the_server_the_on_call_contact_is_sealed_and_the_disabled_not_offered(
    shared_store_for_race: PgStore, tmp_path: Path
) -> None:
    store = shared_store_for_race
    actor = store.list_accounts()[0].id
    # A shared line's first station kept the contact in its settings file: moved, sealed.
    settings_file = SettingsFile(tmp_path / "settings.json")
    settings_file.save(replace(Settings(), on_call_contact=ON_CALL))
    console.move_on_call_contact(store, settings_file)
    assert settings_file.load().on_call_contact is None
    assert console.on_call_contact(store) == ON_CALL
    assert "on-call-contact-moved" in _details(store)
    raw = store.query("SELECT key, value, sealed FROM console_settings")
    assert "Roy" not in repr(raw)
    assert "555" not in repr(raw)
    # A supervisor's contact set since wins over a later station's file.
    console.set_on_call_contact(store, actor, "Dr Kim, 819-555-0199")
    settings_file.save(replace(Settings(), on_call_contact=ON_CALL))
    console.move_on_call_contact(store, settings_file)
    assert console.on_call_contact(store) == "Dr Kim, 819-555-0199"
    # Moved into another key's row, the sealed value does not open (bound to its key).
    with store.writing() as w:
        w.q("UPDATE console_settings SET key = 'idle_lock_minutes' WHERE key = 'on_call_contact'")
    from intake.storage.errors import StoreDamaged

    with pytest.raises(StoreDamaged):
        console.setting(store, "idle_lock_minutes")

    volunteer = console.add_account(store, actor, "Dr Lee", "volunteer", "739251")
    console.set_disabled(store, actor, volunteer, True)
    assert volunteer not in {a.id for a in store.list_accounts()}  # not offered at sign-in
    # The server itself refuses it, whatever a station does: its verifier is set aside.
    with store.writing() as w:
        row = w.q(
            "SELECT outcome FROM intake_pin_attempt(%s, %s)", (volunteer, b"\x00" * 32)
        ).fetchone()
    assert row is not None
    assert row[0] != "right"
    assert store.query(
        "SELECT pin_verifier IS NULL, disabled_verifier IS NOT NULL FROM accounts WHERE id = %s",
        (volunteer,),
    ) == [(True, True)]


# Both stores in every test: a station's file moved into the server.
def test_the_file_console_settings_move_to_the_server(
    store_path: Path, pg_dsn: str, shared_store_for_race: PgStore
) -> None:
    """`intake db move-to-server` takes the console's settings along (a retention period left
    behind would keep the records past the line's policy), the on-call contact sealed; the keys
    moved are every one the console keeps."""
    from intake.storage.pg.console import FILE_KEYS
    from intake.storage.pg.move import move_file_to_server
    from tests.conftest import make_store

    assert set(FILE_KEYS) == {
        console.ON_CALL_KEY,
        console.IDLE_KEY,
        console.RETENTION_KEY,
        console.STAFF_ALERT_KEY,
        *console.KIOSK_RANGES,
    }
    file = make_store(store_path)
    try:
        boss = file.query("SELECT id FROM accounts")[0][0]
        console.set_on_call_contact(file, boss, ON_CALL)
        console.set_retention_days(file, boss, 90)
        console.set_kiosk_policy(file, boss, console.KioskPolicy(45, 20, 900, "flag"))
        move_file_to_server(file, shared_store_for_race, None)
    finally:
        file.close()
    server = shared_store_for_race
    assert console.on_call_contact(server) == ON_CALL
    assert console.retention_days(server) == 90
    assert server.retention_days() == 90  # the one the server's purge uses
    assert console.kiosk_policy(server, Settings()) == console.KioskPolicy(45, 20, 900, "flag")
    assert "Roy" not in repr(server.query("SELECT * FROM console_settings"))


# Both stores in every test: a move from the file refused by the server's grants.
def test_a_login_the_server_lets_only_read_moves_nothing_and_the_file_keeps_the_contact(
    pg_dsn: str, shared_store_for_race: PgStore, tmp_path: Path
) -> None:
    """Refused from the refusing side: a station login with no right to write the console's
    settings (as under row-level security) gets "not allowed", never a traceback, and a
    contact it could not move stays in its settings file for the crisis route."""
    import uuid

    import psycopg

    role = f"reader_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    reader = open_shared_store(psycopg.conninfo.make_conninfo(pg_dsn, user=role), PASSPHRASE)
    try:
        actor = reader.list_accounts()[0].id
        with pytest.raises(NotAllowed):
            console.set_on_call_contact(reader, actor, ON_CALL)
        settings_file = SettingsFile(tmp_path / "settings.json")
        settings_file.save(replace(Settings(), on_call_contact=ON_CALL))
        console.move_on_call_contact(reader, settings_file)
        assert settings_file.load().on_call_contact == ON_CALL
        assert console.on_call_contact(reader) is None
    finally:
        reader.close()
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            conn.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}")
            conn.execute(f"DROP ROLE {role}")
