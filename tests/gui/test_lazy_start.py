"""Start-up builds only what the first window shows: with a store already set up, the unlock
page, and never the first-run set-up form (it cost 9-13 ms of every start)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from intake.i18n import Language
from intake.settings import SettingsFile
from intake.ui.setup_page import SetupPage
from tests.gui.conftest import AppFactory


def test_an_existing_store_starts_without_building_the_set_up_page(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app = make_app(lang)
    gate = app.gate
    assert gate.pages.currentWidget() is gate.unlock
    assert gate.unlock.passphrase.hasFocus() or not gate.isActiveWindow()
    assert gate.findChildren(SetupPage) == []


def test_first_run_still_opens_on_the_set_up_page(
    qtbot: QtBot, make_app: AppFactory, lang: Language
) -> None:
    app = make_app(lang)
    gate = app.gate
    assert isinstance(gate.pages.currentWidget(), SetupPage)
    assert len(gate.findChildren(SetupPage)) == 1


# Run in a new process, as `intake --store` starts: what exists when the first window paints.
FIRST_PAINT = """
import sys
from pathlib import Path
from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from intake.settings import SettingsFile
from intake.ui.app import IntakeApplication, create_qapplication

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not hasattr(self, "seen"):
            self.seen = (
                "Qt" in vars(QtCore),
                "platformdirs" in sys.modules,
                "intake.ui.shells" in sys.modules,
            )
            QTimer.singleShot(0, QApplication.quit)
        return False

app = create_qapplication(sys.argv[:1], defer_input_filter=True)
controller = IntakeApplication(Path(sys.argv[1]), SettingsFile(Path(sys.argv[2])))
hook = FirstPaint()
controller.gate.installEventFilter(hook)
controller.start()
app.exec()
print(*hook.seen)
controller.shutdown()
"""


def test_nothing_before_the_first_paint_builds_the_qt_namespace(
    existing_store: Path, settings_file: SettingsFile, lang: Language
) -> None:
    """PySide6 builds all 93 enums of `Qt` at its first use (about 40 ms of a 250 ms start),
    and the per-user folders cost an import: the unlock page is painted without either, and
    without the shells built after sign-in."""
    settings_file.save(settings_file.load().with_language(lang))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT, str(existing_store), str(settings_file.path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    assert done.stdout.split() == ["False", "False", "False"], done.stderr


def test_the_first_window_is_finished_once_painted(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    """What the unlock page sets without naming `Qt` is what it set before: no context menu on
    the passphrase (nothing to copy it with), a store path that can be selected; and the
    language switch gets its pointing cursor once the window has painted."""
    app = make_app(lang)
    gate = app.gate
    unlock = gate.unlock
    assert unlock.passphrase.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu
    assert unlock.passphrase.echoMode() == QLineEdit.EchoMode.Password
    assert unlock.location.textInteractionFlags() == Qt.TextInteractionFlag.TextSelectableByMouse
    gate.show()
    qtbot.waitUntil(lambda: gate._painted, timeout=30_000)
    buttons = gate.language_switch.buttons.values()
    qtbot.waitUntil(
        lambda: all(b.cursor().shape() == Qt.CursorShape.PointingHandCursor for b in buttons),
        timeout=30_000,
    )
    # The switch keeps to the top right of the header, above the page.
    switch = gate.language_switch
    top_right = switch.mapTo(gate, switch.rect().topRight())
    assert top_right.y() <= gate.app_name.mapTo(gate, gate.app_name.rect().topLeft()).y() + 2
    assert top_right.x() >= gate.width() - 40
    assert top_right.y() < gate.pages.mapTo(gate, gate.pages.rect().topLeft()).y()
