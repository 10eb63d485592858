"""Start-up builds only what the first window shows: with a store already set up, the unlock
page, and never the first-run set-up form (it cost 9-13 ms of every start)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from intake.i18n import Language
from intake.ui.setup_page import SetupPage
from tests.gui.conftest import AppFactory


def test_an_existing_store_starts_without_building_the_set_up_page(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    app = make_app(lang)
    gate = app.gate
    assert gate.pages.currentWidget() is gate.unlock
    assert gate.unlock.passphrase.hasFocus() or not gate.isActiveWindow()
    assert gate.findChildren(SetupPage) == []


def test_first_run_still_opens_on_the_set_up_page(
    qtbot: QtBot, make_app: AppFactory, lang: Language
) -> None:
    app = make_app(lang)
    gate = app.gate
    assert isinstance(gate.pages.currentWidget(), SetupPage)
    assert len(gate.findChildren(SetupPage)) == 1
