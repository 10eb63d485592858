"""The supervisor console on the shared store (issue 18): the console's settings and the line's
accounts, with the file's rules (`intake.services.accounts`, which calls these on the server).

Settings live in `console_settings` (schema step CONSOLE): the on-call supervisor's contact (a
name and a number) sealed on this station with the line key, bound to its key, so the server
keeps ciphertext only; the idle lock, the retention period and the kiosk's policy as coded
numbers in clear (they lead back to nobody).

Every change is one transaction that first locks the acting supervisor's own row (FOR SHARE:
one disabled meanwhile can no longer act) and is audited in it, never with a name, PIN or
number. Disabling locks every supervisor's row (FOR UPDATE) before counting who could still
sign in, so two supervisors disabling each other at once cannot leave the line with none. A
disabled account's PIN verifier is set aside: the server's own PIN function (`intake_pin_attempt`)
then finds nothing to match, whatever a station does; enabling it puts the verifier back.

Under a person's own server login (row-level security) the same actions go through the
server's functions instead (`console_login`, `console_security`): that login may not write
`accounts` or `console_settings` itself.

A refusal comes back as a code the service turns into its typed error: "not-allowed",
"self", "last-supervisor", "taken" (a name another account uses).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import psycopg

from intake.accounts import Role
from intake.storage.errors import NotAllowed
from intake.storage.pg import console_login

if TYPE_CHECKING:
    from intake.storage.pg.store import PgStore
    from intake.storage.pg.writing import Writing

SEALED = frozenset({"on_call_contact"})  # settings that name or reach a person
# The console's settings a station's file keeps in `meta` (`intake.services.accounts`' keys),
# moved with it (`move.move_file_to_server`).
FILE_KEYS = (
    "on_call_contact",
    "idle_lock_minutes",
    "retention_days",
    "kiosk_idle_seconds",
    "kiosk_countdown_seconds",
    "kiosk_crisis_idle_seconds",
    "kiosk_staff_alert",
)


def _opened(store: PgStore, key: str, value: str | None, sealed: bytes | None) -> str | None:
    if sealed is not None:
        return store.line_keys.open("console_settings", "value", key, bytes(sealed))
    return value


def setting(store: PgStore, key: str) -> str | None:
    """A setting's value (opened here when sealed); NotAllowed for a login the server does not
    let read them."""
    try:
        rows = store.query("SELECT value, sealed FROM console_settings WHERE key = %s", (key,))
    except psycopg.errors.InsufficientPrivilege as exc:
        raise NotAllowed() from exc
    return _opened(store, key, rows[0][0], rows[0][1]) if rows else None


def _supervisor(w: Writing, actor: str | None) -> bool:
    """Whether `actor` is a supervisor who may act now (their row share-locked)."""
    if actor is None:
        return False
    row = w.q("SELECT role, disabled_at FROM accounts WHERE id = %s FOR SHARE", (actor,)).fetchone()
    return row is not None and row[0] == Role.SUPERVISOR.value and row[1] is None


def _put(w: Writing, store: PgStore, key: str, value: str | None) -> None:
    if value is None:
        w.q("DELETE FROM console_settings WHERE key = %s", (key,))
        return
    clear, sealed = (
        (None, store.line_keys.seal("console_settings", "value", key, value))
        if key in SEALED
        else (value, None)
    )
    w.q(
        "INSERT INTO console_settings (key, value, sealed) VALUES (%s, %s, %s) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value, sealed = excluded.sealed",
        (key, clear, sealed),
    )


def write_settings(
    store: PgStore,
    actor: str | None,
    values: dict[str, str | None],
    detail: str,
    *,
    unless_set: bool = False,
) -> str | None:
    """Set `values` (None deletes one) and audit `detail`; `actor` None: the station itself
    (moving a contact out of its settings file), which needs no supervisor. `unless_set`: only
    where none is set yet (a supervisor's since wins). "not-allowed" also for a login the
    server does not let write them (row-level security)."""
    if store.session_account is not None:
        return console_login.write_settings(
            store, actor, values, detail, unless_set=unless_set, sealed_keys=SEALED
        )
    try:
        return _write_settings(store, actor, values, detail, unless_set=unless_set)
    except psycopg.errors.InsufficientPrivilege:
        return "not-allowed"


def _write_settings(
    store: PgStore,
    actor: str | None,
    values: dict[str, str | None],
    detail: str,
    *,
    unless_set: bool,
) -> str | None:
    with store.writing() as w:
        if actor is not None and not _supervisor(w, actor):
            return "not-allowed"
        if unless_set:
            present = w.q(
                "SELECT key FROM console_settings WHERE key = ANY(%s) FOR UPDATE",
                (list(values),),
            ).fetchall()
            if present:
                return None
        for key, value in values.items():
            _put(w, store, key, value)
        w.audit(actor, "console", None, detail)
    return None


# Accounts ---------------------------------------------------------------------------------
Row = console_login.Row


def accounts(store: PgStore, actor: str) -> list[Row] | None:
    """Every account (id, name, role, failed PIN tries, locked until, disabled, cannot sign in
    yet for want of a server login: `console_login.list_accounts`); None when the actor may not
    see them. Audited as the file's listing is."""
    if store.session_account is not None:
        return console_login.accounts(store, actor)
    with store.writing() as w:
        if not _supervisor(w, actor):
            return None
        rows = console_login.list_accounts(w)
        w.audit(actor, "console", None, "accounts-listed")
    return console_login.listed_rows(store, rows)


def _names(w: Writing, store: PgStore) -> list[str]:
    keys = store.line_keys
    return [
        str(keys.open("accounts", "display_name", r[0], bytes(r[1]))).casefold()
        for r in w.q("SELECT id, display_name FROM accounts FOR SHARE").fetchall()
    ]


def add_account(
    store: PgStore, actor: str, name: str, role: str, pin_hash: str
) -> tuple[str | None, str | None]:
    """(the new account's id, None) or (None, refusal). The names are sealed, so the server
    cannot compare them: they are opened and compared here, under a lock of every account row
    and of the table against new rows (two supervisors adding the same name at once)."""
    from intake.storage.pg.store import pin_columns  # noqa: PLC0415 - no import cycle

    if store.session_account is not None:
        return console_login.add_account(store, actor, name, role, pin_hash)
    with store.writing() as w:
        if not _supervisor(w, actor):
            return None, "not-allowed"
        w.q("LOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE")
        if name.casefold() in _names(w, store):
            return None, "taken"
        account_id = str(uuid.uuid4())
        sealed_pin, verifier = pin_columns(store.line_keys, account_id, pin_hash)
        w.q(
            "INSERT INTO accounts (id, display_name, role, pin_hash, pin_verifier) "
            "VALUES (%s, %s, %s, %s, %s)",
            (
                account_id,
                store.line_keys.seal("accounts", "display_name", account_id, name),
                Role(role).value,
                sealed_pin,
                verifier,
            ),
        )
        w.audit(actor, "console", account_id, f"account-added role={role}")
    return account_id, None


def set_disabled(store: PgStore, actor: str, account_id: str, disabled: bool) -> str | None:
    if store.session_account is not None:
        return console_login.set_disabled(store, actor, account_id, disabled)
    with store.writing() as w:
        # Every supervisor's row first, in one order, before any other lock: two supervisors
        # disabling each other at once wait one for the other, never deadlock.
        supervisors = w.q(
            "SELECT id, disabled_at IS NULL FROM accounts WHERE role = 'supervisor' "
            "ORDER BY id FOR UPDATE"
        ).fetchall()
        if not _supervisor(w, actor):
            return "not-allowed"
        row = w.q(
            "SELECT role, disabled_at IS NOT NULL FROM accounts WHERE id = %s FOR UPDATE",
            (account_id,),
        ).fetchone()
        if row is None:
            return "not-allowed"
        role, was_disabled = row
        if disabled and role == Role.SUPERVISOR.value:
            others = [s for s, active in supervisors if active and s != account_id]
            if not others:
                return "last-supervisor"
        if disabled == was_disabled:
            return None
        if disabled:
            w.q(
                "UPDATE accounts SET disabled_at = %s, disabled_verifier = pin_verifier, "
                "pin_verifier = NULL WHERE id = %s",
                (datetime.now(UTC), account_id),
            )
        else:
            w.q(
                "UPDATE accounts SET disabled_at = NULL, pin_verifier = disabled_verifier, "
                "disabled_verifier = NULL WHERE id = %s",
                (account_id,),
            )
        action = "account-disabled" if disabled else "account-enabled"
        w.audit(actor, "console", account_id, action)
    return None


def reset_pin(store: PgStore, actor: str, account_id: str, pin_hash: str) -> str | None:
    """A new PIN; clears the lockout. A disabled account's new verifier waits aside until it
    is enabled again."""
    from intake.storage.pg.store import pin_columns  # noqa: PLC0415

    if store.session_account is not None:
        return console_login.reset_pin(store, actor, account_id, pin_hash)
    sealed_pin, verifier = pin_columns(store.line_keys, account_id, pin_hash)
    with store.writing() as w:
        if not _supervisor(w, actor):
            return "not-allowed"
        changed = w.q(
            "UPDATE accounts SET pin_hash = %s, failed_pins = 0, locked_until = NULL, "
            "pin_verifier = CASE WHEN disabled_at IS NULL THEN %s END, "
            "disabled_verifier = CASE WHEN disabled_at IS NOT NULL THEN %s END "
            "WHERE id = %s AND role <> 'kiosk'",
            (sealed_pin, verifier, verifier, account_id),
        ).rowcount
        if not changed:
            return "not-allowed"
        w.audit(actor, "console", account_id, "pin-reset")
    return None


def clear_lockout(store: PgStore, actor: str, account_id: str) -> str | None:
    if store.session_account is not None:
        return console_login.clear_lockout(store, actor, account_id)
    with store.writing() as w:
        if not _supervisor(w, actor):
            return "not-allowed"
        w.q(
            "UPDATE accounts SET failed_pins = 0, locked_until = NULL WHERE id = %s",
            (account_id,),
        )
        w.audit(actor, "console", account_id, "lockout-cleared")
    return None
