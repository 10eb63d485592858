"""A caller on a shared line can be referred to a trained peer supporter (issue 18): a finished
call with the caller's yes to a peer request saves the call, then the request, on the file and
on the server alike (`calls.save_finished_call`, the one path CallDesk, the outbox's
`save_or_queue` and its delivery all take). The request's id derives from the call's, so a
retried save, or a file delivered twice, writes it once. With the server down the request
waits, sealed, in the outbox with its call, and both are delivered once when it answers. Under
the server's row-level security a volunteer's own login adds the request and cannot read it
back, so the save path must never read it back.

Everything real: the SQLCipher file, the throwaway PostgreSQL server of tests/pg_server.py
(stopped and started), per-person logins."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from intake.call import Call
from intake.services import matching
from intake.services.calls import CallDesk, derived_id, save_call, snapshot
from intake.services.outbox import Outbox, save_or_queue
from intake.services.shared import SharedCallDesk
from intake.storage.errors import NameTooLong
from intake.storage.interface import RecordStore
from intake.storage.records import RecordMissing
from intake.storage.roster import CoordinatorOnly
from tests.pg_server import throwaway_server
from tests.storage.conftest import make_shared_store
from tests.storage.test_roster_row_security import Line, _line

ENDED = "2026-11-22T04:00:00-05:00"
SITE = "Hôpital Montfort"
NAME = "Dr Séraphine Lachance-Oyelaran"
REACH = "+16135550177"


def a_call_asking_for_a_peer(tag: str = "") -> Call:
    return Call(
        contact_id=str(uuid.uuid4()),
        started_at="2026-11-22T03:30:00-05:00",
        consent_notes=True,
        anonymous=False,
        caller_name=NAME,
        role="physician",
        province="ON",
        callback_number=REACH,
        risk="concern",
        topics=["burnout", "grief"],
        need="peer",
        notes=f"Note {tag}: épuisée",
        outcome="referred",
        step="wrapup",
        peer_consent=True,
        peer_site=SITE + tag,
        peer_language="fr",
        peer_format="virtual",
        peer_name=NAME,
        peer_reach=REACH,
    )


def requests_seen_by_coordinator(store: RecordStore, coordinator: str) -> list[str]:
    return [row.id for row in matching.request_list(store, coordinator)]


def test_a_call_with_a_peer_request_is_saved_with_it_once_on_either_store(
    any_store: RecordStore,
) -> None:
    supervisor = any_store.list_accounts()[0].id  # coordinates until the line names one
    call = a_call_asking_for_a_peer()
    snap = snapshot(call, "fr", ENDED)
    desk = CallDesk(any_store, supervisor)
    assert desk.save(snap) == call.contact_id
    request_id = derived_id(call.contact_id, "match-request")
    assert requests_seen_by_coordinator(any_store, supervisor) == [request_id]
    # A retried save (its acknowledgement lost): the call unchanged, the request once.
    audited = len(any_store.audit_trail())
    assert desk.save(snap) == call.contact_id
    assert len(any_store.audit_trail()) == audited
    assert requests_seen_by_coordinator(any_store, supervisor) == [request_id]
    asked = matching.open_request(any_store, request_id, supervisor)
    assert (asked.source, asked.province, asked.site, asked.language) == ("phone", "ON", SITE, "fr")
    assert (asked.contact_id, asked.format, asked.topics) == (
        call.contact_id,
        "virtual",
        ("burnout", "grief"),
    )
    assert (asked.requester_name, asked.requester_reach) == (NAME, REACH)


def test_a_save_that_failed_before_the_request_is_retried_whole(any_store: RecordStore) -> None:
    """The call landed but not its request (the server went away between the two): saving the
    call again adds the request, once, and changes nothing of the call."""
    supervisor = any_store.list_accounts()[0].id
    snap = snapshot(a_call_asking_for_a_peer(), "en", ENDED)
    save_call(any_store, snap, supervisor)
    assert requests_seen_by_coordinator(any_store, supervisor) == []
    CallDesk(any_store, supervisor).save(snap)
    CallDesk(any_store, supervisor).save(snap)
    assert requests_seen_by_coordinator(any_store, supervisor) == [
        derived_id(snap.contact_id, "match-request")
    ]
    assert any_store.counts()["contacts"] == 1


# One store only: the server's outbox, for when it is down (the file needs none).
def test_a_request_without_a_site_is_refused_before_the_call_is_written_or_queued(
    tmp_path: Path, pg_dsn: str
) -> None:
    store = make_shared_store(pg_dsn)
    try:
        actor = store.list_accounts()[0].id
        call = a_call_asking_for_a_peer()
        call.peer_site = "  "
        outbox = Outbox(tmp_path / "outbox", store.line_keys)
        with pytest.raises(matching.SiteMissing):
            save_or_queue(store, outbox, snapshot(call, "en", ENDED), actor)
        assert store.counts()["contacts"] == 0
        assert outbox.pending() == []
    finally:
        store.close()


def test_the_server_stopped_the_request_waits_with_its_call_and_arrives_once(
    tmp_path: Path,
) -> None:
    tag = uuid.uuid4().hex[:8]
    with throwaway_server() as server:
        store = make_shared_store(server.create_database())
        try:
            actor = store.list_accounts()[0].id
            outbox = Outbox(tmp_path / "outbox", store.line_keys)
            server.stop("immediate")
            call = a_call_asking_for_a_peer(tag)
            snap = snapshot(call, "fr", ENDED)
            desk = SharedCallDesk(store, outbox, actor)
            desk.save(snap)
            assert desk.last == "queued"
            assert outbox.pending() == [call.contact_id]
            # Waiting sealed, with its request: nothing of it in clear on this computer.
            [path] = list(outbox.folder.glob("*.call"))
            data = path.read_bytes()
            for text in (tag, "Montfort", "Lachance", "6135550177"):
                assert text.encode() not in data
            assert outbox.read(call.contact_id) == (snap, actor)
            assert outbox.read(call.contact_id)[0].peer == snap.peer
            kept = tmp_path / "kept.call"
            shutil.copy(path, kept)

            server.start()
            assert outbox.deliver(store) == 1
            request_id = derived_id(call.contact_id, "match-request")
            assert requests_seen_by_coordinator(store, actor) == [request_id]
            assert matching.open_request(store, request_id, actor).site == SITE + tag
            audited = len(store.audit_trail())
            # A crash between the delivery and the file's removal: delivered again, once.
            shutil.copy(kept, path)
            assert outbox.deliver(store) == 1
            assert len(store.audit_trail()) == audited
            assert requests_seen_by_coordinator(store, actor) == [request_id]
            assert store.counts()["contacts"] == 1
            assert store.verify_audit() == []
        finally:
            store.close()


# One store only: the server's outbox, for when it is down (the file needs none).
def test_an_older_outbox_file_without_a_peer_request_is_still_delivered(
    tmp_path: Path, pg_dsn: str
) -> None:
    """A call queued by the previous version (its snapshot has no "peer") is read as a call
    without a request, not set aside."""
    store = make_shared_store(pg_dsn)
    try:
        actor = store.list_accounts()[0].id
        outbox = Outbox(tmp_path / "outbox", store.line_keys)
        call = a_call_asking_for_a_peer()
        call.peer_consent = False
        snap = snapshot(call, "en", ENDED)
        outbox.put(snap, actor)
        path = outbox.folder / f"{snap.contact_id}.call"
        text = store.line_keys.open("outbox", "call", snap.contact_id, path.read_bytes())
        assert text is not None
        data = json.loads(text)
        del data["snapshot"]["peer"]
        sealed = store.line_keys.seal("outbox", "call", snap.contact_id, json.dumps(data))
        assert sealed is not None
        path.write_bytes(sealed)
        assert outbox.deliver(store) == 1
        assert outbox.set_aside() == []
        assert store.counts()["contacts"] == 1
        assert requests_seen_by_coordinator(store, actor) == []
    finally:
        store.close()


@pytest.fixture
def line(pg_dsn: str) -> Iterator[Line]:
    yield from _line(pg_dsn, None)


def test_a_volunteers_own_login_adds_the_request_and_cannot_read_it_back(
    line: Line, tmp_path: Path
) -> None:
    """Row-level security on (policy `requests_made`): the volunteer's save goes through their
    own login, which may add the request but reads none of it, so the save must not read it
    back (a read-back would find nothing, or be refused). A retried save still writes it once;
    the coordinator's own login sees it."""
    station, me = line.stations["vol"], line.accounts["vol"]
    assert station.session_account == me
    outbox = Outbox(tmp_path / "outbox", station.line_keys)
    desk = SharedCallDesk(station, outbox, me)
    call = a_call_asking_for_a_peer()
    snap = snapshot(call, "en", ENDED)
    desk.save(snap)
    assert desk.last == "saved"
    desk.save(snap)  # retried: nothing added
    assert desk.last == "saved"
    assert outbox.pending() == []
    assert outbox.set_aside() == []
    request_id = derived_id(call.contact_id, "match-request")
    # From the refusing side: this login reads none of it.
    assert station.query("SELECT id FROM match_requests") == []
    with pytest.raises(CoordinatorOnly):
        matching.request_list(station, me)
    with pytest.raises(RecordMissing):
        matching.open_request(station, request_id, me)
    with pytest.raises(psycopg.errors.InsufficientPrivilege), station.writing() as w:
        w.q(
            "INSERT INTO match_requests (id, created_at, source, consent, province, "
            "organization, site, department, language, created_by) "
            "VALUES (%s, 'x', 'phone', true, 'ON', ''::bytea, ''::bytea, ''::bytea, 'en', %s) "
            "RETURNING id",  # reading back what one adds needs the right to read it
            (str(uuid.uuid4()), me),
        )
    # The coordinator, at another station with their own login, has it, once, with the call.
    coordinator = line.accounts["coco"]
    office = line.stations["coco"]
    assert requests_seen_by_coordinator(office, coordinator) == [request_id]
    asked = matching.open_request(office, request_id, coordinator)
    assert (asked.contact_id, asked.requester_name, asked.site) == (call.contact_id, NAME, SITE)
    owner_rows = line.owner.query(
        "SELECT created_by, source FROM match_requests WHERE id = %s", (request_id,)
    )
    assert owner_rows == [(me, "phone")]


# One store only: the server's outbox, for when it is down (the file needs none).
def test_a_way_to_reach_over_the_limit_is_refused_before_the_call_is_written_or_queued(
    tmp_path: Path, pg_dsn: str
) -> None:
    """The wrap-up's fields take 200 characters, a request's name and way to reach at most 100:
    checked after the call was saved, the request was lost (and, delivered from the outbox, the
    file set aside with the caller's consent in it). Refused first, saying so: nothing written,
    nothing queued, the volunteer shortens it."""
    store = make_shared_store(pg_dsn)
    try:
        actor = store.list_accounts()[0].id
        outbox = Outbox(tmp_path / "outbox", store.line_keys)
        for field in ("peer_name", "peer_reach"):
            call = a_call_asking_for_a_peer()
            setattr(call, field, "x" * 150)
            with pytest.raises(NameTooLong):
                save_or_queue(store, outbox, snapshot(call, "en", ENDED), actor)
            assert store.counts()["contacts"] == 0
            assert outbox.pending() == []
    finally:
        store.close()
