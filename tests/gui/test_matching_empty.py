"""The matching page's request list says so when it is empty (it said nothing), in both
languages, and the words go once a request arrives."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from intake.accounts import Account, Role
from intake.i18n import Language, _, set_language
from intake.services import matching
from intake.storage.account_store import list_accounts
from intake.ui.matching import MatchingPage
from tests.conftest import make_store
from tests.gui.texts import foreign_texts
from tests.matching.helpers import request


def test_an_empty_request_list_says_why_and_where_requests_come_from(
    qtbot: QtBot, store_path: Path, lang: Language
) -> None:
    set_language(lang)
    store = make_store(store_path)
    boss = list_accounts(store)[0].id
    page = MatchingPage(store, Account(boss, "Dr Sam Okafor", Role.SUPERVISOR))
    qtbot.addWidget(page)
    try:
        page.resize(1280, 720)
        page.show()
        assert page.requests.count() == 0
        assert page.requests_empty.isVisible()
        assert page.requests_empty.text() == _(
            "No match request yet. Requests arrive from calls and kiosk visits when the "
            "person agrees to be matched, or add one below."
        )
        assert foreign_texts(page, lang) == []
        matching.add_request(store, request(), boss)
        page.refresh()
        assert page.requests.count() == 1
        assert not page.requests_empty.isVisible()
    finally:
        page.requests.blockSignals(True)  # the page outlives the store in the test's teardown
        store.close()
