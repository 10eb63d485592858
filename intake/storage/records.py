"""Contacts, notes, callbacks, follow-ups and drafts: the queries the workflows run.

Every record id comes from the application (a UUID), so saving is idempotent: retrying a save
whose acknowledgement was lost never duplicates it. Every change is audited in the same
transaction (who, what, which record, when: never content). Consent is binding: when a caller
declines note-keeping, free text and identifiers are refused for that contact, and withdrawing
consent later shreds what was kept.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from intake.storage import audit
from intake.storage.db import Store
from intake.storage.errors import (
    MAX_NAME_LENGTH,
    MAX_NOTE_LENGTH,
    ConsentRefused,
    FollowupHeld,
    NameTooLong,
    NotAllowed,
    NoteTooLong,
    StoreError,
)

_JSON_FIELDS = ("topics", "formats", "referrals", "crisis_actions")
_COLUMNS = (
    "id",
    "channel",
    "started_at",
    "ended_at",
    "ui_language",
    "caller_language",
    "role",
    "province",
    "about_colleague",
    "topics",
    "need",
    "formats",
    "risk",
    "referrals",
    "crisis_actions",
    "outcome",
    "consent_notes",
    "caller_name",
    "callback_number",
    "about_family",
)


class RecordMissing(StoreError):
    """Raised for an id that is not in the store (a programming error in the caller)."""


@dataclass(frozen=True)
class ContactRecord:
    id: str
    channel: str  # phone | kiosk
    started_at: str  # ISO 8601 with offset
    ui_language: str
    caller_language: str
    ended_at: str | None = None
    role: str | None = None
    province: str | None = None
    about_colleague: bool = False
    topics: tuple[str, ...] = ()
    need: str | None = None
    formats: tuple[str, ...] = ()
    risk: str = "none"
    referrals: tuple[dict[str, Any], ...] = ()  # {program, reasons, offered, chosen}
    crisis_actions: tuple[str, ...] = ()
    outcome: str | None = None
    consent_notes: bool = False
    caller_name: str | None = None
    callback_number: str | None = None
    about_family: bool = False  # about a physician in the caller's family (migration 6)

    def row(self) -> tuple[Any, ...]:
        # Read field by field: dataclasses.asdict deep-copies every nested value first, which
        # was a tenth of a call's save in CPU time.
        values = {name: getattr(self, name) for name in _COLUMNS}
        for name in _JSON_FIELDS:
            values[name] = json.dumps(list(values[name]), ensure_ascii=False, sort_keys=True)
        values["about_colleague"] = int(self.about_colleague)
        values["consent_notes"] = int(self.consent_notes)
        values["about_family"] = int(self.about_family)
        return tuple(values[name] for name in _COLUMNS)


def _record(row: Sequence[Any]) -> ContactRecord:
    values = dict(zip(_COLUMNS, row, strict=True))
    for name in _JSON_FIELDS:
        values[name] = tuple(json.loads(values[name]))
    values["about_colleague"] = bool(values["about_colleague"])
    values["consent_notes"] = bool(values["consent_notes"])
    values["about_family"] = bool(values["about_family"])
    return ContactRecord(**values)


@dataclass(frozen=True)
class Note:
    id: str
    contact_id: str
    created_at: str
    body: str
    author: str | None = None


@dataclass(frozen=True)
class HistoryRow:
    id: str
    started_at: str
    channel: str
    province: str | None
    risk: str
    outcome: str | None


@dataclass(frozen=True)
class Page:
    rows: tuple[HistoryRow, ...]
    next_key: tuple[str, str] | None = field(default=None)  # pass back for the next page


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _check_consent(record: ContactRecord) -> None:
    if not record.consent_notes and (record.caller_name or record.callback_number):
        raise ConsentRefused()
    if record.caller_name is not None and len(record.caller_name) > MAX_NAME_LENGTH:
        raise NameTooLong()


def _check_note(body: str) -> None:
    if len(body) > MAX_NOTE_LENGTH:
        raise NoteTooLong(len(body))


def save_contact(store: Store, record: ContactRecord, actor: str | None) -> str:
    """Insert or update; returns "created", "updated" or "unchanged" (a retried save)."""
    _check_consent(record)
    with store.transaction() as conn:
        return write_contact(conn, record, actor)


def write_contact(conn: Any, record: ContactRecord, actor: str | None) -> str:
    """`save_contact` inside the caller's transaction (a service saving several rows at once)."""
    _check_consent(record)
    row = record.row()
    placeholders = ", ".join("?" * len(_COLUMNS))
    existing = conn.execute(
        f"SELECT {', '.join(_COLUMNS)}, created_by FROM contacts WHERE id = ?", (record.id,)
    ).fetchone()
    if existing is None:
        conn.execute(
            f"INSERT INTO contacts ({', '.join(_COLUMNS)}, created_by) VALUES ({placeholders}, ?)",
            (*row, actor),
        )
        audit.append(conn, actor, "create", record.id, "contact")
        return "created"
    if tuple(existing[: len(_COLUMNS)]) == row:
        return "unchanged"
    assignments = ", ".join(f"{name} = ?" for name in _COLUMNS[1:])
    conn.execute(f"UPDATE contacts SET {assignments} WHERE id = ?", (*row[1:], record.id))
    if not record.consent_notes and existing[_COLUMNS.index("consent_notes")]:
        # Consent withdrawn: what was kept under it goes now.
        conn.execute("DELETE FROM notes WHERE contact_id = ?", (record.id,))
        conn.execute("UPDATE callbacks SET number = NULL WHERE contact_id = ?", (record.id,))
    audit.append(conn, actor, "edit", record.id, "contact")
    return "updated"


