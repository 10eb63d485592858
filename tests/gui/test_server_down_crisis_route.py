"""A station whose shared server is down must still reach the crisis route (issue 18, item 4:
"routing, the directory and the crisis route never need the server").

What a volunteer at 3 a.m. expects: a caller in crisis is on the line and the server has just
gone down. From the lock screen, and from the unlock and sign-in pages, "Crisis route" opens
9-8-8, emergency services and the 24/7 line of the caller's province or territory at once,
without a PIN or a passphrase (routing and the directory ship with the application: nothing
stored is shown), and "Back" returns to where they were; the person who was signed in unlocks
with their own PIN; the lock screen says what is true (its strip and its note agree).

Everything real: the throwaway PostgreSQL server of tests/pg_server.py, stopped by the test;
the real application controller, gate and window; both languages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFrame, QLabel
from pytestqt.qtbot import QtBot

from intake.i18n import Language, _, pgettext
from intake.settings import SettingsFile
from intake.ui import ops
from intake.ui.app import IntakeApplication, create_qapplication
from intake.ui.crisis_route import CrisisRouteView
from intake.ui.main_window import MainWindow
from tests.conftest import PASSPHRASE, PIN, SUPERVISOR
from tests.gui.conftest import AppFactory, main_window_of, wait_idle
from tests.gui.texts import foreign_texts
from tests.pg_server import PgServer, throwaway_server
from tests.storage.conftest import make_shared_store


@pytest.fixture
def line(
    qtbot: QtBot, settings_file: SettingsFile, tmp_path: Path, lang: Language
) -> Iterator[tuple[PgServer, IntakeApplication]]:
    """A shared line's station at its unlock page (its own server: the test stops it)."""
    with throwaway_server() as server:
        dsn = server.create_database()
        make_shared_store(dsn).close()
        create_qapplication([])
        settings_file.save(settings_file.load().with_language(lang))
        app = IntakeApplication(
            tmp_path / "never.db", settings_file, server=dsn, outbox=tmp_path / "outbox"
        )
        qtbot.addWidget(app.gate)
        app.start()
        yield server, app
        qtbot.waitUntil(lambda: not ops.running(), timeout=20_000)
        if app.main_window is not None:
            app.main_window.server_poll.stop()
            app.main_window.close()
            app.main_window.deleteLater()
        app.shutdown()


def check_route(qtbot: QtBot, view: CrisisRouteView, province: str) -> None:
    """The route for `province`, on screen: emergency services, 9-8-8 and a 24/7 local line."""
    qtbot.waitUntil(view.isVisible, timeout=5_000)
    assert view.title.text() == _("Crisis route")
    view.choose_province(province)
    plan = view.plan
    assert plan is not None
    assert plan.province == province
    ids = [entry.program.id for entry in plan.entries]
    # No tier known: treated as imminent, emergency services first (Nunavut's own number
    # where 9-1-1 does not reach), then 9-8-8, then the province's or territory's 24/7 line.
    assert ids[0] == ("nu-local-emergency" if province == "NU" else "ca-911")
    assert ids[1] == "ca-988"
    assert plan.local_lines

    def shown(program_id: str) -> bool:
        frames = view.plan_box.findChildren(QFrame, f"open-crisis-entry-{program_id}")
        return any(frame.isVisible() for frame in frames)

    qtbot.waitUntil(lambda: all(shown(program_id) for program_id in ids), timeout=5_000)
    texts = " ".join(
        label.text() for label in view.plan_box.findChildren(QLabel) if label.isVisible()
    )
    assert "9-8-8" in texts


