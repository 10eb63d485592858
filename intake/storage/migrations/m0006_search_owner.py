"""Version 6: the note index knows whose contact each note belongs to; contacts found by id
are paged in an index.

A volunteer searches only their own contacts' notes. Until now the search either walked every
note matching the words to find the few that were theirs, or walked their notes and checked
each against the full list of matches; for a common word that list held most of the notes
(p95 100-180 ms at 100,000 notes). The index now carries a second column, the hex-encoded
account id of the contact's creator, so "this volunteer's notes with these words" is one
full-text query that intersects two posting lists, newest first, and stops at the limit.

The index takes its text from a view (notes with their contact's creator), so a rebuild and
SQLite's integrity check read the same values the triggers wrote. Deleting a note from the
index must name the values it was indexed with: a contact's notes therefore leave the index
before the contact itself (its BEFORE DELETE trigger deletes them while the creator is still
readable), and a change of creator re-indexes that contact's notes. Secure delete stays on:
the words of a deleted note do not stay behind in the index. The view is named outside the
`notes_fts_` prefix on purpose: the store check (maintenance) compares it with what the
migrations create, as it does every table and trigger, and skips only FTS5's own shadow tables.
"""

from typing import Any

OWNER = "(SELECT hex(created_by) FROM contacts WHERE id = {ref}.contact_id)"

STATEMENTS = [
    "DROP TRIGGER notes_fts_insert",
    "DROP TRIGGER notes_fts_delete",
    "DROP TRIGGER notes_fts_update",
    "DROP TABLE notes_fts",
    """CREATE VIEW note_search_text AS
        SELECT notes.rowid AS note_rowid, notes.body AS body, hex(contacts.created_by) AS owner
        FROM notes LEFT JOIN contacts ON contacts.id = notes.contact_id""",
    """CREATE VIRTUAL TABLE notes_fts USING fts5(
        body, owner, content = 'note_search_text', content_rowid = 'note_rowid',
        tokenize = 'unicode61 remove_diacritics 2'
    )""",
    "INSERT INTO notes_fts (notes_fts, rank) VALUES ('secure-delete', 1)",
    "INSERT INTO notes_fts (notes_fts) VALUES ('rebuild')",
    f"""CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
        INSERT INTO notes_fts (rowid, body, owner)
        VALUES (new.rowid, new.body, {OWNER.format(ref="new")});
    END""",
    f"""CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
        INSERT INTO notes_fts (notes_fts, rowid, body, owner)
        VALUES ('delete', old.rowid, old.body, {OWNER.format(ref="old")});
    END""",
    f"""CREATE TRIGGER notes_fts_update AFTER UPDATE ON notes BEGIN
        INSERT INTO notes_fts (notes_fts, rowid, body, owner)
        VALUES ('delete', old.rowid, old.body, {OWNER.format(ref="old")});
        INSERT INTO notes_fts (rowid, body, owner)
        VALUES (new.rowid, new.body, {OWNER.format(ref="new")});
    END""",
    # Before the contact goes (and the foreign key's cascade with it), while its creator can
    # still be read: the notes' index entries are deleted with the values they were added with.
    """CREATE TRIGGER contacts_notes_delete BEFORE DELETE ON contacts BEGIN
        DELETE FROM notes WHERE contact_id = old.id;
    END""",
    # Search hits and follow-ups due are contacts found by id: this index holds every column
    # the History list filters and sorts them by, so the page is chosen without reading the
    # rows of all (up to 500) hits from the table (see records.HistoryFilter.index).
    "CREATE INDEX contacts_found ON contacts (id, started_at, created_by, province, outcome)",
    """CREATE TRIGGER contacts_notes_owner AFTER UPDATE OF created_by ON contacts
    WHEN old.created_by IS NOT new.created_by BEGIN
        INSERT INTO notes_fts (notes_fts, rowid, body, owner)
        SELECT 'delete', rowid, body, hex(old.created_by) FROM notes WHERE contact_id = old.id;
        INSERT INTO notes_fts (rowid, body, owner)
        SELECT rowid, body, hex(new.created_by) FROM notes WHERE contact_id = new.id;
    END""",
]


def apply(conn: Any) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
