"""The supervisor console in both languages over a real encrypted store: reached by a
supervisor from the main window; settings kept in the store; an account added; all audited.
A volunteer is never given the page (the service refuses them too: tests/storage/test_console)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from intake.accounts import Account, Role
from intake.i18n import Language, _, pgettext
from intake.services import accounts as console
from intake.services.session import Session
from intake.settings import Settings, SettingsFile
from intake.storage.account_store import check_pin
from intake.storage.errors import AccountDisabled
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


def _seeded(existing_store: Path, **settings: object) -> str:
    """Set console values in the store before the application starts; the supervisor's id."""
    from intake.storage.db import open_store
    from tests.conftest import PASSPHRASE

    store = open_store(existing_store, PASSPHRASE)
    try:
        boss = str(store.query("SELECT id FROM accounts WHERE role = 'supervisor'")[0][0])
        if "idle" in settings:
            console.set_idle_minutes(store, boss, int(settings["idle"]))  # type: ignore[call-overload]
        if "kiosk" in settings:
            policy = settings["kiosk"]
            assert isinstance(policy, console.KioskPolicy)
            console.set_kiosk_policy(store, boss, policy)
        if "volunteer" in settings:
            console.add_account(store, boss, str(settings["volunteer"]), "volunteer", "739251")
    finally:
        store.close()
    return boss


def cell(page: ConsolePage, row: int, column: int) -> str:
    item = page.table.item(row, column)
    return item.text() if item is not None else ""


