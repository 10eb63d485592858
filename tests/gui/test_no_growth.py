"""A kiosk runs for months and a phone line for a whole shift: visits and language switches must
leave nothing behind. Counted as live Qt objects (every object in the application's trees, and
every Qt object Python still holds), not only as memory, which moves for many harmless reasons.
The counts must be exactly equal before and after, so one object left per repetition shows
at once; the repetitions are a few hundred rather than thousands to keep the suite's time.
"""

from __future__ import annotations

import ctypes
import gc
import importlib
from collections.abc import Callable
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QObject, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from intake.i18n import Language
from intake.settings import SettingsFile
from intake.ui import ops
from intake.ui.app import IntakeApplication
from intake.ui.kiosk import session as kiosk_session
from intake.ui.kiosk.window import KioskWindow
from tests.gui.conftest import AppFactory, main_window_of
from tests.gui.kiosk_helpers import PHYSICIAN_ANSWERS, start_kiosk

OTHER: dict[Language, Language] = {"en": "fr", "fr": "en"}
VISITS = 50  # per language: 100 whole visits, each switching the language there and back
SWITCHES = 300  # per language, a call open in the main window: 600 switches
# SQLite's memory kept by a visit, in bytes: after WARM_VISITS, MEASURED_VISITS must keep less
# than BYTES_PER_VISIT each. Before the fix each visit kept about 2-2.5 KB: the pages it wrote,
# decrypted, in the store's page cache (which only stops growing at CACHE_KIB, 32 MB).
WARM_VISITS = 10
MEASURED_VISITS = 30
BYTES_PER_VISIT = 256


def live_qt_objects(controller: IntakeApplication) -> dict[str, int]:
    """Every object in the application's Qt trees, and every Qt object Python holds."""
    app = QApplication.instance()
    assert app is not None
    roots: list[QObject] = [app, controller, *QApplication.topLevelWidgets()]
    in_trees = sum(1 + len(root.findChildren(QObject)) for root in roots)
    wrapped = [o for o in shiboken6.getAllValidWrappers() if isinstance(o, QObject)]
    return {
        "objects in the trees": in_trees,
        "Qt objects held by Python": len(wrapped),
        "translators": len(controller.findChildren(QTranslator)),
        "widgets": len(QApplication.allWidgets()),
    }


def settle(qtbot: QtBot) -> None:
    """Let queued work finish: worker results, deferred deletions, Python's cycle collector."""
    qtbot.waitUntil(lambda: not ops.running(), timeout=10_000)
    for _round in range(3):
        QApplication.sendPostedEvents(None, 0)
        QApplication.sendPostedEvents(None, 52)  # QEvent.DeferredDelete
        QApplication.processEvents()
    gc.collect()


def assert_flat(
    qtbot: QtBot, controller: IntakeApplication, repeat: Callable[[], None], times: int
) -> None:
    for _warm in range(5):  # caches filled, first-use objects built
        repeat()
    settle(qtbot)
    before = live_qt_objects(controller)
    for _again in range(times):
        repeat()
    settle(qtbot)
    after = live_qt_objects(controller)
    assert after == before, f"grew over {times} repetitions: {before} -> {after}"


def test_kiosk_visits_leave_no_qt_object_behind(
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    """A visitor picks the other language, answers every question, sees results; then the
    idle wipe. The kiosk must be exactly as it was, visit after visit."""
    # Visitors one after another: each new session prepares its screens at once, and the
    # count is taken of a session as a waiting kiosk holds it (screens prepared).
    monkeypatch.setattr(kiosk_session, "PREPARE_AFTER_MS", 0)
    controller, window = start_kiosk(qtbot, make_app, settings_file, lang, size=None)
    visitor = OTHER[lang]

    def visit() -> None:
        session = window.session
        session.welcome.buttons[visitor].click()
        for step, choices in (
            ("who", "physician"),
            ("province", "QC"),
            ("safety", "no"),
            ("need", "peer"),
            ("format", "one-on-one"),
            ("service_language", visitor),
        ):
            session.questions[step].choices[choices].click()
        qtbot.waitUntil(lambda: not ops.running(), timeout=10_000)
        window.wipe()
        QApplication.sendPostedEvents(None, 52)  # the old session goes on the next loop turn
        qtbot.waitUntil(lambda: window.session.prepared, timeout=10_000)

    assert isinstance(window, KioskWindow)
    assert_flat(qtbot, controller, visit, VISITS)


def sqlite_memory_used() -> int:
    """Bytes SQLite (the SQLCipher build the store runs on) has allocated now, page caches
    included: sqlite3_memory_used() of the library itself, which tracemalloc cannot see."""
    library = ctypes.CDLL(importlib.import_module("sqlcipher3._sqlite3").__file__)
    used = library.sqlite3_memory_used
    used.restype = ctypes.c_int64
    return int(used())


def test_kiosk_visits_keep_no_memory(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    """A kiosk runs for months: whole visits (the visitor picks the other language, answers
    every question, sees results, the visit is saved; then the idle wipe) keep nothing in
    SQLite's memory, which tracemalloc and the live-object count cannot see."""
    controller, window = start_kiosk(qtbot, make_app, settings_file, lang, size=None)
    visitor = OTHER[lang]

    def visit() -> None:
        session = window.session
        session.welcome.buttons[visitor].click()
        for step, value in PHYSICIAN_ANSWERS:
            session.questions[step].choices[value].click()
        assert session.results_shown
        qtbot.waitUntil(lambda: not ops.running(), timeout=10_000)
        window.wipe()
        QApplication.sendPostedEvents(None, 52)

    for _warm in range(WARM_VISITS):
        visit()
    settle(qtbot)
    before = sqlite_memory_used()
    for _visit in range(MEASURED_VISITS):
        visit()
    settle(qtbot)
    kept = (sqlite_memory_used() - before) / MEASURED_VISITS
    assert controller.kiosk_window is window
    assert kept < BYTES_PER_VISIT, f"SQLite kept {kept:+.0f} B a visit"


def test_language_switches_keep_one_translator(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    """Switching back and forth replaces Qt's catalog; it never piles up another one."""
    controller = make_app(lang)
    window = main_window_of(qtbot, controller)
    window.new_call()
    page = window.call_page
    assert page is not None
    # The call's steps are prepared on timers of their own after it opens: counted once done.
    qtbot.waitUntil(lambda: page.stack.prepared, timeout=10_000)
    buttons = window.language_switch.buttons

    def there_and_back() -> None:
        buttons[OTHER[lang]].click()
        buttons[lang].click()

    assert_flat(qtbot, controller, there_and_back, SWITCHES // 2)
    assert live_qt_objects(controller)["translators"] == 1  # French: Qt's own catalog, once
