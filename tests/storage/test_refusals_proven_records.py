"""The audit chain, retention and the record rules, proven from the refusing side
(docs/mutation.md): each test fails when mutation testing changes the line that refuses or
reports (a chain hashed some other way than documented, a problem reported without saying what,
a one-day retention refused, a draft kept past retention, a hold on a record that is not there)."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from intake.accounts import Role
from intake.i18n import Language, set_language
from intake.i18n import _ as tr
from intake.pins import hash_pin
from intake.services import worklist
from intake.storage import audit
from intake.storage.account_store import insert_account, record_event
from intake.storage.db import Store
from intake.storage.errors import ConsentRefused, FollowupHeld, NameTooLong, NoteTooLong
from intake.storage.records import (
    MAX_NAME_LENGTH,
    MAX_NOTE_LENGTH,
    RecordMissing,
    add_followup,
    add_note,
    complete_followup,
    drafts,
    save_contact,
    save_draft,
    set_hold,
)
from intake.storage.retention import DEFAULT_DAYS, purge, retention_days, set_retention_days
from tests.storage.helpers import contact

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def _rows(store: Store) -> list[tuple[object, ...]]:
    return store.query(
        "SELECT prev_hash, seq, at, actor, action, record, detail, hash FROM audit ORDER BY seq"
    )


def _untriggered(store: Store) -> None:
    with store.transaction() as conn:
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("DROP TRIGGER audit_no_delete")


# -- the audit chain ------------------------------------------------------------------------


def test_each_row_is_the_documented_hmac_of_its_fields_under_the_stores_key(
    store: Store, actor: str
) -> None:
    """What an auditor holding the key recomputes by hand (docs/storage.md): HMAC-SHA256 over
    the previous hash, seq, time, actor, action, record and detail joined by U+001F, None as
    empty; the first row follows 64 zeros."""
    record_event(store, actor, "lock")
    key = bytes.fromhex(store.query("SELECT value FROM meta WHERE key = 'audit_key'")[0][0])
    keyed_from = int(store.query("SELECT value FROM meta WHERE key = 'audit_keyed_from'")[0][0])
    rows = _rows(store)
    assert rows[0][0] == "0" * 64
    for row in rows:
        text = "\x1f".join("" if v is None else str(v) for v in row[:7])
        assert isinstance(row[1], int)
        if row[1] >= keyed_from:
            assert row[7] == hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
        else:
            assert row[7] == hashlib.sha256(text.encode()).hexdigest()
    assert [r[1] for r in rows] == list(range(1, len(rows) + 1))
    assert all(rows[i][0] == rows[i - 1][7] for i in range(1, len(rows)))
    assert rows[-1][3:7] == (actor, "lock", actor, "")
    assert datetime.fromisoformat(str(rows[-1][2])).utcoffset() == timedelta(0)  # UTC, always


def test_an_unknown_audit_action_is_refused_and_nothing_is_written(
    store: Store, actor: str
) -> None:
    before = _rows(store)
    refused = pytest.raises(ValueError, match="unknown audit action 'frobnicate'")
    with refused, store.transaction() as conn:
        audit.append(conn, actor, "frobnicate", None)
    assert _rows(store) == before


def test_each_kind_of_tampering_is_named_with_its_row(store: Store, actor: str) -> None:
    for _ in range(7):
        record_event(store, actor, "lock")
    last = len(_rows(store))
    assert last >= 7
    _untriggered(store)
    with store.transaction() as conn:
        conn.execute("UPDATE audit SET detail = 'x' WHERE seq = 2")
        conn.execute("DELETE FROM audit WHERE seq = 4")
        conn.execute("DELETE FROM audit WHERE seq = ?", (last,))
        problems = audit.verify(conn)
    assert problems == [
        audit.AuditProblem(2, "was changed after it was written"),  # row 3 still follows it
        audit.AuditProblem(5, "rows 4 to 4 are missing"),
        audit.AuditProblem(5, "does not follow the previous row"),
        audit.AuditProblem(last, "the last rows were removed"),
    ]


def test_an_intact_chain_reports_nothing_and_the_next_row_follows_a_removed_tail(
    store: Store, actor: str
) -> None:
    for _ in range(3):
        record_event(store, actor, "lock")
    with store.transaction() as conn:
        assert audit.verify(conn) == []
    last = len(_rows(store))
    _untriggered(store)
    with store.transaction() as conn:
        conn.execute("DELETE FROM audit WHERE seq = ?", (last,))
    record_event(store, actor, "unlock")  # numbered after the removed row, never reusing it
    assert [r[1] for r in _rows(store)][-2:] == [last - 1, last + 1]
    with store.transaction() as conn:
        assert audit.AuditProblem(last + 1, f"rows {last} to {last} are missing") in audit.verify(
            conn
        )


# -- retention ------------------------------------------------------------------------------


def test_retention_is_a_year_until_changed_and_never_less_than_a_day(
    store: Store, actor: str
) -> None:
    assert retention_days(store) == DEFAULT_DAYS == 365
    for days in (0, -5):
        with pytest.raises(ValueError, match="at least one day"):
            set_retention_days(store, days, actor)
    assert retention_days(store) == 365
    set_retention_days(store, 1, actor)  # the shortest allowed
    assert retention_days(store) == 1
    set_retention_days(store, 30, actor)
    assert retention_days(store) == 30
    edits = store.query("SELECT actor, record, detail FROM audit WHERE action = 'edit'")
    assert edits[-2:] == [(actor, "retention_days", "days=1"), (actor, "retention_days", "days=30")]


def test_a_purge_needs_a_time_with_its_zone(store: Store, actor: str) -> None:
    with pytest.raises(ValueError, match="time zone"):
        purge(store, datetime(2026, 11, 22, 12), actor)
    assert store.query("SELECT count(*) FROM purge_reports")[0][0] == 0


def test_a_purge_shreds_only_what_is_older_than_the_cutoff_and_not_held(
    store: Store, actor: str
) -> None:
    set_retention_days(store, 30, actor)
    cutoff = NOW - timedelta(days=30)
    old = contact(started_at=(cutoff - timedelta(seconds=1)).isoformat(), caller_name="Dr Old")
    edge = contact(started_at=cutoff.isoformat(), caller_name="Dr Edge")  # exactly at: kept
    held = contact(started_at=(cutoff - timedelta(days=9)).isoformat(), caller_name="Dr Held")
    for record in (old, edge, held):
        save_contact(store, record, actor)
        add_note(store, str(uuid.uuid4()), record.id, "kept under consent", actor)
    set_hold(store, held.id, True, actor)
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO drafts (id, account_id, updated_at, payload) VALUES "
            "('stale', ?, ?, '{}'), ('fresh', ?, ?, '{}')",
            (actor, (cutoff - timedelta(days=1)).isoformat(), actor, NOW.isoformat()),
        )
    report = purge(store, NOW, actor)
    assert report.cutoff == cutoff.isoformat()
    assert (report.contacts_shredded, report.notes_deleted, report.drafts_deleted) == (1, 1, 1)
    assert (report.held_skipped, report.dry_run) == (1, False)
    names = dict(store.query("SELECT id, caller_name FROM contacts"))
    assert names == {old.id: None, edge.id: "Dr Edge", held.id: "Dr Held"}
    assert [d for d, _ in drafts(store, actor)] == ["fresh"]
    shredded = store.query("SELECT shredded_at FROM contacts WHERE id = ?", (old.id,))
    assert shredded == [(NOW.isoformat(),)]
    kept = store.query(
        "SELECT actor, cutoff, dry_run, contacts_shredded, notes_deleted, callbacks_deleted, "
        "drafts_deleted, held_skipped FROM purge_reports"
    )
    assert kept == [(actor, cutoff.isoformat(), 0, 1, 1, 0, 1, 1)]
    assert store.query("SELECT actor, record FROM audit WHERE action = 'purge'") == [(actor, None)]


def test_a_dry_run_purge_changes_nothing_but_its_report(store: Store, actor: str) -> None:
    set_retention_days(store, 30, actor)
    old = contact(started_at="2020-01-01T00:00:00+00:00", caller_name="Dr Old")
    save_contact(store, old, actor)
    save_draft(store, "d", actor, {"consent_notes": True, "notes": "x"})
    with store.transaction() as conn:
        conn.execute("UPDATE drafts SET updated_at = '2020-01-01T00:00:00+00:00'")
    report = purge(store, NOW, actor, dry_run=True)
    assert (report.contacts_shredded, report.drafts_deleted, report.dry_run) == (1, 1, True)
    assert store.query("SELECT caller_name, shredded_at FROM contacts") == [("Dr Old", None)]
    assert len(drafts(store, actor)) == 1
    assert store.query("SELECT dry_run FROM purge_reports") == [(1,)]


# -- records --------------------------------------------------------------------------------


def test_a_hold_on_a_record_that_is_not_there_is_refused_and_not_audited(
    store: Store, actor: str
) -> None:
    before = len(_rows(store))
    with pytest.raises(RecordMissing):
        set_hold(store, "no-such-contact", True, actor)
    assert len(_rows(store)) == before


def test_a_name_or_note_at_its_limit_is_kept_and_one_character_more_is_refused(
    store: Store, actor: str
) -> None:
    save_contact(store, contact(caller_name="N" * MAX_NAME_LENGTH), actor)
    with pytest.raises(NameTooLong):
        save_contact(store, contact(caller_name="N" * (MAX_NAME_LENGTH + 1)), actor)
    record = contact()
    save_contact(store, record, actor)
    add_note(store, "at-limit", record.id, "n" * MAX_NOTE_LENGTH, actor)
    with pytest.raises(NoteTooLong):
        add_note(store, "over", record.id, "n" * (MAX_NOTE_LENGTH + 1), actor)
    assert [r[0] for r in store.query("SELECT id FROM notes")] == ["at-limit"]


def test_a_note_over_its_limit_is_refused_saying_its_length_and_the_limit(
    store: Store, actor: str, lang: Language
) -> None:
    """What the person reads: how long the note is and how long it may be, in their language."""
    record = contact()
    save_contact(store, record, actor)
    length = MAX_NOTE_LENGTH + 7
    with pytest.raises(NoteTooLong) as info:
        add_note(store, "over", record.id, "n" * length, actor)
    set_language(lang)
    title, advice = info.value.explain()
    assert title == tr("The note is too long to save")
    assert advice == tr(
        "A note can have at most {limit} characters; this one has {length}. Shorten it, then "
        "save again. Nothing was lost."
    ).format(limit=MAX_NOTE_LENGTH, length=length)
    assert str(length) in advice
    assert (advice.startswith("A note")) == (lang == "en")
    assert store.query("SELECT count(*) FROM notes") == [(0,)]


def test_without_consent_even_a_lone_callback_number_is_refused(store: Store, actor: str) -> None:
    with pytest.raises(ConsentRefused):
        save_contact(store, contact(consent=False, callback_number="+15145550199"), actor)
    with pytest.raises(ConsentRefused):
        save_contact(store, contact(consent=False, caller_name="Dr B."), actor)
    assert store.query("SELECT count(*) FROM contacts")[0][0] == 0


def test_a_follow_up_someone_is_calling_about_cannot_be_closed_by_another(
    store: Store, actor: str
) -> None:
    with store.transaction() as conn:
        caller = insert_account(conn, "Val Volunteer", Role.VOLUNTEER.value, hash_pin("902714"))
    record = contact()
    save_contact(store, record, actor)
    add_followup(store, "f-1", record.id, "2026-11-25T15:00:00+00:00", actor)
    worklist.claim(store, "f-1", caller)
    before = len(_rows(store))
    with pytest.raises(FollowupHeld):
        complete_followup(store, "f-1", actor)
    assert store.query("SELECT status FROM followups") == [("open",)]
    assert len(_rows(store)) == before  # refused: nothing audited
    assert complete_followup(store, "f-1", caller) is True  # the one calling may
    assert _rows(store)[-1][3:7] == (caller, "edit", "f-1", "followup done")


def test_a_hold_and_its_release_are_audited_against_the_record(store: Store, actor: str) -> None:
    """A legal hold keeps a record past retention: the log must say which one, and who."""
    record = contact()
    save_contact(store, record, actor)
    set_hold(store, record.id, True, actor)
    set_hold(store, record.id, False, actor)
    assert [r[3:7] for r in _rows(store)[-2:]] == [
        (actor, "hold", record.id, "contact"),
        (actor, "release", record.id, "contact"),
    ]


def test_a_row_with_empty_fields_is_hashed_with_them_empty(store: Store) -> None:
    """A purge or a first start is audited without an actor or a record: those fields are
    hashed as empty text, as documented, not as the word "None"."""
    with store.transaction() as conn:
        audit.append(conn, None, "init", None)
    key = bytes.fromhex(store.query("SELECT value FROM meta WHERE key = 'audit_key'")[0][0])
    row = _rows(store)[-1]
    assert row[3:7] == (None, "init", None, "")
    text = "\x1f".join([str(row[0]), str(row[1]), str(row[2]), "", "init", "", ""])
    assert row[7] == hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def test_rows_written_before_the_store_had_a_key_are_checked_as_plain_sha256() -> None:
    key = bytes(range(32))
    keys = audit.ChainKey(key, 5)
    assert (keys.for_seq(4), keys.for_seq(5), keys.for_seq(6)) == (None, key, key)
    assert audit.ChainKey(None, 0).for_seq(9) is None  # a store from before version 5
    row = ("0" * 64, 1, "2026-11-22T12:00:00+00:00", None, "init", None, "")
    text = "\x1f".join(["0" * 64, "1", "2026-11-22T12:00:00+00:00", "", "init", "", ""])
    assert audit._digest(row) == hashlib.sha256(text.encode()).hexdigest()
    assert audit._digest(row, key) == hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def test_the_chain_key_and_where_it_starts_are_read_from_the_store(store: Store) -> None:
    """A store upgraded from before version 5 has plain rows, then keyed ones from
    `audit_keyed_from`; a store with no key at all is checked as plain SHA-256."""
    with store.transaction() as conn:
        key = bytes.fromhex(
            conn.execute("SELECT value FROM meta WHERE key = 'audit_key'").fetchone()[0]
        )
        conn.execute("UPDATE meta SET value = '7' WHERE key = 'audit_keyed_from'")
        assert audit.chain_key(conn) == audit.ChainKey(key, 7)
        conn.execute("DELETE FROM meta WHERE key = 'audit_keyed_from'")
        assert audit.chain_key(conn) == audit.ChainKey(key, 1)
        conn.execute("DELETE FROM meta WHERE key = 'audit_key'")
        assert audit.chain_key(conn) == audit.ChainKey(None, 0)
