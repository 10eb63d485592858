"""The storage interface, the same tests against both stores (one parametrized fixture,
`any_store`): the SQLCipher file and the shared PostgreSQL store.

Ported from test_records.py and test_pin_lockout.py, through the interface instead of the
SQLCipher functions; what is specific to one store (raw SQL, triggers, the file's lock) stays in
that store's own tests.
"""

from __future__ import annotations

import dataclasses
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from intake.call import Call
from intake.pins import hash_pin
from intake.services.calls import derived_id, save_call, snapshot
from intake.storage.account_store import FREE_ATTEMPTS, lock_duration
from intake.storage.errors import AccountLocked, ConsentRefused, NotAllowed, NoteTooLong
from intake.storage.interface import RecordStore
from intake.storage.pg.store import PgStore
from intake.storage.records import HistoryFilter
from tests.conftest import PIN
from tests.storage.helpers import contact


def test_both_stores_implement_the_interface(any_store: RecordStore) -> None:
    assert isinstance(any_store, RecordStore)


def test_contact_round_trip_and_idempotent_saves(any_store: RecordStore, any_actor: str) -> None:
    record = contact(caller_name="Dr A.", callback_number="+15145550199")
    before = len(any_store.audit_trail())
    assert any_store.save_contact(record, any_actor) == "created"
    assert any_store.save_contact(record, any_actor) == "unchanged"  # a retry after a lost ack
    changed = dataclasses.replace(record, outcome="referred")
    assert any_store.save_contact(changed, any_actor) == "updated"
    loaded, notes = any_store.get_contact(record.id, any_actor)
    assert loaded == changed
    assert notes == []
    assert [r[0] for r in any_store.audit_trail()[before:]] == ["create", "edit", "open"]
    assert any_store.counts()["contacts"] == 1


def test_notes_are_idempotent_and_searchable(any_store: RecordStore, any_actor: str) -> None:
    record = contact()
    any_store.save_contact(record, any_actor)
    note_id = str(uuid.uuid4())
    text = "Épuisée après trois gardes de nuit"
    assert any_store.add_note(note_id, record.id, text, any_actor) == "created"
    assert any_store.add_note(note_id, record.id, text, any_actor) == "unchanged"
    assert any_store.counts()["notes"] == 1
    assert any_store.search_notes("epuisee gardes") == [(record.id, note_id)]  # accents folded
    assert any_store.search_notes("ÉPUISÉE") == [(record.id, note_id)]  # case folded
    assert any_store.search_notes('gardes" OR "x') == []  # input is never query syntax
    assert any_store.search_notes("gardes jour") == []  # every word must be there
    assert any_store.search_notes("   ") == []
    _record, notes = any_store.get_contact(record.id, any_actor)
    assert [n.body for n in notes] == [text]
    with pytest.raises(NoteTooLong):
        any_store.add_note(str(uuid.uuid4()), record.id, "x" * 10_001, any_actor)


def test_search_finds_the_newest_first_and_stops_at_the_limit(
    any_store: RecordStore, any_actor: str
) -> None:
    record = contact()
    any_store.save_contact(record, any_actor)
    ids = [f"n{index}" for index in range(5)]
    for note_id in ids:
        any_store.add_note(note_id, record.id, f"garde {note_id}", any_actor)
    assert [n for _c, n in any_store.search_notes("garde", limit=3)] == ["n4", "n3", "n2"]


def test_consent_is_binding(any_store: RecordStore, any_actor: str) -> None:
    with pytest.raises(ConsentRefused):
        any_store.save_contact(contact(consent=False, caller_name="Dr B."), any_actor)
    with pytest.raises(ConsentRefused):
        any_store.save_contact(contact(consent=False, callback_number="+15145550199"), any_actor)
    coded = contact(consent=False)
    any_store.save_contact(coded, any_actor)
    with pytest.raises(ConsentRefused):
        any_store.add_note(str(uuid.uuid4()), coded.id, "free text", any_actor)
    with pytest.raises(ConsentRefused):
        any_store.add_callback(
            str(uuid.uuid4()),
            coded.id,
            number="+15145550199",
            best_time="evening",
            time_zone="America/Toronto",
            actor=any_actor,
        )
    with pytest.raises(ConsentRefused):
        any_store.save_draft(coded.id, any_actor, {"consent_notes": False, "notes": "typed"})
    assert any_store.counts()["notes"] == 0
    assert any_store.counts()["callbacks"] == 0


