"""The worklist service over a real encrypted store: what is owed, in working order; one
volunteer per item (two connections); attempts, reschedule, close; numbers revealed only to
those allowed, audited; and the store refusing a coded value outside the vocabulary."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from intake import vocabulary
from intake.accounts import Role
from intake.pins import hash_pin
from intake.services import worklist
from intake.services.kiosk import CallbackRequest, save_visit
from intake.storage.db import Store, _configure, _connect, _key_and_verify
from intake.storage.errors import NotAllowed
from intake.storage.interface import RecordStore
from intake.storage.local import LocalRecords
from intake.storage.pg import schema
from intake.storage.pg.store import PgStore, open_shared_store
from tests.conftest import PASSPHRASE
from tests.storage.helpers import RawSql, contact

NOW = datetime.now(UTC)


def _volunteer(any_store: RecordStore, name: str = "Volunteer Vi") -> str:
    return any_store.add_account(name, Role.VOLUNTEER.value, hash_pin("902714"))


def _another_station(any_store: RecordStore) -> RecordStore:
    """The same store opened again, as a second window or machine would: a second connection
    to the same file (the application's own lock file would refuse a second open_store in one
    process), or a second station of the line on the server."""
    if isinstance(any_store, PgStore):
        return open_shared_store(any_store.dsn, PASSPHRASE)
    assert isinstance(any_store, LocalRecords)
    path = any_store.store.path
    conn = _connect(path)
    _key_and_verify(conn, PASSPHRASE)
    _configure(conn)
    return LocalRecords(Store(conn, path))


def kiosk_request(
    any_store: RecordStore, risk: str = "high", *, any_actor: str | None = None
) -> str:
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
    save_visit(any_store, record, request, any_actor)
    return request.id


def phone_followup(
    any_store: RecordStore, any_actor: str, due: datetime, risk: str = "concern"
) -> str:
    record = contact(risk=risk, outcome="callback", callback_number="+16135550199")
    any_store.save_contact(record, any_actor)
    followup = str(uuid.uuid4())
    any_store.add_followup(followup, record.id, due.astimezone(UTC).isoformat(), any_actor)
    with any_store.writing() as w:
        w.put_callback(
            str(uuid.uuid4()),
            record.id,
            number="+16135550199",
            best_time=due.isoformat(),
            time_zone="America/Toronto",
            actor=any_actor,
        )
    return followup


def test_a_high_risk_kiosk_request_comes_first_with_an_alert(
    any_store: RecordStore, any_actor: str
) -> None:
    soon = phone_followup(any_store, any_actor, NOW + timedelta(hours=1), risk="imminent")
    later = phone_followup(any_store, any_actor, NOW + timedelta(days=2), risk="concern")
    earlier = phone_followup(any_store, any_actor, NOW - timedelta(hours=3), risk="concern")
    kiosk = kiosk_request(any_store, "high")
    items = worklist.open_items(any_store)
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
    assert worklist.open_count(any_store) == 4
    assert worklist.due_count(any_store, NOW + timedelta(days=1)) == 3  # tomorrow's included


def test_a_callback_saved_with_its_followup_is_one_item(
    any_store: RecordStore, any_actor: str
) -> None:
    phone_followup(any_store, any_actor, NOW + timedelta(days=1))
    assert worklist.open_count(any_store) == 1
    assert worklist.open_items(any_store)[0].kind == "followup"


def test_a_callback_request_and_a_later_follow_up_both_stay_on_the_list(
    any_store: RecordStore, any_actor: str
) -> None:
    """A kiosk visitor asked to be called back; a supervisor also books a follow-up for the
    same contact. Two promises: the follow-up must not cancel the callback still owed."""
    callback = kiosk_request(any_store, "high")
    contact_id = RawSql(any_store).read("callbacks", "contact_id", "WHERE id = ?", (callback,))[0][
        0
    ]
    followup = str(uuid.uuid4())
    any_store.add_followup(followup, contact_id, (NOW + timedelta(days=7)).isoformat(), any_actor)
    items = {i.id: i for i in worklist.open_items(any_store)}
    assert set(items) == {callback, followup}
    assert items[callback].kind == "callback"
    assert items[callback].alert
    assert items[followup].kind == "followup"
    # Closing the callback keeps the follow-up open, and its number (it is still owed a call).
    worklist.claim(any_store, callback, any_actor)
    worklist.close(any_store, callback, any_actor, "helped")
    assert [i.id for i in worklist.open_items(any_store)] == [followup]
    worklist.claim(any_store, followup, any_actor)
    assert worklist.reveal_number(any_store, followup, any_actor) == "+15065550123"
    # Closing the last promise forgets the number.
    worklist.close(any_store, followup, any_actor, "helped")
    assert worklist.open_count(any_store) == 0
    assert RawSql(any_store).read("callbacks", "number") == [(None,)]


def test_closing_a_follow_up_leaves_the_contacts_callback_request_open(
    any_store: RecordStore, any_actor: str
) -> None:
    callback = kiosk_request(any_store, "concern")
    contact_id = RawSql(any_store).read("callbacks", "contact_id", "WHERE id = ?", (callback,))[0][
        0
    ]
    followup = str(uuid.uuid4())
    any_store.add_followup(followup, contact_id, (NOW + timedelta(days=1)).isoformat(), any_actor)
    worklist.claim(any_store, followup, any_actor)
    worklist.close(any_store, followup, any_actor, "helped")
    assert [i.id for i in worklist.open_items(any_store)] == [callback]
    assert worklist.get_item(any_store, callback).has_number  # type: ignore[union-attr]


def test_two_volunteers_cannot_claim_the_same_item(any_store: RecordStore) -> None:
    first, second = _volunteer(any_store, "Ana"), _volunteer(any_store, "Ben")
    item = kiosk_request(any_store)
    other = _another_station(any_store)
    try:
        worklist.claim(any_store, item, first)
        with pytest.raises(worklist.AlreadyClaimed):
            worklist.claim(other, item, second)
        worklist.claim(any_store, item, first)  # claiming again is harmless
        assert worklist.get_item(other, item).claimed_by == first  # type: ignore[union-attr]
    finally:
        other.close()


def test_attempts_reschedule_and_close(any_store: RecordStore) -> None:
    volunteer = _volunteer(any_store)
    item = kiosk_request(any_store)
    with pytest.raises(worklist.NotClaimed):  # refused from the refusing side: not claimed
        worklist.record_attempt(any_store, item, volunteer, "no-answer")
    worklist.claim(any_store, item, volunteer)
    worklist.record_attempt(any_store, item, volunteer, "no-answer")
    with pytest.raises(worklist.MessagesNotAgreed):
        worklist.record_attempt(any_store, item, volunteer, "message-left")
    assert [r for _at, r in worklist.attempts(any_store, item)] == ["no-answer"]
    with pytest.raises(worklist.DueInPast):
        worklist.reschedule(any_store, item, volunteer, NOW - timedelta(days=30))
    tomorrow = NOW + timedelta(days=1)
    worklist.reschedule(any_store, item, volunteer, tomorrow)
    moved = worklist.get_item(any_store, item)
    assert moved is not None
    assert abs(moved.due_at - tomorrow) < timedelta(seconds=1)
    worklist.close(any_store, item, volunteer, "helped")
    assert worklist.open_count(any_store) == 0
    assert RawSql(any_store).read("callbacks", "number, status") == [(None, "done")]
    with pytest.raises(worklist.ItemClosed):
        worklist.claim(any_store, item, volunteer)
    actions = [
        r[0] for r in RawSql(any_store).query("SELECT action FROM audit WHERE record = ?", (item,))
    ]
    assert actions.count("attempt") == 1
    assert {"claim", "reschedule", "close"} <= set(actions)


def test_a_message_is_left_only_with_consent(any_store: RecordStore) -> None:
    volunteer = _volunteer(any_store)
    item = kiosk_request(any_store)
    RawSql(any_store).query("UPDATE callbacks SET messages_ok = ?", (True,))
    worklist.claim(any_store, item, volunteer)
    worklist.record_attempt(any_store, item, volunteer, "message-left")
    assert [r for _at, r in worklist.attempts(any_store, item)] == ["message-left"]


def test_numbers_are_revealed_to_those_allowed_and_audited(
    any_store: RecordStore, any_actor: str
) -> None:
    volunteer = _volunteer(any_store)
    item = kiosk_request(any_store)
    assert worklist.reveal_number(any_store, item, any_actor) == "+15065550123"  # the supervisor
    with pytest.raises(NotAllowed):  # a volunteer not working on it
        worklist.reveal_number(any_store, item, volunteer)
    worklist.claim(any_store, item, volunteer)
    assert worklist.reveal_number(any_store, item, volunteer) == "+15065550123"
    reveals = [
        tuple(r)
        for r in RawSql(any_store).query("SELECT actor, detail FROM audit WHERE action = 'reveal'")
    ]
    assert reveals == [(any_actor, "callback-number"), (volunteer, "callback-number")]
    assert "0123" not in repr(RawSql(any_store).query("SELECT detail FROM audit"))


@pytest.mark.parametrize("role", [Role.KIOSK, Role.PEER_SUPPORTER])
def test_a_kiosk_or_a_peer_supporter_cannot_work_the_list(
    any_store: RecordStore, role: Role
) -> None:
    # A peer supporter is a physician on the matching roster: not someone who calls back the
    # line's callers or sees their numbers.
    other = any_store.add_account("Dr Pat Roster", role.value, hash_pin("902714"))
    item = kiosk_request(any_store)
    with pytest.raises(NotAllowed):
        worklist.claim(any_store, item, other)
    with pytest.raises(NotAllowed):
        worklist.reveal_number(any_store, item, other)


def test_a_volunteer_no_longer_sees_the_number_once_the_item_is_closed(
    any_store: RecordStore,
) -> None:
    volunteer = _volunteer(any_store)
    item = kiosk_request(any_store)
    worklist.claim(any_store, item, volunteer)
    assert worklist.reveal_number(any_store, item, volunteer) == "+15065550123"
    RawSql(any_store).query("UPDATE work_items SET status = 'done' WHERE id = ?", (item,))
    with pytest.raises(NotAllowed):
        worklist.reveal_number(any_store, item, volunteer)


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
    any_store: RecordStore, any_actor: str, column: str, value: Any
) -> None:
    # (the server checked risk from its first version, in a check of its own)
    with pytest.raises(RawSql(any_store).refused, match=r"vocabulary|contacts_risk_check"):
        any_store.save_contact(dataclasses.replace(contact(), **{column: value}), any_actor)
    assert any_store.counts()["contacts"] == 0
    any_store.save_contact(contact(), any_actor)  # a known code is accepted


def test_the_servers_check_of_a_contact_follows_the_vocabulary() -> None:
    """A code added to the vocabulary needs a new step that replaces the server's check (as a
    migration replaces the file's trigger); this fails until one does."""
    last = next(
        statement
        for step in reversed(schema.STEPS)
        for statement in step
        if "ADD CONSTRAINT contacts_vocabulary " in statement
    )
    for codes in (
        vocabulary.CONTACT_CHANNELS,
        vocabulary.RISKS,
        vocabulary.ROLES,
        vocabulary.NEEDS,
        vocabulary.OUTCOMES,
        vocabulary.TOPICS,
        vocabulary.FORMATS,
        vocabulary.CRISIS_ACTIONS,
    ):
        missing = [code for code in codes if f"'{code}'" not in last and f'"{code}"' not in last]
        assert not missing, f"add a step with schema.contact_checks for {missing}"


