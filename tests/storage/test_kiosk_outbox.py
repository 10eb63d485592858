# One store only (the shared server): the station's outbox while the server is down (a file is
#   never down).
"""Server down, nothing lost, at the kiosk too: a visit (its coded record and, with consent, its
callback request) and the anonymous rating the kiosk cannot save while the shared server is down
wait in the station's outbox, sealed, one file per visit (the latest save replaces it), and are
delivered once, by the same delivery as the calls, when the server answers again.

The real throwaway PostgreSQL server, stopped and started again; a second store object (another
station) reads back what arrived."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from intake.services import matching, worklist
from intake.services.kiosk import CallbackRequest, KioskDesk
from intake.services.matching import PeerAsk
from intake.services.outbox import Outbox
from intake.services.shared import SharedSession
from intake.services.waiting import Waiting
from intake.storage import errors, report_data
from intake.storage.feedback import feedback_summary
from intake.storage.pg.store import PgStore, open_shared_store
from intake.storage.roster import NoConsent
from tests.conftest import PASSPHRASE
from tests.pg_server import throwaway_server
from tests.storage.conftest import make_shared_store
from tests.storage.helpers import contact

E164 = "+16135550142"
NOVEMBER = report_data.Period(date(2026, 11, 1), date(2026, 11, 30))


def a_callback() -> CallbackRequest:
    return CallbackRequest(
        id=str(uuid.uuid4()),
        number=E164,
        best_time="evening",
        time_zone="America/Toronto",
        messages_ok=True,
    )


def kiosk_visits(dsn: str) -> int:
    """The kiosk visits the line's report counts (read at another station)."""
    station = open_shared_store(dsn, PASSPHRASE)
    try:
        data = report_data.read(station, NOVEMBER, "2026-12-01T00:00:00+00:00")
        return sum(row[-1] for row in data.contacts if row[1] == "kiosk")
    finally:
        station.close()


