"""The console says when a new account cannot sign in yet (issue 18, "say how accounts map to
server roles"). On a line whose server enforces who sees what, each person signs in with their
own server login, which the server's administrator creates and maps to their account; until then
their sign-in is refused. A supervisor who adds an account is told so at once, in their
language, with the commands to ask for (the name filled in, ready to copy, never a password),
and the list marks every account in that state. Nothing of this on a line without row security,
nor on a station's file. Both languages, the real windows, the real throwaway server."""

from __future__ import annotations

from pathlib import Path

import psycopg
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from intake.i18n import Language, _, pgettext
from intake.services import accounts as console
from intake.storage.pg.security import map_account
from intake.ui.app import IntakeApplication
from intake.ui.console import ConsolePage
from tests.conftest import PIN, SUPERVISOR
from tests.gui.conftest import AppFactory, main_window_of, wait_idle
from tests.gui.test_console_own_login import Line, _unlock, line
from tests.gui.test_shared_window import shared_app
from tests.gui.texts import foreign_texts
from tests.storage.conftest import make_shared_store, pg_dsn, pg_server

__all__ = ["line", "pg_dsn", "pg_server", "shared_app"]  # fixtures used here

NEW_NAME = "Dr Émilie O'Neil"
NEW_PIN = "739251"


def _marker() -> str:
    return pgettext("account", "Cannot sign in yet: no server login")


def _row_of(page: ConsolePage, name: str) -> int:
    names = [page.table.item(row, 0).text() for row in range(page.table.rowCount())]
    return names.index(name)


def _add(qtbot: QtBot, page: ConsolePage) -> None:
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=20_000)
    page.name.setText(NEW_NAME)
    page.role.setCurrentIndex(page.role.findData("volunteer"))
    page.pin.setText(NEW_PIN)
    page.add_button.click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 2, timeout=20_000)
    wait_idle(qtbot)


def _supervisor_console(qtbot: QtBot, station: IntakeApplication) -> ConsolePage:
    _unlock(qtbot, station)
    signin = station.gate.signin
    signin.account.setCurrentIndex(signin.account.findText(SUPERVISOR))
    signin.pin.setText(PIN)
    signin.signin_button.click()
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: station.main_window is not None, timeout=20_000)
    assert station.main_window is not None
    station.main_window.show_console()
    page = station.main_window.console_page
    assert page is not None
    return page


def test_a_new_account_without_a_server_login_is_said_and_marked_until_mapped(
    qtbot: QtBot, shared_app: object, line: Line, lang: Language, pg_dsn: str
) -> None:
    station = shared_app(line.station_address, lang)  # type: ignore[operator]
    page = _supervisor_console(qtbot, station)
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=20_000)
    assert page.table.item(0, 2).text() != _marker()  # the supervisor's own login is mapped
    assert not page.login_box.isVisible()

    _add(qtbot, page)
    # Said at once, in the supervisor's language: added, but cannot sign in yet.
    qtbot.waitUntil(
        lambda: (
            _("The account was added, but {name} cannot sign in yet.").format(name=NEW_NAME)
            in page.status.text()
        ),
        timeout=20_000,
    )
    new = next(r for r in page._rows if r.name == NEW_NAME)
    assert new.needs_server_login
    # The list marks it, with a tooltip saying why; the supervisor's row is not marked.
    row = _row_of(page, NEW_NAME)
    marker = page.table.item(row, 2)
    assert marker.text() == _marker()
    assert marker.toolTip() == _(
        "This line's server lets each person in only with their own server login, and none is "
        "set up for this account yet. Select it to see what to ask the person who looks after "
        "the server."
    )
    assert page.table.item(_row_of(page, SUPERVISOR), 2).text() != _marker()
    # The new account is selected, and what to ask the administrator is shown: the login to
    # create, then map-account with the name filled in; copyable, never a password.
    assert page.table.selectionModel().selectedRows()[0].row() == row
    assert page.login_box.isVisible()
    create, mapping = console.server_login_commands(new)
    commands = page.login_commands.text()
    assert create in commands
    assert mapping in commands
    assert "--name='Dr Émilie O'\"'\"'Neil'" in mapping
    assert "PASSWORD" not in commands
    assert "password=" not in commands
    assert line.logins["station"] not in commands
    page.copy_commands.click()
    assert QGuiApplication.clipboard().text() == commands
    assert _("The commands were copied.") in page.status.text()
    assert foreign_texts(station.main_window, lang) == []

    # Another account selected: no commands; the new one again: the same commands.
    page.table.selectRow(_row_of(page, SUPERVISOR))
    assert not page.login_box.isVisible()
    page.table.selectRow(_row_of(page, NEW_NAME))
    assert page.login_box.isVisible()

    # The administrator creates the login and maps it: the mark goes at the next listing.
    login = console.suggested_login(new.id)
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {login} LOGIN")
        line.logins["new"] = login  # its objects dropped with the others' at the end
        map_account(admin, new.id, login, supervisor=False)
    page.refresh()
    wait_idle(qtbot)
    qtbot.waitUntil(
        lambda: page.table.item(_row_of(page, NEW_NAME), 2).text() != _marker(), timeout=20_000
    )
    page.table.selectRow(_row_of(page, NEW_NAME))
    assert not page.login_box.isVisible()


def _nothing_said(qtbot: QtBot, page: ConsolePage) -> None:
    _add(qtbot, page)
    qtbot.waitUntil(lambda: page.status.text() == _("The account was added."), timeout=20_000)
    assert not page.login_box.isVisible()
    for row in range(page.table.rowCount()):
        assert page.table.item(row, 2).text() != _marker()
        assert page.table.item(row, 2).toolTip() == ""


def test_no_word_of_server_logins_on_a_line_without_row_security(
    qtbot: QtBot, shared_app: object, pg_dsn: str, lang: Language
) -> None:
    make_shared_store(pg_dsn).close()
    station = shared_app(pg_dsn, lang)  # type: ignore[operator]
    window = main_window_of(qtbot, station)
    window.show_console()
    assert window.console_page is not None
    _nothing_said(qtbot, window.console_page)
    assert foreign_texts(window, lang) == []


def test_no_word_of_server_logins_on_a_stations_file(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    window = main_window_of(qtbot, make_app(lang))
    window.show_console()
    assert window.console_page is not None
    _nothing_said(qtbot, window.console_page)
    assert foreign_texts(window, lang) == []
