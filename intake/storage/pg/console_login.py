"""The supervisor console's changes when the station works through a person's own server login
(row-level security): the same actions as `console.py`, through the server's functions
(`console_security.py`), which check the caller's own account and take the row locks. The
station still seals what names or reaches a person, compares the names (the server cannot open
them) and audits each change in the same transaction.

The server acts as the account the login is mapped to: an `actor` other than that account is
refused here before anything is asked, as the server would refuse it. A login the server does
not let do it (a volunteer's: no right to call the functions; a coordinator's or a disabled
supervisor's: refused by them) comes back as "not-allowed".
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

import psycopg

from intake.accounts import Role

if TYPE_CHECKING:
    from intake.storage.pg.store import PgStore

# An account's row as the console lists it (`console.Row`, defined here: `console` imports this
# module, never the other way round): id, name, role, failed PIN tries, locked until, disabled,
# and whether it cannot sign in yet for want of a server login (`NEEDS_LOGIN`).
Row = tuple[str, str, str, int, str | None, bool, bool]

# The console's list of accounts, the same on the owner's connection and a supervisor's own
# login. The last column: on a line whose server enforces who sees what (row security: its
# `intake_me` exists, and `accounts.db_role` with it), each person signs in with their own
# login, mapped in `db_role` by the server's administrator (`intake db map-account`); an account
# with none mapped, or with one the server no longer has, cannot sign in yet. False where row
# security is off: every station then signs in with the line's one role. `db_role` is among the
# columns every group reads (security.py) and `pg_roles` is readable by every login: no new
# right for anyone.
_LISTED = "id, display_name, role, failed_pins, locked_until, disabled_at IS NOT NULL"
# A login that exists but may not log in, or was taken out of both of the line's groups, signs
# no one in either.
LIST_WITH_LOGINS = (
    f"SELECT {_LISTED}, NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = a.db_role "
    "AND r.rolcanlogin AND (pg_has_role(r.oid, 'intake_volunteer', 'MEMBER') "
    "OR pg_has_role(r.oid, 'intake_supervisor', 'MEMBER'))) "
    "FROM accounts a"
)
LIST_WITHOUT = f"SELECT {_LISTED}, false FROM accounts"


def list_accounts(w: Any) -> list[Any]:
    """`LIST_WITH_LOGINS` or `LIST_WITHOUT`'s rows, in `w`'s transaction."""
    secured = w.q("SELECT to_regproc('intake_me') IS NOT NULL").fetchone()
    return list(w.q(LIST_WITH_LOGINS if secured and secured[0] else LIST_WITHOUT).fetchall())


def listed_rows(store: PgStore, rows: list[Any]) -> list[Row]:
    """The rows of `list_accounts`, names opened here, in the console's order."""
    keys = store.line_keys
    listed: list[Row] = []
    for account_id, name, role, failed, until, disabled, needs_login in rows:
        opened = str(keys.open("accounts", "display_name", account_id, bytes(name)))
        shown_until = until.isoformat() if isinstance(until, datetime) else until
        listed.append(
            (account_id, opened, role, int(failed), shown_until, bool(disabled), bool(needs_login))
        )
    return sorted(listed, key=lambda r: (r[1].casefold(), r[0]))


NOT_ALLOWED = "not-allowed"


def _mine(store: PgStore, actor: str | None) -> bool:
    return actor is None or actor == store.session_account


def accounts(store: PgStore, actor: str) -> list[Row] | None:
    if not _mine(store, actor):
        return None
    try:
        with store.writing() as w:
            w.q("SELECT intake_console_actor()")
            rows = list_accounts(w)
            w.audit(actor, "console", None, "accounts-listed")
    except psycopg.errors.InsufficientPrivilege:
        return None
    return listed_rows(store, rows)


