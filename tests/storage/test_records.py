"""Contacts, notes and the rest through the real repository on a real encrypted store."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlcipher3

from intake.storage import audit
from intake.storage.account_store import check_pin, lock_duration
from intake.storage.db import Store, open_store
from intake.storage.errors import AccountLocked, ConsentRefused, NotAllowed, StoreBusy
from intake.storage.records import (
    add_callback,
    add_followup,
    add_note,
    delete_draft,
    drafts,
    get_contact,
    history_page,
    save_contact,
    save_draft,
    search_notes,
    set_hold,
)
from tests.conftest import PASSPHRASE, PIN
from tests.storage.helpers import contact


def audit_rows(store: Store) -> list[tuple[str, str | None, str | None, str]]:
    return [
        tuple(r)
        for r in store.query("SELECT action, actor, record, detail FROM audit ORDER BY seq")
    ]


def test_contact_round_trip_and_idempotent_saves(store: Store, actor: str) -> None:
    record = contact(caller_name="Dr A.", callback_number="+15145550199")
    before = len(audit_rows(store))
    assert save_contact(store, record, actor) == "created"
    assert save_contact(store, record, actor) == "unchanged"  # a retry after a lost ack
    assert save_contact(store, dataclasses.replace(record, outcome="referred"), actor) == "updated"
    loaded, notes = get_contact(store, record.id, actor)
    assert loaded == dataclasses.replace(record, outcome="referred")
    assert notes == []
    assert [r[0] for r in audit_rows(store)[before:]] == ["create", "edit", "open"]
    assert store.query("SELECT count(*) FROM contacts")[0][0] == 1


def test_notes_are_idempotent_and_searchable(store: Store, actor: str) -> None:
    record = contact()
    save_contact(store, record, actor)
    note_id = str(uuid.uuid4())
    assert (
        add_note(store, note_id, record.id, "Épuisée après trois gardes de nuit", actor)
        == "created"
    )
    assert (
        add_note(store, note_id, record.id, "Épuisée après trois gardes de nuit", actor)
        == "unchanged"
    )
    assert store.query("SELECT count(*) FROM notes")[0][0] == 1
    assert search_notes(store, "epuisee gardes") == [(record.id, note_id)]  # accents folded
    assert search_notes(store, 'gardes" OR "x') == []  # input is never query syntax
    assert search_notes(store, "   ") == []


def test_consent_is_binding(store: Store, actor: str) -> None:
    with pytest.raises(ConsentRefused):
        save_contact(store, contact(consent=False, caller_name="Dr B."), actor)
    with pytest.raises(ConsentRefused):
        save_contact(store, contact(consent=False, callback_number="+15145550199"), actor)
    coded = contact(consent=False)
    save_contact(store, coded, actor)
    with pytest.raises(ConsentRefused):
        add_note(store, str(uuid.uuid4()), coded.id, "free text", actor)
    with pytest.raises(ConsentRefused):
        add_callback(
            store,
            str(uuid.uuid4()),
            coded.id,
            number="+15145550199",
            best_time="evening",
            time_zone="America/Toronto",
            actor=actor,
        )
    with pytest.raises(ConsentRefused):
        save_draft(store, coded.id, actor, {"consent_notes": False, "notes": "typed"})
    # Even a direct write is refused by the database itself.
    with pytest.raises(sqlcipher3.IntegrityError), store.transaction() as conn:
        conn.execute("UPDATE contacts SET caller_name = 'x' WHERE id = ?", (coded.id,))


def test_withdrawing_consent_shreds_what_was_kept(store: Store, actor: str) -> None:
    record = contact(caller_name="Dr C.")
    save_contact(store, record, actor)
    add_note(store, str(uuid.uuid4()), record.id, "kept under consent", actor)
    add_callback(
        store,
        str(uuid.uuid4()),
        record.id,
        number="+15145550199",
        best_time="noon",
        time_zone="America/Toronto",
        actor=actor,
    )
    save_contact(store, dataclasses.replace(record, consent_notes=False, caller_name=None), actor)
    assert store.query("SELECT count(*) FROM notes")[0][0] == 0
    assert store.query("SELECT number FROM callbacks")[0][0] is None
    assert search_notes(store, "consent") == []


def test_history_keyset_paging(store: Store, actor: str) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    ids = []
    for index in range(7):
        record = contact(started_at=(start + timedelta(hours=index)).isoformat())
        save_contact(store, record, actor)
        ids.append(record.id)
    first = history_page(store, limit=3)
    second = history_page(store, first.next_key, limit=3)
    third = history_page(store, second.next_key, limit=3)
    seen = [r.id for page in (first, second, third) for r in page.rows]
    assert seen == list(reversed(ids))
    assert third.next_key is None


def test_drafts_autosave_and_resume(store: Store, actor: str) -> None:
    save_draft(store, "call-1", actor, {"consent_notes": True, "notes": "first words"})
    save_draft(store, "call-1", actor, {"consent_notes": True, "notes": "first words, more"})
    assert drafts(store, actor) == [
        ("call-1", {"consent_notes": True, "notes": "first words, more"})
    ]
    delete_draft(store, "call-1")
    assert drafts(store, actor) == []


def test_followups_and_holds(store: Store, actor: str) -> None:
    record = contact()
    save_contact(store, record, actor)
    assert add_followup(store, "f-1", record.id, "2026-11-29T10:00:00-05:00", actor) == "created"
    assert add_followup(store, "f-1", record.id, "2026-11-29T10:00:00-05:00", actor) == "unchanged"
    set_hold(store, record.id, True, actor)
    assert store.query("SELECT on_hold FROM contacts")[0][0] == 1
    with pytest.raises(NotAllowed):
        set_hold(store, record.id, False, "not-a-supervisor")


def test_each_audited_action_gives_exactly_one_row(store: Store, actor: str) -> None:
    record = contact()
    steps = [
        ("create", lambda: save_contact(store, record, actor)),
        (
            "edit",
            lambda: save_contact(store, dataclasses.replace(record, outcome="declined"), actor),
        ),
        ("open", lambda: get_contact(store, record.id, actor)),
        ("create", lambda: add_note(store, "n-1", record.id, "text", actor)),
        ("hold", lambda: set_hold(store, record.id, True, actor)),
        ("release", lambda: set_hold(store, record.id, False, actor)),
        ("sign-in", lambda: check_pin(store, actor, PIN)),
        ("failed-sign-in", lambda: check_pin(store, actor, "000000")),
    ]
    for action, step in steps:
        before = len(audit_rows(store))
        step()
        rows = audit_rows(store)[before:]
        assert [r[0] for r in rows] == [action]
        assert rows[0][1] == actor
    with store.transaction() as conn:
        assert audit.verify(conn) == []


def test_audit_never_holds_content(store: Store, actor: str) -> None:
    record = contact(caller_name="Dr Sentinel Name")
    save_contact(store, record, actor)
    add_note(store, "n-2", record.id, "SENTINEL-NOTE-TEXT", actor)
    dump = repr(store.query("SELECT * FROM audit"))
    assert "SENTINEL" not in dump
    assert "Sentinel" not in dump


@pytest.mark.parametrize("tamper", ["edit", "delete", "reorder", "drop-last"])
def test_audit_tampering_is_detected(store: Store, actor: str, tamper: str) -> None:
    for index in range(4):
        save_contact(
            store,
            contact(outcome=("referred", "declined", "information", "callback")[index]),
            actor,
        )
    with store.transaction() as conn:
        with pytest.raises(sqlcipher3.IntegrityError, match="append-only"):
            conn.execute("UPDATE audit SET actor = 'someone' WHERE seq = 2")
        with pytest.raises(sqlcipher3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM audit WHERE seq = 2")
        # Someone with the key can drop the triggers; the chain still tells.
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("DROP TRIGGER audit_no_delete")
        last = conn.execute("SELECT max(seq) FROM audit").fetchone()[0]
        if tamper == "edit":
            conn.execute("UPDATE audit SET action = 'open' WHERE seq = 2")
        elif tamper == "delete":
            conn.execute("DELETE FROM audit WHERE seq = 2")
        elif tamper == "reorder":
            a, b = (
                conn.execute(
                    "SELECT at, actor, action, record, detail, prev_hash, hash FROM audit WHERE seq = ?",
                    (s,),
                ).fetchone()
                for s in (2, 3)
            )
            conn.execute(
                "UPDATE audit SET at=?, actor=?, action=?, record=?, detail=?, prev_hash=?, hash=? WHERE seq = 2",
                b,
            )
            conn.execute(
                "UPDATE audit SET at=?, actor=?, action=?, record=?, detail=?, prev_hash=?, hash=? WHERE seq = 3",
                a,
            )
        else:
            conn.execute("DELETE FROM audit WHERE seq = ?", (last,))
        assert audit.verify(conn) != []


def test_pin_lockout_slows_repeated_failures(store: Store, actor: str) -> None:
    now = datetime(2026, 11, 22, 3, tzinfo=UTC)
    for _attempt in range(5):
        assert check_pin(store, actor, "111111", now) is None
    with pytest.raises(AccountLocked):
        check_pin(store, actor, PIN, now + timedelta(seconds=30))  # even the right PIN waits
    assert check_pin(store, actor, PIN, now + timedelta(seconds=61)) is not None
    assert lock_duration(4) is None
    assert lock_duration(5) == timedelta(seconds=60)
    assert lock_duration(7) == timedelta(seconds=240)
    assert lock_duration(40) == timedelta(minutes=15)
    failures = [r for r in audit_rows(store) if r[0] == "failed-sign-in"]
    assert len(failures) == 6
    assert all(PIN not in r[3] and "111111" not in r[3] for r in failures)


def test_a_second_instance_gets_a_clear_message(store: Store, store_path: Path) -> None:
    with pytest.raises(StoreBusy) as info:
        open_store(store_path, PASSPHRASE)
    title, _advice = info.value.explain()
    assert "in use" in title
    store.close()
    open_store(store_path, PASSPHRASE).close()  # free again once the first one closes


def test_history_filters_and_follow_ups_due(store: Store, actor: str) -> None:
    from intake.storage.account_store import insert_account
    from intake.storage.records import HistoryFilter, followups_due

    with store.transaction() as conn:
        other = insert_account(conn, "Volunteer B", "volunteer", "x")
    for index, (province, outcome, owner) in enumerate(
        [("QC", "referred", actor), ("ON", "referred", other), ("QC", "declined", other)]
    ):
        save_contact(
            store,
            contact(
                id=f"c{index}",
                started_at=f"2026-11-2{index}T10:00:00+00:00",
                province=province,
                outcome=outcome,
            ),
            owner,
        )

    def ids(filters: HistoryFilter) -> list[str]:
        return [row.id for row in history_page(store, filters=filters).rows]

    assert ids(HistoryFilter()) == ["c2", "c1", "c0"]
    assert ids(HistoryFilter(created_by=other)) == ["c2", "c1"]  # a volunteer sees their own
    assert ids(HistoryFilter(province="QC")) == ["c2", "c0"]
    assert ids(HistoryFilter(outcome="referred", province="QC")) == ["c0"]
    assert ids(HistoryFilter(since="2026-11-21T00:00:00+00:00")) == ["c2", "c1"]
    assert ids(HistoryFilter(contact_ids=("c0", "c2"))) == ["c2", "c0"]
    assert ids(HistoryFilter(contact_ids=())) == []
    add_followup(store, "f1", "c1", "2026-11-25T15:00:00+00:00", other)
    add_followup(store, "f2", "c2", "2026-12-25T15:00:00+00:00", other)
    due = followups_due(store, "2026-11-30T00:00:00+00:00")
    assert [(f.id, f.contact_id, f.province) for f in due] == [("f1", "c1", "ON")]
    assert followups_due(store, "2026-11-30T00:00:00+00:00", created_by=actor) == []
    assert ids(HistoryFilter(followup_due_by="2026-11-30T00:00:00+00:00")) == ["c1"]


def test_note_search_can_be_limited_to_ones_own_contacts(store: Store, actor: str) -> None:
    from intake.storage.account_store import insert_account

    with store.transaction() as conn:
        other = insert_account(conn, "Volunteer B", "volunteer", "x")
    save_contact(store, contact(id="mine"), actor)
    save_contact(store, contact(id="theirs"), other)
    add_note(store, "n1", "mine", "overnight shifts", actor)
    add_note(store, "n2", "theirs", "overnight shifts", other)
    assert {c for c, _n in search_notes(store, "overnight")} == {"mine", "theirs"}
    assert search_notes(store, "overnight", created_by=actor) == [("mine", "n1")]


def test_completing_a_follow_up_once(store: Store, actor: str) -> None:
    from intake.storage.records import complete_followup, open_followups

    save_contact(store, contact(id="c1"), actor)
    add_followup(store, "f1", "c1", "2026-11-25T15:00:00+00:00", actor)
    assert [f.id for f in open_followups(store, "c1")] == ["f1"]
    assert complete_followup(store, "f1", actor) is True
    assert complete_followup(store, "f1", actor) is False  # someone else already did it
    assert open_followups(store, "c1") == []
