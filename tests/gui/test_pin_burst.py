"""A burst of PIN tries on every PIN field (lock screen, sign-in, kiosk exit): while one PIN is
checked the field ignores input, so one check runs at a time and every wrong try is counted."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from intake.i18n import Language
from intake.settings import SettingsFile
from intake.storage.db import Store
from intake.ui import ops
from tests.conftest import PASSPHRASE, PIN
from tests.gui.conftest import AppFactory, main_window_of, store_of, wait_idle
from tests.gui.kiosk_helpers import start_kiosk


def _burst(qtbot: QtBot, field: QLineEdit, name: str, tries: int = 100) -> int:
    """Type a PIN and press Enter `tries` times without waiting (the right one 90th);
    return the most checks that ran at once."""
    most = 0
    for i in range(tries):
        field.setFocus()
        qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(field, PIN if i == 89 else "000000")
        qtbot.keyClick(field, Qt.Key.Key_Return)
        if field.text():
            assert field.isReadOnly()  # a check is running: input is ignored
        most = max(most, ops.running().count(name))
    return most


def _counted(store: Store) -> tuple[int, int]:
    """(failure count on the account, wrong tries audited with a count)."""
    failed = store.query("SELECT max(failed_pins) FROM accounts")[0][0]
    audited = store.query(
        "SELECT count(*) FROM audit WHERE action = 'failed-sign-in' AND detail LIKE 'failures=%'"
    )[0][0]
    return int(failed), int(audited)


def test_lock_screen_checks_one_pin_at_a_time(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    window.lock_action.trigger()
    page = window.lock_page
    most = _burst(qtbot, page.pin, "unlock-pin")
    wait_idle(qtbot)
    assert most == 1
    failed, audited = _counted(store_of(app))
    assert failed == audited  # no wrong try was lost
    assert not page.pin.isReadOnly()  # ready for the next try


def test_sign_in_checks_one_pin_at_a_time(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app = make_app(lang)
    app.gate.unlock.passphrase.setText(PASSPHRASE)
    app.gate.unlock.unlock_button.click()
    wait_idle(qtbot)
    page = app.gate.signin
    most = 0
    for i in range(30):
        page.pin.setFocus()
        qtbot.keyClick(page.pin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(page.pin, "000000" if i < 29 else PIN)
        qtbot.keyClick(page.pin, Qt.Key.Key_Return)
        most = max(most, ops.running().count("check-pin"))
    wait_idle(qtbot)
    assert most == 1
    failed, audited = _counted(store_of(app))
    assert failed == audited


def test_kiosk_exit_panel_checks_one_pin_at_a_time(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    window.open_staff()
    wait_idle(qtbot)
    before = _counted(store_of(app))
    most = _burst(qtbot, window.staff.pin, "kiosk-exit-pin")
    wait_idle(qtbot)
    assert most == 1
    failed, audited = _counted(store_of(app))
    assert failed == audited
    assert audited > before[1]
    leave = window.staff.findChild(QPushButton, "kiosk-staff-leave")
    assert leave is not None
    assert leave.isEnabled()
