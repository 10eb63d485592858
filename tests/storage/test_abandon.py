"""Abandoning a call started by mistake: one coded line kept, the draft gone, audited with the
reason; refused from the refusing side when risk was found or the crisis route was used."""

from __future__ import annotations

import uuid

import pytest

from intake.services.abandon import AlreadySaved, CannotAbandon, abandon_call
from intake.storage.interface import RecordStore
from tests.storage.helpers import RawSql, contact


def _abandon(any_store: RecordStore, any_actor: str, contact_id: str, **changes: object) -> None:
    values: dict[str, object] = dict(
        contact_id=contact_id,
        started_at="2026-12-01T09:00:00-05:00",
        ui_language="fr",
        caller_language="en",
        risk="not-screened",
        crisis_actions=(),
        reason="started-by-mistake",
        draft_id=contact_id,
        actor=any_actor,
    )
    values.update(changes)
    abandon_call(any_store, **values)  # type: ignore[arg-type]


def test_only_a_coded_line_is_kept(any_store: RecordStore, any_actor: str) -> None:
    contact_id = str(uuid.uuid4())
    any_store.save_draft(
        contact_id, any_actor, {"consent_notes": True, "notes": "typed by mistake"}
    )
    _abandon(any_store, any_actor, contact_id)
    rows = RawSql(any_store).query(
        "SELECT outcome, risk, role, province, caller_name, callback_number, topics, "
        "crisis_actions, consent_notes FROM contacts"
    )
    assert rows == [("abandoned", "none", None, None, None, None, "[]", "[]", 0)]
    assert RawSql(any_store).query("SELECT count(*) FROM drafts")[0][0] == 0
    assert any_store.counts()["notes"] == 0
    abandoned = "SELECT actor, detail FROM audit WHERE action = 'abandon'"
    assert [tuple(r) for r in RawSql(any_store).query(abandoned)] == [
        (any_actor, "reason=started-by-mistake")
    ]


@pytest.mark.parametrize(
    "changes",
    [
        {"risk": "high"},
        {"risk": "imminent"},
        {"crisis_actions": ("crisis-route-opened",)},
        {"crisis_actions": ("988-offered",)},
    ],
)
def test_a_call_with_risk_or_a_crisis_route_cannot_be_abandoned(
    any_store: RecordStore, any_actor: str, changes: dict[str, object]
) -> None:
    contact_id = str(uuid.uuid4())
    any_store.save_draft(contact_id, any_actor, {"consent_notes": False})
    with pytest.raises(CannotAbandon):
        _abandon(any_store, any_actor, contact_id, **changes)
    assert any_store.counts()["contacts"] == 0
    assert RawSql(any_store).query("SELECT count(*) FROM drafts")[0][0] == 1  # the call goes on


def test_a_saved_call_is_not_abandoned(any_store: RecordStore, any_actor: str) -> None:
    record = contact()
    any_store.save_contact(record, any_actor)
    with pytest.raises(AlreadySaved):
        _abandon(any_store, any_actor, record.id)
    assert RawSql(any_store).read("contacts", "outcome") == [(None,)]


def test_an_unknown_reason_is_refused(any_store: RecordStore, any_actor: str) -> None:
    with pytest.raises(ValueError, match="reason"):
        _abandon(any_store, any_actor, str(uuid.uuid4()), reason="bored")
