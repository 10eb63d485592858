"""The supervisor console at a shared station where each person signs in with their own server
login (row-level security on the line's server): the supervisor, signed in with their own login,
adds an account in the console and it is offered on the sign-in page of the next station that
opens. The server, not the station, lets the supervisor's login do it (console_security.py).
Both languages, the real windows, the real throwaway server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from psycopg import sql
from pytestqt.qtbot import QtBot

from intake.i18n import Language, _
from intake.storage.pg.security import enable_row_security, map_account
from intake.ui.app import IntakeApplication
from tests.conftest import PASSPHRASE, PIN, SUPERVISOR
from tests.gui.conftest import wait_idle
from tests.gui.test_shared_window import shared_app
from tests.gui.texts import foreign_texts
from tests.storage.conftest import make_shared_store, pg_dsn, pg_server

__all__ = ["pg_dsn", "pg_server", "shared_app"]  # fixtures used here

NEW_NAME = "Dr Émilie Lee"
NEW_PIN = "739251"


@dataclass
class Line:
    station_address: str
    supervisor: str
    logins: dict[str, str]


def _as(dsn: str, role: str) -> str:
    return dsn.replace("postgresql://intake_admin@", f"postgresql://{role}@")


@pytest.fixture
def line(pg_dsn: str) -> Iterator[Line]:
    """The line's supervisor has their own login; the station has its own, acting for no one."""
    owner = make_shared_store(pg_dsn)
    supervisor = owner.list_accounts()[0].id
    owner.close()
    tag = uuid.uuid4().hex[:8]
    logins = {who: f"intake_t{tag}_{who}" for who in ("sup", "station")}
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        for login in logins.values():
            admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(login)))
        enable_row_security(admin)
        map_account(admin, supervisor, logins["sup"], supervisor=True)
        admin.execute(
            sql.SQL("GRANT intake_volunteer TO {}").format(sql.Identifier(logins["station"]))
        )
    try:
        yield Line(_as(pg_dsn, logins["station"]), supervisor, logins)
    finally:
        with psycopg.connect(pg_dsn, autocommit=True) as admin:
            for login in logins.values():
                admin.execute(
                    sql.SQL("REASSIGN OWNED BY {} TO intake_admin").format(sql.Identifier(login))
                )
                admin.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(login)))


def _unlock(qtbot: QtBot, app: IntakeApplication) -> None:
    app.gate.unlock.passphrase.setText(PASSPHRASE)
    app.gate.unlock.unlock_button.click()
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: app.gate.pages.currentWidget() is app.gate.signin, timeout=20_000)


def test_a_supervisor_signed_in_with_their_own_login_adds_an_account_offered_at_sign_in(
    qtbot: QtBot, shared_app: object, line: Line, lang: Language
) -> None:
    station = shared_app(line.station_address, lang)  # type: ignore[operator]
    _unlock(qtbot, station)
    signin = station.gate.signin
    assert signin.account.findText(NEW_NAME) < 0
    signin.account.setCurrentIndex(signin.account.findText(SUPERVISOR))
    signin.pin.setText(PIN)
    signin.signin_button.click()
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: station.main_window is not None, timeout=20_000)
    window = station.main_window
    assert window is not None
    assert station.session is not None
    pg = station.session.pg  # type: ignore[attr-defined]
    assert pg.query("SELECT session_user")[0][0] == line.logins["sup"]  # their own login

    assert window.console_action.isEnabled()
    window.show_console()
    page = window.console_page
    assert page is not None
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=20_000)
    page.name.setText(NEW_NAME)
    page.role.setCurrentIndex(page.role.findData("volunteer"))
    page.pin.setText(NEW_PIN)
    page.add_button.click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 2, timeout=20_000)
    # Added, and said at once that it cannot sign in until its own server login is mapped
    # (test_console_server_login.py).
    assert (
        _("The account was added, but {name} cannot sign in yet.").format(name=NEW_NAME)
        in page.status.text()
    )
    names = [page.table.item(row, 0).text() for row in range(page.table.rowCount())]
    assert NEW_NAME in names
    assert foreign_texts(window, lang) == []

    # The next station to open offers the new name on its sign-in page.
    other = shared_app(line.station_address, lang)  # type: ignore[operator]
    _unlock(qtbot, other)
    assert other.gate.signin.account.findText(NEW_NAME) >= 0
    assert foreign_texts(other.gate.signin, lang) == []
