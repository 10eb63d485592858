"""Account rows: the few queries the sign-in path needs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from intake.accounts import Account, Role
from intake.pins import verify_pin
from intake.storage.db import Store


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


def check_pin(store: Store, account_id: str, pin: str) -> Account | None:
    rows = store.query(
        "SELECT id, display_name, role, pin_hash FROM accounts WHERE id = ?", (account_id,)
    )
    if not rows or not verify_pin(pin, rows[0][3]):
        return None
    return Account(rows[0][0], rows[0][1], Role(rows[0][2]))
