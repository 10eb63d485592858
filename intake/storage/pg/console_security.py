"""The supervisor console under each person's own server login (row-level security, security.py).

A person's login (a member of `intake_volunteer` or `intake_supervisor`) has no right to write
`accounts` or `console_settings` itself: it reads the accounts (without the PIN verifier) and
the settings, nothing more. What the console changes goes through the server functions below,
SECURITY DEFINER (they run as the line's owner, `search_path` pinned), as PIN tries go through
`intake_pin_attempt`. Each one first checks the caller's own account (`intake_me()`, the
account its login is mapped to): a supervisor's, not disabled, its row share-locked for the
rest of the transaction (one disabled meanwhile can no longer act). Only the supervisors' group
may call them (coordinators join that group to read the answers back, but the console is for
supervisors, as on the station's file: the functions refuse a coordinator's account); a
volunteer's login cannot call them at all, nor write either table with its own SQL.

- `intake_console_actor()`: the check above; the station calls it before listing the accounts;
- `intake_console_lock_accounts()`: the check, then the accounts table locked against new rows
  and changes until the transaction ends, so the station can compare the new name with every
  other (names are sealed: only a station can open them) before
  `intake_console_add_account(...)` adds it (sealed name, sealed PIN parameters, verifier; any
  role but a kiosk's);
- `intake_console_set_disabled(account, disabled)`: every supervisor's row locked first (in one
  order), then the same refusals as the station's file: not oneself ("self"), not the last
  supervisor who can sign in ("last-supervisor"); the PIN verifier set aside or put back;
- `intake_console_reset_pin(account, sealed PIN, verifier)` and
  `intake_console_clear_lockout(account)`: the only ways, besides a PIN try, that the failure
  count and the lockout are written;
- `intake_console_put_settings(keys, values, sealed, unless_set)`: the console's settings;
- a legal hold on a contact is set or lifted by a supervisor's login only (a trigger: a
  volunteer's login writes its own contacts, not their hold).

The station still audits each change in the same transaction (`w.audit`), never with a name, a
PIN or a number. These statements run with the others when the owner switches row-level
security on (`intake db row-security`), and as the schema step `STEP` on a store whose row
security was switched on before them. Each may run again harmlessly.
"""

from __future__ import annotations

# Every function's signature, for its grant.
SIGNATURES = (
    "intake_console_actor()",
    "intake_console_lock_accounts()",
    "intake_console_add_account(text, bytea, text, bytea, bytea)",
    "intake_console_set_disabled(text, boolean)",
    "intake_console_reset_pin(text, bytea, bytea)",
    "intake_console_clear_lockout(text)",
    "intake_console_put_settings(text[], text[], bytea[], boolean)",
)

_DEFINER = "LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp"
# What the server raises for a caller that may not: the station's NotAllowed.
_REFUSE = "USING ERRCODE = '42501'"

# A legal hold (`contacts.on_hold`) is set or lifted by a supervisor only: a volunteer's login may
# write its own contacts, but not their hold, even with its own SQL. (The owner, in neither
# group, moves a station's file with its holds.) "Mapped" does not ask `intake_me()`, which
# answers nothing for a disabled account (security.ENABLED_ONLY).
HOLD_BY_SUPERVISOR = f"""CREATE OR REPLACE FUNCTION intake_hold_by_supervisor() RETURNS trigger {_DEFINER} AS $$
        BEGIN
            IF (TG_OP = 'INSERT' AND NEW.on_hold)
               OR (TG_OP = 'UPDATE' AND NEW.on_hold IS DISTINCT FROM OLD.on_hold) THEN
                -- A login mapped to an account, disabled or not (a station's own login,
                -- mapped to none, writes no contact at all: security.py's policies); the
                -- owner, mapped to none, moves a station's file with its holds.
                IF EXISTS (SELECT 1 FROM accounts WHERE db_role = session_user)
                   AND NOT EXISTS (
                       SELECT 1 FROM accounts WHERE db_role = session_user
                          AND role = 'supervisor' AND disabled_at IS NULL) THEN
                    RAISE EXCEPTION 'only a supervisor holds or releases a record' {_REFUSE};
                END IF;
            END IF;
            RETURN NEW;
        END
    $$"""

