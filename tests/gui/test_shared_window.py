"""The window on the line's shared PostgreSQL store (issue 18): unlock with the line passphrase,
sign in, take a whole call, see History of a call saved from another station; screens that do
not use the server yet are disabled, saying why; while the server is down, saves wait in the
local encrypted outbox, the header says so, and they are delivered once, when it returns.

Everything real: the throwaway PostgreSQL server of tests/pg_server.py, the real window, a
second store object (another station) to read back what the window saved."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from intake.call import Call
from intake.i18n import Language, _, ngettext
from intake.pins import hash_pin
from intake.services import accounts as console
from intake.services import worklist
from intake.services.calls import save_call, snapshot
from intake.services.kiosk import KioskDesk
from intake.services.matching import PeerAsk
from intake.services.shared import SharedSession
from intake.settings import SettingsFile
from intake.storage.pg.store import PgStore, open_shared_store
from intake.ui import ops
from intake.ui.about import about_text
from intake.ui.app import IntakeApplication, create_qapplication
from intake.ui.main_window import MainWindow
from intake.vocabulary_labels import label
from tests.conftest import PASSPHRASE, PIN
from tests.gui.conftest import main_window_of, wait_idle
from tests.gui.test_call import NOTE, OTTAWA_E164, fill_whole_call, steps
from tests.gui.texts import foreign_texts
from tests.pg_server import throwaway_server
from tests.storage.conftest import make_shared_store, pg_dsn, pg_server
from tests.storage.helpers import contact

__all__ = ["pg_dsn", "pg_server"]  # fixtures used here

OTHER_NOTE = "Appel de l'autre poste : épuisée après les gardes de nuit"


def other_station_saves_a_call(dsn: str) -> tuple[str, str]:
    """Another station (its own connection and store object) saves a call; (its id, author)."""
    other = open_shared_store(dsn, PASSPHRASE)
    try:
        author = other.list_accounts()[0].id
        call = Call(
            contact_id=str(uuid.uuid4()),
            started_at="2026-11-30T02:10:00+00:00",
            consent_notes=True,
            role="resident",
            province="QC",
            risk="concern",
            topics=["burnout"],
            need="peer",
            notes=OTHER_NOTE,
            outcome="referred",
            step="wrapup",
        )
        return save_call(other, snapshot(call, "fr", "2026-11-30T02:40:00+00:00"), author), author
    finally:
        other.close()


@pytest.fixture
def shared_app(
    qtbot: QtBot, settings_file: SettingsFile, tmp_path: Path
) -> Iterator[type[IntakeApplication]]:
    """Builds applications on a server address; closes them after the test."""
    created: list[IntakeApplication] = []

    def factory(dsn: str, language: Language) -> IntakeApplication:
        create_qapplication([])
        settings_file.save(settings_file.load().with_language(language))
        app = IntakeApplication(
            tmp_path / "never.db", settings_file, server=dsn, outbox=tmp_path / "outbox"
        )
        qtbot.addWidget(app.gate)
        app.start()
        created.append(app)
        return app

    yield factory  # type: ignore[misc]
    for app in created:
        qtbot.waitUntil(lambda: not ops.running(), timeout=20_000)
        if app.main_window is not None:
            app.main_window.server_poll.stop()
            app.main_window.close()
            app.main_window.deleteLater()
        app.shutdown()


def save_whole_call(qtbot: QtBot, window: MainWindow) -> str:
    window.new_call()
    page = window.call_page
    assert page is not None
    fill_whole_call(qtbot, page)
    contact_id = page.call.contact_id
    steps(page)[5].save_button.click()
    qtbot.waitUntil(lambda: window.call_page is None, timeout=20_000)
    wait_idle(qtbot)
    return contact_id


def calls_text(count: int) -> str:
    return ngettext("{count} call", "{count} calls", count).format(count=count)


def unreachable_with(what: str) -> str:
    """The status strip while the server is down and something waits (current language)."""
    return _(
        "Shared server: not reachable. Kept encrypted on this computer until the server "
        "answers: {what}."
    ).format(what=what)


def status_shows(qtbot: QtBot, window: MainWindow, text: str) -> None:
    window.refresh_server_status()
    qtbot.waitUntil(lambda: text in window.server_status.text(), timeout=20_000)


def test_a_whole_call_on_the_shared_server_and_another_stations_call_in_history(
    qtbot: QtBot, shared_app: object, pg_dsn: str, lang: Language
) -> None:
    make_shared_store(pg_dsn).close()
    other_id, _author = other_station_saves_a_call(pg_dsn)
    app = shared_app(pg_dsn, lang)  # type: ignore[operator]
    assert pg_dsn.rsplit("host=", maxsplit=1)[-1][:10] in app.gate.unlock.location.text()
    window = main_window_of(qtbot, app)
    assert app.session is not None
    assert app.session.shared
    status_shows(qtbot, window, _("Shared server: connected"))
    # Every screen uses the server now (console: test_shared_console; matching and reports:
    # test_shared_matching).
    for action in (window.console_action, window.matching_action, window.reports_action):
        assert action.isEnabled()
    window.lock()
    window.unlock()
    assert window.matching_action.isEnabled()  # matching is on the server (schema 5)
    assert window.own_matches_action.isEnabled()
    assert window.reports_action.isEnabled()  # reports too, from the server's rows
    assert window.worklist_action.isEnabled()  # the worklist is on the server
    assert window.history_action.isEnabled()
    assert window.new_call_action.isEnabled()
    assert foreign_texts(window, lang) == []
    # The About box names the server, not a SQLCipher that is not there.
    about = about_text(*window._versions)
    assert "PostgreSQL" in about
    assert "SQLCipher" not in about

    contact_id = save_whole_call(qtbot, window)
    assert window.home.status.isVisible()
    # Read back from a second store object: another station sees the call, decrypted there.
    reader: PgStore = open_shared_store(pg_dsn, PASSPHRASE)
    try:
        record, notes = reader.get_contact(contact_id, None)
        assert (record.channel, record.caller_language, record.province) == ("phone", lang, "ON")
        assert record.callback_number == OTTAWA_E164
        assert [n.body for n in notes] == [NOTE]
        assert reader.counts()["followups"] == 1
        assert reader.counts()["drafts"] == 0
        assert reader.verify_audit() == []
    finally:
        reader.close()

    # History lists both calls, and opens the other station's.
    window.show_history()
    history = window.history_page
    assert history is not None
    qtbot.waitUntil(lambda: history.model.rowCount() == 2, timeout=20_000)
    ids = [row.id for row in history.model.rows]
    assert set(ids) == {contact_id, other_id}
    history.table.selectRow(ids.index(other_id))
    history.open_selected()
    qtbot.waitUntil(lambda: OTHER_NOTE in history.detail.text(), timeout=20_000)
    # Note search goes through the blind index: accents and case folded.
    history.search.setText("EPUISEE")
    history.apply_filters()
    qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=20_000)
    assert foreign_texts(window, lang) == []


def test_a_callback_promised_at_one_station_is_worked_from_another(
    qtbot: QtBot, shared_app: object, pg_dsn: str, lang: Language
) -> None:
    """The night's callback, picked up in the morning elsewhere: station A (the window) saves a
    call with a follow-up and a callback number; station B (a second store object, another
    volunteer) sees it in its worklist, claims it, gets the number and records an attempt;
    station A's worklist then shows it taken by B with one attempt, refuses A's claim with a
    message, and History shows the attempt."""
    make_shared_store(pg_dsn).close()
    app = shared_app(pg_dsn, lang)  # type: ignore[operator]
    window = main_window_of(qtbot, app)
    contact_id = save_whole_call(qtbot, window)

    station_b: PgStore = open_shared_store(pg_dsn, PASSPHRASE)
    try:
        ben = station_b.add_account("Ben Tremblay", "volunteer", hash_pin(PIN))
        items = worklist.open_items(station_b)
        assert [(i.contact_id, i.kind, i.has_number) for i in items] == [
            (contact_id, "followup", True)
        ]
        item = items[0].id
        worklist.claim(station_b, item, ben)
        assert worklist.reveal_number(station_b, item, ben) == OTTAWA_E164
        worklist.record_attempt(station_b, item, ben, "no-answer")
    finally:
        station_b.close()

    assert window.worklist_action.isEnabled()
    window.show_worklist()
    page = window.worklist_page
    assert page is not None
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=20_000)
    wait_idle(qtbot)
    # No match is owed a first contact: the supervisor's worklist says nothing of them, and
    # reads the rest without a failure.
    assert page.status.text() != _("The worklist could not be read. Try again.")
    assert page.first_title.isVisible()  # as on the file: the section, with none owed
    assert page.first_table.rowCount() == 0
    assert page.model.items[0].claimed_by_name == "Ben Tremblay"
    assert page.model.row_texts(0)[5] == "Ben Tremblay"
    page.table.selectRow(0)
    attempts = ngettext("{count} attempt so far.", "{count} attempts so far.", 1).format(count=1)
    qtbot.waitUntil(lambda: attempts in page.detail.text(), timeout=20_000)
    assert foreign_texts(window, lang) == []
    page.claim_button.click()  # refused from the refusing side: Ben holds it
    refused = _(worklist.AlreadyClaimed.title)
    qtbot.waitUntil(lambda: refused in page.status.text(), timeout=20_000)
    wait_idle(qtbot)
    assert page.model.items[0].claimed_by_name == "Ben Tremblay"

    # A kiosk request saved at another station shows with the next check of the server.
    station_c: PgStore = open_shared_store(pg_dsn, PASSPHRASE)
    try:
        kiosk = contact(channel="kiosk", risk="high", province="NB", callback_number="+15065550123")
        with station_c.writing() as w:
            w.write_contact(kiosk, None)
            w.put_callback(
                str(uuid.uuid4()),
                kiosk.id,
                number="+15065550123",
                best_time="evening",
                time_zone="America/Moncton",
                actor=None,
            )
    finally:
        station_c.close()
    window.refresh_server_status()  # what the timer does every few seconds
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=20_000)
    assert page.model.items[0].alert  # first, flagged
    assert page.alert.isVisible()

    window.show_history()
    history = window.history_page
    assert history is not None
    qtbot.waitUntil(lambda: history.model.rowCount() == 2, timeout=20_000)
    history.table.selectRow([row.id for row in history.model.rows].index(contact_id))
    history.open_selected()
    qtbot.waitUntil(lambda: label("attempt", "no-answer") in history.detail.text(), timeout=20_000)
    assert label("work-kind", "followup") in history.detail.text()


def test_server_down_saves_wait_in_the_outbox_and_arrive_once(
    qtbot: QtBot, shared_app: object, lang: Language
) -> None:
    with throwaway_server() as server:
        dsn = server.create_database()
        make_shared_store(dsn).close()
        app = shared_app(dsn, lang)  # type: ignore[operator]
        window = main_window_of(qtbot, app)
        status_shows(qtbot, window, _("Shared server: connected"))

        server.stop("immediate")
        contact_id = save_whole_call(qtbot, window)
        # The home page says what is true: kept here, encrypted, sent later; not "saved".
        assert window.home.status.isVisible()
        assert window.home.status.text() == queued_text()
        assert window.home.status.text() != _("The call was saved. Thank you.")
        assert window.home.status.property("state") == "queued"
        status_shows(qtbot, window, unreachable_with(calls_text(1)))
        assert window.server_status.property("state") == "waiting"
        assert foreign_texts(window, lang) == []

        server.start()
        status_shows(qtbot, window, _("Shared server: connected"))
        assert window.server_status.property("state") == "connected"
        # The next call saved while the server answers is "saved" again.
        second = save_whole_call(qtbot, window)
        assert window.home.status.text() == _("The call was saved. Thank you.")
        reader = open_shared_store(dsn, PASSPHRASE)
        try:
            assert reader.counts()["contacts"] == 2
            assert reader.get_contact(second, None)[0].id == second
            assert [n.body for n in reader.get_contact(contact_id, None)[1]] == [NOTE]
            window.refresh_server_status()  # delivering again changes nothing
            wait_idle(qtbot)
            assert reader.counts()["contacts"] == 2
            assert reader.counts()["notes"] == 2
            assert reader.verify_audit() == []
        finally:
            reader.close()


def queued_text() -> str:  # read in the current language
    return _(
        "The call is kept on this computer, encrypted: the shared server did not answer. "
        "It will be sent when the server answers. Thank you."
    )


def test_a_draft_autosaved_during_an_outage_is_kept_here_and_sent_once(
    qtbot: QtBot, shared_app: object, lang: Language
) -> None:
    with throwaway_server() as server:
        dsn = server.create_database()
        make_shared_store(dsn).close()
        app = shared_app(dsn, lang)  # type: ignore[operator]
        window = main_window_of(qtbot, app)
        status_shows(qtbot, window, _("Shared server: connected"))
        window.new_call()
        page = window.call_page
        assert page is not None
        fill_whole_call(qtbot, page)

        server.stop("immediate")
        page._dirty = True
        page.save_draft()
        kept = _(
            "Saved a moment ago on this computer only, encrypted: the shared server did "
            "not answer. It will be sent when the server answers."
        )
        qtbot.waitUntil(lambda: page.autosave_state.text() == kept, timeout=20_000)
        assert foreign_texts(window, lang) == []
        drafts = list((app.outbox / "drafts").glob("*.draft"))
        assert [d.stem for d in drafts] == [page.call.contact_id]
        assert NOTE.encode() not in drafts[0].read_bytes()

        server.start()
        status_shows(qtbot, window, _("Shared server: connected"))
        wait_idle(qtbot)
        reader = open_shared_store(dsn, PASSPHRASE)
        try:
            account = reader.list_accounts()[0].id
            assert [(d, p["notes"]) for d, p in reader.drafts(account)] == [
                (page.call.contact_id, NOTE)
            ]
            assert list((app.outbox / "drafts").glob("*.draft")) == []
            contact_id = page.call.contact_id
            steps(page)[5].save_button.click()
            qtbot.waitUntil(lambda: window.call_page is None, timeout=20_000)
            wait_idle(qtbot)
            assert window.home.status.text() == _("The call was saved. Thank you.")
            assert reader.drafts(account) == []
            assert reader.get_contact(contact_id, None)[0].id == contact_id
            assert reader.counts()["contacts"] == 1
        finally:
            reader.close()


def test_set_up_on_a_shared_server_refuses_no_tls_then_creates_the_lines_store(
    qtbot: QtBot,
    settings_file: SettingsFile,
    store_path: Path,
    tmp_path: Path,
    pg_dsn: str,
    lang: Language,
) -> None:
    create_qapplication([])
    settings_file.save(settings_file.load().with_language(lang))
    app = IntakeApplication(store_path, settings_file, outbox=tmp_path / "outbox")
    qtbot.addWidget(app.gate)
    app.start()
    try:
        setup = app.gate.setup
        assert app.gate.pages.currentWidget() is setup
        assert setup.this_computer.isChecked()
        assert not setup.server_address.isEnabled()
        setup.shared_server.click()
        assert setup.server_address.isEnabled()
        assert setup.create_button.text() == _("Connect to the shared server")
        assert foreign_texts(app.gate, lang) == []
        setup.passphrase.setText(PASSPHRASE)
        setup.passphrase_again.setText(PASSPHRASE)
        setup.display_name.setText("Dr Sam Okafor")
        setup.pin.setText("482916")
        setup.pin_again.setText("482916")
        # Refused from the refusing side: another computer without TLS; a password inside.
        for address, title in (
            (
                "postgresql://intake_line@db.example.org/intake",
                _("The shared store's server must be reached over TLS"),
            ),
            (
                "postgresql://intake_line:secret@localhost/intake",
                _("The server's password must not be in its address"),
            ),
        ):
            setup.server_address.setText(address)
            setup.create_button.click()
            assert title in setup.banner.title.text()
            assert ops.running() == []  # nothing was sent anywhere
        assert settings_file.load().server is None
        setup.server_address.setText(pg_dsn)
        # The on-call contact is offered on a shared line too; half filled, it is refused with
        # a message (a reviewer found set-up stuck on "Creating…" here).
        assert setup.on_call_box.isVisibleTo(setup)
        setup.on_call_name.setText("Dr Lucie Gagnon")
        setup.create_button.click()
        assert _("Enter the on-call supervisor's number too, or clear the name.") in (
            setup.banner.title.text()
        )
        assert ops.running() == []
        assert setup.create_button.isEnabled()
        setup.on_call_number.setText("613-555-0199")
        setup.create_button.click()
        qtbot.waitUntil(lambda: app.main_window is not None, timeout=20_000)
        assert settings_file.load().server == pg_dsn  # the next start opens the server
        assert not store_path.exists()  # no file was made on this computer
        # The supervisor's first sign-in moved the contact onto the server, sealed, and out of
        # the plaintext settings file (the crisis route reads the server's).
        wait_idle(qtbot)
        assert "Lucie" not in settings_file.path.read_text(encoding="utf-8")
        reader = open_shared_store(pg_dsn, PASSPHRASE)
        try:
            assert [a.display_name for a in reader.list_accounts()] == ["Dr Sam Okafor"]
            assert "Dr Lucie Gagnon" in (console.on_call_contact(reader) or "")
        finally:
            reader.close()
    finally:
        qtbot.waitUntil(lambda: not ops.running(), timeout=20_000)
        if app.main_window is not None:
            app.main_window.server_poll.stop()
            app.main_window.close()
        app.shutdown()


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("postgresql://intake_line@db.example.org/intake", "TLS"),
        ("postgresql://intake_line:secret@localhost/intake", "password"),
    ],
)
def test_the_command_line_refuses_an_unsafe_server_address(
    address: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from intake.cli import main

    assert main(["--server", address]) == 2
    assert expected in capsys.readouterr().err


def test_the_status_strip_says_what_waits_calls_and_kiosk_visits_apart(
    qtbot: QtBot, shared_app: object, tmp_path: Path, lang: Language
) -> None:
    """What waits for the server is said as it is, with each kind's plural: the call saved at
    this window, and the kiosk visits kept on the same computer with the request for a peer
    supporter one of them holds, are not all "calls"; what could not be sent is said likewise."""
    with throwaway_server() as server:
        dsn = server.create_database()
        make_shared_store(dsn).close()
        app = shared_app(dsn, lang)  # type: ignore[operator]
        window = main_window_of(qtbot, app)
        status_shows(qtbot, window, _("Shared server: connected"))
        session = app.session
        assert isinstance(session, SharedSession)
        kiosk = session.pg.list_accounts()[0].id  # the supervisor who would start kiosk mode

        server.stop("immediate")
        save_whole_call(qtbot, window)
        visits = [contact(consent=False, channel="kiosk", province="ON") for _ in range(2)]
        request = KioskDesk(session.pg, kiosk).peer_request(
            str(uuid.uuid4()),
            PeerAsk(consent=True, site="Civic Campus", language=lang),
            visits[0],
            datetime.now(UTC),
        )
        session.outbox.put_visit(visits[0], None, kiosk, request)
        session.outbox.put_visit(visits[1], None, kiosk)
        visits_text = ngettext("{count} kiosk visit", "{count} kiosk visits", 2).format(count=2)
        requests_text = ngettext(
            "{count} request for a peer supporter", "{count} requests for a peer supporter", 1
        ).format(count=1)
        what = _("{items}, with {requests}").format(
            items=f"{calls_text(1)}, {visits_text}", requests=requests_text
        )
        status_shows(qtbot, window, unreachable_with(what))
        assert window.server_status.property("state") == "waiting"
        assert foreign_texts(window, lang) == []
        if lang == "en":  # the words themselves, once, beyond the catalog's lookup
            assert window.server_status.text().endswith(
                "1 call, 2 kiosk visits, with 1 request for a peer supporter."
            )
        else:
            assert window.server_status.text().endswith(
                "1 appel, 2 visites à la borne, dont 1 demande de pair aidant."
            )

        # One visit file damaged: once the server answers, the rest goes and it is set aside.
        damaged = session.outbox.folder / "visits" / f"{visits[1].id}.visit"
        damaged.write_bytes(damaged.read_bytes()[:-3] + b"xyz")
        server.start()
        aside = ngettext("{count} kiosk visit", "{count} kiosk visits", 1).format(count=1)
        status_shows(
            qtbot,
            window,
            _(
                "Kept but could not be sent: {what}. Tell the person who looks after this computer."
            ).format(what=aside),
        )
        assert window.server_status.property("state") == "problem"
        assert _("Shared server: connected") in window.server_status.text()
        assert foreign_texts(window, lang) == []


def test_a_call_started_by_mistake_is_abandoned_on_the_shared_server(
    qtbot: QtBot, shared_app: object, pg_dsn: str, lang: Language
) -> None:
    """As on a single station: one coded line kept, the draft gone, audited with the reason (it
    reached for the station's file, which a shared station has not)."""
    make_shared_store(pg_dsn).close()
    app = shared_app(pg_dsn, lang)  # type: ignore[operator]
    window = main_window_of(qtbot, app)
    window.new_call()
    page = window.call_page
    assert page is not None
    assert page.abandon_button.isVisible()
    contact_id = page.call.contact_id
    page.abandon("test-call")
    qtbot.waitUntil(lambda: window.call_page is None, timeout=20_000)
    wait_idle(qtbot)
    other = open_shared_store(pg_dsn, PASSPHRASE)  # another station reads it back
    try:
        assert [(r.id, r.outcome) for r in other.history_page().rows] == [(contact_id, "abandoned")]
        assert ("abandon", contact_id, "reason=test-call") in [
            (action, record, detail) for action, _actor, record, detail in other.audit_trail()
        ]
        assert other.drafts(app.session.accounts[0].id) == []  # type: ignore[union-attr]
    finally:
        other.close()
    assert foreign_texts(window, lang) == []


def test_the_strip_keeps_what_waits_when_the_lock_finds_the_server_down(
    qtbot: QtBot, shared_app: object, tmp_path: Path, lang: Language
) -> None:
    """Locking during an outage says at once that the server cannot be reached; what waits
    on this computer is still said by kind (it read "until the server answers: ." until the
    next check)."""
    with throwaway_server() as server:
        dsn = server.create_database()
        make_shared_store(dsn).close()
        app = shared_app(dsn, lang)  # type: ignore[operator]
        window = main_window_of(qtbot, app)
        server.stop("immediate")
        save_whole_call(qtbot, window)
        expected = unreachable_with(calls_text(1))
        status_shows(qtbot, window, expected)
        window.server_unreachable()  # as the lock's audit does when it finds the server down
        assert expected in window.server_status.text()
        assert foreign_texts(window, lang) == []
        server.start()