def test_withdrawing_consent_shreds_what_was_kept(any_store: RecordStore, any_actor: str) -> None:
    record = contact(caller_name="Dr C.")
    any_store.save_contact(record, any_actor)
    any_store.add_note(str(uuid.uuid4()), record.id, "kept under consent", any_actor)
    callback_id = str(uuid.uuid4())
    any_store.add_callback(
        callback_id,
        record.id,
        number="+15145550199",
        best_time="noon",
        time_zone="America/Toronto",
        actor=any_actor,
    )
    assert any_store.callback_number(callback_id) == "+15145550199"
    withdrawn = dataclasses.replace(record, consent_notes=False, caller_name=None)
    any_store.save_contact(withdrawn, any_actor)
    assert any_store.counts()["notes"] == 0
    assert any_store.callback_number(callback_id) is None
    assert any_store.search_notes("consent") == []


def test_history_keyset_paging(any_store: RecordStore, any_actor: str) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    ids = []
    for index in range(7):
        record = contact(started_at=(start + timedelta(hours=index)).isoformat())
        any_store.save_contact(record, any_actor)
        ids.append(record.id)
    first = any_store.history_page(limit=3)
    second = any_store.history_page(first.next_key, limit=3)
    third = any_store.history_page(second.next_key, limit=3)
    seen = [r.id for page in (first, second, third) for r in page.rows]
    assert seen == list(reversed(ids))
    assert third.next_key is None


def test_a_call_saved_without_the_safety_screen_lists_as_not_screened(
    any_store: RecordStore, any_actor: str
) -> None:
    record = contact(risk="none", crisis_actions=("safety-not-screened",))
    any_store.save_contact(record, any_actor)
    assert [r.risk for r in any_store.history_page().rows] == ["not-screened"]


def test_drafts_autosave_and_resume(any_store: RecordStore, any_actor: str) -> None:
    any_store.save_draft("call-1", any_actor, {"consent_notes": True, "notes": "first words"})
    any_store.save_draft("call-1", any_actor, {"consent_notes": True, "notes": "first, more"})
    assert any_store.drafts(any_actor) == [
        ("call-1", {"consent_notes": True, "notes": "first, more"})
    ]
    assert any_store.drafts(None) == []
    any_store.delete_draft("call-1")
    assert any_store.drafts(any_actor) == []


def test_followups_and_holds(any_store: RecordStore, any_actor: str) -> None:
    record = contact()
    any_store.save_contact(record, any_actor)
    due = "2026-11-29T10:00:00-05:00"
    assert any_store.add_followup("f-1", record.id, due, any_actor) == "created"
    assert any_store.add_followup("f-1", record.id, due, any_actor) == "unchanged"
    any_store.set_hold(record.id, True, any_actor)
    assert any_store.on_hold(record.id) is True
    with pytest.raises(NotAllowed):
        any_store.set_hold(record.id, False, "not-a-supervisor")
    assert any_store.on_hold(record.id) is True


def test_each_audited_action_gives_exactly_one_row(any_store: RecordStore, any_actor: str) -> None:
    record = contact()
    steps = [
        ("create", lambda: any_store.save_contact(record, any_actor)),
        (
            "edit",
            lambda: any_store.save_contact(
                dataclasses.replace(record, outcome="declined"), any_actor
            ),
        ),
        ("open", lambda: any_store.get_contact(record.id, any_actor)),
        ("create", lambda: any_store.add_note("n-1", record.id, "text", any_actor)),
        ("hold", lambda: any_store.set_hold(record.id, True, any_actor)),
        ("release", lambda: any_store.set_hold(record.id, False, any_actor)),
        ("sign-in", lambda: any_store.check_pin(any_actor, PIN)),
        ("failed-sign-in", lambda: any_store.check_pin(any_actor, "000000")),
        ("lock", lambda: any_store.record_event(any_actor, "lock")),
    ]
    for action, step in steps:
        before = len(any_store.audit_trail())
        step()
        rows = any_store.audit_trail()[before:]
        assert [r[0] for r in rows] == [action]
        assert rows[0][1] == any_actor
    assert any_store.verify_audit() == []


