# One store only (the shared server): row-level security's column grants.
"""What a volunteer's or a peer supporter's own login may change, column by column, and what a
disabled account may still do on the shared store (issue 18, the review's reproductions).

From the refusing side, against the real throwaway server: a volunteer who holds a worklist item
cannot point it (nor a callback, nor a follow-up) at another person to read that person's sealed
number; a peer supporter cannot point their accepted match at another request, nor add a match,
to read that request's sealed name and reach; a disabled account gets no role on the server while
its window is still open. Their own work still goes through, from their own login."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest

from intake.pins import hash_pin
from intake.services import accounts as console
from intake.services import history, matching, worklist
from intake.storage.errors import NotAllowed
from intake.storage.pg import schema, security, work_security
from intake.storage.pg.store import PgStore, create_shared_store, open_shared_store
from intake.storage.roster import CoordinatorOnly
from tests.conftest import PASSPHRASE, PIN, SUPERVISOR
from tests.matching.helpers import peer
from tests.storage.conftest import make_shared_store
from tests.storage.helpers import contact
from tests.storage.test_roster_row_security import Line as RosterLine
from tests.storage.test_roster_row_security import _line as _roster_line
from tests.storage.test_roster_row_security import _matched
from tests.storage.test_row_security_worklist import (
    NUMBER,
    Line,
    _call_with_callback,
    _close,
    _make_line,
    _work_the_item,
)

WHEN = datetime(2026, 4, 6, 15, 0, tzinfo=UTC)


def _refused(station: PgStore, statement: str, params: Any) -> None:
    """The server refuses the write outright (no right to it), whatever the policies say."""
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        station.query(statement + " RETURNING 1", params)


@pytest.fixture
def line(pg_dsn: str) -> Iterator[Line]:
    """A new store, row security on, each person with their own login (as the worklist's)."""
    made = _make_line(pg_dsn, make_shared_store(pg_dsn), security.STATEMENTS)
    try:
        yield made
    finally:
        _close(made, pg_dsn)


# Its policies and grants as they were before the fixes (`roster_security`'s first statements).
_BEFORE_FIXES = [
    "GRANT SELECT, INSERT, UPDATE ON peers, match_requests, matches TO intake_volunteer",
    "DROP POLICY IF EXISTS matches_own_change ON matches",
    "DROP POLICY IF EXISTS requests_of_own_matches_change ON match_requests",
    "DROP POLICY matches_own ON matches",
    """CREATE POLICY matches_own ON matches
        USING (peer_id IN (SELECT id FROM peers WHERE account_id = intake_me()))
        WITH CHECK (peer_id IN (SELECT id FROM peers WHERE account_id = intake_me()))""",
    "DROP POLICY requests_of_own_matches ON match_requests",
    """CREATE POLICY requests_of_own_matches ON match_requests
        USING (id IN (SELECT request_id FROM matches WHERE answer = 'accepted'))
        WITH CHECK (id IN (SELECT request_id FROM matches WHERE answer = 'accepted'))""",
]


@pytest.fixture(params=["new-store", "fixed-by-the-step"])
def roster_line(request: pytest.FixtureRequest, pg_dsn: str) -> Iterator[RosterLine]:
    """The roster's line, row security on at this version; or on as it was before the fixes
    (the grants and policies then), and then the schema step `SECURITY_FIXES` run by the owner."""
    for made in _roster_line(pg_dsn, None):
        if request.param == "fixed-by-the-step":
            with psycopg.connect(pg_dsn, autocommit=True) as admin, admin.transaction():
                for statement in [*_BEFORE_FIXES, *schema.SECURITY_FIXES]:
                    admin.execute(statement)
        yield made


def _hold_own_item(line: Line, who: str) -> tuple[str, str]:
    """`who` took a call with a callback and claims its item: (contact id, item id)."""
    contact_id, item = _call_with_callback(line, who)
    worklist.claim(line.stations[who], item, line.accounts[who])
    return contact_id, item


def _refused_to_repoint(line: Line, victim_contact: str, item: str) -> None:
    """Bruno, holding `item`, tries every way the grants once let him lead it, or its callback
    or follow-up rows, to `victim_contact`: each refused by the server, nothing changed."""
    bruno, bruno_id = line.stations["bruno"], line.accounts["bruno"]
    for statement in (
        "UPDATE work_items SET contact_id = %(victim)s WHERE id = %(item)s",
        "UPDATE work_items SET kind = 'followup' WHERE id = %(item)s",
        "UPDATE work_items SET id = 'forged' WHERE id = %(item)s",
        "UPDATE callbacks SET contact_id = %(victim)s WHERE id = %(item)s",
        "UPDATE callbacks SET claimed_by = %(me)s WHERE id = %(item)s",
        "UPDATE followups SET contact_id = %(victim)s",
        "UPDATE followups SET claimed_by = %(me)s",
        # A callback or follow-up of someone else's contact, "claimed" by hand at its insert.
        "INSERT INTO callbacks (id, contact_id, created_at, claimed_by) "
        "VALUES ('forged', %(victim)s, 'x', %(me)s)",
        "INSERT INTO followups (id, contact_id, due_at, created_at, claimed_by) "
        "VALUES ('forged', %(victim)s, 'x', 'x', %(me)s)",
    ):
        _refused(bruno, statement, {"victim": victim_contact, "item": item, "me": bruno_id})
    assert (
        bruno.query("SELECT number FROM callbacks WHERE contact_id = %s", (victim_contact,)) == []
    )
    assert line.owner.query("SELECT contact_id, kind FROM work_items WHERE id = %s", (item,)) != [
        (victim_contact, "followup")
    ]
    assert line.owner.query("SELECT count(*) FROM callbacks WHERE id = 'forged'") == [(0,)]


def test_a_volunteer_cannot_point_a_held_item_at_another_callers_number(line: Line) -> None:
    victim_contact, victim_item = _hold_own_item(line, "alice")
    _own_contact, item = _hold_own_item(line, "bruno")
    # The victim's contact id is no secret (the audit log every login reads names it).
    bruno = line.stations["bruno"]
    assert any(r[0] == victim_contact for r in bruno.query("SELECT record FROM audit"))
    _refused_to_repoint(line, victim_contact, item)
    assert line.owner.query("SELECT contact_id FROM work_items WHERE id = %s", (item,)) == [
        (_own_contact,)
    ]
    assert line.owner.query("SELECT claimed_by FROM work_items WHERE id = %s", (victim_item,)) == [
        (line.accounts["alice"],)
    ]


def test_the_holder_of_anothers_item_still_works_it_and_changes_nothing_else(line: Line) -> None:
    """Bruno holds the item of Alice's call: he reschedules, releases, claims again, records an
    attempt, reads the number and closes it (the columns his work writes), and cannot lead the
    item, its callback or Alice's follow-up anywhere else."""
    item = _work_the_item(line)
    bruno, bruno_id = line.stations["bruno"], line.accounts["bruno"]
    alice_contact = line.owner.query("SELECT contact_id FROM work_items WHERE id = %s", (item,))
    followup = str(uuid.uuid4())
    line.stations["alice"].add_followup(
        followup, alice_contact[0][0], "2026-11-30T14:00:00+00:00", line.accounts["alice"]
    )
    carol_contact, _carol_item = _call_with_callback(line, "carol")
    _refused_to_repoint(line, carol_contact, item)
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1, hours=2)
    worklist.reschedule(bruno, item, bruno_id, due)
    worklist.release(bruno, item, bruno_id)
    worklist.claim(bruno, item, bruno_id)
    worklist.record_attempt(bruno, item, bruno_id, "reached")
    assert worklist.reveal_number(bruno, item, bruno_id) == NUMBER
    worklist.close(bruno, item, bruno_id, "helped")
    assert line.owner.query(
        "SELECT w.status, w.contact_id, c.number IS NULL FROM work_items w "
        "JOIN callbacks c ON c.id = w.id WHERE w.id = %s",
        (item,),
    ) == [("done", alice_contact[0][0], False)]  # Alice's follow-up is still owed: kept
    assert line.owner.verify_audit() == []


