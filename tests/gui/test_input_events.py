"""The application's one input filter: idle watches hear of every press and key through it,
and stop hearing when stopped; Enter on a focused button still presses it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from intake.ui.app import create_qapplication
from intake.ui.idle import IdleWatch


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
