"""First run: set-up creates an encrypted store and signs the supervisor in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from intake.i18n import Language, _
from intake.settings import SettingsFile
from intake.storage.account_store import list_accounts
from intake.storage.db import open_store
from intake.ui.app import IntakeApplication, create_qapplication
from tests.conftest import PIN
from tests.gui.conftest import AppFactory, wait_idle
from tests.gui.texts import foreign_texts

GOOD_PASSPHRASE = "la nuit, on répond toujours"


def fill(app_setup: object, **values: str) -> None:
    for name, value in values.items():
        getattr(app_setup, name).setText(value)


def test_first_run_creates_the_store_and_signs_in(
    qtbot: QtBot, make_app: AppFactory, store_path: Path, lang: Language, tmp_path: Path
) -> None:
    app = make_app(lang)
    setup = app.gate.setup
    assert app.gate.pages.currentWidget() is setup
    assert not store_path.exists()
    assert foreign_texts(app.gate, lang) == []

    fill(
        setup,
        passphrase=GOOD_PASSPHRASE,
        passphrase_again=GOOD_PASSPHRASE,
        display_name="  Dr Léa Gagnon ",
        pin=PIN,
        pin_again=PIN,
    )
    qtbot.mouseClick(setup.create_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)

    window = app.main_window
    assert window is not None
    assert window.isVisible()
    assert not app.gate.isVisible()
    assert "Dr Léa Gagnon" in window.signed_in.text()
    assert window.signed_in.text() == _("Signed in: {name} ({role})").format(
        name="Dr Léa Gagnon", role=_("Supervisor")
    )
    assert foreign_texts(window, lang) == []
    # Secrets are dropped from the widgets; the chosen language is remembered.
    assert setup.passphrase.text() == setup.passphrase_again.text() == setup.pin.text() == ""
    assert json.loads((tmp_path / "settings.json").read_text())["ui_language"] == lang
    settings_text = (tmp_path / "settings.json").read_text()
    assert GOOD_PASSPHRASE not in settings_text
    assert PIN not in settings_text

    window.close()
    app.shutdown()
    store = open_store(store_path, GOOD_PASSPHRASE)
    assert [a.display_name for a in list_accounts(store)] == ["Dr Léa Gagnon"]
    store.close()


def test_setup_explains_each_rule_and_creates_nothing_until_met(
    qtbot: QtBot, make_app: AppFactory, store_path: Path, lang: Language
) -> None:
    app = make_app(lang)
    setup = app.gate.setup
    cases = [
        (
            dict(passphrase="short"),
            _("The passphrase needs at least {minimum} characters.").format(minimum=12),
        ),
        (
            dict(passphrase=GOOD_PASSPHRASE, passphrase_again="different phrase"),
            _("The two passphrases are not the same."),
        ),
        (dict(passphrase_again=GOOD_PASSPHRASE), _("Enter the supervisor's display name.")),
        (
            dict(display_name="Sam", pin="12"),
            _("The PIN needs {low} to {high} digits.").format(low=4, high=12),
        ),
        (dict(pin="1234", pin_again="4321"), _("The two PINs are not the same.")),
    ]
    for values, message in cases:
        fill(setup, **values)
        setup.create_button.click()
        assert setup.banner.isVisible()
        assert setup.banner.title.text() == message
    assert not store_path.exists()
    # What was typed is all still there.
    assert setup.display_name.text() == "Sam"
    assert setup.passphrase.text() == GOOD_PASSPHRASE


def test_live_feedback_counts_characters(make_app: AppFactory, lang: Language) -> None:
    app = make_app(lang)
    setup = app.gate.setup
    setup.passphrase.setText("abcde")
    assert setup.passphrase_feedback.text() == _("{count} of {minimum} characters.").format(
        count=5, minimum=12
    )
    setup.passphrase.setText(GOOD_PASSPHRASE)
    setup.passphrase_again.setText(GOOD_PASSPHRASE)
    assert setup.passphrase_feedback.text() == _("The passphrases match and meet the rule.")


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux sysfs")
def test_creation_failure_keeps_everything_typed(
    qtbot: QtBot, settings_file: SettingsFile, lang: Language
) -> None:
    # sysfs refuses new folders even to root: a real read-only location, no mock.
    unwritable = Path("/sys/intake-test-folder/store.db")
    settings_file.save(settings_file.load().with_language(lang))
    create_qapplication([])
    app = IntakeApplication(unwritable, settings_file)
    qtbot.addWidget(app.gate)
    app.start()
    setup = app.gate.setup
    fill(
        setup,
        passphrase=GOOD_PASSPHRASE,
        passphrase_again=GOOD_PASSPHRASE,
        display_name="Sam",
        pin=PIN,
        pin_again=PIN,
    )
    setup.create_button.click()
    wait_idle(qtbot)
    assert app.main_window is None
    assert setup.banner.title.text() == _("The store's folder cannot be written to")
    assert foreign_texts(app.gate, lang) == []
    assert setup.passphrase.text() == GOOD_PASSPHRASE
    assert setup.display_name.text() == "Sam"
    assert setup.create_button.isEnabled()
    app.shutdown()


def test_first_run_asks_for_the_on_call_supervisor_and_the_crisis_route_shows_it(
    qtbot: QtBot, make_app: AppFactory, store_path: Path, lang: Language, tmp_path: Path
) -> None:
    app = make_app(lang)
    setup = app.gate.setup
    assert setup.on_call_skipped.isVisibleTo(setup)  # nothing typed: the note says what follows
    fill(
        setup,
        passphrase=GOOD_PASSPHRASE,
        passphrase_again=GOOD_PASSPHRASE,
        display_name="Dr Léa Gagnon",
        pin=PIN,
        pin_again=PIN,
        on_call_name="Dr Roy",
    )
    assert not setup.on_call_skipped.isVisibleTo(setup)
    setup.create_button.click()  # a name without a number: refused, said, nothing created
    assert setup.banner.title.text() == _(
        "Enter the on-call supervisor's number too, or clear the name."
    )
    assert not store_path.exists()
    setup.on_call_number.setText("613 555")
    setup.create_button.click()
    assert setup.banner.title.text()  # a number too short: explained
    assert not store_path.exists()
    setup.on_call_number.setText("613 555 0100")
    assert foreign_texts(app.gate, lang) == []
    setup.create_button.click()
    wait_idle(qtbot)
    window = app.main_window
    assert window is not None
    window.new_call()
    page = window.call_page
    assert page is not None
    page.open_crisis()
    qtbot.waitUntil(lambda: "Dr Roy" in page.crisis.supervisor.text(), timeout=10_000)
    assert "555" in page.crisis.supervisor.text()
    assert "Dr Roy" not in (tmp_path / "settings.json").read_text(encoding="utf-8")
    store = app.store
    assert store is not None
    assert "Dr Roy" not in repr(store.query("SELECT * FROM audit"))


def test_first_run_may_skip_the_on_call_supervisor(
    qtbot: QtBot, make_app: AppFactory, store_path: Path, lang: Language
) -> None:
    app = make_app(lang)
    setup = app.gate.setup
    fill(
        setup,
        passphrase=GOOD_PASSPHRASE,
        passphrase_again=GOOD_PASSPHRASE,
        display_name="Dr Léa Gagnon",
        pin=PIN,
        pin_again=PIN,
    )
    assert setup.on_call_skipped.isVisibleTo(setup)
    setup.create_button.click()
    wait_idle(qtbot)
    window = app.main_window
    assert window is not None
    window.new_call()
    page = window.call_page
    assert page is not None
    page.open_crisis()
    not_set = _("On-call supervisor: not set. Ask a supervisor to add it.")
    qtbot.waitUntil(lambda: page.crisis.supervisor.text() == not_set, timeout=10_000)
