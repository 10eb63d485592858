"""The roster and the match workflow against a real encrypted store: consent, who may see the
requester's identity, audit of every view, refusals from the refusing side, retention and hold."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from intake.services.matching import accept, decline, is_overdue, rank_for
from intake.storage.db import Store
from intake.storage.errors import NotAllowed
from intake.storage.roster import (
    CoordinatorOnly,
    MatchNotOpen,
    NoConsent,
    add_request,
    close_request,
    first_contact,
    first_contacts_due,
    open_request,
    peer_leaves,
    propose,
    purge_matching,
    request_list,
    roster,
    save_peer,
    set_matching_hold,
)
from tests.matching.helpers import peer, request

WHEN = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # a Monday


def _audit(store: Store) -> list[tuple[str, str | None, str]]:
    return [tuple(r) for r in store.query("SELECT action, record, detail FROM audit ORDER BY seq")]


def test_the_whole_match_from_request_to_closure(store: Store, coordinator: str) -> None:
    own_site = peer(site="Surrey Memorial", department="Emergency")
    elsewhere = peer(site="Royal Columbian", organization="Fraser Division")
    for p in (own_site, elsewhere):
        assert save_peer(store, p, coordinator) == "created"
    assert save_peer(store, elsewhere, coordinator) == "unchanged"
    req = request(wants_outside=True)
    assert add_request(store, req, coordinator) == "created"
    assert add_request(store, req, coordinator) == "unchanged"

    ranking = rank_for(store, req)
    assert [c.peer.id for c in ranking.candidates] == [elsewhere.id]
    assert all(c.peer.name is None for c in ranking.candidates)  # ranking never reads names

    match_id = str(uuid.uuid4())
    propose(store, match_id, req.id, elsewhere.id, coordinator, when=WHEN)
    with pytest.raises(MatchNotOpen):  # one proposal at a time
        propose(store, str(uuid.uuid4()), req.id, own_site.id, coordinator, when=WHEN)
    due = accept(store, match_id, req.province, coordinator, WHEN)
    assert due == date(2026, 11, 26)  # Monday + 3 business days
    [item] = first_contacts_due(store)
    assert (item.match_id, item.due) == (match_id, "2026-11-26")
    assert is_overdue(item.due, None, date(2026, 11, 27))
    first_contact(store, match_id, coordinator, WHEN + timedelta(days=2))
    assert first_contacts_due(store) == []
    with pytest.raises(
        ValueError, match="unknown match outcome"
    ):  # only a coded outcome is kept (reports label it)
        close_request(store, req.id, "it went well", coordinator, WHEN + timedelta(days=30))
    close_request(store, req.id, "supported", coordinator, WHEN + timedelta(days=30))
    [row] = request_list(store, coordinator, include_closed=True)
    assert row.status == "closed"
    assert row.first_contact_at is not None
    assert [p.active for p in roster(store, coordinator) if p.id == elsewhere.id] == [0]


def test_a_declined_or_conflicted_peer_is_not_proposed_again(
    store: Store, coordinator: str
) -> None:
    first, second = peer(site="Nanaimo"), peer(site="Kelowna General")
    for p in (first, second):
        save_peer(store, p, coordinator)
    req = request()
    add_request(store, req, coordinator)
    match_id = str(uuid.uuid4())
    propose(store, match_id, req.id, first.id, coordinator, when=WHEN)
    decline(store, match_id, coordinator, WHEN, conflict=True)
    ranking = rank_for(store, req)
    assert [c.peer.id for c in ranking.candidates] == [second.id]
    assert [(e.peer_id, e.reason) for e in ranking.excluded] == [(first.id, "already-asked")]


def test_requests_from_a_call_or_kiosk_need_consent(store: Store, volunteer: str) -> None:
    with pytest.raises(NoConsent):
        add_request(store, request(source="phone", consent=False), volunteer)
    assert store.query("SELECT count(*) FROM match_requests")[0][0] == 0
    # With consent, a volunteer saves it from the call (no coordinator needed).
    assert add_request(store, request(source="phone"), volunteer) == "created"


def test_a_volunteer_cannot_manage_the_roster_or_list_requests(
    store: Store, volunteer: str, coordinator: str
) -> None:
    with pytest.raises(CoordinatorOnly):
        save_peer(store, peer(), volunteer)
    with pytest.raises(CoordinatorOnly):
        roster(store, volunteer)
    with pytest.raises(CoordinatorOnly):
        request_list(store, volunteer)
    with pytest.raises(CoordinatorOnly):
        add_request(store, request(source="coordinator"), volunteer)
    req = request(source="phone")
    add_request(store, req, volunteer)
    p = peer()
    save_peer(store, p, coordinator)
    with pytest.raises(CoordinatorOnly):
        propose(store, str(uuid.uuid4()), req.id, p.id, volunteer, when=WHEN)
    assert store.query("SELECT count(*) FROM peers")[0][0] == 1
    assert store.query("SELECT count(*) FROM matches")[0][0] == 0


def test_identity_only_for_coordinators_and_the_matched_peer_and_every_view_audited(
    store: Store, coordinator: str, volunteer: str
) -> None:
    # The peer supporter signs in with their own account (a volunteer account here: the
    # accounts table takes the new roles with the accounts work of issue 16).
    matched = peer(account_id=volunteer)
    save_peer(store, matched, coordinator)
    req = request()
    add_request(store, req, coordinator)

    seen = open_request(store, req.id, volunteer)
    assert (seen.requester_name, seen.requester_reach) == (None, None)
    assert seen.site == req.site  # the coded request is still there

    assert open_request(store, req.id, coordinator).requester_name == req.requester_name

    match_id = str(uuid.uuid4())
    propose(store, match_id, req.id, matched.id, coordinator, when=WHEN)
    assert open_request(store, req.id, volunteer).requester_name is None  # proposed only
    accept(store, match_id, "BC", coordinator, WHEN)
    assert open_request(store, req.id, volunteer).requester_reach == req.requester_reach
    first_contact(store, match_id, volunteer, WHEN)  # the matched peer records it

    views = [d for a, r, d in _audit(store) if a == "open" and r == req.id]
    assert views == [
        "match-request identity=0",
        "match-request identity=1",
        "match-request identity=0",
        "match-request identity=1",
    ]
    text = " ".join(" ".join(str(x) for x in row) for row in _audit(store))
    assert str(req.requester_name) not in text
    assert str(req.requester_reach) not in text
    assert str(matched.name) not in text


def test_another_peer_cannot_record_a_first_contact(
    store: Store, coordinator: str, volunteer: str
) -> None:
    p = peer()  # no account: someone else's match
    save_peer(store, p, coordinator)
    req = request()
    add_request(store, req, coordinator)
    match_id = str(uuid.uuid4())
    propose(store, match_id, req.id, p.id, coordinator, when=WHEN)
    accept(store, match_id, "BC", coordinator, WHEN)
    with pytest.raises(CoordinatorOnly):
        first_contact(store, match_id, volunteer, WHEN)
    assert len(first_contacts_due(store)) == 1


def test_retention_shreds_identifiers_of_closed_requests_and_departed_peers_except_held(
    store: Store, coordinator: str
) -> None:
    old, held, recent = request(), request(), request()
    for r in (old, held, recent):
        add_request(store, r, coordinator)
    close_request(store, old.id, "supported", coordinator, WHEN - timedelta(days=400))
    close_request(store, held.id, "supported", coordinator, WHEN - timedelta(days=400))
    close_request(store, recent.id, "supported", coordinator, WHEN - timedelta(days=10))
    set_matching_hold(store, "match_requests", held.id, True, coordinator)
    gone = peer()
    save_peer(store, gone, coordinator)
    peer_leaves(store, gone.id, coordinator, WHEN - timedelta(days=400))

    dry = purge_matching(store, WHEN, 365, coordinator, dry_run=True)
    assert (dry.requests_shredded, dry.peers_shredded, dry.held_skipped) == (1, 1, 1)
    assert (
        store.query("SELECT count(*) FROM match_requests WHERE requester_name IS NULL")[0][0] == 0
    )
    purge_matching(store, WHEN, 365, coordinator)
    names = dict(store.query("SELECT id, requester_name FROM match_requests"))
    assert names == {old.id: None, held.id: held.requester_name, recent.id: recent.requester_name}
    assert store.query("SELECT name FROM peers")[0][0] is None
    # The coded rows stay for the reports.
    assert store.query("SELECT count(*) FROM match_requests WHERE site = ?", (old.site,))[0][0] == 3


def test_only_a_supervisor_puts_a_request_on_hold(
    store: Store, coordinator: str, volunteer: str
) -> None:
    r = request()
    add_request(store, r, coordinator)
    with pytest.raises(NotAllowed):
        set_matching_hold(store, "match_requests", r.id, True, volunteer)
    assert store.query("SELECT on_hold FROM match_requests")[0][0] == 0


def test_an_edited_peer_is_audited_without_content(store: Store, coordinator: str) -> None:
    p = peer()
    save_peer(store, p, coordinator)
    assert save_peer(store, p._replace(capacity=3), coordinator) == "updated"
    assert [d for a, r, d in _audit(store) if r == p.id] == ["peer", "peer"]