def test_audit_never_holds_content(any_store: RecordStore, any_actor: str) -> None:
    record = contact(caller_name="Dr Sentinel Name")
    any_store.save_contact(record, any_actor)
    any_store.add_note("n-2", record.id, "SENTINEL-NOTE-TEXT", any_actor)
    dump = repr(any_store.audit_trail())
    assert "SENTINEL" not in dump
    assert "Sentinel" not in dump


def test_pin_lockout_slows_repeated_failures(any_store: RecordStore, any_actor: str) -> None:
    now = datetime(2026, 11, 22, 3, tzinfo=UTC)
    for _attempt in range(5):
        assert any_store.check_pin(any_actor, "111111", now) is None
    with pytest.raises(AccountLocked):
        any_store.check_pin(any_actor, PIN, now + timedelta(seconds=30))  # the right PIN waits
    if isinstance(any_store, PgStore):
        # The server keeps its own clock (a station's `now` is not used): the minute passes
        # there, moved by the owner.
        any_store.query(
            "UPDATE accounts SET locked_until = locked_until - interval '61 seconds' "
            "WHERE id = %s RETURNING id",
            (any_actor,),
        )
    signed_in = any_store.check_pin(any_actor, PIN, now + timedelta(seconds=61))
    assert signed_in is not None
    assert signed_in.display_name == "Dr Sam Okafor"
    assert lock_duration(5) == timedelta(seconds=60)
    failures = [r for r in any_store.audit_trail() if r[0] == "failed-sign-in"]
    assert len(failures) == 6
    assert all(PIN not in r[3] and "111111" not in r[3] for r in failures)


def test_a_burst_of_wrong_pins_counts_every_one_and_locks(
    any_store: RecordStore, any_actor: str
) -> None:
    def attempt(index: int) -> str:
        try:
            right = any_store.check_pin(any_actor, f"{index:06d}") is not None
        except AccountLocked:
            return "locked"
        return "right" if right else "wrong"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(attempt, range(20)))
    assert outcomes.count("wrong") >= FREE_ATTEMPTS
    failed = [r for r in any_store.audit_trail() if r[0] == "failed-sign-in"]
    assert len(failed) == len(outcomes)  # wrong and refused tries alike are audited
    with pytest.raises(AccountLocked):
        any_store.check_pin(any_actor, PIN)


@pytest.mark.parametrize("role", ["coordinator", "peer-supporter"])
def test_both_stores_take_the_matching_roles(any_store: RecordStore, role: str) -> None:
    # The file store accepts them since migration 9; a move to the shared store must too.
    added = any_store.add_account("Dr Rae Kim", role, hash_pin("739105"))
    assert {a.id: a.role.value for a in any_store.list_accounts()}[added] == role


def test_accounts_are_listed_by_name(any_store: RecordStore) -> None:
    any_store.add_account("Volunteer B", "volunteer", hash_pin("739105"))
    any_store.add_account("anne Volunteer", "volunteer", hash_pin("739105"))
    names = [a.display_name for a in any_store.list_accounts()]
    assert names == ["anne Volunteer", "Dr Sam Okafor", "Volunteer B"]


