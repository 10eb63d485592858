"""Later runs: unlock with the passphrase, sign in with a PIN, lock and unlock the main window."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from intake.i18n import Language, _
from intake.ui.main_window import MainWindow
from tests.conftest import PASSPHRASE, PIN, SUPERVISOR
from tests.gui.conftest import AppFactory, sign_in, wait_idle
from tests.gui.texts import foreign_texts


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def signed_in_window(qtbot: QtBot, make_app: AppFactory, lang: Language) -> MainWindow:
    app = make_app(lang)
    sign_in(qtbot, app)
    assert app.main_window is not None
    return app.main_window


def test_wrong_passphrase_then_right_one(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    before = digest(existing_store)
    app = make_app(lang)
    unlock = app.gate.unlock
    assert app.gate.pages.currentWidget() is unlock
    assert foreign_texts(app.gate, lang) == []

    unlock.passphrase.setText("not the right passphrase")
    unlock.unlock_button.click()
    assert not unlock.unlock_button.isEnabled()  # busy while the key is derived
    wait_idle(qtbot)
    assert unlock.banner.isVisible()
    assert unlock.banner.title.text() == _("That passphrase does not open this store")
    assert unlock.passphrase.text() == ""
    assert unlock.unlock_button.isEnabled()
    assert foreign_texts(app.gate, lang) == []
    assert digest(existing_store) == before

    unlock.passphrase.setText(PASSPHRASE)
    unlock.unlock_button.click()
    wait_idle(qtbot)
    signin = app.gate.signin
    assert app.gate.pages.currentWidget() is signin
    assert signin.account.currentText() == SUPERVISOR
    assert foreign_texts(app.gate, lang) == []

    signin.pin.setText("999999")
    signin.signin_button.click()
    wait_idle(qtbot)
    assert signin.banner.title.text() == _("That PIN does not match this name")
    assert app.main_window is None

    signin.pin.setText(PIN)
    signin.signin_button.click()
    wait_idle(qtbot)
    assert app.main_window is not None
    assert app.main_window.isVisible()
    assert SUPERVISOR in app.main_window.signed_in.text()
    assert foreign_texts(app.main_window, lang) == []


def test_empty_passphrase_is_explained_without_trying(
    make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app = make_app(lang)
    app.gate.unlock.unlock_button.click()
    assert app.gate.unlock.banner.title.text() == _("Type the store passphrase first.")
    assert app.gate.unlock.unlock_button.isEnabled()
    assert app.store is None


def test_lock_hides_the_workspace_until_the_pin(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app = make_app(lang)
    sign_in(qtbot, app)
    window = app.main_window
    assert window is not None
    assert not window.locked
    window.lock_action.trigger()
    assert window.locked
    assert not window.home.isVisible()
    assert foreign_texts(window, lang) == []

    window.lock_page.pin.setText("111111")
    window.lock_page.unlock_button.click()
    wait_idle(qtbot)
    assert window.locked
    assert window.lock_page.banner.title.text() == _("That PIN is not right")

    window.lock_page.pin.setText(PIN)
    window.lock_page.unlock_button.click()
    wait_idle(qtbot)
    assert not window.locked
    assert window.home.isVisible()
    assert window.lock_page.pin.text() == ""
    assert app.store is not None
    actions = [r[0] for r in app.store.query("SELECT action FROM audit ORDER BY seq")]
    assert actions[-3:] == ["lock", "failed-sign-in", "unlock"]


def test_about_box_names_the_versions(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    window = signed_in_window(qtbot, make_app, lang)
    window.about_action.trigger()
    box = window.findChild(QMessageBox, "about-box")
    assert box is not None
    assert box.isVisible()
    text = box.informativeText()
    assert qVersion() in text
    assert "SQLCipher 4." in text
    assert box.windowTitle() == _("About Peer Support Intake")
    assert foreign_texts(box, lang) == []
    box.close()
