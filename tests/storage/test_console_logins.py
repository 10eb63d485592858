# One store only (the shared server): the console under each person's own server login (row-level
#   security).
"""The supervisor console under each person's own server login (row-level security on the line's
server; intake/storage/pg/console_security.py). A supervisor's own login runs every console
action through the server's functions; a volunteer's (and a coordinator's) own login is refused
every one of them by the server itself, through the services and with its own SQL, and nothing
changes; nobody's login writes the PIN failure count but through the server's functions.
Against the real throwaway server, from the refusing side."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from psycopg import sql

from intake.pins import hash_pin
from intake.services import accounts as console
from intake.storage.account_store import FREE_ATTEMPTS
from intake.storage.errors import AccountDisabled, AccountLocked, NotAllowed
from intake.storage.pg import console_security, schema, security
from intake.storage.pg.store import PgStore, create_shared_store, open_shared_store
from tests.conftest import PASSPHRASE, PIN, SUPERVISOR
from tests.storage.conftest import make_shared_store
from tests.storage.helpers import contact

ON_CALL = "Dr Roy, 613-555-0100"
NEW_PIN = "739251"
OTHER_PIN = "582039"


@dataclass
class Line:
    owner: PgStore
    stations: dict[str, PgStore]
    accounts: dict[str, str]
    logins: dict[str, str]


def _as(dsn: str, role: str) -> str:
    return dsn.replace("postgresql://intake_admin@", f"postgresql://{role}@")


def _make_line(
    pg_dsn: str, owner: PgStore, statements: list[str] | None = None, *, open_now: bool = True
) -> Line:
    tag = uuid.uuid4().hex[:8]
    accounts = {
        "sup": owner.list_accounts()[0].id,
        "sup2": owner.add_account("Dr Second", "supervisor", hash_pin(PIN)),
        "coord": owner.add_account("Cora", "coordinator", hash_pin(PIN)),
        "vol": owner.add_account("Vi", "volunteer", hash_pin(PIN)),
    }
    logins = {who: f"intake_t{tag}_{who}" for who in accounts}
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        for login in logins.values():
            admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(login)))
        if statements is None:
            security.enable_row_security(admin)
        else:
            with admin.transaction():
                for statement in statements:
                    admin.execute(statement)
        for who, login in logins.items():
            security.map_account(admin, accounts[who], login, supervisor=who != "vol")
    line = Line(owner, {}, accounts, logins)
    if open_now:
        _open_stations(line, pg_dsn)
    return line


def _open_stations(line: Line, pg_dsn: str) -> None:
    line.stations = {
        who: open_shared_store(_as(pg_dsn, login), PASSPHRASE) for who, login in line.logins.items()
    }


def _close(line: Line, pg_dsn: str) -> None:
    for station in line.stations.values():
        station.close()
    line.owner.close()
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        for login in line.logins.values():
            admin.execute(
                sql.SQL("REASSIGN OWNED BY {} TO intake_admin").format(sql.Identifier(login))
            )
            admin.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(login)))


@pytest.fixture
def line(pg_dsn: str) -> Iterator[Line]:
    made = _make_line(pg_dsn, make_shared_store(pg_dsn))
    try:
        yield made
    finally:
        _close(made, pg_dsn)


def _state(owner: PgStore) -> list[Any]:
    """Everything the console could change, as the owner reads it."""
    return [
        owner.query(
            "SELECT id, display_name, role, pin_hash, pin_verifier, failed_pins, locked_until, "
            "disabled_at, disabled_verifier FROM accounts ORDER BY id"
        ),
        owner.query("SELECT key, value, sealed FROM console_settings ORDER BY key"),
    ]


def _lock_out(owner: PgStore, account: str) -> None:
    for _try in range(FREE_ATTEMPTS + 1):
        with contextlib.suppress(AccountLocked):
            owner.check_pin(account, "000111")


def test_a_supervisors_own_login_runs_the_console(line: Line) -> None:
    station, sup, vol = line.stations["sup"], line.accounts["sup"], line.accounts["vol"]
    assert station.session_account == sup
    assert station.query("SELECT session_user")[0][0] == line.logins["sup"]
    listed = console.accounts(station, sup)
    assert {row.name for row in listed} == {SUPERVISOR, "Dr Second", "Cora", "Vi"}

    new = console.add_account(station, sup, "  Dr Lee  ", "volunteer", NEW_PIN)
    assert "Dr Lee" in {a.display_name for a in line.owner.list_accounts()}
    assert line.owner.check_pin(new, NEW_PIN) is not None
    with pytest.raises(console.BadName):  # a name another account uses, whatever its case
        console.add_account(station, sup, "dr lee", "supervisor", OTHER_PIN)

    console.set_disabled(station, sup, new, True)
    with pytest.raises(AccountDisabled):
        line.owner.check_pin(new, NEW_PIN)
    console.set_disabled(station, sup, new, False)
    assert line.owner.check_pin(new, NEW_PIN) is not None

    console.reset_pin(station, sup, vol, OTHER_PIN)
    assert line.owner.check_pin(vol, PIN) is None
    assert line.owner.check_pin(vol, OTHER_PIN) is not None

    _lock_out(line.owner, vol)
    locked = next(a for a in console.accounts(station, sup) if a.id == vol)
    assert locked.locked_until is not None
    console.clear_lockout(station, sup, vol)
    cleared = next(a for a in console.accounts(station, sup) if a.id == vol)
    assert (cleared.failed_pins, cleared.locked_until) == (0, None)

    console.set_on_call_contact(station, sup, ON_CALL)
    console.set_retention_days(station, sup, 400)
    console.set_idle_minutes(station, sup, 15)
    console.set_kiosk_policy(station, sup, console.KioskPolicy(45, 20, 900, "flag"))
    assert console.on_call_contact(line.owner) == ON_CALL
    assert line.owner.retention_days() == 400
    assert console.idle_minutes(line.owner) == 15
    # Sealed on the station: the server keeps no name or number in clear.
    assert line.owner.query("SELECT value FROM console_settings WHERE key = 'on_call_contact'") == [
        (None,)
    ]
    console.set_on_call_contact(station, sup, None)
    assert console.on_call_contact(line.owner) is None

    record = contact()
    line.stations["vol"].save_contact(record, vol)
    console.hold_record(station, sup, record.id, True)
    assert line.owner.on_hold(record.id)
    console.hold_record(station, sup, record.id, False)
    assert not line.owner.on_hold(record.id)
    line.owner.set_hold(record.id, True, sup)  # the owner's role, mapped to no one, may too
    assert line.owner.on_hold(record.id)

    details = [d for a, _who, _r, d in line.owner.audit_trail() if a == "console"]
    assert "account-added role=volunteer" in details
    assert {"account-disabled", "account-enabled", "pin-reset", "lockout-cleared"} <= set(details)
    assert "retention days=400" in details
    trail = repr(line.owner.audit_trail())
    assert "Lee" not in trail
    assert "613-555-0100" not in trail
    assert line.owner.verify_audit() == []


def _service_calls(store: PgStore, actor: str, target: str) -> list[Callable[[], object]]:
    return [
        lambda: console.accounts(store, actor),
        lambda: console.add_account(store, actor, "Dr Lee", "supervisor", NEW_PIN),
        lambda: console.set_disabled(store, actor, target, True),
        lambda: console.reset_pin(store, actor, target, NEW_PIN),
        lambda: console.clear_lockout(store, actor, target),
        lambda: console.set_on_call_contact(store, actor, "Me, 555-0100"),
        lambda: console.set_retention_days(store, actor, 3000),
        lambda: console.set_idle_minutes(store, actor, 600),
        lambda: console.set_kiosk_policy(store, actor, console.KioskPolicy(60, 10, 600, "flag")),
    ]


def _raw_sql(target: str) -> list[tuple[str, tuple[Any, ...]]]:
    new = str(uuid.uuid4())
    return [
        (
            "INSERT INTO accounts (id, display_name, role, pin_hash) "
            "VALUES (%s, 'x', 'supervisor', 'x')",
            (new,),
        ),
        ("UPDATE accounts SET disabled_at = now() WHERE id = %s", (target,)),
        ("UPDATE accounts SET failed_pins = 0, locked_until = NULL WHERE id = %s", (target,)),
        ("UPDATE accounts SET pin_hash = 'x', pin_verifier = NULL WHERE id = %s", (target,)),
        ("UPDATE accounts SET role = 'supervisor' WHERE id = %s", (target,)),
        ("DELETE FROM accounts WHERE id = %s", (target,)),
        ("INSERT INTO console_settings (key, value) VALUES ('retention_days', '31')", ()),
        ("UPDATE console_settings SET value = '31'", ()),
        ("DELETE FROM console_settings", ()),
        ("SELECT intake_console_actor()", ()),
        ("SELECT intake_console_lock_accounts()", ()),
        (
            "SELECT intake_console_add_account(%s, 'x', 'supervisor', 'x', NULL)",
            (new,),
        ),
        ("SELECT intake_console_set_disabled(%s, true)", (target,)),
        ("SELECT intake_console_reset_pin(%s, 'x', NULL)", (target,)),
        ("SELECT intake_console_clear_lockout(%s)", (target,)),
        (
            "SELECT intake_console_put_settings(ARRAY['retention_days'], ARRAY['31'], "
            "ARRAY[NULL]::bytea[], false)",
            (),
        ),
    ]


@pytest.mark.parametrize("who", ["vol", "coord"])
def test_a_volunteers_or_coordinators_own_login_is_refused_everything_by_the_server(
    line: Line, who: str
) -> None:
    """Through the services and with the login's own SQL: refused, and nothing changes. (A
    coordinator's login is in the supervisors' group, to read the answers back; the console
    is a supervisor's, as on the station's file.)"""
    sup, vol = line.accounts["sup"], line.accounts["vol"]
    console.set_retention_days(line.stations["sup"], sup, 400)
    _lock_out(line.owner, vol)  # a lockout the login would like to clear
    station, actor = line.stations[who], line.accounts[who]
    held, free = contact(), contact()
    for record in (held, free):  # its own contacts, which it may write, but not hold
        station.save_contact(record, actor)
    console.hold_record(line.stations["sup"], sup, held.id, True)
    before = _state(line.owner)
    audit_before = len(line.owner.audit_trail())
    for record, hold in ((held, False), (free, True)):
        with pytest.raises(NotAllowed):
            console.hold_record(station, actor, record.id, hold)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            station.query("UPDATE contacts SET on_hold = %s WHERE id = %s", (hold, record.id))
    assert line.owner.on_hold(held.id)
    assert not line.owner.on_hold(free.id)
    for target in (sup, vol, actor):
        for action in _service_calls(station, actor, target):
            with pytest.raises((NotAllowed, console.CannotDisableSelf)):
                action()
        for statement, params in _raw_sql(target):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                station.query(statement, params)
    # Nor as another account, through the services (the server acts as the login's own).
    for action in _service_calls(station, sup, vol):
        with pytest.raises(NotAllowed):
            action()
    assert _state(line.owner) == before
    assert len(line.owner.audit_trail()) == audit_before
    assert line.owner.retention_days() == 400


def test_a_supervisors_login_writes_the_pin_count_only_through_the_servers_functions(
    line: Line,
) -> None:
    station, vol = line.stations["sup"], line.accounts["vol"]
    _lock_out(line.owner, vol)
    before = _state(line.owner)
    for statement in (
        "UPDATE accounts SET failed_pins = 0, locked_until = NULL WHERE id = %s",
        "UPDATE accounts SET pin_verifier = NULL WHERE id = %s",
        "UPDATE accounts SET disabled_at = now() WHERE id = %s",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            station.query(statement, (vol,))
    assert _state(line.owner) == before
    # The console's own function clears it.
    console.clear_lockout(station, line.accounts["sup"], vol)
    assert line.owner.query("SELECT failed_pins FROM accounts WHERE id = %s", (vol,)) == [(0,)]


def test_the_last_supervisor_cannot_be_disabled(line: Line) -> None:
    sup, sup2 = line.accounts["sup"], line.accounts["sup2"]
    first, second = line.stations["sup"], line.stations["sup2"]
    # Not oneself, through the service nor the server's function.
    with pytest.raises(console.CannotDisableSelf):
        console.set_disabled(first, sup, sup, True)
    assert first.query("SELECT intake_console_set_disabled(%s, true)", (sup,)) == [("self",)]
    console.set_disabled(first, sup, sup2, True)  # another supervisor remains: done
    # The one disabled can no longer act: the last supervisor who can sign in stays.
    with pytest.raises(NotAllowed):
        console.set_disabled(second, sup2, sup, True)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        second.query("SELECT intake_console_set_disabled(%s, true)", (sup,))
    assert line.owner.query("SELECT disabled_at FROM accounts WHERE id = %s", (sup,)) == [(None,)]
    assert line.owner.check_pin(sup, PIN) is not None


def test_a_store_whose_row_security_was_on_before_gets_the_console_at_its_owners_open(
    pg_dsn: str,
) -> None:
    """Row security switched on at the version before this step, with the statements of then:
    a supervisor's login cannot run the console until the owner's open has run the step."""
    before = [s for s in security.STATEMENTS if s not in console_security.STATEMENTS]
    owner = create_shared_store(
        pg_dsn,
        PASSPHRASE,
        initialize=lambda w: w.q("SELECT 1"),
        version=schema.STEPS.index(console_security.STEP) + 1,
    )
    owner.add_account(SUPERVISOR, "supervisor", hash_pin(PIN))
    made = _make_line(pg_dsn, owner, before, open_now=False)
    try:
        made.owner.close()
        made.owner = open_shared_store(pg_dsn, PASSPHRASE)  # the owner's open runs the steps
        assert made.owner.query("SELECT value FROM meta WHERE key = 'schema_version'") == [
            (str(schema.VERSION),)
        ]
        _open_stations(made, pg_dsn)
        sup = made.accounts["sup"]
        new = console.add_account(made.stations["sup"], sup, "Dr Lee", "volunteer", NEW_PIN)
        assert made.owner.check_pin(new, NEW_PIN) is not None
        with pytest.raises(NotAllowed):
            console.add_account(
                made.stations["vol"], made.accounts["vol"], "Dr Kim", "volunteer", NEW_PIN
            )
        # The step may run again harmlessly.
        with psycopg.connect(pg_dsn, autocommit=True) as admin, admin.transaction():
            for statement in console_security.STEP:
                admin.execute(statement)
        console.set_retention_days(made.stations["sup"], sup, 400)
        assert made.owner.retention_days() == 400
    finally:
        _close(made, pg_dsn)


def test_two_supervisors_logins_disabling_each_other_at_once_leave_one(line: Line) -> None:
    """Each from their own login: the server function locks every supervisor's row before it
    counts, so one disable is done and the other refused (its supervisor disabled by then)."""
    sup, sup2 = line.accounts["sup"], line.accounts["sup2"]

    def disable(pair: tuple[PgStore, str, str]) -> str:
        station, actor, target = pair
        try:
            console.set_disabled(station, actor, target, True)
        except (console.LastSupervisor, NotAllowed) as exc:
            return type(exc).__name__
        return "done"

    with ThreadPoolExecutor(2) as pool:
        results = sorted(
            pool.map(
                disable,
                [(line.stations["sup"], sup, sup2), (line.stations["sup2"], sup2, sup)],
            )
        )
    assert results.count("done") == 1
    assert set(results) - {"done"} <= {"LastSupervisor", "NotAllowed"}
    active = line.owner.query(
        "SELECT count(*) FROM accounts WHERE role = 'supervisor' AND disabled_at IS NULL"
    )
    assert active == [(1,)]
