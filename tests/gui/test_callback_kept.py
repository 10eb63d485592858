"""A callback number typed anywhere is kept whole, and a correction replaces it: on the call's
crisis route, and on the kiosk when the person asks for help right after confirming it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from intake.i18n import Language
from intake.settings import SettingsFile
from tests.gui.conftest import AppFactory, store_of, wait_idle
from tests.gui.kiosk_helpers import PHYSICIAN_ANSWERS, answer, begin, start_kiosk
from tests.gui.test_call import OTTAWA_E164, fill_whole_call, start_call, steps

CRISIS_NUMBER = "613 729 4817"
CRISIS_E164 = "+16137294817"


def test_a_number_typed_on_the_crisis_route_is_kept_whole(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    _app, _window, page = start_call(qtbot, make_app, lang)
    steps(page)[0].consent_yes.click()
    qtbot.keyClick(page.stack.currentWidget(), Qt.Key.Key_F12)
    assert page.current_step == "crisis"
    page.crisis.number.setFocus()
    qtbot.keyClicks(page.crisis.number, CRISIS_NUMBER)
    assert page.call.callback_number == CRISIS_E164
    page.crisis.back_button.click()
    page.show_step("who")
    assert steps(page)[1].number.text().replace(" ", "").replace("-", "").endswith("6137294817")


def test_a_number_corrected_on_the_crisis_route_replaces_the_first(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app, window, page = start_call(qtbot, make_app, lang)
    fill_whole_call(qtbot, page)
    assert page.call.callback_number == OTTAWA_E164
    qtbot.keyClick(page.stack.currentWidget(), Qt.Key.Key_F12)
    field = page.crisis.number
    assert field.text()  # the earlier number is shown
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, CRISIS_NUMBER)
    assert page.call.callback_number == CRISIS_E164
    page.crisis.back_button.click()
    page.show_step("wrapup")
    steps(page)[5].save_button.click()
    qtbot.waitUntil(lambda: window.call_page is None, timeout=10_000)
    wait_idle(qtbot)
    saved = store_of(app).query("SELECT callback_number FROM contacts")
    assert saved == [(CRISIS_E164,)]


def test_kiosk_keeps_a_confirmed_number_when_help_is_asked_for_at_once(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    session = begin(window, lang)
    answer(session, PHYSICIAN_ANSWERS)
    wait_idle(qtbot)
    session.results.callback_button.click()
    callback = session.callback
    callback.number.setText("613 555 0142")
    callback.time_buttons["morning"].click()
    callback.consent.click()
    callback.submit_button.click()  # "Send my request"...
    session.show_crisis()  # ..."Need help now?" at once, before the save has returned
    wait_idle(qtbot)
    rows = store_of(app).query("SELECT callback_number, consent_notes, outcome FROM contacts")
    assert rows == [("+16135550142", 1, "callback-requested")]
    assert store_of(app).query("SELECT number FROM callbacks") == [("+16135550142",)]
