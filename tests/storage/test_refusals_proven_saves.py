"""The writes of a save and History's queries, proven line by line (docs/mutation.md): each
write says what it did ("created", "updated", "unchanged"), leaves exactly one audit row naming
who, what and which record (codes and ids, never text), touches only its own rows; History's
filters, paging and note search return exactly what they promise, in their order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from intake.accounts import Role
from intake.pins import hash_pin
from intake.storage.account_store import insert_account
from intake.storage.db import Store
from intake.storage.errors import ConsentRefused
from intake.storage.records import (
    HistoryFilter,
    RecordMissing,
    add_callback,
    add_followup,
    add_note,
    cancel_followup,
    drafts,
    drop_note,
    followups_due,
    get_contact,
    history_page,
    open_followups,
    put_callback,
    put_followup,
    put_note,
    save_contact,
    save_draft,
    search_notes,
    write_contact,
)
from tests.storage.helpers import contact


@pytest.fixture
def other(store: Store) -> str:
    """A second account (a volunteer), for what belongs to one person and not another."""
    with store.transaction() as conn:
        return insert_account(conn, "Val Volunteer", Role.VOLUNTEER.value, hash_pin("902714"))


def _audit(store: Store, since: int = 0) -> list[tuple[object, ...]]:
    return store.query(
        "SELECT actor, action, record, detail FROM audit WHERE seq > ? ORDER BY seq", (since,)
    )


def _last(store: Store) -> int:
    return int(store.query("SELECT coalesce(max(seq), 0) FROM audit")[0][0])


def _saved(store: Store, actor: str, **changes: object) -> str:
    record = contact(**changes)
    save_contact(store, record, actor)
    return record.id


# -- contacts --------------------------------------------------------------------------------


def test_a_contact_is_created_updated_or_left_unchanged_and_each_change_is_audited(
    store: Store, actor: str
) -> None:
    record = contact()
    start = _last(store)
    with store.transaction() as conn:
        assert write_contact(conn, record, actor) == "created"
    with store.transaction() as conn:
        assert write_contact(conn, record, actor) == "unchanged"
    changed = contact(id=record.id, risk="high", province="ON")
    assert save_contact(store, changed, actor) == "updated"
    assert _audit(store, start) == [
        (actor, "create", record.id, "contact"),
        (actor, "edit", record.id, "contact"),
    ]
    assert store.query("SELECT risk, province, created_by FROM contacts") == [("high", "ON", actor)]
    kept, notes = get_contact(store, record.id, actor)
    assert kept == changed
    assert notes == []
    assert _audit(store, start)[-1] == (actor, "open", record.id, "contact")


def test_consent_withdrawn_removes_that_contacts_notes_and_number_only(
    store: Store, actor: str
) -> None:
    record = contact(callback_number="+15145550199", caller_name="Dr A.")
    other = contact(callback_number="+15145550100")
    for each in (record, other):
        save_contact(store, each, actor)
        add_note(store, f"note-{each.id}", each.id, "what was said", actor)
        add_callback(
            store,
            f"cb-{each.id}",
            each.id,
            number=str(each.callback_number),
            best_time="morning",
            time_zone="America/Toronto",
            actor=actor,
        )
    withdrawn = contact(id=record.id, consent=False)
    assert save_contact(store, withdrawn, actor) == "updated"
    assert store.query("SELECT id FROM notes") == [(f"note-{other.id}",)]
    assert store.query("SELECT contact_id, number FROM callbacks ORDER BY number IS NULL") == [
        (other.id, "+15145550100"),
        (record.id, None),
    ]
    # Consent given again later brings nothing back, and removes nothing more.
    assert save_contact(store, contact(id=record.id), actor) == "updated"
    assert store.query("SELECT count(*) FROM notes") == [(1,)]


def test_a_contact_that_is_not_there_cannot_be_opened(store: Store, actor: str) -> None:
    start = _last(store)
    with pytest.raises(RecordMissing):
        get_contact(store, "nobody", actor)
    assert _audit(store, start) == []


# -- notes -----------------------------------------------------------------------------------


def test_a_note_is_created_edited_or_left_unchanged_and_audited_without_its_text(
    store: Store, actor: str
) -> None:
    contact_id = _saved(store, actor)
    start = _last(store)
    with store.transaction() as conn:
        assert put_note(conn, "n1", contact_id, "first words", actor) == "created"
        assert put_note(conn, "n1", contact_id, "first words", actor) == "unchanged"
        assert put_note(conn, "n1", contact_id, "second words", actor) == "updated"
    assert store.query("SELECT id, contact_id, author, body FROM notes") == [
        ("n1", contact_id, actor, "second words")
    ]
    detail = f"note contact={contact_id}"
    assert _audit(store, start) == [
        (actor, "create", "n1", detail),
        (actor, "edit", "n1", detail),
    ]
    with store.transaction() as conn:
        assert drop_note(conn, "n1", actor) is True
        assert drop_note(conn, "n1", actor) is False
    assert store.query("SELECT count(*) FROM notes") == [(0,)]
    assert _audit(store, start)[2:] == [(actor, "edit", "n1", "note removed")]


def test_add_note_twice_is_one_note_and_one_audit_row(store: Store, actor: str) -> None:
    contact_id = _saved(store, actor)
    start = _last(store)
    assert add_note(store, "n1", contact_id, "words", actor) == "created"
    assert add_note(store, "n1", contact_id, "other words", actor) == "unchanged"
    assert store.query("SELECT body, author FROM notes") == [("words", actor)]
    assert _audit(store, start) == [(actor, "create", "n1", f"note contact={contact_id}")]


def test_a_note_needs_the_contact_and_its_consent(store: Store, actor: str) -> None:
    declined = _saved(store, actor, consent=False)
    with pytest.raises(RecordMissing):
        add_note(store, "n1", "nobody", "words", actor)
    with pytest.raises(ConsentRefused):
        add_note(store, "n2", declined, "words", actor)
    with pytest.raises(ConsentRefused), store.transaction() as conn:
        put_note(conn, "n3", declined, "words", actor)
    assert store.query("SELECT count(*) FROM notes") == [(0,)]


def test_a_contacts_notes_come_in_the_order_they_were_written(store: Store, actor: str) -> None:
    contact_id = _saved(store, actor)
    with store.transaction() as conn:
        for note_id in ("b", "a", "c"):
            conn.execute(
                "INSERT INTO notes (id, contact_id, author, created_at, body) "
                "VALUES (?, ?, ?, ?, ?)",
                (note_id, contact_id, actor, "2026-11-22T08:00:00+00:00", f"text {note_id}"),
            )
        conn.execute(
            "INSERT INTO notes (id, contact_id, author, created_at, body) VALUES (?, ?, ?, ?, ?)",
            ("z", contact_id, actor, "2026-11-22T07:00:00+00:00", "earliest"),
        )
    _, notes = get_contact(store, contact_id, actor)
    assert [(n.id, n.body, n.author, n.contact_id) for n in notes] == [
        ("z", "earliest", actor, contact_id),
        ("a", "text a", actor, contact_id),
        ("b", "text b", actor, contact_id),
        ("c", "text c", actor, contact_id),
    ]


# -- callbacks and follow-ups ----------------------------------------------------------------


def test_a_callback_is_created_updated_reopened_or_left_unchanged(store: Store, actor: str) -> None:
    contact_id = _saved(store, actor)
    start = _last(store)
    zone = "America/Toronto"

    def put(number: str, best: str, messages_ok: bool) -> str:
        with store.transaction() as conn:
            return put_callback(
                conn,
                "cb",
                contact_id,
                number=number,
                best_time=best,
                time_zone=zone,
                actor=actor,
                messages_ok=messages_ok,
            )

    assert put("+15145550199", "morning", False) == "created"
    assert store.query(
        "SELECT number, best_time, time_zone, status, messages_ok FROM callbacks"
    ) == [("+15145550199", "morning", zone, "open", 0)]
    assert put("+15145550199", "morning", False) == "unchanged"
    assert put("+15145550199", "morning", True) == "updated"
    assert store.query("SELECT messages_ok FROM callbacks") == [(1,)]
    assert put("+15145550100", "evening", True) == "updated"
    with store.transaction() as conn:
        conn.execute("UPDATE callbacks SET status = 'done'")
    assert put("+15145550100", "evening", True) == "updated"  # asked for again: open again
    assert store.query("SELECT number, best_time, status, messages_ok FROM callbacks") == [
        ("+15145550100", "evening", "open", 1)
    ]
    detail = f"callback contact={contact_id}"
    assert (
        _audit(store, start)
        == [(actor, "create", "cb", detail)] + [(actor, "edit", "cb", detail)] * 3
    )


def test_add_callback_twice_is_one_callback(store: Store, actor: str) -> None:
    contact_id = _saved(store, actor)
    declined = _saved(store, actor, consent=False)
    start = _last(store)
    args = {"best_time": "morning", "time_zone": "America/Halifax", "actor": actor}
    assert add_callback(store, "cb", contact_id, number="+19025550199", **args) == "created"
    assert add_callback(store, "cb", contact_id, number="+19025550100", **args) == "unchanged"
    with pytest.raises(ConsentRefused):
        add_callback(store, "cb2", declined, number="+19025550101", **args)
    assert store.query("SELECT id, number, best_time, time_zone FROM callbacks") == [
        ("cb", "+19025550199", "morning", "America/Halifax")
    ]
    assert _audit(store, start) == [(actor, "create", "cb", f"callback contact={contact_id}")]


def test_a_follow_up_is_created_moved_reopened_or_cancelled_with_its_callback(
    store: Store, actor: str
) -> None:
    contact_id = _saved(store, actor)
    start = _last(store)
    with store.transaction() as conn:
        assert put_followup(conn, "f", contact_id, "2026-11-25T09:00:00+00:00", actor) == "created"
        assert put_followup(conn, "f", contact_id, "2026-11-25T09:00:00+00:00", actor) == (
            "unchanged"
        )
        assert put_followup(conn, "f", contact_id, "2026-11-26T09:00:00+00:00", actor) == "updated"
        put_callback(
            conn,
            "cb",
            contact_id,
            number="+15145550199",
            best_time="morning",
            time_zone="America/Toronto",
            actor=actor,
        )
    assert store.query("SELECT due_at, status, created_by FROM followups") == [
        ("2026-11-26T09:00:00+00:00", "open", actor)
    ]
    # Not said: no message may be left at the number.
    assert store.query("SELECT messages_ok FROM callbacks") == [(0,)]
    with store.transaction() as conn:
        cancel_followup(conn, "f", "cb", actor)
    assert store.query("SELECT status FROM followups") == [("cancelled",)]
    assert store.query("SELECT status, number FROM callbacks") == [("cancelled", None)]
    with store.transaction() as conn:
        cancel_followup(conn, "f", "cb", actor)  # again: nothing left to cancel, not audited
        assert put_followup(conn, "f", contact_id, "2026-11-26T09:00:00+00:00", actor) == (
            "updated"
        )
    assert store.query("SELECT status FROM followups") == [("open",)]
    detail = f"followup contact={contact_id}"
    assert [row for row in _audit(store, start) if row[2] == "f"] == [
        (actor, "create", "f", detail),
        (actor, "edit", "f", detail),
        (actor, "edit", "f", "followup cancelled"),
        (actor, "edit", "f", detail),
    ]


def test_cancelling_leaves_a_follow_up_already_done_and_its_callback_alone(
    store: Store, actor: str
) -> None:
    contact_id = _saved(store, actor)
    with store.transaction() as conn:
        put_followup(conn, "f", contact_id, "2026-11-26T09:00:00+00:00", actor)
        put_callback(
            conn,
            "cb",
            contact_id,
            number="+15145550199",
            best_time="morning",
            time_zone="America/Toronto",
            actor=actor,
        )
        conn.execute("UPDATE followups SET status = 'done'")
        conn.execute("UPDATE callbacks SET status = 'done'")
    start = _last(store)
    with store.transaction() as conn:
        cancel_followup(conn, "f", "cb", actor)
    assert store.query("SELECT status FROM followups") == [("done",)]
    assert store.query("SELECT status, number FROM callbacks") == [("done", "+15145550199")]
    assert _audit(store, start) == []


def test_follow_ups_due_are_the_open_ones_due_by_then_soonest_first(
    store: Store, actor: str, other: str
) -> None:
    mine = _saved(store, actor, province="NS")
    theirs = _saved(store, other, province="ON")
    for followup_id, contact_id, due in (
        ("late", mine, "2026-11-24T09:00:00+00:00"),
        ("early", theirs, "2026-11-23T09:00:00+00:00"),
        ("future", mine, "2026-12-24T09:00:00+00:00"),
        ("exact", mine, "2026-11-25T00:00:00+00:00"),
    ):
        assert add_followup(store, followup_id, contact_id, due, actor) == "created"
    assert add_followup(store, "late", mine, "2026-11-20T09:00:00+00:00", actor) == "unchanged"
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO followups (id, contact_id, due_at, created_by, created_at, "
            "status) VALUES ('done', ?, '2026-11-21T09:00:00+00:00', ?, '', 'done')",
            (mine, actor),
        )
    by = "2026-11-25T00:00:00+00:00"
    due = followups_due(store, by)
    assert [(f.id, f.contact_id, f.due_at, f.province) for f in due] == [
        ("early", theirs, "2026-11-23T09:00:00+00:00", "ON"),
        ("late", mine, "2026-11-24T09:00:00+00:00", "NS"),
        ("exact", mine, "2026-11-25T00:00:00+00:00", "NS"),
    ]
    assert [f.id for f in followups_due(store, by, created_by=actor)] == ["late", "exact"]
    assert [f.id for f in followups_due(store, by, limit=1)] == ["early"]
    assert [f.id for f in open_followups(store, mine)] == ["late", "exact", "future"]
    assert open_followups(store, mine)[0].province == "NS"
    assert store.query("SELECT created_by FROM followups WHERE id = 'early'") == [(actor,)]


# -- drafts ----------------------------------------------------------------------------------


def test_drafts_are_each_accounts_own_newest_first(store: Store, actor: str) -> None:
    save_draft(store, "old", actor, {"consent_notes": True, "notes": "première"})
    save_draft(store, "kiosk", None, {"consent_notes": False})
    with store.transaction() as conn:
        conn.execute("UPDATE drafts SET updated_at = '2026-01-01T00:00:00+00:00'")
    save_draft(store, "new", actor, {"consent_notes": True, "notes": "seconde"})
    assert drafts(store, actor) == [
        ("new", {"consent_notes": True, "notes": "seconde"}),
        ("old", {"consent_notes": True, "notes": "première"}),
    ]
    assert drafts(store, None) == [("kiosk", {"consent_notes": False})]
    save_draft(store, "old", actor, {"consent_notes": True, "notes": "corrigée"})
    assert dict(drafts(store, actor)) == {
        "new": {"consent_notes": True, "notes": "seconde"},
        "old": {"consent_notes": True, "notes": "corrigée"},
    }


# -- History ---------------------------------------------------------------------------------


def _history(store: Store, actor: str, other: str) -> dict[str, str]:
    """Five contacts a minute apart, of two creators, provinces and outcomes."""
    base = datetime(2026, 11, 22, 8, tzinfo=UTC)
    ids = {}
    for minute, (name, creator, province, outcome) in enumerate(
        (
            ("a", actor, "QC", "referred"),
            ("b", other, "QC", "referred"),
            ("c", actor, "ON", "callback-requested"),
            ("d", actor, "QC", "callback-requested"),
            ("e", other, "ON", "referred"),
        )
    ):
        record = contact(
            started_at=(base + timedelta(minutes=minute)).isoformat(),
            province=province,
            outcome=outcome,
        )
        save_contact(store, record, creator)
        ids[name] = record.id
    return ids


def test_history_lists_newest_first_and_each_filter_narrows_it(
    store: Store, actor: str, other: str
) -> None:
    ids = _history(store, actor, other)
    names = {v: k for k, v in ids.items()}

    def listed(**filters: object) -> list[str]:
        page = history_page(store, filters=HistoryFilter(**filters))  # type: ignore[arg-type]
        return [names[row.id] for row in page.rows]

    assert listed() == ["e", "d", "c", "b", "a"]
    assert listed(created_by=actor) == ["d", "c", "a"]
    assert listed(province="QC") == ["d", "b", "a"]
    assert listed(outcome="referred") == ["e", "b", "a"]
    assert listed(created_by=actor, province="QC", outcome="callback-requested") == ["d"]
    assert listed(since="2026-11-22T08:02:00+00:00") == ["e", "d", "c"]
    assert listed(contact_ids=(ids["a"], ids["d"])) == ["d", "a"]
    assert listed(contact_ids=()) == []
    add_followup(store, "f1", ids["b"], "2026-11-23T09:00:00+00:00", actor)
    add_followup(store, "f2", ids["c"], "2026-11-30T09:00:00+00:00", actor)
    assert listed(followup_due_by="2026-11-24T00:00:00+00:00") == ["b"]
    assert listed(followup_due_by="2026-11-24T00:00:00+00:00", province="ON") == []
    row = history_page(store, filters=HistoryFilter(contact_ids=(ids["c"],))).rows[0]
    assert (row.channel, row.province, row.risk, row.outcome) == (
        "phone",
        "ON",
        "concern",
        "callback-requested",
    )


def test_history_pages_follow_on_without_a_gap_or_a_repeat(
    store: Store, actor: str, other: str
) -> None:
    ids = _history(store, actor, other)
    names = {v: k for k, v in ids.items()}
    for filters in (HistoryFilter(), HistoryFilter(contact_ids=tuple(ids.values()))):
        seen, after = [], None
        while True:
            page = history_page(store, after=after, limit=2, filters=filters)
            seen.append([names[row.id] for row in page.rows])
            if page.next_key is None:
                break
            assert page.next_key == (page.rows[-1].started_at, page.rows[-1].id)
            after = page.next_key
        assert seen == [["e", "d"], ["c", "b"], ["a"]]
    whole = history_page(store, limit=5)
    assert len(whole.rows) == 5
    assert whole.next_key is not None  # a full page may have more after it
    assert history_page(store, after=whole.next_key, limit=5).rows == ()


def test_a_contact_saved_without_the_safety_screen_is_listed_as_not_screened(
    store: Store, actor: str
) -> None:
    record = contact(risk="none", crisis_actions=("safety-not-screened",))
    save_contact(store, record, actor)
    screened = contact(risk="none", started_at="2026-11-22T02:00:00-05:00")
    save_contact(store, screened, actor)
    rows = {row.id: row.risk for row in history_page(store).rows}
    assert rows == {record.id: "not-screened", screened.id: "none"}


def test_note_search_finds_every_word_newest_first_within_the_limit_and_the_owner(
    store: Store, actor: str, other: str
) -> None:
    mine, theirs = _saved(store, actor), _saved(store, other)
    add_note(store, "n1", mine, "Burnout after night shifts", actor)
    add_note(store, "n2", theirs, "night shifts and burnout again", actor)
    add_note(store, "n3", mine, "burnout only", actor)
    add_note(store, "n4", mine, 'a "quoted" word: OR NOT night', actor)
    assert search_notes(store, "burnout NIGHT") == [(theirs, "n2"), (mine, "n1")]
    assert search_notes(store, "burnout", limit=2) == [(mine, "n3"), (theirs, "n2")]
    assert search_notes(store, "burnout night", created_by=actor) == [(mine, "n1")]
    assert search_notes(store, "burnout", created_by=other) == [(theirs, "n2")]
    # Query syntax typed by a person is searched as words, never parsed.
    assert search_notes(store, '"quoted" OR') == [(mine, "n4")]
    assert search_notes(store, "night\x00shifts\tburnout") == [(theirs, "n2"), (mine, "n1")]
    assert search_notes(store, " \x00 ") == []
    assert search_notes(store, "absent") == []
    # The owner column is not searched as words.
    owner = actor.encode("utf-8").hex().upper()
    assert search_notes(store, owner) == []