def put_note(conn: Any, note_id: str, contact_id: str, body: str, actor: str | None) -> str:
    """Insert, or update the body of, the note `note_id` inside the caller's transaction:
    "created", "updated" or "unchanged". A resumed call saved again keeps its edits."""
    _check_note(body)
    _require_consent(conn, contact_id)
    existing = conn.execute("SELECT body FROM notes WHERE id = ?", (note_id,)).fetchone()
    if existing is None:
        conn.execute(
            "INSERT INTO notes (id, contact_id, author, created_at, body) VALUES (?, ?, ?, ?, ?)",
            (note_id, contact_id, actor, _now(), body),
        )
        audit.append(conn, actor, "create", note_id, f"note contact={contact_id}")
        return "created"
    if existing[0] == body:
        return "unchanged"
    conn.execute("UPDATE notes SET body = ? WHERE id = ?", (body, note_id))
    audit.append(conn, actor, "edit", note_id, f"note contact={contact_id}")
    return "updated"


def drop_note(conn: Any, note_id: str, actor: str | None) -> bool:
    """Remove a note whose text was emptied before the call was saved again (audited)."""
    if conn.execute("DELETE FROM notes WHERE id = ?", (note_id,)).rowcount == 0:
        return False
    audit.append(conn, actor, "edit", note_id, "note removed")
    return True


def put_callback(
    conn: Any,
    callback_id: str,
    contact_id: str,
    *,
    number: str,
    best_time: str,
    time_zone: str,
    actor: str | None,
    messages_ok: bool = False,
) -> str:
    """Insert or update an open callback inside the caller's transaction. `messages_ok`: the
    person agreed that a message may be left at the number (asked where the number is taken;
    not agreed unless they said so)."""
    _require_consent(conn, contact_id)
    agreed = 1 if messages_ok else 0
    existing = conn.execute(
        "SELECT number, best_time, time_zone, status, messages_ok FROM callbacks WHERE id = ?",
        (callback_id,),
    ).fetchone()
    if existing is None:
        conn.execute(
            "INSERT INTO callbacks (id, contact_id, number, best_time, time_zone, created_at, "
            "messages_ok) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (callback_id, contact_id, number, best_time, time_zone, _now(), agreed),
        )
        audit.append(conn, actor, "create", callback_id, f"callback contact={contact_id}")
        return "created"
    if tuple(existing) == (number, best_time, time_zone, "open", agreed):
        return "unchanged"
    conn.execute(
        "UPDATE callbacks SET number = ?, best_time = ?, time_zone = ?, status = 'open', "
        "messages_ok = ? WHERE id = ?",
        (number, best_time, time_zone, agreed, callback_id),
    )
    audit.append(conn, actor, "edit", callback_id, f"callback contact={contact_id}")
    return "updated"


def put_followup(
    conn: Any, followup_id: str, contact_id: str, due_at: str, actor: str | None
) -> str:
    """Insert or update an open follow-up inside the caller's transaction."""
    existing = conn.execute(
        "SELECT due_at, status FROM followups WHERE id = ?", (followup_id,)
    ).fetchone()
    if existing is None:
        conn.execute(
            "INSERT INTO followups (id, contact_id, due_at, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (followup_id, contact_id, due_at, actor, _now()),
        )
        audit.append(conn, actor, "create", followup_id, f"followup contact={contact_id}")
        return "created"
    if tuple(existing) == (due_at, "open"):
        return "unchanged"
    conn.execute(
        "UPDATE followups SET due_at = ?, status = 'open' WHERE id = ?", (due_at, followup_id)
    )
    audit.append(conn, actor, "edit", followup_id, f"followup contact={contact_id}")
    return "updated"