STATEMENTS = [
    f"""CREATE OR REPLACE FUNCTION intake_console_actor() RETURNS text {_DEFINER} AS $$
        DECLARE
            me text := intake_me();
            acting boolean;
        BEGIN
            SELECT role = 'supervisor' AND disabled_at IS NULL INTO acting
              FROM accounts WHERE id = me FOR SHARE;
            IF me IS NULL OR acting IS NOT TRUE THEN
                RAISE EXCEPTION 'only a supervisor runs the console' {_REFUSE};
            END IF;
            RETURN me;
        END
    $$""",
    f"""CREATE OR REPLACE FUNCTION intake_console_lock_accounts() RETURNS void {_DEFINER} AS $$
        BEGIN
            PERFORM intake_console_actor();
            LOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE;
        END
    $$""",
    f"""CREATE OR REPLACE FUNCTION intake_console_add_account(
            p_id text, p_name bytea, p_role text, p_pin bytea, p_verifier bytea
        ) RETURNS void {_DEFINER} AS $$
        BEGIN
            PERFORM intake_console_lock_accounts();
            IF p_role IS NULL OR p_role NOT IN (
                    'volunteer', 'supervisor', 'coordinator', 'peer-supporter') THEN
                RAISE EXCEPTION 'the console does not add this role' {_REFUSE};
            END IF;
            INSERT INTO accounts (id, display_name, role, pin_hash, pin_verifier)
            VALUES (p_id, p_name, p_role, p_pin, p_verifier);
        END
    $$""",
    # 'changed', 'unchanged', or a refusal: 'self', 'last-supervisor', 'not-allowed'.
    f"""CREATE OR REPLACE FUNCTION intake_console_set_disabled(
            p_account text, p_disabled boolean
        ) RETURNS text {_DEFINER} AS $$
        DECLARE
            me text;
            target record;
        BEGIN
            -- Every supervisor's row first, in one order, before any other lock: two
            -- supervisors disabling each other at once wait one for the other.
            PERFORM 1 FROM accounts WHERE role = 'supervisor' ORDER BY id FOR UPDATE;
            me := intake_console_actor();
            IF p_disabled AND p_account = me THEN
                RETURN 'self';
            END IF;
            SELECT role, disabled_at IS NOT NULL AS was INTO target
              FROM accounts WHERE id = p_account FOR UPDATE;
            IF NOT FOUND OR p_disabled IS NULL THEN
                RETURN 'not-allowed';
            END IF;
            IF p_disabled AND target.role = 'supervisor' AND NOT EXISTS (
                    SELECT 1 FROM accounts WHERE role = 'supervisor'
                       AND disabled_at IS NULL AND id <> p_account) THEN
                RETURN 'last-supervisor';
            END IF;
            IF p_disabled = target.was THEN
                RETURN 'unchanged';
            ELSIF p_disabled THEN
                UPDATE accounts SET disabled_at = now(), disabled_verifier = pin_verifier,
                       pin_verifier = NULL
                 WHERE id = p_account;
            ELSE
                UPDATE accounts SET disabled_at = NULL, pin_verifier = disabled_verifier,
                       disabled_verifier = NULL
                 WHERE id = p_account;
            END IF;
            RETURN 'changed';
        END
    $$""",
    f"""CREATE OR REPLACE FUNCTION intake_console_reset_pin(
            p_account text, p_pin bytea, p_verifier bytea
        ) RETURNS text {_DEFINER} AS $$
        BEGIN
            PERFORM intake_console_actor();
            UPDATE accounts SET pin_hash = p_pin, failed_pins = 0, locked_until = NULL,
                   pin_verifier = CASE WHEN disabled_at IS NULL THEN p_verifier END,
                   disabled_verifier = CASE WHEN disabled_at IS NOT NULL THEN p_verifier END
             WHERE id = p_account AND role <> 'kiosk' AND p_pin IS NOT NULL;
            IF NOT FOUND THEN
                RETURN 'not-allowed';
            END IF;
            RETURN NULL;
        END
    $$""",
    f"""CREATE OR REPLACE FUNCTION intake_console_clear_lockout(p_account text) RETURNS text
        {_DEFINER} AS $$
        BEGIN
            PERFORM intake_console_actor();
            UPDATE accounts SET failed_pins = 0, locked_until = NULL WHERE id = p_account;
            RETURN NULL;
        END
    $$""",
    # Whether it wrote them (false: `p_unless_set` and one of the keys was set already). A key
    # with neither a value nor a sealed value is deleted.
    f"""CREATE OR REPLACE FUNCTION intake_console_put_settings(
            p_keys text[], p_values text[], p_sealed bytea[], p_unless_set boolean
        ) RETURNS boolean {_DEFINER} AS $$
        BEGIN
            PERFORM intake_console_actor();
            IF p_unless_set THEN
                PERFORM 1 FROM console_settings WHERE key = ANY(p_keys) FOR UPDATE;
                IF FOUND THEN
                    RETURN false;
                END IF;
            END IF;
            FOR i IN 1 .. coalesce(array_length(p_keys, 1), 0) LOOP
                IF p_values[i] IS NULL AND p_sealed[i] IS NULL THEN
                    DELETE FROM console_settings WHERE key = p_keys[i];
                ELSE
                    INSERT INTO console_settings (key, value, sealed)
                    VALUES (p_keys[i], p_values[i], p_sealed[i])
                    ON CONFLICT (key) DO UPDATE
                       SET value = excluded.value, sealed = excluded.sealed;
                END IF;
            END LOOP;
            RETURN true;
        END
    $$""",
    HOLD_BY_SUPERVISOR,
    "DROP TRIGGER IF EXISTS contacts_hold_by_supervisor ON contacts",
    """CREATE TRIGGER contacts_hold_by_supervisor BEFORE INSERT OR UPDATE OF on_hold ON contacts
        FOR EACH ROW EXECUTE FUNCTION intake_hold_by_supervisor()""",
    *(
        statement
        for signature in SIGNATURES
        for statement in (
            # A function may be called by anyone unless revoked: by the supervisors' group only.
            f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC",
            f"REVOKE ALL ON FUNCTION {signature} FROM intake_volunteer",
            f"GRANT EXECUTE ON FUNCTION {signature} TO intake_supervisor",
        )
    ),
]


