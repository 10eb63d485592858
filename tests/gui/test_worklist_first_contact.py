"""A match's first contact is a worklist item (issue 17): made when the peer accepts, due three
business days later (the province's holidays skipped), overdue after that, closed when the first
contact is recorded. Seen by coordinators (every one, on the worklist) and by the matched peer
(their own, on "My matches"); refused to a volunteer, whose worklist shows none. Through the real
windows, in English and French."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from intake.accounts import Account, Role
from intake.i18n import Language, _, ngettext, set_language
from intake.pins import hash_pin
from intake.services import matching, worklist
from intake.storage.account_store import insert_account, list_accounts
from intake.storage.db import Store
from intake.ui.own_matches import OwnMatchesPage
from intake.ui.worklist import WorklistPage
from tests.conftest import PIN, make_store
from tests.gui.conftest import wait_idle
from tests.gui.texts import foreign_texts
from tests.matching.helpers import peer, request

LONG_AGO = datetime(2026, 4, 6, 15, 0, tzinfo=UTC)  # a Monday: due Thursday 9 April


def _account(store: Store, name: str, role: str) -> str:
    with store.transaction() as conn:
        return insert_account(conn, name, role, hash_pin(PIN))


def _accepted(store: Store, coordinator: str, peer_account: str | None, when: datetime) -> str:
    supporter = peer(account_id=peer_account, name=f"Dr Peer {uuid.uuid4().hex[:4]}")
    matching.save_peer(store, supporter, coordinator)
    asked = request(requester_name="Dr Casey Requester")
    matching.add_request(store, asked, coordinator)
    match_id = str(uuid.uuid4())
    matching.propose(store, match_id, asked.id, supporter.id, coordinator, when=when)
    matching.accept(store, match_id, "BC", coordinator, when)
    return match_id


@pytest.fixture
def world(store_path: Path) -> tuple[Store, str, str, str, str, str]:
    """A coordinator (the first supervisor), a peer with one overdue and one fresh first contact
    owed, another peer with one, and a volunteer."""
    store = make_store(store_path)
    boss = list_accounts(store)[0].id
    mine = _account(store, "Dr Mine Peer", "peer-supporter")
    other = _account(store, "Dr Other Peer", "peer-supporter")
    volunteer = _account(store, "Volunteer Vi", "volunteer")
    late = _accepted(store, boss, mine, LONG_AGO)
    _accepted(store, boss, mine, datetime.now(UTC))
    _accepted(store, boss, other, datetime.now(UTC))
    return store, boss, mine, other, volunteer, late


def test_first_contacts_are_items_for_coordinators_and_the_matched_peer_only(
    world: tuple[Store, str, str, str, str, str],
) -> None:
    store, boss, mine, other, volunteer, late = world
    today = datetime.now(UTC).date()
    everyone = worklist.first_contacts(store, boss, today)
    assert len(everyone) == 3
    assert {w.kind for w in everyone} == {"first-contact"}
    assert everyone[0].item.match_id == late  # soonest due first
    assert everyone[0].item.due == "2026-04-09"  # three business days after Monday 6 April
    assert [w.overdue for w in everyone] == [True, False, False]
    assert len(worklist.first_contacts(store, mine, today)) == 2
    assert len(worklist.first_contacts(store, other, today)) == 1
    with pytest.raises(matching.CoordinatorOnly):  # refused from the refusing side
        worklist.first_contacts(store, volunteer, today)
    matching.record_first_contact(store, late, mine, datetime.now(UTC))
    assert late not in {w.item.match_id for w in worklist.first_contacts(store, boss, today)}
    store.close()


def test_the_due_date_skips_the_provinces_holidays(store_path: Path) -> None:
    store = make_store(store_path)
    boss = list_accounts(store)[0].id
    # Tuesday 30 June; 1 July is Canada Day: Thursday 2, Friday 3, Monday 6 July.
    match_id = _accepted(store, boss, None, datetime(2026, 6, 30, 14, tzinfo=UTC))
    (work,) = worklist.first_contacts(store, boss, date(2026, 7, 6))
    assert work.item.match_id == match_id
    assert work.item.due == "2026-07-06"
    assert not work.overdue
    assert worklist.first_contacts(store, boss, date(2026, 7, 7))[0].overdue
    store.close()


def test_a_coordinator_sees_and_closes_first_contacts_on_the_worklist(
    qtbot: QtBot, world: tuple[Store, str, str, str, str, str], lang: Language
) -> None:
    set_language(lang)
    store, boss, _mine, _other, _volunteer, late = world
    try:
        holder = QWidget()
        qtbot.addWidget(holder)
        page = WorklistPage(store, Account(boss, "Dr Sam Okafor", Role.SUPERVISOR), holder)
        holder.resize(1280, 720)
        holder.show()
        qtbot.waitUntil(lambda: page.first_table.rowCount() == 3, timeout=10_000)
        assert page.first_table.isVisible()
        assert page.first_title.isVisible()
        cell = page.first_table.item(0, 2)
        assert cell is not None
        overdue = cell.text()
        assert overdue.startswith(_("Overdue since {day}").split("{")[0])
        assert "1" in page.first_title.text()  # one overdue, said in the title
        assert not page.first_button.isEnabled()  # nothing chosen yet
        page.first_table.selectRow(0)
        assert page.first_button.isEnabled()
        page.first_button.click()
        qtbot.waitUntil(lambda: page.first_table.rowCount() == 2, timeout=10_000)
        done = _("First contact recorded; the item is closed.")
        qtbot.waitUntil(lambda: done in page.status.text(), timeout=10_000)
        assert foreign_texts(page.window(), lang) == []
        wait_idle(qtbot)
        reached = store.query("SELECT first_contact_at FROM matches WHERE id = ?", (late,))
        assert reached[0][0] is not None
    finally:
        store.close()


def test_a_volunteers_worklist_shows_no_first_contact(
    qtbot: QtBot, world: tuple[Store, str, str, str, str, str], lang: Language
) -> None:
    set_language(lang)
    store, _boss, _mine, _other, volunteer, _late = world
    try:
        holder = QWidget()
        qtbot.addWidget(holder)
        page = WorklistPage(store, Account(volunteer, "Volunteer Vi", Role.VOLUNTEER), holder)
        holder.resize(1280, 720)
        holder.show()
        qtbot.waitUntil(lambda: page.status.text() != "", timeout=10_000)
        wait_idle(qtbot)
        assert not page.first_table.isVisible()
        assert not page.first_title.isVisible()
        assert page.first_table.rowCount() == 0
        assert page.firsts == []
    finally:
        store.close()


def test_the_matched_peer_sees_the_first_contacts_they_owe_on_my_matches(
    qtbot: QtBot, world: tuple[Store, str, str, str, str, str], lang: Language
) -> None:
    set_language(lang)
    store, _boss, mine, _other, _volunteer, late = world
    try:
        page = OwnMatchesPage(store, Account(mine, "Dr Mine Peer", Role.PEER_SUPPORTER))
        qtbot.addWidget(page)
        page.resize(1280, 720)
        page.show()
        text = "First contacts you owe: {count}, {late} of them overdue. Reach them first."
        expected = ngettext(text, text, 2).format(count=2, late=1)
        assert page.owed.text() == expected
        assert page.owed.property("risk") == "high"
        row = next(i for i, own in enumerate(page._rows) if own.match_id == late)
        page.matches.setCurrentRow(row)
        page.contact_button.click()
        text = "First contacts you owe: {count}, due within three business days of accepting."
        assert page.owed.text() == ngettext(text, text, 1).format(count=1)
        assert foreign_texts(page, lang) == []
        later = datetime.now(UTC) + timedelta(days=1)
        for own in list(page._rows):
            if own.first_contact_at is None:
                matching.record_first_contact(store, own.match_id, mine, later)
        page.refresh()
        assert page.owed.text() == _("You owe no first contact at the moment.")
    finally:
        store.close()
