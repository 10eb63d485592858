"""Matching on the line's shared server (issue 18), through two real windows in both languages:
at station A the coordinator enters a request, sees the ranked peer, proposes them and records
their acceptance; at station B the peer supporter signs in with their own account, finds the
match in "My matches" with the requester's name and number (opened on that station), records
the first contact; station A's worklist no longer owes it.

Everything real: the throwaway PostgreSQL server of tests/pg_server.py, two applications with
their own outboxes, a third store object to check what reached the server."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot

from intake.i18n import Language, _
from intake.pins import hash_pin
from intake.services import matching
from intake.settings import SettingsFile
from intake.storage.pg.store import open_shared_store
from intake.ui import ops
from intake.ui.app import IntakeApplication, create_qapplication
from intake.ui.main_window import MainWindow
from intake.ui.matching import MatchingPage
from intake.ui.own_matches import OwnMatchesPage
from intake.ui.reports import ReportsPage
from tests.conftest import PASSPHRASE, PIN
from tests.gui.conftest import wait_idle
from tests.gui.texts import foreign_texts
from tests.matching.helpers import peer
from tests.storage.conftest import make_shared_store, pg_dsn, pg_server

__all__ = ["pg_dsn", "pg_server"]  # fixtures used here

REQUESTER = "Dr Ottoline Brackwater"
REACH = "+16045550188"

Station = Callable[[str, Language, str], MainWindow]


@pytest.fixture
def station(qtbot: QtBot, settings_file: SettingsFile, tmp_path: Path) -> Iterator[Station]:
    """A station on the server, signed in as `account` (each with its own outbox)."""
    created: list[IntakeApplication] = []

    def factory(dsn: str, language: Language, account: str) -> MainWindow:
        create_qapplication([])
        settings_file.save(settings_file.load().with_language(language))
        here = tmp_path / f"station-{len(created)}"
        here.mkdir()
        app = IntakeApplication(
            here / "never.db", settings_file, server=dsn, outbox=here / "outbox"
        )
        qtbot.addWidget(app.gate)
        app.start()
        created.append(app)
        app.gate.unlock.passphrase.setText(PASSPHRASE)
        app.gate.unlock.unlock_button.click()
        wait_idle(qtbot)
        signin = app.gate.signin
        qtbot.waitUntil(lambda: signin.account.findData(account) >= 0, timeout=20_000)
        signin.account.setCurrentIndex(signin.account.findData(account))
        signin.pin.setText(PIN)
        signin.signin_button.click()
        wait_idle(qtbot)
        qtbot.waitUntil(lambda: app.main_window is not None, timeout=20_000)
        assert app.main_window is not None
        return app.main_window

    yield factory
    for app in created:
        qtbot.waitUntil(lambda: not ops.running(), timeout=20_000)
        if app.main_window is not None:
            app.main_window.server_poll.stop()
            app.main_window.close()
            app.main_window.deleteLater()
        app.shutdown()


def _line(dsn: str) -> tuple[str, str, str]:
    """The line: a coordinator, a peer supporter's account and their roster entry (entered by
    the coordinator at another station). (coordinator, peer's account, roster id)"""
    make_shared_store(dsn).close()
    office = open_shared_store(dsn, PASSPHRASE)
    try:
        coordinator = office.add_account("Coco Ouellet", "coordinator", hash_pin(PIN))
        account = office.add_account("Dr Pat Peer", "peer-supporter", hash_pin(PIN))
        supporter = peer(
            name="Dr Pat Peer",
            account_id=account,
            site="Kelowna General",
            organization="Interior",
            languages=("en", "fr"),
            topics=("grief",),
        )
        matching.save_peer(office, supporter, coordinator)
    finally:
        office.close()
    return coordinator, account, supporter.id


def test_a_coordinator_matches_at_one_station_and_the_peer_sees_it_at_another(
    qtbot: QtBot, station: Station, pg_dsn: str, lang: Language
) -> None:
    coordinator, account, roster_id = _line(pg_dsn)

    # Station A: the coordinator.
    a = station(pg_dsn, lang, coordinator)
    assert a.matching_action.isEnabled()  # matching is on the server now
    assert a.matching_action.toolTip() != _("Not available on the shared server yet")
    a.matching_action.trigger()
    shown = a.pages.currentWidget()
    page = shown.widget() if isinstance(shown, QScrollArea) else shown
    assert isinstance(page, MatchingPage)
    qtbot.keyClicks(page.name, REQUESTER)
    qtbot.keyClicks(page.reach, REACH)
    page.province.setCurrentIndex(page.province.findData("BC"))
    qtbot.keyClicks(page.site, "Surrey Memorial")
    page.topic.setCurrentIndex(page.topic.findData("grief"))
    page.outside.setChecked(True)
    page.add_button.click()
    qtbot.waitUntil(lambda: REQUESTER in page.detail.text(), timeout=20_000)
    qtbot.waitUntil(lambda: page.candidates.count() == 1, timeout=20_000)
    assert page.candidates.item(0).data(0x0100) == roster_id
    assert "Dr Pat Peer" in page.candidates.item(0).text()
    page.propose_button.click()
    qtbot.waitUntil(page.accept_button.isEnabled, timeout=20_000)
    page.accept_button.click()  # the peer said yes (the coordinator records it)
    qtbot.waitUntil(page.contact_button.isEnabled, timeout=20_000)
    assert page.banner.isHidden()
    assert foreign_texts(a, lang) == []

    # On the server: the name and number sealed, the match accepted, every step audited.
    with psycopg.connect(pg_dsn) as conn:
        rows = conn.execute("SELECT * FROM match_requests").fetchall()
        assert REQUESTER.encode() not in repr(rows).encode()
        assert REACH not in repr(rows)
        [(status,)] = conn.execute("SELECT status FROM match_requests").fetchall()
        assert status == "matched"

    # Station B: the peer supporter, signed in with their own account.
    b = station(pg_dsn, lang, account)
    assert b.own_matches_action.isEnabled()
    assert b.own_matches_button.isVisibleTo(b)
    assert not b.matching_button.isVisibleTo(b)  # nothing else of the line
    b.own_matches_action.trigger()
    own = b.pages.currentWidget()
    assert isinstance(own, OwnMatchesPage)
    qtbot.waitUntil(lambda: own.matches.count() == 1, timeout=20_000)
    qtbot.waitUntil(lambda: REQUESTER in own.detail.text(), timeout=20_000)
    assert REACH in own.detail.text()
    assert foreign_texts(b, lang) == []
    assert own.contact_button.isEnabled()
    own.contact_button.click()
    qtbot.waitUntil(lambda: not own.contact_button.isEnabled(), timeout=20_000)
    assert own.banner.isHidden()

    reader = open_shared_store(pg_dsn, PASSPHRASE)
    try:
        [match] = [
            m
            for r in matching.request_list(reader, coordinator)
            for m in [matching.live_match(reader, r.id)]
            if m is not None
        ]
        assert match.answer == "accepted"
        assert match.first_contact_at is not None
        trail = reader.audit_trail()
        assert any(
            action == "open" and actor == account and detail.endswith("own-match")
            for action, actor, _record, detail in trail
        )
        assert reader.verify_audit() == []
    finally:
        reader.close()

    # Station A's worklist: the first contact is no longer owed.
    a.show_worklist()
    work = a.worklist_page
    assert work is not None
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: not work.firsts, timeout=20_000)
    assert work.status.text() != _("The worklist could not be read. Try again.")


