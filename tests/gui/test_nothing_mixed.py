"""Nothing mixed on screen: status lines, times and dates follow the interface language; the
caller's language is asked at the greeting and never follows the interface."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from intake.i18n import Language, gettext_in
from intake.ui.call.steps import GREETING, GreetingStep, WhoStep
from tests.conftest import SUPERVISOR
from tests.gui.conftest import AppFactory, main_window_of, wait_idle
from tests.gui.test_call import start_call

OTHER: dict[Language, Language] = {"en": "fr", "fr": "en"}


def test_saved_a_moment_ago_follows_a_language_switch(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    _app, window, page = start_call(qtbot, make_app, lang)
    greeting = page.steps["greeting"]
    assert isinstance(greeting, GreetingStep)
    greeting.consent_yes.click()
    page.save_draft()
    wait_idle(qtbot)
    assert page.autosave_state.text() == gettext_in(lang, "Saved a moment ago")
    window.language_switch.buttons[OTHER[lang]].click()
    assert page.autosave_state.text() == gettext_in(OTHER[lang], "Saved a moment ago")


def test_the_greeting_says_the_first_name_only(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    _app, _window, page = start_call(qtbot, make_app, lang)
    greeting = page.steps["greeting"]
    assert isinstance(greeting, GreetingStep)
    said = greeting.script.text.text()
    assert SUPERVISOR not in said  # "Dr Sam Okafor" is never read aloud in full
    assert gettext_in(lang, GREETING).format(name="Sam") in said


def test_the_callers_language_is_asked_and_does_not_follow_the_interface(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    _app, window, page = start_call(qtbot, make_app, lang)
    greeting = page.steps["greeting"]
    assert isinstance(greeting, GreetingStep)
    assert greeting.language_box.isVisible()
    other = OTHER[lang]
    greeting.language_choices[other].click()
    assert page.call.caller_language == other
    assert page.caller_buttons[other].isChecked()  # the side switch agrees
    read_aloud = greeting.script.text.text()
    assert gettext_in(other, GREETING).format(name="Sam") in read_aloud
    # The volunteer switches the interface mid-call: the words for the caller stay.
    window.language_switch.buttons[other].click()
    window.language_switch.buttons[lang].click()
    assert page.call.caller_language == other
    assert greeting.script.text.text() == read_aloud


def test_the_province_suggestion_reads_right_and_comes_after_the_box(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    _app, _window, page = start_call(qtbot, make_app, lang)
    page.steps["greeting"].consent_yes.click()  # type: ignore[attr-defined]
    page.next_step()
    who = page.steps["who"]
    assert isinstance(who, WhoStep)
    who.number.setFocus()
    qtbot.keyClicks(who.number, "506 555 0142")  # a New Brunswick area code
    assert who.suggestion.isVisible()
    expected = "le Nouveau-Brunswick" if lang == "fr" else "suggests New Brunswick"
    assert expected in who.suggestion.text()
    assert who.suggestion.wordWrap()
    # Tab reaches the province box before the button that fills it.
    assert who.province.nextInFocusChain() is not None
    order: list[QWidget] = []
    widget: QWidget = who.role
    for _ in range(12):
        order.append(widget)
        widget = widget.nextInFocusChain()
    assert order.index(who.province) < order.index(who.use_suggestion)


def test_the_follow_up_time_field_is_in_the_interface_language(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app = make_app("en" if lang == "fr" else "fr")
    window = main_window_of(qtbot, app)
    window.new_call()  # built in the other language, then switched
    window.language_switch.buttons[lang].click()
    page = window.call_page
    assert page is not None
    page.show_step("wrapup")
    due = page.steps["wrapup"].due  # type: ignore[attr-defined]
    shown = due.text()
    if lang == "fr":
        assert "\u00a0h\u00a0" in shown
        assert "a.m." not in shown
        assert "AM" not in shown
    else:
        assert "a.m." in shown.lower() or "am" in shown.lower()
        assert "\u00a0h\u00a0" not in shown
