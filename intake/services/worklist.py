"""The worklist: every callback and follow-up still owed, from calls and kiosk visits alike, and
for coordinators the first contacts matched peer supporters owe (`first_contacts`).

A promise made ("someone will call you back") is one row of `work_items` (kept in step with the
follow-ups and callbacks by the store itself, migration 6). The list is ordered the way a
volunteer would work it: a high-risk kiosk request first (the person said so on a screen and
nobody has spoken to them yet), then by risk, then by due time. One volunteer works an item at a
time: claiming is one conditional UPDATE, so two people pressing "Claim" at once cannot both win.
Every change and every number revealed is audited, never its content.

Both stores: the SQLCipher file through the SQL below, the shared server through `PgStore`'s
worklist part (intake/storage/pg/worklist.py: the same tables, kept by the same kind of
triggers, the item's row locked for a claim), with this module's roles passed in.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, cast

from intake.i18n import N_
from intake.provinces import PROVINCES
from intake.storage import audit
from intake.storage.account_store import active_role
from intake.storage.db import Store
from intake.storage.errors import NotAllowed, StoreError
from intake.storage.interface import RecordStore
from intake.storage.local import LocalRecords
from intake.storage.roster import FirstContactItem, first_contact_items
from intake.timezones import zone
from intake.vocabulary import ATTEMPT_RESULTS, WORK_OUTCOMES

if TYPE_CHECKING:
    from intake.storage.pg.store import PgStore

DEFAULT_ZONE = "America/Toronto"
# The caller's daytime: a callback outside it asks the volunteer to confirm.
DAY_STARTS, DAY_ENDS = time(8, 0), time(21, 0)
# Roles that may see any callback number; a volunteer sees the number of an item they claimed.
SEE_ANY_NUMBER = frozenset({"supervisor", "coordinator"})
# Who works the line's callbacks: not a peer supporter (a physician on the matching roster, who
# sees only their own matches) and never a kiosk.
WORKING_ROLES = frozenset({"volunteer", "supervisor", "coordinator"})


class WorkError(StoreError):
    """A worklist action that cannot be done; the window says why in the person's language."""


class AlreadyClaimed(WorkError):
    title = N_("Someone else is already working on this item")
    advice = N_("Choose another item. Nothing was changed.")


class NotClaimed(WorkError):
    title = N_("Claim this item first")
    advice = N_("Only the person working on an item can record attempts or change it.")


class ItemClosed(WorkError):
    title = N_("This item is already closed")
    advice = N_("The list has been refreshed. Nothing was changed.")


class DueInPast(WorkError):
    title = N_("That time has already passed")
    advice = N_("Choose a date and time in the future. Nothing was saved.")


class MessagesNotAgreed(WorkError):
    title = N_("The person did not agree to a message")
    advice = N_("Do not leave a message. Record “No answer” and try again later.")


@dataclass(frozen=True)
class WorkItem:
    id: str
    kind: str  # intake.vocabulary.WORK_KINDS
    contact_id: str
    channel: str  # phone | kiosk
    province: str | None
    risk: str  # a tier, "not-screened" included
    due_at: datetime  # aware, UTC
    time_zone: str  # the caller's
    best_time: str | None  # a kiosk code (morning...) or the ISO time agreed on the phone
    caller_language: str
    claimed_by: str | None
    claimed_by_name: str | None
    attempts: int
    has_number: bool
    messages_ok: bool
    key: tuple[int, str, str]  # (rank, stored due_at, id): the working order, for paging

    @property
    def alert(self) -> bool:
        """A kiosk visitor at high or imminent risk asked for a callback: first, and flagged."""
        return self.channel == "kiosk" and self.risk in ("high", "imminent")

    def overdue(self, now: datetime) -> bool:
        return self.due_at < now

    def due_for_caller(self) -> datetime:
        return self.due_at.astimezone(zone(self.time_zone))


