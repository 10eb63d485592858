"""A caller on a shared line referred to a trained peer supporter (issue 18), through two real
windows in both languages: at station A a volunteer takes a whole call on the line's server,
and with the caller's yes fills in the wrap-up's peer-request box (shown on the server as on a
single station); at station B the coordinator, signed in with their own account, finds the
request in matching, with the caller's name and number opened on that station.

Everything real: the throwaway PostgreSQL server of tests/pg_server.py, two applications with
their own outboxes."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot

from intake.i18n import Language, _
from intake.pins import hash_pin
from intake.services.calls import derived_id
from intake.storage.pg.store import open_shared_store
from intake.ui.matching import MatchingPage
from tests.conftest import PASSPHRASE, PIN
from tests.gui.conftest import wait_idle
from tests.gui.test_call import fill_whole_call, steps
from tests.gui.test_shared_matching import Station, station
from tests.gui.texts import foreign_texts
from tests.storage.conftest import make_shared_store, pg_dsn, pg_server

__all__ = ["pg_dsn", "pg_server", "station"]  # fixtures used here

SITE = "Health Sciences North, Sudbury"
CALLER = "Dr Aurèle Thibodeau-Nakamura"


def test_a_volunteer_passes_a_peer_request_to_the_coordinator_at_another_station(
    qtbot: QtBot, station: Station, pg_dsn: str, lang: Language
) -> None:
    make_shared_store(pg_dsn).close()
    office = open_shared_store(pg_dsn, PASSPHRASE)
    try:
        volunteer = office.add_account("Val Volunteer", "volunteer", hash_pin(PIN))
        coordinator = office.add_account("Coco Ouellet", "coordinator", hash_pin(PIN))
    finally:
        office.close()

    # Station A: the volunteer takes the call; the caller agrees to a peer request.
    a = station(pg_dsn, lang, volunteer)
    a.new_call()
    page = a.call_page
    assert page is not None
    fill_whole_call(qtbot, page)
    page.call.caller_name = CALLER
    wrapup = steps(page)[5]
    box = wrapup.peer
    assert box.isVisibleTo(a)  # offered on the server as on a single station
    assert not box.consent.isChecked()  # default no
    box.consent.click()
    box.site.setFocus()
    qtbot.keyClicks(box.site, SITE)
    box.format.setCurrentIndex(box.format.findData("phone"))
    assert foreign_texts(a, lang) == []
    if folder := os.environ.get("INTAKE_SHOTS"):
        a.resize(1280, 720)
        wait_idle(qtbot)
        scroller = box.parentWidget()
        while scroller is not None and not isinstance(scroller, QScrollArea):
            scroller = scroller.parentWidget()
        if scroller is not None:
            scroller.ensureWidgetVisible(box.reach)
        wait_idle(qtbot)
        a.grab().save(str(Path(folder) / f"wrapup-peer-server-{lang}.png"))
    contact_id = page.call.contact_id
    wrapup.save_button.click()
    qtbot.waitUntil(lambda: a.call_page is None, timeout=20_000)
    wait_idle(qtbot)

    # On the server: the call and its request, the site and the name sealed.
    request_id = derived_id(contact_id, "match-request")
    with psycopg.connect(pg_dsn) as conn:
        rows = conn.execute(
            "SELECT id, source, contact_id, created_by FROM match_requests"
        ).fetchall()
        assert rows == [(request_id, "phone", contact_id, volunteer)]
        sealed = conn.execute("SELECT site, requester_name FROM match_requests").fetchall()
        for value in (bytes(v) for row in sealed for v in row):
            assert b"Sudbury" not in value
            assert b"Thibodeau" not in value

    # Station B: the coordinator lists it in matching and opens it.
    b = station(pg_dsn, lang, coordinator)
    b.matching_action.trigger()
    shown = b.pages.currentWidget()
    matching_page = shown.widget() if isinstance(shown, QScrollArea) else shown
    assert isinstance(matching_page, MatchingPage)
    qtbot.waitUntil(lambda: matching_page.requests.count() == 1, timeout=20_000)
    item = matching_page.requests.item(0)
    assert item.data(0x0100) == request_id
    assert SITE in item.text()
    matching_page.requests.setCurrentItem(item)
    qtbot.waitUntil(lambda: CALLER in matching_page.detail.text(), timeout=20_000)
    assert matching_page.banner.isHidden()
    assert _("first contact overdue") not in item.text()
    assert foreign_texts(b, lang) == []