def test_history_filters_and_follow_ups_due(any_store: RecordStore, any_actor: str) -> None:
    other = any_store.add_account("Volunteer B", "volunteer", hash_pin("739105"))
    for index, (province, outcome, owner) in enumerate(
        [("QC", "referred", any_actor), ("ON", "referred", other), ("QC", "declined", other)]
    ):
        any_store.save_contact(
            contact(
                id=f"c{index}",
                started_at=f"2026-11-2{index}T10:00:00+00:00",
                province=province,
                outcome=outcome,
            ),
            owner,
        )

    def ids(filters: HistoryFilter) -> list[str]:
        return [row.id for row in any_store.history_page(filters=filters).rows]

    assert ids(HistoryFilter()) == ["c2", "c1", "c0"]
    assert ids(HistoryFilter(created_by=other)) == ["c2", "c1"]
    assert ids(HistoryFilter(province="QC")) == ["c2", "c0"]
    assert ids(HistoryFilter(outcome="referred", province="QC")) == ["c0"]
    assert ids(HistoryFilter(since="2026-11-21T00:00:00+00:00")) == ["c2", "c1"]
    assert ids(HistoryFilter(contact_ids=("c0", "c2"))) == ["c2", "c0"]
    assert ids(HistoryFilter(contact_ids=())) == []
    any_store.add_followup("f1", "c1", "2026-11-25T15:00:00+00:00", other)
    any_store.add_followup("f2", "c2", "2026-12-25T15:00:00+00:00", other)
    due = any_store.followups_due("2026-11-30T00:00:00+00:00")
    assert [(f.id, f.contact_id, f.province) for f in due] == [("f1", "c1", "ON")]
    assert any_store.followups_due("2026-11-30T00:00:00+00:00", created_by=any_actor) == []
    assert ids(HistoryFilter(followup_due_by="2026-11-30T00:00:00+00:00")) == ["c1"]


def test_note_search_can_be_limited_to_ones_own_contacts(
    any_store: RecordStore, any_actor: str
) -> None:
    other = any_store.add_account("Volunteer B", "volunteer", hash_pin("739105"))
    any_store.save_contact(contact(id="mine"), any_actor)
    any_store.save_contact(contact(id="theirs"), other)
    any_store.add_note("n1", "mine", "overnight shifts", any_actor)
    any_store.add_note("n2", "theirs", "overnight shifts", other)
    assert {c for c, _n in any_store.search_notes("overnight")} == {"mine", "theirs"}
    assert any_store.search_notes("overnight", created_by=any_actor) == [("mine", "n1")]


def test_completing_a_follow_up_once(any_store: RecordStore, any_actor: str) -> None:
    any_store.save_contact(contact(id="c1"), any_actor)
    any_store.add_followup("f1", "c1", "2026-11-25T15:00:00+00:00", any_actor)
    assert [f.id for f in any_store.open_followups("c1")] == ["f1"]
    assert any_store.complete_followup("f1", any_actor) is True
    assert any_store.complete_followup("f1", any_actor) is False  # someone else already did
    assert any_store.open_followups("c1") == []


def _call() -> Call:
    return Call(
        contact_id=str(uuid.uuid4()),
        started_at="2026-11-22T03:10:00-05:00",
        consent_notes=True,
        role="physician",
        province="QC",
        caller_name="Dre Sentinelle",
        callback_number="+15145550123",
        risk="concern",
        topics=["burnout"],
        need="peer",
        notes="Trois gardes de nuit, épuisée",
        followup=True,
        followup_number="+15145550123",
        followup_due="2026-11-29T10:00:00-05:00",
        outcome="referred",
        step="wrapup",
    )


def test_a_whole_call_is_saved_once_through_the_service(
    any_store: RecordStore, any_actor: str
) -> None:
    snap = snapshot(_call(), "en", "2026-11-22T03:40:00-05:00")
    any_store.save_draft(snap.draft_id, any_actor, {"consent_notes": True, "notes": "typed"})
    before = len(any_store.audit_trail())
    assert save_call(any_store, snap, any_actor) == snap.contact_id
    added = len(any_store.audit_trail()) - before
    assert added == 4  # contact, note, follow-up, callback
    save_call(any_store, snap, any_actor)  # a retry writes and audits nothing
    assert len(any_store.audit_trail()) - before == added
    counts = any_store.counts()
    assert (counts["contacts"], counts["notes"], counts["followups"], counts["callbacks"]) == (
        1,
        1,
        1,
        1,
    )
    assert any_store.drafts(any_actor) == []
    callback = derived_id(snap.contact_id, "callback")
    assert any_store.callback_number(callback) == "+15145550123"
    assert any_store.search_notes("epuisee") == [
        (snap.contact_id, derived_id(snap.contact_id, "note"))
    ]
    assert any_store.verify_audit() == []


