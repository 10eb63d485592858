"""Who sees what, enforced by the server (row-level security), not only by the application.

Each person signs in to the server with their own login role; `accounts.db_role` maps the
line's account to it, and the role is a member of `intake_volunteer` or `intake_supervisor`.
Then, whatever a station's program does:

- a volunteer's connection reads and writes its own contacts, and the notes, note-search
  tokens, callbacks and follow-ups of its own contacts; its own drafts only;
- of other volunteers' work it sees only the open worklist (`open_worklist`: ids, kind, due
  time, time zone, who claimed it; no number, no name, no note). Claiming an item goes through
  `intake_claim_callback`, which locks the row, claims it for the connection's own account and
  only then makes the row, with its (sealed) number, readable to that person; the station
  audits the claim in the same transaction;
- supervisors read and write everything; the console's changes (accounts, PINs, lockouts, the
  console's settings) only through its server functions (console_security.py).

The line's owner role (the one that ran `intake db init`) owns the tables and is not subject to
these policies; it is for administration, never for a station. A superuser bypasses row-level
security altogether: never give a station a superuser.
"""

from __future__ import annotations

import contextlib
from typing import Any

from psycopg import sql

from intake.storage.pg import console_security, roster_security, work_security
from intake.storage.pg.schema import ACCOUNT_COLUMNS, PIN_SIGNATURE

GROUPS = ("intake_volunteer", "intake_supervisor")

STATEMENTS = [
    *(
        f"""DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{group}') THEN
                CREATE ROLE {group} NOLOGIN;
            END IF;
        END $$"""
        for group in GROUPS
    ),
    "ALTER TABLE accounts ADD COLUMN IF NOT EXISTS db_role text UNIQUE",
    # Who the connection is, and whether it reads everything. SECURITY DEFINER: they read
    # `accounts` as the owner; `session_user` is the person's login role.
    """CREATE FUNCTION intake_me() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, public, pg_temp AS $$
        SELECT id FROM accounts WHERE db_role = session_user
    $$""",
    """CREATE FUNCTION intake_sees_all() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, public, pg_temp AS $$
        SELECT EXISTS (
            SELECT 1 FROM accounts WHERE db_role = session_user AND role = 'supervisor'
        )
    $$""",
    "ALTER TABLE contacts ENABLE ROW LEVEL SECURITY",
    """CREATE POLICY contacts_own ON contacts
        USING (intake_sees_all() OR created_by = intake_me())
        WITH CHECK (intake_sees_all() OR created_by = intake_me())""",
    "ALTER TABLE notes ENABLE ROW LEVEL SECURITY",
    """CREATE POLICY notes_of_visible_contacts ON notes
        USING (intake_sees_all() OR contact_id IN (SELECT id FROM contacts))""",
    "ALTER TABLE note_words ENABLE ROW LEVEL SECURITY",
    """CREATE POLICY words_of_visible_notes ON note_words
        USING (intake_sees_all() OR note_id IN (SELECT id FROM notes))""",
    "ALTER TABLE callbacks ENABLE ROW LEVEL SECURITY",
    """CREATE POLICY callbacks_own_or_claimed ON callbacks
        USING (
            intake_sees_all() OR claimed_by = intake_me()
            OR contact_id IN (SELECT id FROM contacts)
        )
        WITH CHECK (
            intake_sees_all() OR claimed_by = intake_me()
            OR contact_id IN (SELECT id FROM contacts)
        )""",
    "ALTER TABLE followups ENABLE ROW LEVEL SECURITY",
    """CREATE POLICY followups_own_or_claimed ON followups
        USING (
            intake_sees_all() OR claimed_by = intake_me()
            OR contact_id IN (SELECT id FROM contacts)
        )
        WITH CHECK (
            intake_sees_all() OR claimed_by = intake_me()
            OR contact_id IN (SELECT id FROM contacts)
        )""",
    "ALTER TABLE drafts ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY drafts_own ON drafts USING (account_id = intake_me())",
    # The open worklist of the whole line, without numbers, names or notes (a view runs with
    # its owner's rights, so every open item shows).
    """CREATE VIEW open_worklist AS
        SELECT 'callback' AS kind, id, contact_id, NULL::text AS due_at, time_zone,
               claimed_by
          FROM callbacks WHERE status = 'open'
        UNION ALL
        SELECT 'followup', id, contact_id, due_at, NULL, claimed_by
          FROM followups WHERE status = 'open'""",
    # Claim for the connection's own account: 'won', 'yours', 'taken', 'closed' or 'missing'.
    """CREATE FUNCTION intake_claim_callback(item text) RETURNS text LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
        DECLARE
            me text := intake_me();
            claimed record;
        BEGIN
            IF me IS NULL THEN
                RAISE EXCEPTION 'this server role is not a line account';
            END IF;
            SELECT status, claimed_by INTO claimed FROM callbacks WHERE id = item FOR UPDATE;
            IF NOT FOUND THEN
                RETURN 'missing';
            ELSIF claimed.status <> 'open' THEN
                RETURN 'closed';
            ELSIF claimed.claimed_by = me THEN
                RETURN 'yours';
            ELSIF claimed.claimed_by IS NOT NULL THEN
                RETURN 'taken';
            END IF;
            UPDATE callbacks SET claimed_by = me, claimed_at = now() WHERE id = item;
            RETURN 'won';
        END
    $$""",
    "REVOKE ALL ON FUNCTION intake_claim_callback(text) FROM PUBLIC",
    *(
        statement
        for group in GROUPS
        for statement in (
            f"GRANT SELECT ON meta, audit, audit_head, open_worklist TO {group}",
            f"GRANT SELECT ON console_settings TO {group}",  # the console's settings
            f"GRANT SELECT (disabled_at) ON accounts TO {group}",
            # Not the PIN verifier: with it and the line passphrase, a login could try every
            # PIN offline; without it, every try goes through the server and is counted.
            f"GRANT SELECT ({ACCOUNT_COLUMNS}) ON accounts TO {group}",
            # PIN tries only through the server's function: no login writes the count itself.
            f"GRANT EXECUTE ON FUNCTION {PIN_SIGNATURE} TO {group}",
            f"GRANT INSERT ON audit TO {group}",
            f"GRANT UPDATE ON audit_head TO {group}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON contacts, notes, note_words, callbacks, "
            f"followups, drafts TO {group}",
            f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {group}",
            f"GRANT EXECUTE ON FUNCTION intake_claim_callback(text) TO {group}",
        )
    ),
]

