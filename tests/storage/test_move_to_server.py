# Both stores in every test: each moves a station's SQLCipher file into the shared server.
"""Moving a single station's file into the shared store: everything arrives with its ids, times
and authors, reads back the same through the interface, the file is not changed, and a second
run adds nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from intake.call import Call
from intake.pins import hash_pin
from intake.services.calls import save_call, snapshot
from intake.storage.errors import AccountDisabled
from intake.storage.local import LocalRecords
from intake.storage.pg.move import move_file_to_server
from intake.storage.pg.store import create_shared_store, open_shared_store
from tests.conftest import PASSPHRASE, PIN, make_store
from tests.storage.test_db_cli import GOOD, db
from tests.storage.test_store_contract import _call

LINE = "the line passphrase, long enough"


def _fill(file: LocalRecords) -> tuple[str, list[Call]]:
    actor = file.list_accounts()[0].id
    volunteer = file.add_account("Bénévole Anne", "volunteer", hash_pin("739105"))
    calls = [_call() for _ in range(3)]
    calls[1].followup = False
    for index, call in enumerate(calls):
        save_call(
            file, snapshot(call, "fr", "2026-11-22T04:00:00-05:00"), [actor, volunteer][index % 2]
        )
    file.save_draft("in-progress", volunteer, {"consent_notes": True, "notes": "à moitié"})
    file.set_hold(calls[0].contact_id, True, actor)
    from datetime import date

    from intake.storage.feedback import save_feedback, save_survey

    day = date(2026, 11, 22)
    save_feedback(file, "f1", day=day, channel="kiosk", language="fr", rating=4, found=True)
    save_survey(file, "s1", day=day, channel="closure", language="fr", helpful=5, recommend=None)
    return actor, calls


def test_a_station_file_moves_whole_and_twice_adds_nothing(store_path: Path, pg_dsn: str) -> None:
    file = LocalRecords(make_store(store_path))
    actor, calls = _fill(file)
    before = hashlib.sha256(store_path.read_bytes()).hexdigest()
    shared = create_shared_store(pg_dsn, LINE)
    try:
        added = move_file_to_server(file.store, shared, None)
        assert added == {
            "accounts": 2,
            "contacts": 3,
            "notes": 3,
            "callbacks": 2,
            "followups": 2,
            "drafts": 1,
            "work_items": 2,
            "work_attempts": 0,
            "feedback": 1,
            "survey": 1,
            "peers": 0,
            "match_requests": 0,
            "matches": 0,
        }
        assert hashlib.sha256(store_path.read_bytes()).hexdigest() == before
        assert shared.history_page() == file.history_page()
        for call in calls:
            assert shared.get_contact(call.contact_id, actor) == file.get_contact(
                call.contact_id, actor
            )
        assert shared.search_notes("epuisee") == file.search_notes("epuisee")
        assert shared.drafts(file.list_accounts()[0].id) == file.drafts(file.list_accounts()[0].id)
        assert shared.on_hold(calls[0].contact_id) is True
        from intake.storage.feedback import feedback_summary, survey_summary

        assert feedback_summary(shared) == feedback_summary(file)
        assert survey_summary(shared) == survey_summary(file)
        assert [a.display_name for a in shared.list_accounts()] == [
            a.display_name for a in file.list_accounts()
        ]
        assert shared.check_pin(actor, PIN) is not None  # the same PIN signs in
        assert move_file_to_server(file.store, shared, None) == dict.fromkeys(added, 0)
        assert shared.verify_audit() == []
        moves = [r[3] for r in shared.audit_trail() if r[0] == "restore"]
        assert len(moves) == 2
        assert moves[0].startswith("moved from a station file: accounts=2 contacts=3")
    finally:
        shared.close()
        file.close()


def test_move_to_server_from_the_command_line(store_path: Path, pg_dsn: str) -> None:
    file = LocalRecords(make_store(store_path))
    _fill(file)
    file.close()
    create_shared_store(pg_dsn, LINE).close()
    done = db(
        "move-to-server",
        "--store",
        str(store_path),
        "--server",
        pg_dsn,
        stdin=f"{PASSPHRASE}\n{LINE}\n",
    )
    assert done.returncode == 0, done.stderr
    assert "3 contacts, 3 notes" in done.stdout
    shared = open_shared_store(pg_dsn, LINE)
    try:
        assert shared.counts()["contacts"] == 3
    finally:
        shared.close()
    wrong = db(
        "move-to-server",
        "--store",
        str(store_path),
        "--server",
        pg_dsn,
        stdin=f"{PASSPHRASE}\nnot the line passphrase\n",
    )
    assert wrong.returncode == 1
    assert "passphrase does not open" in wrong.stderr
    missing = db("move-to-server", "--store", str(store_path), stdin=f"{GOOD}\n")
    assert missing.returncode == 2
    assert "--server" in missing.stderr


def test_an_account_disabled_on_the_station_cannot_sign_in_on_the_server(
    store_path: Path, pg_dsn: str
) -> None:
    """A reviewer's finding: the move copied a disabled account as a live one (the shared store
    has no "disabled"), so a departed volunteer could sign in again with the old PIN."""
    from intake.services.accounts import set_disabled

    file = LocalRecords(make_store(store_path))
    actor, _calls = _fill(file)
    gone = file.add_account("Bénévole partie", "volunteer", hash_pin("581403"))
    set_disabled(file.store, actor, gone, True)
    shared = create_shared_store(pg_dsn, LINE)
    try:
        move_file_to_server(file.store, shared, None)
        assert gone not in [a.id for a in shared.list_accounts()]
        with pytest.raises(AccountDisabled):  # moved disabled, as the console disables one
            shared.check_pin(gone, "581403")
        assert shared.check_pin(actor, PIN) is not None
        from intake.services import accounts as console

        console.set_disabled(shared, actor, gone, False)  # enabled on the server: the old PIN
        assert shared.check_pin(gone, "581403") is not None
    finally:
        shared.close()
        file.close()


def test_the_worklist_moves_as_the_file_has_it_and_twice_adds_nothing(
    store_path: Path, pg_dsn: str
) -> None:
    """Claims, attempts, closed items and a kiosk request with a follow-up booked later (two
    items for one person) arrive as they are; running the move again changes nothing, even
    after the server's copy was worked on."""
    from datetime import UTC, datetime, timedelta

    from intake.services import worklist
    from tests.storage.test_worklist_contract import kiosk_request

    file = LocalRecords(make_store(store_path))
    actor, _calls = _fill(file)
    volunteer = next(a.id for a in file.list_accounts() if a.id != actor)
    request = kiosk_request(file, messages_ok=True)
    contact_id = worklist.get_item(file, request).contact_id  # type: ignore[union-attr]
    later = "9c1d7d52-0000-4000-8000-000000000001"
    with file.writing() as w:
        w.put_followup(
            later, contact_id, (datetime.now(UTC) + timedelta(days=2)).isoformat(), actor
        )
    worklist.claim(file, request, volunteer)
    worklist.record_attempt(file, request, volunteer, "message-left")
    done = worklist.open_items(file)[-1].id
    worklist.claim(file, done, actor)
    worklist.close(file, done, actor, "referred")
    shared = create_shared_store(pg_dsn, LINE)
    try:
        added = move_file_to_server(file.store, shared, None)
        assert (added["work_items"], added["work_attempts"]) == (4, 1)

        def state(store: object) -> list[tuple[object, ...]]:
            return [
                (i.id, i.kind, i.due_at, i.claimed_by, i.attempts, i.has_number, i.messages_ok)
                for i in worklist.open_items(store)  # type: ignore[arg-type]
            ]

        assert state(shared) == state(file)
        assert worklist.attempts(shared, request) == worklist.attempts(file, request)
        assert worklist.get_item(shared, done).claimed_by == actor  # type: ignore[union-attr]
        assert worklist.open_count(shared) == worklist.open_count(file) == 3
        worklist.record_attempt(shared, request, volunteer, "no-answer")  # worked on the server
        again = move_file_to_server(file.store, shared, None)
        assert again == dict.fromkeys(added, 0)
        assert [r for _at, r in worklist.attempts(shared, request)] == [
            "message-left",
            "no-answer",
        ]
        assert shared.verify_audit() == []
    finally:
        shared.close()
        file.close()
