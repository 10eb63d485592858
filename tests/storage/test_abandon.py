"""Abandoning a call started by mistake: one coded line kept, the draft gone, audited with the
reason; refused from the refusing side when risk was found or the crisis route was used."""

from __future__ import annotations

import uuid

import pytest

from intake.services.abandon import AlreadySaved, CannotAbandon, abandon_call
from intake.storage.db import Store
from intake.storage.records import save_contact, save_draft
from tests.storage.helpers import contact


def _abandon(store: Store, actor: str, contact_id: str, **changes: object) -> None:
    values: dict[str, object] = dict(
        contact_id=contact_id,
        started_at="2026-12-01T09:00:00-05:00",
        ui_language="fr",
        caller_language="en",
        risk="not-screened",
        crisis_actions=(),
        reason="started-by-mistake",
        draft_id=contact_id,
        actor=actor,
    )
    values.update(changes)
    abandon_call(store, **values)  # type: ignore[arg-type]


def test_only_a_coded_line_is_kept(store: Store, actor: str) -> None:
    contact_id = str(uuid.uuid4())
    save_draft(store, contact_id, actor, {"consent_notes": True, "notes": "typed by mistake"})
    _abandon(store, actor, contact_id)
    rows = store.query(
        "SELECT outcome, risk, role, province, caller_name, callback_number, topics, "
        "crisis_actions, consent_notes FROM contacts"
    )
    assert rows == [("abandoned", "none", None, None, None, None, "[]", "[]", 0)]
    assert store.query("SELECT count(*) FROM drafts") == [(0,)]
    assert store.query("SELECT count(*) FROM notes") == [(0,)]
    assert store.query("SELECT actor, detail FROM audit WHERE action = 'abandon'") == [
        (actor, "reason=started-by-mistake")
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
    store: Store, actor: str, changes: dict[str, object]
) -> None:
    contact_id = str(uuid.uuid4())
    save_draft(store, contact_id, actor, {"consent_notes": False})
    with pytest.raises(CannotAbandon):
        _abandon(store, actor, contact_id, **changes)
    assert store.query("SELECT count(*) FROM contacts") == [(0,)]
    assert store.query("SELECT count(*) FROM drafts") == [(1,)]  # the call goes on


def test_a_saved_call_is_not_abandoned(store: Store, actor: str) -> None:
    record = contact()
    save_contact(store, record, actor)
    with pytest.raises(AlreadySaved):
        _abandon(store, actor, record.id)
    assert store.query("SELECT outcome FROM contacts") == [(None,)]


def test_an_unknown_reason_is_refused(store: Store, actor: str) -> None:
    with pytest.raises(ValueError, match="reason"):
        _abandon(store, actor, str(uuid.uuid4()), reason="bored")
