# One store only (the SQLCipher file): SQLite's query plans (its indexes and FTS5).
"""Every query the History screen and note search run is answered from an index, for every role
and every filter the screen offers (checked with EXPLAIN QUERY PLAN on the real statements), and
the indexed answers are the same rows, in the same order, as filtering everything by hand."""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from intake.storage import audit
from intake.storage.account_store import insert_account
from intake.storage.db import Store
from intake.storage.records import (
    HistoryFilter,
    add_followup,
    add_note,
    drafts,
    followups_due,
    get_contact,
    history_page,
    open_followups,
    save_contact,
    search_notes,
)
from tests.storage.helpers import contact

PAGE = 100  # the History screen's page size
LATER_PAGE = ("2026-06-01T00:00:00+00:00", "ffffffff")
# The one walk allowed without a search: no filter at all, newest first. Every row matches, so
# SQLite reads exactly one page of the date-ordered index and stops at the LIMIT.
UNFILTERED_WALK = "SCAN contacts USING INDEX contacts_history"
# Appending to the audit chain (opening a contact is audited) reads, in one statement, its last
# row (the integer key walked backwards, LIMIT 1: one row, twice), SQLite's counter table (one
# row per table) and the chain's key by its name.
AUDIT_APPEND = {
    audit.CHAIN_TAIL: [
        "SCAN CONSTANT ROW",
        "SCALAR SUBQUERY 1",
        "SCAN audit",
        "SCALAR SUBQUERY 2",
        "SCAN audit",
        "SCALAR SUBQUERY 3",
        "SCAN sqlite_sequence",
        "SCALAR SUBQUERY 4",
        "SEARCH meta USING INDEX sqlite_autoindex_meta_1 (key=?)",
        "SCALAR SUBQUERY 5",
        "SEARCH meta USING INDEX sqlite_autoindex_meta_1 (key=?)",
    ],
    # The head beside the store, after the commit: the last row again.
    "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1": ["SCAN audit"],
}


@contextmanager
def statements(store: Store) -> Iterator[list[str]]:
    """The statements the store runs, with their parameters filled in (SQLite's trace)."""
    seen: list[str] = []
    store._conn.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        store._conn.set_trace_callback(None)


def plans(store: Store, run: Callable[[], object]) -> list[tuple[str, list[str]]]:
    with statements(store) as seen:
        run()
    queries = [sql for sql in seen if sql.lstrip().upper().startswith("SELECT")]
    assert queries, "the call ran no query"
    return [(sql, [row[3] for row in store.query("EXPLAIN QUERY PLAN " + sql)]) for sql in queries]


def assert_no_scan(store: Store, run: Callable[[], object], *, unfiltered: bool = False) -> None:
    for sql, steps in plans(store, run):
        if sql in AUDIT_APPEND:
            assert steps == AUDIT_APPEND[sql], steps
            continue
        for step in steps:
            if step == UNFILTERED_WALK and unfiltered:
                continue
            # FTS5 answers MATCH from its own index: a virtual-table "scan" with a MATCH plan.
            if step.startswith("SCAN notes_fts VIRTUAL TABLE INDEX") and ":M" in step:
                continue
            assert not step.startswith("SCAN"), f"{step!r} in the plan of {sql}"
        if any("USE TEMP B-TREE FOR ORDER BY" in step for step in steps):
            # Sorting is only fine for a small set fetched by id (search hits, follow-ups due).
            assert any("contacts_found (id=?" in s for s in steps) or any(
                "notes_contact" in s for s in steps
            ), f"sorts a range in {sql}: {steps}"


@pytest.fixture
def volunteer(store: Store) -> str:
    with store.transaction() as conn:
        return insert_account(conn, "Volunteer V", "volunteer", "x")


FILTERS = list(
    itertools.product(
        (False, True),  # volunteer (own contacts) or supervisor (everyone's)
        (None, "QC"),  # province
        (None, "referred"),  # outcome
        (None, "2026-01-01T00:00:00+00:00"),  # since
        (None, "2026-12-01T00:00:00+00:00"),  # follow-up due by
        (None, ("a", "b")),  # contacts found by a note search
        (None, LATER_PAGE),  # first page or a later one
    )
)


def test_every_history_page_query_searches_an_index(store: Store, volunteer: str) -> None:
    for own, province, outcome, since, due, found, after in FILTERS:
        filters = HistoryFilter(
            created_by=volunteer if own else None,
            province=province,
            outcome=outcome,
            since=since,
            followup_due_by=due,
            contact_ids=found,
        )
        assert_no_scan(
            store,
            lambda f=filters, a=after: history_page(store, a, PAGE, f),  # type: ignore[misc]
            unfiltered=filters == HistoryFilter() and after is None,
        )