ENDED = "2026-11-22T04:00:00-05:00"


def _state(store: RecordStore, call: Call, actor: str) -> dict[str, object]:
    """What a call left in the store, read through the interface."""
    counts = store.counts()
    notes: list[str] = []
    if counts["contacts"]:
        notes = [n.body for n in store.get_contact(call.contact_id, actor)[1]]
    return {
        "contacts": counts["contacts"],
        "notes": notes,
        "followups": len(store.open_followups(call.contact_id)),
        "callback": store.callback_number(derived_id(call.contact_id, "callback")),
        "drafts": len(store.drafts(actor)),
    }


def test_a_resumed_half_saved_call_keeps_its_edits(any_store: RecordStore, any_actor: str) -> None:
    call = _call()
    any_store.save_draft(call.contact_id, any_actor, call.payload())
    any_store.save_contact(call.record("en", ENDED), any_actor)
    any_store.add_note(derived_id(call.contact_id, "note"), call.contact_id, call.notes, any_actor)
    [(_id, payload)] = any_store.drafts(any_actor)
    resumed = Call.from_payload(payload)
    resumed.notes = "Trois gardes de nuit. Rappelée : elle va mieux."
    resumed.followup_number = "+15145550199"
    save_call(any_store, snapshot(resumed, "en", ENDED), any_actor)
    assert _state(any_store, call, any_actor) == {
        "contacts": 1,
        "notes": ["Trois gardes de nuit. Rappelée : elle va mieux."],
        "followups": 1,
        "callback": "+15145550199",
        "drafts": 0,
    }
    assert any_store.search_notes("rappelee") != []
    assert any_store.search_notes("epuisee") == []  # the old words left the index
    assert any_store.verify_audit() == []


def test_emptied_note_and_unticked_followup_are_not_kept(
    any_store: RecordStore, any_actor: str
) -> None:
    call = _call()
    save_call(any_store, snapshot(call, "en", ENDED), any_actor)
    call.notes = ""
    call.followup = False
    save_call(any_store, snapshot(call, "en", ENDED), any_actor)
    state = _state(any_store, call, any_actor)
    assert (state["notes"], state["followups"], state["callback"]) == ([], 0, None)
    assert any_store.search_notes("gardes") == []


def test_a_note_or_name_over_the_limit_is_refused_and_nothing_is_written(
    any_store: RecordStore, any_actor: str
) -> None:
    from intake.storage.errors import MAX_NAME_LENGTH, MAX_NOTE_LENGTH, NameTooLong

    call = _call()
    any_store.save_draft(call.contact_id, any_actor, call.payload())
    call.notes = "n" * (MAX_NOTE_LENGTH + 1)
    with pytest.raises(NoteTooLong):
        save_call(any_store, snapshot(call, "en", ENDED), any_actor)
    call.notes = "n" * MAX_NOTE_LENGTH  # the limit itself is allowed
    call.anonymous, call.caller_name = False, "N" * (MAX_NAME_LENGTH + 1)
    with pytest.raises(NameTooLong):
        save_call(any_store, snapshot(call, "en", ENDED), any_actor)
    assert any_store.counts()["contacts"] == 0
    assert len(any_store.drafts(any_actor)) == 1  # the draft keeps everything
    call.caller_name = "Dr Élise Roy"
    save_call(any_store, snapshot(call, "en", ENDED), any_actor)
    loaded, notes = any_store.get_contact(call.contact_id, any_actor)
    assert loaded.caller_name == "Dr Élise Roy"
    assert len(notes[0].body) == MAX_NOTE_LENGTH


def test_a_call_needing_a_rescue_is_refused_until_it_is_recorded(
    any_store: RecordStore, any_actor: str
) -> None:
    from intake.safety import RescueMissing

    call = _call()
    call.risk = "imminent"
    any_store.save_draft(call.contact_id, any_actor, call.payload())
    with pytest.raises(RescueMissing):
        save_call(any_store, snapshot(call, "en", ENDED), any_actor)
    assert any_store.counts()["contacts"] == 0
    assert len(any_store.drafts(any_actor)) == 1