def test_locked_during_an_outage_the_crisis_route_opens_without_a_pin_and_the_pin_unlocks(
    qtbot: QtBot, line: tuple[PgServer, IntakeApplication], lang: Language
) -> None:
    server, app = line
    window = main_window_of(qtbot, app)
    window.server_poll.stop()  # the test says when the server is checked
    wait_idle(qtbot)
    assert window.server_status.text() == _("Shared server: connected")

    server.stop("immediate")
    window.lock()  # the idle lock, or Lock
    page = window.lock_page
    # The lock could not be audited: the strip and the note under the PIN say the server
    # cannot be reached, and who can unlock now; no error banner, nothing went wrong.
    qtbot.waitUntil(lambda: page.server_note.isVisibleTo(window), timeout=20_000)
    wait_idle(qtbot)
    assert window.server_status.property("state") == "waiting"
    assert window.server_status.text() == _(
        "Shared server: not reachable. Calls you save are kept encrypted on this "
        "computer until it answers."
    )
    assert SUPERVISOR in page.server_note.text()
    assert not page.banner.isVisibleTo(window)
    assert foreign_texts(window, lang) == []

    # The crisis route, without a PIN, while still locked; then back to the PIN.
    page.crisis_button.click()
    assert page.showing_help
    assert window.locked
    assert page.help is not None
    check_route(qtbot, page.help, "NS")
    assert not any(action.isEnabled() for action in window.workspace_actions)
    assert not window.console_action.isEnabled()
    assert foreign_texts(window, lang) == []
    page.help.directory_tab.click()
    assert page.help.on_directory
    assert page.help.directory is not None
    assert page.help.directory.isVisible()
    assert window.directory_page is None  # the lock's own browser: nothing of the window's
    page.help.back_button.click()
    assert not page.showing_help
    assert window.locked
    page.directory_button.click()  # "Directory" from the lock screen opens it directly
    assert page.showing_help
    assert page.help.on_directory
    page.help.back_button.click()

    # A wrong PIN is refused offline; the right one unlocks, the server still down.
    page.pin.setText("000000")
    page.unlock_button.click()
    wait_idle(qtbot)
    assert page.banner.title.text() == _("That PIN is not right")
    assert window.locked
    page.pin.setText(PIN)
    page.unlock_button.click()
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: not window.locked, timeout=20_000)
    assert window.new_call_action.isEnabled()


def test_started_while_the_server_is_down_the_gate_still_opens_the_crisis_route(
    qtbot: QtBot, line: tuple[PgServer, IntakeApplication], lang: Language
) -> None:
    server, app = line
    server.stop("immediate")
    unlock = app.gate.unlock
    unlock.passphrase.setText(PASSPHRASE)
    unlock.unlock_button.click()
    wait_idle(qtbot)
    qtbot.waitUntil(unlock.unlock_button.isEnabled, timeout=20_000)
    title = _("The shared store's server cannot be reached")
    assert unlock.banner.title.text() == title
    # What is said is true here: not "keep working", but where the crisis route is.
    advice = unlock.banner.detail.text()
    assert "keep working" not in advice
    assert "continuent" not in advice
    assert _("Crisis route").lower() in advice.lower() or "crisis route" in advice
    assert foreign_texts(app.gate, lang) == []

    unlock.crisis_button.click()
    view = app.gate.help
    assert view is not None
    assert app.gate.pages.currentWidget() is view
    check_route(qtbot, view, "QC")
    assert foreign_texts(app.gate, lang) == []
    view.directory_tab.click()
    assert view.on_directory
    browser = view.directory
    assert browser is not None
    assert browser.isVisible()
    assert browser.results.count() > 10
    assert foreign_texts(app.gate, lang) == []
    view.back_button.click()
    assert app.gate.pages.currentWidget() is unlock
    assert unlock.banner.title.text() == title  # left as it was

    # The server answers again: the passphrase opens the store, and the sign-in page has the
    # crisis route too (a PIN checked by the server is not needed to see it).
    server.start()
    unlock.passphrase.setText(PASSPHRASE)
    unlock.unlock_button.click()
    wait_idle(qtbot)
    signin = app.gate.signin
    qtbot.waitUntil(lambda: app.gate.pages.currentWidget() is signin, timeout=20_000)
    server.stop("immediate")
    signin.pin.setText(PIN)
    signin.signin_button.click()
    wait_idle(qtbot)
    assert signin.banner.title.text() == title
    assert "keep working" not in signin.banner.detail.text()
    signin.crisis_button.click()
    assert app.gate.pages.currentWidget() is view
    assert not view.on_directory
    check_route(qtbot, view, "NU")
    view.back_button.click()
    assert app.gate.pages.currentWidget() is signin
    assert foreign_texts(app.gate, lang) == []


def test_a_single_stations_lock_screen_shows_the_crisis_route_too(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    """A locked station must never hide 9-8-8, whichever store it uses."""
    window: MainWindow = main_window_of(qtbot, make_app(lang))
    window.lock()
    page = window.lock_page
    assert page.crisis_button.isVisibleTo(window)
    assert page.crisis_button.text() == _("Crisis route")
    assert page.directory_button.text() == pgettext("action", "Directory")
    page.crisis_button.click()
    assert page.help is not None
    assert window.locked
    check_route(qtbot, page.help, "BC")
    assert foreign_texts(window, lang) == []
    page.help.back_button.click()
    assert not page.showing_help
    window.lock_page.pin.setText(PIN)
    window.lock_page.unlock_button.click()
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)