def add_account(
    store: PgStore, actor: str, name: str, role: str, pin_hash: str
) -> tuple[str | None, str | None]:
    from intake.storage.pg.store import pin_columns  # noqa: PLC0415 - no import cycle

    if not _mine(store, actor):
        return None, NOT_ALLOWED
    keys = store.line_keys
    account_id = str(uuid.uuid4())
    sealed_pin, verifier = pin_columns(keys, account_id, pin_hash)
    try:
        with store.writing() as w:
            # Locked against new rows and changes until this transaction ends: the names
            # compared here are all there are.
            w.q("SELECT intake_console_lock_accounts()")
            names = [
                str(keys.open("accounts", "display_name", r[0], bytes(r[1]))).casefold()
                for r in w.q("SELECT id, display_name FROM accounts").fetchall()
            ]
            if name.casefold() in names:
                return None, "taken"
            w.q(
                "SELECT intake_console_add_account(%s, %s, %s, %s, %s)",
                (
                    account_id,
                    keys.seal("accounts", "display_name", account_id, name),
                    Role(role).value,
                    sealed_pin,
                    verifier,
                ),
            )
            w.audit(actor, "console", account_id, f"account-added role={role}")
    except psycopg.errors.InsufficientPrivilege:
        return None, NOT_ALLOWED
    return account_id, None


def set_disabled(store: PgStore, actor: str, account_id: str, disabled: bool) -> str | None:
    if not _mine(store, actor):
        return NOT_ALLOWED
    try:
        with store.writing() as w:
            row = w.q(
                "SELECT intake_console_set_disabled(%s, %s)", (account_id, disabled)
            ).fetchone()
            outcome = row[0] if row else NOT_ALLOWED
            if outcome == "changed":
                action = "account-disabled" if disabled else "account-enabled"
                w.audit(actor, "console", account_id, action)
    except psycopg.errors.InsufficientPrivilege:
        return NOT_ALLOWED
    return None if outcome in ("changed", "unchanged") else str(outcome)


def reset_pin(store: PgStore, actor: str, account_id: str, pin_hash: str) -> str | None:
    from intake.storage.pg.store import pin_columns  # noqa: PLC0415

    if not _mine(store, actor):
        return NOT_ALLOWED
    sealed_pin, verifier = pin_columns(store.line_keys, account_id, pin_hash)
    try:
        with store.writing() as w:
            row = w.q(
                "SELECT intake_console_reset_pin(%s, %s, %s)", (account_id, sealed_pin, verifier)
            ).fetchone()
            if row is None or row[0] is not None:
                return NOT_ALLOWED
            w.audit(actor, "console", account_id, "pin-reset")
    except psycopg.errors.InsufficientPrivilege:
        return NOT_ALLOWED
    return None


def clear_lockout(store: PgStore, actor: str, account_id: str) -> str | None:
    if not _mine(store, actor):
        return NOT_ALLOWED
    try:
        with store.writing() as w:
            w.q("SELECT intake_console_clear_lockout(%s)", (account_id,))
            w.audit(actor, "console", account_id, "lockout-cleared")
    except psycopg.errors.InsufficientPrivilege:
        return NOT_ALLOWED
    return None


def write_settings(
    store: PgStore,
    actor: str | None,
    values: dict[str, str | None],
    detail: str,
    *,
    unless_set: bool,
    sealed_keys: frozenset[str],
) -> str | None:
    """As `console.write_settings`; `actor` None (the station moving a contact out of its
    settings file) still needs a supervisor's login here: the server lets no other write."""
    if not _mine(store, actor):
        return NOT_ALLOWED
    keys = list(values)
    clear: list[str | None] = []
    sealed: list[bytes | None] = []
    for key in keys:
        value = values[key]
        if key in sealed_keys and value is not None:
            clear.append(None)
            sealed.append(store.line_keys.seal("console_settings", "value", key, value))
        else:
            clear.append(value)
            sealed.append(None)
    try:
        with store.writing() as w:
            row = w.q(
                "SELECT intake_console_put_settings(%s::text[], %s::text[], %s::bytea[], %s)",
                (keys, clear, sealed, unless_set),
            ).fetchone()
            if row is not None and row[0]:
                w.audit(actor, "console", None, detail)
    except psycopg.errors.InsufficientPrivilege:
        return NOT_ALLOWED
    return None
