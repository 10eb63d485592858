"""The worklist service over a real encrypted store: what is owed, in working order; one
volunteer per item (two connections); attempts, reschedule, close; numbers revealed only to
those allowed, audited; and the store refusing a coded value outside the vocabulary."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from intake.accounts import Role
from intake.services import worklist
from intake.services.kiosk import CallbackRequest, save_visit
from intake.storage.account_store import insert_account
from intake.storage.db import Store, _configure, _connect, _key_and_verify
from intake.storage.errors import NotAllowed
from intake.storage.records import add_followup, put_callback, save_contact
from tests.conftest import PASSPHRASE
from tests.storage.helpers import contact

NOW = datetime.now(UTC)


def _volunteer(store: Store, name: str = "Volunteer Vi") -> str:
    with store.transaction() as conn:
        return insert_account(conn, name, Role.VOLUNTEER.value, "x")


def kiosk_request(store: Store, risk: str = "high", *, actor: str | None = None) -> str:
    """A French-speaking kiosk visitor in New Brunswick, at `risk`, asking for a callback."""
    record = contact(
        channel="kiosk",
        province="NB",
        caller_language="fr",
        risk=risk,
        role="physician",
        topics=(),
        outcome="callback-requested",
        crisis_actions=("kiosk-crisis-screen", "kiosk-staff-alerted"),
        callback_number="+15065550123",
    )
    request = CallbackRequest(str(uuid.uuid4()), "+15065550123", "evening", "America/Moncton")
    save_visit(store, record, request, actor)
    return request.id


def phone_followup(store: Store, actor: str, due: datetime, risk: str = "concern") -> str:
    record = contact(risk=risk, outcome="callback", callback_number="+16135550199")
    save_contact(store, record, actor)
    followup = str(uuid.uuid4())
    add_followup(store, followup, record.id, due.astimezone(UTC).isoformat(), actor)
    with store.transaction() as conn:
        put_callback(
            conn,
            str(uuid.uuid4()),
            record.id,
            number="+16135550199",
            best_time=due.isoformat(),
            time_zone="America/Toronto",
            actor=actor,
        )
    return followup


def test_a_high_risk_kiosk_request_comes_first_with_an_alert(store: Store, actor: str) -> None:
    soon = phone_followup(store, actor, NOW + timedelta(hours=1), risk="imminent")
    later = phone_followup(store, actor, NOW + timedelta(days=2), risk="concern")
    earlier = phone_followup(store, actor, NOW - timedelta(hours=3), risk="concern")
    kiosk = kiosk_request(store, "high")
    items = worklist.open_items(store)
    assert [i.id for i in items] == [kiosk, soon, earlier, later]
    first = items[0]
    assert first.alert
    assert first.channel == "kiosk"
    assert first.risk == "high"
    assert first.best_time == "evening"
    assert first.time_zone == "America/Moncton"
    assert first.has_number
    assert not items[1].alert
    assert items[2].overdue(NOW)
    assert not items[3].overdue(NOW)
    assert worklist.open_count(store) == 4
    assert worklist.due_count(store, NOW + timedelta(days=1)) == 3  # tomorrow's included


def test_a_callback_saved_with_its_followup_is_one_item(store: Store, actor: str) -> None:
    phone_followup(store, actor, NOW + timedelta(days=1))
    assert worklist.open_count(store) == 1
    assert worklist.open_items(store)[0].kind == "followup"


def test_a_callback_request_and_a_later_follow_up_both_stay_on_the_list(
    store: Store, actor: str
) -> None:
    """A kiosk visitor asked to be called back; a supervisor also books a follow-up for the
    same contact. Two promises: the follow-up must not cancel the callback still owed."""
    callback = kiosk_request(store, "high")
    contact_id = store.query("SELECT contact_id FROM callbacks WHERE id = ?", (callback,))[0][0]
    followup = str(uuid.uuid4())
    add_followup(store, followup, contact_id, (NOW + timedelta(days=7)).isoformat(), actor)
    items = {i.id: i for i in worklist.open_items(store)}
    assert set(items) == {callback, followup}
    assert items[callback].kind == "callback"
    assert items[callback].alert
    assert items[followup].kind == "followup"
    # Closing the callback keeps the follow-up open, and its number (it is still owed a call).
    worklist.claim(store, callback, actor)
    worklist.close(store, callback, actor, "helped")
    assert [i.id for i in worklist.open_items(store)] == [followup]
    worklist.claim(store, followup, actor)
    assert worklist.reveal_number(store, followup, actor) == "+15065550123"
    # Closing the last promise forgets the number.
    worklist.close(store, followup, actor, "helped")
    assert worklist.open_count(store) == 0
    assert store.query("SELECT number FROM callbacks") == [(None,)]


def test_closing_a_follow_up_leaves_the_contacts_callback_request_open(
    store: Store, actor: str
) -> None:
    callback = kiosk_request(store, "concern")
    contact_id = store.query("SELECT contact_id FROM callbacks WHERE id = ?", (callback,))[0][0]
    followup = str(uuid.uuid4())
    add_followup(store, followup, contact_id, (NOW + timedelta(days=1)).isoformat(), actor)
    worklist.claim(store, followup, actor)
    worklist.close(store, followup, actor, "helped")
    assert [i.id for i in worklist.open_items(store)] == [callback]
    assert worklist.get_item(store, callback).has_number  # type: ignore[union-attr]


def test_two_volunteers_cannot_claim_the_same_item(store_path: Path, store: Store) -> None:
    first, second = _volunteer(store, "Ana"), _volunteer(store, "Ben")
    item = kiosk_request(store)
    # A second connection to the same file, as a second window or machine would have (the
    # application's own lock file would refuse a second open_store in one process).
    conn = _connect(store_path)
    _key_and_verify(conn, PASSPHRASE)
    _configure(conn)
    other = Store(conn, store_path)
    try:
        worklist.claim(store, item, first)
        with pytest.raises(worklist.AlreadyClaimed):
            worklist.claim(other, item, second)
        worklist.claim(store, item, first)  # claiming again is harmless
        assert worklist.get_item(other, item).claimed_by == first  # type: ignore[union-attr]
    finally:
        other.close()


def test_attempts_reschedule_and_close(store: Store) -> None:
    volunteer = _volunteer(store)
    item = kiosk_request(store)
    with pytest.raises(worklist.NotClaimed):  # refused from the refusing side: not claimed
        worklist.record_attempt(store, item, volunteer, "no-answer")
    worklist.claim(store, item, volunteer)
    worklist.record_attempt(store, item, volunteer, "no-answer")
    with pytest.raises(worklist.MessagesNotAgreed):
        worklist.record_attempt(store, item, volunteer, "message-left")
    assert [r for _at, r in worklist.attempts(store, item)] == ["no-answer"]
    with pytest.raises(worklist.DueInPast):
        worklist.reschedule(store, item, volunteer, NOW - timedelta(days=30))
    tomorrow = NOW + timedelta(days=1)
    worklist.reschedule(store, item, volunteer, tomorrow)
    moved = worklist.get_item(store, item)
    assert moved is not None
    assert abs(moved.due_at - tomorrow) < timedelta(seconds=1)
    worklist.close(store, item, volunteer, "helped")
    assert worklist.open_count(store) == 0
    assert store.query("SELECT number, status FROM callbacks") == [(None, "done")]
    with pytest.raises(worklist.ItemClosed):
        worklist.claim(store, item, volunteer)
    actions = [r[0] for r in store.query("SELECT action FROM audit WHERE record = ?", (item,))]
    assert actions.count("attempt") == 1
    assert {"claim", "reschedule", "close"} <= set(actions)


def test_a_message_is_left_only_with_consent(store: Store) -> None:
    volunteer = _volunteer(store)
    item = kiosk_request(store)
    with store.transaction() as conn:
        conn.execute("UPDATE callbacks SET messages_ok = 1")
    worklist.claim(store, item, volunteer)
    worklist.record_attempt(store, item, volunteer, "message-left")
    assert [r for _at, r in worklist.attempts(store, item)] == ["message-left"]


def test_numbers_are_revealed_to_those_allowed_and_audited(store: Store, actor: str) -> None:
    volunteer = _volunteer(store)
    item = kiosk_request(store)
    assert worklist.reveal_number(store, item, actor) == "+15065550123"  # the supervisor
    with pytest.raises(NotAllowed):  # a volunteer not working on it
        worklist.reveal_number(store, item, volunteer)
    worklist.claim(store, item, volunteer)
    assert worklist.reveal_number(store, item, volunteer) == "+15065550123"
    reveals = store.query("SELECT actor, detail FROM audit WHERE action = 'reveal'")
    assert reveals == [(actor, "callback-number"), (volunteer, "callback-number")]
    assert "0123" not in repr(store.query("SELECT detail FROM audit"))


@pytest.mark.parametrize("role", [Role.KIOSK, Role.PEER_SUPPORTER])
def test_a_kiosk_or_a_peer_supporter_cannot_work_the_list(store: Store, role: Role) -> None:
    # A peer supporter is a physician on the matching roster: not someone who calls back the
    # line's callers or sees their numbers.
    with store.transaction() as conn:
        other = insert_account(conn, "Dr Pat Roster", role.value, "x")
    item = kiosk_request(store)
    with pytest.raises(NotAllowed):
        worklist.claim(store, item, other)
    with pytest.raises(NotAllowed):
        worklist.reveal_number(store, item, other)


def test_a_volunteer_no_longer_sees_the_number_once_the_item_is_closed(store: Store) -> None:
    volunteer = _volunteer(store)
    item = kiosk_request(store)
    worklist.claim(store, item, volunteer)
    assert worklist.reveal_number(store, item, volunteer) == "+15065550123"
    with store.transaction() as conn:
        conn.execute("UPDATE work_items SET status = 'done' WHERE id = ?", (item,))
    with pytest.raises(NotAllowed):
        worklist.reveal_number(store, item, volunteer)


def test_daytime_check_in_the_callers_zone() -> None:
    late = datetime(2026, 12, 2, 2, 30, tzinfo=UTC)  # 22:30 in Moncton the day before
    assert worklist.outside_daytime(late, "America/Moncton")
    assert not worklist.outside_daytime(late, "America/Vancouver")  # 18:30 there


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("outcome", "callback-requestd"),
        ("risk", "severe"),
        ("role", "nurse"),
        ("need", "therapy"),
        ("crisis_actions", ("kiosk-crisis",)),
        ("topics", ("money",)),
        ("formats", ("carrier-pigeon",)),
    ],
)
def test_the_store_refuses_a_code_outside_the_vocabulary(
    store: Store, actor: str, column: str, value: Any
) -> None:
    with pytest.raises(sqlcipher3.IntegrityError, match="vocabulary"):
        save_contact(store, dataclasses.replace(contact(), **{column: value}), actor)
    assert store.query("SELECT count(*) FROM contacts") == [(0,)]
    save_contact(store, contact(), actor)  # a known code is accepted


def test_the_order_follows_a_risk_changed_later(store: Store, actor: str) -> None:
    early = phone_followup(store, actor, NOW + timedelta(hours=1), risk="concern")
    late = phone_followup(store, actor, NOW + timedelta(hours=5), risk="concern")
    assert [i.id for i in worklist.open_items(store)] == [early, late]
    contact_id = worklist.get_item(store, late).contact_id  # type: ignore[union-attr]
    with store.transaction() as conn:  # the call is saved again: risk found to be imminent
        conn.execute("UPDATE contacts SET risk = 'imminent' WHERE id = ?", (contact_id,))
    assert [i.id for i in worklist.open_items(store)] == [late, early]


def test_pages_continue_in_order_and_the_counts_cover_everything(store: Store, actor: str) -> None:
    made = [
        phone_followup(store, actor, NOW + timedelta(hours=hour), risk="concern")
        for hour in (-2, 1, 2, 3, 4)
    ]
    kiosk = kiosk_request(store, "imminent")
    first = worklist.open_items(store, 2)
    rest = worklist.open_items(store, 10, after=first[-1].key)
    assert [i.id for i in first + rest] == [kiosk, *made]
    counts = worklist.summary(store, datetime.now(UTC) + timedelta(seconds=1))
    assert (counts.open, counts.overdue, counts.alerts) == (6, 2, 1)  # the kiosk one is due now


def test_history_cannot_close_a_follow_up_someone_else_is_working_on(
    store: Store, actor: str
) -> None:
    from intake.storage.errors import FollowupHeld
    from intake.storage.records import complete_followup

    caller = _volunteer(store)
    followup = phone_followup(store, actor, NOW + timedelta(hours=2))
    worklist.claim(store, followup, caller)  # the item's id is the follow-up's
    with pytest.raises(FollowupHeld):
        complete_followup(store, followup, actor)  # the contact's creator, from History
    assert store.query("SELECT status FROM followups WHERE id = ?", (followup,)) == [("open",)]
    assert complete_followup(store, followup, caller)  # the one holding it may


def test_a_disabled_account_can_neither_claim_nor_see_a_number(store: Store, actor: str) -> None:
    """Disabling takes effect at once, not at the next sign-in: a window still open under a
    disabled account is refused by the store (a reviewer's finding: only the console checked)."""
    from intake.services import accounts as console
    from intake.services import history

    volunteer = _volunteer(store)
    item = kiosk_request(store)
    mine = contact(risk="concern", callback_number="+16135550199")
    save_contact(store, mine, volunteer)
    assert history.reveal_number(store, mine.id, volunteer) == "+16135550199"
    console.set_disabled(store, actor, volunteer, True)
    with pytest.raises(NotAllowed):
        worklist.claim(store, item, volunteer)
    with pytest.raises(NotAllowed):
        history.reveal_number(store, mine.id, volunteer)
    console.set_disabled(store, actor, volunteer, False)
    worklist.claim(store, item, volunteer)  # enabled again: allowed again
