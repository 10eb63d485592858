"""Version 8: one vocabulary enforced by the store, and the worklist.

- Coded columns of `contacts` (channel, role, need, risk, outcome, and every element of the
  topics, formats and crisis_actions lists) accept only the codes of `intake.vocabulary`. SQLite
  cannot add a CHECK to an existing table without rebuilding it (and rebuilding `contacts` means
  turning foreign keys off, which a migration inside a transaction cannot do), so the checks are
  BEFORE INSERT/UPDATE triggers generated from the vocabulary, with the same effect: the write
  is refused and nothing of it lands. A later version that adds a code drops and regenerates them
  (`vocabulary_triggers`).
- `work_items`: every callback and follow-up to make, one row per promise, kept in step with
  `followups` and `callbacks` by triggers (so every path that saves a call or a kiosk visit feeds
  the worklist in its own transaction, and existing open ones are copied in). `kind` says what the
  item is (open to more kinds); `claimed_by` is the one volunteer working on it.
- `work_attempts`: each try to reach the person (reached, no answer, message left).
- `callbacks.messages_ok`: whether the person agreed to a message being left (default no).
"""

from __future__ import annotations

from typing import Any

from intake import vocabulary as v


def _in(expression: str, codes: tuple[str, ...]) -> str:
    return f"{expression} IN ({', '.join(repr(code) for code in codes)})"


def _contacts_violation() -> str:
    """A condition true when a new contacts row holds a code outside the vocabulary."""
    scalar = [
        f"NOT {_in('new.channel', v.CONTACT_CHANNELS)}",
        f"NOT {_in('new.risk', v.RISKS)}",
        f"(new.role IS NOT NULL AND NOT {_in('new.role', v.ROLES)})",
        f"(new.need IS NOT NULL AND NOT {_in('new.need', v.NEEDS)})",
        f"(new.outcome IS NOT NULL AND NOT {_in('new.outcome', v.OUTCOMES)})",
    ]
    lists = [
        f"EXISTS (SELECT 1 FROM json_each(new.{column}) WHERE NOT {_in('value', codes)})"
        for column, codes in (
            ("topics", v.TOPICS),
            ("formats", v.FORMATS),
            ("crisis_actions", v.CRISIS_ACTIONS),
        )
    ]
    return " OR ".join(scalar + lists)


def rank(contact: str) -> str:
    """The order a volunteer works the list in, from a contact row's columns (`contact` is the
    row's name: c, new): a high-risk kiosk request first (0), then imminent, high, not screened,
    concern, none. Kept on each item (and kept up to date when a contact's risk changes), so the
    list is read in order from one index, a screenful at a time."""
    return (
        f"CASE WHEN {contact}.channel = 'kiosk' AND {contact}.risk IN ('high', 'imminent') THEN 0 "
        f"WHEN {contact}.risk = 'imminent' THEN 1 WHEN {contact}.risk = 'high' THEN 2 "
        f"WHEN {contact}.crisis_actions LIKE '%\"safety-not-screened\"%' THEN 3 "
        f"WHEN {contact}.risk = 'concern' THEN 4 ELSE 5 END"
    )


def vocabulary_triggers() -> list[str]:
    condition = _contacts_violation()
    work = (
        f"NOT {_in('new.kind', v.WORK_KINDS)} "
        f"OR (new.outcome IS NOT NULL AND NOT {_in('new.outcome', v.WORK_OUTCOMES)})"
    )
    attempt = f"NOT {_in('new.result', v.ATTEMPT_RESULTS)}"
    statements = []
    for table, name, when in (
        ("contacts", "contacts_vocabulary", condition),
        ("work_items", "work_items_vocabulary", work),
        ("work_attempts", "work_attempts_vocabulary", attempt),
    ):
        for event in ("INSERT", "UPDATE"):
            statements.append(
                f"CREATE TRIGGER {name}_{event.lower()} BEFORE {event} ON {table} "
                f"WHEN {when} BEGIN SELECT RAISE(ABORT, 'a coded value outside the vocabulary'); "
                "END"
            )
    return statements


