# One store only (the shared server): the station's outbox while the server is down (a file is
#   never down).
"""Server down, nothing lost: the server is stopped in the middle of a run of saves and
restarted; every call arrives exactly once, and nothing waits in clear on this computer."""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from pathlib import Path

import psycopg
import pytest

from intake.call import Call
from intake.services.calls import snapshot
from intake.services.outbox import Outbox, save_or_queue
from intake.storage.errors import ServerUnreachable
from intake.storage.pg.store import server_errors
from tests.pg_server import throwaway_server
from tests.storage.conftest import make_shared_store

ENDED = "2026-11-22T04:00:00-05:00"


def a_call(index: int, tag: str) -> Call:
    return Call(
        contact_id=str(uuid.uuid4()),
        started_at=f"2026-11-22T03:{index:02d}:00-05:00",
        consent_notes=True,
        anonymous=False,
        caller_name=f"Dr Hors-ligne {tag}",
        role="physician",
        province="ON",
        callback_number="+16135550142",
        risk="concern",
        topics=["burnout"],
        need="peer",
        notes=f"Note {tag} numéro {index}",
        followup=index % 2 == 0,
        followup_number="+16135550142",
        followup_due="2026-11-23T09:00:00-05:00",
        outcome="referred",
        step="wrapup",
    )


def test_the_server_stopped_mid_run_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:8]
    with throwaway_server() as server:
        store = make_shared_store(server.create_database())
        actor = store.list_accounts()[0].id
        outbox = Outbox(tmp_path / "outbox", store.line_keys)
        calls = [a_call(index, tag) for index in range(12)]
        outcomes = []
        for index, call in enumerate(calls):
            if index == 4:
                server.stop("immediate")
            if index == 9:
                server.start()
            outcomes.append(save_or_queue(store, outbox, snapshot(call, "en", ENDED), actor))
            if index == 6:
                # The same call saved again while the server is down: its newer snapshot
                # replaces the one waiting, it is not queued twice.
                call.outcome = "declined"
                outcomes.append(save_or_queue(store, outbox, snapshot(call, "en", ENDED), actor))
        assert outcomes == ["saved"] * 4 + ["queued"] * 6 + ["saved"] * 3
        assert outbox.pending() == []
        counts = store.counts()
        assert counts["contacts"] == 12
        assert counts["notes"] == 12
        assert counts["followups"] == 6
        assert store.get_contact(calls[6].contact_id, actor)[0].outcome == "declined"
        assert store.verify_audit() == []
        store.close()


def test_a_call_delivered_twice_changes_nothing(tmp_path: Path, pg_dsn: str) -> None:
    store = make_shared_store(pg_dsn)
    try:
        actor = store.list_accounts()[0].id
        outbox = Outbox(tmp_path / "outbox", store.line_keys)
        snap = snapshot(a_call(1, "twice"), "en", ENDED)
        outbox.put(snap, actor)
        kept = tmp_path / "kept.call"
        shutil.copy(outbox.folder / f"{snap.contact_id}.call", kept)
        assert outbox.deliver(store) == 1
        audited = len(store.audit_trail())
        # A crash between the save and the file's removal: the same file is delivered again.
        shutil.copy(kept, outbox.folder / f"{snap.contact_id}.call")
        assert outbox.deliver(store) == 1
        assert len(store.audit_trail()) == audited
        assert store.counts()["contacts"] == 1
    finally:
        store.close()


def test_what_waits_in_the_outbox_is_sealed(tmp_path: Path, pg_dsn: str) -> None:
    store = make_shared_store(pg_dsn)
    try:
        outbox = Outbox(tmp_path / "outbox", store.line_keys)
        tag = uuid.uuid4().hex[:8]
        snap = snapshot(a_call(2, tag), "fr", ENDED)
        outbox.put(snap, None)
        [path] = list((tmp_path / "outbox").iterdir())
        data = path.read_bytes()
        assert path.stat().st_mode & 0o077 == 0
        for text in (tag, "Hors-ligne", "6135550142", "numéro"):
            assert text.encode() not in data
            assert text.encode("utf-16-le") not in data
        assert outbox.read(snap.contact_id) == (snap, None)
    finally:
        store.close()


