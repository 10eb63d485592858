"""The writes of a save and History's queries, proven line by line (docs/mutation.md): each
write says what it did ("created", "updated", "unchanged"), leaves exactly one audit row naming
who, what and which record (codes and ids, never text), touches only its own rows; History's
filters, paging and note search return exactly what they promise, in their order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from intake.accounts import Role
from intake.pins import hash_pin
from intake.storage.errors import ConsentRefused
from intake.storage.interface import RecordStore
from intake.storage.records import HistoryFilter, RecordMissing
from tests.storage.helpers import RawSql, contact


@pytest.fixture
def other(any_store: RecordStore) -> str:
    """A second account (a volunteer), for what belongs to one person and not another."""
    return any_store.add_account("Val Volunteer", Role.VOLUNTEER.value, hash_pin("902714"))


def _audit(any_store: RecordStore, since: int = 0) -> list[tuple[object, ...]]:
    return [
        tuple(row)
        for row in RawSql(any_store).query(
            "SELECT actor, action, record, detail FROM audit WHERE seq > ? ORDER BY seq", (since,)
        )
    ]


def _last(any_store: RecordStore) -> int:
    return int(RawSql(any_store).query("SELECT coalesce(max(seq), 0) FROM audit")[0][0])


def _saved(any_store: RecordStore, any_actor: str, **changes: object) -> str:
    record = contact(**changes)
    any_store.save_contact(record, any_actor)
    return record.id


# -- contacts --------------------------------------------------------------------------------


def test_a_contact_is_created_updated_or_left_unchanged_and_each_change_is_audited(
    any_store: RecordStore, any_actor: str
) -> None:
    record = contact()
    start = _last(any_store)
    with any_store.writing() as w:
        assert w.write_contact(record, any_actor) == "created"
    with any_store.writing() as w:
        assert w.write_contact(record, any_actor) == "unchanged"
    changed = contact(id=record.id, risk="high", province="ON")
    assert any_store.save_contact(changed, any_actor) == "updated"
    assert _audit(any_store, start) == [
        (any_actor, "create", record.id, "contact"),
        (any_actor, "edit", record.id, "contact"),
    ]
    assert RawSql(any_store).read("contacts", "risk, province, created_by") == [
        ("high", "ON", any_actor)
    ]
    kept, notes = any_store.get_contact(record.id, any_actor)
    assert kept == changed
    assert notes == []
    assert _audit(any_store, start)[-1] == (any_actor, "open", record.id, "contact")


def test_consent_withdrawn_removes_that_contacts_notes_and_number_only(
    any_store: RecordStore, any_actor: str
) -> None:
    record = contact(callback_number="+15145550199", caller_name="Dr A.")
    other = contact(callback_number="+15145550100")
    for each in (record, other):
        any_store.save_contact(each, any_actor)
        any_store.add_note(f"note-{each.id}", each.id, "what was said", any_actor)
        any_store.add_callback(
            f"cb-{each.id}",
            each.id,
            number=str(each.callback_number),
            best_time="morning",
            time_zone="America/Toronto",
            actor=any_actor,
        )
    withdrawn = contact(id=record.id, consent=False)
    assert any_store.save_contact(withdrawn, any_actor) == "updated"
    assert RawSql(any_store).read("notes", "id") == [(f"note-{other.id}",)]
    assert RawSql(any_store).read("callbacks", "contact_id, number", "ORDER BY number IS NULL") == [
        (other.id, "+15145550100"),
        (record.id, None),
    ]
    # Consent given again later brings nothing back, and removes nothing more.
    assert any_store.save_contact(contact(id=record.id), any_actor) == "updated"
    assert any_store.counts()["notes"] == 1


def test_a_contact_that_is_not_there_cannot_be_opened(
    any_store: RecordStore, any_actor: str
) -> None:
    start = _last(any_store)
    with pytest.raises(RecordMissing):
        any_store.get_contact("nobody", any_actor)
    assert _audit(any_store, start) == []


# -- notes -----------------------------------------------------------------------------------


def test_a_note_is_created_edited_or_left_unchanged_and_audited_without_its_text(
    any_store: RecordStore, any_actor: str
) -> None:
    contact_id = _saved(any_store, any_actor)
    start = _last(any_store)
    with any_store.writing() as w:
        assert w.put_note("n1", contact_id, "first words", any_actor) == "created"
        assert w.put_note("n1", contact_id, "first words", any_actor) == "unchanged"
        assert w.put_note("n1", contact_id, "second words", any_actor) == "updated"
    assert RawSql(any_store).read("notes", "id, contact_id, author, body") == [
        ("n1", contact_id, any_actor, "second words")
    ]
    detail = f"note contact={contact_id}"
    assert _audit(any_store, start) == [
        (any_actor, "create", "n1", detail),
        (any_actor, "edit", "n1", detail),
    ]
    with any_store.writing() as w:
        assert w.drop_note("n1", any_actor) is True
        assert w.drop_note("n1", any_actor) is False
    assert any_store.counts()["notes"] == 0
    assert _audit(any_store, start)[2:] == [(any_actor, "edit", "n1", "note removed")]


def test_add_note_twice_is_one_note_and_one_audit_row(
    any_store: RecordStore, any_actor: str
) -> None:
    contact_id = _saved(any_store, any_actor)
    start = _last(any_store)
    assert any_store.add_note("n1", contact_id, "words", any_actor) == "created"
    assert any_store.add_note("n1", contact_id, "other words", any_actor) == "unchanged"
    assert RawSql(any_store).read("notes", "body, author") == [("words", any_actor)]
    assert _audit(any_store, start) == [(any_actor, "create", "n1", f"note contact={contact_id}")]


def test_a_note_needs_the_contact_and_its_consent(any_store: RecordStore, any_actor: str) -> None:
    declined = _saved(any_store, any_actor, consent=False)
    with pytest.raises(RecordMissing):
        any_store.add_note("n1", "nobody", "words", any_actor)
    with pytest.raises(ConsentRefused):
        any_store.add_note("n2", declined, "words", any_actor)
    with pytest.raises(ConsentRefused), any_store.writing() as w:
        w.put_note("n3", declined, "words", any_actor)
    assert any_store.counts()["notes"] == 0


def test_a_contacts_notes_come_in_the_order_they_were_written(
    any_store: RecordStore, any_actor: str
) -> None:
    contact_id = _saved(any_store, any_actor)
    raw = RawSql(any_store)
    insert = "INSERT INTO notes (id, contact_id, author, created_at, body) VALUES (?, ?, ?, ?, ?)"
    with raw.transaction() as run:
        for note_id in ("b", "a", "c"):
            body = raw.seal("notes", "body", note_id, f"text {note_id}")
            run(insert, (note_id, contact_id, any_actor, "2026-11-22T08:00:00+00:00", body))
        body = raw.seal("notes", "body", "z", "earliest")
        run(insert, ("z", contact_id, any_actor, "2026-11-22T07:00:00+00:00", body))
    _, notes = any_store.get_contact(contact_id, any_actor)
    assert [(n.id, n.body, n.author, n.contact_id) for n in notes] == [
        ("z", "earliest", any_actor, contact_id),
        ("a", "text a", any_actor, contact_id),
        ("b", "text b", any_actor, contact_id),
        ("c", "text c", any_actor, contact_id),
    ]


# -- callbacks and follow-ups ----------------------------------------------------------------


def test_a_callback_is_created_updated_reopened_or_left_unchanged(
    any_store: RecordStore, any_actor: str
) -> None:
    contact_id = _saved(any_store, any_actor)
    start = _last(any_store)
    zone = "America/Toronto"

    def put(number: str, best: str, messages_ok: bool) -> str:
        with any_store.writing() as w:
            return w.put_callback(
                "cb",
                contact_id,
                number=number,
                best_time=best,
                time_zone=zone,
                actor=any_actor,
                messages_ok=messages_ok,
            )

    assert put("+15145550199", "morning", False) == "created"
    assert RawSql(any_store).read(
        "callbacks", "number, best_time, time_zone, status, messages_ok"
    ) == [("+15145550199", "morning", zone, "open", 0)]
    assert put("+15145550199", "morning", False) == "unchanged"
    assert put("+15145550199", "morning", True) == "updated"
    assert RawSql(any_store).read("callbacks", "messages_ok") == [(1,)]
    assert put("+15145550100", "evening", True) == "updated"
    RawSql(any_store).query("UPDATE callbacks SET status = 'done'")
    assert put("+15145550100", "evening", True) == "updated"  # asked for again: open again
    assert RawSql(any_store).read("callbacks", "number, best_time, status, messages_ok") == [
        ("+15145550100", "evening", "open", 1)
    ]
    detail = f"callback contact={contact_id}"
    assert (
        _audit(any_store, start)
        == [(any_actor, "create", "cb", detail)] + [(any_actor, "edit", "cb", detail)] * 3
    )


def test_add_callback_twice_is_one_callback(any_store: RecordStore, any_actor: str) -> None:
    contact_id = _saved(any_store, any_actor)
    declined = _saved(any_store, any_actor, consent=False)
    start = _last(any_store)
    args = {"best_time": "morning", "time_zone": "America/Halifax", "actor": any_actor}
    assert any_store.add_callback("cb", contact_id, number="+19025550199", **args) == "created"
    assert any_store.add_callback("cb", contact_id, number="+19025550100", **args) == "unchanged"
    with pytest.raises(ConsentRefused):
        any_store.add_callback("cb2", declined, number="+19025550101", **args)
    assert RawSql(any_store).read("callbacks", "id, number, best_time, time_zone") == [
        ("cb", "+19025550199", "morning", "America/Halifax")
    ]
    assert _audit(any_store, start) == [
        (any_actor, "create", "cb", f"callback contact={contact_id}")
    ]


def test_a_follow_up_is_created_moved_reopened_or_cancelled_with_its_callback(
    any_store: RecordStore, any_actor: str
) -> None:
    contact_id = _saved(any_store, any_actor)
    start = _last(any_store)
    with any_store.writing() as w:
        assert w.put_followup("f", contact_id, "2026-11-25T09:00:00+00:00", any_actor) == "created"
        assert w.put_followup("f", contact_id, "2026-11-25T09:00:00+00:00", any_actor) == (
            "unchanged"
        )
        assert w.put_followup("f", contact_id, "2026-11-26T09:00:00+00:00", any_actor) == "updated"
        w.put_callback(
            "cb",
            contact_id,
            number="+15145550199",
            best_time="morning",
            time_zone="America/Toronto",
            actor=any_actor,
        )
    assert RawSql(any_store).read("followups", "due_at, status, created_by") == [
        ("2026-11-26T09:00:00+00:00", "open", any_actor)
    ]
    # Not said: no message may be left at the number.
    assert RawSql(any_store).read("callbacks", "messages_ok") == [(0,)]
    with any_store.writing() as w:
        w.cancel_followup("f", "cb", any_actor)
    assert RawSql(any_store).read("followups", "status") == [("cancelled",)]
    assert RawSql(any_store).read("callbacks", "status, number") == [("cancelled", None)]
    with any_store.writing() as w:
        w.cancel_followup("f", "cb", any_actor)  # again: nothing left to cancel, not audited
        assert w.put_followup("f", contact_id, "2026-11-26T09:00:00+00:00", any_actor) == (
            "updated"
        )
    assert RawSql(any_store).read("followups", "status") == [("open",)]
    detail = f"followup contact={contact_id}"
    assert [row for row in _audit(any_store, start) if row[2] == "f"] == [
        (any_actor, "create", "f", detail),
        (any_actor, "edit", "f", detail),
        (any_actor, "edit", "f", "followup cancelled"),
        (any_actor, "edit", "f", detail),
    ]


def test_cancelling_leaves_a_follow_up_already_done_and_its_callback_alone(
    any_store: RecordStore, any_actor: str
) -> None:
    contact_id = _saved(any_store, any_actor)
    with any_store.writing() as w:
        w.put_followup("f", contact_id, "2026-11-26T09:00:00+00:00", any_actor)
        w.put_callback(
            "cb",
            contact_id,
            number="+15145550199",
            best_time="morning",
            time_zone="America/Toronto",
            actor=any_actor,
        )
    RawSql(any_store).query("UPDATE followups SET status = 'done'")
    RawSql(any_store).query("UPDATE callbacks SET status = 'done'")
    start = _last(any_store)
    with any_store.writing() as w:
        w.cancel_followup("f", "cb", any_actor)
    assert RawSql(any_store).read("followups", "status") == [("done",)]
    assert RawSql(any_store).read("callbacks", "status, number") == [("done", "+15145550199")]
    assert _audit(any_store, start) == []


def test_follow_ups_due_are_the_open_ones_due_by_then_soonest_first(
    any_store: RecordStore, any_actor: str, other: str
) -> None:
    mine = _saved(any_store, any_actor, province="NS")
    theirs = _saved(any_store, other, province="ON")
    for followup_id, contact_id, due in (
        ("late", mine, "2026-11-24T09:00:00+00:00"),
        ("early", theirs, "2026-11-23T09:00:00+00:00"),
        ("future", mine, "2026-12-24T09:00:00+00:00"),
        ("exact", mine, "2026-11-25T00:00:00+00:00"),
    ):
        assert any_store.add_followup(followup_id, contact_id, due, any_actor) == "created"
    assert (
        any_store.add_followup("late", mine, "2026-11-20T09:00:00+00:00", any_actor) == "unchanged"
    )
    RawSql(any_store).query(
        "INSERT INTO followups (id, contact_id, due_at, created_by, created_at, "
        "status) VALUES ('done', ?, '2026-11-21T09:00:00+00:00', ?, '', 'done')",
        (mine, any_actor),
    )
    by = "2026-11-25T00:00:00+00:00"
    due = any_store.followups_due(by)
    assert [(f.id, f.contact_id, f.due_at, f.province) for f in due] == [
        ("early", theirs, "2026-11-23T09:00:00+00:00", "ON"),
        ("late", mine, "2026-11-24T09:00:00+00:00", "NS"),
        ("exact", mine, "2026-11-25T00:00:00+00:00", "NS"),
    ]
    assert [f.id for f in any_store.followups_due(by, created_by=any_actor)] == ["late", "exact"]
    assert [f.id for f in any_store.followups_due(by, limit=1)] == ["early"]
    assert [f.id for f in any_store.open_followups(mine)] == ["late", "exact", "future"]
    assert any_store.open_followups(mine)[0].province == "NS"
    assert RawSql(any_store).read("followups", "created_by", "WHERE id = 'early'") == [(any_actor,)]


# -- drafts ----------------------------------------------------------------------------------


def test_drafts_are_each_accounts_own_newest_first(any_store: RecordStore, any_actor: str) -> None:
    any_store.save_draft("old", any_actor, {"consent_notes": True, "notes": "première"})
    any_store.save_draft("kiosk", None, {"consent_notes": False})
    RawSql(any_store).query("UPDATE drafts SET updated_at = '2026-01-01T00:00:00+00:00'")
    any_store.save_draft("new", any_actor, {"consent_notes": True, "notes": "seconde"})
    assert any_store.drafts(any_actor) == [
        ("new", {"consent_notes": True, "notes": "seconde"}),
        ("old", {"consent_notes": True, "notes": "première"}),
    ]
    assert any_store.drafts(None) == [("kiosk", {"consent_notes": False})]
    any_store.save_draft("old", any_actor, {"consent_notes": True, "notes": "corrigée"})
    assert dict(any_store.drafts(any_actor)) == {
        "new": {"consent_notes": True, "notes": "seconde"},
        "old": {"consent_notes": True, "notes": "corrigée"},
    }


# -- History ---------------------------------------------------------------------------------


def _history(any_store: RecordStore, any_actor: str, other: str) -> dict[str, str]:
    """Five contacts a minute apart, of two creators, provinces and outcomes."""
    base = datetime(2026, 11, 22, 8, tzinfo=UTC)
    ids = {}
    for minute, (name, creator, province, outcome) in enumerate(
        (
            ("a", any_actor, "QC", "referred"),
            ("b", other, "QC", "referred"),
            ("c", any_actor, "ON", "callback-requested"),
            ("d", any_actor, "QC", "callback-requested"),
            ("e", other, "ON", "referred"),
        )
    ):
        record = contact(
            started_at=(base + timedelta(minutes=minute)).isoformat(),
            province=province,
            outcome=outcome,
        )
        any_store.save_contact(record, creator)
        ids[name] = record.id
    return ids


def test_history_lists_newest_first_and_each_filter_narrows_it(
    any_store: RecordStore, any_actor: str, other: str
) -> None:
    ids = _history(any_store, any_actor, other)
    names = {v: k for k, v in ids.items()}

    def listed(**filters: object) -> list[str]:
        page = any_store.history_page(filters=HistoryFilter(**filters))  # type: ignore[arg-type]
        return [names[row.id] for row in page.rows]

    assert listed() == ["e", "d", "c", "b", "a"]
    assert listed(created_by=any_actor) == ["d", "c", "a"]
    assert listed(province="QC") == ["d", "b", "a"]
    assert listed(outcome="referred") == ["e", "b", "a"]
    assert listed(created_by=any_actor, province="QC", outcome="callback-requested") == ["d"]
    assert listed(since="2026-11-22T08:02:00+00:00") == ["e", "d", "c"]
    assert listed(contact_ids=(ids["a"], ids["d"])) == ["d", "a"]
    assert listed(contact_ids=()) == []
    any_store.add_followup("f1", ids["b"], "2026-11-23T09:00:00+00:00", any_actor)
    any_store.add_followup("f2", ids["c"], "2026-11-30T09:00:00+00:00", any_actor)
    assert listed(followup_due_by="2026-11-24T00:00:00+00:00") == ["b"]
    assert listed(followup_due_by="2026-11-24T00:00:00+00:00", province="ON") == []
    row = any_store.history_page(filters=HistoryFilter(contact_ids=(ids["c"],))).rows[0]
    assert (row.channel, row.province, row.risk, row.outcome) == (
        "phone",
        "ON",
        "concern",
        "callback-requested",
    )


def test_history_pages_follow_on_without_a_gap_or_a_repeat(
    any_store: RecordStore, any_actor: str, other: str
) -> None:
    ids = _history(any_store, any_actor, other)
    names = {v: k for k, v in ids.items()}
    for filters in (HistoryFilter(), HistoryFilter(contact_ids=tuple(ids.values()))):
        seen, after = [], None
        while True:
            page = any_store.history_page(after=after, limit=2, filters=filters)
            seen.append([names[row.id] for row in page.rows])
            if page.next_key is None:
                break
            assert page.next_key == (page.rows[-1].started_at, page.rows[-1].id)
            after = page.next_key
        assert seen == [["e", "d"], ["c", "b"], ["a"]]
    whole = any_store.history_page(limit=5)
    assert len(whole.rows) == 5
    assert whole.next_key is not None  # a full page may have more after it
    assert any_store.history_page(after=whole.next_key, limit=5).rows == ()


def test_a_contact_saved_without_the_safety_screen_is_listed_as_not_screened(
    any_store: RecordStore, any_actor: str
) -> None:
    record = contact(risk="none", crisis_actions=("safety-not-screened",))
    any_store.save_contact(record, any_actor)
    screened = contact(risk="none", started_at="2026-11-22T02:00:00-05:00")
    any_store.save_contact(screened, any_actor)
    rows = {row.id: row.risk for row in any_store.history_page().rows}
    assert rows == {record.id: "not-screened", screened.id: "none"}


def test_note_search_finds_every_word_newest_first_within_the_limit_and_the_owner(
    any_store: RecordStore, any_actor: str, other: str
) -> None:
    mine, theirs = _saved(any_store, any_actor), _saved(any_store, other)
    any_store.add_note("n1", mine, "Burnout after night shifts", any_actor)
    any_store.add_note("n2", theirs, "night shifts and burnout again", any_actor)
    any_store.add_note("n3", mine, "burnout only", any_actor)
    any_store.add_note("n4", mine, 'a "quoted" word: OR NOT night', any_actor)
    assert any_store.search_notes("burnout NIGHT") == [(theirs, "n2"), (mine, "n1")]
    assert any_store.search_notes("burnout", limit=2) == [(mine, "n3"), (theirs, "n2")]
    assert any_store.search_notes("burnout night", created_by=any_actor) == [(mine, "n1")]
    assert any_store.search_notes("burnout", created_by=other) == [(theirs, "n2")]
    # Query syntax typed by a person is searched as words, never parsed.
    assert any_store.search_notes('"quoted" OR') == [(mine, "n4")]
    assert any_store.search_notes("night\x00shifts\tburnout") == [(theirs, "n2"), (mine, "n1")]
    assert any_store.search_notes(" \x00 ") == []
    assert any_store.search_notes("absent") == []
    # The owner column is not searched as words.
    owner = any_actor.encode("utf-8").hex().upper()
    assert any_store.search_notes(owner) == []
