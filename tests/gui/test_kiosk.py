"""Kiosk mode, driven through the real window over a real encrypted store, in both languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from intake.callback_numbers import NumberProblem, explain
from intake.guidance import family_guidance, load_guidance
from intake.i18n import Language, _, current_language
from intake.safety import load_screen
from intake.settings import SettingsFile
from intake.storage.feedback import feedback_summary
from intake.ui.kiosk.parts import MIN_TARGET, KioskScreen
from intake.ui.kiosk.window import STAFF_SHORTCUT, STAFF_TAPS, KioskWindow
from tests.conftest import PIN
from tests.gui.conftest import AppFactory, store_of, wait_idle
from tests.gui.kiosk_helpers import (
    PHYSICIAN_ANSWERS,
    SAFETY_NO,
    answer,
    begin,
    checked_buttons,
    start_kiosk,
    text_fields,
)
from tests.gui.texts import foreign_texts, visible_texts

VALID_NUMBER = "613 555 0142"  # a valid Ottawa number in phonenumbers' metadata
E164 = "+16135550142"


def shown_texts(window: KioskWindow) -> str:
    return "\n".join(text for _name, text in visible_texts(window))


def assert_in_language(window: KioskWindow, language: Language) -> None:
    assert foreign_texts(window, language) == []
    assert len(visible_texts(window)) > 4


def test_kiosk_is_full_screen_and_frameless(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    app, window = start_kiosk(qtbot, make_app, settings_file, lang, size=None)
    assert window.isVisible()
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    assert not app.gate.isVisible()
    assert app.main_window is None  # the kiosk never builds the volunteer's window
    actions = [r[0] for r in store_of(app).query("SELECT action FROM audit")]
    assert "kiosk-start" in actions


def test_whole_self_intake(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    store = app.store
    assert store is not None
    assert_in_language(window, lang)
    session = begin(window, lang)
    for step, value in PHYSICIAN_ANSWERS:
        assert_in_language(window, lang)
        session.questions[step].choices[value].click()
    assert session.current is session.results
    assert_in_language(window, lang)
    cards = [w.objectName() for w in session.results.cards.findChildren(QWidget)]
    assert "kiosk-card-qc-pamq" in cards  # Québec's program, for a physician in Québec
    wait_idle(qtbot)
    row = store.query(
        "SELECT channel, province, role, need, risk, consent_notes, callback_number FROM contacts"
    )
    assert row == [("kiosk", "QC", "physician", "peer", "none", 0, None)]

    session.results.callback_button.click()
    assert session.current is session.callback
    assert_in_language(window, lang)
    session.callback.number.setText(VALID_NUMBER)
    session.callback.time_buttons["evening"].click()
    session.callback.consent.click()
    session.callback.submit_button.click()
    qtbot.waitUntil(lambda: session.current is session.feedback, timeout=10_000)
    assert session.feedback.confirmation.isVisible()
    assert_in_language(window, lang)
    assert store.query("SELECT callback_number, consent_notes, outcome FROM contacts") == [
        (E164, 1, "callback-requested")
    ]
    assert store.query("SELECT number, best_time, time_zone FROM callbacks") == [
        (E164, "evening", "America/Toronto")
    ]

    session.feedback.rating_buttons[4].click()
    session.feedback.found_buttons[True].click()
    session.feedback.finish_button.click()
    qtbot.waitUntil(lambda: window.session is not session, timeout=10_000)
    summary = feedback_summary(store, "kiosk")
    assert (summary.answers, summary.average_rating, summary.found_yes) == (1, 4, 1)
    assert window.session.current is window.session.welcome


def test_a_visitors_language_is_never_saved_and_the_kiosk_returns_to_its_own(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    other: Language = "fr" if lang == "en" else "en"
    _app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    session = begin(window, other)
    assert current_language() == other
    assert_in_language(window, other)
    session.start_over_button.click()
    assert current_language() == lang
    assert_in_language(window, lang)
    assert json.loads(settings_file.path.read_text())["ui_language"] == lang


TIER_REPLIES = {
    "concern": {"safety": "yes"},
    "high": {"safety": "yes", "safety:plan": "yes"},
    "imminent": {"safety": "no", "safety:timing": "declined", "safety:means": "yes"},
}


def safety_replies(tier: str) -> tuple[tuple[str, str], ...]:
    return tuple((step, TIER_REPLIES[tier].get(step, no)) for step, no in SAFETY_NO)


@pytest.mark.parametrize("tier", ["concern", "high", "imminent"])
def test_the_kiosk_gives_the_phone_lines_tiers_and_alerts_the_staff(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
    tier: str,
) -> None:
    app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    session = begin(window, lang)
    alerts: list[bool] = []
    window.staff_alerted.connect(alerts.append)
    answer(session, (("who", "resident"), ("province", "ON"), *safety_replies(tier)))
    assert session.answers is not None
    assert session.answers.risk == tier
    if tier == "concern":
        assert session.current is session.questions["need"]  # keep going, 9-8-8 on the results
        assert window.staff_flag.isHidden()
        assert alerts == []
    else:
        assert session.current is session.crisis
        assert_in_language(window, lang)
        texts = shown_texts(window)
        assert "988" in texts
        assert not window.staff_flag.isHidden()  # staff-facing flag...
        assert alerts == [True]  # ...and a sound (the default setting)
        cards = [
            w.objectName()
            for w in session.crisis.entries.findChildren(QWidget)
            if w.objectName().startswith("kiosk-crisis-")
        ]
        first = "kiosk-crisis-ca-911" if tier == "imminent" else "kiosk-crisis-ca-988"
        assert cards[0] == first  # the same order as the phone line's crisis panel
        session.crisis.continue_button.click()
        assert session.current is session.questions["need"]
    answer(session, (("need", "peer"), ("format", "either"), ("service_language", "either")))
    assert session.current is session.results
    assert not session.results.line_988.isHidden()
    assert "9-8-8" in session.results.line_988.text()
    wait_idle(qtbot)
    risk, actions, outcome = store_of(app).query(
        "SELECT risk, crisis_actions, outcome FROM contacts ORDER BY started_at DESC LIMIT 1"
    )[0]
    assert (risk, outcome) == (tier, "referred")
    if tier != "concern":
        assert {"kiosk-crisis-screen", "kiosk-staff-alerted"} <= set(json.loads(actions))


def test_nine_eight_eight_is_on_the_results_of_a_visitor_who_answered_no(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    _app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    session = begin(window, lang)
    answer(session, PHYSICIAN_ANSWERS)
    assert session.current is session.results
    assert session.answers is not None
    assert session.answers.risk == "none"
    assert "9-8-8" in shown_texts(window)


def test_the_crisis_screen_is_never_cleared_silently(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    app, window = start_kiosk(qtbot, make_app, settings_file, lang, kiosk_staff_alert="flag")
    alerts: list[bool] = []
    window.staff_alerted.connect(alerts.append)
    session = begin(window, lang)
    answer(session, (("who", "physician"), ("province", "ON"), *safety_replies("high")))
    assert session.current is session.crisis
    assert alerts == [False]  # the flag alone, as set
    window.idle.expire()  # the ordinary idle time is over...
    assert window.pages.currentWidget() is session  # ...the crisis screen stays
    assert session.current is session.crisis
    assert window.crisis_shown_at is not None
    window.crisis_shown_at -= window.crisis_idle_seconds + 1  # its own, much longer, wait is over
    window.idle.expire()
    assert window.pages.currentWidget() is window.still_there
    for _second in range(window.countdown_seconds):
        window.tick()
    assert window.session is not session
    assert not window.staff_flag.isHidden()  # the staff still know someone needed help
    wait_idle(qtbot)
    risk, outcome = store_of(app).query("SELECT risk, outcome FROM contacts")[0]
    assert (risk, outcome) == ("high", "crisis-screen")  # the truth, not "referred"
    window.open_staff()  # the staff have come
    assert window.staff_flag.isHidden()


def _go_to(window: KioskWindow, screen: str, language: Language) -> None:
    """From a fresh session, reach `screen` through the real buttons."""
    session = window.session
    if screen == "welcome":
        return
    session.welcome.buttons[language].click()
    steps = dict(PHYSICIAN_ANSWERS)
    for step in steps:
        if screen == step:
            return
        session.questions[step].choices[steps[step]].click()
    if screen == "results":
        return
    if screen == "callback":
        session.results.callback_button.click()
    elif screen == "feedback":
        session.results.finish_button.click()


SCREENS = (
    "welcome",
    "who",
    "province",
    "safety",
    "need",
    "format",
    "service_language",
    "results",
    "callback",
    "feedback",
)


def test_crisis_route_from_every_screen_and_back(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    _app, window = start_kiosk(qtbot, make_app, settings_file, lang, kiosk_province="NB")
    for screen in SCREENS:
        _go_to(window, screen, lang)
        session = window.session
        before = session.current
        if screen == "callback":
            session.callback.number.setText("506 555 01")
        window.help_button.click()
        assert session.current is session.crisis, screen
        assert_in_language(window, lang)
        assert "988" in shown_texts(window)
        province_lines = session.crisis.entries.findChildren(
            QWidget, "kiosk-crisis-nb-amh-helpline"
        )
        # Before the person says where they are, the kiosk's own province (NB) is used;
        # after, theirs (QC, which has no 24/7 line of its own in the directory).
        answered = SCREENS.index(screen) > SCREENS.index("province")
        assert bool(province_lines) is not answered, screen
        session.crisis.continue_button.click()
        assert session.current is before, screen
        if screen == "callback":
            assert session.callback.number.text() == "506 555 01"  # nothing entered is lost
        window.wipe()


def test_nunavut_never_gets_911(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    _app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    session = begin(window, lang)
    answer(session, (("who", "physician"), ("province", "NU"), *safety_replies("imminent")))
    crisis = session.crisis
    assert crisis.entries.findChildren(QWidget, "kiosk-crisis-nu-local-emergency")
    assert not crisis.entries.findChildren(QWidget, "kiosk-crisis-ca-911")
    contacts = [w.text() for w in crisis.entries.findChildren(QLabel, "crisis-entry-contact")]
    assert contacts, "9-8-8 is still listed"
    assert not any("911" in text for text in contacts)
    assert _("In danger right now? Call your local emergency number.") in shown_texts(window)
    assert _("In danger right now? Call 9-1-1.") not in shown_texts(window)
    assert any("988" in text for text in contacts)  # something to dial now, on the first card


def test_colleague_path_ends_with_guidance_beside_programs(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    _app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    session = begin(window, lang)
    answer(session, (("who", "colleague"), ("province", "AB")))
    assert session.questions["safety"].title.text() == (
        load_screen().question("thoughts").ask_about_other.get(lang)
    )
    answer(
        session,
        (*SAFETY_NO, ("need", "peer"), ("format", "either"), ("service_language", "either")),
    )
    assert session.current is session.results
    assert session.results.cards.findChildren(QWidget, "kiosk-guidance")
    assert session.results.cards.findChildren(QWidget, "kiosk-card-ab-pfsp")
    assert_in_language(window, lang)


def test_callback_mistakes_get_a_clear_message_and_nothing_is_saved(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    _go_to(window, "callback", lang)
    callback = window.session.callback
    cases = [
        ("", NumberProblem.EMPTY),
        ("call me", NumberProblem.NOT_A_NUMBER),
        ("514 555 01", NumberProblem.TOO_SHORT),
        ("514 555 0199 0199 12", NumberProblem.TOO_LONG),
    ]
    for typed, problem in cases:
        callback.number.setText(typed)
        callback.submit_button.click()
        assert callback.error.isVisible()
        assert callback.error.text() == explain(problem)
        assert callback.number.text() == typed  # the person fixes it; nothing is cleared
    callback.number.setText(VALID_NUMBER)
    callback.submit_button.click()
    assert callback.error.text() == _("Choose a time of day for the call.")
    callback.time_buttons["morning"].click()
    callback.submit_button.click()
    assert callback.error.text() == _(
        "Tap “I agree” above to confirm, or go back if you would rather not leave a number."
    )
    assert_in_language(window, lang)
    wait_idle(qtbot)
    assert store_of(app).query("SELECT count(*) FROM callbacks")[0][0] == 0
    assert (
        store_of(app).query("SELECT count(*) FROM contacts WHERE callback_number IS NOT NULL")[0][0]
        == 0
    )


def test_a_failed_callback_save_says_so_and_keeps_the_number(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    _go_to(window, "callback", lang)
    callback = window.session.callback
    callback.number.setText(VALID_NUMBER)
    callback.time_buttons["morning"].click()
    callback.consent.click()
    wait_idle(qtbot)
    store_of(app).close()  # the store goes away under the kiosk
    callback.submit_button.click()
    qtbot.waitUntil(callback.error.isVisible, timeout=10_000)
    assert callback.error.text() == _(
        "Your request could not be saved. Nothing you entered is lost: please tell the "
        "staff at the desk, or try again."
    )
    assert_in_language(window, lang)
    assert callback.number.text() == VALID_NUMBER
    assert callback.submit_button.isEnabled()
    assert window.session.current is callback


def _fill_everything(window: KioskWindow, language: Language) -> None:
    _go_to(window, "callback", language)
    callback = window.session.callback
    callback.number.setText(VALID_NUMBER)
    callback.time_buttons["afternoon"].click()
    callback.consent.click()


def test_idle_wipe_leaves_nothing_of_the_person(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    other: Language = "fr" if lang == "en" else "en"
    _app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    _fill_everything(window, other)  # the visitor picked the other language
    old = window.session
    QGuiApplication.clipboard().setText(VALID_NUMBER)  # as if it had got there somehow

    window.idle.expire()  # the injected wait is over: no sleeping in tests
    assert window.pages.currentWidget() is window.still_there
    assert VALID_NUMBER not in shown_texts(window)  # the countdown hides the person's screen
    assert_in_language(window, other)
    for _second in range(window.countdown_seconds):
        window.tick()

    assert window.session is not old
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(old)  # destroyed, with its undo stacks and button states
    session = window.session
    assert session.current is session.welcome
    assert current_language() == lang
    assert_in_language(window, lang)
    assert VALID_NUMBER not in shown_texts(window)
    assert checked_buttons(window) == []
    for field in text_fields(window):
        assert field.text() == ""
        field.setFocus()
        qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        field.undo()
        assert field.text() == ""
        assert not field.isUndoAvailable()
    assert VALID_NUMBER not in QGuiApplication.clipboard().text()
    session.back()
    assert session.current is session.welcome  # Back leads nowhere


def test_still_here_keeps_everything(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    _app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    _fill_everything(window, lang)
    session = window.session
    window.idle.expire()
    window.tick()
    window.still_there.button.click()
    assert window.session is session
    assert session.current is session.callback
    assert session.callback.number.text() == VALID_NUMBER
    assert window.countdown.isActive() is False


def test_idle_on_the_untouched_welcome_screen_does_nothing(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    _app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    session = window.session
    window.idle.expire()
    assert window.pages.currentWidget() is session
    assert window.idle.is_active()


def test_the_idle_watch_fires_on_its_own_and_any_touch_restarts_it(qtbot: QtBot) -> None:
    from intake.ui.idle import IdleWatch

    owner = QWidget()
    qtbot.addWidget(owner)
    watch = IdleWatch(80, owner)
    with qtbot.waitSignal(watch.idle, timeout=2_000):
        pass
    assert not watch.is_active()
    watch.poke()
    qtbot.keyClick(owner, Qt.Key.Key_A)  # any key press anywhere counts as activity
    assert watch.is_active()
    watch.stop()


def test_finishing_or_starting_over_wipes_too(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    _app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    _fill_everything(window, lang)
    old = window.session
    old.start_over_button.click()
    assert window.session is not old
    assert not old.isVisible()
    # The old session is deleted when control returns to the event loop (it is still
    # delivering the tap that ended it): before any further input can reach the window.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(old)
    assert checked_buttons(window) == []
    assert all(field.text() == "" for field in text_fields(window))


def test_text_never_reaches_the_clipboard(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    _app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    _go_to(window, "callback", lang)
    QGuiApplication.clipboard().setText("staff text")
    field = window.session.callback.number
    field.setText(VALID_NUMBER)
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(field, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "staff text"
    assert field.text() == VALID_NUMBER
    assert field.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu


def test_close_keys_do_nothing(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    _app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    session = begin(window, lang)
    window.close()  # what Alt+F4 or a window manager's close asks for
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert window.isVisible()
    assert session.current is session.questions["who"]


def test_exit_needs_a_supervisor_pin(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    for _tap in range(STAFF_TAPS - 1):
        qtbot.mouseClick(window.staff_corner, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.session  # four taps: nothing
    qtbot.mouseClick(window.staff_corner, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.staff
    window.staff.cancel_button.click()
    assert window.pages.currentWidget() is window.session

    window.activateWindow()
    window.setFocus()
    shortcut = window.staff_shortcut.key()
    assert shortcut.toString() == STAFF_SHORTCUT
    qtbot.waitActive(window)
    qtbot.keyClick(
        window.session,
        Qt.Key.Key_K,
        Qt.KeyboardModifier.ControlModifier
        | Qt.KeyboardModifier.AltModifier
        | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.pages.currentWidget() is window.staff
    assert_in_language(window, lang)
    window.staff.pin.setText("000000")
    window.staff.leave_button.click()
    qtbot.waitUntil(window.staff.banner.isVisible, timeout=10_000)
    assert window.staff.banner.title.text() == _("That PIN is not right")
    assert window.staff.pin.text() == ""
    assert window.isVisible()
    assert_in_language(window, lang)

    window.staff.pin.setText(PIN)
    window.staff.leave_button.click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    wait_idle(qtbot)
    actions = [r[0] for r in store_of(app).query("SELECT action FROM audit ORDER BY seq")]
    assert actions[-2:] == ["failed-sign-in", "kiosk-exit"]


def test_every_target_is_large_enough(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    _app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    for screen in SCREENS:
        _go_to(window, screen, lang)
        qtbot.waitExposed(window)
        QApplication.processEvents()
        for button in window.findChildren(QAbstractButton):
            if button.isVisible() and button.window() is window:
                size = button.size()
                assert size.width() >= MIN_TARGET, (screen, button.objectName())
                assert size.height() >= MIN_TARGET, (screen, button.objectName())
        window.wipe()


def test_no_stored_record_is_reachable_from_the_kiosk(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    from intake.storage.db import open_store
    from intake.storage.records import ContactRecord, add_note, save_contact
    from tests.conftest import PASSPHRASE

    store = open_store(existing_store, PASSPHRASE)
    save_contact(
        store,
        ContactRecord(
            "earlier",
            "phone",
            "2026-11-01T03:00:00+00:00",
            "en",
            "en",
            province="QC",
            consent_notes=True,
            caller_name="Dr Secret Person",
            callback_number="+16045550123",
        ),
        None,
    )
    add_note(store, "n1", "earlier", "zebra-umbrella confidential detail", None)
    store.close()

    _app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    for screen in SCREENS:
        _go_to(window, screen, lang)
        texts = shown_texts(window)
        for secret in ("Secret Person", "zebra-umbrella", "555 0123", "555-0123", "5550123"):
            assert secret not in texts, (screen, secret)
        window.wipe()
    window.open_staff()
    texts = shown_texts(window)
    assert "Secret Person" not in texts
    # Nothing in the kiosk can list records: no table, list or tree views at all.
    from PySide6.QtWidgets import QAbstractItemView

    views = [v for v in window.findChildren(QAbstractItemView) if v.isVisible()]
    assert views == []


def test_a_mistake_in_the_directory_stops_the_kiosk_with_a_clear_message(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    lang: Language,
) -> None:
    bad = tmp_path / "directory.toml"
    bad.write_text('[[program]]\nid = "x"\nkind = "nonsense"\n', encoding="utf-8")
    monkeypatch.setenv("INTAKE_DIRECTORY", str(bad))
    from tests.gui.conftest import sign_in

    app = make_app(lang, kiosk=True)
    sign_in(qtbot, app)
    qtbot.waitUntil(app.gate.signin.banner.isVisible, timeout=10_000)
    assert app.kiosk_window is None
    assert app.gate.signin.banner.title.text() == _(
        "The application cannot start: a data file has a mistake"
    )
    detail = app.gate.signin.banner.detail.text()
    assert "directory.toml" in detail
    assert foreign_texts(app.gate, lang) == []
    # The loader's English words are not shown in a French window: its own words are.
    assert ("must be" in detail) == (lang == "en")


def test_screens_say_where_focus_goes(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    _app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    for screen in window.session.stack.findChildren(KioskScreen):
        target = screen.first_focus()
        assert target is None or target.focusPolicy() != Qt.FocusPolicy.NoFocus


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def test_family_path_ends_with_the_family_guidance(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
    size: tuple[int, int],
) -> None:
    """A visitor worried about a physician in their family gets the guidance the call reads to
    a family member (not the workplace guidance for a colleague), beside or above the programs."""
    _app, window = start_kiosk(qtbot, make_app, settings_file, lang, size=size)
    session = begin(window, lang)
    answer(session, (("who", "family"), ("province", "ON")))
    answer(
        session,
        (*SAFETY_NO, ("need", "peer"), ("format", "either"), ("service_language", "either")),
    )
    assert session.current is session.results
    layout = session.results.cards_layout
    in_layout = [layout.itemAt(index).widget() for index in range(layout.count())]
    guidance = [card for card in in_layout if card.objectName() == "kiosk-guidance"]
    assert len(guidance) == 1
    texts = "\n".join(label.text() for label in guidance[0].findChildren(QLabel))
    for section in family_guidance():
        assert section.title.get(lang) in texts
        assert section.points[0].get(lang) in texts
    titles = [label.text() for label in guidance[0].findChildren(QLabel, "guidance-section")]
    assert titles == [section.title.get(lang) for section in family_guidance()]
    assert titles != [section.title.get(lang) for section in load_guidance()]  # not the workplace
    assert _("Helping a colleague in distress") not in texts
    assert session.results.title.text() != _("How to help your colleague, and who can help")
    assert session.results.title.text() != _("Programs that can help")
    # The programs are still there, beside the guidance (landscape) or under it (portrait).
    placed = {
        layout.itemAt(index).widget().objectName(): layout.getItemPosition(index)
        for index in range(layout.count())
    }
    guidance_at = placed.pop("kiosk-guidance")
    assert placed
    assert all(name.startswith("kiosk-card-") for name in placed)
    program_at = min(placed.values())
    if size[0] > size[1]:
        assert guidance_at[1] < program_at[1]  # a column of its own, to the left
    else:
        assert guidance_at[0] < program_at[0]  # above
    assert_in_language(window, lang)


def test_the_kiosk_lays_out_only_the_screen_on_show(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    """The visit's screens and the window's pages are stacks that lay out only the page on
    screen (as the call's steps): the screens a visitor has left are hidden and not measured
    again when the window changes (a language switch, a resize), and a screen shown again is
    laid out to the stack's full size before it is painted."""
    from intake.ui.widgets import CurrentPageStack

    _app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    session = window.session
    assert isinstance(session.stack, CurrentPageStack)
    assert isinstance(window.pages, CurrentPageStack)
    _go_to(window, "safety", lang)
    left = [screen for screen in session.stack.findChildren(KioskScreen) if screen.isHidden()]
    assert left
    assert session.welcome in left
    assert [s for s in session.stack.findChildren(KioskScreen) if s.isVisible()] == [
        session.current
    ]
    sizes = {id(screen): screen.size() for screen in left}
    window.setFixedSize(window.height(), window.width())  # turned: upright to landscape
    qtbot.waitUntil(
        lambda: session.current is not None and session.current.size() == session.stack.size()
    )
    assert {id(screen): screen.size() for screen in left} == sizes  # not laid out while hidden
    session.back()
    shown = session.current
    assert shown is not None
    assert shown.isVisible()
    qtbot.waitUntil(lambda: shown.size() == session.stack.size())
    # The window's own pages: the visit, "still there?", the staff page; one shown at a time.
    window.wipe()
    assert window.pages.currentWidget() is window.session
    assert window.pages.indexOf(window.session) == 0
    assert [p for p in (window.session, window.still_there, window.staff) if p.isVisible()] == [
        window.session
    ]


def test_a_waiting_kiosk_builds_the_visits_screens_before_the_first_tap(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    """While the kiosk waits for its next visitor it builds the screens a visit needs (the
    crisis screen among them), so the visitor's taps only switch pages; a visitor who picks the
    other language still reads every one of them in theirs."""
    _app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    session = window.session
    qtbot.waitUntil(lambda: session.prepared, timeout=10_000)
    built = {session.stack.widget(index) for index in range(session.stack.count())}
    assert session.crisis_screen_if_built in built
    assert session.results in built
    other: Language = "fr" if lang == "en" else "en"
    begin(window, other)
    for step, value in PHYSICIAN_ANSWERS:
        assert session.current is session.questions[step], step
        assert_in_language(window, other)
        session.questions[step].choices[value].click()
    assert session.current is session.results
    assert_in_language(window, other)
    after = {session.stack.widget(index) for index in range(session.stack.count())}
    # Only the safety questions that follow an answer are built during the visit.
    follow_ups = {session.questions[step] for step, _value in SAFETY_NO[1:]}
    assert after - built == follow_ups
    session.show_crisis()
    assert session.current is session.crisis_screen_if_built
    assert_in_language(window, other)