_SELECT = (
    "SELECT w.id, w.kind, w.contact_id, c.channel, c.province, "
    "CASE WHEN c.crisis_actions LIKE '%\"safety-not-screened\"%' THEN 'not-screened' "
    "ELSE c.risk END, w.due_at, cb.time_zone, cb.best_time, c.caller_language, w.claimed_by, "
    "a.display_name, (SELECT count(*) FROM work_attempts t WHERE t.item_id = w.id), "
    "cb.number IS NOT NULL, coalesce(cb.messages_ok, 0), w.rank "
    "FROM work_items w INDEXED BY work_items_queue "
    "JOIN contacts c ON c.id = w.contact_id "
    "LEFT JOIN accounts a ON a.id = w.claimed_by "
    "LEFT JOIN callbacks cb ON cb.rowid = (SELECT rowid FROM callbacks "
    "WHERE contact_id = w.contact_id ORDER BY created_at DESC LIMIT 1) "
)


def _item(row: Any) -> WorkItem:
    (ident, kind, contact, channel, province, risk, due, tz, best, language) = row[:10]
    (claimed_by, claimer, attempts, has_number, messages_ok, rank) = row[10:]
    fallback = PROVINCES[province].zone if province in PROVINCES else DEFAULT_ZONE
    try:
        zone(tz or fallback)
        caller_zone = tz or fallback
    except Exception:
        caller_zone = fallback
    return WorkItem(
        ident,
        kind,
        contact,
        channel,
        province,
        risk,
        datetime.fromisoformat(due).astimezone(UTC),
        caller_zone,
        best,
        language,
        claimed_by,
        claimer,
        int(attempts),
        bool(has_number),
        bool(messages_ok),
        (int(rank), str(due), str(ident)),
    )


Key = tuple[int, str, str]

# What the worklist window holds and hands back to these functions.
WorkStore = Store | RecordStore


# The worklist on either store: the SQLCipher file (its own SQL below, as always; also when it
# comes as the interface's `LocalRecords`) or the shared server (`PgStore`'s worklist part,
# intake/storage/pg/worklist.py, with the same rules and this module's policy passed in).
def _on_server(store: Store | RecordStore) -> PgStore | None:
    if isinstance(store, (Store, LocalRecords)):
        return None
    return cast("PgStore", store)


def _file(store: Store | RecordStore) -> Store:
    return store.store if isinstance(store, LocalRecords) else cast(Store, store)


def _refused(code: str | None) -> None:
    """The server's refusal code as this module's typed error."""
    if code is None:
        return
    raise {
        "not-allowed": NotAllowed,
        "closed": ItemClosed,
        "claimed": AlreadyClaimed,
        "not-claimed": NotClaimed,
        "messages-not-agreed": MessagesNotAgreed,
    }[code]()


def open_items(
    store: Store | RecordStore, limit: int = 10_000, after: Key | None = None
) -> list[WorkItem]:
    """Open items in working order (high-risk kiosk requests, risk, then due time), `limit` at
    a time after `after` (an item's `key`): read in order from one index, so the first
    screenful costs the same with 50 or 5,000 items open."""
    if (server := _on_server(store)) is not None:
        return [_item(r) for r in server.work_open_items(limit, after)]
    store = _file(store)
    where = "w.status = 'open'"
    params: tuple[object, ...] = ()
    if after is not None:
        where += " AND (w.rank, w.due_at, w.id) > (?, ?, ?)"
        params = after
    rows = store.query(
        _SELECT + f"WHERE {where} ORDER BY w.rank, w.due_at, w.id LIMIT ?", (*params, limit)
    )
    return [_item(r) for r in rows]


@dataclass(frozen=True)
class Summary:
    open: int
    overdue: int
    alerts: int  # high-risk kiosk requests still open


