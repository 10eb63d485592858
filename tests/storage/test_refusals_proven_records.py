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
from intake.storage.db import Store
from intake.storage.errors import ConsentRefused, FollowupHeld, NameTooLong, NoteTooLong
from intake.storage.interface import RecordStore
from intake.storage.records import MAX_NAME_LENGTH, MAX_NOTE_LENGTH, RecordMissing
from intake.storage.retention import DEFAULT_DAYS
from tests.storage.helpers import RawSql, contact, purge, retention_days, set_retention_days

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def _rows(any_store: RecordStore) -> list[tuple[object, ...]]:
    return [
        tuple(row)
        for row in RawSql(any_store).query(
            "SELECT prev_hash, seq, at, actor, action, record, detail, hash FROM audit ORDER BY seq"
        )
    ]


def _untriggered(any_store: RecordStore) -> None:
    raw = RawSql(any_store)
    with raw.transaction() as run:
        raw.drop_audit_guards(run)


# -- the audit chain ------------------------------------------------------------------------


def test_each_row_is_the_documented_hmac_of_its_fields_under_the_stores_key(
    any_store: RecordStore, any_actor: str
) -> None:
    """What an auditor holding the key recomputes by hand (docs/storage.md): HMAC-SHA256 over
    the previous hash, seq, time, actor, action, record and detail joined by U+001F, None as
    empty; the first row follows 64 zeros."""
    any_store.record_event(any_actor, "lock")
    raw = RawSql(any_store)
    rows = _rows(any_store)
    assert rows[0][0] == "0" * 64
    with raw.transaction() as run:
        keys = [raw.audit_key(run, row[1]) for row in rows]
    assert keys[-1] is not None  # the store's own key (the file's, or the line's on the server)
    for row, key in zip(rows, keys, strict=True):
        text = "\x1f".join("" if v is None else str(v) for v in row[:7])
        assert isinstance(row[1], int)
        if key is not None:
            assert row[7] == hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
        else:
            assert row[7] == hashlib.sha256(text.encode()).hexdigest()
    assert [r[1] for r in rows] == list(range(1, len(rows) + 1))
    assert all(rows[i][0] == rows[i - 1][7] for i in range(1, len(rows)))
    assert rows[-1][3:7] == (any_actor, "lock", any_actor, "")
    assert datetime.fromisoformat(str(rows[-1][2])).utcoffset() == timedelta(0)  # UTC, always


def test_an_unknown_audit_action_is_refused_and_nothing_is_written(
    any_store: RecordStore, any_actor: str
) -> None:
    before = _rows(any_store)
    refused = pytest.raises(ValueError, match="unknown audit action 'frobnicate'")
    with refused:
        RawSql(any_store).append_audit(any_actor, "frobnicate", None)
    assert _rows(any_store) == before


def test_each_kind_of_tampering_is_named_with_its_row(
    any_store: RecordStore, any_actor: str
) -> None:
    for _ in range(7):
        any_store.record_event(any_actor, "lock")
    last = len(_rows(any_store))
    assert last >= 7
    _untriggered(any_store)
    with RawSql(any_store).transaction() as run:
        run("UPDATE audit SET detail = 'x' WHERE seq = 2")
        run("DELETE FROM audit WHERE seq = 4")
        run("DELETE FROM audit WHERE seq = ?", (last,))
    problems = any_store.verify_audit()
    assert problems == [
        audit.AuditProblem(2, "was changed after it was written"),  # row 3 still follows it
        audit.AuditProblem(5, "rows 4 to 4 are missing"),
        audit.AuditProblem(5, "does not follow the previous row"),
        audit.AuditProblem(last, "the last rows were removed"),
    ]


def test_an_intact_chain_reports_nothing_and_the_next_row_follows_a_removed_tail(
    any_store: RecordStore, any_actor: str
) -> None:
    for _ in range(3):
        any_store.record_event(any_actor, "lock")
    assert any_store.verify_audit() == []
    last = len(_rows(any_store))
    _untriggered(any_store)
    RawSql(any_store).query("DELETE FROM audit WHERE seq = ?", (last,))
    any_store.record_event(any_actor, "unlock")  # numbered after the removed row, never reusing it
    assert [r[1] for r in _rows(any_store)][-2:] == [last - 1, last + 1]
    missing = audit.AuditProblem(last + 1, f"rows {last} to {last} are missing")
    assert missing in any_store.verify_audit()


# -- retention ------------------------------------------------------------------------------


