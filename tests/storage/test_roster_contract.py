"""The roster, match requests and matches: the same tests against both stores (`any_store`).

Coordinators manage the roster and the requests, the matched peer sees their own match with the
requester's identity and may record the first contact and close it, a volunteer is refused
everything but adding a request from a call; every step and every view audited. On the shared
server: names, ways to reach and typed free text sealed (no plaintext in its rows), and two
coordinators answering or closing the same request at once: one wins, the other is told."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime

import psycopg
import pytest

from intake import vocabulary
from intake.services import matching, worklist
from intake.storage import roster
from intake.storage.errors import NotAllowed
from intake.storage.interface import RecordStore
from intake.storage.pg import schema
from intake.storage.pg.store import PgStore, open_shared_store
from intake.storage.records import RecordMissing
from tests.conftest import PASSPHRASE
from tests.matching.helpers import Conflict, peer, request
from tests.storage.conftest import make_shared_store

WHEN = datetime(2026, 4, 6, 15, 0, tzinfo=UTC)


def account(store: RecordStore, name: str, role: str) -> str:
    return store.add_account(name, role, "x")


def _opened(store: RecordStore, actor: str) -> list[tuple[str | None, str]]:
    return [
        (record, detail)
        for action, who, record, detail in store.audit_trail()
        if action == "open" and who == actor
    ]


def _matched(store: RecordStore, coordinator: str, peer_account: str | None) -> tuple[str, str]:
    supporter = peer(account_id=peer_account, name=f"Dr Peer {uuid.uuid4().hex[:4]}")
    assert matching.save_peer(store, supporter, coordinator) == "created"
    asked = request(requester_name=f"Dr Requester {uuid.uuid4().hex[:4]}")
    assert matching.add_request(store, asked, coordinator) == "created"
    match_id = str(uuid.uuid4())
    assert matching.propose(store, match_id, asked.id, supporter.id, coordinator, when=WHEN) == (
        "created"
    )
    matching.accept(store, match_id, "BC", coordinator, WHEN)
    return asked.id, match_id


def test_a_coordinator_keeps_the_roster_with_each_peers_load(
    any_store: RecordStore, any_actor: str
) -> None:
    coordinator = account(any_store, "Coco", "coordinator")
    one = peer(
        name="Dr Rosa Lind",
        site="Royal Columbian",
        conflicts=(Conflict("supervises", "Royal Columbian", "ICU"),),
        languages=("en", "fr"),
    )
    assert matching.save_peer(any_store, one, coordinator) == "created"
    assert matching.save_peer(any_store, one, coordinator) == "unchanged"
    assert matching.save_peer(any_store, one._replace(capacity=3), coordinator) == "updated"
    listed = matching.roster(any_store, any_actor)  # a supervisor coordinates too
    assert [(p.id, p.name, p.site, p.conflicts, p.capacity) for p in listed] == [
        (one.id, "Dr Rosa Lind", "Royal Columbian", one.conflicts, 3)
    ]
    assert listed[0].languages == ("en", "fr")
    assert listed[0].trained_by == "PHP BC"
    # Ranking's pool: no names, the current load counted.
    asked = request()
    matching.add_request(any_store, asked, coordinator)
    matching.propose(any_store, "m-load", asked.id, one.id, coordinator, when=WHEN)
    matching.accept(any_store, "m-load", "BC", coordinator, WHEN)
    pool = roster.candidates_pool(any_store)
    assert [(p.id, p.name, p.active, p.site) for p in pool] == [(one.id, None, 1, one.site)]
    ranked = matching.rank_for(any_store, request())
    assert [c.peer.id for c in ranked.candidates] == [one.id]
    assert (None, "roster peers=1") in _opened(any_store, any_actor)


def test_a_volunteer_is_refused_the_roster_and_the_requests(
    any_store: RecordStore, any_actor: str
) -> None:
    volunteer = account(any_store, "Vi", "volunteer")
    with pytest.raises(roster.CoordinatorOnly):
        matching.save_peer(any_store, peer(), volunteer)
    with pytest.raises(roster.CoordinatorOnly):
        matching.roster(any_store, volunteer)
    with pytest.raises(roster.CoordinatorOnly):
        matching.request_list(any_store, volunteer)
    with pytest.raises(roster.CoordinatorOnly):
        matching.add_request(any_store, request(source="coordinator"), volunteer)
    with pytest.raises(roster.CoordinatorOnly):
        worklist.first_contacts(any_store, volunteer, date(2026, 4, 6))
    with pytest.raises(roster.PeersOnly):
        matching.own_matches(any_store, volunteer)
    assert matching.roster(any_store, any_actor) == []  # nothing was saved


def test_a_request_from_a_call_needs_consent_and_is_saved_once(
    any_store: RecordStore, any_actor: str
) -> None:
    volunteer = account(any_store, "Vi", "volunteer")
    ask = matching.PeerAsk(consent=True, site="  Kelowna General ", name="Dr Ana", reach="250")
    made = [
        matching.request_peer(
            any_store,
            "req-call",
            "phone",
            ask,
            province="BC",
            role="resident",
            contact_id=None,
            actor=volunteer,
            when=WHEN,
        )
        for _ in range(2)
    ]
    assert made == ["created", "unchanged"]
    with pytest.raises(roster.NoConsent):
        matching.request_peer(
            any_store,
            "req-no",
            "phone",
            matching.PeerAsk(consent=False, site="x"),
            province="BC",
            role=None,
            contact_id=None,
            actor=volunteer,
            when=WHEN,
        )
    rows = matching.request_list(any_store, any_actor)
    assert [(r.id, r.site, r.source, r.status) for r in rows] == [
        ("req-call", "Kelowna General", "phone", "open")
    ]
    # The identity: the coordinator sees it, a volunteer who opens the request does not.
    full = matching.open_request(any_store, "req-call", any_actor)
    assert (full.requester_name, full.requester_reach, full.role) == ("Dr Ana", "250", "resident")
    coded = matching.open_request(any_store, "req-call", volunteer)
    assert (coded.requester_name, coded.requester_reach, coded.site) == (
        None,
        None,
        "Kelowna General",
    )
    assert ("req-call", "match-request identity=0") in _opened(any_store, volunteer)
    with pytest.raises(RecordMissing):
        matching.open_request(any_store, "no-such", any_actor)


def test_propose_accept_first_contact_and_close_as_the_peer(
    any_store: RecordStore, any_actor: str
) -> None:
    coordinator = account(any_store, "Coco", "coordinator")
    mine = account(any_store, "Dr Mine", "peer-supporter")
    other = account(any_store, "Dr Other", "peer-supporter")
    my_request, my_match = _matched(any_store, coordinator, mine)
    their_request, _ = _matched(any_store, coordinator, other)
    rows = {r.id: r for r in matching.request_list(any_store, coordinator)}
    assert rows[my_request].status == "matched"
    assert rows[my_request].first_contact_due
    # The first contact is owed: on the coordinators' worklist, and the peer's own.
    owed = worklist.first_contacts(any_store, coordinator, date(2026, 4, 6))
    assert {w.item.request_id for w in owed} == {my_request, their_request}
    assert all(w.item.peer_name and w.item.peer_name.startswith("Dr Peer ") for w in owed)
    assert {w.item.site for w in owed} == {"Surrey Memorial"}
    assert [w.item.request_id for w in worklist.first_contacts(any_store, mine, WHEN.date())] == [
        my_request
    ]
    seen = matching.own_matches(any_store, mine)
    assert [m.request.id for m in seen] == [my_request]
    assert seen[0].request.requester_reach == "+16045550123"
    assert seen[0].first_contact_due == "2026-04-09"  # three business days (BC)
    assert (my_request, "match-request identity=1 own-match") in _opened(any_store, mine)
    # The peer opens their own request with its identity; not the other peer's.
    assert matching.open_request(any_store, my_request, mine).requester_name is not None
    assert matching.open_request(any_store, their_request, mine).requester_name is None
    with pytest.raises(roster.CoordinatorOnly):
        matching.record_first_contact(any_store, my_match, other, WHEN)
    worklist.record_first_contact(any_store, my_match, mine, WHEN)
    with pytest.raises(roster.MatchNotOpen):
        matching.record_first_contact(any_store, my_match, mine, WHEN)
    assert my_request not in {
        w.item.request_id for w in worklist.first_contacts(any_store, coordinator, WHEN.date())
    }
    with pytest.raises(roster.CoordinatorOnly):
        matching.close(any_store, my_request, "supported", other, WHEN)
    matching.close(any_store, my_request, "supported", mine, WHEN)
    with pytest.raises(roster.MatchNotOpen):
        matching.close(any_store, my_request, "supported", coordinator, WHEN)
    with pytest.raises(ValueError, match="outcome"):
        matching.close(any_store, their_request, "cured", coordinator, WHEN)
    assert [m.closed_at for m in matching.own_matches(any_store, mine)] == [WHEN.isoformat()]
    assert my_request not in {r.id for r in matching.request_list(any_store, coordinator)}
    assert matching.live_match(any_store, their_request) is not None


def test_a_decline_opens_the_request_again_and_leaves_that_peer_out(
    any_store: RecordStore, any_actor: str
) -> None:
    first, second = peer(), peer(site="Royal Inland")
    for p in (first, second):
        matching.save_peer(any_store, p, any_actor)
    asked = request()
    matching.add_request(any_store, asked, any_actor)
    matching.propose(any_store, "m1", asked.id, first.id, any_actor, when=WHEN)
    with pytest.raises(roster.MatchNotOpen):  # one proposal at a time
        matching.propose(any_store, "m2", asked.id, second.id, any_actor, when=WHEN)
    matching.decline(any_store, "m1", any_actor, WHEN, conflict=True)
    with pytest.raises(roster.MatchNotOpen):
        matching.accept(any_store, "m1", "BC", any_actor, WHEN)
    assert roster.excluded_for(any_store, asked.id) == frozenset({first.id})
    assert [r.status for r in matching.request_list(any_store, any_actor)] == ["open"]
    ranked = matching.rank_for(any_store, matching.open_request(any_store, asked.id, any_actor))
    assert [c.peer.id for c in ranked.candidates] == [second.id]
    assert [m.answer for m in roster.matches_for(any_store, asked.id)] == ["conflict"]


def test_retention_shreds_closed_requests_and_departed_peers_not_held_ones(
    any_store: RecordStore, any_actor: str
) -> None:
    old, held = request(), request()
    for asked in (old, held):
        matching.add_request(any_store, asked, any_actor)
        matching.close(any_store, asked.id, "no-contact", any_actor, WHEN)
    roster.set_matching_hold(any_store, "match_requests", held.id, True, any_actor)
    gone = peer()
    matching.save_peer(any_store, gone, any_actor)
    roster.peer_leaves(any_store, gone.id, any_actor, WHEN)
    later = datetime(2027, 6, 1, tzinfo=UTC)
    report = roster.purge_matching(any_store, later, 30, any_actor)
    assert (report.requests_shredded, report.peers_shredded, report.held_skipped) == (1, 1, 1)
    assert matching.open_request(any_store, old.id, any_actor).requester_name is None
    assert matching.open_request(any_store, held.id, any_actor).requester_name is not None
    volunteer = account(any_store, "Vi", "volunteer")
    with pytest.raises(NotAllowed):
        roster.set_matching_hold(any_store, "peers", gone.id, True, volunteer)


# --- the shared server only ---------------------------------------------------------------------


def test_the_servers_checks_allow_every_match_outcome_of_the_vocabulary() -> None:
    """A match outcome added to the vocabulary needs a step that lets the server keep it."""
    assert set(vocabulary.MATCH_OUTCOMES) <= set(schema.OUTCOMES_OF_DAY)


# One store only: what the server holds in clear (the whole file is encrypted).
def test_the_server_keeps_no_name_site_or_number_in_clear(pg_dsn: str) -> None:
    store = make_shared_store(pg_dsn)
    try:
        boss = store.list_accounts()[0].id
        matching.save_peer(
            store,
            peer(name="Dr Sentinelpeer", site="Sentinelsite", department="Sentineldept"),
            boss,
        )
        matching.add_request(
            store,
            request(
                requester_name="Dr Sentinelname",
                requester_reach="+16045559876",
                site="Sentinelsite",
                organization="Sentinelorg",
            ),
            boss,
        )
        dump = []
        with psycopg.connect(pg_dsn) as conn:
            for table in ("peers", "match_requests", "matches", "audit"):
                for row in conn.execute(f"SELECT * FROM {table}").fetchall():
                    dump.append(repr(row))
            # A value outside the vocabulary is refused by the server itself.
            with pytest.raises(psycopg.errors.CheckViolation):
                conn.execute("UPDATE match_requests SET outcome = 'cured'")
        text = "\n".join(dump)
        for sentinel in ("Sentinel", "9876", "Surrey"):
            assert sentinel not in text
        assert "'BC'" in text  # coded values stay in clear, for the reports
    finally:
        store.close()


def _waiting_for_lock(dsn: str) -> bool:
    with psycopg.connect(dsn) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        ).fetchone()
    return bool(row and row[0])


def _race(
    dsn: str, first: PgStore, holds: Callable[[PgStore], None], second: Callable[[], None]
) -> BaseException | None:
    """`holds` runs in a transaction of `first` kept open until `second` (another station) is
    waiting for the same row; then `first` commits. What `second` raised, if anything."""
    caught: list[BaseException] = []

    def run() -> None:
        try:
            second()
        except BaseException as exc:  # handed back to the test
            caught.append(exc)

    with first.writing() as w:
        holds(first)  # the row locked and changed in this still-open transaction
        racer = threading.Thread(target=run)
        racer.start()
        for _ in range(600):
            if _waiting_for_lock(dsn):
                break
            threading.Event().wait(0.05)
        else:
            pytest.fail("the second station never waited for the row")
        assert w is not None
    racer.join(timeout=60)
    return caught[0] if caught else None


# One store only: two stations racing on the server (the file has one station at a time).
def test_two_coordinators_answering_the_same_proposal_at_once_one_wins(pg_dsn: str) -> None:
    owner = make_shared_store(pg_dsn)
    a = open_shared_store(pg_dsn, PASSPHRASE)
    b = open_shared_store(pg_dsn, PASSPHRASE)
    try:
        one, two = account(owner, "Coco", "coordinator"), account(owner, "Cy", "coordinator")
        supporter, asked = peer(), request()
        matching.save_peer(owner, supporter, one)
        matching.add_request(owner, asked, one)
        matching.propose(owner, "m-race", asked.id, supporter.id, one, when=WHEN)

        def accept_inside(store: PgStore) -> None:
            # What `answer` does, inside the held transaction: lock, check, write.
            with store.writing() as w:  # re-entrant: the same connection's transaction
                row = w.q(
                    "SELECT request_id FROM matches WHERE id = 'm-race' AND answer IS NULL "
                    "FOR UPDATE"
                ).fetchone()
                assert row is not None
                w.q("UPDATE matches SET answer = 'accepted' WHERE id = 'm-race'")

        refused = _race(
            pg_dsn,
            a,
            accept_inside,
            lambda: matching.decline(b, "m-race", two, WHEN),
        )
        assert isinstance(refused, roster.MatchNotOpen)
        assert [m.answer for m in roster.matches_for(owner, asked.id)] == ["accepted"]

        # And through the service on both sides, many times: exactly one answer recorded.
        for n in range(5):
            asked = request()
            matching.add_request(owner, asked, one)
            match_id = f"m-{n}"
            matching.propose(owner, match_id, asked.id, supporter.id, one, when=WHEN)
            outcomes: list[str] = []
            start = threading.Barrier(2)

            def answer(
                store: PgStore,
                actor: str,
                mid: str = match_id,
                start: threading.Barrier = start,
                outcomes: list[str] = outcomes,
            ) -> None:
                start.wait()
                try:
                    matching.accept(store, mid, "BC", actor, WHEN)
                    outcomes.append("won")
                except roster.MatchNotOpen:
                    outcomes.append("refused")

            threads = [
                threading.Thread(target=answer, args=(s, x)) for s, x in ((a, one), (b, two))
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=60)
            assert sorted(outcomes) == ["refused", "won"]
    finally:
        for s in (a, b, owner):
            s.close()


# One store only: two stations racing on the server (the file has one station at a time).
def test_two_coordinators_closing_the_same_request_at_once_one_wins(pg_dsn: str) -> None:
    owner = make_shared_store(pg_dsn)
    a = open_shared_store(pg_dsn, PASSPHRASE)
    b = open_shared_store(pg_dsn, PASSPHRASE)
    try:
        one, two = account(owner, "Coco", "coordinator"), account(owner, "Cy", "coordinator")
        asked = request()
        matching.add_request(owner, asked, one)

        def close_inside(store: PgStore) -> None:
            with store.writing() as w:
                w.q("SELECT 1 FROM match_requests WHERE id = %s FOR UPDATE", (asked.id,))
                w.q(
                    "UPDATE match_requests SET status = 'closed', outcome = 'supported', "
                    "closed_at = %s WHERE id = %s",
                    (WHEN.isoformat(), asked.id),
                )

        refused = _race(
            pg_dsn,
            a,
            close_inside,
            lambda: matching.close(b, asked.id, "no-contact", two, WHEN),
        )
        assert isinstance(refused, roster.MatchNotOpen)
        with psycopg.connect(pg_dsn) as conn:
            row = conn.execute(
                "SELECT status, outcome FROM match_requests WHERE id = %s", (asked.id,)
            ).fetchone()
        assert row == ("closed", "supported")
    finally:
        for s in (a, b, owner):
            s.close()
