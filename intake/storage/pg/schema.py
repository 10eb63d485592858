"""The shared store's tables (PostgreSQL 13 or later).

Columns named `*_sealed` or typed `bytea` hold AES-256-GCM ciphertext made on the station
(intake.storage.pg.crypto); the server only ever sees coded values, ids (random UUIDs), times
and counts in clear. See docs/shared-store.md for which values stay in clear and why.

The schema is versioned: `STATEMENTS` made version 1, and each later version is one step of
`STEPS`, run once, in order, by the owner role, each in one transaction, with the version it
reaches recorded in `meta` (`intake.storage.pg.store.upgrade_schema`). A new store runs the
version 1 statements and then every step, so a new store and an upgraded one are the same.
"""

from __future__ import annotations

import json

from intake.storage.account_store import FIRST_LOCK, FREE_ATTEMPTS, LONGEST_LOCK
from intake.storage.migrations.m0008_worklist import rank
from intake.storage.pg import console_security, roster_security, work_security
from intake.storage.pg.work_security import ROW_SECURITY_STEP

# PIN tries, decided and counted by the server, on its own clock: the station derives the PIN's
# key (scrypt, with the account's sealed salt) and sends it; the server compares a hash of it with
# the account's `pin_verifier` in constant time, and reads, compares and writes the failure count
# in this one function, under the account row's lock, so tries from several stations each count
# and none slips past a lockout. A station cannot say a PIN was right, nor choose the time; under
# row-level security a connection tries only its own account (it cannot lock out anyone else).
# A station's login may not write the count itself (security.py). The schedule is the file
# store's (account_store.lock_duration).
PIN_SIGNATURE = "intake_pin_attempt(text, bytea)"
# What a person's login reads of the accounts (security.py): all but `pin_verifier`.
ACCOUNT_COLUMNS = "id, display_name, role, pin_hash, failed_pins, locked_until, created_at, db_role"
OLD_PIN_SIGNATURE = "intake_pin_attempt(text, boolean, bytea, timestamptz)"
PIN_FUNCTION = f"""CREATE OR REPLACE FUNCTION intake_pin_attempt(p_account text, p_key bytea)
    RETURNS TABLE (outcome text, failures integer, name bytea, account_role text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    #variable_conflict use_column
    DECLARE
        acct record;
        me text;
        tries integer;
        at timestamptz;
        offered bytea;
        diff integer := 0;
    BEGIN
        IF to_regproc('intake_me') IS NOT NULL THEN
            EXECUTE 'SELECT intake_me()' INTO me;
            -- A group member's login tries only the account it is mapped to; one mapped to
            -- none (mapped away, or not yet) tries none. The owner, in no group, may.
            IF (me IS NOT NULL AND me <> p_account) OR (me IS NULL AND EXISTS (
                    SELECT 1 FROM pg_auth_members m
                      JOIN pg_roles g ON g.oid = m.roleid
                      JOIN pg_roles u ON u.oid = m.member
                     WHERE u.rolname = session_user
                       AND g.rolname IN ('intake_volunteer', 'intake_supervisor'))) THEN
                RAISE EXCEPTION 'a sign-in tries only its own account'
                    USING ERRCODE = '42501';
            END IF;
        END IF;
        SELECT a.display_name, a.role, a.pin_verifier, a.failed_pins, a.locked_until INTO acct
          FROM accounts a WHERE a.id = p_account FOR UPDATE;
        IF NOT FOUND THEN
            RETURN;
        END IF;
        at := clock_timestamp();  -- the server's clock, never the station's
        IF acct.locked_until IS NOT NULL AND at < acct.locked_until THEN
            RETURN QUERY SELECT 'locked'::text, acct.failed_pins, acct.display_name, acct.role;
            RETURN;
        END IF;
        -- Compared in constant time (every byte, whatever differs first).
        offered := sha256(coalesce(p_key, ''::bytea));
        IF acct.pin_verifier IS NULL OR length(acct.pin_verifier) <> length(offered) THEN
            diff := 1;
        ELSE
            FOR i IN 0 .. length(offered) - 1 LOOP
                diff := diff | (get_byte(offered, i) # get_byte(acct.pin_verifier, i));
            END LOOP;
        END IF;
        IF diff = 0 THEN
            UPDATE accounts SET failed_pins = 0, locked_until = NULL WHERE id = p_account;
            RETURN QUERY SELECT 'right'::text, 0, acct.display_name, acct.role;
            RETURN;
        END IF;
        tries := acct.failed_pins + 1;
        UPDATE accounts SET failed_pins = tries, locked_until = CASE
            WHEN tries < {FREE_ATTEMPTS} THEN NULL
            ELSE at + least(
                interval '{int(FIRST_LOCK.total_seconds())} seconds'
                    * power(2, least(tries - {FREE_ATTEMPTS}, 30)),
                interval '{int(LONGEST_LOCK.total_seconds())} seconds')
            END
          WHERE id = p_account;
        RETURN QUERY SELECT 'wrong'::text, tries, acct.display_name, acct.role;
    END
$$"""

