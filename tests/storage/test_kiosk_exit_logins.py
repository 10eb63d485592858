# One store only (the shared server): ending kiosk mode under per-person server logins.
"""Ending kiosk mode on a line whose server enforces who sees what (row-level security, each
person signing in with their own server login). The kiosk works through the login of the
supervisor who started it; the server's PIN function lets a login try only its own account. What
a supervisor expects: any supervisor of the line can end kiosk mode at the kiosk with their own
PIN (and their server password, where their login needs one, as at sign-in); a volunteer, or a
wrong PIN, is refused, and each wrong PIN counts towards the lockout.

The real throwaway server, per-person logins made as tests/storage/test_person_login.py makes
them; every refusal from the refusing side."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from intake.pins import hash_pin
from intake.services.shared import SharedSession, outbox_for
from intake.storage.account_store import FREE_ATTEMPTS
from intake.storage.errors import AccountLocked
from intake.storage.pg import person
from intake.storage.pg.security import enable_row_security, map_account
from intake.storage.pg.store import PgStore, open_shared_store
from tests.conftest import PASSPHRASE
from tests.pg_server import PASSWORD_GROUP
from tests.storage.conftest import make_shared_store

SAMS_PIN = "739105"
SUES_PIN = "284613"
VALS_PIN = "551907"
SUES_PASSWORD = "sue's own 7 words"


@dataclass
class Kiosk:
    session: SharedSession  # kiosk mode, started by Sam (a supervisor) with his own login
    owner: PgStore
    accounts: dict[str, str]


def _as(dsn: str, role: str) -> str:
    return dsn.replace("postgresql://intake_admin@", f"postgresql://{role}@")


@pytest.fixture
def kiosk(pg_dsn: str, tmp_path: Path) -> Iterator[Kiosk]:
    owner = make_shared_store(pg_dsn)
    tag = uuid.uuid4().hex[:8]
    accounts = {
        "sam": owner.add_account("Sam Ouellet", "supervisor", hash_pin(SAMS_PIN)),
        "sue": owner.add_account("Sue Nakamura", "supervisor", hash_pin(SUES_PIN)),
        "val": owner.add_account("Val Gagnon", "volunteer", hash_pin(VALS_PIN)),
    }
    logins = {who: f"intake_t{tag}_{who}" for who in ("sam", "sue", "val", "station")}
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        admin.execute(
            f"DO $$ BEGIN CREATE ROLE {PASSWORD_GROUP} NOLOGIN; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
        for login in logins.values():
            admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(login)))
        # Sue's login needs its password, which this computer's password file does not hold.
        sue = sql.Identifier(logins["sue"])
        admin.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sue, sql.Literal(SUES_PASSWORD)))
        admin.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(PASSWORD_GROUP), sue))
        enable_row_security(admin)
        map_account(admin, accounts["sam"], logins["sam"], supervisor=True)
        map_account(admin, accounts["sue"], logins["sue"], supervisor=True)
        map_account(admin, accounts["val"], logins["val"], supervisor=False)
        admin.execute(
            sql.SQL("GRANT intake_volunteer TO {}").format(sql.Identifier(logins["station"]))
        )
    store = open_shared_store(_as(pg_dsn, logins["station"]), PASSPHRASE)
    session = SharedSession(store, outbox_for(store, tmp_path / "outbox"))
    try:
        assert session.sign_in(accounts["sam"], SAMS_PIN) is not None
        session.kiosk_started(accounts["sam"])
        assert session.pg.session_account == accounts["sam"]
        yield Kiosk(session, owner, accounts)
    finally:
        session.close()
        owner.close()
        with psycopg.connect(pg_dsn, autocommit=True) as admin:
            for login in logins.values():
                admin.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(login)))


def _failures(owner: PgStore, account: str) -> int:
    return int(owner.query("SELECT failed_pins FROM accounts WHERE id = %s", (account,))[0][0])


def test_a_second_supervisor_ends_kiosk_mode_with_their_own_pin_and_password(
    kiosk: Kiosk, caplog: pytest.LogCaptureFixture
) -> None:
    sue = kiosk.accounts["sue"]
    caplog.set_level(logging.DEBUG)
    # Her login needs its password: asked for, as at sign-in (typed error, nothing counted).
    with pytest.raises(person.ServerPasswordNeeded):
        kiosk.session.may_leave_kiosk(sue, SUES_PIN)
    with pytest.raises(person.ServerPasswordRefused):
        kiosk.session.may_leave_kiosk(sue, SUES_PIN, "not her password")
    assert _failures(kiosk.owner, sue) == 0
    assert kiosk.session.may_leave_kiosk(sue, SUES_PIN, SUES_PASSWORD)
    # The kiosk still works through Sam's login: the check's connection was Sue's, and closed.
    assert kiosk.session.pg.session_account == kiosk.accounts["sam"]
    trail = kiosk.owner.audit_trail()
    assert ("kiosk-exit", sue, sue, "") in [(a, b, c, d or "") for a, b, c, d in trail]
    logged = caplog.text
    for secret in (SUES_PIN, SUES_PASSWORD, "Sue", "Nakamura"):
        assert secret not in logged


def test_the_supervisor_who_started_the_kiosk_still_ends_it(kiosk: Kiosk) -> None:
    assert kiosk.session.may_leave_kiosk(kiosk.accounts["sam"], SAMS_PIN)


def test_a_volunteer_with_their_right_pin_is_refused(kiosk: Kiosk) -> None:
    assert not kiosk.session.may_leave_kiosk(kiosk.accounts["val"], VALS_PIN)
    assert kiosk.session.pg.session_account == kiosk.accounts["sam"]


def test_a_burst_of_wrong_pins_counts_each_and_locks_the_account(kiosk: Kiosk) -> None:
    sue = kiosk.accounts["sue"]
    for tried in range(1, FREE_ATTEMPTS + 1):
        assert not kiosk.session.may_leave_kiosk(sue, "000000", SUES_PASSWORD)
        assert _failures(kiosk.owner, sue) == tried
    with pytest.raises(AccountLocked):  # locked now: even her right PIN is refused
        kiosk.session.may_leave_kiosk(sue, SUES_PIN, SUES_PASSWORD)
    assert kiosk.session.pg.session_account == kiosk.accounts["sam"]
