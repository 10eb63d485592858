"""The drafts service: a call in progress is autosaved, found again and resumed or discarded as
a typed `Draft` (never a dictionary), on both stores (`any_store`)."""

from __future__ import annotations

from datetime import datetime

import pytest

from intake.call import Call
from intake.services.drafts import Draft, Drafts, draft_of, start_call
from intake.storage.errors import ConsentRefused
from intake.storage.interface import RecordStore


def test_a_started_call_autosaves_and_comes_back_typed_and_whole(any_store: RecordStore) -> None:
    account = any_store.list_accounts()[0].id
    drafts = Drafts(any_store, account)
    call = start_call(datetime.fromisoformat("2026-03-08T01:59:00-05:00"), "fr")
    call.consent_notes = True
    call.notes = "Parle de son horaire de garde"
    call.topics = ["workload"]
    drafts.autosave(draft_of(call))
    [found] = drafts.pending()
    assert isinstance(found, Draft)
    assert isinstance(found.state, Call)
    assert found.contact_id == call.contact_id
    assert found.started_at == datetime.fromisoformat("2026-03-08T06:59:00+00:00")
    resumed = found.resume()
    assert resumed == call
    resumed.notes = "changed"  # the window edits its own copy, never the draft
    assert found.state.notes == "Parle de son horaire de garde"
    # Another volunteer does not see it.
    assert Drafts(any_store, "someone-else").pending() == []


def test_a_draft_without_consent_holds_no_text_even_if_the_call_had_some(
    any_store: RecordStore,
) -> None:
    account = any_store.list_accounts()[0].id
    call = start_call(datetime.now().astimezone(), "en")
    call.consent_notes = False
    call.notes, call.caller_name, call.callback_number = "secret", "Dr X", "+16135550100"
    draft = draft_of(call)
    assert (draft.state.notes, draft.state.caller_name, draft.state.callback_number) == (
        "",
        "",
        "",
    )
    Drafts(any_store, account).autosave(draft)
    [found] = Drafts(any_store, account).pending()
    assert found.state.notes == ""


def test_the_store_refuses_a_draft_with_text_and_no_consent(any_store: RecordStore) -> None:
    """The refusing side: bypassing the service, the store itself says no."""
    call = start_call(datetime.now().astimezone(), "en")
    call.notes = "secret"
    with pytest.raises(ConsentRefused):
        any_store.save_draft(call.contact_id, None, {**call.payload(), "notes": "secret"})


def test_discarding_forgets_the_draft(any_store: RecordStore) -> None:
    account = any_store.list_accounts()[0].id
    drafts = Drafts(any_store, account)
    first, second = (start_call(datetime.now().astimezone(), "en") for _ in range(2))
    drafts.autosave(draft_of(first))
    drafts.autosave(draft_of(second))
    drafts.discard(first.contact_id)
    assert [d.contact_id for d in drafts.pending()] == [second.contact_id]
