"""Calls in progress, free of Qt: start one, autosave it, find it again after a crash or a
closed window, resume it or discard it. Drafts are typed values (`Draft`), never dictionaries.

A kiosk visit has no draft on purpose: the kiosk forgets everything at the end of a visit
(or when it is left idle), so there is nothing to resume; `intake.services.kiosk` saves it.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from intake.call import Call
from intake.i18n import Language
from intake.storage.db import Store
from intake.storage.interface import RecordStore, records_of


@dataclass(frozen=True)
class Draft:
    """An unfinished call as autosaved: which call, when it started, and its state."""

    contact_id: str
    started_at: datetime
    state: Call  # kept private: `resume()` hands out a copy the window may edit

    def resume(self) -> Call:
        return copy.deepcopy(self.state)


def start_call(now: datetime, caller_language: Language) -> Call:
    """A new call; its id is also the id of its draft, record, note and follow-up."""
    return Call(
        contact_id=str(uuid.uuid4()),
        started_at=start_time(now),
        caller_language=caller_language,
    )


def start_time(now: datetime) -> str:
    """When a call started, as stored: UTC, since the history is ordered by this text and
    local offsets change with daylight saving time."""
    return now.astimezone(UTC).isoformat(timespec="seconds")


def draft_of(call: Call) -> Draft:
    """The draft an autosave writes: identifiers and free text only with the caller's consent
    (the store refuses any other)."""
    state = Call.from_payload(call.payload())
    return Draft(state.contact_id, datetime.fromisoformat(state.started_at), state)


class DraftRecords(Protocol):
    """Where drafts are kept: either store, or the shared store with its local outbox to fall
    back on (`intake.services.outbox.OutboxDrafts`, whose save says "kept-here")."""

    def save_draft(
        self, draft_id: str, account_id: str | None, payload: dict[str, Any]
    ) -> str | None: ...

    def drafts(self, account_id: str | None) -> list[tuple[str, dict[str, Any]]]: ...

    def delete_draft(self, draft_id: str) -> None: ...


class Drafts:
    """One volunteer's drafts in the open store."""

    def __init__(self, store: Store | RecordStore | DraftRecords, account_id: str) -> None:
        self._records: DraftRecords = records_of(store) if isinstance(store, Store) else store
        self._account_id = account_id

    def autosave(self, draft: Draft) -> str:
        """Write the draft (not audited: it is saved every few seconds); "saved", or
        "kept-here" when the shared server could not be reached and the draft waits, sealed,
        on this computer. Take the draft with `draft_of` on the UI thread, then call this on
        a worker thread."""
        kept = self._records.save_draft(draft.contact_id, self._account_id, draft.state.payload())
        return "kept-here" if kept == "kept-here" else "saved"

    def pending(self) -> list[Draft]:
        """This volunteer's unfinished calls, the most recently saved first."""
        found = []
        for _draft_id, payload in self._records.drafts(self._account_id):
            state = Call.from_payload(payload)
            found.append(Draft(state.contact_id, datetime.fromisoformat(state.started_at), state))
        return found

    def discard(self, contact_id: str) -> None:
        """Forget an unfinished call (the volunteer chose not to resume it)."""
        self._records.delete_draft(contact_id)
