"""The shared store's tables (PostgreSQL 13 or later).

Columns named `*_sealed` or typed `bytea` hold AES-256-GCM ciphertext made on the station
(intake.storage.pg.crypto); the server only ever sees coded values, ids (random UUIDs), times
and counts in clear. See docs/shared-store.md for which values stay in clear and why.

Not covered yet (added to the SQLCipher store this round by other work): the worklist tables
and the roster/match tables; retention purge reports; feedback.
"""

from __future__ import annotations

VERSION = 1

STATEMENTS = [
    """CREATE TABLE meta (
        key   text PRIMARY KEY,
        value text NOT NULL
    )""",
    """CREATE TABLE accounts (
        id           text PRIMARY KEY,
        display_name bytea NOT NULL,
        role         text NOT NULL CHECK (role IN ('volunteer', 'supervisor', 'kiosk', 'coordinator', 'peer-supporter')),
        pin_hash     bytea NOT NULL,
        failed_pins  integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        created_at   timestamptz NOT NULL DEFAULT now()
    )""",
    """CREATE TABLE contacts (
        id              text PRIMARY KEY,
        channel         text NOT NULL CHECK (channel IN ('phone', 'kiosk')),
        started_at      text NOT NULL,
        ended_at        text,
        ui_language     text NOT NULL CHECK (ui_language IN ('en', 'fr')),
        caller_language text NOT NULL CHECK (caller_language IN ('en', 'fr')),
        role            text,
        province        text,
        about_colleague boolean NOT NULL DEFAULT false,
        about_family    boolean NOT NULL DEFAULT false,
        topics          text NOT NULL DEFAULT '[]',
        need            text,
        formats         text NOT NULL DEFAULT '[]',
        risk            text NOT NULL DEFAULT 'none'
                        CHECK (risk IN ('none', 'concern', 'high', 'imminent')),
        referrals       text NOT NULL DEFAULT '[]',
        crisis_actions  text NOT NULL DEFAULT '[]',
        outcome         text,
        consent_notes   boolean NOT NULL DEFAULT false,
        caller_name     bytea,
        callback_number bytea,
        created_by      text REFERENCES accounts (id),
        on_hold         boolean NOT NULL DEFAULT false,
        shredded_at     text,
        CHECK (consent_notes OR (caller_name IS NULL AND callback_number IS NULL))
    )""",
    "CREATE INDEX contacts_history ON contacts (started_at DESC, id DESC)",
    "CREATE INDEX contacts_creator ON contacts (created_by, started_at DESC, id DESC)",
    """CREATE TABLE notes (
        seq        bigserial UNIQUE,
        id         text PRIMARY KEY,
        contact_id text NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        author     text REFERENCES accounts (id),
        created_at text NOT NULL,
        body       bytea NOT NULL
    )""",
    "CREATE INDEX notes_contact ON notes (contact_id)",
    # The blind index: one row per distinct normalised word of a note, as a keyed hash.
    """CREATE TABLE note_words (
        token   bytea NOT NULL,
        note_id text NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
        PRIMARY KEY (token, note_id)
    )""",
    "CREATE INDEX note_words_note ON note_words (note_id)",
    """CREATE TABLE callbacks (
        id         text PRIMARY KEY,
        contact_id text NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        number     bytea,
        best_time  bytea,
        time_zone  text,
        status     text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
        created_at text NOT NULL,
        claimed_by text REFERENCES accounts (id),
        claimed_at timestamptz
    )""",
    "CREATE INDEX callbacks_contact ON callbacks (contact_id)",
    """CREATE TABLE followups (
        id         text PRIMARY KEY,
        contact_id text NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        due_at     text NOT NULL,
        status     text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
        created_by text REFERENCES accounts (id),
        created_at text NOT NULL,
        claimed_by text REFERENCES accounts (id),
        claimed_at timestamptz
    )""",
    "CREATE INDEX followups_due ON followups (due_at) WHERE status = 'open'",
    "CREATE INDEX followups_contact ON followups (contact_id)",
    """CREATE TABLE drafts (
        id         text PRIMARY KEY,
        account_id text REFERENCES accounts (id),
        updated_at text NOT NULL,
        payload    bytea NOT NULL
    )""",
    # Who did what to which record, and when; never content. Chained with an HMAC under a key
    # the server never sees; `audit_head` is the one row every appender locks, so concurrent
    # writers append one after another and the chain stays a single line.
    """CREATE TABLE audit (
        seq       bigint PRIMARY KEY,
        at        text NOT NULL,
        actor     text,
        action    text NOT NULL,
        record    text,
        detail    text NOT NULL DEFAULT '',
        prev_hash text NOT NULL,
        hash      text NOT NULL
    )""",
    """CREATE TABLE audit_head (
        one  boolean PRIMARY KEY DEFAULT true CHECK (one),
        seq  bigint NOT NULL,
        hash text NOT NULL
    )""",
    """CREATE FUNCTION intake_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the audit log is append-only';
        END
    $$""",
    """CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit
        FOR EACH STATEMENT EXECUTE FUNCTION intake_append_only()""",
    # Other stations hear of a new callback or follow-up at once (ids only, never content).
    """CREATE FUNCTION intake_worklist_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('intake_worklist', TG_TABLE_NAME || ' ' || NEW.id);
            RETURN NULL;
        END
    $$""",
    """CREATE TRIGGER callbacks_notify AFTER INSERT ON callbacks
        FOR EACH ROW EXECUTE FUNCTION intake_worklist_notify()""",
    """CREATE TRIGGER followups_notify AFTER INSERT ON followups
        FOR EACH ROW EXECUTE FUNCTION intake_worklist_notify()""",
]

TABLES = (
    "accounts",
    "audit",
    "callbacks",
    "contacts",
    "drafts",
    "followups",
    "note_words",
    "notes",
)
