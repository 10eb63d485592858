"""A kiosk visit saved on either store (the SQLCipher file and the shared PostgreSQL server, one
parametrized fixture): the coded record and its callback request in one transaction, idempotent
(the kiosk saves the same visit again as it goes on), and nothing at all when the callback is
refused."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from intake.services import worklist
from intake.services.kiosk import CallbackRequest, KioskDesk, save_visit
from intake.storage import errors
from intake.storage.interface import RecordStore
from tests.storage.helpers import contact

E164 = "+16135550142"


def callback_for() -> CallbackRequest:
    return CallbackRequest(
        id=str(uuid.uuid4()),
        number=E164,
        best_time="evening",
        time_zone="America/Toronto",
        messages_ok=True,
    )


def test_a_visit_and_its_callback_land_together_once(any_store: RecordStore) -> None:
    visit = contact(consent=False, channel="kiosk", province="ON", outcome="referred")
    desk = KioskDesk(any_store, None)
    desk.save_visit(visit, None)  # at the results screen: the coded answers only
    assert any_store.counts()["contacts"] == 1
    assert any_store.counts()["callbacks"] == 0

    asked = replace(visit, consent_notes=True, callback_number=E164, outcome="callback-requested")
    callback = callback_for()
    desk.save_visit(asked, callback)
    desk.save_visit(asked, callback)  # saved again (a detour to the crisis screen): unchanged
    assert any_store.counts()["contacts"] == 1
    assert any_store.counts()["callbacks"] == 1
    record, notes = any_store.get_contact(visit.id, None)
    assert (record.callback_number, record.outcome, notes) == (E164, "callback-requested", [])
    assert any_store.callback_number(callback.id) == E164
    items = [i for i in worklist.open_items(any_store) if i.contact_id == visit.id]
    assert [(i.kind, i.channel, i.best_time, i.messages_ok) for i in items] == [
        ("callback", "kiosk", "evening", True)
    ]
    assert any_store.verify_audit() == []


def test_a_refused_callback_leaves_nothing(any_store: RecordStore) -> None:
    """Refused from the refusing side: a callback on a visit without consent raises, and the
    visit written in the same transaction is not kept either."""
    visit = contact(consent=False, channel="kiosk", province="ON")
    with pytest.raises(errors.ConsentRefused):
        save_visit(any_store, visit, callback_for(), None)
    assert any_store.counts()["contacts"] == 0
    assert any_store.counts()["callbacks"] == 0
