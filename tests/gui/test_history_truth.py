"""History tells the truth: the detail follows the selected row through search and filters;
every coded value (kiosk outcomes and crisis actions included) has its label; programs by name;
times with their zone; the callback number only on request, to those allowed, audited.
Run as a supervisor and as a volunteer, in English and in French."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from intake.accounts import Account, Role
from intake.i18n import Language, pgettext, set_language
from intake.services.kiosk import CallbackRequest, save_visit
from intake.storage.account_store import insert_account
from intake.storage.db import Store
from intake.storage.records import add_note, save_contact
from intake.ui.history import HistoryPage
from tests.conftest import make_store
from tests.gui.conftest import wait_idle
from tests.gui.texts import foreign_texts
from tests.storage.helpers import contact

NUMBER = "+15065550123"


def kiosk_visit(store: Store) -> str:
    """A French-speaking visitor in New Brunswick said yes to suicidal thoughts and asked for a
    callback in the evening."""
    record = contact(
        id="kiosk-nb",
        channel="kiosk",
        started_at="2026-11-30T23:10:00+00:00",
        province="NB",
        caller_language="fr",
        risk="high",
        topics=(),
        need="peer",
        referrals=({"program": "nb-physician-health", "offered": True},),
        outcome="callback-requested",
        crisis_actions=("kiosk-crisis-screen", "kiosk-staff-alerted"),
        callback_number=NUMBER,
    )
    save_visit(
        store,
        record,
        CallbackRequest(str(uuid.uuid4()), NUMBER, "evening", "America/Moncton"),
        None,
    )
    return record.id


def page_for(qtbot: QtBot, store: Store, account: Account) -> tuple[QWidget, HistoryPage]:
    """The page in a window of its own (keep the window: it owns the page)."""
    holder = QWidget()
    qtbot.addWidget(holder)
    names = {"nb-physician-health": {"en": "NB Physician Health", "fr": "Santé des médecins NB"}}
    page = HistoryPage(
        store, account, holder, program_names=lambda code, lang: names.get(code, {}).get(lang, "")
    )
    holder.resize(1280, 720)
    holder.show()
    return holder, page


def supervisor(store: Store) -> Account:
    row = store.query("SELECT id, display_name FROM accounts WHERE role = 'supervisor'")[0]
    return Account(row[0], row[1], Role.SUPERVISOR)


def test_a_kiosk_callback_shows_labels_not_codes(
    qtbot: QtBot, store_path: Path, lang: Language
) -> None:
    set_language(lang)
    store = make_store(store_path)
    try:
        kiosk_visit(store)
        _window, page = page_for(qtbot, store, supervisor(store))
        qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
        outcome_cell = page.model.data(page.model.index(0, 4))
        assert outcome_cell == pgettext("outcome", "Kiosk: callback requested")
        page.table.selectRow(0)  # choosing the row opens it
        qtbot.waitUntil(lambda: "NB" in page.detail.text() or "Brunswick" in page.detail.text())
        text = page.detail.text()
        assert "callback-requested" not in text
        assert "kiosk-crisis-screen" not in text
        assert pgettext("crisis action", "Kiosk crisis screen shown") in text
        assert pgettext("risk tier", "High risk") in text
        expected = "Santé des médecins NB" if lang == "fr" else "NB Physician Health"
        assert expected in text
        assert "nb-physician-health" not in text
        assert "(" in text  # times carry their zone
        assert NUMBER not in text  # not until asked
        assert page.reveal_button.isVisible()
        page.reveal_button.click()
        qtbot.waitUntil(lambda: NUMBER in page.detail.text(), timeout=10_000)
        wait_idle(qtbot)
        reveals = store.query("SELECT record, detail FROM audit WHERE action = 'reveal'")
        assert reveals == [("kiosk-nb", "callback-number")]
        assert foreign_texts(page.window(), lang) == []
    finally:
        wait_idle(qtbot)
        store.close()


def test_the_detail_follows_the_selected_row_through_search(
    qtbot: QtBot, store_path: Path, lang: Language
) -> None:
    set_language(lang)
    store = make_store(store_path)
    try:
        boss = supervisor(store)
        first = contact(id="c-first", started_at="2026-11-20T10:00:00+00:00", province="ON")
        second = contact(id="c-second", started_at="2026-11-21T10:00:00+00:00", province="QC")
        save_contact(store, first, boss.id)
        save_contact(store, second, boss.id)
        add_note(store, "n-first", "c-first", "night shifts and a lawsuit", boss.id)
        add_note(store, "n-second", "c-second", "a quiet week", boss.id)
        _window, page = page_for(qtbot, store, boss)
        qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)
        page.table.selectRow(0)  # the newest: c-second
        qtbot.waitUntil(lambda: "a quiet week" in page.detail.text(), timeout=10_000)
        page.search.setText("lawsuit")
        page.search.returnPressed.emit()
        qtbot.waitUntil(lambda: [r.id for r in page.model.rows] == ["c-first"], timeout=10_000)
        # The list no longer holds c-second: its detail is gone, not left beside c-first.
        assert "a quiet week" not in page.detail.text()
        page.table.selectRow(0)
        qtbot.waitUntil(lambda: "lawsuit" in page.detail.text(), timeout=10_000)
        page.search.setText("")
        page.search.returnPressed.emit()
        qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)
        page.province.setCurrentIndex(page.province.findData("QC"))
        qtbot.waitUntil(lambda: [r.id for r in page.model.rows] == ["c-second"], timeout=10_000)
        assert "lawsuit" not in page.detail.text()
        page.table.selectRow(0)
        qtbot.waitUntil(lambda: "a quiet week" in page.detail.text(), timeout=10_000)
    finally:
        wait_idle(qtbot)
        store.close()


def test_a_volunteer_reveals_only_their_own_callers_number(
    qtbot: QtBot, store_path: Path, lang: Language
) -> None:
    set_language(lang)
    store = make_store(store_path)
    try:
        with store.transaction() as conn:
            volunteer = insert_account(conn, "Volunteer Vi", Role.VOLUNTEER.value, "x")
        mine = contact(id="c-mine", callback_number="+16135550100", outcome="callback")
        save_contact(store, mine, volunteer)
        kiosk_visit(store)  # not theirs: a volunteer's History does not list it at all
        _window, page = page_for(qtbot, store, Account(volunteer, "Volunteer Vi", Role.VOLUNTEER))
        qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
        assert [r.id for r in page.model.rows] == ["c-mine"]
        page.table.selectRow(0)
        qtbot.waitUntil(page.reveal_button.isVisible, timeout=10_000)
        page.reveal_button.click()
        qtbot.waitUntil(lambda: "+16135550100" in page.detail.text(), timeout=10_000)
        assert foreign_texts(page.window(), lang) == []
    finally:
        wait_idle(qtbot)
        store.close()


def test_a_supervisor_puts_a_record_on_legal_hold(
    qtbot: QtBot, store_path: Path, lang: Language
) -> None:
    set_language(lang)
    store = make_store(store_path)
    try:
        kiosk_visit(store)
        _window, page = page_for(qtbot, store, supervisor(store))
        qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
        page.table.selectRow(0)
        qtbot.waitUntil(page.hold_button.isVisible, timeout=10_000)
        page.hold_button.click()
        qtbot.waitUntil(lambda: page._opened is not None and page._opened.on_hold, timeout=10_000)
        assert store.query("SELECT on_hold FROM contacts") == [(1,)]
        assert store.query("SELECT record FROM audit WHERE action = 'hold'") == [("kiosk-nb",)]
        assert foreign_texts(page.window(), lang) == []
    finally:
        wait_idle(qtbot)
        store.close()


def test_a_volunteer_is_not_offered_the_hold(qtbot: QtBot, store_path: Path) -> None:
    store = make_store(store_path)
    try:
        with store.transaction() as conn:
            volunteer = insert_account(conn, "Volunteer Vi", Role.VOLUNTEER.value, "x")
        save_contact(store, contact(id="c-mine"), volunteer)
        _window, page = page_for(qtbot, store, Account(volunteer, "Volunteer Vi", Role.VOLUNTEER))
        qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
        page.table.selectRow(0)
        qtbot.waitUntil(lambda: page._opened is not None, timeout=10_000)
        assert not page.hold_button.isVisible()
    finally:
        wait_idle(qtbot)
        store.close()
