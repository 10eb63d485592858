"""The worklist, the same tests against both stores (`any_store`: the SQLCipher file and the
shared PostgreSQL store): what is owed, in working order; one volunteer per item, from two
stations; attempts, reschedule, close; numbers revealed only to those allowed, audited; refusals
from the refusing side; History shows an item's attempts. Items are made the way calls and
kiosk visits make them, through the interface's writer (the stores' triggers do the rest).
SQLCipher-only details (raw SQL, its triggers) stay in test_worklist.py."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from intake.services import history, worklist
from intake.storage.db import Store, _configure, _connect, _key_and_verify
from intake.storage.errors import NotAllowed
from intake.storage.interface import RecordStore
from intake.storage.local import LocalRecords
from intake.storage.pg.store import PgStore, open_shared_store
from tests.conftest import PASSPHRASE
from tests.storage.helpers import contact

NOW = datetime.now(UTC)
NUMBER = "+15065550123"


def account(store: RecordStore, name: str, role: str = "volunteer") -> str:
    return store.add_account(name, role, "x")


def kiosk_request(
    store: RecordStore, risk: str = "high", *, messages_ok: bool = False, actor: str | None = None
) -> str:
    """A French-speaking kiosk visitor in New Brunswick, at `risk`, asking for a callback."""
    record = contact(
        channel="kiosk",
        province="NB",
        risk=risk,
        topics=(),
        outcome="callback-requested",
        crisis_actions=("kiosk-crisis-screen", "kiosk-staff-alerted"),
        callback_number=NUMBER,
    )
    request = str(uuid.uuid4())
    with store.writing() as w:
        w.write_contact(record, actor)
        w.put_callback(
            request,
            record.id,
            number=NUMBER,
            best_time="evening",
            time_zone="America/Moncton",
            actor=actor,
            messages_ok=messages_ok,
        )
    return request


def phone_followup(store: RecordStore, actor: str, due: datetime, risk: str = "concern") -> str:
    """A phone call's follow-up and its callback number (one item), as `save_call` writes."""
    record = contact(risk=risk, outcome="callback", callback_number="+16135550199")
    followup = str(uuid.uuid4())
    with store.writing() as w:
        w.write_contact(record, actor)
        w.put_followup(followup, record.id, due.astimezone(UTC).isoformat(), actor)
        w.put_callback(
            str(uuid.uuid4()),
            record.id,
            number="+16135550199",
            best_time=due.isoformat(),
            time_zone="America/Toronto",
            actor=actor,
        )
    return followup


@pytest.fixture
def second_station(any_store: RecordStore, store_path: Path) -> Iterator[RecordStore]:
    """Another station on the same store: a second connection (the file's own lock would refuse
    a second `open_store` in one process) or a second shared-store object."""
    if isinstance(any_store, PgStore):
        other = open_shared_store(any_store.dsn, PASSPHRASE)
        yield other
        other.close()
        return
    conn = _connect(store_path)
    _key_and_verify(conn, PASSPHRASE)
    _configure(conn)
    other_file = Store(conn, store_path)
    yield LocalRecords(other_file)
    other_file.close()


def _actions(store: RecordStore, record: str) -> list[str]:
    return [r[0] for r in store.audit_trail() if r[2] == record]


def test_the_list_is_in_working_order_with_its_counts(
    any_store: RecordStore, any_actor: str
) -> None:
    later = phone_followup(any_store, any_actor, NOW + timedelta(hours=5), risk="concern")
    overdue = phone_followup(any_store, any_actor, NOW - timedelta(hours=1), risk="concern")
    kiosk = kiosk_request(any_store, "high")
    items = worklist.open_items(any_store)
    assert [i.id for i in items] == [kiosk, overdue, later]
    first = items[0]
    assert (first.kind, first.channel, first.province, first.alert) == (
        "callback",
        "kiosk",
        "NB",
        True,
    )
    assert (first.best_time, first.time_zone, first.has_number) == (
        "evening",
        "America/Moncton",
        True,
    )
    assert [i.kind for i in items[1:]] == ["followup", "followup"]
    counts = worklist.summary(any_store, datetime.now(UTC) + timedelta(seconds=1))
    assert (counts.open, counts.overdue, counts.alerts) == (3, 2, 1)  # the kiosk one is due now
    assert worklist.open_count(any_store) == 3
    assert worklist.due_count(any_store, NOW + timedelta(hours=1)) == 2
    page = worklist.open_items(any_store, 1)
    rest = worklist.open_items(any_store, 10, after=page[-1].key)
    assert [i.id for i in page + rest] == [kiosk, overdue, later]