def test_retention_is_a_year_until_changed_and_never_less_than_a_day(
    any_store: RecordStore, any_actor: str
) -> None:
    assert retention_days(any_store) == DEFAULT_DAYS == 365
    for days in (0, -5):
        with pytest.raises(ValueError, match="at least one day"):
            set_retention_days(any_store, days, any_actor)
    assert retention_days(any_store) == 365
    set_retention_days(any_store, 1, any_actor)  # the shortest allowed
    assert retention_days(any_store) == 1
    set_retention_days(any_store, 30, any_actor)
    assert retention_days(any_store) == 30
    edits = [
        tuple(r)
        for r in RawSql(any_store).query(
            "SELECT actor, record, detail FROM audit WHERE action = 'edit'"
        )
    ]
    assert edits[-2:] == [
        (any_actor, "retention_days", "days=1"),
        (any_actor, "retention_days", "days=30"),
    ]


def test_a_purge_needs_a_time_with_its_zone(any_store: RecordStore, any_actor: str) -> None:
    with pytest.raises(ValueError, match="time zone"):
        purge(any_store, datetime(2026, 11, 22, 12), any_actor)
    assert RawSql(any_store).query("SELECT count(*) FROM purge_reports")[0][0] == 0


def test_a_purge_shreds_only_what_is_older_than_the_cutoff_and_not_held(
    any_store: RecordStore, any_actor: str
) -> None:
    set_retention_days(any_store, 30, any_actor)
    cutoff = NOW - timedelta(days=30)
    old = contact(started_at=(cutoff - timedelta(seconds=1)).isoformat(), caller_name="Dr Old")
    edge = contact(started_at=cutoff.isoformat(), caller_name="Dr Edge")  # exactly at: kept
    held = contact(started_at=(cutoff - timedelta(days=9)).isoformat(), caller_name="Dr Held")
    for record in (old, edge, held):
        any_store.save_contact(record, any_actor)
        any_store.add_note(str(uuid.uuid4()), record.id, "kept under consent", any_actor)
    any_store.set_hold(held.id, True, any_actor)
    raw = RawSql(any_store)
    with raw.transaction() as run:
        for draft_id, updated_at in (("stale", cutoff - timedelta(days=1)), ("fresh", NOW)):
            run(
                "INSERT INTO drafts (id, account_id, updated_at, payload) VALUES (?, ?, ?, ?)",
                (
                    draft_id,
                    any_actor,
                    updated_at.isoformat(),
                    raw.seal("drafts", "payload", draft_id, "{}"),
                ),
            )
    report = purge(any_store, NOW, any_actor)
    assert report.cutoff == cutoff.isoformat()
    assert (report.contacts_shredded, report.notes_deleted, report.drafts_deleted) == (1, 1, 1)
    assert (report.held_skipped, report.dry_run) == (1, False)
    names = dict(raw.read("contacts", "id, caller_name"))
    assert names == {old.id: None, edge.id: "Dr Edge", held.id: "Dr Held"}
    assert [d for d, _ in any_store.drafts(any_actor)] == ["fresh"]
    shredded = raw.read("contacts", "shredded_at", "WHERE id = ?", (old.id,))
    assert shredded == [(NOW.isoformat(),)]
    kept = raw.read(
        "purge_reports",
        "actor, cutoff, dry_run, contacts_shredded, notes_deleted, callbacks_deleted, "
        "drafts_deleted, held_skipped",
    )
    assert kept == [(any_actor, cutoff.isoformat(), 0, 1, 1, 0, 1, 1)]
    assert [
        tuple(r) for r in raw.query("SELECT actor, record FROM audit WHERE action = 'purge'")
    ] == [(any_actor, None)]


def test_a_dry_run_purge_changes_nothing_but_its_report(
    any_store: RecordStore, any_actor: str
) -> None:
    set_retention_days(any_store, 30, any_actor)
    old = contact(started_at="2020-01-01T00:00:00+00:00", caller_name="Dr Old")
    any_store.save_contact(old, any_actor)
    any_store.save_draft("d", any_actor, {"consent_notes": True, "notes": "x"})
    RawSql(any_store).query("UPDATE drafts SET updated_at = '2020-01-01T00:00:00+00:00'")
    report = purge(any_store, NOW, any_actor, dry_run=True)
    assert (report.contacts_shredded, report.drafts_deleted, report.dry_run) == (1, 1, True)
    assert RawSql(any_store).read("contacts", "caller_name, shredded_at") == [("Dr Old", None)]
    assert len(any_store.drafts(any_actor)) == 1
    assert RawSql(any_store).read("purge_reports", "dry_run") == [(1,)]


# -- records --------------------------------------------------------------------------------


