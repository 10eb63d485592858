"""Text follows the system font size; the call can be driven from the keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from intake.i18n import Language
from intake.ui.app import create_qapplication
from tests.gui.conftest import AppFactory, main_window_of


@pytest.fixture
def large_system_font(qtbot: QtBot) -> Iterator[float]:
    before = QApplication.font()
    large = QFont(before)
    large.setPointSizeF(16)
    QApplication.setFont(large)
    yield 16.0
    QApplication.setFont(before)
    create_qapplication([])  # restores the style sheet for the normal size


def test_text_scales_with_the_system_font_size(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    large_system_font: float,
    lang: Language,
) -> None:
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    window.new_call()
    assert window.call_page is not None
    label = window.call_page.steps["greeting"].intro
    assert label.font().pointSizeF() == pytest.approx(large_system_font)
    heading = window.call_page.steps["greeting"].title
    assert heading.font().pointSizeF() > large_system_font


def test_the_call_moves_from_step_to_step_with_the_keyboard(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    page = window.call_page
    assert page is not None
    for expected in ("who", "safety", "needs", "recommendations", "wrapup"):
        qtbot.keyClick(
            page.stack.currentWidget(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier
        )
        assert page.current_step == expected
        focus = QApplication.focusWidget()
        assert focus is not None
        assert page.stack.currentWidget().isAncestorOf(focus)  # focus lands in the new step
    qtbot.keyClick(
        page.stack.currentWidget(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier
    )
    assert page.current_step == "recommendations"
