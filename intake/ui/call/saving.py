"""Saving a finished call: runs on a worker thread, touches no widget."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from intake.call import Call
from intake.i18n import Language
from intake.provinces import PROVINCES
from intake.safety import RescueMissing, rescue_problems
from intake.storage.records import add_callback, add_followup, add_note, delete_draft, save_contact
from intake.ui.call.base import CallServices


def save_call(call: Call, services: CallServices, ui_language: Language) -> str:
    """The record, then (with consent) the note and the follow-up, then drop the draft.

    Every id is derived from the contact id, so a retried save after a lost acknowledgement
    changes nothing (the store's saves are idempotent).
    """
    if problems := rescue_problems(call.risk, call.crisis_actions, call.outcome):
        raise RescueMissing(problems)  # the wrap-up step says so first; this is the last guard
    store, actor = services.store, services.account_id
    ended = services.now().isoformat(timespec="seconds")
    save_contact(store, call.record(ui_language, ended), actor)
    if call.keeps_text:
        if call.notes.strip():
            add_note(store, _derived(call, "note"), call.contact_id, call.notes, actor)
        if call.followup and call.followup_number:
            # Stored in UTC: the follow-up list compares due times as text.
            due = datetime.fromisoformat(call.followup_due).astimezone(UTC).isoformat()
            add_followup(store, _derived(call, "followup"), call.contact_id, due, actor)
            zone = PROVINCES[call.province].zone if call.province else "America/Toronto"
            add_callback(
                store,
                _derived(call, "callback"),
                call.contact_id,
                number=call.followup_number,
                best_time=call.followup_due,
                time_zone=zone,
                actor=actor,
            )
    delete_draft(store, call.contact_id)
    return call.contact_id


def _derived(call: Call, what: str) -> str:
    return str(uuid.uuid5(uuid.UUID(call.contact_id), what))
