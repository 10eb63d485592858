"""A contact's own writes and reads, proven line by line (docs/mutation.md, fourth run): what is
saved comes back field for field, each yes/no fact as it was said; a change to any one field is
a change; consent withdrawn shreds what was kept and consent kept shreds nothing; a hold is a
supervisor's, on a record that is there, and audited; a note or follow-up is refused or kept
whole, never half. On both stores (`any_store`)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest

from intake.storage.interface import RecordStore
from intake.storage.records import ContactRecord
from tests.storage.helpers import RawSql, contact


def _audit(any_store: RecordStore, since: int) -> list[tuple[object, ...]]:
    return [
        tuple(row)
        for row in RawSql(any_store).query(
            "SELECT actor, action, record, detail FROM audit WHERE seq > ? ORDER BY seq", (since,)
        )
    ]


def _last(any_store: RecordStore) -> int:
    return int(RawSql(any_store).query("SELECT coalesce(max(seq), 0) FROM audit")[0][0])


def _full(**changes: object) -> ContactRecord:
    """A contact with every field away from its default, so a field lost or swapped shows."""
    values: dict[str, object] = dict(
        channel="phone",
        started_at="2026-11-22T03:10:00-05:00",
        ended_at="2026-11-22T03:52:00-05:00",
        ui_language="fr",
        caller_language="en",
        role="physician",
        province="NS",
        about_colleague=True,
        topics=("burnout", "grief"),
        need="counselling",
        formats=("phone", "group"),
        risk="high",
        referrals=(
            {"program": "ns-php", "reasons": ["peer-support"], "offered": True, "chosen": False},
            {"program": "988", "reasons": ["crisis"], "offered": True, "chosen": True},
        ),
        crisis_actions=("988-offered", "supervisor-informed"),
        outcome="referred",
        caller_name="Dr Roy",
        callback_number="+19025550142",
        about_family=False,
    )
    values.update(changes)
    return contact(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "facts",
    [
        {"about_colleague": True, "about_family": False},
        {"about_colleague": False, "about_family": True, "role": "other"},
    ],
    ids=["colleague", "family"],
)
def test_every_field_of_a_contact_is_read_back_as_it_was_saved(
    any_store: RecordStore, any_actor: str, facts: dict[str, object]
) -> None:
    """History shows what was saved: a call about a colleague, or about a family member, read
    back as any other call would lose who the call was about."""
    record = _full(**facts)
    assert any_store.save_contact(record, any_actor) == "created"
    kept, notes = any_store.get_contact(record.id, any_actor)
    assert kept == record
    assert (kept.about_colleague, kept.about_family) == (
        facts["about_colleague"],
        facts["about_family"],
    )
    assert notes == []
    assert any_store.save_contact(record, any_actor) == "unchanged"


@pytest.mark.parametrize(
    "change",
    [
        {"about_colleague": False},
        {"about_family": True},
        {"caller_name": "Dr Leroy"},
        {"topics": ("burnout",)},
        {"formats": ("phone",)},
        {"crisis_actions": ("988-offered",)},
        {"ended_at": None},
        {"callback_number": "+19025550100"},
    ],
    ids="-".join,
)
def test_a_change_to_any_one_field_is_an_update_and_is_kept(
    any_store: RecordStore, any_actor: str, change: dict[str, object]
) -> None:
    record = _full()
    any_store.save_contact(record, any_actor)
    changed = dataclasses.replace(record, **change)  # type: ignore[arg-type]
    assert any_store.save_contact(changed, any_actor) == "updated"
    assert any_store.get_contact(record.id, any_actor)[0] == changed


def test_an_edit_that_keeps_consent_keeps_the_notes_and_the_number(
    any_store: RecordStore, any_actor: str
) -> None:
    """Only a consent withdrawn shreds: an ordinary edit of a call (its outcome, a later
    resumption) must leave what the caller agreed to have kept."""
    record = _full()
    any_store.save_contact(record, any_actor)
    any_store.add_note("n1", record.id, "said they sleep four hours", any_actor)
    any_store.add_callback(
        "cb1",
        record.id,
        number="+19025550142",
        best_time="evening",
        time_zone="America/Halifax",
        actor=any_actor,
    )
    for change in ({"outcome": "callback"}, {"risk": "concern"}, {"caller_name": None}):
        record = dataclasses.replace(record, **change)
        assert any_store.save_contact(record, any_actor) == "updated"
    _, notes = any_store.get_contact(record.id, any_actor)
    assert [n.body for n in notes] == ["said they sleep four hours"]
    assert RawSql(any_store).read("callbacks", "number") == [("+19025550142",)]


def test_a_follow_up_is_kept_once_with_its_creator_and_audited_against_its_contact(
    any_store: RecordStore, any_actor: str
) -> None:
    record = contact()
    any_store.save_contact(record, any_actor)
    start = _last(any_store)
    assert (
        any_store.add_followup("f1", record.id, "2026-11-25T09:00:00-05:00", any_actor) == "created"
    )
    assert (
        any_store.add_followup("f1", record.id, "2026-11-30T09:00:00-05:00", any_actor)
        == "unchanged"
    )
    assert RawSql(any_store).read("followups", "id, contact_id, due_at, created_by, status") == [
        ("f1", record.id, "2026-11-25T09:00:00-05:00", any_actor, "open")
    ]
    assert _audit(any_store, start) == [
        (any_actor, "create", "f1", f"followup contact={record.id}")
    ]


def test_what_a_contact_keeps_is_stamped_with_the_time_in_utc(
    any_store: RecordStore, any_actor: str
) -> None:
    """Stations in different zones share one any_store (and one worklist): a time written without
    its offset cannot be compared with another station's."""
    record = contact()
    any_store.save_contact(record, any_actor)
    any_store.add_note("n1", record.id, "words", any_actor)
    any_store.add_followup("f1", record.id, "2026-11-25T09:00:00-05:00", any_actor)
    any_store.add_callback(
        "cb1",
        record.id,
        number="+19025550142",
        best_time="evening",
        time_zone="America/Halifax",
        actor=any_actor,
    )
    stamps = [
        RawSql(any_store).read(table, "created_at")[0][0]
        for table in ("notes", "followups", "callbacks")
    ]
    for stamp in stamps:
        assert datetime.fromisoformat(stamp).utcoffset() == timedelta(0), stamp
    _, notes = any_store.get_contact(record.id, any_actor)
    assert notes[0].created_at == stamps[0]
