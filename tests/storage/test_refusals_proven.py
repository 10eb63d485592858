"""Refusals of the store, proven from the refusing side: each test fails when its refusing line
is changed by hand (a volunteer placing a legal hold, a draft keeping text without consent, a
removed audit row hidden by a recomputed chain). On both stores (`any_store`)."""

from __future__ import annotations

import pytest

from intake.accounts import Role
from intake.pins import hash_pin
from intake.storage.errors import ConsentRefused, NotAllowed
from intake.storage.interface import RecordStore
from tests.storage.helpers import RawSql, contact


def test_a_volunteer_cannot_place_or_lift_a_legal_hold(
    any_store: RecordStore, any_actor: str
) -> None:
    volunteer = any_store.add_account("Val Volunteer", Role.VOLUNTEER.value, hash_pin("902714"))
    record = contact()
    any_store.save_contact(record, any_actor)
    for on_hold in (True, False):
        with pytest.raises(NotAllowed):
            any_store.set_hold(record.id, on_hold, volunteer)
    assert any_store.on_hold(record.id) is False
    any_store.set_hold(record.id, True, any_actor)  # the supervisor can
    assert any_store.on_hold(record.id) is True


@pytest.mark.parametrize("key", ["notes", "caller_name", "callback_number", "followup_number"])
def test_a_draft_without_consent_is_refused_if_it_holds_any_text(
    any_store: RecordStore, any_actor: str, key: str
) -> None:
    payload = {"contact_id": "c-1", "consent_notes": False, key: "Dr Sam, 613 555 0100"}
    with pytest.raises(ConsentRefused):
        any_store.save_draft("c-1", any_actor, payload)
    assert any_store.drafts(any_actor) == []
    any_store.save_draft("c-1", any_actor, {**payload, "consent_notes": True})  # with consent
    assert len(any_store.drafts(any_actor)) == 1


def test_a_removed_audit_row_is_found_even_when_the_rest_of_the_chain_is_recomputed(
    any_store: RecordStore, any_actor: str
) -> None:
    """Someone with the passphrase drops the trigger, deletes row 2 and recomputes every later
    row so row 3 follows row 1: every hash verifies, and only the missing number gives it away."""
    for _ in range(3):
        any_store.record_event(any_actor, "lock")
    raw = RawSql(any_store)
    with raw.transaction() as run:
        raw.drop_audit_guards(run)
        run("DELETE FROM audit WHERE seq = 2")
        raw.rechain(run, after=1)
    assert [p.what for p in any_store.verify_audit()] == ["rows 2 to 2 are missing"]