@pytest.mark.parametrize("own", [False, True], ids=["supervisor", "volunteer"])
def test_note_search_and_opening_a_contact_search_indexes(
    store: Store, actor: str, volunteer: str, own: bool
) -> None:
    save_contact(store, contact(id="c1"), volunteer)
    add_note(store, "n1", "c1", "overnight shifts", volunteer)
    owner = volunteer if own else None
    assert_no_scan(store, lambda: search_notes(store, "overnight shifts", 500, created_by=owner))
    assert_no_scan(store, lambda: followups_due(store, "2026-12-01", owner))
    assert_no_scan(store, lambda: open_followups(store, "c1"))
    assert_no_scan(store, lambda: drafts(store, owner or actor))
    assert_no_scan(store, lambda: get_contact(store, "c1", actor))


def test_a_plan_that_scans_is_caught(store: Store) -> None:
    """The check itself: a query no index serves is reported (tested from the failing side)."""
    with pytest.raises(AssertionError, match="SCAN contacts"):
        assert_no_scan(store, lambda: store.query("SELECT id FROM contacts WHERE risk = 'high'"))


def test_indexed_pages_are_what_filtering_by_hand_gives(store: Store, volunteer: str) -> None:
    """Every filter combination, paged to the end in small pages, against a plain Python filter."""
    rng = random.Random(14)
    with store.transaction() as conn:
        other = insert_account(conn, "Volunteer W", "volunteer", "x")
    owners, provinces, outcomes = (volunteer, other, None), ("QC", "ON", None), ("referred", None)
    rows: list[dict[str, Any]] = []
    for index in range(240):
        values = {
            "id": str(uuid.UUID(int=rng.getrandbits(128))),
            # Repeated start times: the id breaks ties, and paging must not skip or repeat one.
            "started_at": f"2026-{1 + index % 12:02d}-{1 + rng.randrange(3):02d}T10:00:00+00:00",
            "province": rng.choice(provinces),
            "outcome": rng.choice(outcomes),
            "created_by": rng.choice(owners),
        }
        rows.append(values)
        save_contact(
            store,
            contact(
                id=values["id"],
                started_at=values["started_at"],
                province=values["province"],
                outcome=values["outcome"],
            ),
            values["created_by"],
        )
    due_ids = {row["id"] for row in rows[::7]}
    for contact_id in due_ids:
        add_followup(store, f"f-{contact_id}", contact_id, "2026-11-01T00:00:00+00:00", None)
    found = tuple(row["id"] for row in rows[::5])
    for own, province, outcome, since, due, hits in itertools.product(
        (volunteer, None),
        ("QC", None),
        ("referred", None),
        ("2026-06-01T00:00:00+00:00", None),
        ("2026-12-01T00:00:00+00:00", None),
        (found, None),
    ):
        filters = HistoryFilter(own, province, outcome, since, due, hits)
        expected = sorted(
            (
                (row["started_at"], row["id"])
                for row in rows
                if (own is None or row["created_by"] == own)
                and (province is None or row["province"] == province)
                and (outcome is None or row["outcome"] == outcome)
                and (since is None or row["started_at"] >= since)
                and (due is None or row["id"] in due_ids)
                and (hits is None or row["id"] in hits)
            ),
            reverse=True,
        )
        shown: list[tuple[str, str]] = []
        after = None
        while True:
            page = history_page(store, after, 7, filters)
            shown += [(r.started_at, r.id) for r in page.rows]
            if page.next_key is None:
                break
            after = page.next_key
        assert shown == expected, filters


def test_a_volunteers_note_search_finds_exactly_their_matching_notes(
    store: Store, volunteer: str
) -> None:
    """Against a plain Python filter: their notes holding every word, newest first, limited."""
    rng = random.Random(15)
    with store.transaction() as conn:
        other = insert_account(conn, "Volunteer W", "volunteer", "x")
    vocabulary = ("garde", "nuit", "deuil", "stress", "plainte", "sommeil")
    notes: list[tuple[str, str, str, set[str]]] = []  # note id, contact id, creator, words
    for index in range(120):
        owner = rng.choice((volunteer, other))
        contact_id = f"c{index}"
        save_contact(store, contact(id=contact_id), owner)
        for number in range(rng.randrange(1, 3)):
            words = set(rng.sample(vocabulary, 3))
            note_id = f"n{index}-{number}"
            add_note(store, note_id, contact_id, " ".join(sorted(words)), owner)
            notes.append((note_id, contact_id, owner, words))
    for query, limit in (("garde", 500), ("nuit stress", 500), ("deuil", 7), ("absent", 500)):
        wanted = set(query.split())
        expected = [
            (contact_id, note_id)
            for note_id, contact_id, owner, words in reversed(notes)  # newest first
            if owner == volunteer and wanted <= words
        ][:limit]
        assert search_notes(store, query, limit, created_by=volunteer) == expected, query