def test_a_store_whose_row_security_was_on_before_gets_the_column_grants_at_its_owners_open(
    pg_dsn: str,
) -> None:
    """Row security switched on at the version before the fixes' step (the full grants then):
    once the owner has opened it (the step ran), a held item can no longer be pointed elsewhere,
    and the worklist still works."""
    before = [s for s in security.STATEMENTS if s not in work_security.VOLUNTEER_COLUMNS]
    owner = create_shared_store(
        pg_dsn,
        PASSPHRASE,
        initialize=lambda w: w.q("SELECT 1"),
        version=schema.STEPS.index(schema.SECURITY_FIXES) + 1,
    )
    owner.add_account(SUPERVISOR, "supervisor", hash_pin(PIN))
    made = _make_line(pg_dsn, owner, before, open_stations=False)
    try:
        made.owner.close()
        made.owner = open_shared_store(pg_dsn, PASSPHRASE)  # the owner's open runs the step
        made.open_stations(pg_dsn)
        victim_contact, _ = _hold_own_item(made, "alice")
        _own, item = _hold_own_item(made, "bruno")
        _refused_to_repoint(made, victim_contact, item)
        worklist.close(made.stations["bruno"], item, made.accounts["bruno"], "helped")
    finally:
        _close(made, pg_dsn)


# -- a peer supporter's own matches -----------------------------------------------------------


