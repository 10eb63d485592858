"""The note index's owner column (migration 6): a volunteer's search is answered by the index,
and the index stays exactly in step with the notes through every way a note or its contact
changes or goes, with the words of a removed note gone from it (secure delete). On both stores
(`any_store`): the file's FTS5 index, the server's blind index of keyed word tokens."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import sqlcipher3

from intake.pins import hash_pin
from intake.storage.db import Store, key_pragma, migrate
from intake.storage.interface import RecordStore
from intake.storage.local import LocalRecords
from intake.storage.migrations import LATEST
from intake.storage.pg.store import PgStore
from intake.storage.records import search_notes
from tests.storage.helpers import RawSql, contact, purge


def index_is_consistent(any_store: RecordStore | Store) -> None:
    """The index holds exactly the words of the notes there are. The file: FTS5 compares its
    index with the notes (through the view) and raises on any difference. The server: each
    note's blind tokens are those of its body, and no token is left for a note that is gone."""
    if isinstance(any_store, Store):
        any_store = LocalRecords(any_store)
    if isinstance(any_store, LocalRecords):
        with any_store.store.transaction() as conn:
            conn.execute("INSERT INTO notes_fts (notes_fts) VALUES ('integrity-check')")
        return
    assert isinstance(any_store, PgStore)
    keys = any_store.line_keys
    expected = {
        (bytes(token), note_id)
        for note_id, body in RawSql(any_store).read("notes", "id, body")
        for token in keys.blind_tokens(body)
    }
    kept = {(bytes(t), n) for t, n in any_store.query("SELECT token, note_id FROM note_words")}
    assert kept == expected


def in_index(any_store: RecordStore, word: str) -> bool:
    """Whether a word is still in the index (the server's as its keyed token)."""
    if isinstance(any_store, PgStore):
        token = any_store.line_keys.blind_token(word)
        return bool(any_store.query("SELECT 1 FROM note_words WHERE token = %s", (token,)))
    assert isinstance(any_store, LocalRecords)
    with any_store.store.transaction() as conn:
        conn.execute("CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, notes_fts, 'row')")
        found = {row[0] for row in conn.execute("SELECT term FROM temp.words")}
        conn.execute("DROP TABLE temp.words")
    return word in found


def two_volunteers(any_store: RecordStore) -> tuple[str, str]:
    return (
        any_store.add_account("Volunteer A", "volunteer", hash_pin("902714")),
        any_store.add_account("Volunteer B", "volunteer", hash_pin("902714")),
    )


def test_each_volunteer_finds_only_their_own_contacts_notes(any_store: RecordStore) -> None:
    mine, theirs = two_volunteers(any_store)
    any_store.save_contact(contact(id="c1"), mine)
    any_store.save_contact(contact(id="c2"), theirs)
    any_store.add_note("n1", "c1", "garde de nuit", mine)
    any_store.add_note("n2", "c2", "nuit blanche", theirs)
    assert any_store.search_notes("nuit", created_by=mine) == [("c1", "n1")]
    assert any_store.search_notes("nuit", created_by=theirs) == [("c2", "n2")]
    assert any_store.search_notes("nuit") == [("c2", "n2"), ("c1", "n1")]
    # A note another person added to my contact is still my contact's note.
    any_store.add_note("n3", "c1", "nuit difficile", theirs)
    assert any_store.search_notes("nuit", created_by=mine) == [("c1", "n3"), ("c1", "n1")]
    index_is_consistent(any_store)


def test_the_owner_column_is_never_matched_as_words(any_store: RecordStore) -> None:
    mine, _theirs = two_volunteers(any_store)
    any_store.save_contact(contact(id="c1"), mine)
    any_store.add_note("n1", "c1", "garde", mine)
    owner_token = mine.encode("utf-8").hex()
    assert any_store.search_notes(owner_token) == []
    assert any_store.search_notes(owner_token, created_by=mine) == []
    assert any_store.search_notes(mine) == []


def test_the_index_follows_every_change_and_forgets_removed_words(
    any_store: RecordStore, any_actor: str
) -> None:
    mine, theirs = two_volunteers(any_store)
    any_store.save_contact(contact(id="c1"), mine)
    any_store.save_contact(contact(id="c2"), mine)
    any_store.add_note("n1", "c1", "quokka garde", mine)
    any_store.add_note("n2", "c2", "wombat nuit", mine)
    index_is_consistent(any_store)
    # The note edited: the old word leaves the index.
    with any_store.writing() as w:
        assert w.put_note("n1", "c1", "ornithorynque garde", mine) == "updated"
    index_is_consistent(any_store)
    assert not in_index(any_store, "quokka")
    assert any_store.search_notes("ornithorynque", created_by=mine) == [("c1", "n1")]
    # The contact handed to another volunteer: its notes follow it.
    RawSql(any_store).query("UPDATE contacts SET created_by = ? WHERE id = 'c1'", (theirs,))
    index_is_consistent(any_store)
    assert any_store.search_notes("garde", created_by=mine) == []
    assert any_store.search_notes("garde", created_by=theirs) == [("c1", "n1")]
    # The contact deleted (its notes go by cascade): nothing of them stays in the index.
    RawSql(any_store).query("DELETE FROM contacts WHERE id = 'c1'")
    index_is_consistent(any_store)
    assert not in_index(any_store, "ornithorynque")
    assert any_store.search_notes("garde") == []
    # Consent withdrawn on a saved contact: its notes go, and their words with them.
    any_store.save_contact(contact(consent=False, id="c2"), mine)
    index_is_consistent(any_store)
    assert not in_index(any_store, "wombat")
    assert any_store.search_notes("wombat") == []


def test_retention_purge_leaves_the_index_consistent(
    any_store: RecordStore, any_actor: str
) -> None:
    mine, _theirs = two_volunteers(any_store)
    any_store.save_contact(contact(id="old", started_at="2019-01-01T00:00:00+00:00"), mine)
    any_store.add_note("n-old", "old", "kangourou", mine)
    purge(any_store, datetime(2026, 11, 30, tzinfo=UTC), any_actor)
    index_is_consistent(any_store)
    assert not in_index(any_store, "kangourou")


# One store only (the SQLCipher file): the file's migration 6 reindexing its notes.
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
