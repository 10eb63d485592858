"""Abandoning a call started by mistake: nothing of it is kept but one coded line.

The line says a call was started and abandoned, when, in which languages, and why (a short code,
in the audit entry); no answer, note, name or number, and the autosaved draft is removed in the
same transaction. A call where risk was found or the crisis route was used cannot be abandoned:
it is saved with its rescue recorded (erring toward safety, and keeping what a supervisor needs).
"""

from __future__ import annotations

from intake.i18n import N_
from intake.storage.db import Store
from intake.storage.errors import StoreError
from intake.storage.interface import RecordStore, writing
from intake.storage.records import ContactRecord
from intake.vocabulary import ABANDON_REASONS


class CannotAbandon(StoreError):
    title = N_("This call cannot be abandoned")
    advice = N_(
        "Risk was found or the crisis route was used: save the call with what was done, "
        "so that it stays on record."
    )


class AlreadySaved(StoreError):
    title = N_("This call was already saved")
    advice = N_("A saved call is kept. Ask a supervisor if the record is wrong.")


def abandon_call(
    store: Store | RecordStore,
    *,
    contact_id: str,
    started_at: str,
    ui_language: str,
    caller_language: str,
    risk: str,
    crisis_actions: tuple[str, ...],
    reason: str,
    draft_id: str,
    actor: str | None,
) -> None:
    if reason not in ABANDON_REASONS:
        raise ValueError(f"unknown reason {reason!r}")
    if risk in ("high", "imminent") or any(a != "safety-not-screened" for a in crisis_actions):
        raise CannotAbandon()
    line = ContactRecord(
        id=contact_id,
        channel="phone",
        started_at=started_at,
        ui_language=ui_language,
        caller_language=caller_language,
        outcome="abandoned",
    )
    with writing(store) as w:  # one transaction, on either store
        if w.write_contact(line, actor) != "created":
            raise AlreadySaved()  # raised inside: whatever it wrote is rolled back
        w.remove_draft(draft_id)
        w.audit(actor, "abandon", contact_id, f"reason={reason}")