def test_set_up_on_a_server_that_does_not_answer_claims_nothing_keeps_working(
    qtbot: QtBot, settings_file: SettingsFile, store_path: Path, tmp_path: Path, lang: Language
) -> None:
    """The set-up page has no crisis route of its own: its message must not say that the
    crisis route keeps working; it says what to do, and keeps what was typed."""
    with throwaway_server() as server:
        dsn = server.create_database()
        server.stop("immediate")
        create_qapplication([])
        settings_file.save(settings_file.load().with_language(lang))
        app = IntakeApplication(store_path, settings_file, outbox=tmp_path / "outbox")
        qtbot.addWidget(app.gate)
        app.start()
        try:
            setup = app.gate.setup
            setup.shared_server.click()
            setup.server_address.setText(dsn)
            setup.passphrase.setText(PASSPHRASE)
            setup.passphrase_again.setText(PASSPHRASE)
            setup.display_name.setText(SUPERVISOR)
            setup.pin.setText(PIN)
            setup.pin_again.setText(PIN)
            setup.create_button.click()
            wait_idle(qtbot)
            assert setup.banner.title.text() == _("The shared store's server cannot be reached")
            assert setup.banner.detail.text() == _(
                "The line's store cannot be created or joined until it answers. Everything "
                "typed is still here: check the address and the network, then try again."
            )
            assert setup.passphrase.text() == PASSPHRASE  # nothing typed is lost
            assert settings_file.load().server is None
            assert foreign_texts(app.gate, lang) == []
        finally:
            qtbot.waitUntil(lambda: not ops.running(), timeout=20_000)
            app.shutdown()


def test_a_pin_accepted_while_the_crisis_route_is_read_never_takes_it_away(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    """The volunteer typed their PIN, then opened the crisis route while it was checked (slow
    while the server does not answer): the route stays on screen when the check succeeds, and
    Back opens the workspace. The next lock starts with no province chosen (the last caller's
    is not the next one's, and nobody at the locked screen should see it)."""
    window: MainWindow = main_window_of(qtbot, make_app(lang))
    window.lock()
    page = window.lock_page
    page.crisis_button.click()
    assert page.help is not None
    check_route(qtbot, page.help, "NU")
    window.unlock()  # what the shell does when the PIN check succeeds
    assert window.locked
    assert page.showing_help
    check_route(qtbot, page.help, "NU")
    page.help.back_button.click()
    assert not window.locked
    assert foreign_texts(window, lang) == []
    window.lock()
    page.crisis_button.click()
    assert page.help.plan is not None
    assert page.help.plan.province is None
    # With no province, 9-1-1 comes first: that it does not reach all of Nunavut is said.
    view = page.help

    def unknown_note() -> str:
        notes = view.plan_box.findChildren(QLabel, "open-crisis-province-unknown")
        return " ".join(note.text() for note in notes if note.isVisible())

    qtbot.waitUntil(lambda: "Nunavut" in unknown_note(), timeout=5_000)
    assert "9-1-1" in unknown_note()


def test_signed_in_while_the_gate_shows_the_crisis_route_it_stays_until_back(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    """At the gate too: a sign-in that finishes while the crisis route is read leaves it in
    front; Back closes the gate."""
    app = make_app(lang)
    gate = app.gate
    qtbot.waitUntil(gate.unlock.isVisible, timeout=10_000)
    gate.unlock.crisis_button.click()
    view = gate.help
    assert view is not None
    gate.done()  # what the application does once the person's window is open
    assert gate.isVisible()
    assert gate.pages.currentWidget() is view
    view.back_button.click()
    assert not gate.isVisible()


def test_the_gates_crisis_route_never_depends_on_the_organisations_directory_file(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    lang: Language,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """INTAKE_DIRECTORY names a file that cannot be read (a network share gone with the
    outage, a mistake in it): the crisis route still lists emergency services and 9-8-8."""
    from intake.ui import crisis_route

    broken = tmp_path / "directory.toml"
    broken.write_text("this is [not a directory", encoding="utf-8")
    monkeypatch.setenv("INTAKE_DIRECTORY", str(broken))
    monkeypatch.setattr(crisis_route, "_SHIPPED", None)  # read again, with the broken file named
    app = make_app(lang)
    gate = app.gate
    qtbot.waitUntil(gate.unlock.isVisible, timeout=10_000)
    gate.unlock.crisis_button.click()
    assert gate.help is not None
    check_route(qtbot, gate.help, "QC")
    monkeypatch.setattr(crisis_route, "_SHIPPED", None)  # the next test reads the right one
