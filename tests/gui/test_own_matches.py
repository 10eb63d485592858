"""The matched peer's own page through the real window, in both languages (issue 17): a peer
supporter signs in, sees their match only (with the requester's identity), records the first
contact and the end of the support; a volunteer never gets the page."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from pytestqt.qtbot import QtBot

from intake.i18n import Language
from intake.pins import hash_pin
from intake.services import matching
from intake.storage.account_store import insert_account, list_accounts
from intake.ui.app import IntakeApplication
from intake.ui.main_window import MainWindow
from intake.ui.own_matches import OwnMatchesPage
from tests.conftest import PASSPHRASE, PIN, make_store
from tests.gui.conftest import AppFactory, store_of, wait_idle
from tests.matching.helpers import peer, request

WHEN = datetime(2026, 4, 6, 15, 0, tzinfo=UTC)
MINE = "Dr Quillon Vantree"
THEIRS = "Dr Other Requester"


def _prepare(path: Path) -> tuple[str, str]:
    """A store with a peer-supporter and a volunteer account, two matches (one the peer's)."""
    store = make_store(path)
    coordinator = list_accounts(store)[0].id
    with store.transaction() as conn:
        peer_account = insert_account(conn, "Dr Pat Peer", "peer-supporter", hash_pin(PIN))
        volunteer = insert_account(conn, "Robin Volunteer", "volunteer", hash_pin(PIN))
    for account, name in ((peer_account, MINE), (None, THEIRS)):
        supporter = peer(account_id=account)
        matching.save_peer(store, supporter, coordinator)
        asked = request(requester_name=name)
        matching.add_request(store, asked, coordinator)
        match_id = str(uuid.uuid4())
        matching.propose(store, match_id, asked.id, supporter.id, coordinator, when=WHEN)
        matching.accept(store, match_id, "BC", coordinator, WHEN)
    store.close()
    return peer_account, volunteer


def _sign_in_as(qtbot: QtBot, app: IntakeApplication, account_id: str) -> MainWindow:
    app.gate.unlock.passphrase.setText(PASSPHRASE)
    app.gate.unlock.unlock_button.click()
    wait_idle(qtbot)
    signin = app.gate.signin
    signin.account.setCurrentIndex(signin.account.findData(account_id))
    signin.pin.setText(PIN)
    signin.signin_button.click()
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: app.main_window is not None, timeout=10_000)
    assert app.main_window is not None
    return app.main_window


def test_the_peer_sees_their_own_match_and_records_its_steps(
    qtbot: QtBot, make_app: AppFactory, store_path: Path, lang: Language
) -> None:
    peer_account, _volunteer = _prepare(store_path)
    app = make_app(lang)
    window = _sign_in_as(qtbot, app, peer_account)
    assert window.own_matches_button.isVisibleTo(window)
    assert not window.matching_button.isVisibleTo(window)  # nothing else of the line
    assert not window.reports_button.isVisibleTo(window)
    window.own_matches_action.trigger()
    page = window.pages.currentWidget()
    assert isinstance(page, OwnMatchesPage)
    assert page.matches.count() == 1
    assert MINE in page.matches.item(0).text()
    assert MINE in page.detail.text()
    assert "+16045550123" in page.detail.text()
    assert THEIRS not in page.detail.text()
    store = store_of(app)
    assert store.query(
        "SELECT count(*) FROM audit WHERE actor = ? AND detail LIKE '%own-match'", (peer_account,)
    ) == [(1,)]
    assert page.contact_button.isEnabled()
    page.contact_button.click()
    assert store.query("SELECT count(*) FROM matches WHERE first_contact_at IS NOT NULL") == [(1,)]
    assert not page.contact_button.isEnabled()
    page.outcome.setCurrentIndex(page.outcome.findData("referred-on"))
    page.close_button.click()
    assert store.query("SELECT outcome FROM match_requests WHERE status = 'closed'") == [
        ("referred-on",)
    ]
    assert not page.close_button.isEnabled()
    assert page.banner.isHidden()


def test_a_volunteer_has_no_such_page_and_is_refused_if_it_is_opened(
    qtbot: QtBot, make_app: AppFactory, store_path: Path, lang: Language
) -> None:
    _peer_account, volunteer = _prepare(store_path)
    app = make_app(lang)
    window = _sign_in_as(qtbot, app, volunteer)
    assert not window.own_matches_button.isVisibleTo(window)
    # Opened anyway (a stale shortcut): the store refuses, said in the person's language.
    window.own_matches_action.trigger()
    page = window.pages.currentWidget()
    assert isinstance(page, OwnMatchesPage)
    assert page.matches.count() == 0
    assert page.banner.isVisibleTo(window)
    title = page.banner.title.text()
    assert (title == "This page is for peer supporters") == (lang == "en")
    assert MINE not in page.detail.text()
    assert THEIRS not in page.detail.text()