def test_the_order_follows_a_risk_changed_later(any_store: RecordStore, any_actor: str) -> None:
    early = phone_followup(any_store, any_actor, NOW + timedelta(hours=1), risk="concern")
    late = phone_followup(any_store, any_actor, NOW + timedelta(hours=5), risk="concern")
    assert [i.id for i in worklist.open_items(any_store)] == [early, late]
    contact_id = worklist.get_item(any_store, late).contact_id  # type: ignore[union-attr]
    # the call is saved again: risk found to be imminent
    RawSql(any_store).query("UPDATE contacts SET risk = 'imminent' WHERE id = ?", (contact_id,))
    assert [i.id for i in worklist.open_items(any_store)] == [late, early]


def test_pages_continue_in_order_and_the_counts_cover_everything(
    any_store: RecordStore, any_actor: str
) -> None:
    made = [
        phone_followup(any_store, any_actor, NOW + timedelta(hours=hour), risk="concern")
        for hour in (-2, 1, 2, 3, 4)
    ]
    kiosk = kiosk_request(any_store, "imminent")
    first = worklist.open_items(any_store, 2)
    rest = worklist.open_items(any_store, 10, after=first[-1].key)
    assert [i.id for i in first + rest] == [kiosk, *made]
    counts = worklist.summary(any_store, datetime.now(UTC) + timedelta(seconds=1))
    assert (counts.open, counts.overdue, counts.alerts) == (6, 2, 1)  # the kiosk one is due now


