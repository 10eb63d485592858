"""The kiosk of a line that keeps its records on the shared PostgreSQL server (issue 18): it
signs in to the server like any station; a visit's coded record and, with consent, its callback
request land on the server, so another station's worklist lists the request; the anonymous
rating is counted there; with the server stopped the visit is kept, sealed, in the station's
outbox, the visitor is told in their language that their request is kept on the kiosk and will
reach the team when the connection is back, the crisis screen still shows its numbers at once,
and the visit is delivered once when the server answers again.

Everything real: the throwaway PostgreSQL server of tests/pg_server.py, the real kiosk window,
and a second store object (another station) to read back what the kiosk saved."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from intake.i18n import Language, _, ngettext
from intake.services import matching, worklist
from intake.settings import SettingsFile
from intake.storage import report_data
from intake.storage.feedback import feedback_summary
from intake.storage.pg.store import PgStore, open_shared_store
from intake.ui import ops
from intake.ui.app import IntakeApplication, create_qapplication
from intake.ui.kiosk.parts import HELP_NOW
from intake.ui.kiosk.session import KioskSession
from intake.ui.kiosk.window import KioskWindow
from intake.ui.shells import KioskShell
from tests.conftest import PASSPHRASE
from tests.gui.conftest import sign_in, wait_idle
from tests.gui.kiosk_helpers import PHYSICIAN_ANSWERS, PORTRAIT, begin
from tests.gui.texts import foreign_texts
from tests.pg_server import throwaway_server
from tests.storage.conftest import make_shared_store, pg_dsn, pg_server

__all__ = ["pg_dsn", "pg_server"]  # fixtures used here

VALID_NUMBER = "613 555 0142"  # a valid Ottawa number
E164 = "+16135550142"

KioskFactory = Callable[[str, Language], tuple[IntakeApplication, KioskWindow]]


@pytest.fixture
def shared_kiosk(
    qtbot: QtBot, settings_file: SettingsFile, tmp_path: Path
) -> Iterator[KioskFactory]:
    """Starts kiosk mode on a server address through the real unlock and sign-in pages."""
    created: list[IntakeApplication] = []

    def factory(dsn: str, language: Language) -> tuple[IntakeApplication, KioskWindow]:
        create_qapplication([])
        settings_file.save(
            replace(settings_file.load().with_language(language), kiosk_language=language)
        )
        app = IntakeApplication(
            tmp_path / "never.db",
            settings_file,
            kiosk=True,
            server=dsn,
            outbox=tmp_path / "outbox",
        )
        qtbot.addWidget(app.gate)
        app.start()
        created.append(app)
        sign_in(qtbot, app)
        qtbot.waitUntil(lambda: app.kiosk_window is not None, timeout=20_000)
        window = app.kiosk_window
        assert window is not None
        window.setFixedSize(*PORTRAIT)
        return app, window

    yield factory
    for app in created:
        qtbot.waitUntil(lambda: not ops.running(), timeout=20_000)
        app.shutdown()


def to_callback(window: KioskWindow, language: Language) -> None:
    session = begin(window, language)
    for step, value in PHYSICIAN_ANSWERS:
        session.questions[step].choices[value].click()
    assert session.current is session.results
    session.results.callback_button.click()
    assert showing(session, session.callback)
    session.callback.number.setText(VALID_NUMBER)
    session.callback.time_buttons["evening"].click()
    session.callback.consent.click()


def showing(session: KioskSession, screen: QWidget) -> bool:
    return session.current is screen


def another_station(dsn: str) -> PgStore:
    return open_shared_store(dsn, PASSPHRASE)


def crisis_numbers_shown(window: KioskWindow) -> str:
    crisis = window.session.crisis
    return " ".join(label.text() for label in crisis.findChildren(QLabel) if label.isVisible())


def test_a_kiosk_visit_with_a_callback_reaches_another_stations_worklist(
    qtbot: QtBot, shared_kiosk: KioskFactory, pg_dsn: str, lang: Language
) -> None:
    make_shared_store(pg_dsn).close()
    app, window = shared_kiosk(pg_dsn, lang)
    assert app.session is not None
    assert app.session.shared
    assert foreign_texts(window, lang) == []
    to_callback(window, lang)
    session = window.session
    contact_id = session.contact_id
    session.callback.submit_button.click()
    qtbot.waitUntil(lambda: session.current is session.feedback, timeout=20_000)
    assert session.feedback.confirmation.isVisible()
    assert foreign_texts(window, lang) == []

    station = another_station(pg_dsn)  # a phone station: its own connection and store object
    try:
        record, notes = station.get_contact(contact_id, None)
        assert (record.channel, record.province, record.role, record.need) == (
            "kiosk",
            "QC",
            "physician",
            "peer",
        )
        assert (record.callback_number, record.outcome, notes) == (
            E164,
            "callback-requested",
            [],
        )
        items = [i for i in worklist.open_items(station) if i.contact_id == contact_id]
        assert [(i.kind, i.channel, i.best_time, i.has_number) for i in items] == [
            ("callback", "kiosk", "evening", True)
        ]
    finally:
        station.close()

    session.feedback.rating_buttons[4].click()
    session.feedback.found_buttons[True].click()
    session.feedback.finish_button.click()
    qtbot.waitUntil(lambda: window.session is not session, timeout=20_000)
    wait_idle(qtbot)
    station = another_station(pg_dsn)
    try:
        summary = feedback_summary(station, "kiosk")
        assert (summary.answers, summary.average_rating, summary.found_yes) == (1, 4, 1)
        # Saved once, in one transaction each time: one visit, one callback, a valid chain.
        assert station.counts()["contacts"] == 1
        assert station.counts()["callbacks"] == 1
        assert station.verify_audit() == []
    finally:
        station.close()


def kept_here_message() -> str:
    """What the visitor is told when their request is kept on the kiosk (their language)."""
    return _(
        "Your callback request is kept on this kiosk. The kiosk cannot reach the peer support "
        "team right now: your request will be sent to them as soon as the connection is back, "
        "so their call may come later than usual. If you need to talk to someone soon, please "
        "speak to the staff at the desk. If you need help right now, tap “{button}” at the top "
        "of the screen."
    ).format(button=_(HELP_NOW))


def kiosk_visits_reported(dsn: str) -> int:
    """The kiosk visits the line's report counts this month (read at another station)."""
    today = date.today()
    first = today.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    station = another_station(dsn)
    try:
        data = report_data.read(station, report_data.Period(first, last), "9999-12-31")
        return sum(row[-1] for row in data.contacts if row[1] == "kiosk")
    finally:
        station.close()


