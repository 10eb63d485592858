"""The supervisor console in both languages over a real encrypted store: reached by a
supervisor from the main window; settings kept in the store; an account added; all audited.
A volunteer is never given the page (the service refuses them too: tests/storage/test_console)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from intake.accounts import Account, Role
from intake.i18n import Language, _
from intake.services import accounts as console
from intake.ui.console import ConsolePage
from tests.conftest import make_store
from tests.gui.conftest import AppFactory, main_window_of, wait_idle
from tests.gui.texts import foreign_texts


def test_a_supervisor_uses_the_console(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    assert window.console_button.isVisible()
    window.show_console()
    page = window.console_page
    assert page is not None
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=10_000)
    assert foreign_texts(window, lang) == []
    page.on_call.setText("Dr Roy, 613-555-0100")
    page.idle.setValue(10)
    page.save_settings.click()
    qtbot.waitUntil(lambda: _("The settings were saved.") in page.status.text(), timeout=10_000)
    page.name.setText("Dr Lee")
    page.pin.setText("739251")
    page.add_button.click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 2, timeout=10_000)
    page.name.setText("Dr Kim")
    page.pin.setText("1234")  # too easy: refused, said in the person's language
    page.add_button.click()
    qtbot.waitUntil(
        lambda: _("Choose a PIN of digits that is not easy to guess") in page.status.text(),
        timeout=10_000,
    )
    wait_idle(qtbot)
    store = app.store
    assert store is not None
    assert console.on_call_contact(store) == "Dr Roy, 613-555-0100"
    assert console.setting(store, "idle_lock_minutes") == "10"
    assert store.query("SELECT count(*) FROM accounts") == [(2,)]
    details = {r[0] for r in store.query("SELECT detail FROM audit WHERE action = 'console'")}
    assert {"on-call-contact-set", "account-added role=volunteer"} <= details
    assert foreign_texts(window, lang) == []


def test_settings_cannot_be_saved_before_the_stored_values_are_shown(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    # Before the load, the spin boxes hold their minimums (1 minute, 30 days): a Save then
    # would have cut the retention period to 30 days.
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    window.show_console()
    page = window.console_page
    assert page is not None
    assert not page.save_settings.isEnabled()
    qtbot.waitUntil(page.save_settings.isEnabled, timeout=10_000)
    assert page.retention.value() == 365
    assert foreign_texts(window, lang) == []


def test_the_page_is_never_built_for_a_volunteer(qtbot: QtBot, store_path: Path) -> None:
    store = make_store(store_path)
    try:
        holder = QWidget()
        qtbot.addWidget(holder)
        with pytest.raises(PermissionError):
            ConsolePage(store, Account("v", "Volunteer Vi", Role.VOLUNTEER), holder)
    finally:
        store.close()


def test_the_on_call_contact_set_in_the_console_reaches_the_crisis_route(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    from intake.storage.db import open_store
    from tests.conftest import PASSPHRASE

    store = open_store(existing_store, PASSPHRASE)
    boss = store.query("SELECT id FROM accounts WHERE role = 'supervisor'")[0][0]
    console.set_on_call_contact(store, boss, "Dr Roy, 613-555-0100")
    store.close()
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    window.new_call()
    page = window.call_page
    assert page is not None
    page.open_crisis()
    qtbot.waitUntil(lambda: "Dr Roy, 613-555-0100" in page.crisis.supervisor.text(), timeout=10_000)