def test_history_cannot_close_a_follow_up_someone_else_is_working_on(
    any_store: RecordStore, any_actor: str
) -> None:
    from intake.storage.errors import FollowupHeld

    caller = _volunteer(any_store)
    followup = phone_followup(any_store, any_actor, NOW + timedelta(hours=2))
    worklist.claim(any_store, followup, caller)  # the item's id is the follow-up's
    with pytest.raises(FollowupHeld):
        any_store.complete_followup(followup, any_actor)  # the contact's creator, from History
    assert RawSql(any_store).read("followups", "status", "WHERE id = ?", (followup,)) == [("open",)]
    assert any_store.complete_followup(followup, caller)  # the one holding it may


def test_a_disabled_account_can_neither_claim_nor_see_a_number(
    any_store: RecordStore, any_actor: str
) -> None:
    """Disabling takes effect at once, not at the next sign-in: a window still open under a
    disabled account is refused by the any_store (a reviewer's finding: only the console checked)."""
    from intake.services import accounts as console
    from intake.services import history

    volunteer = _volunteer(any_store)
    item = kiosk_request(any_store)
    mine = contact(risk="concern", callback_number="+16135550199")
    any_store.save_contact(mine, volunteer)
    assert history.reveal_number(any_store, mine.id, volunteer) == "+16135550199"
    console.set_disabled(any_store, any_actor, volunteer, True)
    with pytest.raises(NotAllowed):
        worklist.claim(any_store, item, volunteer)
    with pytest.raises(NotAllowed):
        history.reveal_number(any_store, mine.id, volunteer)
    console.set_disabled(any_store, any_actor, volunteer, False)
    worklist.claim(any_store, item, volunteer)  # enabled again: allowed again