def test_a_hold_on_a_record_that_is_not_there_is_refused_and_not_audited(
    any_store: RecordStore, any_actor: str
) -> None:
    before = len(_rows(any_store))
    with pytest.raises(RecordMissing):
        any_store.set_hold("no-such-contact", True, any_actor)
    assert len(_rows(any_store)) == before


def test_a_name_or_note_at_its_limit_is_kept_and_one_character_more_is_refused(
    any_store: RecordStore, any_actor: str
) -> None:
    any_store.save_contact(contact(caller_name="N" * MAX_NAME_LENGTH), any_actor)
    with pytest.raises(NameTooLong):
        any_store.save_contact(contact(caller_name="N" * (MAX_NAME_LENGTH + 1)), any_actor)
    record = contact()
    any_store.save_contact(record, any_actor)
    any_store.add_note("at-limit", record.id, "n" * MAX_NOTE_LENGTH, any_actor)
    with pytest.raises(NoteTooLong):
        any_store.add_note("over", record.id, "n" * (MAX_NOTE_LENGTH + 1), any_actor)
    assert [r[0] for r in RawSql(any_store).query("SELECT id FROM notes")] == ["at-limit"]


def test_a_note_over_its_limit_is_refused_saying_its_length_and_the_limit(
    any_store: RecordStore, any_actor: str, lang: Language
) -> None:
    """What the person reads: how long the note is and how long it may be, in their language."""
    record = contact()
    any_store.save_contact(record, any_actor)
    length = MAX_NOTE_LENGTH + 7
    with pytest.raises(NoteTooLong) as info:
        any_store.add_note("over", record.id, "n" * length, any_actor)
    set_language(lang)
    title, advice = info.value.explain()
    assert title == tr("The note is too long to save")
    assert advice == tr(
        "A note can have at most {limit} characters; this one has {length}. Shorten it, then "
        "save again. Nothing was lost."
    ).format(limit=MAX_NOTE_LENGTH, length=length)
    assert str(length) in advice
    assert (advice.startswith("A note")) == (lang == "en")
    assert any_store.counts()["notes"] == 0


def test_without_consent_even_a_lone_callback_number_is_refused(
    any_store: RecordStore, any_actor: str
) -> None:
    with pytest.raises(ConsentRefused):
        any_store.save_contact(contact(consent=False, callback_number="+15145550199"), any_actor)
    with pytest.raises(ConsentRefused):
        any_store.save_contact(contact(consent=False, caller_name="Dr B."), any_actor)
    assert any_store.counts()["contacts"] == 0


def test_a_follow_up_someone_is_calling_about_cannot_be_closed_by_another(
    any_store: RecordStore, any_actor: str
) -> None:
    caller = any_store.add_account("Val Volunteer", Role.VOLUNTEER.value, hash_pin("902714"))
    record = contact()
    any_store.save_contact(record, any_actor)
    any_store.add_followup("f-1", record.id, "2026-11-25T15:00:00+00:00", any_actor)
    worklist.claim(any_store, "f-1", caller)
    before = len(_rows(any_store))
    with pytest.raises(FollowupHeld):
        any_store.complete_followup("f-1", any_actor)
    assert RawSql(any_store).query("SELECT status FROM followups") == [("open",)]
    assert len(_rows(any_store)) == before  # refused: nothing audited
    assert any_store.complete_followup("f-1", caller) is True  # the one calling may
    assert _rows(any_store)[-1][3:7] == (caller, "edit", "f-1", "followup done")


def test_a_hold_and_its_release_are_audited_against_the_record(
    any_store: RecordStore, any_actor: str
) -> None:
    """A legal hold keeps a record past retention: the log must say which one, and who."""
    record = contact()
    any_store.save_contact(record, any_actor)
    any_store.set_hold(record.id, True, any_actor)
    any_store.set_hold(record.id, False, any_actor)
    assert [r[3:7] for r in _rows(any_store)[-2:]] == [
        (any_actor, "hold", record.id, "contact"),
        (any_actor, "release", record.id, "contact"),
    ]


def test_a_row_with_empty_fields_is_hashed_with_them_empty(any_store: RecordStore) -> None:
    """A purge or a first start is audited without an any_actor or a record: those fields are
    hashed as empty text, as documented, not as the word "None"."""
    raw = RawSql(any_store)
    raw.append_audit(None, "init", None)
    row = _rows(any_store)[-1]
    with raw.transaction() as run:
        key = raw.audit_key(run, int(row[1]))
    assert key is not None
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


# One store only: the file keeps its chain key in `meta`, and a file upgraded from before
# version 5 has plain rows first; the server's chain is keyed from its first row.
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