def test_a_peer_cannot_point_their_match_at_another_request(roster_line: RosterLine) -> None:
    _mine_peer, mine_request, mine_match = _matched(roster_line, "mine")
    _, other_request, _ = _matched(roster_line, "other")
    station, me = roster_line.stations["mine"], roster_line.accounts["mine"]
    for statement in (
        "UPDATE matches SET request_id = %(other)s WHERE id = %(mine)s",
        "UPDATE matches SET peer_id = 'forged' WHERE id = %(mine)s",
        "UPDATE matches SET answer = 'accepted' WHERE id = %(mine)s",
        "UPDATE match_requests SET requester_name = NULL WHERE id = %(request)s",
    ):
        _refused(
            station,
            statement,
            {"other": other_request, "mine": mine_match, "request": mine_request},
        )
    assert station.query("SELECT id FROM match_requests WHERE id = %s", (other_request,)) == []
    assert roster_line.owner.query(
        "SELECT request_id FROM matches WHERE id = %s", (mine_match,)
    ) == [(mine_request,)]
    # Their own steps still go through.
    matching.record_first_contact(station, mine_match, me, WHEN)
    matching.close(station, mine_request, "supported", me, WHEN)
    assert [m.closed_at for m in matching.own_matches(station, me)] == [WHEN.isoformat()]


def test_a_peer_cannot_add_a_match_or_a_roster_entry(roster_line: RosterLine) -> None:
    mine_peer, _mine_request, _ = _matched(roster_line, "mine")
    _, other_request, _ = _matched(roster_line, "other")
    station, me = roster_line.stations["mine"], roster_line.accounts["mine"]
    _refused(
        station,
        "INSERT INTO matches (id, request_id, peer_id, proposed_at, answer) "
        "VALUES ('forged', %s, %s, 'x', 'accepted')",
        (other_request, mine_peer),
    )
    _refused(
        station,
        "INSERT INTO peers (id, account_id, province, created_at) VALUES ('forged', %s, 'QC', 'x')",
        (me,),
    )
    assert (
        station.query(
            "SELECT id, requester_reach FROM match_requests WHERE id = %s", (other_request,)
        )
        == []
    )
    assert roster_line.owner.query("SELECT count(*) FROM matches WHERE id = 'forged'") == [(0,)]


# -- a disabled account ----------------------------------------------------------------------


@pytest.fixture
def shared(pg_dsn: str) -> Iterator[PgStore]:
    store = make_shared_store(pg_dsn)
    try:
        yield store
    finally:
        store.close()


def test_a_disabled_coordinator_manages_no_roster_and_reveals_no_number(shared: PgStore) -> None:
    sup = shared.list_accounts()[0].id
    coord = shared.add_account("Coco", "coordinator", hash_pin("739105"))
    record = contact()
    shared.save_contact(record, sup)
    shared.add_callback(
        f"cb-{record.id}",
        record.id,
        number=NUMBER,
        best_time="2026-11-23T18:30:00-05:00",
        time_zone="America/Montreal",
        actor=sup,
    )
    # Before: the coordinator may (the refusal below is the disabling's, nothing else).
    assert history.reveal_number(shared, record.id, coord) == NUMBER
    assert shared.account_role(coord) == "coordinator"
    console.set_disabled(shared, sup, coord, True)
    with pytest.raises(CoordinatorOnly):
        matching.save_peer(shared, peer(name="Dr Z"), coord)
    with pytest.raises(CoordinatorOnly):
        matching.roster(shared, coord)
    with pytest.raises(NotAllowed):
        history.reveal_number(shared, record.id, coord)
    assert shared.account_role(coord) is None
    assert shared.query("SELECT count(*) FROM peers") == [(0,)]


def test_a_disabled_supervisor_sets_no_hold(shared: PgStore) -> None:
    sup = shared.list_accounts()[0].id
    other = shared.add_account("Sam", "supervisor", hash_pin("739105"))
    record = contact()
    shared.save_contact(record, sup)
    console.hold_record(shared, other, record.id, True)
    console.set_disabled(shared, sup, other, True)
    with pytest.raises(NotAllowed):
        console.hold_record(shared, other, record.id, False)
    assert shared.on_hold(record.id)


def test_a_disabled_coordinators_own_login_is_refused_while_its_window_is_open(
    roster_line: RosterLine,
) -> None:
    station, coco = roster_line.stations["coco"], roster_line.accounts["coco"]
    assert matching.roster(station, coco) == []
    # Disabled in the console (at the owner's station: the console's part of the per-person
    # logins is another's work), while the coordinator's own window stays open.
    console.set_disabled(roster_line.owner, roster_line.accounts["sup"], coco, True)
    with pytest.raises(CoordinatorOnly):
        matching.roster(station, coco)
    with pytest.raises(CoordinatorOnly):
        matching.save_peer(station, peer(name="Dr Z"), coco)
