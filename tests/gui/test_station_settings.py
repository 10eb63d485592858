"""Where a station keeps the line's records, switched by a supervisor from the home page (issue
18): the encrypted file on this computer, or the line's shared server. The address is refused
with a clear message when it holds a password or reaches another computer without TLS; "Test
the connection" tries the real throwaway server (a line's store, an empty database, nothing
listening); the choice is kept for the next start and says so; the next start opens what was
chosen. Both languages, real widgets, the real server."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from intake.accounts import Account, Role
from intake.i18n import Language, _
from intake.settings import SettingsFile
from intake.ui.app import IntakeApplication, create_qapplication
from intake.ui.main_window import HomePage, MainWindow
from intake.ui.station_settings import StationSettingsPage
from tests.conftest import make_store
from tests.gui.conftest import AppFactory, main_window_of, wait_idle
from tests.gui.texts import foreign_texts
from tests.pg_server import PgServer
from tests.storage.conftest import make_shared_store, pg_dsn, pg_server

__all__ = ["pg_dsn", "pg_server"]  # fixtures used here


def open_settings(qtbot: QtBot, window: MainWindow) -> StationSettingsPage:
    assert window.home.settings_button.isVisible()
    window.home.settings_button.click()
    page = window.station_settings
    assert isinstance(page, StationSettingsPage)
    assert window.pages.currentWidget() is page
    return page


def banner_says(qtbot: QtBot, page: StationSettingsPage, title: str) -> None:
    qtbot.waitUntil(lambda: page.banner.title.text() == title, timeout=20_000)
    assert page.banner.isVisible()


def test_a_supervisor_switches_the_station_to_the_shared_server_for_the_next_start(
    qtbot: QtBot,
    make_app: AppFactory,
    store_path: Path,
    settings_file: SettingsFile,
    pg_server: PgServer,
    pg_dsn: str,
    tmp_path: Path,
    lang: Language,
) -> None:
    make_store(store_path).close()
    make_shared_store(pg_dsn).close()
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    page = open_settings(qtbot, window)
    assert page.this_computer.isChecked()
    assert page.current.text() == _("Now in use: the encrypted file on this computer.")
    assert not page.address.isEnabled()
    assert not page.test_button.isEnabled()
    assert page.next_start.isVisible()
    assert foreign_texts(window, lang) == []

    page.shared_server.click()
    assert page.address.isEnabled()
    # Refused with a clear message, and nothing kept: a password in the address...
    page.address.setText(
        "postgresql://intake_line:secret@db.example.org/intake?sslmode=verify-full"
    )
    page.save_button.click()
    banner_says(qtbot, page, _("The server's password must not be in its address"))
    assert settings_file.load().server is None
    # ...another computer without TLS (refused before anything is sent)...
    page.address.setText("postgresql://intake_line@db.example.org/intake")
    page.test_button.click()
    banner_says(qtbot, page, _("The shared store's server must be reached over TLS"))
    page.save_button.click()
    assert settings_file.load().server is None
    # ...nothing listening there (a socket folder with no server)...
    page.address.setText(f"postgresql://intake_admin@/intake?host={tmp_path / 'nowhere'}")
    page.test_button.click()
    banner_says(qtbot, page, _("The shared store's server cannot be reached"))
    # ...a server whose database holds no line's store yet...
    empty = pg_server.create_database()
    page.address.setText(empty)
    page.test_button.click()
    banner_says(
        qtbot, page, _("The server answered, but the line's records are not set up on it yet")
    )
    assert foreign_texts(window, lang) == []
    # ...and the line's server: the connection works.
    page.address.setText(pg_dsn)
    page.test_button.click()
    works = _("The connection works: the server answered and holds the line's records.")
    qtbot.waitUntil(lambda: page.result.text() == works, timeout=20_000)
    assert not page.banner.isVisible()
    page.save_button.click()
    assert settings_file.load().server == pg_dsn
    assert page.result.text() == _(
        "Saved. At the next start this station opens the line's shared server; sign in there "
        "with the line passphrase."
    )
    # This session keeps its store; the home page is one click away.
    assert app.session is not None
    assert not app.session.shared
    page.back_button.click()
    assert window.pages.currentWidget() is window.home
    assert foreign_texts(window, lang) == []
    pg_server.drop_database(empty)

    # The next start opens the shared server (no --server given).
    create_qapplication([])
    later = IntakeApplication(store_path, settings_file, outbox=tmp_path / "outbox")
    qtbot.addWidget(later.gate)
    try:
        later.start()
        assert later.server == pg_dsn
        assert pg_dsn.rsplit("host=", maxsplit=1)[-1][:10] in later.gate.unlock.location.text()
    finally:
        wait_idle(qtbot)
        later.shutdown()


def test_a_station_on_the_server_switches_back_to_this_computer(
    qtbot: QtBot,
    settings_file: SettingsFile,
    pg_dsn: str,
    tmp_path: Path,
    lang: Language,
) -> None:
    make_shared_store(pg_dsn).close()
    create_qapplication([])
    settings_file.save(settings_file.load().with_language(lang))
    app = IntakeApplication(
        tmp_path / "never.db", settings_file, server=pg_dsn, outbox=tmp_path / "outbox"
    )
    qtbot.addWidget(app.gate)
    app.start()
    try:
        window = main_window_of(qtbot, app)
        page = open_settings(qtbot, window)
        assert page.current.text() == _("Now in use: the line's shared server ({address}).").format(
            address=pg_dsn
        )
        assert page.this_computer.isChecked()  # the settings file names no server
        page.shared_server.click()
        page.address.setText(pg_dsn)
        page.save_button.click()
        assert settings_file.load().server == pg_dsn
        page.this_computer.click()
        page.save_button.click()
        assert settings_file.load().server is None
        assert page.result.text() == _(
            "Saved. At the next start this station opens the encrypted file on this computer "
            "(if there is none yet, set-up creates it)."
        )
        assert foreign_texts(window, lang) == []
    finally:
        wait_idle(qtbot)
        if app.main_window is not None:
            app.main_window.server_poll.stop()
            app.main_window.close()
            app.main_window.deleteLater()
        app.shutdown()


def test_only_a_supervisor_is_offered_the_stations_settings(qtbot: QtBot, lang: Language) -> None:
    del lang  # the button's presence does not depend on the language; its text does
    parent = QWidget()
    qtbot.addWidget(parent)
    for role, shown in (
        (Role.SUPERVISOR, True),
        (Role.VOLUNTEER, False),
        (Role.COORDINATOR, False),
    ):
        home = HomePage(Account(f"id-{role.value}", "Dr Lee", role), "4.6", parent)
        assert home.settings_button.isVisibleTo(parent) is shown


def test_a_volunteer_cannot_reach_the_stations_settings(
    qtbot: QtBot,
    make_app: AppFactory,
    store_path: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    from intake.pins import hash_pin
    from intake.storage.account_store import insert_account
    from tests.conftest import PASSPHRASE

    store = make_store(store_path)
    with store.transaction() as conn:
        insert_account(conn, "Volunteer Vi", Role.VOLUNTEER.value, hash_pin("739105"))
    store.close()
    app = make_app(lang)
    app.gate.unlock.passphrase.setText(PASSPHRASE)
    app.gate.unlock.unlock_button.click()
    wait_idle(qtbot)
    combo = app.gate.signin.account
    combo.setCurrentIndex(next(i for i in range(combo.count()) if "Vi" in combo.itemText(i)))
    app.gate.signin.pin.setText("739105")
    app.gate.signin.signin_button.click()
    qtbot.waitUntil(lambda: app.main_window is not None, timeout=20_000)
    window = app.main_window
    assert window is not None
    assert window.account.role is Role.VOLUNTEER
    assert not window.home.settings_button.isVisible()
    window.show_station_settings()  # even asked directly (a shortcut, a stray signal)
    assert window.station_settings is None
    assert window.pages.currentWidget() is window.home
    assert settings_file.load().server is None