def test_a_first_contact_owed_shows_on_the_coordinators_worklist_on_the_server(
    qtbot: QtBot, station: Station, pg_dsn: str, lang: Language
) -> None:
    coordinator, _account, roster_id = _line(pg_dsn)
    office = open_shared_store(pg_dsn, PASSPHRASE)
    try:
        asked = matching.RequestRecord(
            id=str(uuid.uuid4()),
            source="coordinator",
            province="BC",
            site="Nanaimo",
            language="fr",
            consent=True,
            requester_name=REQUESTER,
        )
        matching.add_request(office, asked, coordinator)
        match_id = str(uuid.uuid4())
        matching.propose(office, match_id, asked.id, roster_id, coordinator, when=datetime.now(UTC))
        matching.accept(office, match_id, "BC", coordinator, datetime.now(UTC))
    finally:
        office.close()
    a = station(pg_dsn, lang, coordinator)
    a.show_worklist()
    work = a.worklist_page
    assert work is not None
    qtbot.waitUntil(lambda: work.first_table.rowCount() == 1, timeout=20_000)
    assert work.first_title.isVisible()
    texts = [work.first_table.item(0, c).text() for c in range(work.first_table.columnCount())]
    assert any("Dr Pat Peer" in t for t in texts)
    assert REQUESTER not in " ".join(texts)  # no identity on the list
    assert foreign_texts(a, lang) == []


def test_the_coordinator_makes_and_exports_a_report_from_the_server(
    qtbot: QtBot, station: Station, pg_dsn: str, lang: Language, tmp_path: Path
) -> None:
    coordinator, _account, _roster = _line(pg_dsn)
    office = open_shared_store(pg_dsn, PASSPHRASE)
    try:
        asked = matching.RequestRecord(
            id=str(uuid.uuid4()),
            source="coordinator",
            province="BC",
            site="Nanaimo",
            language="fr",
            consent=True,
            requester_name=REQUESTER,
            created_at="2026-03-02T10:00:00+00:00",
        )
        matching.add_request(office, asked, coordinator)
    finally:
        office.close()
    a = station(pg_dsn, lang, coordinator)
    assert a.reports_action.isEnabled()
    a.reports_action.trigger()
    shown = a.pages.currentWidget()
    reports = shown.widget() if isinstance(shown, QScrollArea) else shown
    assert isinstance(reports, ReportsPage)
    reports.start.setDate(reports.start.date().fromString("2026-01", "yyyy-MM"))
    reports.end.setDate(reports.end.date().fromString("2026-12", "yyyy-MM"))
    reports.show_button.click()
    qtbot.waitUntil(lambda: reports.tables.count() == 17, timeout=20_000)
    assert reports.banner.isHidden()
    csv_path = tmp_path / "report.csv"
    reports.export("csv", csv_path)
    text = csv_path.read_text(encoding="utf-8")
    assert REQUESTER not in text
    assert "Nanaimo" not in text  # one request: its site is suppressed with its count
    assert foreign_texts(a, lang) == []
    reader = open_shared_store(pg_dsn, PASSPHRASE)
    try:
        exports = [
            detail
            for action, actor, _record, detail in reader.audit_trail()
            if action == "export" and actor == coordinator
        ]
        assert exports == ["report csv 2026-01-01..2026-12-31"]
    finally:
        reader.close()
