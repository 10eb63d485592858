"""A peer supporter's own matches (issue 17): only their own, with the requester's identity,
every view audited; first contact and closure recorded by them; refused to anyone else."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from intake.pins import hash_pin
from intake.services import matching
from intake.storage.account_store import insert_account
from intake.storage.db import Store
from tests.conftest import PIN
from tests.matching.helpers import peer, request

WHEN = datetime(2026, 4, 6, 15, 0, tzinfo=UTC)


def _account(store: Store, name: str, role: str) -> str:
    with store.transaction() as conn:
        return insert_account(conn, name, role, hash_pin(PIN))


def _matched(store: Store, coordinator: str, peer_account: str | None) -> tuple[str, str]:
    """A request matched with a peer linked to `peer_account`; (request id, match id)."""
    supporter = peer(account_id=peer_account)
    matching.save_peer(store, supporter, coordinator)
    asked = request(requester_name=f"Dr Requester {uuid.uuid4().hex[:4]}")
    matching.add_request(store, asked, coordinator)
    match_id = str(uuid.uuid4())
    matching.propose(store, match_id, asked.id, supporter.id, coordinator, when=WHEN)
    matching.accept(store, match_id, "BC", coordinator, WHEN)
    return asked.id, match_id


def _audited(store: Store, actor: str) -> list[tuple[str, str]]:
    return [
        (str(r[0]), str(r[1]))
        for r in store.query(
            "SELECT record, detail FROM audit WHERE actor = ? AND action = 'open'", (actor,)
        )
    ]


def test_a_peer_sees_only_their_own_matches_with_the_identity_and_each_view_is_audited(
    store: Store, coordinator: str
) -> None:
    mine = _account(store, "Dr Mine Peer", "peer-supporter")
    other = _account(store, "Dr Other Peer", "peer-supporter")
    my_request, _ = _matched(store, coordinator, mine)
    their_request, _ = _matched(store, coordinator, other)
    seen = matching.own_matches(store, mine)
    assert [m.request.id for m in seen] == [my_request]
    assert seen[0].request.requester_name is not None
    assert seen[0].request.requester_reach == "+16045550123"
    assert seen[0].first_contact_due is not None
    assert (my_request, "match-request identity=1 own-match") in _audited(store, mine)
    assert their_request not in {record for record, _ in _audited(store, mine)}
    # A second look is audited again.
    matching.own_matches(store, mine)
    assert _audited(store, mine).count((my_request, "match-request identity=1 own-match")) == 2


def test_the_peer_records_first_contact_and_closure_of_their_own_match_only(
    store: Store, coordinator: str
) -> None:
    mine = _account(store, "Dr Mine Peer", "peer-supporter")
    other = _account(store, "Dr Other Peer", "peer-supporter")
    my_request, my_match = _matched(store, coordinator, mine)
    their_request, their_match = _matched(store, coordinator, other)
    with pytest.raises(matching.CoordinatorOnly):
        matching.record_first_contact(store, their_match, mine, WHEN)
    with pytest.raises(matching.CoordinatorOnly):
        matching.close(store, their_request, "supported", mine, WHEN)
    matching.record_first_contact(store, my_match, mine, WHEN)
    matching.close(store, my_request, "supported", mine, WHEN)
    (seen,) = matching.own_matches(store, mine)
    assert seen.first_contact_at is not None
    assert seen.closed_at is not None
    assert store.query(
        "SELECT status, outcome FROM match_requests WHERE id = ?", (my_request,)
    ) == [("closed", "supported")]
    assert store.query("SELECT status FROM match_requests WHERE id = ?", (their_request,)) == [
        ("matched",)
    ]


def test_a_coordinator_sees_on_this_page_only_matches_of_their_own(
    store: Store, coordinator: str
) -> None:
    peer_account = _account(store, "Dr Mine Peer", "peer-supporter")
    _matched(store, coordinator, peer_account)
    assert matching.own_matches(store, coordinator) == []  # the matching page is theirs
    mine, _ = _matched(store, coordinator, coordinator)  # a coordinator on the roster too
    assert [m.request.id for m in matching.own_matches(store, coordinator)] == [mine]


@pytest.mark.parametrize("role", ["volunteer", "kiosk"])
def test_anyone_else_is_refused_and_sees_nothing(store: Store, coordinator: str, role: str) -> None:
    someone = _account(store, "Robin Someone", role)
    peer_account = _account(store, "Dr Mine Peer", "peer-supporter")
    request_id, match_id = _matched(store, coordinator, peer_account)
    with pytest.raises(matching.PeersOnly):
        matching.own_matches(store, someone)
    with pytest.raises(matching.CoordinatorOnly):
        matching.record_first_contact(store, match_id, someone, WHEN)
    with pytest.raises(matching.CoordinatorOnly):
        matching.close(store, request_id, "supported", someone, WHEN)
    with pytest.raises(matching.CoordinatorOnly):
        matching.request_list(store, someone)
    # Their attempts revealed nothing: no identity was read for them.
    assert not [d for _, d in _audited(store, someone) if "identity=1" in d]


def test_a_request_from_a_call_or_the_kiosk_needs_consent_and_a_site(
    store: Store, volunteer: str
) -> None:
    ask = matching.PeerAsk(consent=False, site="Civic", language="fr")
    with pytest.raises(matching.NoConsent):
        matching.request_peer(
            store,
            "r1",
            "phone",
            ask,
            province="ON",
            role=None,
            contact_id=None,
            actor=volunteer,
            when=WHEN,
        )
    with pytest.raises(matching.SiteMissing):
        matching.request_peer(
            store,
            "r1",
            "phone",
            matching.PeerAsk(consent=True, site="  "),
            province="ON",
            role=None,
            contact_id=None,
            actor=volunteer,
            when=WHEN,
        )
    with pytest.raises(matching.ProvinceMissing):
        matching.request_peer(
            store,
            "r1",
            "kiosk",
            matching.PeerAsk(consent=True, site="Civic"),
            province=None,
            role=None,
            contact_id=None,
            actor=volunteer,
            when=WHEN,
        )
    assert store.query("SELECT count(*) FROM match_requests") == [(0,)]
    ok = matching.PeerAsk(consent=True, site="Civic", language="fr", wants_outside=True)
    for _attempt in range(2):  # a retried save adds nothing
        matching.request_peer(
            store,
            "r1",
            "kiosk",
            ok,
            province="ON",
            role="resident",
            contact_id=None,
            actor=volunteer,
            when=WHEN,
        )
    assert store.query(
        "SELECT source, site, language, wants_outside, requester_name FROM match_requests"
    ) == [("kiosk", "Civic", "fr", 1, None)]
