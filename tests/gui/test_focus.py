"""Keyboard focus: visible on every control, in reading order, and Space or Enter does what
the focused control says."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from intake.i18n import Language
from intake.settings import SettingsFile
from tests.gui.conftest import AppFactory
from tests.gui.kiosk_helpers import PHYSICIAN_ANSWERS, answer, begin, start_kiosk
from tests.gui.test_call import start_call


def picture(widget: QWidget) -> QImage:
    QApplication.processEvents()
    return widget.grab().toImage()


def focus_changes_the_look(qtbot: QtBot, widget: QWidget, elsewhere: QWidget) -> bool:
    elsewhere.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(elsewhere.hasFocus, timeout=2000)
    before = picture(widget)
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus, timeout=2000)
    return picture(widget) != before


def controls(root: QWidget) -> list[QWidget]:
    """Every visible, enabled control that Tab can reach."""
    return [
        w
        for w in root.findChildren(QWidget)
        if w.isVisible()
        and w.isEnabled()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and w.focusProxy() is None
        and type(w).__name__ != "QWidget"
        and not w.objectName().startswith("qt_")
    ]


def active(qtbot: QtBot, window: QWidget) -> None:
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)


def test_every_control_of_a_call_shows_when_it_has_the_focus(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    _app, window, page = start_call(qtbot, make_app, lang)
    window.resize(1280, 720)
    active(qtbot, window)
    page.steps["greeting"].consent_yes.click()  # type: ignore[attr-defined]
    unseen: list[str] = []
    for step in ("greeting", "who", "wrapup"):
        page.show_step(step)
        found = controls(window)
        assert len(found) > 8, step
        for widget in found:
            elsewhere = (
                window.about_button if widget is not window.about_button else window.lock_button
            )
            if not focus_changes_the_look(qtbot, widget, elsewhere):
                unseen.append(f"{step}: {widget.objectName() or type(widget).__name__}")
    assert unseen == []


def test_the_filled_buttons_show_focus(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    _app, window, page = start_call(qtbot, make_app, lang)
    active(qtbot, window)
    page.show_step("who")
    filled = (page.next_button, page.back_button, page.crisis_button)
    for button in filled:
        assert focus_changes_the_look(qtbot, button, window.about_button), button.objectName()


def test_space_and_enter_do_what_the_focused_button_says(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    _app, window, page = start_call(qtbot, make_app, lang)
    active(qtbot, window)
    page.show_step("who")
    page.next_button.setFocus()
    qtbot.keyClick(page.next_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.current_step == "safety", timeout=2000)
    page.back_button.setFocus()
    qtbot.keyClick(page.back_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.current_step == "who", timeout=2000)
    page.back_button.setFocus()
    qtbot.keyClick(page.back_button, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    qtbot.waitUntil(lambda: page.current_step == "greeting", timeout=2000)


def test_tab_follows_the_reading_order_on_who_is_calling(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    _app, window, page = start_call(qtbot, make_app, lang)
    active(qtbot, window)
    page.steps["greeting"].consent_yes.click()  # type: ignore[attr-defined]
    page.show_step("who")
    who = page.steps["who"]
    who.number.setFocus()  # type: ignore[attr-defined]
    qtbot.keyClicks(who.number, "613 555 0142")  # type: ignore[attr-defined]
    assert who.use_suggestion.isVisible()  # type: ignore[attr-defined]
    visited = []
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    assert visited[:2] == [who.province, who.use_suggestion]  # type: ignore[attr-defined]


def test_kiosk_choices_show_focus(
    qtbot: QtBot,
    make_app: AppFactory,
    settings_file: SettingsFile,
    existing_store: Path,
    lang: Language,
) -> None:
    _app, window = start_kiosk(qtbot, make_app, settings_file, lang, size=(1280, 720))
    active(qtbot, window)
    session = begin(window, lang)
    answer(session, PHYSICIAN_ANSWERS[:1])
    screen = session.questions["province"]
    first, second = list(screen.choices.values())[:2]
    assert focus_changes_the_look(qtbot, first, second)
    answer(session, PHYSICIAN_ANSWERS[1:])
    assert focus_changes_the_look(qtbot, session.results.finish_button, window.help_button)
