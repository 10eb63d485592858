"""Switching language: at once, in every open window, nothing typed lost, remembered."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from intake.i18n import Language, _, current_language
from intake.ui import ops
from intake.ui.main_window import MainWindow
from tests.gui.conftest import AppFactory, sign_in
from tests.gui.texts import foreign_texts, visible_texts


def assert_all_in(language: Language, *windows: QWidget) -> None:
    assert current_language() == language
    for window in windows:
        assert foreign_texts(window, language) == [], window.objectName()
        assert len(visible_texts(window)) > 3  # the walk really saw the window


def test_switch_en_fr_en_keeps_what_was_typed(
    qtbot: QtBot, make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app("en")
    setup = app.gate.setup
    setup.passphrase.setText("typed before the switch")
    setup.passphrase_again.setText("typed before")
    setup.display_name.setText("Dr Élise Roy")
    setup.pin.setText("2468")
    setup.create_button.click()  # leaves an error banner showing, which must follow too
    assert setup.banner.isVisible()
    assert_all_in("en", app.gate)

    app.gate.language_switch.buttons["fr"].click()
    assert_all_in("fr", app.gate)
    assert setup.title.text() == "Configurer ce poste de travail"
    assert setup.banner.title.text() == "Les deux phrases de passe ne sont pas identiques."
    assert QLocale().language() == QLocale.Language.French
    assert app.gate.setup.language_switch.buttons["fr"].isChecked()  # both switches agree
    # The choice is written on a worker thread, after the windows have changed.
    qtbot.waitUntil(lambda: saved_language(tmp_path) == "fr")

    app.gate.setup.language_switch.buttons["en"].click()
    assert_all_in("en", app.gate)
    assert QLocale().language() == QLocale.Language.English
    assert setup.passphrase.text() == "typed before the switch"
    assert setup.passphrase_again.text() == "typed before"
    assert setup.display_name.text() == "Dr Élise Roy"
    assert setup.pin.text() == "2468"


def test_every_open_window_switches_at_once(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path
) -> None:
    app = make_app("en")
    sign_in(qtbot, app)
    window = app.main_window
    assert isinstance(window, MainWindow)
    window.lock_page.pin.setText("12")  # typed into a hidden page
    app.gate.show()  # a second window open at the same time
    # Qt's own widgets too: a standard button box follows through qtbase_fr.
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    buttons.show()
    date_before = window.home.session.text()

    window.language_switch.buttons["fr"].click()
    assert_all_in("fr", window, app.gate)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Annuler"
    assert window.home.session.text() != date_before  # Babel date in French now
    assert window.lock_action.text() == "Verrouiller"
    assert app.gate.language_switch.buttons["fr"].isChecked()

    window.language_switch.buttons["en"].click()
    assert_all_in("en", window, app.gate)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"
    assert window.home.session.text() == date_before
    assert window.lock_page.pin.text() == "12"


def saved_language(folder: Path) -> str | None:
    try:
        value = json.loads((folder / "settings.json").read_text())["ui_language"]
    except (OSError, ValueError, KeyError):
        return None
    return str(value)


def test_the_choice_persists_to_the_next_start(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path
) -> None:
    first = make_app("en")
    first.gate.language_switch.buttons["fr"].click()
    qtbot.waitUntil(lambda: not ops.running())  # written on a worker thread
    first.gate.close()
    second = make_app()  # reads the settings file only
    assert current_language() == "fr"
    assert second.gate.unlock.title.text() == _("Unlock the store") == "Déverrouiller le coffre"
    assert second.gate.language_switch.buttons["fr"].isChecked()


def test_the_walk_catches_text_left_in_the_other_language(
    qtbot: QtBot, make_app: AppFactory
) -> None:
    """Positive control: a label set once and never retranslated is reported."""
    from PySide6.QtWidgets import QLabel

    app = make_app("en")
    stale = QLabel(_("Store: {path}").format(path="/tmp/x"), app.gate)
    stale.setObjectName("stale-label")
    stale.show()
    app.gate.language_switch.buttons["fr"].click()
    assert foreign_texts(app.gate, "fr") == ["stale-label: 'Store: /tmp/x'"]


def test_switching_on_the_recommendations_retranslates_the_cards_in_place(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    """The interface language changes the cards' texts, not the cards: the same widgets stay
    (rebuilding them was most of a switch's cost), with what was offered and chosen kept."""
    from PySide6.QtWidgets import QLabel

    from tests.gui.test_call import fill_whole_call, start_call

    _app, window, page = start_call(qtbot, make_app, lang)
    fill_whole_call(qtbot, page)
    page.show_step("recommendations")
    cards = page.steps["recommendations"]
    before = cards.cards.findChildren(QLabel)
    chosen = [pid for pid, button in cards.chosen.items() if button.isChecked()]  # type: ignore[attr-defined]
    texts = [label.text() for label in before]
    other: Language = "fr" if lang == "en" else "en"

    window.language_switch.buttons[other].click()
    assert_all_in(other, window)
    assert cards.cards.findChildren(QLabel) == before  # the very same widgets
    assert [label.text() for label in before] != texts  # now in the other language
    assert [pid for pid, b in cards.chosen.items() if b.isChecked()] == chosen  # type: ignore[attr-defined]

    window.language_switch.buttons[lang].click()
    assert_all_in(lang, window)
    assert [label.text() for label in before] == texts


def test_switching_quickly_back_and_forth_remembers_the_last_choice(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path
) -> None:
    """Writes run on a worker one at a time; a switch made while one runs is written after it,
    so the file never ends on an earlier choice than the one on screen."""
    first = make_app("en")
    folder = first.settings_file.path.parent
    buttons = first.gate.language_switch.buttons
    for language in ("fr", "en", "fr", "en", "fr"):
        buttons[language].click()  # type: ignore[index]
    assert current_language() == "fr"
    qtbot.waitUntil(lambda: not ops.running() and saved_language(folder) == "fr")
    buttons["en"].click()
    qtbot.waitUntil(lambda: not ops.running())
    assert saved_language(folder) == "en"


def test_a_switch_on_a_filled_call_builds_and_destroys_no_widget(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    """Every step, the crisis panel and the window retranslate the widgets they have: after a
    switch and back, the window holds exactly the same widget objects (rebuilding cards and
    lists was most of a switch's cost), and the steps nobody looks at stay hidden."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from tests.gui.test_call import fill_whole_call, start_call

    _app, window, page = start_call(qtbot, make_app, lang)
    fill_whole_call(qtbot, page)
    page.show_step("recommendations")
    page.show_step("wrapup")

    def widgets() -> set[int]:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        return {id(widget) for widget in window.findChildren(QWidget)}

    before = widgets()
    keep = window.findChildren(QWidget)  # held, so no id is reused while the test runs
    other: Language = "fr" if lang == "en" else "en"
    window.language_switch.buttons[other].click()
    assert_all_in(other, window)
    assert widgets() == before
    assert [step for step, p in page.steps.items() if p.isVisible()] == ["wrapup"]
    window.language_switch.buttons[lang].click()
    assert_all_in(lang, window)
    assert widgets() == before
    assert len(keep) == len(before)