def test_the_order_follows_a_risk_changed_later(any_store: RecordStore, any_actor: str) -> None:
    early = phone_followup(any_store, any_actor, NOW + timedelta(hours=1), risk="concern")
    late = phone_followup(any_store, any_actor, NOW + timedelta(hours=5), risk="concern")
    assert [i.id for i in worklist.open_items(any_store)] == [early, late]
    item = worklist.get_item(any_store, late)
    assert item is not None
    record, _notes = any_store.get_contact(item.contact_id, any_actor)
    import dataclasses

    any_store.save_contact(dataclasses.replace(record, risk="imminent"), any_actor)
    assert [i.id for i in worklist.open_items(any_store)] == [late, early]


def test_one_volunteer_per_item_across_two_stations(
    any_store: RecordStore, second_station: RecordStore
) -> None:
    ana, ben = account(any_store, "Ana"), account(any_store, "Ben")
    item = kiosk_request(any_store)
    worklist.claim(any_store, item, ana)
    with pytest.raises(worklist.AlreadyClaimed):
        worklist.claim(second_station, item, ben)
    worklist.claim(any_store, item, ana)  # claiming again is harmless
    seen = worklist.get_item(second_station, item)
    assert seen is not None
    assert (seen.claimed_by, seen.claimed_by_name) == (ana, "Ana")
    assert _actions(any_store, item).count("claim") == 2  # each by its holder, none by Ben


def test_claims_at_once_from_two_stations_have_exactly_one_winner(
    any_store: RecordStore, second_station: RecordStore
) -> None:
    volunteers = [account(any_store, f"V{n}") for n in range(2)]
    items = [kiosk_request(any_store) for _ in range(10)]

    def claim_all(station: RecordStore, who: str) -> list[str]:
        won = []
        for item in items:
            try:
                worklist.claim(station, item, who)
                won.append(item)
            except worklist.AlreadyClaimed:
                pass
        return won

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(claim_all, (any_store, second_station), volunteers))
    assert sorted(results[0] + results[1]) == sorted(items)  # each claimed exactly once
    holders = {i.id: i.claimed_by for i in worklist.open_items(any_store)}
    for who, won in zip(volunteers, results, strict=True):
        assert all(holders[item] == who for item in won)


def test_attempts_reschedule_and_close(any_store: RecordStore) -> None:
    volunteer = account(any_store, "Vi")
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
    assert moved.attempts == 1
    worklist.close(any_store, item, volunteer, "helped")
    assert worklist.open_count(any_store) == 0
    assert worklist.get_item(any_store, item) is not None  # kept, closed
    with pytest.raises(worklist.ItemClosed):
        worklist.claim(any_store, item, volunteer)
    with pytest.raises(worklist.ItemClosed):
        worklist.record_attempt(any_store, item, volunteer, "reached")
    # Nothing is owed to the person any more: their number is forgotten.
    supervisor = any_store.list_accounts()[0].id
    assert worklist.reveal_number(any_store, item, supervisor) is None
    actions = _actions(any_store, item)
    assert actions.count("attempt") == 1
    assert {"claim", "reschedule", "close"} <= set(actions)


def test_a_message_is_left_only_with_consent(any_store: RecordStore) -> None:
    volunteer = account(any_store, "Vi")
    item = kiosk_request(any_store, messages_ok=True)
    listed = worklist.get_item(any_store, item)
    assert listed is not None
    assert listed.messages_ok
    worklist.claim(any_store, item, volunteer)
    worklist.record_attempt(any_store, item, volunteer, "message-left")
    assert [r for _at, r in worklist.attempts(any_store, item)] == ["message-left"]
    detail = history.open_contact(any_store, listed.contact_id, any_store.list_accounts()[0].id)
    assert [c.messages_ok for c in detail.callbacks] == [True]  # History says so on both