def test_one_bad_file_is_set_aside_and_the_rest_delivered(tmp_path: Path, pg_dsn: str) -> None:
    """A queued file that cannot be read (damaged on disk) must not hold back the calls
    behind it: it is set aside with a message, and every other call is delivered."""
    store = make_shared_store(pg_dsn)
    try:
        actor = store.list_accounts()[0].id
        outbox = Outbox(tmp_path / "outbox", store.line_keys)
        snaps = [snapshot(a_call(index, "bad"), "en", ENDED) for index in range(3)]
        for snap in snaps:
            outbox.put(snap, actor)
        damaged = outbox.folder / f"{snaps[0].contact_id}.call"
        data = bytearray(damaged.read_bytes())
        data[-1] ^= 0xFF  # one flipped bit: the seal no longer opens
        damaged.write_bytes(bytes(data))
        # The damaged file is the oldest: it is tried first.
        os.utime(damaged, (1, 1))

        assert outbox.deliver(store) == 2
        assert outbox.pending() == []
        assert outbox.set_aside() == [snaps[0].contact_id]
        assert store.counts()["contacts"] == 2
        assert store.get_contact(snaps[2].contact_id, actor)[0].id == snaps[2].contact_id
        # Kept, not deleted: the person who looks after the computer can look at it.
        assert list((outbox.folder / "set-aside").iterdir())
        # Delivering again does not try it again nor count it.
        assert outbox.deliver(store) == 0
        assert outbox.set_aside() == [snaps[0].contact_id]
    finally:
        store.close()


def test_deliveries_at_the_same_time_lose_nothing(tmp_path: Path, pg_dsn: str) -> None:
    """The status poll and a save both deliver what waits, on two worker threads: no call is
    set aside or lost because the other thread took its file first (a reviewer's finding)."""
    store = make_shared_store(pg_dsn)
    try:
        actor = store.list_accounts()[0].id
        outbox = Outbox(tmp_path / "outbox", store.line_keys)
        snaps = [snapshot(a_call(index, "race"), "en", ENDED) for index in range(20)]
        for snap in snaps:
            outbox.put(snap, actor)
        failures: list[BaseException] = []

        def deliver() -> None:
            try:
                outbox.deliver(store)
            except BaseException as exc:
                failures.append(exc)

        threads = [threading.Thread(target=deliver) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        assert outbox.pending() == []
        assert outbox.set_aside() == []
        assert store.counts()["contacts"] == 20
    finally:
        store.close()


def test_a_server_that_is_busy_now_is_tried_again_later_not_set_aside() -> None:
    """A deadlock, a serialization failure, a lock or statement timeout, a server short of
    resources: the call is fine and the server will take it later. It keeps waiting (the
    outbox treats it like an unreachable server) instead of being set aside for good."""
    for error in (
        psycopg.errors.DeadlockDetected,
        psycopg.errors.SerializationFailure,
        psycopg.errors.LockNotAvailable,
        psycopg.errors.QueryCanceled,
        psycopg.errors.TooManyConnections,
    ):
        with pytest.raises(ServerUnreachable), server_errors():
            raise error()


def test_a_call_delivered_again_after_the_team_closed_its_follow_up_leaves_it_closed(
    tmp_path: Path, pg_dsn: str
) -> None:
    """The reply to a kept call's delivery was lost (or the file's removal never happened), and
    the application was closed before the next try: days later the same file is delivered
    again, after a volunteer called the person back and closed the item. The follow-up and its
    callback stay closed, the number stays forgotten: nobody is called twice."""
    from intake.services import worklist

    store = make_shared_store(pg_dsn)
    try:
        actor = store.list_accounts()[0].id
        outbox = Outbox(tmp_path / "outbox", store.line_keys)
        snap = snapshot(a_call(0, uuid.uuid4().hex[:8]), "fr", ENDED)  # with a follow-up
        outbox.put(snap, actor)
        copy = {p: p.read_bytes() for p in outbox.folder.rglob("*") if p.is_file()}
        outbox.deliver(store)
        items = [i for i in worklist.open_items(store) if i.contact_id == snap.contact_id]
        assert items
        for item in items:
            worklist.close(store, item.id, actor, "helped")
        closed = store.query(
            "SELECT 'f', status FROM followups UNION ALL "
            "SELECT 'c', status || (number IS NULL)::text FROM callbacks ORDER BY 1"
        )
        assert "open" not in str(closed)
        for path, data in copy.items():
            path.write_bytes(data)
        outbox.deliver(store)
        assert outbox.pending() == []
        assert (
            store.query(
                "SELECT 'f', status FROM followups UNION ALL "
                "SELECT 'c', status || (number IS NULL)::text FROM callbacks ORDER BY 1"
            )
            == closed
        )
        assert [i for i in worklist.open_items(store) if i.contact_id == snap.contact_id] == []
    finally:
        store.close()
