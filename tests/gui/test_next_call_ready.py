"""The next call's page is built while the volunteer waits for the phone (issue 14): "New call"
only shows it. What a volunteer must not notice: the call starts when they click, in the
language they have then, nothing is saved for a call that has not begun, the keyboard stays
where they were typing, and nothing is built behind the lock."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pytestqt.qtbot import QtBot

from intake.i18n import Language
from intake.storage.records import ContactRecord, save_contact
from intake.ui.app import IntakeApplication
from intake.ui.call.page import AUTOSAVE_MS
from intake.ui.main_window import SPARE_AFTER_MS, MainWindow
from intake.vocabulary import ABANDON_REASONS
from tests.conftest import PIN
from tests.gui.conftest import AppFactory, main_window_of, store_of, wait_idle
from tests.gui.test_history import seeded, unreadable_columns
from tests.gui.texts import foreign_texts


def ready(
    qtbot: QtBot, make_app: AppFactory, lang: Language
) -> tuple[IntakeApplication, MainWindow]:
    """Signed in, and the next call's page built."""
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    qtbot.waitUntil(lambda: window.spare_call is not None, timeout=5_000)
    return app, window


def ready_window(qtbot: QtBot, make_app: AppFactory, lang: Language) -> MainWindow:
    return ready(qtbot, make_app, lang)[1]


def unlock(qtbot: QtBot, window: MainWindow) -> None:
    """The signed-in person's PIN at the lock page."""
    window.lock_page.pin.setText(PIN)
    window.lock_page.unlock_button.click()
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)