# Every retention purge, dry runs included: counts only, never content (as the file store).
PURGE_REPORTS = """CREATE TABLE IF NOT EXISTS purge_reports (
        id                text PRIMARY KEY,
        at                text NOT NULL,
        actor             text,
        cutoff            text NOT NULL,
        dry_run           boolean NOT NULL,
        contacts_shredded integer NOT NULL,
        notes_deleted     integer NOT NULL,
        callbacks_deleted integer NOT NULL,
        drafts_deleted    integer NOT NULL,
        held_skipped      integer NOT NULL
    )"""

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
        pin_verifier bytea,
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
    PIN_FUNCTION,
    f"REVOKE ALL ON FUNCTION {PIN_SIGNATURE} FROM PUBLIC",
    PURGE_REPORTS,
]

# The server-decided PIN (`PIN_FUNCTION`, the verifier column) and the purge reports, for a
# store made before them. Once a check of the function's signature run before the versioned
# steps; now the step `PIN_STEP` (each statement may run again harmlessly, so a store that
# already had them is unchanged). Its part that needs the line key, splitting each account's
# sealed PIN hash into its sealed parameters and its verifier, is a key-holding post-step the
# owner's open runs in the same transaction (`store.upgrade_schema`, `_upgrade_pins`).
# Every function that runs as the owner (SECURITY DEFINER) looks in the caller's temporary
# schema last: with `public` alone on its path, a login's own temporary table named `accounts`
# would be read first and make it a supervisor in `intake_me`, `intake_sees_all`... The
# functions made by earlier versions (and by `intake db row-security` before this one) are set
# so here; new ones are made so (`SET search_path = pg_catalog, public, pg_temp`).
PIN_TEMP_LAST = """DO $$ DECLARE f regprocedure; BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
               JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname = 'public' AND p.prosecdef
                AND pg_get_userbyid(p.proowner) = current_user LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, public, pg_temp', f);
    END LOOP;
END $$"""

UPGRADES = [
    "ALTER TABLE accounts ADD COLUMN IF NOT EXISTS pin_verifier bytea",
    # The older function took the station's word and clock: gone, not only unused.
    f"DROP FUNCTION IF EXISTS {OLD_PIN_SIGNATURE}",
    PIN_FUNCTION,
    f"REVOKE ALL ON FUNCTION {PIN_SIGNATURE} FROM PUBLIC",
    PURGE_REPORTS,
    # Per-person group roles (row-level security, security.py) of a store made before the
    # function: they may call it, no longer write the count themselves, and no longer read the
    # verifiers. Only where row-level security was switched on in this database (the groups
    # are the whole server's: another line's database may have made them).
    *(
        f"""DO $$ BEGIN
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{group}')
               AND to_regproc('intake_me') IS NOT NULL THEN
                GRANT EXECUTE ON FUNCTION {PIN_SIGNATURE} TO {group};
                REVOKE UPDATE, SELECT ON accounts FROM {group};
                GRANT SELECT ({ACCOUNT_COLUMNS}) ON accounts TO {group};
                -- (and, once the console's step made it, who is disabled: see CONSOLE)
                IF EXISTS (SELECT 1 FROM information_schema.columns
                            WHERE table_name = 'accounts' AND column_name = 'disabled_at') THEN
                    GRANT SELECT (disabled_at) ON accounts TO {group};
                END IF;
            END IF;
        END $$"""
        for group in ("intake_volunteer", "intake_supervisor")
    ),
    PIN_TEMP_LAST,
]

