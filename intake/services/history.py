"""Opening a past contact, as a volunteer or a supervisor: everything History shows about it,
read in one go (audited), and the callback number revealed only on request, to those allowed.

Qt-free: the window formats what it gets here with the vocabulary's labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from intake.storage import audit
from intake.storage.account_store import ACTIVE_ROLE
from intake.storage.db import Store
from intake.storage.errors import NotAllowed
from intake.storage.interface import RecordStore, records_of
from intake.storage.local import LocalRecords
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

if TYPE_CHECKING:
    from intake.storage.pg.store import PgStore

# What History reads: the SQLCipher file, or the shared store.
HistoryStore = Store | RecordStore

# What the History window works with, from here rather than from the store (the window holds
# the store object only to hand it back to these functions).
__all__ = [
    "ContactDetail",
    "HistoryFilter",
    "HistoryRow",
    "HistoryStore",
    "Page",
    "complete_followup",
    "history_page",
    "hold_record",
    "open_contact",
    "reveal_number",
    "search_notes",
]

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


def _may_reveal(store: Store, contact_id: str, actor: str, conn: Any = None) -> bool:
    """A supervisor or coordinator, or the volunteer who took the call. With `conn`, read inside
    that transaction, so the check and the read of the number see the same store."""

    def rows(sql: str, params: tuple[Any, ...]) -> list[Any]:
        return (
            list(conn.execute(sql, params).fetchall())
            if conn is not None
            else store.query(sql, params)
        )

    role_rows = rows(ACTIVE_ROLE, (actor,))  # a disabled account: none, even in an open window
    role = str(role_rows[0][0]) if role_rows else None
    if role in SEE_ANY_NUMBER:
        return True
    if role != "volunteer":
        return False
    owner = rows("SELECT created_by FROM contacts WHERE id = ?", (contact_id,))
    return bool(owner) and owner[0][0] == actor


def open_contact(store: Store | RecordStore, contact_id: str, actor: str) -> ContactDetail:
    """The contact with its notes, follow-ups, callbacks (without their numbers) and worklist
    items; opening it is audited (records.get_contact)."""
    if isinstance(store, LocalRecords):
        store = store.store
    if not isinstance(store, Store):
        return _open_shared(cast("PgStore", store), contact_id, actor)
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


def reveal_number(store: Store | RecordStore, contact_id: str, actor: str) -> str | None:
    """The contact's callback number (the latest kept), audited; NotAllowed for other roles."""
    if isinstance(store, LocalRecords):
        store = store.store
    if not isinstance(store, Store):
        return cast("PgStore", store).reveal_number(contact_id, actor, SEE_ANY_NUMBER)
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


def _open_shared(store: PgStore, contact_id: str, actor: str) -> ContactDetail:
    """`open_contact` on the shared store: the same detail, its sealed fields opened on this
    station, its worklist items and their attempts included."""
    record, notes = store.get_contact(contact_id, actor)
    callbacks = tuple(
        CallbackInfo(best_time, zone, status, has_number, messages_ok)
        for best_time, zone, status, has_number, messages_ok in store.contact_callbacks(contact_id)
    )
    role = store.account_role(actor)
    may_reveal = role in SEE_ANY_NUMBER or (
        role == "volunteer" and record_owner(store, contact_id) == actor
    )
    return ContactDetail(
        record,
        tuple(notes),
        tuple(store.open_followups(contact_id)),
        callbacks,
        tuple(
            WorkInfo(kind, status, due, claimer, outcome, tries)
            for kind, status, due, claimer, outcome, tries in store.work_for_contact(contact_id)
        ),
        may_reveal,
        store.on_hold(contact_id),
    )


def record_owner(store: PgStore, contact_id: str) -> str | None:
    rows = store.query("SELECT created_by FROM contacts WHERE id = %s", (contact_id,))
    return str(rows[0][0]) if rows and rows[0][0] is not None else None


# What History reads and writes, on either store (the SQLCipher file through the same `records`
# functions as always).


def history_page(
    store: Store | RecordStore,
    after: tuple[str, str] | None = None,
    limit: int = 50,
    filters: HistoryFilter | None = None,
) -> Page:
    return records_of(store).history_page(after, limit, filters)


def search_notes(
    store: Store | RecordStore, text: str, limit: int = 50, *, created_by: str | None = None
) -> list[tuple[str, str]]:
    return records_of(store).search_notes(text, limit, created_by=created_by)


def complete_followup(store: Store | RecordStore, followup_id: str, actor: str | None) -> bool:
    return records_of(store).complete_followup(followup_id, actor)


def hold_record(store: Store | RecordStore, actor: str, contact_id: str, on_hold: bool) -> None:
    """A legal hold (supervisors only, audited), on either store."""
    if isinstance(store, Store):
        from intake.services.accounts import hold_record as hold_in_file  # noqa: PLC0415

        hold_in_file(store, actor, contact_id, on_hold)
        return
    store.set_hold(contact_id, on_hold, actor)
