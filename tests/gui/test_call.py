"""The phone-line workflow, end to end: the real main window over a real encrypted store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QWidget
from pytestqt.qtbot import QtBot

from intake.i18n import Language, _, gettext_in, pgettext
from intake.settings import SettingsFile
from intake.ui.app import IntakeApplication
from intake.ui.call.crisis import HIGH_STEPS, IMMINENT_STEPS
from intake.ui.call.page import CallPage
from intake.ui.call.referral import RecommendationsStep, WrapUpStep, rescue_message
from intake.ui.call.steps import CONSENT_QUESTION, GreetingStep, NeedsStep, SafetyStep, WhoStep
from intake.ui.main_window import MainWindow
from tests.conftest import PIN
from tests.gui.conftest import AppFactory, main_window_of, store_of, wait_idle
from tests.gui.texts import foreign_texts

OTTAWA = "613 555 0142"
OTTAWA_E164 = "+16135550142"
NOTE = "Night shifts since March; wants to talk to a peer this week."


def start_call(
    qtbot: QtBot, make_app: AppFactory, language: Language
) -> tuple[IntakeApplication, MainWindow, CallPage]:
    app = make_app(language)
    window = main_window_of(qtbot, app)
    window.new_call()
    page = window.call_page
    assert page is not None
    return app, window, page


def crisis_entries(page: CallPage) -> list[str]:
    """Who the crisis panel lists now (its cards appear on the next turn of the event loop)."""
    QApplication.processEvents()
    return [w.objectName() for w in page.crisis.plan_box.findChildren(QWidget) if not w.isHidden()]


def steps(
    page: CallPage,
) -> tuple[GreetingStep, WhoStep, SafetyStep, NeedsStep, RecommendationsStep, WrapUpStep]:
    found = tuple(
        page.steps[s] for s in ("greeting", "who", "safety", "needs", "recommendations", "wrapup")
    )
    return found  # type: ignore[return-value]


def type_number(field: object, text: str, qtbot: QtBot) -> None:
    field.setFocus()  # type: ignore[attr-defined]
    qtbot.keyClicks(field, text)


def fill_whole_call(qtbot: QtBot, page: CallPage, *, consent: bool = True) -> None:
    greeting, who, safety, needs, recommendations, wrapup = steps(page)
    (greeting.consent_yes if consent else greeting.consent_no).click()
    page.next_step()
    who.role.setCurrentIndex(who.role.findData("physician"))
    if consent:
        type_number(who.number, OTTAWA, qtbot)
        assert who.use_suggestion.isVisible()  # the area code suggests Ontario...
        assert who.province.currentData() is None  # ...but nothing is decided until confirmed
        who.use_suggestion.click()
    else:
        who.province.setCurrentIndex(who.province.findData("ON"))
    assert page.call.province == "ON"
    page.next_step()
    for _script, buttons in safety.questions.values():
        buttons["no"].click()
    assert page.call.risk == "none"
    page.next_step()
    needs.topics["burnout"].click()
    needs.needs["peer"][0].click()
    page.next_step()
    assert recommendations.result is not None
    first = recommendations.result.recommendations[0].program.id
    recommendations.chosen[first].click()
    page.next_step()
    assert page.current_step == "wrapup"
    if consent:
        wrapup.notes.setFocus()
        qtbot.keyClicks(wrapup.notes, NOTE)
        wrapup.followup.click()
        wrapup.followup_number.setText(OTTAWA)
    wrapup.outcome.setCurrentIndex(wrapup.outcome.findData("referred"))


def test_a_whole_call(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app, window, page = start_call(qtbot, make_app, lang)
    assert page.call.caller_language == lang
    for step in ("greeting", "who", "safety", "needs", "recommendations", "wrapup"):
        page.show_step(step)
        assert foreign_texts(window, lang) == [], step
    page.show_step("greeting")
    fill_whole_call(qtbot, page)
    assert foreign_texts(window, lang) == []
    contact_id = page.call.contact_id
    wrapup = steps(page)[5]
    # The follow-up's zone as people name it, not the time-zone database's "America/Toronto".
    assert "America/" not in wrapup.due_label.text()
    eastern = {"en": "Eastern", "fr": "de l’Est"}[lang]
    assert eastern in wrapup.due_label.text()
    wrapup.save_button.click()
    qtbot.waitUntil(lambda: window.call_page is None, timeout=10_000)
    wait_idle(qtbot)
    assert window.home.status.isVisible()
    store = store_of(app)
    row = store.query(
        "SELECT channel, caller_language, role, province, risk, outcome, consent_notes, "
        "callback_number, referrals FROM contacts WHERE id = ?",
        (contact_id,),
    )[0]
    assert row[:8] == ("phone", lang, "physician", "ON", "none", "referred", 1, OTTAWA_E164)
    assert any(r["chosen"] for r in json.loads(row[8]))
    assert store.query("SELECT body FROM notes WHERE contact_id = ?", (contact_id,)) == [(NOTE,)]
    assert store.query("SELECT count(*) FROM followups")[0][0] == 1
    assert store.query("SELECT number FROM callbacks") == [(OTTAWA_E164,)]
    assert (
        store.query("SELECT count(*) FROM drafts")[0][0] == 0
    )  # the finished call's draft is gone


def test_caller_language_switches_mid_call_and_keeps_every_field(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    other: Language = "fr" if lang == "en" else "en"
    _app, window, page = start_call(qtbot, make_app, lang)
    fill_whole_call(qtbot, page)
    greeting, who, _safety, _needs, recommendations, wrapup = steps(page)
    before = (
        who.number.text(),
        who.province.currentData(),
        wrapup.notes.toPlainText(),
        wrapup.followup_number.text(),
        dict(page.call.safety),
        list(page.call.topics),
        page.call.chosen,
    )
    qtbot.keyClick(
        page, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert page.call.caller_language == other
    # What is read aloud follows the caller; the interface stays in the volunteer's language.
    assert gettext_in(other, CONSENT_QUESTION) in greeting.script.text.text()
    assert page.next_button.text() == _("Next step")
    program = page.services.router.get(page.call.chosen or "")
    assert program is not None
    page.show_step("recommendations")
    names = [w.text() for w in recommendations.cards.findChildren(QLabel)]
    assert program.name.text.get(other) in names
    after = (
        who.number.text(),
        who.province.currentData(),
        wrapup.notes.toPlainText(),
        wrapup.followup_number.text(),
        dict(page.call.safety),
        list(page.call.topics),
        page.call.chosen,
    )
    assert after == before
    assert recommendations.chosen[page.call.chosen or ""].isChecked()
    window.language_switch.buttons[other].click()  # the volunteer's own switch is separate
    assert page.call.caller_language == other
    assert wrapup.notes.toPlainText() == NOTE


@pytest.mark.parametrize(
    "step", ["greeting", "who", "safety", "needs", "recommendations", "wrapup"]
)
def test_crisis_route_from_every_step_and_back(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, step: str, lang: Language
) -> None:
    _app, _window, page = start_call(qtbot, make_app, lang)
    fill_whole_call(qtbot, page)
    page.show_step(step)
    typed = steps(page)[5].notes.toPlainText()
    # F12 acts where the volunteer's focus is (anywhere in the call): put it there first, as
    # a click would; under load the window's activation can lag behind the test.
    current = page.stack.currentWidget()
    page.window().activateWindow()
    current.setFocus()
    qtbot.waitUntil(lambda: page.isAncestorOf(QApplication.focusWidget()), timeout=5_000)
    qtbot.keyClick(current, Qt.Key.Key_F12)
    assert page.current_step == "crisis"
    assert "crisis-route-opened" in page.call.crisis_actions
    entries = crisis_entries(page)
    assert "crisis-entry-ca-911" in entries
    assert "crisis-entry-ca-988" in entries
    page.crisis.action_boxes["connection-confirmed"].click()
    page.crisis.back_button.click()
    assert page.current_step == step
    assert steps(page)[5].notes.toPlainText() == typed
    assert "connection-confirmed" in page.call.crisis_actions


def answer_safety(page: CallPage, answers: dict[str, str]) -> None:
    safety = steps(page)[2]
    for qid, answer in answers.items():
        safety.questions[qid][1][answer].click()


CAPABILITY_NO = {
    "in_progress": "no",
    "timing": "no",
    "means": "no",
    "medication_access": "no",
    "intoxicated": "no",
    "past_attempt": "no",
    "unsafe_now": "no",
}


def test_high_risk_opens_the_crisis_route_once_the_capability_questions_are_asked(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    _app, window, page = start_call(qtbot, make_app, lang)
    greeting, who, safety, *_rest = steps(page)
    greeting.consent_yes.click()
    who.province.setCurrentIndex(who.province.findData("NU"))
    page.show_step("safety")
    answer_safety(page, {"thoughts": "yes"})
    assert page.call.risk == "concern"
    assert page.current_step == "safety"  # concern: keep listening
    answer_safety(page, {"plan": "yes"})
    assert page.call.risk == "high"
    assert page.current_step == "safety"  # timing and means not asked yet: no jumping in
    assert safety.open_items.isVisible()
    answer_safety(page, CAPABILITY_NO)
    assert page.current_step == "crisis"
    entries = crisis_entries(page)
    assert "crisis-entry-nu-local-emergency" in entries
    assert "crisis-entry-ca-911" not in entries  # Nunavut has no 9-1-1
    # High: 9-8-8 first for a warm transfer, as in the recommendations.
    assert entries.index("crisis-entry-ca-988") < entries.index("crisis-entry-nu-local-emergency")
    assert page.crisis.steps.text().startswith("1. " + _(HIGH_STEPS[0]))
    assert foreign_texts(window, lang) == []


def test_an_attempt_in_progress_opens_the_crisis_route_at_once_emergency_first(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    _app, window, page = start_call(qtbot, make_app, lang)
    greeting, who, *_rest = steps(page)
    greeting.consent_yes.click()
    who.province.setCurrentIndex(who.province.findData("ON"))
    page.show_step("safety")
    answer_safety(page, {"thoughts": "no", "in_progress": "declined"})
    assert page.call.risk == "imminent"
    assert page.current_step == "crisis"
    entries = crisis_entries(page)
    assert entries.index("crisis-entry-ca-911") < entries.index("crisis-entry-ca-988")
    assert page.crisis.steps.text().startswith("1. " + _(IMMINENT_STEPS[0]))
    assert foreign_texts(window, lang) == []


def test_denying_thoughts_after_a_plan_a_time_and_means_stays_imminent(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    _app, _window, page = start_call(qtbot, make_app, lang)
    page.show_step("safety")
    answer_safety(page, {"thoughts": "yes", **CAPABILITY_NO})
    answer_safety(page, {"plan": "yes", "timing": "yes", "means": "yes"})
    assert page.call.risk == "imminent"
    assert page.current_step == "crisis"
    page.leave_crisis()
    answer_safety(page, {"thoughts": "no"})
    assert page.call.risk == "imminent"
    assert page.risk.text() == _("Risk: {tier}").format(tier=pgettext("risk tier", "Imminent risk"))


def test_an_unanswered_screen_is_not_screened_never_no_risk(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app, window, page = start_call(qtbot, make_app, lang)
    assert page.call.risk == "not-screened"
    not_screened = _("Risk: {tier}").format(tier=pgettext("risk tier", "Not screened"))
    assert page.risk.text() == not_screened
    page.show_step("safety")
    assert pgettext("risk tier", "No risk identified") not in steps(page)[2].tier.text()
    greeting, who, _safety, _needs, _recs, wrapup = steps(page)
    greeting.consent_no.click()
    who.province.setCurrentIndex(who.province.findData("ON"))
    page.show_step("wrapup")
    wrapup.outcome.setCurrentIndex(wrapup.outcome.findData("information"))
    wrapup.save_button.click()
    qtbot.waitUntil(lambda: window.call_page is None, timeout=10_000)
    wait_idle(qtbot)
    risk, actions = store_of(app).query("SELECT risk, crisis_actions FROM contacts")[0]
    assert "safety-not-screened" in json.loads(actions)  # stored as not screened...
    assert risk == "none"  # ...the column allows only the four tiers until its migration
    window.show_history()
    history = window.history_page
    assert history is not None
    qtbot.waitUntil(lambda: history.model.rowCount() > 0, timeout=10_000)
    # The list's risk column says it too, not "No risk identified".
    assert history.model.index(0, 3).data() == pgettext("risk tier", "Not screened")
    history.table.selectRow(0)
    history.open_selected()
    qtbot.waitUntil(lambda: not_screened in history.detail.text(), timeout=10_000)


@pytest.mark.parametrize("tier", ["high", "imminent"])
def test_a_high_or_imminent_call_cannot_be_saved_without_rescue(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language, tier: str
) -> None:
    app, window, page = start_call(qtbot, make_app, lang)
    greeting, who, _safety, _needs, _recs, wrapup = steps(page)
    greeting.consent_no.click()
    who.province.setCurrentIndex(who.province.findData("ON"))
    page.show_step("safety")
    answers = {"thoughts": "yes", **CAPABILITY_NO, "plan": "yes"}
    if tier == "imminent":
        answers["means"] = answers["timing"] = "yes"
    answer_safety(page, answers)
    assert page.call.risk == tier
    page.show_step("wrapup")
    wrapup.outcome.setCurrentIndex(wrapup.outcome.findData("information"))
    wrapup.save_button.click()
    assert wrapup.banner.isVisible()  # refused, and says why
    assert window.call_page is page
    assert wrapup.banner.title.text() == rescue_message(("connection", "supervisor"))[0]
    # A documented reason for each, chosen in the crisis route, lets it be saved.
    page.open_crisis()
    crisis = page.crisis
    crisis.action_boxes["emergency-called" if tier == "imminent" else "warm-transfer"].click()
    crisis.no_connection.setCurrentIndex(crisis.no_connection.findData("disconnected"))
    crisis.action_boxes["supervisor-informed"].click()
    page.show_step("wrapup")
    wrapup.outcome.setCurrentIndex(wrapup.outcome.findData("disconnected"))
    wrapup.save_button.click()
    qtbot.waitUntil(lambda: window.call_page is None, timeout=10_000)
    wait_idle(qtbot)
    risk, actions, outcome = store_of(app).query(
        "SELECT risk, crisis_actions, outcome FROM contacts"
    )[0]
    assert (risk, outcome) == (tier, "disconnected")
    assert {"no-connection:disconnected", "supervisor-informed"} <= set(json.loads(actions))


def test_saving_refuses_an_unfinished_crisis_route_even_past_the_wrap_up(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app, window, page = start_call(qtbot, make_app, lang)
    page.show_step("safety")
    answer_safety(page, {"in_progress": "yes"})
    page.call.outcome = "information"
    page.save()  # as if the wrap-up check were bypassed: the save itself refuses
    wrapup = steps(page)[5]
    qtbot.waitUntil(lambda: not wrapup.banner.isHidden(), timeout=10_000)
    assert window.call_page is page
    assert store_of(app).query("SELECT count(*) FROM contacts") == [(0,)]


def test_an_anonymous_call_keeps_no_name(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app, window, page = start_call(qtbot, make_app, lang)
    greeting = steps(page)[0]
    greeting.consent_yes.click()
    assert greeting.anonymous.isChecked()  # anonymous unless the caller gives a name
    assert not greeting.caller_name.isEnabled()
    fill_whole_call(qtbot, page)
    steps(page)[5].save_button.click()
    qtbot.waitUntil(lambda: window.call_page is None, timeout=10_000)
    wait_idle(qtbot)
    assert store_of(app).query("SELECT caller_name FROM contacts") == [(None,)]


def test_a_refused_consent_call_stores_no_free_text(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app, window, page = start_call(qtbot, make_app, lang)
    greeting, who, _safety, _needs, _recs, wrapup = steps(page)
    greeting.anonymous.click()  # would allow a name...
    greeting.caller_name.setText("Dr Jo Example")
    greeting.caller_name.textEdited.emit("Dr Jo Example")
    greeting.consent_no.click()  # ...but the caller declines notes: the name goes
    assert greeting.caller_name.text() == ""
    assert not greeting.caller_name.isEnabled()
    fill_whole_call(qtbot, page, consent=False)
    assert not who.number.isEnabled()
    assert not wrapup.notes.isEnabled()
    assert not wrapup.followup.isEnabled()
    assert wrapup.declined.isVisible()
    page.save_draft()
    wait_idle(qtbot)
    store = store_of(app)
    draft = store.query("SELECT payload FROM drafts")[0][0]
    assert "Dr Jo Example" not in draft
    assert foreign_texts(window, lang) == []
    wrapup.save_button.click()
    qtbot.waitUntil(lambda: window.call_page is None, timeout=10_000)
    wait_idle(qtbot)
    assert store.query("SELECT consent_notes, caller_name, callback_number FROM contacts") == [
        (0, None, None)
    ]
    assert store.query("SELECT count(*) FROM notes")[0][0] == 0
    assert store.query("SELECT count(*) FROM callbacks")[0][0] == 0
    assert store.query("SELECT count(*) FROM followups")[0][0] == 0
    # And nowhere in the file's tables is there any trace of the name.
    for table in ("contacts", "drafts", "audit", "notes"):
        rows = store.query(f"SELECT * FROM {table}")
        assert "Jo Example" not in repr(rows), table


def test_a_crash_mid_call_is_offered_for_resuming(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    first, _window, page = start_call(qtbot, make_app, lang)
    fill_whole_call(qtbot, page)
    page.show_step("needs")
    page.save_draft()  # what the 3-second autosave timer does
    wait_idle(qtbot)
    contact_id = page.call.contact_id
    # The process dies: no close, no save. Only the autosaved draft is left in the store.
    page.stop()
    first.shutdown()

    second = make_app(lang)
    window = main_window_of(qtbot, second)
    assert window.home.resume_box.isVisible()
    assert foreign_texts(window, lang) == []
    window.home.resume_button.click()
    resumed = window.call_page
    assert resumed is not None
    assert resumed.call.contact_id == contact_id
    assert resumed.current_step == "needs"
    greeting, who, safety, needs, _recs, wrapup = steps(resumed)
    assert greeting.consent_yes.isChecked()
    assert who.province.currentData() == "ON"
    assert needs.topics["burnout"].isChecked()
    assert all(buttons["no"].isChecked() for _s, buttons in safety.questions.values())
    assert wrapup.notes.toPlainText() == NOTE


def test_discarding_an_unfinished_call(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    first, _window, page = start_call(qtbot, make_app, lang)
    steps(page)[0].consent_yes.click()
    page.save_draft()
    wait_idle(qtbot)
    page.stop()
    first.shutdown()
    second = make_app(lang)
    window = main_window_of(qtbot, second)
    window.home.discard_button.click()
    wait_idle(qtbot)
    assert not window.home.resume_box.isVisible()
    assert store_of(second).query("SELECT count(*) FROM drafts")[0][0] == 0


def test_idle_lock_hides_the_call_and_keeps_it(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app, window, page = start_call(qtbot, make_app, lang)
    fill_whole_call(qtbot, page)
    window.idle.expire()  # the configured idle time has passed (injected: no sleeping)
    assert window.locked
    assert not page.isVisible()
    assert foreign_texts(window, lang) == []
    window.lock_page.pin.setText("000000")
    window.lock_page.unlock_button.click()
    qtbot.waitUntil(window.lock_page.banner.isVisible, timeout=10_000)
    assert window.locked
    window.lock_page.pin.setText(PIN)
    window.lock_page.unlock_button.click()
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)
    assert window.call_page is page
    assert page.isVisible()
    assert steps(page)[5].notes.toPlainText() == NOTE
    actions = [r[0] for r in store_of(app).query("SELECT action FROM audit ORDER BY seq")]
    assert actions[-3:] == ["lock", "failed-sign-in", "unlock"]


def test_an_invalid_follow_up_number_is_explained_and_nothing_is_lost(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    from intake.callback_numbers import NumberProblem, explain

    _app, window, page = start_call(qtbot, make_app, lang)
    fill_whole_call(qtbot, page)
    wrapup = steps(page)[5]
    wrapup.followup_number.setText("613 555")
    wrapup.save_button.click()
    assert wrapup.number_problem.text() == explain(NumberProblem.TOO_SHORT)
    assert window.call_page is page  # not saved, not closed
    assert wrapup.notes.toPlainText() == NOTE
    assert foreign_texts(window, lang) == []


def test_every_control_has_a_name_a_screen_reader_can_read(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit

    _app, _window, page = start_call(qtbot, make_app, lang)
    for step in ("greeting", "who", "safety", "needs", "recommendations", "wrapup"):
        page.show_step(step)
        current = page.stack.currentWidget()
        for control in current.findChildren(QWidget):
            if not control.isVisible() or control.objectName().startswith("qt_"):
                continue  # Qt's own parts of a compound control (the date editor's text field)
            if isinstance(control, QAbstractButton):
                assert control.text() or control.accessibleName(), (step, control.objectName())
            elif isinstance(control, QLineEdit | QComboBox | QPlainTextEdit):
                labelled = control.accessibleName() or any(
                    label.buddy() is control for label in current.findChildren(QLabel)
                )
                assert labelled, (step, control.objectName())
    assert pgettext("call step", "Safety") in page.step_list.item(2).text()


def test_closing_the_window_mid_call_keeps_the_call(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app, window, page = start_call(qtbot, make_app, lang)
    fill_whole_call(qtbot, page)  # typed since the last autosave tick
    contact_id = page.call.contact_id
    window.close()
    wait_idle(qtbot)
    drafts = store_of(app).query("SELECT id, payload FROM drafts")
    assert [d[0] for d in drafts] == [contact_id]
    assert NOTE in drafts[0][1]  # the caller agreed to notes: the note is in the encrypted draft


def test_buffers_are_noted_in_their_own_terms_and_never_lower_the_tier(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    _app, window, page = start_call(qtbot, make_app, lang)
    page.show_step("safety")
    safety = steps(page)[2]
    answer_safety(page, {"thoughts": "yes", "means": "unsure"})
    assert page.call.risk == "high"
    assert not safety.hints["means"].isHidden()  # unsure: ask again
    safety.choices["buffers"]["people"].click()
    safety.choices["buffers"]["future"].click()
    assert page.call.safety["buffers"] == "people,future"
    assert page.call.risk == "high"
    assert "yes" not in safety.choices["buffers"]  # who or what, not yes or no
    assert safety.boxes["attempt_recent"].isHidden()  # asked only after a past attempt
    answer_safety(page, {"past_attempt": "yes"})
    assert not safety.boxes["attempt_recent"].isHidden()
    assert foreign_texts(window, lang) == []


def test_recommendations_keep_their_cards_until_an_answer_changes_them(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    """Going back and forth over the steps does not rebuild the cards (it was most of a step's
    time); a changed answer does, and the ticks always follow the call."""
    _app, _window, page = start_call(qtbot, make_app, lang)
    fill_whole_call(qtbot, page)
    _greeting, who, _safety, _needs, recommendations, _wrapup = steps(page)
    page.show_step("recommendations")
    cards = recommendations.cards.findChildren(QFrame)
    chosen = page.call.chosen
    assert cards
    assert chosen is not None
    for step in ("greeting", "who", "needs", "recommendations"):
        page.show_step(step)
    assert recommendations.cards.findChildren(QFrame) == cards  # the same widgets
    assert recommendations.chosen[chosen].isChecked()
    assert recommendations.offered[chosen].isChecked()

    page.show_step("who")
    who.province.setCurrentIndex(who.province.findData("QC"))
    page.show_step("recommendations")
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    rebuilt = recommendations.cards.findChildren(QFrame)
    assert rebuilt
    assert not set(map(id, rebuilt)) & set(map(id, cards))
    assert "card-qc-pamq" in [card.objectName() for card in rebuilt]  # Québec's program now
    assert foreign_texts(recommendations, lang) == []
