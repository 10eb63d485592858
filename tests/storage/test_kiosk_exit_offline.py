# One store only (the shared server): ending kiosk mode while the server is down.
"""Leaving kiosk mode while the line's shared server cannot be reached (issue 18, "Server down,
nothing lost"). What the supervisor who set up the kiosk expects: at the end of the day, during
an outage, they can still close the kiosk with their own PIN. What the person who looks after
the line's security expects: nobody else can (no other PIN can be checked without the server),
a wrong PIN is refused and a burst of them locks as on the server, nothing of the PIN is kept on
disk, and once the server answers its own check applies again.

The real throwaway PostgreSQL server (tests/pg_server.py), stopped and started; the real
session, signed in as the kiosk's gate signs in."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from intake.i18n import _
from intake.pins import hash_pin
from intake.services.kiosk_exit import OfflineKioskExit, OnlyKioskStarter
from intake.services.shared import SharedSession, outbox_for
from intake.storage.account_store import FREE_ATTEMPTS, lock_duration
from intake.storage.errors import AccountLocked, ServerUnreachable
from intake.storage.pg.security import enable_row_security, map_account
from intake.storage.pg.store import PgStore, open_shared_store
from tests.conftest import PASSPHRASE
from tests.pg_server import PgServer, throwaway_server
from tests.storage.conftest import make_shared_store

SAMS_PIN = "739105"
SUES_PIN = "284613"
VALS_PIN = "551907"


@dataclass
class Line:
    server: PgServer
    dsn: str
    accounts: dict[str, str]
    tmp: Path

    def kiosk(self, *, kiosk: bool = True) -> SharedSession:
        """A station of the line in kiosk mode, started by Sam (a supervisor)."""
        store = open_shared_store(self.dsn, PASSPHRASE)
        session = SharedSession(store, outbox_for(store, self.tmp / "outbox"))
        signed = session.sign_in(self.accounts["sam"], SAMS_PIN, kiosk=kiosk)
        assert signed is not None
        session.kiosk_started(signed.id)
        return session

    def owner(self) -> PgStore:
        return open_shared_store(self.dsn, PASSPHRASE)


@pytest.fixture
def line(tmp_path: Path) -> Iterator[Line]:
    with throwaway_server() as server:
        dsn = server.create_database()
        owner = make_shared_store(dsn)
        accounts = {
            "sam": owner.add_account("Sam Ouellet", "supervisor", hash_pin(SAMS_PIN)),
            "sue": owner.add_account("Sue Nakamura", "supervisor", hash_pin(SUES_PIN)),
            "val": owner.add_account("Val Gagnon", "volunteer", hash_pin(VALS_PIN)),
        }
        owner.close()
        yield Line(server, dsn, accounts, tmp_path)


def _failed_pins(line: Line, who: str) -> int:
    owner = line.owner()
    try:
        rows = owner.query("SELECT failed_pins FROM accounts WHERE id = %s", (line.accounts[who],))
        return int(rows[0][0])
    finally:
        owner.close()


def _bytes_on_disk(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_the_starter_ends_kiosk_mode_while_the_server_is_down_and_nobody_else_can(
    line: Line,
) -> None:
    session = line.kiosk()
    try:
        line.server.stop("immediate")
        # Another supervisor's right PIN cannot be checked here: refused, with the reason.
        with pytest.raises(OnlyKioskStarter) as refused:
            session.may_leave_kiosk(line.accounts["sue"], SUES_PIN)
        title, advice = refused.value.explain()
        assert title == _("The shared store's server cannot be reached")
        assert "Sam Ouellet" in advice
        with pytest.raises(OnlyKioskStarter):  # a volunteer's neither
            session.may_leave_kiosk(line.accounts["val"], VALS_PIN)
        assert session.may_leave_kiosk(line.accounts["sam"], "000000") is False
        assert session.may_leave_kiosk(line.accounts["sam"], SAMS_PIN) is True
        # Nothing of the PIN on this computer's disk (the outbox and everything beside it).
        kept = _bytes_on_disk(line.tmp)
        for secret in (SAMS_PIN, SUES_PIN):
            assert secret.encode() not in kept
            assert secret.encode("utf-16-le") not in kept
    finally:
        session.close()
    line.server.start()
    # The offline tries were not sent to the server: its count is its own (documented).
    assert _failed_pins(line, "sam") == 0
    assert _failed_pins(line, "sue") == 0


def test_a_burst_of_wrong_pins_locks_the_offline_exit_as_the_server_would(line: Line) -> None:
    session = line.kiosk()
    try:
        line.server.stop("immediate")
        results: list[object] = []

        def wrong() -> None:
            try:
                results.append(session.may_leave_kiosk(line.accounts["sam"], "000000"))
            except AccountLocked as exc:
                results.append(exc)

        burst = [threading.Thread(target=wrong) for _ in range(FREE_ATTEMPTS)]
        for thread in burst:
            thread.start()
        for thread in burst:
            thread.join()
        assert results == [False] * FREE_ATTEMPTS  # every try of the burst counted
        # Locked now: even the right PIN is refused until the lockout ends.
        with pytest.raises(AccountLocked):
            session.may_leave_kiosk(line.accounts["sam"], SAMS_PIN)

        # The server answers again: its check applies, not the offline lock.
        line.server.start()
        assert session.may_leave_kiosk(line.accounts["sue"], "000000") is False
        assert _failed_pins(line, "sue") == 1  # counted on the server, as before the outage
        assert session.may_leave_kiosk(line.accounts["sue"], SUES_PIN) is True
        assert session.may_leave_kiosk(line.accounts["sam"], SAMS_PIN) is True
        owner = line.owner()
        try:
            trail = [(a, actor) for a, actor, _r, _d in owner.audit_trail()]
        finally:
            owner.close()
        assert trail[-1] == ("kiosk-exit", line.accounts["sam"])
    finally:
        session.close()


def test_a_phone_line_sign_in_keeps_nothing_for_an_offline_exit(line: Line) -> None:
    """Only a kiosk's sign-in keeps the verifier: elsewhere the refusal is the server's."""
    session = line.kiosk(kiosk=False)
    try:
        line.server.stop("immediate")
        with pytest.raises(ServerUnreachable):
            session.may_leave_kiosk(line.accounts["sam"], SAMS_PIN)
    finally:
        session.close()


def test_the_offline_lockout_follows_the_servers_schedule() -> None:
    now = [1000.0]
    kept = OfflineKioskExit("sam", "Sam Ouellet", SAMS_PIN, clock=lambda: now[0])
    assert SAMS_PIN not in repr(vars(kept))
    for _try in range(FREE_ATTEMPTS - 1):
        assert kept.check("sam", "000000") is False
    assert kept.check("sam", SAMS_PIN) is True  # a right PIN before the lockout clears it
    for _try in range(FREE_ATTEMPTS):
        assert kept.check("sam", "000000") is False
    first = lock_duration(FREE_ATTEMPTS)
    assert first is not None
    now[0] += first.total_seconds() - 1
    with pytest.raises(AccountLocked):
        kept.check("sam", SAMS_PIN)
    now[0] += 1
    assert kept.check("sam", "111111") is False  # the lock ran out; this one locks longer
    second = lock_duration(FREE_ATTEMPTS + 1)
    assert second is not None
    assert second > first
    now[0] += second.total_seconds()
    assert kept.check("sam", SAMS_PIN) is True
    kept.forget()
    assert kept.check("sam", SAMS_PIN) is False


def test_with_per_person_logins_the_starter_ends_it_offline_and_sue_after_the_server_is_back(
    line: Line, caplog: pytest.LogCaptureFixture
) -> None:
    """A line whose server enforces who sees what: the kiosk works through its starter's own
    login; during the outage only the starter may end it, as on any line; once the server is
    back, another supervisor's own login checks her PIN again."""
    caplog.set_level(logging.DEBUG)
    logins = {who: f"intake_offline_{who}" for who in ("sam", "sue", "station")}
    with psycopg.connect(line.dsn, autocommit=True) as admin:
        for login in logins.values():
            admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(login)))
        enable_row_security(admin)
        map_account(admin, line.accounts["sam"], logins["sam"], supervisor=True)
        map_account(admin, line.accounts["sue"], logins["sue"], supervisor=True)
        admin.execute(
            sql.SQL("GRANT intake_volunteer TO {}").format(sql.Identifier(logins["station"]))
        )
    station = line.dsn.replace("postgresql://intake_admin@", f"postgresql://{logins['station']}@")
    store = open_shared_store(station, PASSPHRASE)
    session = SharedSession(store, outbox_for(store, line.tmp / "outbox"))
    try:
        assert session.sign_in(line.accounts["sam"], SAMS_PIN, kiosk=True) is not None
        session.kiosk_started(line.accounts["sam"])
        assert session.pg.session_account == line.accounts["sam"]
        line.server.stop("immediate")
        with pytest.raises(OnlyKioskStarter):
            session.may_leave_kiosk(line.accounts["sue"], SUES_PIN)
        assert session.may_leave_kiosk(line.accounts["sam"], "000000") is False
        line.server.start()
        assert session.may_leave_kiosk(line.accounts["sue"], SUES_PIN) is True
        line.server.stop("immediate")
        assert session.may_leave_kiosk(line.accounts["sam"], SAMS_PIN) is True
    finally:
        session.close()
    for secret in (SAMS_PIN, SUES_PIN, "Sam", "Ouellet", "Nakamura"):
        assert secret not in caplog.text