def cancel_followup(conn: Any, followup_id: str, callback_id: str, actor: str | None) -> None:
    """A follow-up unticked before the call was saved again: cancel it and its callback."""
    changed = conn.execute(
        "UPDATE followups SET status = 'cancelled' WHERE id = ? AND status = 'open'",
        (followup_id,),
    ).rowcount
    conn.execute(
        "UPDATE callbacks SET status = 'cancelled', number = NULL WHERE id = ? AND status = 'open'",
        (callback_id,),
    )
    if changed:
        audit.append(conn, actor, "edit", followup_id, "followup cancelled")


def get_contact(
    store: Store, contact_id: str, actor: str | None
) -> tuple[ContactRecord, list[Note]]:
    """Open a contact (audited) with its notes."""
    with store.transaction() as conn:
        row = conn.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM contacts WHERE id = ?", (contact_id,)
        ).fetchone()
        if row is None:
            raise RecordMissing()
        notes = [
            Note(*r)
            for r in conn.execute(
                "SELECT id, contact_id, created_at, body, author FROM notes "
                "WHERE contact_id = ? ORDER BY created_at, id",
                (contact_id,),
            )
        ]
        audit.append(conn, actor, "open", contact_id, "contact")
    return _record(row), notes


def _require_consent(conn: Any, contact_id: str) -> None:
    """Free text and identifiers only for a contact whose caller agreed to note-keeping."""
    consent = conn.execute(
        "SELECT consent_notes FROM contacts WHERE id = ?", (contact_id,)
    ).fetchone()
    if consent is None:
        raise RecordMissing()
    if not consent[0]:
        raise ConsentRefused()


def add_note(store: Store, note_id: str, contact_id: str, body: str, actor: str | None) -> str:
    """Add a note; "created", or "unchanged" when this note id was already saved."""
    _check_note(body)
    with store.transaction() as conn:
        _require_consent(conn, contact_id)
        cursor = conn.execute(
            "INSERT INTO notes (id, contact_id, author, created_at, body) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO NOTHING",
            (note_id, contact_id, actor, _now(), body),
        )
        if cursor.rowcount == 0:
            return "unchanged"
        audit.append(conn, actor, "create", note_id, f"note contact={contact_id}")
        return "created"


def _fts_query(text: str) -> str:
    """Every word as a quoted FTS5 string, so user input is never parsed as query syntax.

    Control characters are never part of a token, and a NUL would cut the query short in C.
    """
    cleaned = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)
    words = [w for w in cleaned.split() if w]
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def search_notes(
    store: Store, text: str, limit: int = 50, *, created_by: str | None = None
) -> list[tuple[str, str]]:
    """(contact id, note id) of notes containing every word, newest first.

    Newest first rather than by relevance: a volunteer searching notes is usually looking for a
    recent contact, and FTS5 can stop after `limit` matches in rowid order, where ranking must
    score every match first (measured: p95 1 ms against 196 ms over 100,000 notes).
    `created_by` limits the search to one person's contacts (a volunteer sees their own).
    """
    query = _fts_query(text)
    if not query:
        return []
    # The words are looked for in the note's text only, never in the owner column.
    query = f"body : ({query})"
    if created_by is not None:
        # The index's owner column holds the contact creator's account id, hex-encoded as one
        # token (migration 6): FTS5 intersects that short list with the words' lists, newest
        # first, and stops at `limit`, whatever the volunteer's share of the notes.
        query = f'owner : "{created_by.encode("utf-8").hex().upper()}" AND {query}'
    rows = store.query(
        "SELECT notes.contact_id, notes.id FROM notes_fts "
        "JOIN notes ON notes.rowid = notes_fts.rowid "
        "WHERE notes_fts MATCH ? ORDER BY notes_fts.rowid DESC LIMIT ?",
        (query, limit),
    )
    return [(r[0], r[1]) for r in rows]


