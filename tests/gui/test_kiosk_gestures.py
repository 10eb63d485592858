"""Drag-to-scroll on the kiosk's screens uses one gesture recognizer for the whole application.

Qt's QScroller.grabGesture registered a new recognizer, under a new gesture type, for every
screen of every session, and PySide kept a Python enum member for each new type for ever: a
kiosk grew by a dozen of them (and their classes) per visit. Counted as Python objects, which
the Qt-object count of test_no_growth.py cannot see.
"""

from __future__ import annotations

import gc
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from intake.i18n import Language
from intake.settings import SettingsFile
from intake.ui import ops
from tests.gui.conftest import AppFactory
from tests.gui.kiosk_helpers import start_kiosk

OTHER: dict[Language, Language] = {"en": "fr", "fr": "en"}


def gesture_types() -> int:
    return sum(1 for o in gc.get_objects() if isinstance(o, Qt.GestureType))


def test_kiosk_visits_register_no_new_gesture(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    _controller, window = start_kiosk(qtbot, make_app, settings_file, lang, size=None)

    def visit() -> None:
        session = window.session
        session.welcome.buttons[OTHER[lang]].click()
        for step, choice in (("who", "physician"), ("province", "QC"), ("safety", "no")):
            session.questions[step].choices[choice].click()
        qtbot.waitUntil(lambda: not ops.running(), timeout=10_000)
        window.wipe()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    visit()
    gc.collect()
    before = gesture_types()
    for _visit in range(5):
        visit()
    gc.collect()
    assert gesture_types() == before  # dragging still scrolls: tests/gui/test_kiosk_touch.py