def _where_row_security_is_on(statement: str) -> str:
    """The statement, run only in a database where row security was switched on."""
    return (
        "DO $step$ BEGIN IF to_regproc('intake_me') IS NOT NULL THEN "
        f"EXECUTE $cs${statement}$cs$; END IF; END $step$"
    )


# The schema step (just before the PIN step): a store whose row security was switched on before
# these functions gets them at its owner's next open; any other store is left as it is (they
# come with `intake db row-security`).
STEP = [_where_row_security_is_on(statement) for statement in STATEMENTS]


# A disabled account (the console's `disabled_at`) keeps its login, and the login its group,
# until the server's administrator removes them: so the functions every policy asks ("who is
# this login?", "does it read everything?", "does it run the roster?") answer as for nobody
# once the account is disabled, and its own SQL, on a connection still open, reads and writes
# nothing they guard; enabled again, the same login works again. Made last (they read
# `disabled_at`, which version 7 added; the roster's replaces `intake_coordinates`): at the end
# of `security.enable_row_security`, and by the schema step `LAST_STEP` for a store whose row
# security was switched on before. The hold trigger asks "mapped?" without them.
_ENABLED = "AND disabled_at IS NULL"
ENABLED_ONLY = [
    f"""CREATE OR REPLACE FUNCTION intake_me() RETURNS text LANGUAGE sql STABLE
        SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
        SELECT id FROM accounts WHERE db_role = session_user {_ENABLED}
    $$""",
    f"""CREATE OR REPLACE FUNCTION intake_sees_all() RETURNS boolean LANGUAGE sql STABLE
        SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
        SELECT EXISTS (
            SELECT 1 FROM accounts WHERE db_role = session_user
               AND role IN ('supervisor', 'coordinator') {_ENABLED}
        )
    $$""",
    f"""CREATE OR REPLACE FUNCTION intake_coordinates() RETURNS boolean LANGUAGE sql STABLE
        SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
        SELECT EXISTS (
            SELECT 1 FROM accounts WHERE db_role = session_user
               AND role IN ('coordinator', 'supervisor') {_ENABLED}
        )
    $$""",
    HOLD_BY_SUPERVISOR,
]

# No login deletes a contact, a callback or a follow-up: a legal hold would otherwise guard only
# its flag (a volunteer's login could delete its own held contact with its own SQL). No station
# deletes them; the retention purge runs with the owner's address and skips what is held.
NO_DELETES = [
    f"REVOKE DELETE ON contacts, callbacks, followups FROM {group}"
    for group in ("intake_volunteer", "intake_supervisor")
]

# A volunteer holding another's callback (`intake_claim_callback`) reads its number to call the
# person back, and closes it (the number then forgotten: `status` to done, `number` to NULL),
# nothing more: with its own SQL it could otherwise put another number in, or change the agreed
# time or the permission to leave a message, and misdirect the line's call. The login of the
# volunteer who saved the call, a supervisor's or a coordinator's, and the owner's (a login
# mapped to no account) correct it as before. The claim itself changes only `claimed_by` and
# `claimed_at`, through the server's function.
HOLDER_LIMITS = [
    f"""CREATE OR REPLACE FUNCTION intake_callback_holder_limits() RETURNS trigger {_DEFINER} AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM accounts WHERE db_role = session_user)
               AND NOT intake_sees_all()
               AND NOT EXISTS (SELECT 1 FROM contacts
                                WHERE id = OLD.contact_id AND created_by = intake_me())
               AND ((NEW.number IS DISTINCT FROM OLD.number AND NEW.number IS NOT NULL)
                    OR NEW.best_time IS DISTINCT FROM OLD.best_time
                    OR NEW.time_zone IS DISTINCT FROM OLD.time_zone
                    OR NEW.messages_ok IS DISTINCT FROM OLD.messages_ok
                    OR NEW.contact_id IS DISTINCT FROM OLD.contact_id
                    OR (NEW.status = 'open' AND OLD.status IS DISTINCT FROM 'open')) THEN
                RAISE EXCEPTION 'the one holding a callback only calls and closes it' {_REFUSE};
            END IF;
            RETURN NEW;
        END
    $$""",
    "DROP TRIGGER IF EXISTS callbacks_holder_limits ON callbacks",
    """CREATE TRIGGER callbacks_holder_limits BEFORE UPDATE ON callbacks
        FOR EACH ROW EXECUTE FUNCTION intake_callback_holder_limits()""",
]

# Run after every other statement of `security.enable_row_security`; and the schema step that
# gives them to a store whose row security was switched on before (nothing where it is off).
LAST = ENABLED_ONLY + NO_DELETES + HOLDER_LIMITS
LAST_STEP = [_where_row_security_is_on(statement) for statement in LAST]
