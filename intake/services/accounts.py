"""The supervisor console's actions, free of Qt: accounts (add, reset a PIN, see and clear a
lockout), the on-call supervisor's contact, the idle lock time and the retention period (kept in
the encrypted store, not the settings file), and a legal hold on a record.

Every action checks, inside its own transaction, that the actor is a supervisor, and is audited
("console" with a code, never a name, PIN or number). Refusals raise `NotAllowed`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from intake.i18n import N_
from intake.passphrase import pin_problem
from intake.pins import hash_pin
from intake.storage import audit
from intake.storage.account_store import insert_account
from intake.storage.db import Store
from intake.storage.errors import MAX_NAME_LENGTH, NotAllowed, StoreError
from intake.storage.records import set_hold

# Every account role but the kiosk's (a kiosk account is made by setting up a kiosk).
ADDABLE_ROLES = ("volunteer", "supervisor", "coordinator", "peer-supporter")
IDLE_RANGE = (1, 720)  # minutes, as the settings file allowed
RETENTION_RANGE = (30, 3650)  # days
ON_CALL_KEY = "on_call_contact"
IDLE_KEY = "idle_lock_minutes"
RETENTION_KEY = "retention_days"


class ConsoleError(StoreError):
    pass


class BadName(ConsoleError):
    # The title's figure is MAX_NAME_LENGTH (a test keeps them together).
    title = N_("Type a name (at most 100 characters) that no other account uses")
    advice = N_("Nothing was added.")


class BadPin(ConsoleError):
    title = N_("Choose a PIN of digits that is not easy to guess")
    advice = N_("Avoid repeats and runs such as 1111 or 1234. Nothing was changed.")


class OutOfRange(ConsoleError):
    title = N_("That value is outside what is allowed")
    advice = N_("Idle lock: 1 to 720 minutes. Retention: 30 to 3,650 days. Nothing was changed.")


@dataclass(frozen=True)
class AccountRow:
    id: str
    name: str
    role: str
    failed_pins: int
    locked_until: str | None


def _supervisor(conn: Any, actor: str) -> None:
    row = conn.execute("SELECT role FROM accounts WHERE id = ?", (actor,)).fetchone()
    if row is None or row[0] != "supervisor":
        raise NotAllowed()


def accounts(store: Store, actor: str) -> list[AccountRow]:
    with store.transaction() as conn:
        _supervisor(conn, actor)
        rows = conn.execute(
            "SELECT id, display_name, role, failed_pins, locked_until FROM accounts "
            "ORDER BY display_name COLLATE NOCASE"
        ).fetchall()
        audit.append(conn, actor, "console", None, "accounts-listed")
    return [AccountRow(r[0], r[1], r[2], int(r[3]), r[4]) for r in rows]


def add_account(store: Store, actor: str, name: str, role: str, pin: str) -> str:
    clean = name.strip()
    if not clean or len(clean) > MAX_NAME_LENGTH:
        raise BadName()
    if role not in ADDABLE_ROLES:
        raise ValueError(f"role {role!r} cannot be added")
    if pin_problem(pin) is not None:
        raise BadPin()
    pin_hash = hash_pin(pin)  # slow: outside the transaction
    with store.transaction() as conn:
        _supervisor(conn, actor)
        taken = conn.execute(
            "SELECT 1 FROM accounts WHERE display_name = ? COLLATE NOCASE", (clean,)
        ).fetchone()
        if taken:
            raise BadName()
        account_id = insert_account(conn, clean, role, pin_hash)
        audit.append(conn, actor, "console", account_id, f"account-added role={role}")
    return account_id


def reset_pin(store: Store, actor: str, account_id: str, pin: str) -> None:
    """A new PIN (given to the person in confidence); clears the lockout too."""
    if pin_problem(pin) is not None:
        raise BadPin()
    pin_hash = hash_pin(pin)
    with store.transaction() as conn:
        _supervisor(conn, actor)
        changed = conn.execute(
            "UPDATE accounts SET pin_hash = ?, failed_pins = 0, locked_until = NULL "
            "WHERE id = ? AND role != 'kiosk'",
            (pin_hash, account_id),
        ).rowcount
        if not changed:
            raise NotAllowed()
        audit.append(conn, actor, "console", account_id, "pin-reset")


def clear_lockout(store: Store, actor: str, account_id: str) -> None:
    with store.transaction() as conn:
        _supervisor(conn, actor)
        conn.execute(
            "UPDATE accounts SET failed_pins = 0, locked_until = NULL WHERE id = ?", (account_id,)
        )
        audit.append(conn, actor, "console", account_id, "lockout-cleared")


def _set(conn: Any, key: str, value: str | None) -> None:
    if value is None:
        conn.execute("DELETE FROM meta WHERE key = ?", (key,))
    else:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


def setting(store: Store, key: str) -> str | None:
    rows = store.query("SELECT value FROM meta WHERE key = ?", (key,))
    return str(rows[0][0]) if rows else None


def set_on_call_contact(store: Store, actor: str, contact: str | None) -> None:
    """Who volunteers call for support (a name and a number), shown on the crisis route."""
    text = (contact or "").strip() or None
    if text is not None and len(text) > MAX_NAME_LENGTH:
        raise BadName()
    with store.transaction() as conn:
        _supervisor(conn, actor)
        _set(conn, ON_CALL_KEY, text)
        audit.append(conn, actor, "console", None, "on-call-contact-set")


def on_call_contact(store: Store) -> str | None:
    return setting(store, ON_CALL_KEY)


def set_idle_minutes(store: Store, actor: str, minutes: int) -> None:
    if not IDLE_RANGE[0] <= minutes <= IDLE_RANGE[1]:
        raise OutOfRange()
    with store.transaction() as conn:
        _supervisor(conn, actor)
        _set(conn, IDLE_KEY, str(minutes))
        audit.append(conn, actor, "console", None, f"idle-lock minutes={minutes}")


def set_retention_days(store: Store, actor: str, days: int) -> None:
    if not RETENTION_RANGE[0] <= days <= RETENTION_RANGE[1]:
        raise OutOfRange()
    with store.transaction() as conn:
        _supervisor(conn, actor)
        _set(conn, RETENTION_KEY, str(days))
        audit.append(conn, actor, "console", None, f"retention days={days}")


def hold_record(store: Store, actor: str, contact_id: str, on_hold: bool) -> None:
    """A legal hold keeps the record out of retention purges (supervisors only, audited)."""
    set_hold(store, contact_id, on_hold, actor)
