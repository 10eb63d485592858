# One store only (the shared server): unlocking while the server cannot be reached.
"""Unlocking a phone-line station while the line's shared server cannot be reached (issue 18,
"Server down, nothing lost": the station keeps working).

What the volunteer at 3 a.m. expects: the station locked itself while they were on the phone
(the idle lock) and the server has gone down meanwhile; their own PIN still unlocks it. What the
person who looks after the line's security expects: nobody else's PIN works then (it cannot be
checked without the server: refused, saying so), a wrong PIN is refused and counted, a burst of
them locks as on the server, nothing of the PIN reaches the disk or the log, and once the server
answers its own check applies again.

The real throwaway PostgreSQL server (tests/pg_server.py), stopped and started; the real
session, signed in and locked as the phone line's window does."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import conninfo, sql

from intake.i18n import _
from intake.pins import hash_pin
from intake.services.offline_unlock import OnlySignedInPerson
from intake.services.shared import SharedSession, outbox_for
from intake.storage.account_store import FREE_ATTEMPTS
from intake.storage.errors import AccountLocked, ServerDatabaseMissing, ServerUnreachable
from intake.storage.pg.store import PgStore, open_shared_store
from tests.conftest import PASSPHRASE
from tests.pg_server import PgServer, throwaway_server
from tests.storage.conftest import make_shared_store

VALS_PIN = "551907"
SUES_PIN = "284613"


@dataclass
class Line:
    server: PgServer
    dsn: str
    accounts: dict[str, str]
    tmp: Path

    def station(self, who: str, pin: str, *, kiosk: bool = False) -> SharedSession:
        """A phone-line station of the line, signed in as `who` through the server."""
        store = open_shared_store(self.dsn, PASSPHRASE)
        session = SharedSession(store, outbox_for(store, self.tmp / "outbox"))
        assert session.sign_in(self.accounts[who], pin, kiosk=kiosk) is not None
        return session

    def owner(self) -> PgStore:
        return open_shared_store(self.dsn, PASSPHRASE)


@pytest.fixture
def line(tmp_path: Path) -> Iterator[Line]:
    with throwaway_server() as server:
        dsn = server.create_database()
        owner = make_shared_store(dsn)
        accounts = {
            "val": owner.add_account("Val Gagnon", "volunteer", hash_pin(VALS_PIN)),
            "sue": owner.add_account("Sue Nakamura", "supervisor", hash_pin(SUES_PIN)),
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


def test_the_signed_in_volunteer_unlocks_offline_and_nobody_else_can(
    line: Line, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    session = line.station("val", VALS_PIN)
    val, sue = line.accounts["val"], line.accounts["sue"]
    try:
        session.locked(val)  # the idle lock, while the server still answers
        assert session.offline_unlock_name == "Val Gagnon"
        line.server.stop("immediate")
        # Another person's right PIN cannot be checked here: refused, saying who can.
        with pytest.raises(OnlySignedInPerson) as refused:
            session.unlock(sue, SUES_PIN)
        title, advice = refused.value.explain()
        assert title == _("The shared store's server cannot be reached")
        assert "Val Gagnon" in advice
        # A wrong PIN is refused (and counted: see the burst test), the right one unlocks.
        assert session.unlock(val, "000000") is None
        unlocked = session.unlock(val, VALS_PIN)
        assert unlocked is not None
        assert unlocked.id == val
        # Locked again during the same outage (the audit cannot reach the server: said so).
        with pytest.raises(ServerUnreachable):
            session.locked(val)
        assert session.unlock(val, VALS_PIN) is not None
        kept = _bytes_on_disk(line.tmp)
        for secret in (VALS_PIN, SUES_PIN):
            assert secret.encode() not in kept
            assert secret.encode("utf-16-le") not in kept
    finally:
        session.close()
    for secret in (VALS_PIN, SUES_PIN, "Gagnon", "Nakamura"):
        assert secret not in caplog.text
    line.server.start()
    # The offline tries are counted on this station, not sent to the server (as the kiosk's).
    assert _failed_pins(line, "val") == 0
    assert _failed_pins(line, "sue") == 0


def test_a_burst_of_wrong_pins_locks_the_offline_unlock_then_the_server_checks_again(
    line: Line,
) -> None:
    session = line.station("val", VALS_PIN)
    val = line.accounts["val"]
    try:
        session.locked(val)
        line.server.stop("immediate")
        assert [session.unlock(val, "000000") for _n in range(FREE_ATTEMPTS)] == [
            None
        ] * FREE_ATTEMPTS
        with pytest.raises(AccountLocked):  # even the right PIN, until the lockout ends
            session.unlock(val, VALS_PIN)
        # The server answers again: its own check applies (and counts), not the offline lock.
        line.server.start()
        assert session.unlock(val, "000000") is None
        assert _failed_pins(line, "val") == 1
        assert session.unlock(val, VALS_PIN) is not None
    finally:
        session.close()


def test_the_server_down_before_anyone_signed_in_unlocks_nothing(line: Line) -> None:
    """No sign-in accepted by the server, nothing to check against: the server's refusal."""
    store = open_shared_store(line.dsn, PASSPHRASE)
    session = SharedSession(store, outbox_for(store, line.tmp / "outbox"))
    try:
        assert session.sign_in(line.accounts["val"], "000000") is None  # wrong: nothing kept
        line.server.stop("immediate")
        assert session.offline_unlock_name is None
        with pytest.raises(ServerUnreachable):
            session.unlock(line.accounts["val"], VALS_PIN)
    finally:
        session.close()


def test_a_kiosk_sign_in_keeps_no_offline_unlock(line: Line) -> None:
    session = line.station("sue", SUES_PIN, kiosk=True)
    try:
        line.server.stop("immediate")
        assert session.offline_unlock_name is None
        with pytest.raises(ServerUnreachable):
            session.unlock(line.accounts["sue"], SUES_PIN)
    finally:
        session.close()


def test_a_server_that_answers_and_refuses_is_not_an_outage(line: Line) -> None:
    """The server answers but refuses the station (here: its database renamed away, as a
    certificate or a login refused would): that is not an outage, so the PIN kept from the
    sign-in unlocks nothing and the station says what the server refused."""
    session = line.station("val", VALS_PIN)
    val = line.accounts["val"]
    name = conninfo.conninfo_to_dict(line.dsn)["dbname"]
    try:
        session.locked(val)
        with psycopg.connect(line.server.dsn(), autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            admin.execute(
                sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                    sql.Identifier(str(name)), sql.Identifier(f"{name}_moved")
                )
            )
        with pytest.raises(ServerDatabaseMissing):
            session.unlock(val, VALS_PIN)
    finally:
        session.close()
