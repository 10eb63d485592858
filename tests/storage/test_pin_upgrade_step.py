# One store only (the shared server): the server's versioned PIN step.
"""The server-decided PIN is one versioned step (`schema.PIN_STEP`), no longer a second upgrade
mechanism detected by the function's signature: a version-1 store made with version 1's own DDL
(the function that took the station's word and clock, full PIN hashes sealed, no verifier
column) reaches this version at its owner's open, every step once, and the step's key-holding
part splits the PIN hashes in the same transaction: old PINs still work, the old function is
gone, the server decides."""

from __future__ import annotations

import psycopg
import pytest

from intake.pins import hash_pin
from intake.storage.account_store import FIRST_LOCK, FREE_ATTEMPTS, LONGEST_LOCK
from intake.storage.errors import StoreNeedsOwner
from intake.storage.pg import schema
from intake.storage.pg.store import PgStore, add_supervisor, create_shared_store, open_shared_store
from tests.conftest import PASSPHRASE, PIN, SUPERVISOR

# Version 1's own function (commit e43f133): the station said whether the PIN was right, and
# gave the time.
VERSION_1_PIN_FUNCTION = f"""CREATE OR REPLACE FUNCTION intake_pin_attempt(
        p_account text, p_right boolean, p_hash bytea, p_now timestamptz)
    RETURNS TABLE (outcome text, failures integer, name bytea, account_role text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    #variable_conflict use_column
    DECLARE
        acct record;
        tries integer;
    BEGIN
        SELECT a.display_name, a.role, a.pin_hash, a.failed_pins, a.locked_until INTO acct
          FROM accounts a WHERE a.id = p_account FOR UPDATE;
        IF NOT FOUND THEN
            RETURN;
        END IF;
        IF acct.locked_until IS NOT NULL AND p_now < acct.locked_until THEN
            RETURN QUERY SELECT 'locked'::text, acct.failed_pins, acct.display_name, acct.role;
            RETURN;
        END IF;
        IF p_right AND acct.pin_hash = p_hash THEN
            UPDATE accounts SET failed_pins = 0, locked_until = NULL WHERE id = p_account;
            RETURN QUERY SELECT 'right'::text, 0, acct.display_name, acct.role;
            RETURN;
        END IF;
        tries := acct.failed_pins + 1;
        UPDATE accounts SET failed_pins = tries, locked_until = CASE
            WHEN tries < {FREE_ATTEMPTS} THEN NULL
            ELSE p_now + least(
                interval '{int(FIRST_LOCK.total_seconds())} seconds'
                    * power(2, least(tries - {FREE_ATTEMPTS}, 30)),
                interval '{int(LONGEST_LOCK.total_seconds())} seconds')
            END
          WHERE id = p_account;
        RETURN QUERY SELECT 'wrong'::text, tries, acct.display_name, acct.role;
    END
$$"""


def _version_1_store(pg_dsn: str) -> tuple[str, str]:
    """A store as version 1's DDL made it; (the supervisor's id, a volunteer's id)."""
    made = create_shared_store(
        pg_dsn, PASSPHRASE, initialize=add_supervisor(SUPERVISOR, hash_pin(PIN)), version=1
    )
    try:
        volunteer = made.add_account("Alice", "volunteer", hash_pin("739105"))
        # (By SQL: `list_accounts` reads columns of later versions.)
        supervisor = made.query("SELECT id FROM accounts WHERE id <> %s", (volunteer,))[0][0]
        keys = made.line_keys
        with made.writing() as w:
            w.q(f"DROP FUNCTION {schema.PIN_SIGNATURE}")
            w.q("DROP TABLE purge_reports")
            for account, pin in ((supervisor, PIN), (volunteer, "739105")):
                w.q(
                    "UPDATE accounts SET pin_hash = %s WHERE id = %s",
                    (keys.seal("accounts", "pin_hash", account, hash_pin(pin)), account),
                )
            w.q("ALTER TABLE accounts DROP COLUMN pin_verifier")
            w.q(VERSION_1_PIN_FUNCTION)
            w.q(f"REVOKE ALL ON FUNCTION {schema.OLD_PIN_SIGNATURE} FROM PUBLIC")
    finally:
        made.close()
    return supervisor, volunteer


