"""The kiosk by touch: drag to scroll, the main actions always on screen, a number pad,
province names in the display language's order, the crisis button in both languages."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from intake.i18n import Language, gettext_in
from intake.settings import SettingsFile
from tests.gui.conftest import AppFactory
from tests.gui.kiosk_helpers import PHYSICIAN_ANSWERS, answer, begin, start_kiosk
from tests.gui.texts import foreign_texts

LAPTOP = (1280, 720)


def on_screen(widget: QWidget, window: QWidget) -> bool:
    """Wholly inside the window and not scrolled out of its scroll area."""
    if not widget.isVisible():
        return False
    top_left = widget.mapTo(window, QPoint(0, 0))
    inside = window.rect().contains(top_left) and window.rect().contains(
        top_left + QPoint(widget.width() - 1, widget.height() - 1)
    )
    visible = widget.visibleRegion().boundingRect().size() == widget.size()
    return inside and visible


def drag(qtbot: QtBot, target: QWidget, start: QPoint, end: QPoint) -> None:
    """A finger (or mouse) pressed, moved in small steps and lifted, with real time passing."""
    qtbot.mousePress(target, Qt.MouseButton.LeftButton, pos=start)
    steps = 12
    for step in range(1, steps + 1):
        point = start + (end - start) * step / steps
        qtbot.mouseMove(target, point)
        qtbot.wait(16)
    qtbot.mouseRelease(target, Qt.MouseButton.LeftButton, pos=end)


def tap(qtbot: QtBot, button: QWidget) -> None:
    """A finger's tap: pressed, held a moment, lifted (the scroller tells taps from drags)."""
    qtbot.mousePress(button, Qt.MouseButton.LeftButton)
    qtbot.wait(60)
    qtbot.mouseRelease(button, Qt.MouseButton.LeftButton)


def test_dragging_the_results_scrolls_them(
    qtbot: QtBot,
    make_app: AppFactory,
    settings_file: SettingsFile,
    existing_store: Path,
    lang: Language,
) -> None:
    _app, window = start_kiosk(qtbot, make_app, settings_file, lang, size=LAPTOP)
    session = begin(window, lang)
    answer(session, PHYSICIAN_ANSWERS)
    results = session.results
    bar = results.scroller.verticalScrollBar()
    assert bar.maximum() > 0  # more cards than fit: there is something to scroll
    assert bar.value() == 0
    viewport = results.scroller.viewport()
    middle = viewport.rect().center()
    drag(qtbot, viewport, middle + QPoint(0, 120), middle - QPoint(0, 120))
    qtbot.waitUntil(lambda: bar.value() > 50, timeout=3000)


def test_finish_and_ask_for_a_callback_are_always_on_screen(
    qtbot: QtBot,
    make_app: AppFactory,
    settings_file: SettingsFile,
    existing_store: Path,
    lang: Language,
) -> None:
    _app, window = start_kiosk(qtbot, make_app, settings_file, lang, size=LAPTOP)
    session = begin(window, lang)
    answer(session, PHYSICIAN_ANSWERS)
    results = session.results
    QApplication.processEvents()
    for scrolled in (0, results.scroller.verticalScrollBar().maximum()):
        results.scroller.verticalScrollBar().setValue(scrolled)
        QApplication.processEvents()
        assert on_screen(results.callback_button, window)
        assert on_screen(results.finish_button, window)
    results.callback_button.click()
    assert on_screen(session.callback.submit_button, window)


def test_a_callback_number_can_be_typed_on_the_screen(
    qtbot: QtBot,
    make_app: AppFactory,
    settings_file: SettingsFile,
    existing_store: Path,
    lang: Language,
) -> None:
    _app, window = start_kiosk(qtbot, make_app, settings_file, lang, size=LAPTOP)
    session = begin(window, lang)
    answer(session, PHYSICIAN_ANSWERS)
    session.results.callback_button.click()
    callback = session.callback
    pad = callback.pad
    assert on_screen(pad, window)
    typed = ""
    for key in "514 555 01999":
        tap(qtbot, pad.keys[key])
        typed += key
        qtbot.waitUntil(lambda t=typed: callback.number.text() == t, timeout=2000)  # type: ignore[misc]
    tap(qtbot, pad.keys["⌫"])
    qtbot.waitUntil(lambda: callback.number.text() == "514 555 0199", timeout=2000)
    # The keys never take the focus: the field keeps it, and Tab goes on from there.
    assert all(key.focusPolicy() == Qt.FocusPolicy.NoFocus for key in pad.keys.values())
    assert pad.keys["⌫"].accessibleName() == gettext_in(lang, "Erase the last character")


def test_provinces_are_in_the_display_languages_order(
    qtbot: QtBot,
    make_app: AppFactory,
    settings_file: SettingsFile,
    existing_store: Path,
    lang: Language,
) -> None:
    _app, window = start_kiosk(qtbot, make_app, settings_file, lang, size=LAPTOP)
    session = begin(window, lang)
    answer(session, (("who", "physician"),))
    screen = session.questions["province"]
    QApplication.processEvents()
    by_position = sorted(
        screen.choices.values(), key=lambda b: (b.mapTo(screen, QPoint(0, 0)).y(), b.x())
    )
    titles = [b.title.text() for b in by_position]
    if lang == "fr":
        # « Île-du-Prince-Édouard » between « Colombie-Britannique » and « Manitoba ».
        assert titles[:4] == [
            "Alberta",
            "Colombie-Britannique",
            "Île-du-Prince-Édouard",
            "Manitoba",
        ]
        assert titles[-1] == "Yukon"
    else:
        assert titles[:3] == ["Alberta", "British Columbia", "Manitoba"]
        assert titles.index("Prince Edward Island") == titles.index("Ontario") + 1


def test_the_welcome_screens_crisis_button_speaks_both_languages(
    qtbot: QtBot,
    make_app: AppFactory,
    settings_file: SettingsFile,
    existing_store: Path,
    lang: Language,
) -> None:
    _app, window = start_kiosk(qtbot, make_app, settings_file, lang, size=LAPTOP)
    button = window.help_button
    for language in ("en", "fr"):
        assert gettext_in(language, "Need help now?") in button.text()  # type: ignore[arg-type]
    other: Language = "fr" if lang == "en" else "en"
    begin(window, other)  # a visitor picks the other language: now only theirs
    assert button.text() == gettext_in(other, "Need help now?")
    assert foreign_texts(window, other) == []
    window.wipe()  # the next visitor sees both again
    assert gettext_in(lang, "Need help now?") in button.text()
    assert gettext_in(other, "Need help now?") in button.text()
