"""The Qt binding must not lose references when it delivers signals to Python.

PySide6 6.12.0 does: every click delivered to a Python slot took one reference from None (and
Signal(object) deliveries one from True), so a kiosk or a phone-line window crashed with
"deallocating None" after a few thousand taps. pyproject.toml keeps that release out; this test
fails if a version with the same fault is ever installed again.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

DELIVERIES = 500


class _Emitter(QObject):
    value = Signal(object)
    flag = Signal(bool)


def _ignore(*_args: object) -> None:
    pass


def test_clicks_delivered_to_python_keep_every_reference(qtbot: QtBot) -> None:
    button = QPushButton()
    qtbot.addWidget(button)
    button.clicked.connect(_ignore)
    before = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
    for _click in range(DELIVERIES):
        button.click()
    after = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
    # A few references may come and go with unrelated objects; a leak is one per delivery.
    assert all(abs(a - b) < DELIVERIES // 10 for a, b in zip(after, before, strict=True))


def test_python_signals_keep_every_reference(qtbot: QtBot) -> None:
    emitter = _Emitter()
    emitter.value.connect(_ignore)
    before = sys.getrefcount(None), sys.getrefcount(True)
    for number in range(DELIVERIES):
        emitter.value.emit(number)
    after = sys.getrefcount(None), sys.getrefcount(True)
    assert all(abs(a - b) < DELIVERIES // 10 for a, b in zip(after, before, strict=True))
