"""Version 11: two promises to one person both stay owed; accounts can be disabled; directory
checks are kept.

- The follow-up trigger of version 8 cancelled the contact's open callback item when a
  follow-up was booked: a kiosk visitor's callback request (at high risk, perhaps) vanished from
  the worklist as soon as someone booked a check-in for later. The trigger is replaced by one
  that only adds the follow-up; callback items it had cancelled while their callback is still
  open are reopened. (A phone call's follow-up and its number are still one item: its callback
  row is written after its follow-up, and the callback trigger adds nothing when a follow-up
  exists.)
- `accounts.disabled_at`: a disabled account keeps its history (the audit log names it) but can
  no longer sign in or unlock.
- `directory_checks`: a supervisor's check of one directory fact (a program's or crisis line's
  number, hours...), with the source they used and the day, so the directory's status follows.
"""

from __future__ import annotations

from typing import Any

STATEMENTS = [
    "DROP TRIGGER work_from_followup",
    """CREATE TRIGGER work_from_followup AFTER INSERT ON followups BEGIN
        INSERT OR IGNORE INTO work_items (id, kind, contact_id, due_at, status, created_at)
        VALUES (new.id, 'followup', new.contact_id, new.due_at, new.status, new.created_at);
    END""",
    "UPDATE work_items SET status = 'open' WHERE kind = 'callback' AND status = 'cancelled' "
    "AND closed_at IS NULL AND id IN (SELECT id FROM callbacks WHERE status = 'open')",
    "ALTER TABLE accounts ADD COLUMN disabled_at TEXT",
    """CREATE TABLE directory_checks (
        entry_id   TEXT NOT NULL,              -- the directory entry's id
        fact       TEXT NOT NULL,              -- which of its facts: name, hours, contacts...
        checked_on TEXT NOT NULL,              -- ISO date
        source     TEXT NOT NULL CHECK (length(trim(source)) > 0),
        checked_by TEXT REFERENCES accounts (id),
        PRIMARY KEY (entry_id, fact)
    ) STRICT""",
]


def apply(conn: Any) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
