"""The note index's owner column (migration 6): a volunteer's search is answered by the index,
and the index stays exactly in step with the notes through every way a note or its contact
changes or goes, with the words of a removed note gone from it (secure delete)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import sqlcipher3

from intake.storage.account_store import insert_account
from intake.storage.db import Store, key_pragma, migrate
from intake.storage.migrations import LATEST
from intake.storage.records import add_note, put_note, save_contact, search_notes
from intake.storage.retention import purge
from tests.storage.helpers import contact


def index_is_consistent(store: Store) -> None:
    """FTS5 compares its index with the notes (through the view) and raises on any difference."""
    with store.transaction() as conn:
        conn.execute("INSERT INTO notes_fts (notes_fts) VALUES ('integrity-check')")


def indexed_words(store: Store) -> set[str]:
    with store.transaction() as conn:
        conn.execute("CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, notes_fts, 'row')")
        found = {row[0] for row in conn.execute("SELECT term FROM temp.words")}
        conn.execute("DROP TABLE temp.words")
    return found


def two_volunteers(store: Store) -> tuple[str, str]:
    with store.transaction() as conn:
        return (
            insert_account(conn, "Volunteer A", "volunteer", "x"),
            insert_account(conn, "Volunteer B", "volunteer", "x"),
        )


def test_each_volunteer_finds_only_their_own_contacts_notes(store: Store) -> None:
    mine, theirs = two_volunteers(store)
    save_contact(store, contact(id="c1"), mine)
    save_contact(store, contact(id="c2"), theirs)
    add_note(store, "n1", "c1", "garde de nuit", mine)
    add_note(store, "n2", "c2", "nuit blanche", theirs)
    assert search_notes(store, "nuit", created_by=mine) == [("c1", "n1")]
    assert search_notes(store, "nuit", created_by=theirs) == [("c2", "n2")]
    assert search_notes(store, "nuit") == [("c2", "n2"), ("c1", "n1")]
    # A note another person added to my contact is still my contact's note.
    add_note(store, "n3", "c1", "nuit difficile", theirs)
    assert search_notes(store, "nuit", created_by=mine) == [("c1", "n3"), ("c1", "n1")]
    index_is_consistent(store)


def test_the_owner_column_is_never_matched_as_words(store: Store) -> None:
    mine, _theirs = two_volunteers(store)
    save_contact(store, contact(id="c1"), mine)
    add_note(store, "n1", "c1", "garde", mine)
    owner_token = mine.encode("utf-8").hex()
    assert search_notes(store, owner_token) == []
    assert search_notes(store, owner_token, created_by=mine) == []
    assert search_notes(store, mine) == []


def test_the_index_follows_every_change_and_forgets_removed_words(store: Store, actor: str) -> None:
    mine, theirs = two_volunteers(store)
    save_contact(store, contact(id="c1"), mine)
    save_contact(store, contact(id="c2"), mine)
    add_note(store, "n1", "c1", "quokka garde", mine)
    add_note(store, "n2", "c2", "wombat nuit", mine)
    index_is_consistent(store)
    # The note edited: the old word leaves the index.
    with store.transaction() as conn:
        assert put_note(conn, "n1", "c1", "ornithorynque garde", mine) == "updated"
    index_is_consistent(store)
    assert "quokka" not in indexed_words(store)
    assert search_notes(store, "ornithorynque", created_by=mine) == [("c1", "n1")]
    # The contact handed to another volunteer: its notes follow it.
    with store.transaction() as conn:
        conn.execute("UPDATE contacts SET created_by = ? WHERE id = 'c1'", (theirs,))
    index_is_consistent(store)
    assert search_notes(store, "garde", created_by=mine) == []
    assert search_notes(store, "garde", created_by=theirs) == [("c1", "n1")]
    # The contact deleted (its notes go by cascade): nothing of them stays in the index.
    with store.transaction() as conn:
        conn.execute("DELETE FROM contacts WHERE id = 'c1'")
    index_is_consistent(store)
    assert "ornithorynque" not in indexed_words(store)
    assert search_notes(store, "garde") == []
    # Consent withdrawn on a saved contact: its notes go, and their words with them.
    save_contact(store, contact(consent=False, id="c2"), mine)
    index_is_consistent(store)
    assert "wombat" not in indexed_words(store)
    assert search_notes(store, "wombat") == []


def test_retention_purge_leaves_the_index_consistent(store: Store, actor: str) -> None:
    mine, _theirs = two_volunteers(store)
    save_contact(store, contact(id="old", started_at="2019-01-01T00:00:00+00:00"), mine)
    add_note(store, "n-old", "old", "kangourou", mine)
    purge(store, datetime(2026, 11, 30, tzinfo=UTC), actor)
    index_is_consistent(store)
    assert "kangourou" not in indexed_words(store)


def test_a_store_from_before_the_owner_column_is_reindexed(tmp_path: Path) -> None:
    conn = sqlcipher3.connect(tmp_path / "s.db", isolation_level=None)
    conn.execute(key_pragma("migration test passphrase"))
    conn.execute("PRAGMA foreign_keys = ON")
    migrate(conn, target=LATEST - 1)
    conn.execute(
        "INSERT INTO accounts (id, display_name, role, pin_hash, created_at) "
        "VALUES ('v1', 'V', 'volunteer', 'x', 'now')"
    )
    conn.execute(
        "INSERT INTO contacts (id, channel, started_at, ui_language, caller_language, role, "
        "topics, need, risk, outcome, consent_notes, created_by) VALUES ('c1', 'phone', "
        "'2026-01-01T00:00:00+00:00', 'fr', 'fr', 'resident', '[]', 'peer', 'none', "
        "'referred', 1, 'v1')"
    )
    conn.execute(
        "INSERT INTO notes (id, contact_id, created_at, body) VALUES ('n1', 'c1', 'now', 'deuil')"
    )
    migrate(conn)
    store = Store(conn, tmp_path / "s.db")
    try:
        assert search_notes(store, "deuil", created_by="v1") == [("c1", "n1")]
        assert search_notes(store, "deuil", created_by="v2") == []
        index_is_consistent(store)
    finally:
        store.close()
