"""GUI fixtures: a real application controller over a real encrypted store in tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from intake.i18n import Language
from intake.settings import SettingsFile
from intake.storage.db import Store
from intake.ui import ops
from intake.ui.app import IntakeApplication, create_qapplication
from intake.ui.main_window import MainWindow

AppFactory = Callable[..., IntakeApplication]


@pytest.fixture
def make_app(qtbot: QtBot, store_path: Path, settings_file: SettingsFile) -> Iterator[AppFactory]:
    created: list[IntakeApplication] = []

    def factory(language: Language | None = None, *, kiosk: bool = False) -> IntakeApplication:
        create_qapplication([])
        if language is not None:
            settings_file.save(settings_file.load().with_language(language))
        controller = IntakeApplication(store_path, settings_file, kiosk=kiosk)
        qtbot.addWidget(controller.gate)
        controller.start()
        created.append(controller)
        return controller

    yield factory
    for controller in created:
        qtbot.waitUntil(lambda: not ops.running(), timeout=10_000)
        if controller.main_window is not None:
            controller.main_window.close()
            controller.main_window.deleteLater()
        if controller.kiosk_window is not None:
            controller.kiosk_window.allow_exit()
            controller.kiosk_window.close()
            controller.kiosk_window.deleteLater()
        controller.shutdown()


@pytest.fixture(autouse=True)
def _no_thread_left_running(qtbot: QtBot) -> Iterator[None]:
    yield
    qtbot.waitUntil(lambda: not ops.running(), timeout=10_000)
    assert ops.running() == []


def wait_idle(qtbot: QtBot) -> None:
    """Wait until every background call has delivered its result."""
    qtbot.waitUntil(lambda: not ops.running(), timeout=10_000)


def sign_in(qtbot: QtBot, app: IntakeApplication) -> None:
    """Unlock the test store and sign the supervisor in, through the real pages."""
    from tests.conftest import PASSPHRASE, PIN

    app.gate.unlock.passphrase.setText(PASSPHRASE)
    app.gate.unlock.unlock_button.click()
    wait_idle(qtbot)
    app.gate.signin.pin.setText(PIN)
    app.gate.signin.signin_button.click()
    wait_idle(qtbot)


def main_window_of(qtbot: QtBot, app: IntakeApplication) -> MainWindow:
    """Sign in through the real pages and wait for the main window (built after a worker
    thread has loaded the directory and any unfinished call)."""
    sign_in(qtbot, app)
    qtbot.waitUntil(lambda: app.main_window is not None, timeout=10_000)
    assert app.main_window is not None
    return app.main_window


def store_of(app: IntakeApplication) -> Store:
    """The application's open store (after unlock), for checking what was saved."""
    assert app.store is not None
    return app.store
