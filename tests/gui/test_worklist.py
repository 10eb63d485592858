"""The worklist window, over a real encrypted store, in English and French: reached with F9
from the main window; a high-risk kiosk request on top with a visible alert; claim, attempt,
reschedule, close; the home page's count follows. As a supervisor and as a volunteer."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from intake.accounts import Account, Role
from intake.i18n import Language, _, pgettext, set_language
from intake.services.kiosk import CallbackRequest, save_visit
from intake.storage.account_store import insert_account
from intake.storage.db import Store, open_store
from intake.storage.records import add_followup, save_contact
from intake.ui.worklist import WorklistPage
from tests.conftest import PASSPHRASE, make_store
from tests.gui.conftest import AppFactory, main_window_of, wait_idle
from tests.gui.texts import foreign_texts
from tests.storage.helpers import contact

NUMBER = "+15065550123"


def seed(store: Store, actor: str | None) -> tuple[str, str]:
    """A phone follow-up due tomorrow at concern, and a kiosk request at high risk."""
    call = contact(risk="concern", outcome="callback", callback_number="+16135550199")
    save_contact(store, call, actor)
    followup = str(uuid.uuid4())
    due = (datetime.now(UTC) + timedelta(hours=20)).isoformat()
    add_followup(store, followup, call.id, due, actor)
    visit = contact(
        channel="kiosk",
        province="NB",
        risk="high",
        topics=(),
        outcome="callback-requested",
        crisis_actions=("kiosk-crisis-screen",),
        callback_number=NUMBER,
    )
    request = CallbackRequest(str(uuid.uuid4()), NUMBER, "evening", "America/Moncton")
    save_visit(store, visit, request, None)
    return request.id, followup


def test_the_worklist_from_anywhere_as_a_supervisor(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    store = open_store(existing_store, PASSPHRASE)
    boss = store.query("SELECT id FROM accounts WHERE role = 'supervisor'")[0][0]
    kiosk_item, followup = seed(store, boss)
    store.close()
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    qtbot.waitUntil(lambda: "2" in window.home.followups_text.text(), timeout=10_000)
    window.activateWindow()
    window.show_worklist()  # the F9 action's slot; the key itself is checked below
    assert window.worklist_action.shortcut().toString() == "F9"
    page = window.worklist_page
    assert page is not None
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)
    assert [i.id for i in page.model.items] == [kiosk_item, followup]
    assert page.alert.isVisible()
    assert page.model.text(page.model.items[0], 0).startswith("⚠")
    assert page.model.text(page.model.items[0], 4) == _("Evening (5 p.m. to 9 p.m.)")
    page.table.selectRow(0)
    page.number_button.click()  # a supervisor may see it (audited)
    qtbot.waitUntil(lambda: NUMBER in page.detail.text(), timeout=10_000)
    page.claim_button.click()
    qtbot.waitUntil(page.release_button.isVisible, timeout=10_000)
    assert not page.attempt_buttons["message-left"].isEnabled()  # no consent to messages
    page.attempt_buttons["no-answer"].click()
    qtbot.waitUntil(lambda: bool(page.model.items) and page.model.items[0].attempts == 1)
    page.outcome.setCurrentIndex(page.outcome.findData("helped"))
    page.close_button.click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    qtbot.waitUntil(lambda: "1" in window.home.followups_text.text(), timeout=10_000)
    assert foreign_texts(window, lang) == []
    wait_idle(qtbot)
    live = app.store
    assert live is not None
    actions = {r[0] for r in live.query("SELECT action FROM audit WHERE record = ?", (kiosk_item,))}
    assert {"reveal", "claim", "attempt", "close"} <= actions


def test_a_volunteer_works_an_item_and_is_refused_the_past(
    qtbot: QtBot, store_path: Path, lang: Language
) -> None:
    set_language(lang)
    store = make_store(store_path)
    try:
        with store.transaction() as conn:
            volunteer = insert_account(conn, "Volunteer Vi", Role.VOLUNTEER.value, "x")
        kiosk_item, _followup = seed(store, None)
        holder = QWidget()
        qtbot.addWidget(holder)
        page = WorklistPage(store, Account(volunteer, "Volunteer Vi", Role.VOLUNTEER), holder)
        holder.resize(1280, 720)
        holder.show()
        qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)
        page.table.selectRow(0)
        page.number_button.click()  # not theirs yet: refused, said in their language
        title, _advice = (
            _("Only a supervisor can do this"),
            None,
        )
        qtbot.waitUntil(lambda: title in page.status.text(), timeout=10_000)
        assert NUMBER not in page.detail.text()
        page.claim_button.click()
        qtbot.waitUntil(page.release_button.isVisible, timeout=10_000)
        page.number_button.click()
        qtbot.waitUntil(lambda: NUMBER in page.detail.text(), timeout=10_000)
        page.when.setDateTime(QDateTime.currentDateTime().addDays(-30))
        page.reschedule_button.click()
        assert _("That time has already passed") in page.status.text()
        wait_idle(qtbot)
        assert store.query("SELECT count(*) FROM audit WHERE action = 'reschedule'") == [(0,)]
        page.attempt_buttons["reached"].click()
        qtbot.waitUntil(lambda: page.model.items[0].attempts == 1, timeout=10_000)
        assert pgettext("call attempt", "Reached") in page.status.text()
        assert foreign_texts(page.window(), lang) == []
        assert page.table.selectionModel().selectedRows()  # the selection survives a refresh
        assert page.selected() is not None
        assert page.selected().id == kiosk_item  # type: ignore[union-attr]
    finally:
        wait_idle(qtbot)
        store.close()


def test_f9_opens_the_worklist(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: window.worklist_page is not None, timeout=10_000)
    assert window.pages.currentWidget() is window.worklist_page


def test_a_call_started_by_mistake_is_abandoned(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    window.new_call()
    page = window.call_page
    assert page is not None
    assert page.abandon_button.isVisible()
    assert foreign_texts(window, lang) == []
    contact_id = page.call.contact_id
    page.abandon("test-call")
    qtbot.waitUntil(lambda: window.call_page is None, timeout=10_000)
    wait_idle(qtbot)
    store = app.store
    assert store is not None
    assert store.query("SELECT id, outcome FROM contacts") == [(contact_id, "abandoned")]
    assert store.query("SELECT detail FROM audit WHERE action = 'abandon'") == [
        ("reason=test-call",)
    ]
    assert store.query("SELECT count(*) FROM drafts") == [(0,)]


def test_a_follow_up_in_the_past_is_refused_with_a_message(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    from tests.gui.test_call import NOTE, fill_whole_call, start_call, steps

    _app, window, page = start_call(qtbot, make_app, lang)
    fill_whole_call(qtbot, page)
    wrapup = steps(page)[5]
    wrapup.due.setDateTime(wrapup.due.dateTime().addDays(-30))
    wrapup.save_button.click()
    assert wrapup.banner.title.text() == _("That time has already passed")
    assert window.call_page is page  # not saved, not closed: nothing lost
    assert wrapup.notes.toPlainText() == NOTE
    assert foreign_texts(window, lang) == []
    wait_idle(qtbot)
    store = window.services.session.store if window.services else None
    assert store is not None
    assert store.query("SELECT count(*) FROM contacts") == [(0,)]


def test_a_follow_up_outside_the_callers_daytime_is_asked_about_first(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    from tests.gui.test_call import fill_whole_call, start_call, steps

    app, window, page = start_call(qtbot, make_app, lang)
    fill_whole_call(qtbot, page)  # Ontario: the caller's time is Toronto's
    wrapup = steps(page)[5]
    late = wrapup.due.dateTime()
    late.setTime(late.time().addSecs(12 * 3600))  # 10:00 -> 22:00, the caller's time
    wrapup.due.setDateTime(late)
    wrapup.save_button.click()
    assert wrapup.banner.title.text() == _("That follow-up is outside the caller's daytime")
    assert window.call_page is page  # asked, not saved: nothing lost
    assert foreign_texts(window, lang) == []
    wrapup.save_button.click()  # saving again keeps it
    qtbot.waitUntil(lambda: window.call_page is None, timeout=10_000)
    wait_idle(qtbot)
    store = app.store
    assert store is not None
    assert store.query("SELECT count(*) FROM followups") == [(1,)]
