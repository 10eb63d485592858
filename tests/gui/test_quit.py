"""Quit (Ctrl+Q, and its button) closes the phone-line window and keeps a call in progress as
a draft; the kiosk gets no Quit at all (leaving it takes a supervisor's PIN)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from pytestqt.qtbot import QtBot

from intake.i18n import Language, gettext_in, pgettext
from intake.settings import SettingsFile
from tests.gui.conftest import AppFactory, main_window_of, store_of, wait_idle
from tests.gui.kiosk_helpers import start_kiosk
from tests.gui.test_call import NOTE, fill_whole_call, start_call

QUIT = QKeySequence("Ctrl+Q")


def test_ctrl_q_quits_and_keeps_the_call_as_a_draft(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app, window, page = start_call(qtbot, make_app, lang)
    window.show()
    fill_whole_call(qtbot, page)  # typed since the last autosave tick
    contact_id = page.call.contact_id
    assert window.quit_button.text() == pgettext("action", "Quit")
    assert window.quit_action.shortcut() == QUIT
    qtbot.keyClick(page, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)  # closed, as by its X button
    wait_idle(qtbot)
    drafts = store_of(app).query("SELECT id, payload FROM drafts")
    assert [d[0] for d in drafts] == [contact_id]
    assert NOTE in drafts[0][1]
    # Started again, the call is offered for resuming.
    app.shutdown()  # the first run ends (its store closed) before the second starts
    again = make_app(lang)
    home = main_window_of(qtbot, again).home
    qtbot.waitUntil(lambda: home.resume_box.isVisibleTo(home), timeout=10_000)


def test_quit_without_a_call_keeps_nothing_and_asks_nothing(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    window.show()
    assert window.quit_action.toolTip().endswith("(Ctrl+Q)")
    assert window.quit_action.toolTip() == gettext_in(
        lang, "Close the application; a call in progress is kept to resume later (Ctrl+Q)"
    )
    window.quit_button.click()
    assert not window.isVisible()
    wait_idle(qtbot)
    assert store_of(app).query("SELECT count(*) FROM drafts")[0][0] == 0


def test_the_kiosk_has_no_quit(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    _app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    window.show()
    shortcuts = [a.shortcut() for a in window.findChildren(QAction)]
    assert QUIT not in shortcuts
    assert window.findChild(QAction, "quit-action") is None
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert window.isVisible()
