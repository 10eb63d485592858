# One store only (the shared server): each person's own server login.
"""Signing in with the person's own server login (intake/storage/pg/person.py, SharedSession):
a shared station opens the line with its own login, and signing in opens the chosen person's
login, so the server decides what the session reads. Tested against the real throwaway server,
from the refused side: a volunteer signed in at a station cannot open another volunteer's
contact even through the store object; each refusal of the sign-in is typed."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from intake.accounts import Role
from intake.call import Call
from intake.pins import hash_pin
from intake.services import accounts as console
from intake.services.calls import CallSnapshot, snapshot
from intake.services.shared import ServerStatus, SharedSession, outbox_for
from intake.storage.errors import AccountDisabled
from intake.storage.pg import person
from intake.storage.pg.security import enable_row_security, map_account
from intake.storage.pg.store import PgStore, open_shared_store
from intake.storage.records import RecordMissing
from tests.conftest import PASSPHRASE
from tests.pg_server import PASSWORD_GROUP
from tests.storage.conftest import make_shared_store
from tests.storage.helpers import contact

PIN_OF_ALL = "739105"
ALICE_PASSWORD = "correct horse 42"


@dataclass
class Station:
    session: SharedSession
    owner: PgStore
    accounts: dict[str, str]
    logins: dict[str, str]


def _as(dsn: str, role: str) -> str:
    return dsn.replace("postgresql://intake_admin@", f"postgresql://{role}@")


@pytest.fixture
def station(pg_dsn: str, tmp_path: Path) -> Iterator[Station]:
    owner = make_shared_store(pg_dsn)
    tag = uuid.uuid4().hex[:8]
    accounts = {
        who: owner.add_account(who.title(), "volunteer", hash_pin(PIN_OF_ALL))
        for who in ("alice", "bruno", "dana", "eve")
    }
    logins = {who: f"intake_t{tag}_{who}" for who in ("alice", "bruno", "eve", "station")}
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        admin.execute(
            f"DO $$ BEGIN CREATE ROLE {PASSWORD_GROUP} NOLOGIN; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
        for login in logins.values():
            admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(login)))
        # Alice's login needs its password, which this computer's password file does not hold.
        admin.execute(
            sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                sql.Identifier(logins["alice"]), sql.Literal(ALICE_PASSWORD)
            )
        )
        admin.execute(
            sql.SQL("GRANT {} TO {}").format(
                sql.Identifier(PASSWORD_GROUP), sql.Identifier(logins["alice"])
            )
        )
        enable_row_security(admin)
        for who in ("alice", "bruno", "eve"):
            map_account(admin, accounts[who], logins[who], supervisor=False)
        # Eve's login is mapped but has been taken out of the line's groups: no rights.
        admin.execute(
            sql.SQL("REVOKE intake_volunteer FROM {}").format(sql.Identifier(logins["eve"]))
        )
        # The station's own login: in the volunteers' group, acting for no one.
        admin.execute(
            sql.SQL("GRANT intake_volunteer TO {}").format(sql.Identifier(logins["station"]))
        )
    store = open_shared_store(_as(pg_dsn, logins["station"]), PASSPHRASE)
    session = SharedSession(store, outbox_for(store, tmp_path / "outbox"))
    try:
        yield Station(session, owner, accounts, logins)
    finally:
        session.close()
        owner.close()
        with psycopg.connect(pg_dsn, autocommit=True) as admin:
            for login in logins.values():
                admin.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(login)))


def _contact_of(line: Station, who: str, pg_dsn: str) -> str:
    """A call `who` saved from their own login."""
    store = open_shared_store(
        person.address_as(
            _as(pg_dsn, line.logins[who]),
            line.logins[who],
            ALICE_PASSWORD if who == "alice" else None,
        ),
        PASSPHRASE,
    )
    try:
        record = contact()
        store.save_contact(record, line.accounts[who])
    finally:
        store.close()
    return record.id


def test_a_volunteer_signed_in_cannot_open_anothers_contact_even_through_the_store(
    station: Station, pg_dsn: str
) -> None:
    alices = _contact_of(station, "alice", pg_dsn)
    session = station.session
    assert session.pg.row_security
    assert session.pg.session_account is None  # the station's own login acts for no one
    account = session.sign_in(station.accounts["bruno"], PIN_OF_ALL)
    assert account is not None
    assert account.id == station.accounts["bruno"]
    assert session.pg.session_account == station.accounts["bruno"]
    assert session.pg.query("SELECT session_user")[0][0] == station.logins["bruno"]
    with pytest.raises(RecordMissing):
        session.pg.get_contact(alices, station.accounts["bruno"])
    assert session.pg.query("SELECT count(*) FROM contacts") == [(0,)]
    # Locking closes his connection: the station's login is used again.
    session.locked(station.accounts["bruno"])
    assert session.pg.session_account is None
    assert session.pg.query("SELECT session_user")[0][0] == station.logins["station"]
    assert session.unlock(station.accounts["bruno"], PIN_OF_ALL) is not None
    assert session.pg.session_account == station.accounts["bruno"]


def test_a_login_that_needs_its_password_is_asked_for_it_and_refused_a_wrong_one(
    station: Station, pg_dsn: str
) -> None:
    alices = _contact_of(station, "alice", pg_dsn)
    session, alice = station.session, station.accounts["alice"]
    with pytest.raises(person.ServerPasswordNeeded):
        session.sign_in(alice, PIN_OF_ALL)
    with pytest.raises(person.ServerPasswordRefused):
        session.sign_in(alice, PIN_OF_ALL, "not it")
    assert session.pg.session_account is None
    account = session.sign_in(alice, PIN_OF_ALL, ALICE_PASSWORD)
    assert account is not None
    record, _notes = session.pg.get_contact(alices, alice)
    assert record.id == alices
    # The password is not in the address the settings page shows.
    assert ALICE_PASSWORD not in session.address
    # Locking closes her connection; unlocking with her PIN opens it again (the password was
    # asked once, at sign-in).
    session.locked(alice)
    assert session.pg.session_account is None
    assert session.unlock(alice, PIN_OF_ALL) is not None
    assert session.pg.session_account == alice


def test_a_name_with_no_login_and_a_login_with_no_rights_are_refused(station: Station) -> None:
    session = station.session
    with pytest.raises(person.NoServerLogin):
        session.sign_in(station.accounts["dana"], PIN_OF_ALL)
    with pytest.raises(person.LoginHasNoRights):
        session.sign_in(station.accounts["eve"], PIN_OF_ALL)
    assert session.pg.session_account is None


def test_a_disabled_person_is_told_so_and_their_login_reads_nothing(
    station: Station, pg_dsn: str
) -> None:
    """Disabled in the console: the sign-in says so (as on the station's file: not "this login
    has no rights"), audited; and the person's login, still on the server, reads nothing of
    their own calls with its own SQL (row security switched on by `enable_row_security`)."""
    bruno = station.accounts["bruno"]
    _contact_of(station, "bruno", pg_dsn)
    supervisor = next(a.id for a in station.owner.list_accounts() if a.role is Role.SUPERVISOR)
    console.set_disabled(station.owner, supervisor, bruno, True)
    session = station.session
    with pytest.raises(AccountDisabled):
        session.sign_in(bruno, PIN_OF_ALL)
    assert session.pg.session_account is None
    assert session.pg.query("SELECT session_user")[0][0] == station.logins["station"]
    details = station.owner.query(
        "SELECT detail FROM audit WHERE action = 'failed-sign-in' AND record = %s", (bruno,)
    )
    assert details == [("disabled",)]
    own = open_shared_store(_as(pg_dsn, station.logins["bruno"]), PASSPHRASE)
    try:
        assert own.query("SELECT count(*) FROM contacts") == [(0,)]
    finally:
        own.close()


def test_a_wrong_pin_leaves_the_station_on_its_own_login(station: Station) -> None:
    session, bruno = station.session, station.accounts["bruno"]
    assert session.sign_in(bruno, "000000") is None
    assert session.pg.session_account is None
    failures = station.owner.query("SELECT failed_pins FROM accounts WHERE id = %s", (bruno,))
    assert failures == [(1,)]


def _queued_call() -> CallSnapshot:
    call = Call(
        contact_id=str(uuid.uuid4()),
        started_at="2026-11-30T02:10:00+00:00",
        consent_notes=True,
        role="resident",
        province="QC",
        risk="concern",
        topics=["burnout"],
        need="peer",
        notes="Appel gardé pendant la panne",
        outcome="referred",
        step="wrapup",
    )
    return snapshot(call, "fr", "2026-11-30T02:40:00+00:00")


def test_a_call_kept_during_an_outage_waits_for_its_authors_own_login(station: Station) -> None:
    """Alice's call queued in the outbox: the station's own login, or Bruno's, would be refused
    by the server (it is not theirs), so it waits, never set aside, and goes up once Alice has
    signed in again."""
    session, alice = station.session, station.accounts["alice"]
    snap = _queued_call()
    session.outbox.put(snap, alice)
    assert session.status() == ServerStatus(
        connected=True, waiting=1, set_aside=0, on_call_read=True
    )
    assert session.sign_in(station.accounts["bruno"], PIN_OF_ALL) is not None
    assert session.status() == ServerStatus(
        connected=True, waiting=1, set_aside=0, on_call_read=True
    )
    session.locked(station.accounts["bruno"])
    assert session.sign_in(alice, PIN_OF_ALL, ALICE_PASSWORD) is not None
    assert session.status() == ServerStatus(
        connected=True, waiting=0, set_aside=0, on_call_read=True
    )
    saved = station.owner.query("SELECT created_by FROM contacts WHERE id = %s", (snap.contact_id,))
    assert saved == [(alice,)]


def test_switching_logins_waits_for_a_delivery_under_way(station: Station) -> None:
    """The outbox checks whose login is in use, then sends the call: a lock (or another
    person's sign-in) switching the connection in between would send it on the wrong login,
    which the server refuses, and the call would be set aside as if damaged. The switch waits
    for the delivery under way (it holds the outbox's lock)."""
    session, bruno = station.session, station.accounts["bruno"]
    assert session.sign_in(bruno, PIN_OF_ALL) is not None
    switched = threading.Event()

    def lock_the_window() -> None:
        session.locked(bruno)
        switched.set()

    with session.outbox.lock:  # a delivery under way
        worker = threading.Thread(target=lock_the_window)
        worker.start()
        # Nothing can be waited for here (the switch must NOT happen): half a second is
        # ample for a switch that does not wait (it takes milliseconds).
        assert not switched.wait(0.5)
        assert session.pg.session_account == bruno
    worker.join(timeout=30)
    assert switched.is_set()
    assert session.pg.session_account is None


def test_the_worklist_watch_listens_on_the_stations_login_not_the_persons(
    station: Station,
) -> None:
    """Started once a person has signed in, the watch must not carry their server password
    (kept in memory for that person only, dropped when another signs in or the window closes):
    it listens on the station's own address (announcements carry ids only)."""
    session, alice = station.session, station.accounts["alice"]
    assert session.sign_in(alice, PIN_OF_ALL, ALICE_PASSWORD) is not None
    watch = session.watch_worklist(lambda: None)
    try:
        assert ALICE_PASSWORD not in watch._dsn
        assert station.logins["alice"] not in watch._dsn
    finally:
        watch.stop()
