"""The supervisor console on the line's shared server (issue 18): accounts added or disabled at
one station hold at every other, because the server keeps them; the on-call supervisor's contact
is the server's (moved there, sealed, from the first station's settings file at a supervisor's
sign-in), and the crisis route shows the last one known without waiting for a server that has
gone away.

Everything real: the throwaway PostgreSQL server, the real windows of two stations."""

from __future__ import annotations

from dataclasses import replace

from pytestqt.qtbot import QtBot

from intake.i18n import Language, _
from intake.services import accounts as console
from intake.settings import SettingsFile
from intake.storage.errors import AccountDisabled
from intake.storage.pg.store import open_shared_store
from intake.ui.app import IntakeApplication
from tests.conftest import PASSPHRASE
from tests.gui.conftest import main_window_of, wait_idle
from tests.gui.test_shared_window import shared_app
from tests.gui.texts import foreign_texts
from tests.pg_server import throwaway_server
from tests.storage.conftest import make_shared_store, pg_dsn, pg_server

__all__ = ["pg_dsn", "pg_server", "shared_app"]  # fixtures used here

NEW_PIN = "739251"
ON_CALL = "Dr Roy, 613-555-0100"
NEXT_ON_CALL = "Dr Kim, 819-555-0199"


def sign_in_as(qtbot: QtBot, app: IntakeApplication, name: str, pin: str) -> None:
    """Unlock with the line passphrase, then sign in as `name` through the real pages."""
    app.gate.unlock.passphrase.setText(PASSPHRASE)
    app.gate.unlock.unlock_button.click()
    wait_idle(qtbot)
    signin = app.gate.signin
    index = signin.account.findText(name)
    assert index >= 0, f"{name} is not offered"
    signin.account.setCurrentIndex(index)
    signin.pin.setText(pin)
    signin.signin_button.click()
    wait_idle(qtbot)


def test_an_account_added_at_one_station_signs_in_at_another_until_disabled(
    qtbot: QtBot, shared_app: object, pg_dsn: str, lang: Language
) -> None:
    make_shared_store(pg_dsn).close()
    station_a = shared_app(pg_dsn, lang)  # type: ignore[operator]
    window_a = main_window_of(qtbot, station_a)  # the line's supervisor
    assert window_a.console_action.isEnabled()  # the console is on the server now
    window_a.show_console()
    page = window_a.console_page
    assert page is not None
    assert page.directory_tab is None  # kept in a station's file: not offered on the server
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=20_000)
    page.name.setText("Dr Lee")
    page.role.setCurrentIndex(page.role.findData("volunteer"))
    page.pin.setText(NEW_PIN)
    page.add_button.click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 2, timeout=20_000)
    assert _("The account was added.") in page.status.text()
    assert foreign_texts(window_a, lang) == []

    station_b = shared_app(pg_dsn, lang)  # type: ignore[operator]
    sign_in_as(qtbot, station_b, "Dr Lee", NEW_PIN)
    qtbot.waitUntil(lambda: station_b.main_window is not None, timeout=20_000)
    window_b = station_b.main_window
    assert window_b is not None
    assert window_b.account.display_name == "Dr Lee"
    assert not window_b.console_button.isVisible()  # a volunteer: no console

    names = [page.table.item(row, 0).text() for row in range(page.table.rowCount())]
    page.table.selectRow(names.index("Dr Lee"))
    assert page.disable_button.isEnabled()
    page.disable_button.click()
    qtbot.waitUntil(
        lambda: _("The account was disabled: it can no longer sign in.") in page.status.text(),
        timeout=20_000,
    )
    wait_idle(qtbot)

    # Dr Lee's next PIN at station B (unlocking after a lock) is refused by the server.
    window_b.lock()
    window_b.lock_page.pin.setText(NEW_PIN)
    window_b.lock_page.unlock_button.click()
    refused = _(AccountDisabled.title)
    qtbot.waitUntil(lambda: window_b.lock_page.banner.title.text() == refused, timeout=20_000)
    assert window_b.locked
    assert foreign_texts(window_b, lang) == []

    # And a station opened now does not even offer the name.
    station_c = shared_app(pg_dsn, lang)  # type: ignore[operator]
    station_c.gate.unlock.passphrase.setText(PASSPHRASE)
    station_c.gate.unlock.unlock_button.click()
    wait_idle(qtbot)
    assert station_c.gate.signin.account.findText("Dr Lee") < 0


def test_the_console_refuses_disabling_your_own_account_on_the_server(
    qtbot: QtBot, shared_app: object, pg_dsn: str, lang: Language
) -> None:
    make_shared_store(pg_dsn).close()
    window = main_window_of(qtbot, shared_app(pg_dsn, lang))  # type: ignore[operator]
    window.show_console()
    page = window.console_page
    assert page is not None
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=20_000)
    page.table.selectRow(0)
    assert not page.disable_button.isEnabled()  # one's own row: not offered
    # Past the window (a shortcut, a stale screen), the service refuses with its message.
    page._run(
        lambda: console.set_disabled(page.store, page.account.id, page.account.id, True), "done"
    )
    qtbot.waitUntil(
        lambda: _(console.CannotDisableSelf.title) in page.status.text(), timeout=20_000
    )
    assert not page._rows[0].disabled


def test_the_on_call_contact_moves_to_the_server_and_survives_it_going_away(
    qtbot: QtBot, shared_app: object, settings_file: SettingsFile, lang: Language
) -> None:
    with throwaway_server() as server:
        dsn = server.create_database()
        make_shared_store(dsn).close()
        # The line's first station kept the contact in its settings file at set-up.
        settings_file.save(replace(settings_file.load(), on_call_contact=ON_CALL))
        app = shared_app(dsn, lang)  # type: ignore[operator]
        window = main_window_of(qtbot, app)  # a supervisor's sign-in moves it
        assert settings_file.load().on_call_contact is None
        assert ON_CALL not in settings_file.path.read_text(encoding="utf-8")
        reader = open_shared_store(dsn, PASSPHRASE)
        try:
            assert console.on_call_contact(reader) == ON_CALL
            # The shift changes: another station's supervisor sets the next on-call contact;
            # this station's next check of the server brings it to the next call.
            boss = reader.list_accounts()[0].id
            console.set_on_call_contact(reader, boss, NEXT_ON_CALL)
        finally:
            reader.close()
        window.refresh_server_status()  # what the timer does every few seconds
        qtbot.waitUntil(
            lambda: window.services is not None and window.services.on_call_contact == NEXT_ON_CALL,
            timeout=20_000,
        )
        wait_idle(qtbot)

        server.stop("immediate")
        window.new_call()
        page = window.call_page
        assert page is not None
        page.open_crisis()
        # Shown as the route opens, with no read of the server to wait for (nothing was
        # waited on between the click and this line).
        assert NEXT_ON_CALL in page.crisis.supervisor.text()
        assert foreign_texts(window, lang) == []
        server.start()
        # The contact cleared in the console (nobody on call now): the stations stop showing
        # the supervisor who was, at their next check of the server.
        reader = open_shared_store(dsn, PASSPHRASE)
        try:
            console.set_on_call_contact(reader, reader.list_accounts()[0].id, None)
        finally:
            reader.close()
        window.refresh_server_status()
        qtbot.waitUntil(
            lambda: window.services is not None and window.services.on_call_contact is None,
            timeout=20_000,
        )