def test_a_visit_while_the_server_is_down_is_kept_and_delivered_once_when_it_is_back(
    qtbot: QtBot, shared_kiosk: KioskFactory, tmp_path: Path, lang: Language
) -> None:
    """Server down, nothing lost: the whole visit happens while the server is stopped; the
    visitor who confirms a callback is told it is kept on this kiosk and where to turn sooner;
    the crisis screen still shows its numbers at once. Nothing reaches the server and nothing
    is in clear on disk; with the server back the kiosk's delivery sends the visit, its
    callback and its rating once (and again after a crash before the files' removal: no
    duplicate), and another station's worklist and the line's report have them."""
    with throwaway_server() as server:
        dsn = server.create_database()
        make_shared_store(dsn).close()
        app, window = shared_kiosk(dsn, lang)
        window.setFixedSize(1280, 720)
        wait_idle(qtbot)
        shell = app.shell
        assert isinstance(shell, KioskShell)
        assert shell.delivery is not None
        assert shell.delivery.isActive()
        assert shell.delivery.interval() == 10_000

        server.stop("immediate")
        to_callback(window, lang)  # its results-screen save falls too
        session = window.session
        callback = session.callback
        contact_id = session.contact_id
        # The crisis screen never waits for the server: shown at once, its numbers with it.
        window.help_button.click()
        assert session.current is session.crisis
        assert "988" in crisis_numbers_shown(window)
        assert foreign_texts(window, lang) == []
        session.crisis.continue_button.click()
        assert showing(session, callback)

        callback.submit_button.click()
        qtbot.waitUntil(lambda: session.current is session.feedback, timeout=30_000)
        confirmation = session.feedback.confirmation
        assert confirmation.isVisible()
        assert confirmation.text() == kept_here_message()
        assert foreign_texts(window, lang) == []
        assert [label.text() for label in _tracebacks(window) if label.isVisible()] == []
        session.feedback.rating_buttons[4].click()
        session.feedback.found_buttons[True].click()
        session.feedback.finish_button.click()
        qtbot.waitUntil(lambda: window.session is not session, timeout=20_000)
        wait_idle(qtbot)

        outbox = tmp_path / "outbox"
        kept = {p: p.read_bytes() for p in sorted(outbox.rglob("*")) if p.is_file()}
        assert sorted(p.name for p in kept) == sorted(
            [f"{contact_id}.visit", *(p.name for p in kept if p.suffix == ".rating")]
        )
        assert len(kept) == 2  # one file for the visit (its latest save), one for the rating
        for data in kept.values():
            for text in (E164, "6135550142", VALID_NUMBER, "evening", "callback-requested"):
                assert text.encode() not in data
                assert text.encode("utf-16-le") not in data

        server.start()
        assert kiosk_visits_reported(dsn) == 0  # nothing reached the server while it was down
        shell.deliver_kept()  # what the kiosk's 10-second timer runs
        wait_idle(qtbot)
        assert [p for p in outbox.rglob("*") if p.is_file()] == []

        station = another_station(dsn)
        try:
            record, notes = station.get_contact(contact_id, None)
            assert (record.channel, record.outcome, record.callback_number, notes) == (
                "kiosk",
                "callback-requested",
                E164,
                [],
            )
            items = [i for i in worklist.open_items(station) if i.contact_id == contact_id]
            assert [(i.kind, i.channel, i.best_time) for i in items] == [
                ("callback", "kiosk", "evening")
            ]
            counts = station.counts()
            assert (counts["contacts"], counts["callbacks"]) == (1, 1)
            assert feedback_summary(station, "kiosk").answers == 1
            audited = len(station.audit_trail())
        finally:
            station.close()
        assert kiosk_visits_reported(dsn) == 1

        # A crash between the save on the server and the files' removal: delivered again.
        for path, data in kept.items():
            path.write_bytes(data)
        shell.deliver_kept()
        wait_idle(qtbot)
        assert [p for p in outbox.rglob("*") if p.is_file()] == []
        station = another_station(dsn)
        try:
            assert station.counts() == counts
            assert len(station.audit_trail()) == audited
            assert feedback_summary(station, "kiosk").answers == 1
            assert station.verify_audit() == []
        finally:
            station.close()
        assert kiosk_visits_reported(dsn) == 1


