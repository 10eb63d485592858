"""A whole call saved in one transaction from a snapshot: idempotent, and a call resumed after
the application died mid-save keeps its edits (killed between every pair of writes)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from intake.call import Call
from intake.services.calls import derived_id, save_call, snapshot
from intake.storage import audit
from intake.storage.db import Store, open_store
from intake.storage.head import head_path
from intake.storage.interface import RecordStore
from intake.storage.local import LocalRecords
from intake.storage.records import drafts, save_draft
from tests.conftest import PASSPHRASE
from tests.storage.helpers import RawSql

ENDED = "2026-11-22T04:00:00-05:00"
ROOT = Path(__file__).resolve().parents[2]


def a_call() -> Call:
    return Call(
        contact_id=str(uuid.uuid4()),
        started_at="2026-11-22T03:10:00-05:00",
        consent_notes=True,
        role="physician",
        province="ON",
        callback_number="+16135550142",
        risk="concern",
        topics=["burnout"],
        need="peer",
        notes="Night shifts since March.",
        followup=True,
        followup_number="+16135550142",
        followup_due="2026-11-23T09:00:00-05:00",
        outcome="referred",
        step="wrapup",
    )


def _state(any_store: RecordStore | Store) -> dict[str, object]:
    raw = RawSql(LocalRecords(any_store) if isinstance(any_store, Store) else any_store)
    return {
        "contacts": raw.query("SELECT count(*) FROM contacts")[0][0],
        "notes": raw.read("notes", "body"),
        "followups": raw.query("SELECT count(*) FROM followups WHERE status = 'open'")[0][0],
        "callbacks": raw.read("callbacks", "number", "WHERE status = 'open'"),
        "drafts": raw.query("SELECT count(*) FROM drafts")[0][0],
    }


def test_a_call_is_saved_whole_and_a_retry_changes_nothing(
    any_store: RecordStore, any_actor: str
) -> None:
    call = a_call()
    any_store.save_draft(call.contact_id, any_actor, call.payload())
    snap = snapshot(call, "en", ENDED)
    save_call(any_store, snap, any_actor)
    assert _state(any_store) == {
        "contacts": 1,
        "notes": [("Night shifts since March.",)],
        "followups": 1,
        "callbacks": [("+16135550142",)],
        "drafts": 0,
    }
    audited = RawSql(any_store).query("SELECT count(*) FROM audit")[0][0]
    save_call(any_store, snap, any_actor)  # the acknowledgement was lost: the same snapshot again
    assert RawSql(any_store).query("SELECT count(*) FROM audit")[0][0] == audited
    assert _state(any_store)["notes"] == [("Night shifts since March.",)]


def test_a_snapshot_does_not_change_when_the_call_does(
    any_store: RecordStore, any_actor: str
) -> None:
    call = a_call()
    snap = snapshot(call, "en", ENDED)
    call.notes = "typed after Save was pressed"
    call.topics.append("grief")
    save_call(any_store, snap, any_actor)
    assert RawSql(any_store).read("notes", "body") == [("Night shifts since March.",)]
    assert RawSql(any_store).read("contacts", "topics") == [('["burnout"]',)]


def test_a_resumed_half_saved_call_keeps_its_edits(any_store: RecordStore, any_actor: str) -> None:
    # What an earlier version left when it died between its separate transactions: the record
    # and the note saved, the draft still there.
    call = a_call()
    any_store.save_draft(call.contact_id, any_actor, call.payload())
    any_store.save_contact(call.record("en", ENDED), any_actor)
    any_store.add_note(derived_id(call.contact_id, "note"), call.contact_id, call.notes, any_actor)
    [(_id, payload)] = any_store.drafts(any_actor)
    resumed = Call.from_payload(payload)
    resumed.notes = "Night shifts since March. Called back: feeling better."
    resumed.followup_number = "+15145550199"
    save_call(any_store, snapshot(resumed, "en", ENDED), any_actor)
    state = _state(any_store)
    assert state["notes"] == [("Night shifts since March. Called back: feeling better.",)]
    assert state["callbacks"] == [("+15145550199",)]
    assert state["drafts"] == 0


def test_emptied_note_and_unticked_followup_are_not_kept(
    any_store: RecordStore, any_actor: str
) -> None:
    call = a_call()
    save_call(any_store, snapshot(call, "en", ENDED), any_actor)
    call.notes = ""
    call.followup = False
    save_call(any_store, snapshot(call, "en", ENDED), any_actor)
    state = _state(any_store)
    assert state["notes"] == []
    assert state["followups"] == 0
    assert state["callbacks"] == []


def _copy(source: Path, target: Path) -> None:
    """A store file and the head beside it, copied together (moved as an administrator would)."""
    target.parent.mkdir(exist_ok=True)
    shutil.copy(source, target)
    shutil.copy(head_path(source), head_path(target))


def _worker(path: Path, kill_at: int, actor: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tests.storage.kill_save_worker", str(path), str(kill_at), actor],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# One store only (the SQLCipher file): a process killed between writes to the file, then the
# file reopened (the server's equivalent, stopped mid-run: test_shared_store.py, test_outbox.py).
def test_killed_between_every_pair_of_writes_then_resumed_edited_and_saved(
    tmp_path: Path, store_path: Path, store: Store, actor: str
) -> None:
    call = a_call()
    save_draft(store, call.contact_id, actor, call.payload())
    store.close()
    pristine = tmp_path / "pristine.db"
    _copy(store_path, pristine)

    counting = tmp_path / "count" / "store.db"
    _copy(pristine, counting)
    done = _worker(counting, 0, actor)
    assert done.returncode == 0, done.stderr
    writes = int(done.stdout.split()[-1])
    assert writes >= 8  # contact, note, follow-up, callback, their audit rows, draft, commit

    for kill_at in range(1, writes + 1):
        case = tmp_path / f"kill-{kill_at}" / "store.db"
        _copy(pristine, case)
        killed = _worker(case, kill_at, actor)
        assert killed.returncode == -9, (kill_at, killed.stderr)
        reopened = open_store(case, PASSPHRASE)
        try:
            # Nothing of the save landed: the draft is there to resume.
            assert _state(reopened)["contacts"] == 0, kill_at
            [(_id, payload)] = drafts(reopened, actor)
            resumed = Call.from_payload(payload)
            resumed.notes = f"Edited after kill {kill_at}."
            save_call(reopened, snapshot(resumed, "en", ENDED), actor)
            assert _state(reopened) == {
                "contacts": 1,
                "notes": [(f"Edited after kill {kill_at}.",)],
                "followups": 1,
                "callbacks": [("+16135550142",)],
                "drafts": 0,
            }, kill_at
            with reopened.transaction() as conn:
                assert audit.verify(conn) == []
        finally:
            reopened.close()


def test_a_note_or_name_over_the_limit_is_refused_and_nothing_is_written(
    any_store: RecordStore, any_actor: str
) -> None:
    from intake.storage.errors import MAX_NAME_LENGTH, MAX_NOTE_LENGTH, NameTooLong, NoteTooLong

    call = a_call()
    any_store.save_draft(call.contact_id, any_actor, call.payload())
    call.notes = "n" * (MAX_NOTE_LENGTH + 1)
    with pytest.raises(NoteTooLong) as info:
        save_call(any_store, snapshot(call, "en", ENDED), any_actor)
    assert str(MAX_NOTE_LENGTH) in " ".join(info.value.explain())
    call.notes = "n" * MAX_NOTE_LENGTH  # the limit itself is allowed
    call.anonymous, call.caller_name = False, "N" * (MAX_NAME_LENGTH + 1)
    with pytest.raises(NameTooLong):
        save_call(any_store, snapshot(call, "en", ENDED), any_actor)
    assert _state(any_store)["contacts"] == 0
    assert _state(any_store)["drafts"] == 1  # the draft keeps everything
    call.caller_name = "Dr Élise Roy"
    save_call(any_store, snapshot(call, "en", ENDED), any_actor)
    assert len(_state(any_store)["notes"][0][0]) == MAX_NOTE_LENGTH  # type: ignore[index]
