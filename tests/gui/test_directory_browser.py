"""The directory browser inside the main window, in both languages."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from intake.directory.load import load_directory
from intake.directory.model import Text
from intake.i18n import Language, _, pgettext, set_language
from intake.routing.engine import Router
from intake.routing.reasons import warning_text
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


def test_a_program_that_may_no_longer_run_says_so_as_in_the_call(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    """The CMA Wellness Support Line may no longer run: the call's recommendations warn about
    it, and so does the browser, in the list and in its facts with the reason."""
    browser = open_browser(qtbot, make_app, lang)
    program = browser.router.get("ca-cma-wsl")
    assert program is not None
    assert program.doubt is not None
    row = listed(browser).index("ca-cma-wsl")
    item = browser.results.item(row)
    assert item.text() == _("{name} (may no longer run)").format(name=program.name.text.get(lang))
    assert warning_text("may-not-run") in item.toolTip()
    browser.results.setCurrentRow(row)
    facts = browser.detail.text()
    assert warning_text("may-not-run") in facts
    assert program.doubt.get(lang) in facts
    # A program with no doubt says nothing of the kind.
    browser.results.setCurrentRow(listed(browser).index("ab-pfsp"))
    assert warning_text("may-not-run") not in browser.detail.text()
    ab_pfsp = browser.router.get("ab-pfsp")
    assert ab_pfsp is not None
    assert browser.results.currentItem().text() == ab_pfsp.name.text.get(lang)
    assert foreign_texts(browser.window(), lang) == []


def test_a_doubt_never_weakens_emergency_services_or_nine_eight_eight(
    qtbot: QtBot, lang: Language
) -> None:
    """Even a directory that puts a doubt on 9-8-8 or on emergency services does not make the
    browser hedge them (the call never does either); a peer program with the same doubt is
    marked."""
    set_language(lang)
    doubt = Text(en="No source since 2020.", fr="Aucune source depuis 2020.")
    chosen = {"ca-988", "ca-911", "ab-pfsp"}
    programs = [
        dataclasses.replace(p, doubt=doubt) if p.id in chosen else p for p in load_directory()
    ]
    assert {p.id for p in programs if p.doubt == doubt} == chosen
    browser = DirectoryBrowser(Router(programs), lambda: datetime.now(UTC), None)  # type: ignore[arg-type]
    qtbot.addWidget(browser)
    shown = {
        browser.results.item(row).data(Qt.ItemDataRole.UserRole): browser.results.item(row)
        for row in range(browser.results.count())
    }
    for program_id in ("ca-988", "ca-911"):
        name = next(p for p in programs if p.id == program_id).name.text.get(lang)
        assert shown[program_id].text() == name
        assert warning_text("may-not-run") not in shown[program_id].toolTip()
        browser.results.setCurrentItem(shown[program_id])
        assert warning_text("may-not-run") not in browser.detail.text()
        assert doubt.get(lang) not in browser.detail.text()
    name = next(p for p in programs if p.id == "ab-pfsp").name.text.get(lang)
    assert shown["ab-pfsp"].text() == _("{name} (may no longer run)").format(name=name)
    browser.results.setCurrentItem(shown["ab-pfsp"])
    assert doubt.get(lang) in browser.detail.text()