def peer_kept_here_message() -> str:
    """What the visitor is told when their request for a peer supporter is kept on the kiosk."""
    return _(
        "Your request for a peer supporter is kept on this kiosk. The kiosk cannot reach the "
        "peer support team right now: your request will be sent to the coordinator as soon as "
        "the connection is back, so their answer may come later than usual. If you need to "
        "talk to someone soon, please speak to the staff at the desk. If you need help right "
        "now, tap “{button}” at the top of the screen."
    ).format(button=_(HELP_NOW))


def waiting_text(visits: int, requests: int) -> str:
    """What the staff panel says waits on the kiosk (the current language's plural forms)."""
    what = ngettext("{count} kiosk visit", "{count} kiosk visits", visits).format(count=visits)
    if requests:
        asked = ngettext(
            "{count} request for a peer supporter",
            "{count} requests for a peer supporter",
            requests,
        ).format(count=requests)
        what = _("{items}, with {requests}").format(items=what, requests=asked)
    return _("Kept on this kiosk for the shared server, encrypted: {what}.").format(what=what)


SITE = "Hôpital Montfort"
REACH = "seraphine.lachance@example.ca"


def test_a_peer_request_while_the_server_is_down_is_kept_and_reaches_the_coordinator_once(
    qtbot: QtBot, shared_kiosk: KioskFactory, tmp_path: Path, lang: Language
) -> None:
    """A visitor who asks for a trained peer supporter while the server is down is not sent
    away: the request is kept, sealed, with the visit, the visitor is told the truth in their
    language (kept here, sent when the connection is back, the desk and "Need help now?"
    meanwhile), the staff panel counts it among what waits, the crisis screen still answers
    at once, and the kiosk's delivery brings the coordinator exactly one request, with what
    the visitor asked for, also after a redelivery."""
    with throwaway_server() as server:
        dsn = server.create_database()
        make_shared_store(dsn).close()
        app, window = shared_kiosk(dsn, lang)
        window.setFixedSize(1280, 720)
        wait_idle(qtbot)
        shell = app.shell
        assert isinstance(shell, KioskShell)

        server.stop("immediate")
        session = begin(window, lang)
        for step, value in PHYSICIAN_ANSWERS:
            session.questions[step].choices[value].click()
        assert session.current is session.results
        contact_id = session.contact_id
        session.results.peer_button.click()
        screen = session.peer
        assert session.current is screen
        screen.topic_buttons["grief"].click()
        screen.site.setText(SITE)  # typed keys cannot carry its accent offscreen
        screen.reach.setFocus()
        qtbot.keyClicks(screen.reach, REACH)
        screen.consent.click()
        screen.submit_button.click()
        qtbot.waitUntil(lambda: session.current is session.feedback, timeout=30_000)
        confirmation = session.feedback.confirmation
        assert confirmation.isVisible()
        assert confirmation.text() == peer_kept_here_message()
        assert not screen.error.isVisibleTo(window)  # not "could not be saved"
        assert foreign_texts(window, lang) == []
        # The crisis screen never waits for the server, before or after the request.
        window.help_button.click()
        assert session.current is session.crisis
        assert "988" in crisis_numbers_shown(window)
        session.crisis.continue_button.click()
        assert session.current is session.feedback
        wait_idle(qtbot)  # the crisis screen's save of the visit: the request stays with it

        # The staff see it among what waits (the kiosk's check, as its timer runs it).
        shell.deliver_kept()
        wait_idle(qtbot)
        waits = window.staff.waiting
        assert waits.isVisibleTo(window.staff)
        assert waits.text() == waiting_text(visits=1, requests=1)
        assert foreign_texts(window, lang) == []
        # A refusal on the panel takes its place (the panel fits 1280x720), then it is back.
        window.staff.show_error(lambda: (_("Too many wrong PINs"), ""))
        assert not waits.isVisibleTo(window.staff)
        window.staff.reset()
        assert waits.isVisibleTo(window.staff)

        session.feedback.finish_button.click()
        qtbot.waitUntil(lambda: window.session is not session, timeout=20_000)
        wait_idle(qtbot)
        outbox = tmp_path / "outbox"
        kept = {p: p.read_bytes() for p in sorted(outbox.rglob("*")) if p.is_file()}
        assert [p.name for p in kept] == [f"{contact_id}.visit"]
        for data in kept.values():
            for text in (SITE, "Montfort", REACH, "lachance", "grief"):
                assert text.encode() not in data
                assert text.encode("utf-16-le") not in data

        server.start()
        shell.deliver_kept()
        wait_idle(qtbot)
        assert [p for p in outbox.rglob("*") if p.is_file()] == []
        assert not window.staff.waiting.isVisibleTo(window.staff)
        station = another_station(dsn)
        try:
            supervisor = station.list_accounts()[0].id  # coordinates until one is named
            [row] = matching.request_list(station, supervisor)
            asked = matching.open_request(station, row.id, supervisor)
            assert (asked.source, asked.province, asked.site, asked.contact_id) == (
                "kiosk",
                "QC",
                SITE,
                contact_id,
            )
            assert (asked.topics, asked.requester_name, asked.requester_reach) == (
                ("grief",),
                None,
                REACH,
            )
            assert station.get_contact(contact_id, None)[0].channel == "kiosk"
        finally:
            station.close()

        # The reply to that delivery was lost: the same file is delivered again.
        for path, data in kept.items():
            path.write_bytes(data)
        shell.deliver_kept()
        wait_idle(qtbot)
        assert [p for p in outbox.rglob("*") if p.is_file()] == []
        station = another_station(dsn)
        try:
            assert station.query("SELECT count(*) FROM match_requests") == [(1,)]
            created = [
                row for row in station.audit_trail() if row[3] == "match-request source=kiosk"
            ]
            assert len(created) == 1  # added once, by the first delivery
            assert station.counts()["contacts"] == 1
            assert station.verify_audit() == []
        finally:
            station.close()


def _tracebacks(window: KioskWindow) -> list[QLabel]:
    """Any label on the kiosk showing a Python traceback (a traceback shown is a bug)."""
    return [
        label
        for label in window.findChildren(QLabel)
        if "Traceback" in label.text() or "Error" in label.text()
    ]