def test_new_call_shows_the_page_built_while_waiting_and_starts_the_call_then(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    window = ready_window(qtbot, make_app, lang)
    spare = window.spare_call
    assert spare is not None
    assert window.pages.currentWidget() is window.home
    assert not spare.isVisible()
    qtbot.wait(1_100)  # the stored start time has whole seconds
    before = datetime.now(UTC).replace(microsecond=0)
    window.new_call_button.click()
    assert window.call_page is spare
    assert window.pages.currentWidget() is spare
    assert spare.current_step == "greeting"
    assert datetime.fromisoformat(spare.call.started_at) >= before  # not when it was built
    assert spare.call.caller_language == lang
    assert spare.autosave.isActive()
    first = spare.steps["greeting"].first_focus()
    assert first is not None
    qtbot.waitUntil(first.hasFocus, timeout=2_000)  # the keyboard where the call begins
    assert foreign_texts(window, lang) == []
    # One call at a time: no other page is built while this one is open.
    qtbot.wait(SPARE_AFTER_MS + 300)
    assert window.spare_call is None


def test_a_page_waiting_for_its_call_saves_nothing(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app, window = ready(qtbot, make_app, lang)
    spare = window.spare_call
    assert spare is not None
    assert not spare.autosave.isActive()  # its clock starts with the call
    spare._changed()  # even were something marked changed on it (a language switch, say)
    qtbot.wait(AUTOSAVE_MS + 500)
    wait_idle(qtbot)
    assert store_of(app).query("SELECT count(*) FROM drafts")[0][0] == 0
    window.close()  # closing keeps a call in progress; a page with no call keeps nothing
    wait_idle(qtbot)
    assert store_of(app).query("SELECT count(*) FROM drafts")[0][0] == 0
    # A save ending after the window closed restarts the timer: nothing is built for nobody.
    window.spare_call = None
    window._spare_timer.start()
    qtbot.wait(SPARE_AFTER_MS + 300)
    assert window.spare_call is None


def test_after_a_call_the_next_page_is_a_new_call(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app, window = ready(qtbot, make_app, lang)
    window.new_call()
    first = window.call_page
    assert first is not None
    first.abandon(ABANDON_REASONS[0])
    qtbot.waitUntil(lambda: window.call_page is None, timeout=10_000)
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: window.spare_call is not None, timeout=5_000)
    second = window.spare_call
    assert second is not None
    assert second is not first
    assert second.call.contact_id != first.call.contact_id
    assert second.call.step == "greeting"
    assert store_of(app).query("SELECT count(*) FROM drafts")[0][0] == 0


def test_the_waiting_page_follows_a_language_switch(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    other: Language = "fr" if lang == "en" else "en"
    window = ready_window(qtbot, make_app, lang)
    window.language_switch.buttons[other].click()
    window.new_call()
    page = window.call_page
    assert page is not None
    assert page.call.caller_language == other  # the volunteer's language when the call began
    assert page.caller_buttons[other].isChecked()
    for step in ("greeting", "who", "safety", "needs", "recommendations", "wrapup"):
        page.show_step(step)
        assert foreign_texts(window, other) == [], step


def test_building_the_next_page_leaves_the_keyboard_where_it_was(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    window = main_window_of(qtbot, make_app(lang))
    window.activateWindow()
    window.show_directory()
    assert window.directory_page is not None
    search = window.directory_page.search
    qtbot.waitUntil(search.hasFocus, timeout=5_000)
    assert window.spare_call is None  # built after the volunteer is in the search field
    qtbot.waitUntil(lambda: window.spare_call is not None, timeout=5_000)
    assert search.hasFocus()
    assert window.focusWidget() is search


def test_nothing_is_built_behind_the_lock(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    window = main_window_of(qtbot, make_app(lang))
    window.lock()
    qtbot.wait(SPARE_AFTER_MS + 300)
    assert window.spare_call is None
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: window.spare_call is not None, timeout=5_000)


def test_no_second_page_is_built_while_a_call_is_open(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    window = main_window_of(qtbot, make_app(lang))
    window.new_call()
    page = window.call_page
    assert page is not None
    window.lock()  # the volunteer steps away mid-call and comes back
    unlock(qtbot, window)
    qtbot.wait(SPARE_AFTER_MS + 300)
    assert window.spare_call is None
    assert window.call_page is page


def test_the_waiting_page_is_laid_out_at_the_size_it_will_be_shown(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    """Its steps are prepared while it waits (each first visit then only paints), at the size
    of the window's pages: a hidden page left at Qt's default 100x30 px was prepared for
    nothing, and every step was laid out again at its first visit."""
    window = ready_window(qtbot, make_app, lang)
    spare = window.spare_call
    assert spare is not None
    qtbot.waitUntil(lambda: spare.stack.prepared, timeout=5_000)
    assert spare.size() == window.pages.contentsRect().size()
    steps = spare.stack.contentsRect().size()
    assert steps.width() > 400
    for name, step in spare.steps.items():
        assert step.size() == steps, name
    assert spare.crisis.size() == steps


def test_a_call_saved_while_the_window_locks_leaves_it_locked(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    """The idle lock (or Ctrl+L) may land while a call is being saved: the save's end used to
    show the home screen over the lock screen, the workspace open without a PIN."""
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    window.new_call()
    page = window.call_page
    assert page is not None
    page.abandon(ABANDON_REASONS[0])  # written on a worker; its end arrives after the lock
    window.lock()
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: window.call_page is None, timeout=10_000)
    assert window.locked
    assert window.pages.currentWidget() is window.lock_page
    qtbot.wait(SPARE_AFTER_MS + 300)
    assert window.spare_call is None  # nothing built behind the lock either
    unlock(qtbot, window)
    assert window.pages.currentWidget() is window.home
    assert window.new_call_action.isEnabled()


def test_the_next_page_waits_while_the_volunteer_clicks_and_types(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    """Building it holds the window 60-70 ms: it is built in a pause, not under the fingers."""
    window = main_window_of(qtbot, make_app(lang))
    window.show_directory()
    assert window.directory_page is not None
    search = window.directory_page.search
    qtbot.waitUntil(search.hasFocus, timeout=5_000)
    assert window.spare_call is None
    for letter in "Terre-Neuve":  # a key every 150 ms, for well over SPARE_AFTER_MS
        qtbot.keyClick(search, letter)
        qtbot.wait(150)
        assert window.spare_call is None
    qtbot.waitUntil(lambda: window.spare_call is not None, timeout=5_000)
    assert search.text() == "Terre-Neuve"


def test_history_is_built_in_a_later_pause_and_opens_on_fresh_rows(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    """After the next call's page, the History screen is built in the next pause, so its first
    opening is as quick as the next: hidden, at its size, nothing selected or opened (every
    opening is a person's choice, and audited), and a call saved meanwhile is listed when it
    opens."""
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    wait_idle(qtbot)
    store = store_of(app)
    audited = store.query("SELECT count(*) FROM audit")[0][0]
    qtbot.waitUntil(lambda: window.history_page is not None, timeout=5_000)
    page = window.history_page
    assert page is not None
    assert window.spare_call is not None  # the call's page came first
    assert not page.isVisible()
    assert window.pages.currentWidget() is window.home
    assert page.size() == window.pages.contentsRect().size()
    wait_idle(qtbot)
    assert page.table.selectionModel().selectedRows() == []
    assert store.query("SELECT count(*) FROM audit")[0][0] == audited
    account = window.account.id
    late = ContactRecord(
        id="saved-after-history-was-built",
        channel="phone",
        started_at=datetime.now(UTC).isoformat(timespec="seconds"),
        ui_language=lang,
        caller_language=lang,
        province="NB",
        outcome="referred",
        consent_notes=False,
    )
    save_contact(store, late, account)
    window.show_history()
    assert window.pages.currentWidget() is page
    qtbot.waitUntil(lambda: any(row.id == late.id for row in page.model.rows), timeout=10_000)
    assert page.search.hasFocus()
    assert foreign_texts(window, lang) == []


def test_no_history_screen_is_built_during_a_call(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    window = ready_window(qtbot, make_app, lang)
    window.new_call()  # the phone rang before the next pause
    qtbot.wait(2 * SPARE_AFTER_MS + 300)
    assert window.history_page is None


def test_the_waiting_history_fits_its_columns_when_shown_after_a_language_switch(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    """A hidden History screen does not refit its columns at a language switch (10 ms of a
    switch during a call); it does when it is shown, so nothing is cut, even when shown again
    without reading the list (after the lock, say)."""
    seeded(existing_store, 40)
    window = main_window_of(qtbot, make_app(lang))
    qtbot.waitUntil(lambda: window.history_page is not None, timeout=5_000)
    page = window.history_page
    assert page is not None
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10_000)
    other: Language = "fr" if lang == "en" else "en"
    window.language_switch.buttons[other].click()
    window.pages.setCurrentWidget(page)  # shown as it is, the list not read again
    assert unreadable_columns(page) == []