def test_a_supervisor_disables_an_account_that_then_cannot_sign_in(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    _seeded(existing_store, volunteer="Volunteer Vi")
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    window.show_console()
    page = window.console_page
    assert page is not None
    qtbot.waitUntil(lambda: page.table.rowCount() == 2, timeout=10_000)
    names = [cell(page, r, 0) for r in range(2)]
    mine = names.index("Dr Sam Okafor")
    page.table.selectRow(mine)
    assert not page.disable_button.isEnabled()  # never your own account
    page.table.selectRow(1 - mine)
    assert page.disable_button.isEnabled()
    page.disable_button.click()
    disabled = pgettext("account", "Disabled: cannot sign in")
    qtbot.waitUntil(lambda: cell(page, 1 - mine, 2) == disabled, timeout=10_000)
    assert foreign_texts(window, lang) == []
    wait_idle(qtbot)
    store = app.store
    assert store is not None
    lee = store.query("SELECT id FROM accounts WHERE display_name = 'Volunteer Vi'")[0][0]
    assert "Volunteer Vi" not in [a.display_name for a in Session(store).accounts]  # not offered
    with pytest.raises(AccountDisabled):  # and refused, the right PIN or not
        check_pin(store, lee, "739251")
    details = [r[0] for r in store.query("SELECT detail FROM audit WHERE record = ?", (lee,))]
    assert "account-disabled" in details
    page.table.selectRow(1 - mine)
    assert page.disable_button.text() == _("Enable the account")


def test_the_idle_lock_saved_in_the_console_is_the_one_used(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    _seeded(existing_store, idle=7)
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    assert window.idle.interval_ms == 7 * 60 * 1000  # not the settings file's 15
    window.show_console()
    page = window.console_page
    assert page is not None
    qtbot.waitUntil(page.save_settings.isEnabled, timeout=10_000)
    assert page.idle.value() == 7
    page.idle.setValue(3)
    page.save_settings.click()
    qtbot.waitUntil(lambda: window.idle.interval_ms == 3 * 60 * 1000, timeout=10_000)


def test_the_kiosk_settings_saved_in_the_console_are_the_kiosks(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    window.show_console()
    page = window.console_page
    assert page is not None
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(page.save_kiosk.isEnabled, timeout=10_000)
    assert page.kiosk_idle.value() == Settings().kiosk_idle_seconds
    page.kiosk_idle.setValue(45)
    page.kiosk_alert.setCurrentIndex(page.kiosk_alert.findData("flag"))
    page.save_kiosk.click()
    saved = _("The kiosk settings were saved. A kiosk uses them from its next start.")
    qtbot.waitUntil(lambda: saved in page.status.text(), timeout=10_000)
    assert foreign_texts(window, lang) == []
    wait_idle(qtbot)
    store = app.store
    assert store is not None
    assert console.kiosk_policy(store, Settings()) == console.KioskPolicy(
        45, Settings().kiosk_countdown_seconds, Settings().kiosk_crisis_idle_seconds, "flag"
    )
    assert settings_file.load().kiosk_idle_seconds == Settings().kiosk_idle_seconds  # untouched


def test_a_kiosk_uses_the_policy_kept_in_the_store(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    from tests.gui.kiosk_helpers import start_kiosk

    _seeded(existing_store, kiosk=console.KioskPolicy(45, 20, 900, "flag"))
    _app, kiosk = start_kiosk(qtbot, make_app, settings_file, lang, kiosk_idle_seconds=300)
    assert kiosk.idle.interval_ms == 45 * 1000  # the store's, not the file's 300
    assert kiosk.crisis_idle_seconds == 900
    assert kiosk.staff_alert == "flag"


def test_directory_checks_province_by_province_marked_and_exported(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language, tmp_path: Path
) -> None:
    from intake.directory.load import load_directory
    from intake.services import directory_checks as checks

    app = make_app(lang)
    window = main_window_of(qtbot, app)
    window.show_console()
    page = window.console_page
    assert page is not None
    page.tabs.setCurrentWidget(page.directory_tab)
    tab = page.directory_tab
    qtbot.waitUntil(lambda: tab.table.rowCount() > 0, timeout=20_000)
    everywhere = tab.table.rowCount()
    tab.province.setCurrentIndex(tab.province.findData("QC"))
    assert 0 < tab.table.rowCount() < everywhere
    assert {r.group for r in tab.shown} == {"QC"}
    assert foreign_texts(window, lang) == []
    assert not tab.mark_button.isEnabled()  # nothing chosen yet
    tab.table.selectRow(0)
    chosen = tab.shown[0]
    tab.source.setText("")
    tab.mark_button.click()  # no source: refused, said, nothing kept
    refused = _("Say where the fact was checked (at most 200 characters)")
    qtbot.waitUntil(lambda: refused in page.status.text(), timeout=10_000)
    store = app.store
    assert store is not None
    assert checks.stored_checks(store) == {}
    tab.table.selectRow(0)
    tab.source.setText("Site web du programme")
    tab.mark_button.click()
    done = _("Marked as checked today. The referral shows it from the next call.")
    qtbot.waitUntil(lambda: done in page.status.text(), timeout=10_000)
    qtbot.waitUntil(
        lambda: all((r.entry_id, r.fact) != (chosen.entry_id, chosen.fact) for r in tab.rows),
        timeout=20_000,
    )
    exported = tmp_path / "organisation.toml"
    tab.export_to(exported)
    qtbot.waitUntil(exported.exists, timeout=10_000)
    wait_idle(qtbot)
    program = next(p for p in load_directory(exported) if p.id == chosen.entry_id)
    assert program.facts()[chosen.fact].status == "verified"
    assert program.facts()[chosen.fact].source == "Site web du programme"
    assert foreign_texts(window, lang) == []


def test_a_window_disabled_while_locked_cannot_be_unlocked(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    from tests.conftest import PIN

    app = make_app(lang)
    window = main_window_of(qtbot, app)
    store = app.store
    assert store is not None
    me = window.account.id
    other = console.add_account(store, me, "Dr Lee", "supervisor", "739251")
    window.lock()
    console.set_disabled(store, other, me, True)  # another supervisor disables this account
    window.lock_page.pin.setText(PIN)  # the right PIN
    window.lock_page.unlock_button.click()
    title = _("This account is disabled")
    qtbot.waitUntil(lambda: window.lock_page.banner.title.text() == title, timeout=10_000)
    assert window.locked  # still locked: nothing behind it shown
    assert foreign_texts(window, lang) == []


def test_an_on_call_contact_left_in_the_settings_file_moves_into_the_store(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    from dataclasses import replace

    settings_file.save(replace(settings_file.load(), on_call_contact="Dr Old, 613-555-0101"))
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    wait_idle(qtbot)
    store = app.store
    assert store is not None
    assert console.on_call_contact(store) == "Dr Old, 613-555-0101"
    assert "Dr Old" not in settings_file.path.read_text(encoding="utf-8")  # plaintext no more
    assert "Dr Old" not in repr(store.query("SELECT * FROM audit"))
    window.new_call()
    page = window.call_page
    assert page is not None
    page.open_crisis()
    qtbot.waitUntil(lambda: "Dr Old" in page.crisis.supervisor.text(), timeout=10_000)


def test_the_kiosk_routes_with_the_directory_checks_kept_in_the_store(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    """The kiosk is a point of referral too: a fact a supervisor checked in the console shows
    as checked on the kiosk's cards, as it does in a call (it still read the bare directory)."""
    from datetime import date

    from intake.directory.load import load_directory
    from intake.services import directory_checks as checks
    from intake.storage.db import open_store
    from tests.conftest import PASSPHRASE
    from tests.gui.kiosk_helpers import start_kiosk

    programs = load_directory()
    row = checks.review(programs, date.today())[0]
    store = open_store(existing_store, PASSPHRASE)
    try:
        boss = str(store.query("SELECT id FROM accounts WHERE role = 'supervisor'")[0][0])
        checks.mark_checked(
            store,
            boss,
            programs,
            entry_id=row.entry_id,
            fact=row.fact,
            source="Appel au programme",
            today=date.today(),
        )
    finally:
        store.close()
    _app, kiosk = start_kiosk(qtbot, make_app, settings_file, lang)
    program = kiosk._services.router.get(row.entry_id)  # what it routes with
    assert program is not None
    assert program.facts()[row.fact].status == "verified"
    assert program.facts()[row.fact].source == "Appel au programme"
