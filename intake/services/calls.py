"""Saving a phone-line call: one immutable snapshot, written in ONE transaction.

The record, the note, the follow-up and its callback, their audit entries and the removal of
the autosaved draft either all land or none does. A process killed half-way leaves the draft,
so the call is offered for resuming, and saving the resumed call writes its edits (every row is
an upsert keyed on an id derived from the contact id). Saving the same snapshot twice (a retry
after a lost acknowledgement) changes nothing and audits nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from intake.call import Call
from intake.i18n import Language
from intake.provinces import PROVINCES
from intake.safety import RescueMissing, rescue_problems
from intake.services.matching import PeerAsk, add_request, peer_request
from intake.storage.db import Store
from intake.storage.interface import RecordStore, records_of, writing
from intake.storage.records import ContactRecord
from intake.storage.roster import RequestRecord

DEFAULT_ZONE = "America/Toronto"


@dataclass(frozen=True)
class FollowUpPlan:
    due_utc: str  # stored in UTC: the follow-up list compares due times as text
    number: str
    best_time: str  # as agreed with the caller, with the caller's offset
    time_zone: str
    messages_ok: bool = False  # the caller agreed to a message being left


@dataclass(frozen=True)
class CallSnapshot:
    """Everything a save writes, taken at once on the UI thread; never changes afterwards."""

    record: ContactRecord
    note: str | None  # None: no note (declined, or empty)
    followup: FollowUpPlan | None
    draft_id: str
    peer: PeerAsk | None = None  # a match request, only with the caller's consent (issue 17)

    @property
    def contact_id(self) -> str:
        return self.record.id


def snapshot(call: Call, ui_language: Language, ended_at: str) -> CallSnapshot:
    """The call as it will be saved: what consent allows, nothing else."""
    keep = call.keeps_text
    note = call.notes if keep and call.notes.strip() else None
    followup = None
    if keep and call.followup and call.followup_number:
        zone = PROVINCES[call.province].zone if call.province in PROVINCES else DEFAULT_ZONE
        followup = FollowUpPlan(
            due_utc=datetime.fromisoformat(call.followup_due).astimezone(UTC).isoformat(),
            number=call.followup_number,
            best_time=call.followup_due,
            time_zone=zone,
            messages_ok=call.followup_messages_ok,
        )
    peer = None
    if call.peer_consent:
        peer = PeerAsk(
            consent=True,
            site=call.peer_site,
            wants_outside=call.outside_community,
            language=call.peer_language or call.caller_language,
            format=call.peer_format or None,
            topics=tuple(call.topics),
            name=call.peer_name,
            reach=call.peer_reach,
        )
    return CallSnapshot(call.record(ui_language, ended_at), note, followup, call.contact_id, peer)


def derived_id(contact_id: str, what: str) -> str:
    """The id of a call's note, follow-up or callback: the same on every save of that call."""
    return str(uuid.uuid5(uuid.UUID(contact_id), what))


def save_call(
    store: Store | RecordStore, snap: CallSnapshot, actor: str | None, *, kept: bool = False
) -> str:
    """Write the whole call in one transaction; returns the contact id.

    A high or imminent call is refused (RescueMissing, nothing written, the draft kept) until
    its rescue is recorded: the wrap-up step says so first; this is the last guard.

    `kept`: a call the outbox kept, being delivered. It may have been delivered before (the
    reply lost, or the file's removal never happened) and the team may have called the person
    back since: a follow-up or callback closed on the server stays closed (its number stays
    forgotten), where a volunteer saving the call again with the follow-up ticked asks for it
    anew."""
    record = snap.record
    if problems := rescue_problems(record.risk, record.crisis_actions, record.outcome):
        raise RescueMissing(problems)
    contact_id = snap.contact_id
    note_id = derived_id(contact_id, "note")
    followup_id = derived_id(contact_id, "followup")
    callback_id = derived_id(contact_id, "callback")
    with writing(store) as w:
        w.write_contact(snap.record, actor)
        if snap.note is not None:
            w.put_note(note_id, contact_id, snap.note, actor)
        else:
            w.drop_note(note_id, actor)
        if snap.followup is not None:
            plan = snap.followup
            if not (kept and _closed(w.followup_status(followup_id))):
                w.put_followup(followup_id, contact_id, plan.due_utc, actor)
            if not (kept and _closed(w.callback_status(callback_id))):
                w.put_callback(
                    callback_id,
                    contact_id,
                    number=plan.number,
                    best_time=plan.best_time,
                    time_zone=plan.time_zone,
                    messages_ok=plan.messages_ok,
                    actor=actor,
                )
        else:
            w.cancel_followup(followup_id, callback_id, actor)
        w.remove_draft(snap.draft_id)
    return contact_id


def _closed(status: str | None) -> bool:
    """A follow-up or callback the team has closed (done or cancelled): neither missing nor
    open."""
    return status not in (None, "open")


def match_request_of(snap: CallSnapshot) -> RequestRecord | None:
    """The match request a finished call holds (None without one), checked: NoConsent,
    ProvinceMissing or SiteMissing refuse it before anything is written or queued."""
    if snap.peer is None:
        return None
    record = snap.record
    return peer_request(
        derived_id(snap.contact_id, "match-request"),
        "phone",
        snap.peer,
        province=record.province,
        role=record.role,
        contact_id=snap.contact_id,
        when=datetime.fromisoformat(record.ended_at or record.started_at),
    )


def save_finished_call(
    store: Store | RecordStore, snap: CallSnapshot, actor: str | None, *, kept: bool = False
) -> str:
    """Save a finished call (`save_call`, one transaction), then the match request the caller
    agreed to, if any, in its own transaction under an id derived from the call's; returns
    the call's id. The one path for the file, the shared server and the outbox's delivery.

    The request is checked (consent, province, site) before anything is written. A failure
    between the two (the server gone) is retried whole: the call's rows are upserts that then
    change nothing, and the request is written once. The request is added, never read back:
    under the server's row-level security a volunteer's own login may add it but not read it."""
    request = match_request_of(snap)
    contact_id = save_call(store, snap, actor, kept=kept)
    if request is not None:
        add_request(store, request, actor)
    return contact_id


class CallDesk:
    """The phone line's writes and counts for one signed-in volunteer."""

    def __init__(self, store: Store | RecordStore, account_id: str) -> None:
        self._store = store
        self._account_id = account_id

    def save(self, snap: CallSnapshot) -> str:
        """Save a finished call and the match request the caller agreed to, on either store
        (see `save_finished_call`); returns its id."""
        return save_finished_call(self._store, snap, self._account_id)

    def followups_due(self, by_utc: str, *, everyone: bool = False) -> int:
        """How many follow-ups are due by then: this volunteer's, or everyone's (supervisor)."""
        due = records_of(self._store).followups_due(by_utc, None if everyone else self._account_id)
        return len(due)