TABLES = (
    "accounts",
    "audit",
    "callbacks",
    "contacts",
    "drafts",
    "feedback",
    "followups",
    "match_requests",
    "matches",
    "note_words",
    "notes",
    "peers",
    "survey",
    "work_attempts",
    "work_items",
)


def _codes(codes: tuple[str, ...]) -> str:
    return ", ".join(f"'{code}'" for code in codes)


# Version 2: the worklist on the server (issue 18). As the file's (migrations 8 and 11): one
# row of `work_items` per promise, kept in step with `followups` and `callbacks` by triggers,
# so every path that saves a call (the outbox's delivery and `move-to-server` included) feeds
# the worklist in its own transaction; `work_attempts` is each try to reach the person.
# Nothing in either table is free text or a number: kind, status, outcome and result are coded
# values (checked against the vocabulary), the rest ids, times and the working order, all in
# clear; the number a volunteer calls stays sealed in `callbacks`, and so does its agreed time.
# A later version that adds a worklist kind, outcome or result replaces the checks
# (`vocabulary_checks`), as the file's migrations regenerate their triggers.
# A step keeps the codes of its day (a step, once shipped, must make the same store whatever
# the vocabulary became later); tests/storage/test_shared_schema_upgrade.py fails when the
# vocabulary holds a code no step's checks allow.
def vocabulary_checks(
    kinds: tuple[str, ...], outcomes: tuple[str, ...], results: tuple[str, ...]
) -> list[str]:
    checks = (
        ("work_items", "work_items_kind", f"kind IN ({_codes(kinds)})"),
        ("work_items", "work_items_outcome", f"outcome IS NULL OR outcome IN ({_codes(outcomes)})"),
        ("work_attempts", "work_attempts_result", f"result IN ({_codes(results)})"),
    )
    statements = []
    for table, name, condition in checks:
        statements.append(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")
        statements.append(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({condition})")
    return statements


WORKLIST = [
    "ALTER TABLE callbacks ADD COLUMN IF NOT EXISTS messages_ok boolean NOT NULL DEFAULT false",
    # Ordered and paged by (rank, due_at, id) byte by byte, as the file's SQLite compares text,
    # whatever the database's own collation ("C").
    """CREATE TABLE work_items (
        id         text COLLATE "C" PRIMARY KEY,
        kind       text NOT NULL,
        contact_id text NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        due_at     text COLLATE "C" NOT NULL,
        status     text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
        claimed_by text REFERENCES accounts (id),
        claimed_at text,
        outcome    text,
        closed_at  text,
        created_at text NOT NULL,
        rank       integer NOT NULL DEFAULT 5
    )""",
    "CREATE INDEX work_items_queue ON work_items (status, rank, due_at, id)",
    "CREATE INDEX work_items_due ON work_items (status, due_at)",
    "CREATE INDEX work_items_contact ON work_items (contact_id)",
    """CREATE TABLE work_attempts (
        id      text PRIMARY KEY,
        item_id text COLLATE "C" NOT NULL REFERENCES work_items (id) ON DELETE CASCADE,
        at      text NOT NULL,
        actor   text REFERENCES accounts (id),
        result  text NOT NULL
    )""",
    "CREATE INDEX work_attempts_item ON work_attempts (item_id, at)",
    *vocabulary_checks(
        ("followup", "callback"),
        ("helped", "referred", "declined", "unreachable", "no-longer-needed"),
        ("reached", "no-answer", "message-left"),
    ),
    # (The triggers run as the owner: a station's login, under row-level security, writes the item
    # its follow-up or callback makes without a right of its own on `work_items`.)
    # A follow-up is an item; a callback with no follow-up (a kiosk request) is one of its own,
    # due at once; a phone call's callback, written after its follow-up, is that item's number.
    """CREATE FUNCTION intake_work_from_followup() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO work_items (id, kind, contact_id, due_at, status, created_at)
                VALUES (NEW.id, 'followup', NEW.contact_id, NEW.due_at, NEW.status,
                        NEW.created_at)
                ON CONFLICT (id) DO NOTHING;
            ELSE
                UPDATE work_items SET due_at = NEW.due_at, status = NEW.status
                 WHERE id = NEW.id
                   AND (due_at IS DISTINCT FROM NEW.due_at OR status IS DISTINCT FROM NEW.status);
            END IF;
            RETURN NULL;
        END
    $$""",
    """CREATE TRIGGER work_from_followup AFTER INSERT OR UPDATE OF due_at, status ON followups
        FOR EACH ROW EXECUTE FUNCTION intake_work_from_followup()""",
    """CREATE FUNCTION intake_work_from_callback() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                IF NOT EXISTS (SELECT 1 FROM followups WHERE contact_id = NEW.contact_id) THEN
                    INSERT INTO work_items (id, kind, contact_id, due_at, status, created_at)
                    VALUES (NEW.id, 'callback', NEW.contact_id, NEW.created_at, NEW.status,
                            NEW.created_at)
                    ON CONFLICT (id) DO NOTHING;
                END IF;
            ELSE
                UPDATE work_items SET status = NEW.status
                 WHERE id = NEW.id AND kind = 'callback' AND status IS DISTINCT FROM NEW.status;
            END IF;
            RETURN NULL;
        END
    $$""",
    """CREATE TRIGGER work_from_callback AFTER INSERT OR UPDATE OF status ON callbacks
        FOR EACH ROW EXECUTE FUNCTION intake_work_from_callback()""",
    # The working order follows the contact's risk (migration 8's `rank`).
    f"""CREATE FUNCTION intake_work_rank() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
        BEGIN
            NEW.rank := coalesce(
                (SELECT {rank("c")} FROM contacts c WHERE c.id = NEW.contact_id), 5);
            RETURN NEW;
        END
    $$""",
    """CREATE TRIGGER work_rank_new BEFORE INSERT ON work_items
        FOR EACH ROW EXECUTE FUNCTION intake_work_rank()""",
    f"""CREATE FUNCTION intake_work_rank_follows_contact() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
        BEGIN
            UPDATE work_items SET rank = {rank("NEW")} WHERE contact_id = NEW.id;
            RETURN NULL;
        END
    $$""",
    """CREATE TRIGGER work_rank_follows_contact
        AFTER UPDATE OF channel, risk, crisis_actions ON contacts
        FOR EACH ROW EXECUTE FUNCTION intake_work_rank_follows_contact()""",
    # What was owed before this version.
    "INSERT INTO work_items (id, kind, contact_id, due_at, status, created_at) "
    "SELECT id, 'followup', contact_id, due_at, status, created_at FROM followups",
    "INSERT INTO work_items (id, kind, contact_id, due_at, status, created_at) "
    "SELECT id, 'callback', contact_id, created_at, status, created_at FROM callbacks "
    "WHERE contact_id NOT IN (SELECT contact_id FROM followups)",
]

# Version 3: the de-identified answers (issue 18), as the file's (migrations 3 and 7): the
# "was this useful?" feedback and the matching survey. Coded values only, dated to the day, no
# contact, no account, no time of day: nothing in them is sealed because nothing in them leads
# back to a person.
FEEDBACK = [
    """CREATE TABLE feedback (
        id       text PRIMARY KEY,
        day      text NOT NULL,
        channel  text NOT NULL CHECK (channel IN ('phone', 'kiosk')),
        language text NOT NULL CHECK (language IN ('en', 'fr')),
        rating   integer CHECK (rating BETWEEN 1 AND 5),
        found    boolean,
        CHECK (rating IS NOT NULL OR found IS NOT NULL)
    )""",
    """CREATE TABLE survey (
        id        text PRIMARY KEY,
        day       text NOT NULL,
        channel   text NOT NULL CHECK (channel IN ('closure', 'kiosk')),
        language  text NOT NULL CHECK (language IN ('en', 'fr')),
        helpful   integer CHECK (helpful BETWEEN 1 AND 5),
        recommend boolean,
        CHECK (helpful IS NOT NULL OR recommend IS NOT NULL)
    )""",
    "CREATE INDEX survey_day ON survey (day)",
]

# A matched peer's first contact became a worklist kind (the file's migration 13). On the file it
# is read from the matches, as it would be here once matching is on the server; the check follows
# the vocabulary all the same, so the two stores accept the same codes.
FIRST_CONTACT_KIND = vocabulary_checks(
    ("followup", "callback", "first-contact"),
    ("helped", "referred", "declined", "unreachable", "no-longer-needed"),
    ("reached", "no-answer", "message-left"),
)

# The codes of version 5's day (see `vocabulary_checks` on why a step keeps its own).
OUTCOMES_OF_DAY = ("supported", "referred-on", "no-contact", "withdrawn")

# Version 5: the peer-supporter roster, match requests and matches on the server (issue 18), as
# the file's (migration 7). Sealed on the station with the line key, bound to the row and the
# field (crypto.LineKeys): every name and way to reach someone (a peer's name, the requester's
# name and how to reach them), and every free text a person typed (organization, site and
# department of both, a peer's declared conflicts, who trained them). In clear, because the
# server must check, order or count them and none leads back to a person on its own: ids
# (random), times and dates, the province code, the coded lists (languages, formats, topics),
# the role, the source, the status, the answer and the outcome (all but the role checked
# against their vocabulary, as on the file), capacity and availability, the legal hold. A match's first contact (a worklist
# item of kind `first-contact`) is read from `matches`, as on the file. The survey table came
# with version 3. Row-level security: on here (a station's login reads nothing of these tables
# until the policies of `roster_security` let it), the policies added with the
# others' when the owner switches row-level security on, or at once on a store that has it.
MATCH_REQUEST_SOURCES = ("phone", "kiosk", "coordinator")
MATCH_ANSWERS = ("accepted", "declined", "conflict")
MATCH_STATUSES = ("open", "proposed", "matched", "closed", "withdrawn")
ROSTER = [
    """CREATE TABLE peers (
        id           text COLLATE "C" PRIMARY KEY,
        name         bytea,
        province     text NOT NULL,
        organization bytea NOT NULL,
        site         bytea NOT NULL,
        department   bytea NOT NULL,
        languages    text NOT NULL DEFAULT '["en"]',
        formats      text NOT NULL DEFAULT '[]',
        topics       text NOT NULL DEFAULT '[]',
        conflicts    bytea NOT NULL,
        trained_on   text,
        trained_by   bytea,
        capacity     integer NOT NULL DEFAULT 2 CHECK (capacity >= 0),
        available    boolean NOT NULL DEFAULT true,
        account_id   text REFERENCES accounts (id),
        created_at   text NOT NULL,
        left_at      text,
        on_hold      boolean NOT NULL DEFAULT false,
        shredded_at  text
    )""",
    "CREATE INDEX peers_account ON peers (account_id)",
    f"""CREATE TABLE match_requests (
        id              text COLLATE "C" PRIMARY KEY,
        created_at      text COLLATE "C" NOT NULL,
        source          text NOT NULL CHECK (source IN ({_codes(MATCH_REQUEST_SOURCES)})),
        contact_id      text REFERENCES contacts (id) ON DELETE SET NULL,
        consent         boolean NOT NULL CHECK (consent),
        requester_name  bytea,
        requester_reach bytea,
        role            text,
        province        text NOT NULL,
        organization    bytea NOT NULL,
        site            bytea NOT NULL,
        department      bytea NOT NULL,
        wants_outside   boolean NOT NULL DEFAULT false,
        language        text NOT NULL CHECK (language IN ('en', 'fr')),
        format          text,
        topics          text NOT NULL DEFAULT '[]',
        status          text NOT NULL DEFAULT 'open'
                        CHECK (status IN ({_codes(MATCH_STATUSES)})),
        closed_at       text,
        outcome         text CHECK (outcome IS NULL OR outcome IN ({_codes(OUTCOMES_OF_DAY)})),
        created_by      text REFERENCES accounts (id),
        on_hold         boolean NOT NULL DEFAULT false,
        shredded_at     text
    )""",
    "CREATE INDEX match_requests_created ON match_requests (created_at)",
    "CREATE INDEX match_requests_status ON match_requests (status, created_at)",
    f"""CREATE TABLE matches (
        id                text COLLATE "C" PRIMARY KEY,
        request_id        text COLLATE "C" NOT NULL
                          REFERENCES match_requests (id) ON DELETE CASCADE,
        peer_id           text COLLATE "C" NOT NULL REFERENCES peers (id),
        proposed_at       text COLLATE "C" NOT NULL,
        proposed_by       text REFERENCES accounts (id),
        answer            text CHECK (answer IN ({_codes(MATCH_ANSWERS)})),
        answered_at       text,
        first_contact_due text COLLATE "C",
        first_contact_at  text,
        closed_at         text
    )""",
    "CREATE INDEX matches_request ON matches (request_id)",
    "CREATE INDEX matches_peer ON matches (peer_id, answer, closed_at)",
    "CREATE INDEX matches_first_contact ON matches (first_contact_at, first_contact_due)",
    "ALTER TABLE peers ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE match_requests ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE matches ENABLE ROW LEVEL SECURITY",
    roster_security.in_upgrade(),
]

# The console on the server and a worklist that follows within seconds (issue 18):
# - every change to a worklist item (a claim, a release, a new due time, a close) and every
#   attempt is announced on the worklist channel, as new callbacks and follow-ups already are
#   (their items are announced by the callback or follow-up itself), ids only;
# - the console's settings: the on-call supervisor's contact sealed on the station (bound to
#   its key), the idle lock, the retention period and the kiosk's policy as coded numbers in
#   clear; the retention period moves here from `meta`;
# - an account disabled from the console: `disabled_at`, and its PIN verifier set aside, so the
#   server's own PIN function finds nothing to match (enabling it puts the verifier back).
CONSOLE = [
    """CREATE FUNCTION intake_work_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_TABLE_NAME = 'work_attempts' THEN
                PERFORM pg_notify('intake_worklist', 'work_attempts ' || NEW.item_id);
            ELSE
                PERFORM pg_notify('intake_worklist', 'work_items ' || NEW.id);
            END IF;
            RETURN NULL;
        END
    $$""",
    """CREATE TRIGGER work_items_notify AFTER UPDATE ON work_items
        FOR EACH ROW EXECUTE FUNCTION intake_work_changed()""",
    """CREATE TRIGGER work_attempts_notify AFTER INSERT ON work_attempts
        FOR EACH ROW EXECUTE FUNCTION intake_work_changed()""",
    """CREATE TABLE console_settings (
        key    text PRIMARY KEY,
        value  text,
        sealed bytea,
        CHECK ((value IS NULL) <> (sealed IS NULL))
    )""",
    "INSERT INTO console_settings (key, value) "
    "SELECT key, value FROM meta WHERE key = 'retention_days'",
    "DELETE FROM meta WHERE key = 'retention_days'",
    "ALTER TABLE accounts ADD COLUMN disabled_at timestamptz",
    "ALTER TABLE accounts ADD COLUMN disabled_verifier bytea",
    # Per-person logins (row-level security, security.py) read the settings and who is disabled.
    *(
        f"""DO $$ BEGIN
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{group}')
               AND to_regproc('intake_me') IS NOT NULL THEN
                GRANT SELECT ON console_settings TO {group};
                GRANT SELECT (disabled_at) ON accounts TO {group};
            END IF;
        END $$"""
        for group in ("intake_volunteer", "intake_supervisor")
    ),
]

# The console under each person's own login (issue 18): where row-level security was switched on
# before them, the server functions a supervisor's login runs the console through (accounts,
# PINs, lockouts, the console's settings), callable by the supervisors' group only, and a
# legal hold set or lifted by a supervisor's login only (console_security.py); elsewhere they
# come with `intake db row-security`.
CONSOLE_LOGINS = console_security.STEP

# Issue 18's review: what a volunteer's or a peer supporter's login may change, column by column,
# and a peer supporter's own matches read but never added or pointed elsewhere
# (`work_security.VOLUNTEER_COLUMNS`, `roster_security.OWN_MATCH_FIXES`), for a store whose row
# security was switched on before; any other store gets them with `intake db row-security`.
SECURITY_FIXES = [
    *work_security.FIXES_STEP,
    roster_security.in_upgrade(roster_security.OWN_MATCH_FIXES),
]


def contact_checks(
    scalars: dict[str, tuple[str, ...]], lists: dict[str, tuple[str, ...]]
) -> list[str]:
    """One check that a contact's coded values are the vocabulary's (the file's trigger
    `contacts_vocabulary` of migration 8): each scalar column NULL or one of its codes, each
    list (a JSON array kept as text) made only of its codes. NOT VALID: rows written before are
    not checked again (an upgrade never fails on an old row), every write from now on is."""
    conditions = [
        f"({column} IS NULL OR {column} IN ({_codes(codes)}))" for column, codes in scalars.items()
    ]
    conditions += [
        f"{column}::jsonb <@ '{json.dumps(list(codes))}'::jsonb" for column, codes in lists.items()
    ]
    return [
        "ALTER TABLE contacts DROP CONSTRAINT IF EXISTS contacts_vocabulary",
        f"ALTER TABLE contacts ADD CONSTRAINT contacts_vocabulary CHECK ({' AND '.join(conditions)}) "
        "NOT VALID",
    ]


# A contact's coded values, checked by the server as by the file (a typo'd outcome or topic
# would otherwise be counted in every report). The codes of this step's day.
CONTACT_VOCABULARY = contact_checks(
    {
        "channel": ("phone", "kiosk"),
        "risk": ("none", "concern", "high", "imminent"),
        "role": ("physician", "resident", "student", "retired", "family", "other"),
        "need": ("peer", "counselling", "mentorship", "coaching", "information"),
        "outcome": (
            "referred",
            "information",
            "crisis-connected",
            "callback",
            "declined",
            "disconnected",
            "abandoned",
            "callback-requested",
            "crisis-screen",
        ),
    },
    {
        "topics": (
            "burnout",
            "complaint",
            "adverse-outcome",
            "relationships",
            "grief",
            "substance-use",
            "mental-health",
            "career",
            "harassment",
        ),
        "formats": ("one-on-one", "group", "phone", "virtual", "in-person", "text"),
        "crisis_actions": (
            "crisis-route-opened",
            "emergency-called",
            "988-offered",
            "warm-transfer",
            "connection-confirmed",
            "supervisor-informed",
            "no-connection:declined-with-plan",
            "no-connection:disconnected",
            "no-connection:already-with-help",
            "supervisor-not-informed:not-reachable",
            "supervisor-not-informed:none-on-call",
            "safety-not-screened",
            "kiosk-crisis-screen",
            "kiosk-staff-alerted",
        ),
    },
)

# The steps after version 1, in order: STEPS[n - 2] brings a version n - 1 store to version n.
PIN_STEP = UPGRADES
# The tests of an older store's PIN upgrade set the version back to the one before PIN_STEP: the
# steps after it run again there, so each of them must be harmless to run twice.
STEPS: list[list[str]] = [
    WORKLIST,
    FEEDBACK,
    FIRST_CONTACT_KIND,
    ROSTER,
    ROW_SECURITY_STEP,
    CONSOLE,
    CONSOLE_LOGINS,
    SECURITY_FIXES,
    PIN_STEP,
    # A disabled account's own login reads and writes nothing; no login deletes a contact, a
    # callback or a follow-up (console_security.LAST).
    console_security.LAST_STEP,
    CONTACT_VOCABULARY,
]

VERSION = 1 + len(STEPS)