# The worklist, its attempts, feedback and the survey (work_security.py; also a schema step for
# a store whose row security was switched on before them).
STATEMENTS.extend(work_security.STATEMENTS)
# The console's writes, through server functions for supervisors only (console_security.py).
STATEMENTS.extend(console_security.STATEMENTS)


def enable_row_security(owner: Any, *, in_transaction: bool = False) -> None:
    """Switch the policies on, on the owner's connection (one transaction; `in_transaction`:
    the caller's)."""
    with contextlib.nullcontext() if in_transaction else owner.transaction():
        for statement in STATEMENTS:
            owner.execute(statement)
        # The roster's and matching's (their own module), once their tables exist (version 5
        # adds them, and these policies with them where row-level security is on).
        roster = owner.execute("SELECT to_regclass('peers') IS NOT NULL").fetchone()
        for statement in roster_security.STATEMENTS if roster and roster[0] else ():
            owner.execute(statement)
        for statement in console_security.LAST:  # last: see there
            owner.execute(statement)


def owns_the_line(store: Any) -> bool:
    """Whether the connection's login owns the line's tables (the owner, a member of it, or a
    superuser): the only one that may switch row security on or map logins."""
    rows = store.query(
        "SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class "
        "WHERE oid = 'accounts'::regclass"
    )
    return bool(rows and rows[0][0])


def groups_out_of_reach(store: Any) -> str | None:
    """The owner login's name when it can neither make the line's groups nor grant them to
    people's logins (`intake db row-security` and `map-account` would fail half-way); None when
    it can. A missing group needs CREATEROLE; an existing one, the ADMIN OPTION on it (or,
    before PostgreSQL 16, CREATEROLE, which then granted any role but a superuser's)."""
    who, superuser, createrole, version = store.query(
        "SELECT current_user, rolsuper, rolcreaterole, "
        "current_setting('server_version_num')::int FROM pg_roles WHERE rolname = current_user"
    )[0]
    if superuser:
        return None
    admin = dict(
        store.query(
            "SELECT rolname, pg_has_role(current_user, oid, 'MEMBER WITH ADMIN OPTION') "
            "FROM pg_roles WHERE rolname = ANY(%s)",
            (list(GROUPS),),
        )
    )
    for group in GROUPS:
        if group not in admin and not createrole:
            return str(who)
        if group in admin and not admin[group] and not (createrole and version < 160000):
            return str(who)
    return None


def row_security_on(store: Any) -> bool:
    """Whether `enable_row_security` has run on this shared store."""
    return bool(store.query("SELECT to_regproc('intake_me') IS NOT NULL")[0][0])


def login_exists(store: Any, login_role: str) -> bool:
    return bool(store.query("SELECT 1 FROM pg_roles WHERE rolname = %s", (login_role,)))


def map_account(
    owner: Any, account_id: str, login_role: str, *, supervisor: bool, in_transaction: bool = False
) -> None:
    """Let `login_role` (made by the server's administrator, with its password) act as the
    line account `account_id`; it joins the volunteer or supervisor group."""
    group = "intake_supervisor" if supervisor else "intake_volunteer"
    other = "intake_volunteer" if supervisor else "intake_supervisor"
    with contextlib.nullcontext() if in_transaction else owner.transaction():
        # The login the account had before (a leaked password, a new person's login) acts for
        # nobody any more: out of both groups, so it reads nothing and tries no one's PIN.
        before = owner.execute(
            "SELECT a.db_role FROM accounts a JOIN pg_roles r ON r.rolname = a.db_role "
            "WHERE a.id = %s AND a.db_role <> %s",
            (account_id, login_role),
        ).fetchone()
        revoke = [(g, before[0]) for g in (group, other)] if before else []
        for name, login in [*revoke, (other, login_role)]:
            owner.execute(
                sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(name), sql.Identifier(login))
            )
        owner.execute(
            sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(login_role))
        )
        owner.execute("UPDATE accounts SET db_role = %s WHERE id = %s", (login_role, account_id))
