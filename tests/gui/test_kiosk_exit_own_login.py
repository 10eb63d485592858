"""Leaving kiosk mode at a kiosk of a line whose server enforces who sees what (row-level
security, per-person logins): the kiosk was started by one supervisor, with their own login; a
second supervisor ends it with their own PIN, and their server password when their login needs
one (asked on the staff panel, as at sign-in). A wrong PIN is refused and counted on the server.
Both languages, the real kiosk window, the real throwaway server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from pytestqt.qtbot import QtBot

from intake.i18n import Language, _
from intake.pins import hash_pin
from intake.settings import SettingsFile
from intake.storage.pg import person
from intake.storage.pg.security import enable_row_security, map_account
from intake.storage.pg.store import PgStore
from intake.ui import ops
from intake.ui.app import IntakeApplication, create_qapplication
from intake.ui.kiosk.window import KioskWindow
from tests.conftest import PASSPHRASE
from tests.gui.conftest import wait_idle
from tests.gui.texts import foreign_texts
from tests.pg_server import PASSWORD_GROUP
from tests.storage.conftest import make_shared_store, pg_dsn, pg_server

__all__ = ["pg_dsn", "pg_server"]  # fixtures used here

SAMS_PIN = "739105"
SUES_PIN = "284613"
SUES_PASSWORD = "sue's own 7 words"


@dataclass
class Line:
    station_address: str
    owner: PgStore
    accounts: dict[str, str]


def _as(dsn: str, role: str) -> str:
    return dsn.replace("postgresql://intake_admin@", f"postgresql://{role}@")


@pytest.fixture
def line(pg_dsn: str) -> Iterator[Line]:
    owner = make_shared_store(pg_dsn)
    tag = uuid.uuid4().hex[:8]
    accounts = {
        "sam": owner.add_account("Sam Ouellet", "supervisor", hash_pin(SAMS_PIN)),
        "sue": owner.add_account("Sue Nakamura", "supervisor", hash_pin(SUES_PIN)),
    }
    logins = {who: f"intake_t{tag}_{who}" for who in ("sam", "sue", "station")}
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        admin.execute(
            f"DO $$ BEGIN CREATE ROLE {PASSWORD_GROUP} NOLOGIN; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
        for login in logins.values():
            admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(login)))
        sue = sql.Identifier(logins["sue"])
        admin.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sue, sql.Literal(SUES_PASSWORD)))
        admin.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(PASSWORD_GROUP), sue))
        enable_row_security(admin)
        map_account(admin, accounts["sam"], logins["sam"], supervisor=True)
        map_account(admin, accounts["sue"], logins["sue"], supervisor=True)
        admin.execute(
            sql.SQL("GRANT intake_volunteer TO {}").format(sql.Identifier(logins["station"]))
        )
    try:
        yield Line(_as(pg_dsn, logins["station"]), owner, accounts)
    finally:
        owner.close()
        with psycopg.connect(pg_dsn, autocommit=True) as admin:
            for login in logins.values():
                admin.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(login)))


@pytest.fixture
def kiosk(
    qtbot: QtBot, settings_file: SettingsFile, tmp_path: Path, line: Line, lang: Language
) -> Iterator[KioskWindow]:
    """Kiosk mode on the shared line, started by Sam through the real unlock and sign-in."""
    create_qapplication([])
    settings_file.save(replace(settings_file.load().with_language(lang), kiosk_language=lang))
    app = IntakeApplication(
        tmp_path / "never.db",
        settings_file,
        kiosk=True,
        server=line.station_address,
        outbox=tmp_path / "outbox",
    )
    qtbot.addWidget(app.gate)
    app.start()
    app.gate.unlock.passphrase.setText(PASSPHRASE)
    app.gate.unlock.unlock_button.click()
    wait_idle(qtbot)
    page = app.gate.signin
    qtbot.waitUntil(lambda: app.gate.pages.currentWidget() is page, timeout=20_000)
    page.account.setCurrentIndex(page.account.findText("Sam Ouellet"))
    page.pin.setText(SAMS_PIN)
    page.signin_button.click()
    qtbot.waitUntil(lambda: app.kiosk_window is not None, timeout=20_000)
    window = app.kiosk_window
    assert window is not None
    window.setFixedSize(1280, 720)
    yield window
    qtbot.waitUntil(lambda: not ops.running(), timeout=20_000)
    window.allow_exit()
    app.shutdown()


def _leave(qtbot: QtBot, window: KioskWindow, pin: str, password: str | None = None) -> None:
    staff = window.staff
    staff.account.setCurrentIndex(staff.account.findText("Sue Nakamura"))
    staff.pin.setText(pin)
    if password is not None:
        staff.server_password.setText(password)
    staff.leave_button.click()
    wait_idle(qtbot)
    qtbot.waitUntil(
        lambda: staff.leave_button.isEnabled() or not window.isVisible(), timeout=20_000
    )


def _failures(line: Line) -> int:
    rows = line.owner.query(
        "SELECT failed_pins FROM accounts WHERE id = %s", (line.accounts["sue"],)
    )
    return int(rows[0][0])


def test_a_second_supervisor_ends_kiosk_mode_with_their_own_login(
    qtbot: QtBot, kiosk: KioskWindow, line: Line, lang: Language
) -> None:
    window, staff = kiosk, kiosk.staff
    window.open_staff()
    assert not staff.server_password.isVisibleTo(staff)  # not asked until the server wants it
    _leave(qtbot, window, SUES_PIN)
    assert staff.banner.title.text() == _(person.ServerPasswordNeeded.title)
    assert staff.server_password.isVisibleTo(staff)
    assert window.isVisible()
    assert foreign_texts(window, lang) == []
    # Asked for it, an empty password is refused by the panel itself.
    staff.pin.setText(SUES_PIN)
    staff.leave_button.click()
    assert staff.banner.title.text() == _("Enter your server password.")

    _leave(qtbot, window, "000000", SUES_PASSWORD)  # her password, a wrong PIN
    assert staff.banner.title.text() == _("That PIN is not right")
    assert (staff.pin.text(), staff.server_password.text()) == ("", "")  # forgotten
    assert _failures(line) == 1  # counted on the server
    assert window.isVisible()
    assert foreign_texts(window, lang) == []

    _leave(qtbot, window, SUES_PIN, SUES_PASSWORD)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20_000)
    assert _failures(line) == 0
    trail = [(r[0], r[1]) for r in line.owner.audit_trail()]
    assert trail[-1] == ("kiosk-exit", line.accounts["sue"])
