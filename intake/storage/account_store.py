"""Account rows: the few queries the sign-in path needs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from intake.accounts import Account, Role
from intake.pins import verify_pin
from intake.storage import audit
from intake.storage.db import Store
from intake.storage.errors import AccountDisabled, AccountLocked


def insert_account(conn: Any, display_name: str, role: str, pin_hash: str) -> str:
    account_id = str(uuid.uuid4())
    conn.execute(
        "INSERT INTO accounts (id, display_name, role, pin_hash, created_at) VALUES (?,?,?,?,?)",
        (
            account_id,
            display_name.strip(),
            Role(role).value,
            pin_hash,
            datetime.now(UTC).isoformat(),
        ),
    )
    return account_id


def list_accounts(store: Store) -> list[Account]:
    rows = store.query(
        "SELECT id, display_name, role FROM accounts ORDER BY display_name COLLATE NOCASE"
    )
    return [Account(r[0], r[1], Role(r[2])) for r in rows]


# An account's role, or nothing when it is disabled: every check that counts reads it here, so
# disabling takes effect at once, not only at the account's next sign-in.
ACTIVE_ROLE = "SELECT role FROM accounts WHERE id = ? AND disabled_at IS NULL"


def active_role(conn: Any, account_id: str) -> str | None:
    row = conn.execute(ACTIVE_ROLE, (account_id,)).fetchone()
    return None if row is None else str(row[0])


def active_accounts(store: Store) -> list[Account]:
    """The accounts that may sign in (a disabled one is not offered)."""
    rows = store.query(
        "SELECT id, display_name, role FROM accounts WHERE disabled_at IS NULL "
        "ORDER BY display_name COLLATE NOCASE"
    )
    return [Account(r[0], r[1], Role(r[2])) for r in rows]


# Five tries free, then a lock that doubles with each further failure, up to 15 minutes.
FREE_ATTEMPTS = 5
FIRST_LOCK = timedelta(seconds=60)
LONGEST_LOCK = timedelta(minutes=15)


# Doublings past this already exceed the longest lock (60 s x 2**10 > 15 min). Without the cap,
# timedelta overflowed at the 46th failure: every later wrong PIN raised inside its transaction,
# uncounted and unaudited, and the account never locked again (found by mutation testing).
_MAX_DOUBLINGS = 10


def lock_duration(failures: int) -> timedelta | None:
    if failures < FREE_ATTEMPTS:
        return None
    doublings = min(failures - FREE_ATTEMPTS, _MAX_DOUBLINGS)
    return min(FIRST_LOCK * (1 << doublings), LONGEST_LOCK)


def check_pin(
    store: Store,
    account_id: str,
    pin: str,
    now: datetime | None = None,
    *,
    action: str = "sign-in",
) -> Account | None:
    """The account if the PIN is right, None if not; raises AccountLocked while locked out.

    Every attempt is audited (sign-in or failed-sign-in), never the PIN itself. The slow hash
    is computed first, outside any transaction; then the lockout and the failure count are
    read, compared and written in ONE `BEGIN IMMEDIATE` transaction, so tries that overlap
    (a burst of Enter presses, two windows) each count, and none can slip past a lockout.
    """
    now = now or datetime.now(UTC)
    rows = store.query("SELECT pin_hash FROM accounts WHERE id = ?", (account_id,))
    if not rows:
        return None
    checked_hash = rows[0][0]
    right = verify_pin(pin, checked_hash)  # slow on purpose: outside the transaction
    locked = disabled = False
    with store.transaction() as conn:
        row = conn.execute(
            "SELECT display_name, role, pin_hash, failed_pins, locked_until, "
            "disabled_at IS NOT NULL FROM accounts WHERE id = ?",
            (account_id,),
        ).fetchone()
        if row is None:
            return None
        name, role, pin_hash, failed_pins, locked_until, disabled = row
        if disabled:  # a supervisor disabled it: neither sign-in nor unlock, right PIN or not
            audit.append(conn, account_id, "failed-sign-in", account_id, "disabled")
        elif locked_until is not None and now < datetime.fromisoformat(locked_until):
            audit.append(conn, account_id, "failed-sign-in", account_id, "locked")
            locked = True
        elif right and pin_hash == checked_hash:
            conn.execute(
                "UPDATE accounts SET failed_pins = 0, locked_until = NULL WHERE id = ?",
                (account_id,),
            )
            audit.append(conn, account_id, action, account_id)
            return Account(account_id, name, Role(role))
        else:
            failures = int(failed_pins) + 1
            duration = lock_duration(failures)
            until = (now + duration).isoformat() if duration else None
            conn.execute(
                "UPDATE accounts SET failed_pins = ?, locked_until = ? WHERE id = ?",
                (failures, until, account_id),
            )
            audit.append(conn, account_id, "failed-sign-in", account_id, f"failures={failures}")
    if disabled:
        raise AccountDisabled()  # after the commit: the refused try stays audited
    if locked:
        raise AccountLocked()  # after the commit: the refused try stays audited
    return None


def record_event(store: Store, account_id: str, action: str) -> None:
    """Audit an event that changes no record (locking the window, for instance)."""
    with store.transaction() as conn:
        audit.append(conn, account_id, action, account_id)
