"""The kiosk of a line that keeps its records on the shared PostgreSQL server (issue 18): it
signs in to the server like any station; a visit's coded record and, with consent, its callback
request land on the server, so another station's worklist lists the request; the anonymous
rating is counted there; with the server stopped mid-visit the visitor is told, in their
language, that the request could not be saved (nothing they typed is lost) and the crisis
screen still shows its numbers at once.

Everything real: the throwaway PostgreSQL server of tests/pg_server.py, the real kiosk window,
and a second store object (another station) to read back what the kiosk saved."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from intake.i18n import Language, _
from intake.services import worklist
from intake.settings import SettingsFile
from intake.storage.feedback import feedback_summary
from intake.storage.pg.store import PgStore, open_shared_store
from intake.ui import ops
from intake.ui.app import IntakeApplication, create_qapplication
from intake.ui.kiosk.session import KioskSession
from intake.ui.kiosk.window import KioskWindow
from tests.conftest import PASSPHRASE
from tests.gui.conftest import sign_in, wait_idle
from tests.gui.kiosk_helpers import PHYSICIAN_ANSWERS, PORTRAIT, begin
from tests.gui.texts import foreign_texts
from tests.pg_server import running_server
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


def test_server_stopped_mid_visit_the_visitor_is_told_and_the_crisis_screen_works(
    qtbot: QtBot, shared_kiosk: KioskFactory, lang: Language
) -> None:
    with running_server() as server:
        dsn = server.create_database()
        make_shared_store(dsn).close()
        _app, window = shared_kiosk(dsn, lang)
        window.setFixedSize(1280, 720)  # landscape: the message is below the fold at first
        to_callback(window, lang)
        session = window.session
        callback = session.callback
        wait_idle(qtbot)  # the visit's record so far is on the server

        server.stop("immediate")
        callback.submit_button.click()
        # The crisis screen never waits for the server: shown at once, its numbers with it.
        window.help_button.click()
        assert session.current is session.crisis
        assert "988" in crisis_numbers_shown(window)
        assert foreign_texts(window, lang) == []
        session.crisis.continue_button.click()
        assert showing(session, callback)

        qtbot.waitUntil(callback.error.isVisible, timeout=30_000)
        assert callback.error.text() == _(
            "Your request could not be saved. Nothing you entered is lost: please tell the "
            "staff at the desk, or try again."
        )
        qtbot.waitUntil(lambda: not callback.error.visibleRegion().isEmpty(), timeout=5_000)
        assert foreign_texts(window, lang) == []
        assert callback.number.text() == VALID_NUMBER  # nothing the visitor typed is lost
        assert callback.submit_button.isEnabled()
        assert [label.text() for label in _tracebacks(window) if label.isVisible()] == []

        server.start()  # the server is back: the visitor (or the staff) tries again
        callback.submit_button.click()
        qtbot.waitUntil(lambda: session.current is session.feedback, timeout=30_000)
        assert session.feedback.confirmation.isVisible()
        wait_idle(qtbot)
        station = another_station(dsn)
        try:
            items = [i for i in worklist.open_items(station) if i.contact_id == session.contact_id]
            assert [(i.kind, i.channel) for i in items] == [("callback", "kiosk")]
            assert station.counts()["callbacks"] == 1
        finally:
            station.close()


def _tracebacks(window: KioskWindow) -> list[QLabel]:
    """Any label on the kiosk showing a Python traceback (a traceback shown is a bug)."""
    return [
        label
        for label in window.findChildren(QLabel)
        if "Traceback" in label.text() or "Error" in label.text()
    ]