STATEMENTS = [
    "ALTER TABLE callbacks ADD COLUMN messages_ok INTEGER NOT NULL DEFAULT 0",
    """CREATE TABLE work_items (
        id         TEXT PRIMARY KEY,
        kind       TEXT NOT NULL,
        contact_id TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        due_at     TEXT NOT NULL,              -- ISO 8601, UTC
        status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
        claimed_by TEXT REFERENCES accounts (id),
        claimed_at TEXT,
        outcome    TEXT,
        closed_at  TEXT,
        created_at TEXT NOT NULL,
        rank       INTEGER NOT NULL DEFAULT 5   -- see rank(): the working order
    ) STRICT""",
    "CREATE INDEX work_items_open ON work_items (status, due_at)",
    "CREATE INDEX work_items_queue ON work_items (status, rank, due_at, id)",
    "CREATE INDEX work_items_contact ON work_items (contact_id)",
    """CREATE TABLE work_attempts (
        id      TEXT PRIMARY KEY,
        item_id TEXT NOT NULL REFERENCES work_items (id) ON DELETE CASCADE,
        at      TEXT NOT NULL,
        actor   TEXT REFERENCES accounts (id),
        result  TEXT NOT NULL
    ) STRICT""",
    "CREATE INDEX work_attempts_item ON work_attempts (item_id, at)",
    # A follow-up is a worklist item; its callback (same contact) is its number, not a second item.
    """CREATE TRIGGER work_from_followup AFTER INSERT ON followups BEGIN
        INSERT OR IGNORE INTO work_items (id, kind, contact_id, due_at, status, created_at)
        VALUES (new.id, 'followup', new.contact_id, new.due_at, new.status, new.created_at);
        UPDATE work_items SET status = 'cancelled'
        WHERE kind = 'callback' AND contact_id = new.contact_id AND status = 'open';
    END""",
    """CREATE TRIGGER work_followup_changed AFTER UPDATE OF due_at, status ON followups BEGIN
        UPDATE work_items SET due_at = new.due_at, status = new.status
        WHERE id = new.id AND (due_at IS NOT new.due_at OR status IS NOT new.status);
    END""",
    # A callback with no follow-up (a kiosk request) is an item of its own, due at once.
    """CREATE TRIGGER work_from_callback AFTER INSERT ON callbacks
    WHEN NOT EXISTS (SELECT 1 FROM followups WHERE contact_id = new.contact_id) BEGIN
        INSERT OR IGNORE INTO work_items (id, kind, contact_id, due_at, status, created_at)
        VALUES (new.id, 'callback', new.contact_id, new.created_at, new.status, new.created_at);
    END""",
    """CREATE TRIGGER work_callback_changed AFTER UPDATE OF status ON callbacks BEGIN
        UPDATE work_items SET status = new.status
        WHERE id = new.id AND kind = 'callback' AND status IS NOT new.status;
    END""",
    # The working order follows the contact's risk, set when the item is made or the risk changes.
    f"""CREATE TRIGGER work_rank_new AFTER INSERT ON work_items BEGIN
        UPDATE work_items SET rank = (SELECT {rank("c")} FROM contacts c WHERE c.id = new.contact_id)
        WHERE id = new.id;
    END""",
    f"""CREATE TRIGGER work_rank_follows_contact AFTER UPDATE OF channel, risk, crisis_actions
    ON contacts BEGIN
        UPDATE work_items SET rank = {rank("new")} WHERE contact_id = new.id;
    END""",
    # What was open before this version.
    "INSERT INTO work_items (id, kind, contact_id, due_at, status, created_at) "
    "SELECT id, 'followup', contact_id, due_at, status, created_at FROM followups",
    "INSERT INTO work_items (id, kind, contact_id, due_at, status, created_at) "
    "SELECT id, 'callback', contact_id, created_at, status, created_at FROM callbacks "
    "WHERE contact_id NOT IN (SELECT contact_id FROM followups)",
]


def apply(conn: Any) -> None:
    for statement in STATEMENTS + vocabulary_triggers():
        conn.execute(statement)
