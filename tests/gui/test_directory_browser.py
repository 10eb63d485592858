"""The directory browser inside the main window, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from intake.i18n import Language, _, pgettext
from intake.ui.directory_browser import DirectoryBrowser
from tests.gui.conftest import AppFactory, main_window_of
from tests.gui.texts import foreign_texts
from tests.routing.helpers import entry, write


def open_browser(qtbot: QtBot, make_app: AppFactory, language: Language) -> DirectoryBrowser:
    app = make_app(language)
    window = main_window_of(qtbot, app)
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    browser = window.directory_page
    assert browser is not None
    assert window.pages.currentWidget() is browser
    return browser


def listed(browser: DirectoryBrowser) -> list[str]:
    return [
        browser.results.item(row).data(Qt.ItemDataRole.UserRole)
        for row in range(browser.results.count())
    ]


def test_filters_and_facts_with_their_status(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    browser = open_browser(qtbot, make_app, lang)
    assert len(listed(browser)) == len(browser.router.programs)
    browser.province.setCurrentIndex(browser.province.findData("AB"))
    browser.kind.setCurrentIndex(browser.kind.findData("peer-support"))
    assert "ab-pfsp" in listed(browser)
    assert "qc-pamq" not in listed(browser)
    browser.results.setCurrentRow(listed(browser).index("ab-pfsp"))
    facts = browser.detail.text()
    assert "1-877-767-4637" in facts or "1 877 767-4637" in facts
    assert pgettext("fact status", "verified") in facts
    assert foreign_texts(browser.window(), lang) == []
    browser.search.setText("zzz nothing matches")
    assert listed(browser) == []
    assert browser.detail.text() == _("Choose a program to see its facts.")


def test_unverified_facts_are_shown_as_such(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    lang: Language,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hidden = entry(id="on-not-yet").replace(
        'scope = "local"', 'scope = "local"\nlisting = "hide-until-verified"'
    )
    hidden = hidden.replace('status = "verified", fr_status', 'status = "unverified", fr_status')
    monkeypatch.setenv("INTAKE_DIRECTORY", str(write(tmp_path, hidden)))
    browser = open_browser(qtbot, make_app, lang)
    browser.search.setText("Example Peer Line")
    assert listed(browser) == ["on-not-yet"]
    browser.results.setCurrentRow(0)
    facts = browser.detail.text()
    assert pgettext("fact status", "not verified") in facts
    assert _("Not offered in recommendations until someone verifies it.") in facts
    assert foreign_texts(browser.window(), lang) == []


def test_programs_the_cma_list_names_are_shown_as_third_party(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    browser = open_browser(qtbot, make_app, lang)
    browser.search.setText("Safe Spaces")
    assert listed(browser) == ["ca-cfms-safe-spaces"]
    browser.results.setCurrentRow(0)
    facts = browser.detail.text()
    assert pgettext("fact status", "third-party source only") in facts
    assert _("Not offered in recommendations until someone verifies it.") not in facts
    assert foreign_texts(browser.window(), lang) == []
