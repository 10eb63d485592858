"""Opening a past contact, as a volunteer or a supervisor: everything History shows about it,
read in one go (audited), and the callback number revealed only on request, to those allowed.

Qt-free: the window formats what it gets here with the vocabulary's labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from intake.storage import audit
from intake.storage.db import Store
from intake.storage.errors import NotAllowed
from intake.storage.records import (
    ContactRecord,
    FollowUp,
    HistoryFilter,
    HistoryRow,
    Note,
    Page,
    get_contact,
    open_followups,
)
from intake.storage.records import complete_followup as _complete_followup
from intake.storage.records import history_page as _history_page
from intake.storage.records import search_notes as _search_notes

# What the History window works with, from here rather than from the store (the window holds
# the store object only to hand it back to these functions).
__all__ = [
    "ContactDetail",
    "HistoryFilter",
    "HistoryRow",
    "Page",
    "complete_followup",
    "history_page",
    "open_contact",
    "reveal_number",
    "search_notes",
]


def history_page(
    store: Store, after: tuple[str, str] | None, size: int, filters: HistoryFilter
) -> Page:
    """One page of the contact list, newest first, after `after` (a row's key)."""
    return _history_page(store, after, size, filters)


def search_notes(
    store: Store, text: str, *, limit: int, created_by: str | None
) -> list[tuple[str, str]]:
    """(contact id, note id) of notes holding every word, newest first (this volunteer's
    contacts only, unless `created_by` is None)."""
    return _search_notes(store, text, limit, created_by=created_by)


def complete_followup(store: Store, followup_id: str, actor: str | None) -> bool:
    """Mark a follow-up done (audited); False if it was not open. Refused (FollowupHeld) while
    someone else is working on it in the worklist."""
    return _complete_followup(store, followup_id, actor)


# Who may see any contact's callback number; a volunteer sees the numbers of their own contacts
# (the people they spoke with). Kiosk accounts never.
SEE_ANY_NUMBER = frozenset({"supervisor", "coordinator"})


@dataclass(frozen=True)
class CallbackInfo:
    best_time: str | None  # a kiosk code (morning...) or the ISO time agreed on the phone
    time_zone: str | None  # the caller's
    status: str
    has_number: bool
    messages_ok: bool


@dataclass(frozen=True)
class WorkInfo:
    kind: str
    status: str
    due_at: str
    claimed_by: str | None  # display name
    outcome: str | None
    attempts: tuple[tuple[str, str], ...]  # (when, result)


@dataclass(frozen=True)
class ContactDetail:
    record: ContactRecord
    notes: tuple[Note, ...]
    followups: tuple[FollowUp, ...]
    callbacks: tuple[CallbackInfo, ...]
    work: tuple[WorkInfo, ...]
    may_reveal: bool
    on_hold: bool = False  # a legal hold keeps it out of retention purges


def _role(store: Store, actor: str) -> str | None:
    rows = store.query("SELECT role FROM accounts WHERE id = ?", (actor,))
    return str(rows[0][0]) if rows else None


def _may_reveal(store: Store, contact_id: str, actor: str, conn: Any = None) -> bool:
    """A supervisor or coordinator, or the volunteer who took the call. With `conn`, read inside
    that transaction, so the check and the read of the number see the same store."""

    def rows(sql: str, params: tuple[Any, ...]) -> list[Any]:
        return (
            list(conn.execute(sql, params).fetchall())
            if conn is not None
            else store.query(sql, params)
        )

    role_rows = rows("SELECT role FROM accounts WHERE id = ?", (actor,))
    role = str(role_rows[0][0]) if role_rows else None
    if role in SEE_ANY_NUMBER:
        return True
    if role != "volunteer":
        return False
    owner = rows("SELECT created_by FROM contacts WHERE id = ?", (contact_id,))
    return bool(owner) and owner[0][0] == actor


def open_contact(store: Store, contact_id: str, actor: str) -> ContactDetail:
    """The contact with its notes, follow-ups, callbacks (without their numbers) and worklist
    items; opening it is audited (records.get_contact)."""
    record, notes = get_contact(store, contact_id, actor)
    callbacks = tuple(
        CallbackInfo(r[0], r[1], r[2], bool(r[3]), bool(r[4]))
        for r in store.query(
            "SELECT best_time, time_zone, status, number IS NOT NULL, messages_ok "
            "FROM callbacks WHERE contact_id = ? ORDER BY created_at",
            (contact_id,),
        )
    )
    work = []
    for item_id, kind, status, due, claimer, outcome in store.query(
        "SELECT w.id, w.kind, w.status, w.due_at, a.display_name, w.outcome FROM work_items w "
        "LEFT JOIN accounts a ON a.id = w.claimed_by WHERE w.contact_id = ? ORDER BY w.due_at",
        (contact_id,),
    ):
        tries = tuple(
            (r[0], r[1])
            for r in store.query(
                "SELECT at, result FROM work_attempts WHERE item_id = ? ORDER BY at", (item_id,)
            )
        )
        work.append(WorkInfo(kind, status, due, claimer, outcome, tries))
    return ContactDetail(
        record,
        tuple(notes),
        tuple(open_followups(store, contact_id)),
        callbacks,
        tuple(work),
        _may_reveal(store, contact_id, actor),
        bool(store.query("SELECT on_hold FROM contacts WHERE id = ?", (contact_id,))[0][0]),
    )


def reveal_number(store: Store, contact_id: str, actor: str) -> str | None:
    """The contact's callback number (the latest kept), audited; NotAllowed for other roles."""
    with store.transaction() as conn:
        if not _may_reveal(store, contact_id, actor, conn):
            raise NotAllowed()
        row = conn.execute(
            "SELECT number FROM callbacks WHERE contact_id = ? AND number IS NOT NULL "
            "ORDER BY created_at DESC LIMIT 1",
            (contact_id,),
        ).fetchone()
        if row is None:
            row = conn.execute(
                "SELECT callback_number FROM contacts WHERE id = ? AND callback_number IS NOT NULL",
                (contact_id,),
            ).fetchone()
        audit.append(conn, actor, "reveal", contact_id, "callback-number")
    return None if row is None else str(row[0])
