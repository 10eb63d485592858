"""Refusals of the store, proven from the refusing side: each test fails when its refusing line
is changed by hand (a volunteer placing a legal hold, a draft keeping text without consent, a
removed audit row hidden by a recomputed chain)."""

from __future__ import annotations

import pytest

from intake.accounts import Role
from intake.pins import hash_pin
from intake.storage import audit
from intake.storage.account_store import insert_account, record_event
from intake.storage.db import Store
from intake.storage.errors import ConsentRefused, NotAllowed
from intake.storage.records import drafts, save_contact, save_draft, set_hold
from tests.storage.helpers import contact


def test_a_volunteer_cannot_place_or_lift_a_legal_hold(store: Store, actor: str) -> None:
    with store.transaction() as conn:
        volunteer = insert_account(conn, "Val Volunteer", Role.VOLUNTEER.value, hash_pin("902714"))
    record = contact()
    save_contact(store, record, actor)
    for on_hold in (True, False):
        with pytest.raises(NotAllowed):
            set_hold(store, record.id, on_hold, volunteer)
    assert store.query("SELECT on_hold FROM contacts")[0][0] == 0
    set_hold(store, record.id, True, actor)  # the supervisor can
    assert store.query("SELECT on_hold FROM contacts")[0][0] == 1


@pytest.mark.parametrize("key", ["notes", "caller_name", "callback_number", "followup_number"])
def test_a_draft_without_consent_is_refused_if_it_holds_any_text(
    store: Store, actor: str, key: str
) -> None:
    payload = {"contact_id": "c-1", "consent_notes": False, key: "Dr Sam, 613 555 0100"}
    with pytest.raises(ConsentRefused):
        save_draft(store, "c-1", actor, payload)
    assert drafts(store, actor) == []
    save_draft(store, "c-1", actor, {**payload, "consent_notes": True})  # with consent: kept
    assert len(drafts(store, actor)) == 1


def test_a_removed_audit_row_is_found_even_when_the_rest_of_the_chain_is_recomputed(
    store: Store, actor: str
) -> None:
    """Someone with the passphrase drops the trigger, deletes row 2 and recomputes row 3 so it
    follows row 1: every hash verifies, and only the missing number gives it away."""
    for _ in range(3):
        record_event(store, actor, "lock")
    with store.transaction() as conn:
        conn.execute("DROP TRIGGER audit_no_delete")
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute("DELETE FROM audit WHERE seq = 2")
        prev = conn.execute("SELECT hash FROM audit WHERE seq = 1").fetchone()[0]
        key = audit.chain_key(conn).for_seq(3)
        at, who, action, rec, detail = conn.execute(
            "SELECT at, actor, action, record, detail FROM audit WHERE seq = 3"
        ).fetchone()
        digest = audit._digest((prev, 3, at, who, action, rec, detail), key)
        conn.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = 3", (prev, digest))
        later = conn.execute("SELECT seq FROM audit WHERE seq > 3 ORDER BY seq").fetchall()
        for (seq,) in later:  # re-chain every later row too
            row = conn.execute(
                "SELECT at, actor, action, record, detail FROM audit WHERE seq = ?", (seq,)
            ).fetchone()
            prev = conn.execute("SELECT hash FROM audit WHERE seq = ?", (seq - 1,)).fetchone()[0]
            digest = audit._digest((prev, seq, *row), audit.chain_key(conn).for_seq(seq))
            conn.execute(
                "UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, seq)
            )
        problems = audit.verify(conn)
    assert [p.what for p in problems] == ["rows 2 to 2 are missing"]
