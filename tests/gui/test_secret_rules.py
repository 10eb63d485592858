"""Set-up refuses an easily guessed passphrase or PIN, saying why in the person's language,
and keeps what was typed."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from intake.i18n import Language, _
from tests.gui.conftest import AppFactory

GOOD_PASSPHRASE = "la nuit, on répond toujours"


def test_setup_refuses_guessable_secrets(
    qtbot: QtBot, make_app: AppFactory, store_path: Path, lang: Language
) -> None:
    app = make_app(lang)
    setup = app.gate.setup
    setup.display_name.setText("Dr Élise Roy")
    weak = _(
        "That passphrase would be easy to guess. Add a few unexpected words, or make it longer."
    )
    for passphrase in ("qwertyqwerty", "Password12345"):
        setup.passphrase.setText(passphrase)
        setup.passphrase_again.setText(passphrase)
        setup.pin.setText("482916")
        setup.pin_again.setText("482916")
        setup.create_button.click()
        assert setup.banner.title.text() == weak
    setup.passphrase.setText(GOOD_PASSPHRASE)
    setup.passphrase_again.setText(GOOD_PASSPHRASE)
    for pin in ("0000", "1234", "987654", "121212"):
        setup.pin.setText(pin)
        setup.pin_again.setText(pin)
        setup.create_button.click()
        assert setup.banner.title.text() == _(
            "That PIN would be guessed first (a repeat, a run such as 1234, or a common one). "
            "Choose another."
        )
    assert setup.display_name.text() == "Dr Élise Roy"  # nothing typed is lost
    assert not store_path.exists()
