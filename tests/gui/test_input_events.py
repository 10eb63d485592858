"""The application's one input filter: idle watches hear of every press and key through it,
and stop hearing when stopped; Enter on a focused button still presses it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from intake.i18n import Language
from intake.settings import SettingsFile
from intake.ui.app import IntakeApplication, create_qapplication, install_input_filter
from intake.ui.idle import IdleWatch
from intake.ui.language import INPUT_FILTER, INSTALLED
from intake.ui.widgets import EnterPressesButtons


def test_an_expired_watch_restarts_on_a_key_or_a_click_anywhere(qtbot: QtBot) -> None:
    create_qapplication([])  # installs the application's input filter, as the app does
    owner = QWidget()
    qtbot.addWidget(owner)
    watch = IdleWatch(60_000, owner)
    for person_acts in (
        lambda: qtbot.keyClick(owner, Qt.Key.Key_A),
        lambda: qtbot.mouseClick(owner, Qt.MouseButton.LeftButton),
    ):
        watch.expire()
        assert not watch.is_active()
        person_acts()
        assert watch.is_active()
    watch.stop()
    qtbot.keyClick(owner, Qt.Key.Key_A)
    assert not watch.is_active()  # a stopped watch hears nothing more


def test_enter_on_a_focused_button_presses_it_with_a_watch_listening(qtbot: QtBot) -> None:
    create_qapplication([])
    window = QWidget()
    qtbot.addWidget(window)
    button = QPushButton("Next", window)
    QVBoxLayout(window).addWidget(button)
    watch = IdleWatch(60_000, window)
    window.show()
    qtbot.waitExposed(window)
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    watch.expire()
    with qtbot.waitSignal(button.clicked, timeout=5_000):
        qtbot.keyClick(button, Qt.Key.Key_Return)
    assert watch.is_active()
    watch.stop()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_started_application_filters_input_once_its_window_has_painted(
    qtbot: QtBot, existing_store: Path, settings_file: SettingsFile, language: Language
) -> None:
    """`run` starts with the input filter deferred (its first use made PySide6 build every
    class and enum it had left for later, before the window was on screen); once the window
    has painted it is installed, and Enter on the focused unlock button presses it."""
    app = create_qapplication([])
    enter = app.findChild(EnterPressesButtons, INPUT_FILTER)
    assert enter is not None
    app.removeEventFilter(enter)  # as a process started by `run` begins
    enter.setProperty(INSTALLED, False)
    settings_file.save(settings_file.load().with_language(language))
    controller = IntakeApplication(existing_store, settings_file)
    qtbot.addWidget(controller.gate)
    try:
        controller.start()
        assert not enter.property(INSTALLED)  # nothing painted yet
        heard: list[bool] = []
        enter.activity.connect(lambda: heard.append(True))
        qtbot.keyClick(controller.gate, Qt.Key.Key_A)
        assert heard == []  # the filter does not see events yet
        qtbot.waitUntil(lambda: bool(enter.property(INSTALLED)), timeout=10_000)
        controller.language.switch("fr" if language == "en" else "en")  # steps aside, comes back
        assert enter.property(INSTALLED)
        button = controller.gate.unlock.unlock_button
        button.setFocus()
        qtbot.waitUntil(button.hasFocus)
        with qtbot.waitSignal(button.clicked, timeout=5_000):
            qtbot.keyClick(button, Qt.Key.Key_Return)
        assert heard  # and it tells the idle watches again
    finally:
        install_input_filter()
        controller.shutdown()
