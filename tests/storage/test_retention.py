"""Retention: free text and identifiers are shredded (gone from the file), coded answers stay.
On both stores (`any_store`), but for the file's own pages."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import sqlcipher3

from intake.storage.db import REQUIRED_PRAGMAS, Store, apply_migrations
from intake.storage.interface import RecordStore
from intake.storage.local import LocalRecords
from intake.storage.records import save_draft
from tests.storage.helpers import RawSql, contact, purge, set_retention_days

SENTENCE = "the quokka slept beside the sterile drape"
NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def fill(any_store: RecordStore, any_actor: str) -> tuple[str, str]:
    old, held = (
        contact(started_at="2025-01-10T10:00:00+00:00", caller_name="Dr Old"),
        contact(started_at="2025-01-11T10:00:00+00:00", caller_name="Dr Held"),
    )
    recent = contact(started_at="2026-11-01T10:00:00+00:00", caller_name="Dr Recent")
    for record in (old, held, recent):
        any_store.save_contact(record, any_actor)
        any_store.add_note(
            str(uuid.uuid4()), record.id, f"{SENTENCE} ({record.caller_name})", any_actor
        )
    any_store.add_callback(
        str(uuid.uuid4()),
        old.id,
        number="+15145550199",
        best_time="noon",
        time_zone="America/Toronto",
        actor=any_actor,
    )
    any_store.set_hold(held.id, True, any_actor)
    return old.id, recent.id


def test_purge_counts_then_shreds(any_store: RecordStore, any_actor: str) -> None:
    set_retention_days(any_store, 180, any_actor)
    old, _recent = fill(any_store, any_actor)
    dry = purge(any_store, NOW, any_actor, dry_run=True)
    assert (dry.contacts_shredded, dry.notes_deleted, dry.callbacks_deleted, dry.held_skipped) == (
        1,
        1,
        1,
        1,
    )
    assert any_store.counts()["notes"] == 3  # a dry run changes nothing
    done = purge(any_store, NOW, any_actor)
    assert (done.contacts_shredded, done.notes_deleted) == (1, 1)
    kept = RawSql(any_store).read(
        "contacts", "caller_name, shredded_at IS NOT NULL, risk, topics", "WHERE id = ?", (old,)
    )
    assert [(n, int(s), r, t) for n, s, r, t in kept] == [
        (None, 1, "concern", '["burnout"]')
    ]  # coded answers stay for statistics
    assert any_store.counts()["notes"] == 2
    assert RawSql(any_store).query("SELECT count(*) FROM purge_reports")[0][0] == 2
    details = [
        r[0] for r in RawSql(any_store).query("SELECT detail FROM audit WHERE action = 'purge'")
    ]
    assert details == [
        "dry_run=1 contacts=1 notes=1 callbacks=1 drafts=0 held=1",
        "dry_run=0 contacts=1 notes=1 callbacks=1 drafts=0 held=1",
    ]
    assert purge(any_store, NOW, any_actor).contacts_shredded == 0  # nothing twice


def plain_store(path: Path, secure: bool) -> Store:
    """The store's own schema and settings on an unencrypted file, so its raw bytes can be read.

    The encrypted file never shows plaintext anyway; this shows that the shredding mechanism
    (secure_delete and FTS5 secure-delete) leaves nothing behind in the pages themselves.
    """
    conn = sqlcipher3.connect(path, isolation_level=None)
    for name, (value, _expected) in REQUIRED_PRAGMAS.items():
        if name != "secure_delete":
            conn.execute(f"PRAGMA {name} = {value}")
    conn.execute(f"PRAGMA secure_delete = {'ON' if secure else 'OFF'}")
    conn.execute("BEGIN")
    apply_migrations(conn)
    if not secure:
        conn.execute("INSERT INTO notes_fts (notes_fts, rank) VALUES ('secure-delete', 0)")
    conn.execute(
        "INSERT INTO accounts (id, display_name, role, pin_hash, created_at) "
        "VALUES ('sup', 'Sup', 'supervisor', 'x', 'now')"
    )
    conn.execute("COMMIT")
    return Store(conn, path)


# One store only (the SQLCipher file): SQLite's secure_delete and FTS5 secure-delete in the file's
# own pages (the server's purge: test_shared_retention.py; what it leaves: test_shared_store.py).
def test_shredded_text_is_gone_from_the_file_itself(tmp_path: Path) -> None:
    for secure in (True, False):
        path = tmp_path / f"plain-{secure}.db"
        store = plain_store(path, secure)
        fill(LocalRecords(store), "sup")
        save_draft(store, "d", "sup", {"consent_notes": True, "notes": "draft"})
        assert SENTENCE.encode() in path.read_bytes()
        purge(LocalRecords(store), NOW, "sup")
        store.close()
        raw = path.read_bytes()
        shredded = [b"Dr Old", f"{SENTENCE} (Dr Old)".encode()]
        if secure:
            assert not any(s in raw for s in shredded)
            assert b"Dr Recent" in raw  # what was not due is still there
        else:  # positive control: without secure delete the old text stays in free pages
            assert any(s in raw for s in shredded)