@dataclass(frozen=True)
class HistoryFilter:
    """What the history list shows; every field narrows it. Empty: everything visible."""

    created_by: str | None = None  # a volunteer's own contacts; None for a supervisor
    province: str | None = None
    outcome: str | None = None
    since: str | None = None  # ISO 8601: contacts started at or after
    followup_due_by: str | None = None  # ISO 8601: only contacts with an open follow-up due
    contact_ids: tuple[str, ...] | None = None  # from a note search

    def where(self) -> tuple[str, tuple[Any, ...]]:
        clauses, params = [], []
        for column, value in (
            ("created_by", self.created_by),
            ("province", self.province),
            ("outcome", self.outcome),
        ):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if self.since is not None:
            clauses.append("started_at >= ?")
            params.append(self.since)
        if self.followup_due_by is not None:
            clauses.append(
                "id IN (SELECT contact_id FROM followups WHERE status = 'open' AND due_at <= ?)"
            )
            params.append(self.followup_due_by)
        if self.contact_ids is not None:
            clauses.append(f"id IN ({', '.join('?' * len(self.contact_ids)) or 'NULL'})")
            params.extend(self.contact_ids)
        return (" AND ".join(clauses) or "1"), tuple(params)

    def index(self) -> str:
        """The index that serves this filter (see migration 4); named, not left to the planner.

        Follow-ups due and search results are small sets: their contacts are found by id in an
        index that also holds every filtered column and the display order (migration 6), sorted
        there, and only the page's rows are read from the table. Otherwise the index starts with
        the filtered columns and ends in display order, so a page is the next rows of one index range, whatever the filter matches.
        """
        if self.followup_due_by is not None or self.contact_ids is not None:
            return FOUND_BY_ID
        return _HISTORY_INDEXES[
            (self.created_by is not None, self.province is not None, self.outcome is not None)
        ]


# Contacts found by id (search hits, follow-ups due): (id, started_at, created_by, province,
# outcome). Reading up to 500 hits' rows from the table to show a page of 100 was most of a
# note search (100,000 notes: median 23 ms, p95 53 ms; through this index 17 and 30).
FOUND_BY_ID = "contacts_found"

# (by creator, by province, by outcome) -> the index for that combination of filters.
_HISTORY_INDEXES = {
    (False, False, False): "contacts_history",
    (True, False, False): "contacts_creator",
    (False, True, False): "contacts_province",
    (False, False, True): "contacts_outcome",
    (False, True, True): "contacts_province_outcome",
    (True, True, False): "contacts_creator_province",
    (True, False, True): "contacts_creator_outcome",
    (True, True, True): "contacts_creator_province_outcome",
}


def history_page(
    store: Store,
    after: tuple[str, str] | None = None,
    limit: int = 50,
    filters: HistoryFilter | None = None,
) -> Page:
    """Newest contacts first, one page at a time (keyset paging: as fast on page 1,000 as on 1)."""
    filters = filters or HistoryFilter()
    where, params = filters.where()
    if after is not None:
        where += " AND (started_at, id) < (?, ?)"
        params = (*params, *after)
    index = filters.index()
    if index == FOUND_BY_ID:
        # The page is chosen in the covering index; only its rows are read from the table.
        where = (
            f"rowid IN (SELECT rowid FROM contacts INDEXED BY {index} WHERE {where} "
            "ORDER BY started_at DESC, id DESC LIMIT ?)"
        )
        params, indexed = (*params, limit), ""  # the outer query reads rows by rowid
    else:
        indexed = f"INDEXED BY {index} "
    rows = store.query(
        # A contact saved without the safety screen is stored as risk "none" with the coded
        # action "safety-not-screened" (the column's CHECK predates the tier): list it as such.
        "SELECT id, started_at, channel, province, "
        "CASE WHEN crisis_actions LIKE '%\"safety-not-screened\"%' THEN 'not-screened' "
        "ELSE risk END, outcome "
        f"FROM contacts {indexed}WHERE {where} ORDER BY started_at DESC, id DESC LIMIT ?",
        (*params, limit),
    )
    page = tuple(HistoryRow(*r) for r in rows)
    next_key = (page[-1].started_at, page[-1].id) if len(page) == limit else None
    return Page(page, next_key)


@dataclass(frozen=True)
class FollowUp:
    id: str
    contact_id: str
    due_at: str
    province: str | None


def followups_due(
    store: Store, by: str, created_by: str | None = None, limit: int = 200
) -> list[FollowUp]:
    """Open follow-ups due at or before `by`, soonest first."""
    rows = store.query(
        "SELECT followups.id, followups.contact_id, followups.due_at, contacts.province "
        "FROM followups JOIN contacts ON contacts.id = followups.contact_id "
        "WHERE followups.status = 'open' AND followups.due_at <= ? "
        "AND (? IS NULL OR contacts.created_by = ?) ORDER BY followups.due_at LIMIT ?",
        (by, created_by, created_by, limit),
    )
    return [FollowUp(*r) for r in rows]