def test_release_gives_the_item_back(any_store: RecordStore) -> None:
    ana, ben = account(any_store, "Ana"), account(any_store, "Ben")
    item = kiosk_request(any_store)
    worklist.claim(any_store, item, ana)
    with pytest.raises(worklist.NotClaimed):  # not Ben's to give back
        worklist.release(any_store, item, ben)
    worklist.release(any_store, item, ana)
    worklist.claim(any_store, item, ben)
    assert worklist.get_item(any_store, item).claimed_by == ben  # type: ignore[union-attr]


def test_numbers_are_revealed_to_those_allowed_and_audited(
    any_store: RecordStore, any_actor: str
) -> None:
    volunteer = account(any_store, "Vi")
    item = kiosk_request(any_store)
    assert worklist.reveal_number(any_store, item, any_actor) == NUMBER  # the supervisor
    with pytest.raises(NotAllowed):  # a volunteer not working on it
        worklist.reveal_number(any_store, item, volunteer)
    worklist.claim(any_store, item, volunteer)
    assert worklist.reveal_number(any_store, item, volunteer) == NUMBER
    reveals = [(r[1], r[3]) for r in any_store.audit_trail() if r[0] == "reveal"]
    assert reveals == [(any_actor, "callback-number"), (volunteer, "callback-number")]
    assert "0123" not in repr(any_store.audit_trail())
    worklist.close(any_store, item, volunteer, "helped")
    with pytest.raises(NotAllowed):  # not once the item is closed
        worklist.reveal_number(any_store, item, volunteer)


@pytest.mark.parametrize("role", ["kiosk", "peer-supporter"])
def test_a_kiosk_or_a_peer_supporter_cannot_work_the_list(
    any_store: RecordStore, role: str
) -> None:
    other = account(any_store, "Dr Pat Roster", role)
    item = kiosk_request(any_store)
    with pytest.raises(NotAllowed):
        worklist.claim(any_store, item, other)
    with pytest.raises(NotAllowed):
        worklist.reveal_number(any_store, item, other)
    assert worklist.get_item(any_store, item).claimed_by is None  # type: ignore[union-attr]


def test_closing_one_promise_leaves_the_other_open_with_its_number(
    any_store: RecordStore, any_actor: str
) -> None:
    volunteer = account(any_store, "Vi")
    request = kiosk_request(any_store)
    record = worklist.get_item(any_store, request).contact_id  # type: ignore[union-attr]
    followup = str(uuid.uuid4())
    with any_store.writing() as w:  # a check-in booked later for the same person
        w.put_followup(followup, record, (NOW + timedelta(days=2)).isoformat(), any_actor)
    assert {i.id for i in worklist.open_items(any_store)} == {request, followup}
    worklist.claim(any_store, followup, volunteer)
    worklist.close(any_store, followup, volunteer, "helped")
    assert [i.id for i in worklist.open_items(any_store)] == [request]
    assert worklist.get_item(any_store, request).has_number  # type: ignore[union-attr]


def test_history_shows_the_items_and_their_attempts(any_store: RecordStore, any_actor: str) -> None:
    volunteer = account(any_store, "Vi")
    item = kiosk_request(any_store)
    worklist.claim(any_store, item, volunteer)
    worklist.record_attempt(any_store, item, volunteer, "no-answer")
    worklist.record_attempt(any_store, item, volunteer, "reached")
    contact_id = worklist.get_item(any_store, item).contact_id  # type: ignore[union-attr]
    detail = history.open_contact(any_store, contact_id, any_actor)
    assert len(detail.work) == 1
    work = detail.work[0]
    assert (work.kind, work.status, work.claimed_by) == ("callback", "open", "Vi")
    assert [result for _at, result in work.attempts] == ["no-answer", "reached"]