def _functions(pg_dsn: str) -> list[str]:
    """The `intake_pin_attempt` functions on the server, as the signatures schema.py names."""
    with psycopg.connect(pg_dsn) as conn:
        return [
            signature
            for signature in (schema.OLD_PIN_SIGNATURE, schema.PIN_SIGNATURE)
            if conn.execute("SELECT to_regprocedure(%s) IS NOT NULL", (signature,)).fetchone()
            == (True,)
        ]


def _definers_without_temp_last(pg_dsn: str) -> list[str]:
    with psycopg.connect(pg_dsn) as conn:
        rows = conn.execute(
            "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'public' AND p.prosecdef AND NOT coalesce("
            "'search_path=pg_catalog, public, pg_temp' = ANY (p.proconfig), false)"
        ).fetchall()
    return sorted(r[0] for r in rows)


def test_a_version_1_store_made_with_its_own_ddl_reaches_this_version(pg_dsn: str) -> None:
    supervisor, volunteer = _version_1_store(pg_dsn)
    assert _functions(pg_dsn) == [schema.OLD_PIN_SIGNATURE]
    with psycopg.connect(pg_dsn, autocommit=True) as conn:  # a definer made as before
        conn.execute(
            "CREATE FUNCTION intake_made_before() RETURNS int LANGUAGE sql "
            "SECURITY DEFINER SET search_path = public AS 'SELECT 1'"
        )
    assert _definers_without_temp_last(pg_dsn) != []
    store: PgStore = open_shared_store(pg_dsn, PASSPHRASE)  # the owner's open: every step
    try:
        # Every function that runs as the owner reads the caller's temporary schema last.
        assert _definers_without_temp_last(pg_dsn) == []
        version = store.query("SELECT value FROM meta WHERE key = 'schema_version'")
        assert version == [(str(schema.VERSION),)]
        assert _functions(pg_dsn) == [schema.PIN_SIGNATURE]
        # Each account's verifier was made by the key-holding part, in the step's transaction.
        assert store.query("SELECT count(*) FROM accounts WHERE pin_verifier IS NULL") == [(0,)]
        assert store.check_pin(volunteer, "000000") is None
        signed_in = store.check_pin(volunteer, "739105")  # an old PIN still works
        assert signed_in is not None
        assert signed_in.display_name == "Alice"
        assert store.check_pin(supervisor, PIN) is not None
        assert "purge_reports" in {
            r[0] for r in store.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        }
        assert store.verify_audit() == []
    finally:
        store.close()
    # Opened again: nothing left to do, nothing changed.
    open_shared_store(pg_dsn, PASSPHRASE).close()
    assert _functions(pg_dsn) == [schema.PIN_SIGNATURE]


def test_the_pin_step_is_one_of_the_versioned_steps() -> None:
    assert schema.PIN_STEP in schema.STEPS
    assert 1 + len(schema.STEPS) == schema.VERSION


def test_a_stations_login_cannot_run_the_pin_step(pg_dsn: str) -> None:
    _version_1_store(pg_dsn)
    with psycopg.connect(pg_dsn, autocommit=True) as admin:
        admin.execute(
            "DO $$ BEGIN CREATE ROLE intake_t_pinstep LOGIN; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
        admin.execute("GRANT SELECT ON meta TO intake_t_pinstep")
    station = pg_dsn.replace("postgresql://intake_admin@", "postgresql://intake_t_pinstep@")
    try:
        with pytest.raises(StoreNeedsOwner):
            open_shared_store(station, PASSPHRASE)
        assert _functions(pg_dsn) == [schema.OLD_PIN_SIGNATURE]
    finally:
        with psycopg.connect(pg_dsn, autocommit=True) as admin:
            admin.execute("DROP OWNED BY intake_t_pinstep")