def add_callback(
    store: Store,
    callback_id: str,
    contact_id: str,
    *,
    number: str,
    best_time: str,
    time_zone: str,
    actor: str | None,
) -> str:
    with store.transaction() as conn:
        _require_consent(conn, contact_id)
        cursor = conn.execute(
            "INSERT INTO callbacks (id, contact_id, number, best_time, time_zone, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (callback_id, contact_id, number, best_time, time_zone, _now()),
        )
        if cursor.rowcount == 0:
            return "unchanged"
        audit.append(conn, actor, "create", callback_id, f"callback contact={contact_id}")
        return "created"


def open_followups(store: Store, contact_id: str) -> list[FollowUp]:
    rows = store.query(
        "SELECT followups.id, followups.contact_id, followups.due_at, contacts.province "
        "FROM followups JOIN contacts ON contacts.id = followups.contact_id "
        "WHERE followups.contact_id = ? AND followups.status = 'open' ORDER BY followups.due_at",
        (contact_id,),
    )
    return [FollowUp(*r) for r in rows]


def complete_followup(store: Store, followup_id: str, actor: str | None) -> bool:
    """Mark a follow-up done (audited); False if it was not open (already done by someone).
    FollowupHeld if another person has claimed its worklist item: they are calling."""
    with store.transaction() as conn:
        held = conn.execute(
            "SELECT 1 FROM work_items WHERE id = ? AND status = 'open' "
            "AND claimed_by IS NOT NULL AND claimed_by IS NOT ?",
            (followup_id, actor),
        ).fetchone()
        if held is not None:
            raise FollowupHeld()
        changed = conn.execute(
            "UPDATE followups SET status = 'done' WHERE id = ? AND status = 'open'",
            (followup_id,),
        ).rowcount
        if changed:
            audit.append(conn, actor, "edit", followup_id, "followup done")
    return bool(changed)


def add_followup(
    store: Store, followup_id: str, contact_id: str, due_at: str, actor: str | None
) -> str:
    with store.transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO followups (id, contact_id, due_at, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (followup_id, contact_id, due_at, actor, _now()),
        )
        if cursor.rowcount == 0:
            return "unchanged"
        audit.append(conn, actor, "create", followup_id, f"followup contact={contact_id}")
        return "created"


# Every identifier and free text a call holds (intake.call keeps the same list): none of them
# is kept in a draft when the caller declined notes; the follow-up's number is one of them.
_DRAFT_TEXT_KEYS = ("notes", "caller_name", "callback_number", "followup_number")


def save_draft(
    store: Store, draft_id: str, account_id: str | None, payload: dict[str, Any]
) -> None:
    """Autosave the call in progress (not audited: it is saved every few seconds).

    A draft of a contact whose caller declined note-keeping may hold no free text or identifier.
    """
    if not payload.get("consent_notes") and any(payload.get(k) for k in _DRAFT_TEXT_KEYS):
        raise ConsentRefused()
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO drafts (id, account_id, updated_at, payload) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, "
            "payload = excluded.payload",
            (draft_id, account_id, _now(), data),
        )


def drafts(store: Store, account_id: str | None) -> list[tuple[str, dict[str, Any]]]:
    rows = store.query(
        "SELECT id, payload FROM drafts WHERE account_id IS ? ORDER BY updated_at DESC",
        (account_id,),
    )
    return [(r[0], json.loads(r[1])) for r in rows]


def delete_draft(store: Store, draft_id: str) -> None:
    with store.transaction() as conn:
        remove_draft(conn, draft_id)


def remove_draft(conn: Any, draft_id: str) -> None:
    conn.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))


def set_hold(store: Store, contact_id: str, on_hold: bool, actor: str) -> None:
    """Keep a record out of retention purges (supervisors only)."""
    with store.transaction() as conn:
        role = conn.execute("SELECT role FROM accounts WHERE id = ?", (actor,)).fetchone()
        if role is None or role[0] != "supervisor":
            raise NotAllowed()
        if (
            conn.execute(
                "UPDATE contacts SET on_hold = ? WHERE id = ?", (int(on_hold), contact_id)
            ).rowcount
            == 0
        ):
            raise RecordMissing()
        audit.append(conn, actor, "hold" if on_hold else "release", contact_id, "contact")