def summary(store: Store | RecordStore, now: datetime | None = None) -> Summary:
    """The counts the window shows above the list (each one index range)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC).isoformat()
    if (server := _on_server(store)) is not None:
        return Summary(*server.work_summary(moment))
    store = _file(store)
    row = store.query(
        "SELECT (SELECT count(*) FROM work_items WHERE status = 'open'), "
        "(SELECT count(*) FROM work_items WHERE status = 'open' AND due_at < ?), "
        "(SELECT count(*) FROM work_items WHERE status = 'open' AND rank = 0)",
        (moment,),
    )[0]
    return Summary(int(row[0]), int(row[1]), int(row[2]))


def get_item(store: Store | RecordStore, item_id: str) -> WorkItem | None:
    if (server := _on_server(store)) is not None:
        row = server.work_get_item(item_id)
        return None if row is None else _item(row)
    store = _file(store)
    rows = store.query(
        _SELECT.replace("INDEXED BY work_items_queue ", "") + "WHERE w.id = ?", (item_id,)
    )
    return _item(rows[0]) if rows else None


def open_count(store: Store | RecordStore) -> int:
    """How many promises are still owed (the home page's count)."""
    if (server := _on_server(store)) is not None:
        return server.work_due_count(None)
    store = _file(store)
    return int(store.query("SELECT count(*) FROM work_items WHERE status = 'open'")[0][0])


def due_count(store: Store | RecordStore, by: datetime) -> int:
    """Open items due at or before `by` (overdue included)."""
    if (server := _on_server(store)) is not None:
        return server.work_due_count(by.astimezone(UTC).isoformat())
    store = _file(store)
    return int(
        store.query(
            "SELECT count(*) FROM work_items WHERE status = 'open' AND due_at <= ?",
            (by.astimezone(UTC).isoformat(),),
        )[0][0]
    )


def _role(conn: Any, actor: str) -> str:
    role = active_role(conn, actor)
    if role is None or role not in WORKING_ROLES:
        raise NotAllowed()
    return role


def _open_row(conn: Any, item_id: str) -> tuple[str, str | None, str]:
    row = conn.execute(
        "SELECT status, claimed_by, kind FROM work_items WHERE id = ?", (item_id,)
    ).fetchone()
    if row is None or row[0] != "open":
        raise ItemClosed()
    return row[0], row[1], row[2]


def claim(store: Store | RecordStore, item_id: str, actor: str) -> None:
    """Take the item; AlreadyClaimed if someone else holds it. One conditional UPDATE: of two
    volunteers claiming at once, exactly one wins, whatever the connection (on the server, the
    item's row is locked for the check and the write)."""
    if (server := _on_server(store)) is not None:
        _refused(server.work_claim(item_id, actor, WORKING_ROLES))
        return
    store = _file(store)
    with store.transaction() as conn:
        _role(conn, actor)
        changed = conn.execute(
            "UPDATE work_items SET claimed_by = ?, claimed_at = ? "
            "WHERE id = ? AND status = 'open' AND (claimed_by IS NULL OR claimed_by = ?)",
            (actor, _now(), item_id, actor),
        ).rowcount
        if not changed:
            _open_row(conn, item_id)  # closed: ItemClosed
            raise AlreadyClaimed()
        audit.append(conn, actor, "claim", item_id, "worklist")


def release(store: Store | RecordStore, item_id: str, actor: str) -> None:
    """Give the item back (its holder, or a supervisor)."""
    if (server := _on_server(store)) is not None:
        _refused(server.work_release(item_id, actor, WORKING_ROLES, SEE_ANY_NUMBER))
        return
    store = _file(store)
    with store.transaction() as conn:
        role = _role(conn, actor)
        _status, holder, _kind = _open_row(conn, item_id)
        if holder != actor and role not in SEE_ANY_NUMBER:
            raise NotClaimed()
        conn.execute(
            "UPDATE work_items SET claimed_by = NULL, claimed_at = NULL WHERE id = ?", (item_id,)
        )
        audit.append(conn, actor, "release", item_id, "worklist")


def _held(conn: Any, item_id: str, actor: str) -> str:
    _role(conn, actor)
    _status, holder, kind = _open_row(conn, item_id)
    if holder != actor:
        raise NotClaimed()
    return kind


def record_attempt(store: Store | RecordStore, item_id: str, actor: str, result: str) -> str:
    """One try to reach the person; a message only if they agreed to one. Returns its id."""
    if result not in ATTEMPT_RESULTS:
        raise ValueError(f"unknown attempt result {result!r}")
    if (server := _on_server(store)) is not None:
        refusal, attempt = server.work_record_attempt(item_id, actor, result, WORKING_ROLES)
        _refused(refusal)
        return str(attempt)
    store = _file(store)
    attempt_id = str(uuid.uuid4())
    with store.transaction() as conn:
        _held(conn, item_id, actor)
        if result == "message-left":
            agreed = conn.execute(
                "SELECT coalesce(max(cb.messages_ok), 0) FROM callbacks cb "
                "JOIN work_items w ON w.contact_id = cb.contact_id WHERE w.id = ?",
                (item_id,),
            ).fetchone()[0]
            if not agreed:
                raise MessagesNotAgreed()
        conn.execute(
            "INSERT INTO work_attempts (id, item_id, at, actor, result) VALUES (?, ?, ?, ?, ?)",
            (attempt_id, item_id, _now(), actor, result),
        )
        audit.append(conn, actor, "attempt", item_id, f"result={result}")
    return attempt_id


def attempts(store: Store | RecordStore, item_id: str) -> list[tuple[str, str]]:
    """(when, result) of every try, oldest first."""
    if (server := _on_server(store)) is not None:
        return server.work_attempts(item_id)
    store = _file(store)
    rows = store.query(
        "SELECT at, result FROM work_attempts WHERE item_id = ? ORDER BY at, id", (item_id,)
    )
    return [(r[0], r[1]) for r in rows]


def check_due(due: datetime, now: datetime | None = None) -> None:
    """A follow-up must be in the future: DueInPast otherwise (refused, with a message)."""
    if due.tzinfo is None:
        raise ValueError("a due time needs its zone")
    if due < (now or datetime.now(UTC)) - timedelta(minutes=1):
        raise DueInPast()


def outside_daytime(due: datetime, time_zone: str) -> bool:
    """True when `due` falls outside 8:00 to 21:00 in the caller's zone: ask before keeping it."""
    local = due.astimezone(zone(time_zone)).time()
    return not (DAY_STARTS <= local <= DAY_ENDS)


def reschedule(
    store: Store | RecordStore,
    item_id: str,
    actor: str,
    due: datetime,
    now: datetime | None = None,
) -> None:
    check_due(due, now)
    due_utc = due.astimezone(UTC).isoformat()
    if (server := _on_server(store)) is not None:
        _refused(server.work_reschedule(item_id, actor, due_utc, WORKING_ROLES))
        return
    store = _file(store)
    with store.transaction() as conn:
        kind = _held(conn, item_id, actor)
        conn.execute("UPDATE work_items SET due_at = ? WHERE id = ?", (due_utc, item_id))
        if kind == "followup":
            conn.execute("UPDATE followups SET due_at = ? WHERE id = ?", (due_utc, item_id))
        audit.append(conn, actor, "reschedule", item_id, "worklist")


def close(store: Store | RecordStore, item_id: str, actor: str, outcome: str) -> None:
    """Close the item with an outcome: its own follow-up or callback is done. Another promise
    to the same person (a callback request and a follow-up booked later) stays open, with the
    number it needs; the number is forgotten once nothing is owed to the person any more (the
    promise is kept; retention would remove it later anyway)."""
    if outcome not in WORK_OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    if (server := _on_server(store)) is not None:
        _refused(server.work_close(item_id, actor, outcome, WORKING_ROLES, SEE_ANY_NUMBER))
        return
    store = _file(store)
    with store.transaction() as conn:
        role = _role(conn, actor)
        _status, holder, kind = _open_row(conn, item_id)
        if holder != actor and role not in SEE_ANY_NUMBER:
            raise NotClaimed()
        conn.execute(
            "UPDATE work_items SET status = 'done', outcome = ?, closed_at = ? WHERE id = ?",
            (outcome, _now(), item_id),
        )
        contact = conn.execute(
            "SELECT contact_id FROM work_items WHERE id = ?", (item_id,)
        ).fetchone()[0]
        table = "followups" if kind == "followup" else "callbacks"
        conn.execute(
            f"UPDATE {table} SET status = 'done' WHERE id = ? AND status = 'open'", (item_id,)
        )
        still_owed = conn.execute(
            "SELECT 1 FROM work_items WHERE contact_id = ? AND status = 'open' LIMIT 1",
            (contact,),
        ).fetchone()
        if still_owed is None:
            conn.execute(
                "UPDATE followups SET status = 'done' WHERE contact_id = ? AND status = 'open'",
                (contact,),
            )
            conn.execute(
                "UPDATE callbacks SET status = 'done', number = NULL "
                "WHERE contact_id = ? AND (status = 'open' OR number IS NOT NULL)",
                (contact,),
            )
        audit.append(conn, actor, "close", item_id, f"outcome={outcome}")


def reveal_number(store: Store | RecordStore, item_id: str, actor: str) -> str | None:
    """The callback number, for a supervisor or coordinator, or the volunteer holding the item;
    NotAllowed otherwise. Every reveal is audited (who, which item, when; never the number)."""
    if (server := _on_server(store)) is not None:
        refusal, number = server.work_reveal_number(item_id, actor, WORKING_ROLES, SEE_ANY_NUMBER)
        _refused(refusal)
        return number
    store = _file(store)
    with store.transaction() as conn:
        role = _role(conn, actor)
        row = conn.execute(
            "SELECT w.claimed_by, w.contact_id, w.status FROM work_items w WHERE w.id = ?",
            (item_id,),
        ).fetchone()
        if row is None:
            raise ItemClosed()
        # A volunteer sees the number only while they hold an open item (not after it closed).
        if role not in SEE_ANY_NUMBER and (row[0] != actor or row[2] != "open"):
            raise NotAllowed()
        number = conn.execute(
            "SELECT number FROM callbacks WHERE contact_id = ? AND number IS NOT NULL "
            "ORDER BY created_at DESC LIMIT 1",
            (row[1],),
        ).fetchone()
        audit.append(conn, actor, "reveal", item_id, "callback-number")
    return None if number is None else str(number[0])


def _now() -> str:
    return datetime.now(UTC).isoformat()


# --- a match's first contact ------------------------------------------------------------------


@dataclass(frozen=True)
class FirstContactWork:
    """A worklist item of kind "first-contact" (see `roster.first_contact_items`)."""

    item: FirstContactItem
    kind: str  # always "first-contact" (intake.vocabulary.WORK_KINDS)
    overdue: bool  # past the due date (three business days after acceptance)


def tracks_first_contacts(store: Store | RecordStore) -> bool:
    """Whether this store holds matching, whose first contacts the worklist shows: both stores
    do (the shared server since its schema version 5)."""
    return True


def first_contacts(store: Store | RecordStore, actor: str, today: date) -> list[FirstContactWork]:
    """The first contacts matched peers owe, for a coordinator (all) or a peer supporter (their
    own); CoordinatorOnly for anyone else. Overdue once the due date has passed. Read from the
    matches on either store (`roster.first_contact_items`)."""
    return [
        FirstContactWork(item, "first-contact", date.fromisoformat(item.due) < today)
        for item in first_contact_items(store, actor)
    ]


def record_first_contact(
    store: Store | RecordStore, match_id: str, actor: str | None, when: datetime
) -> None:
    """The coordinator records, from the worklist, that the matched peer reached the physician:
    matching's own writer, on either store."""
    from intake.services import matching  # noqa: PLC0415 - matching's holidays, on demand

    matching.record_first_contact(store, match_id, actor, when)
