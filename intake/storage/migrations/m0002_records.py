"""Version 2: contacts, notes (with a full-text index), callbacks, follow-ups, drafts, the audit
log, purge reports, and PIN lockout on accounts."""

from typing import Any

STATEMENTS = [
    "ALTER TABLE accounts ADD COLUMN failed_pins INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE accounts ADD COLUMN locked_until TEXT",
    # One row per call or kiosk session. Coded answers only, except the two identifier columns,
    # which the store refuses to fill when the caller declined note-keeping.
    """CREATE TABLE contacts (
        id              TEXT PRIMARY KEY,
        channel         TEXT NOT NULL CHECK (channel IN ('phone', 'kiosk')),
        started_at      TEXT NOT NULL,
        ended_at        TEXT,
        ui_language     TEXT NOT NULL CHECK (ui_language IN ('en', 'fr')),
        caller_language TEXT NOT NULL CHECK (caller_language IN ('en', 'fr')),
        role            TEXT,
        province        TEXT,
        about_colleague INTEGER NOT NULL DEFAULT 0,
        topics          TEXT NOT NULL DEFAULT '[]',
        need            TEXT,
        formats         TEXT NOT NULL DEFAULT '[]',
        risk            TEXT NOT NULL DEFAULT 'none'
                        CHECK (risk IN ('none', 'concern', 'high', 'imminent')),
        referrals       TEXT NOT NULL DEFAULT '[]',
        crisis_actions  TEXT NOT NULL DEFAULT '[]',
        outcome         TEXT,
        consent_notes   INTEGER NOT NULL DEFAULT 0,
        caller_name     TEXT,
        callback_number TEXT,
        created_by      TEXT REFERENCES accounts (id),
        on_hold         INTEGER NOT NULL DEFAULT 0,
        shredded_at     TEXT,
        CHECK (consent_notes = 1 OR (caller_name IS NULL AND callback_number IS NULL))
    ) STRICT""",
    "CREATE INDEX contacts_history ON contacts (started_at DESC, id DESC)",
    # Notes keep an integer rowid for the full-text index; their own id is the app's UUID.
    """CREATE TABLE notes (
        id         TEXT NOT NULL UNIQUE,
        contact_id TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        author     TEXT REFERENCES accounts (id),
        created_at TEXT NOT NULL,
        body       TEXT NOT NULL
    ) STRICT""",
    "CREATE INDEX notes_contact ON notes (contact_id)",
    """CREATE VIRTUAL TABLE notes_fts USING fts5(
        body, content = 'notes', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
    )""",
    # Deleted text must leave the index too, not linger in its pages.
    "INSERT INTO notes_fts (notes_fts, rank) VALUES ('secure-delete', 1)",
    """CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
        INSERT INTO notes_fts (rowid, body) VALUES (new.rowid, new.body);
    END""",
    """CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
        INSERT INTO notes_fts (notes_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
    END""",
    """CREATE TRIGGER notes_fts_update AFTER UPDATE ON notes BEGIN
        INSERT INTO notes_fts (notes_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
        INSERT INTO notes_fts (rowid, body) VALUES (new.rowid, new.body);
    END""",
    """CREATE TABLE callbacks (
        id         TEXT PRIMARY KEY,
        contact_id TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        number     TEXT,
        best_time  TEXT,
        time_zone  TEXT,
        status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
        created_at TEXT NOT NULL
    ) STRICT""",
    """CREATE TABLE followups (
        id         TEXT PRIMARY KEY,
        contact_id TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        due_at     TEXT NOT NULL,
        status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
        created_by TEXT REFERENCES accounts (id),
        created_at TEXT NOT NULL
    ) STRICT""",
    """CREATE TABLE drafts (
        id         TEXT PRIMARY KEY,
        account_id TEXT REFERENCES accounts (id),
        updated_at TEXT NOT NULL,
        payload    TEXT NOT NULL
    ) STRICT""",
    # Who did what to which record and when; never content. Append-only, enforced here, and
    # chained: each row's hash covers the previous row's hash.
    """CREATE TABLE audit (
        seq       INTEGER PRIMARY KEY AUTOINCREMENT,
        at        TEXT NOT NULL,
        actor     TEXT,
        action    TEXT NOT NULL,
        record    TEXT,
        detail    TEXT NOT NULL DEFAULT '',
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL
    ) STRICT""",
    """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
        SELECT RAISE(ABORT, 'the audit log is append-only');
    END""",
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN
        SELECT RAISE(ABORT, 'the audit log is append-only');
    END""",
    """CREATE TABLE purge_reports (
        id                 TEXT PRIMARY KEY,
        at                 TEXT NOT NULL,
        actor              TEXT,
        cutoff             TEXT NOT NULL,
        dry_run            INTEGER NOT NULL,
        contacts_shredded  INTEGER NOT NULL,
        notes_deleted      INTEGER NOT NULL,
        callbacks_deleted  INTEGER NOT NULL,
        drafts_deleted     INTEGER NOT NULL,
        held_skipped       INTEGER NOT NULL
    ) STRICT""",
    "INSERT OR IGNORE INTO meta (key, value) VALUES ('retention_days', '365')",
]


def apply(conn: Any) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
