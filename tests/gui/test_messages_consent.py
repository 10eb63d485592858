"""May a message be left at a callback number? Asked where the number is taken (the call's
follow-up and the kiosk's callback request), not agreed unless the person says so, kept with the
number and shown on the worklist, where "Message left" follows it. In English and French, as a
supervisor (the call and the kiosk) and as a volunteer (working the item)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from intake.accounts import Account, Role
from intake.i18n import Language, _
from intake.services.worklist import MessagesNotAgreed, record_attempt
from intake.settings import SettingsFile
from intake.storage.account_store import insert_account
from intake.storage.db import Store
from intake.ui.worklist import WorklistPage
from intake.vocabulary_labels import label
from tests.gui.conftest import AppFactory, store_of, wait_idle
from tests.gui.kiosk_helpers import PHYSICIAN_ANSWERS, answer, begin, start_kiosk
from tests.gui.test_call import fill_whole_call, start_call, steps
from tests.gui.texts import foreign_texts


def volunteer_page(qtbot: QtBot, store: Store) -> tuple[QWidget, WorklistPage]:
    with store.transaction() as conn:
        volunteer = insert_account(conn, "Volunteer Vi", Role.VOLUNTEER.value, "x")
    holder = QWidget()
    qtbot.addWidget(holder)
    page = WorklistPage(store, Account(volunteer, "Volunteer Vi", Role.VOLUNTEER), holder)
    holder.resize(1280, 720)
    holder.show()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    page.table.selectRow(0)
    page.claim_button.click()
    qtbot.waitUntil(page.release_button.isVisible, timeout=10_000)
    return holder, page


@pytest.mark.parametrize("agreed", [False, True])
def test_the_call_asks_and_the_worklist_follows(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    lang: Language,
    agreed: bool,
) -> None:
    app, window, page = start_call(qtbot, make_app, lang)
    fill_whole_call(qtbot, page)
    wrapup = steps(page)[5]
    assert wrapup.messages_ok.isEnabled()
    assert not wrapup.messages_ok.isChecked()  # not agreed unless the caller says so
    assert foreign_texts(window, lang) == []
    if agreed:
        wrapup.messages_ok.click()
    wrapup.save_button.click()
    qtbot.waitUntil(lambda: window.call_page is None, timeout=10_000)
    wait_idle(qtbot)
    assert store_of(app).query("SELECT messages_ok FROM callbacks") == [(int(agreed),)]
    _holder, worklist = volunteer_page(qtbot, store_of(app))
    button = worklist.attempt_buttons["message-left"]
    assert button.isEnabled() is agreed
    shown = _("A message may be left: the person agreed to one.")
    refused = _("No message may be left: the person did not agree to one.")
    assert (shown if agreed else refused) in worklist.detail.text()
    kind = worklist.model.text(worklist.model.items[0], 1)
    message_ok = _("{kind} · message OK").format(kind=label("work-kind", "followup"))
    assert (kind == message_ok) is agreed
    assert foreign_texts(worklist.window(), lang) == []
    if not agreed:  # refused by the service too, whatever a window would allow
        with pytest.raises(MessagesNotAgreed):
            record_attempt(
                store_of(app), worklist.model.items[0].id, worklist.account.id, "message-left"
            )


def test_a_caller_who_declined_notes_is_not_asked(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    _app, _window, page = start_call(qtbot, make_app, lang)
    fill_whole_call(qtbot, page, consent=False)
    assert not steps(page)[5].messages_ok.isEnabled()


@pytest.mark.parametrize("agreed", [False, True])
def test_the_kiosk_asks_and_keeps_the_answer(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
    agreed: bool,
) -> None:
    app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    session = begin(window, lang)
    answer(session, PHYSICIAN_ANSWERS)
    wait_idle(qtbot)
    session.results.callback_button.click()
    callback = session.callback
    assert not callback.messages.isChecked()
    assert foreign_texts(window, lang) == []
    callback.number.setText("613 555 0142")
    callback.time_buttons["morning"].click()
    callback.consent.click()
    if agreed:
        callback.messages.click()
        assert callback.messages.title.text().startswith("☑")
    callback.submit_button.click()
    qtbot.waitUntil(lambda: bool(store_of(app).query("SELECT 1 FROM callbacks")), timeout=10_000)
    wait_idle(qtbot)
    assert store_of(app).query("SELECT messages_ok FROM callbacks") == [(int(agreed),)]