def bytes_under(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_a_visit_while_the_server_is_down_is_kept_sealed_and_delivered_once(
    tmp_path: Path,
) -> None:
    with throwaway_server() as server:
        dsn = server.create_database()
        store = make_shared_store(dsn)
        try:
            kiosk = store.list_accounts()[0].id
            outbox = Outbox(tmp_path / "outbox", store.line_keys)
            desk = KioskDesk(store, kiosk, outbox)
            visit = contact(consent=False, channel="kiosk", province="ON", outcome="referred")

            server.stop("immediate")
            assert desk.save_visit(visit, None) == "kept-here"  # at the results screen
            asked = replace(
                visit, consent_notes=True, callback_number=E164, outcome="callback-requested"
            )
            callback = a_callback()
            assert desk.save_visit(asked, callback) == "kept-here"  # the request confirmed
            rating = str(uuid.uuid4())
            kept = desk.save_feedback(
                rating, day=date(2026, 11, 22), language="fr", rating=4, found=True
            )
            assert kept == "kept-here"

            # One file per visit (its latest save), one for the rating; nothing in clear.
            assert outbox.pending_visits() == [visit.id]
            assert outbox.pending_ratings() == [rating]
            assert outbox.pending() == []  # the calls' count is the calls'
            sealed = bytes_under(outbox.folder)
            for text in (E164, "6135550142", "555 0142", "callback-requested", "evening"):
                assert text.encode() not in sealed
                assert text.encode("utf-16-le") not in sealed
            assert all(
                p.stat().st_mode & 0o077 == 0 for p in outbox.folder.rglob("*") if p.is_file()
            )

            server.start()
            assert kiosk_visits(dsn) == 0  # nothing reached the server while it was down
            outbox.deliver(store)  # the delivery that sends the calls
            assert outbox.pending_visits() == []
            assert outbox.pending_ratings() == []

            station = open_shared_store(dsn, PASSPHRASE)
            try:
                record, notes = station.get_contact(visit.id, None)
                assert (record.channel, record.outcome, record.callback_number, notes) == (
                    "kiosk",
                    "callback-requested",
                    E164,
                    [],
                )
                items = [i for i in worklist.open_items(station) if i.contact_id == visit.id]
                assert [(i.kind, i.channel, i.best_time, i.messages_ok) for i in items] == [
                    ("callback", "kiosk", "evening", True)
                ]
                summary = feedback_summary(station, "kiosk")
                assert (summary.answers, summary.average_rating, summary.found_yes) == (1, 4, 1)
                assert station.counts()["contacts"] == 1
                assert station.counts()["callbacks"] == 1
                assert station.verify_audit() == []
            finally:
                station.close()
            assert kiosk_visits(dsn) == 1
        finally:
            store.close()


def test_a_visit_delivered_twice_changes_nothing(tmp_path: Path, pg_dsn: str) -> None:
    """A crash between the save on the server and the file's removal: the same file is
    delivered again at the next check; no duplicate visit, callback, rating or audit row."""
    store = make_shared_store(pg_dsn)
    try:
        kiosk = store.list_accounts()[0].id
        outbox = Outbox(tmp_path / "outbox", store.line_keys)
        visit = contact(
            consent=True, channel="kiosk", callback_number=E164, outcome="callback-requested"
        )
        outbox.put_visit(visit, a_callback(), kiosk)
        rating = str(uuid.uuid4())
        answer = {"day": "2026-11-22", "language": "en", "rating": 5, "found": None}
        outbox.put_rating(rating, answer, kiosk)
        files = sorted(p for p in outbox.folder.rglob("*") if p.is_file())
        copies = {p: p.read_bytes() for p in files}
        outbox.deliver(store)
        counts, audited = store.counts(), len(store.audit_trail())
        assert (counts["contacts"], counts["callbacks"]) == (1, 1)
        for path, data in copies.items():
            path.write_bytes(data)
        outbox.deliver(store)
        assert store.counts() == counts
        assert len(store.audit_trail()) == audited
        assert feedback_summary(store, "kiosk").answers == 1
        assert [p for p in outbox.folder.rglob("*") if p.is_file()] == []
    finally:
        store.close()


def test_a_callback_without_consent_is_refused_not_kept(tmp_path: Path) -> None:
    """Refused from the refusing side while the server is down, as the stores refuse it: no
    file is kept that the server would refuse later."""
    with throwaway_server() as server:
        dsn = server.create_database()
        store = make_shared_store(dsn)
        try:
            outbox = Outbox(tmp_path / "outbox", store.line_keys)
            desk = KioskDesk(store, store.list_accounts()[0].id, outbox)
            server.stop("immediate")
            with pytest.raises(errors.ConsentRefused):
                desk.save_visit(contact(consent=False, channel="kiosk"), a_callback())
            assert outbox.pending_visits() == []
        finally:
            store.close()


def test_a_damaged_visit_file_is_set_aside_and_the_rest_delivered(
    tmp_path: Path, pg_dsn: str
) -> None:
    store = make_shared_store(pg_dsn)
    try:
        kiosk = store.list_accounts()[0].id
        outbox = Outbox(tmp_path / "outbox", store.line_keys)
        damaged, good = (contact(consent=False, channel="kiosk") for _ in range(2))
        outbox.put_visit(damaged, None, kiosk)
        outbox.put_visit(good, None, kiosk)
        path = outbox.folder / "visits" / f"{damaged.id}.visit"
        path.write_bytes(path.read_bytes()[:-3] + b"xyz")
        outbox.deliver(store)
        assert outbox.pending_visits() == []
        assert store.counts()["contacts"] == 1
        assert (outbox.folder / "set-aside" / f"{damaged.id}.visit").is_file()
    finally:
        store.close()


def test_a_visit_delivered_again_after_the_team_closed_its_callback_leaves_it_closed(
    tmp_path: Path, pg_dsn: str
) -> None:
    """The reply to the first delivery was lost (or the file's removal never happened): the
    same visit is delivered again after a volunteer has called the person back and closed the
    item. The callback stays closed and its number stays forgotten: nobody is called twice."""
    store = make_shared_store(pg_dsn)
    try:
        supervisor = store.list_accounts()[0].id
        outbox = Outbox(tmp_path / "outbox", store.line_keys)
        visit = contact(
            consent=True, channel="kiosk", callback_number=E164, outcome="callback-requested"
        )
        callback = a_callback()
        outbox.put_visit(visit, callback, supervisor)
        copy = {p: p.read_bytes() for p in outbox.folder.rglob("*") if p.is_file()}
        outbox.deliver(store)
        [item] = [i for i in worklist.open_items(store) if i.contact_id == visit.id]
        worklist.close(store, item.id, supervisor, "helped")
        assert store.query("SELECT status, number IS NULL FROM callbacks") == [("done", True)]
        for path, data in copy.items():
            path.write_bytes(data)
        outbox.deliver(store)
        assert outbox.pending_visits() == []
        assert store.query("SELECT status, number IS NULL FROM callbacks") == [("done", True)]
        assert [i for i in worklist.open_items(store) if i.contact_id == visit.id] == []
    finally:
        store.close()


def test_the_status_counts_kiosk_visits_waiting_and_set_aside(tmp_path: Path, pg_dsn: str) -> None:
    """What the station's status line says: a visit kept here waits (counted), and one that
    could not be delivered is counted with the files set aside for a person to look at."""
    store = make_shared_store(pg_dsn)
    session = SharedSession(store, Outbox(tmp_path / "outbox", store.line_keys))
    try:
        outbox, kiosk = session.outbox, store.list_accounts()[0].id
        damaged = contact(consent=False, channel="kiosk")
        outbox.put_visit(damaged, None, kiosk)
        outbox.put_rating(
            str(uuid.uuid4()),
            {"day": "2026-11-22", "language": "fr", "rating": 3, "found": True},
            kiosk,
        )
        assert (outbox.waiting(), len(outbox.set_aside())) == (2, 0)
        path = outbox.folder / "visits" / f"{damaged.id}.visit"
        path.write_bytes(path.read_bytes()[:-3] + b"xyz")
        assert outbox.what_waits() == Waiting(visits=1, ratings=1)  # by kind, not "calls"
        status = session.status()  # the server answers: the rating goes, the visit is set aside
        assert (status.connected, status.waiting, status.set_aside) == (True, 0, 1)
        assert (status.kept, status.kept_aside) == (Waiting(), Waiting(visits=1))
        assert outbox.set_aside() == [damaged.id]
    finally:
        session.close()


SITE = "Hôpital Montfort"
REACH = "seraphine.lachance@example.ca"


def a_peer_ask() -> PeerAsk:
    return PeerAsk(
        consent=True,
        site=SITE,
        wants_outside=True,
        language="fr",
        format="virtual",
        topics=("burnout", "grief"),
        reach=REACH,
    )


def requests_on_server(store: PgStore) -> list[tuple[object, ...]]:
    return store.query("SELECT id, source, contact_id FROM match_requests")


def test_a_peer_request_while_the_server_is_down_waits_with_its_visit_and_arrives_once(
    tmp_path: Path,
) -> None:
    """A visitor asks for a trained peer supporter while the server is down: the request is
    kept, sealed, in the visit's own file (never in clear: not the site, not how to reach
    them), a later save of the visit (a detour to the crisis screen) keeps it, and when the
    server answers it is delivered with its visit, once; delivered again after a lost reply,
    still once. The coordinator reads exactly what the visitor asked for."""
    with throwaway_server() as server:
        dsn = server.create_database()
        store = make_shared_store(dsn)
        try:
            kiosk = store.list_accounts()[0].id  # the supervisor coordinates until one is named
            outbox = Outbox(tmp_path / "outbox", store.line_keys)
            desk = KioskDesk(store, kiosk, outbox)
            visit = contact(consent=False, channel="kiosk", province="ON", outcome="referred")
            request_id = str(uuid.uuid4())
            when = datetime(2026, 11, 22, 15, 30, tzinfo=UTC)

            server.stop("immediate")
            assert desk.save_visit(visit, None) == "kept-here"  # at the results screen
            request = desk.peer_request(request_id, a_peer_ask(), visit, when)
            assert desk.save_visit(visit, None, request) == "kept-here"
            assert desk.save_visit(visit, None, request) == "kept-here"  # saved again
            assert outbox.pending_visits() == [visit.id]
            assert outbox.what_waits() == Waiting(visits=1, requests=1)
            sealed = bytes_under(outbox.folder)
            for text in (SITE, "Montfort", REACH, "lachance", "burnout", "grief"):
                assert text.encode() not in sealed
                assert text.encode("utf-16-le") not in sealed
            [path] = list(outbox.folder.rglob("*.visit"))
            kept_copy = path.read_bytes()

            server.start()
            assert requests_on_server(store) == []  # nothing reached it meanwhile
            outbox.deliver(store)
            assert outbox.what_waits() == Waiting()
            assert requests_on_server(store) == [(request_id, "kiosk", visit.id)]
            asked = matching.open_request(store, request_id, kiosk)
            assert (asked.source, asked.province, asked.site, asked.language) == (
                "kiosk",
                "ON",
                SITE,
                "fr",
            )
            assert (asked.wants_outside, asked.format, asked.topics) == (
                True,
                "virtual",
                ("burnout", "grief"),
            )
            assert (asked.contact_id, asked.requester_name, asked.requester_reach) == (
                visit.id,
                None,
                REACH,
            )
            assert store.counts()["contacts"] == 1
            audited = len(store.audit_trail())

            # The reply to that delivery was lost: the same file is delivered again.
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(kept_copy)
            outbox.deliver(store)
            assert outbox.pending_visits() == []
            assert requests_on_server(store) == [(request_id, "kiosk", visit.id)]
            assert len(store.audit_trail()) == audited
            assert store.counts()["contacts"] == 1
            assert store.verify_audit() == []
        finally:
            store.close()


def test_a_peer_request_is_never_delivered_without_its_visit(tmp_path: Path, pg_dsn: str) -> None:
    """A visit file the server refuses is set aside whole: its request does not go up alone."""
    store = make_shared_store(pg_dsn)
    try:
        kiosk = store.list_accounts()[0].id
        outbox = Outbox(tmp_path / "outbox", store.line_keys)
        desk = KioskDesk(store, kiosk, outbox)
        visit = contact(consent=False, channel="kiosk", province="ON")
        request = desk.peer_request(str(uuid.uuid4()), a_peer_ask(), visit, datetime.now(UTC))
        # A record the server refuses (a callback number without consent, as a damaged or
        # tampered file could hold): the visit is refused, so the request must not go alone.
        refused = replace(visit, callback_number=E164)
        outbox.put_visit(refused, None, kiosk, request)
        outbox.deliver(store)
        assert requests_on_server(store) == []
        assert store.counts()["contacts"] == 0
        assert outbox.set_aside() == [visit.id]
    finally:
        store.close()


def test_a_peer_request_without_a_site_is_refused_not_kept(tmp_path: Path) -> None:
    """Refused on the kiosk while the server is down, as the server would refuse it."""
    with throwaway_server() as server:
        store = make_shared_store(server.create_database())
        try:
            outbox = Outbox(tmp_path / "outbox", store.line_keys)
            desk = KioskDesk(store, store.list_accounts()[0].id, outbox)
            visit = contact(consent=False, channel="kiosk", province="ON")
            server.stop("immediate")
            with pytest.raises(matching.SiteMissing):
                desk.peer_request(
                    str(uuid.uuid4()), replace(a_peer_ask(), site=" "), visit, datetime.now(UTC)
                )
            with pytest.raises(NoConsent):
                desk.peer_request(
                    str(uuid.uuid4()),
                    replace(a_peer_ask(), consent=False),
                    visit,
                    datetime.now(UTC),
                )
            assert outbox.pending_visits() == []
        finally:
            store.close()
