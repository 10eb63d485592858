"""Ranking: the hard rules hold for any roster (property tests), and the order follows what a
coordinator would choose."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from intake.services.matching import (
    CONFLICT,
    FULL,
    SAME_SITE,
    add_business_days,
    first_contact_due,
    has_conflict,
    is_overdue,
    rank,
    same_site,
)
from intake.storage.roster import Conflict, PeerRecord, RequestRecord
from tests.matching.helpers import peer, request

SITES = ("Surrey Memorial", "surrey  memorial", "Royal Columbian", "Kelowna General", "Nanaimo")
DEPARTMENTS = ("", "Emergency", "Surgery", "Family Practice")

conflicts = st.builds(
    Conflict,
    kind=st.sampled_from(("same-department", "supervises")),
    site=st.sampled_from(SITES),
    department=st.sampled_from(DEPARTMENTS),
)
peers = st.builds(
    PeerRecord,
    id=st.uuids().map(str),
    name=st.none(),
    province=st.sampled_from(("BC", "AB")),
    organization=st.sampled_from(("Fraser Division", "Interior MSA", "")),
    site=st.sampled_from(SITES),
    department=st.sampled_from(DEPARTMENTS),
    languages=st.sampled_from((("en",), ("fr",), ("en", "fr"))),
    topics=st.lists(st.sampled_from(("grief", "adverse-outcome", "complaint")), max_size=3).map(
        tuple
    ),
    conflicts=st.lists(conflicts, max_size=3).map(tuple),
    capacity=st.integers(0, 3),
    available=st.booleans(),
    active=st.integers(0, 3),
)
requests = st.builds(
    RequestRecord,
    id=st.just("r"),
    source=st.just("coordinator"),
    province=st.sampled_from(("BC", "AB")),
    site=st.sampled_from(SITES),
    department=st.sampled_from(DEPARTMENTS),
    language=st.sampled_from(("en", "fr")),
    consent=st.just(True),
    wants_outside=st.booleans(),
    topics=st.lists(st.sampled_from(("grief", "adverse-outcome")), max_size=2).map(tuple),
)


@settings(max_examples=300, deadline=None)
@given(requests, st.lists(peers, max_size=30))
def test_never_a_same_site_peer_when_outside_was_asked_nor_a_declared_conflict(
    req: RequestRecord, roster: list[PeerRecord]
) -> None:
    ranking = rank(req, roster)
    for candidate in ranking.candidates:
        assert not (req.wants_outside and same_site(candidate.peer, req))
        assert not has_conflict(candidate.peer, req)
        assert candidate.peer.active < candidate.peer.capacity
        assert candidate.peer.available
        for conflict in candidate.peer.conflicts:
            site_matches = " ".join(conflict.site.casefold().split()) == " ".join(
                req.site.casefold().split()
            )
            assert not (
                site_matches
                and (
                    not conflict.department
                    or conflict.department.casefold() == req.department.casefold()
                )
            )
    # Nobody is lost: every peer is either a candidate or excluded with a reason.
    assert len(ranking.candidates) + len(ranking.excluded) == len(roster)


def test_outside_request_excludes_the_own_site_whatever_its_spelling() -> None:
    own = peer(site="surrey   MEMORIAL", department="Psychiatry")
    other = peer(site="Royal Columbian", department="Psychiatry")
    ranking = rank(request(wants_outside=True), [own, other])
    assert [c.peer.id for c in ranking.candidates] == [other.id]
    assert [(e.peer_id, e.reason) for e in ranking.excluded] == [(own.id, SAME_SITE)]


def test_declared_conflicts_and_own_department_are_excluded() -> None:
    supervisor = peer(
        site="Kelowna General",
        conflicts=(Conflict("supervises", "Surrey Memorial", "Surgery"),),
    )
    whole_site = peer(site="Nanaimo", conflicts=(Conflict("same-department", "Surrey Memorial"),))
    colleague = peer(site="Surrey Memorial", department="Surgery")
    fine = peer(site="Surrey Memorial", department="Emergency")
    ranking = rank(request(), [supervisor, whole_site, colleague, fine])
    assert [c.peer.id for c in ranking.candidates] == [fine.id]
    assert {e.reason for e in ranking.excluded} == {CONFLICT}


def test_full_caseload_and_unavailable_are_left_out() -> None:
    full = peer(capacity=1, active=1)
    away = peer(available=False)
    ranking = rank(request(), [full, away])
    assert not ranking.candidates
    assert {e.reason for e in ranking.excluded} == {FULL}


def test_language_then_topic_then_closeness_then_spare_capacity() -> None:
    req = request(language="fr", topics=("grief",), site="Surrey Memorial")
    english_same_site = peer(languages=("en",), topics=("grief",))
    french_other_province = peer(province="AB", site="Foothills", languages=("fr",))
    french_grief_far = peer(province="AB", site="Foothills", languages=("fr",), topics=("grief",))
    french_grief_local = peer(languages=("en", "fr"), topics=("grief",), capacity=1)
    french_grief_local_roomy = peer(languages=("fr",), topics=("grief",), capacity=4)
    ranking = rank(
        req,
        [
            english_same_site,
            french_other_province,
            french_grief_far,
            french_grief_local,
            french_grief_local_roomy,
        ],
    )
    assert [c.peer.id for c in ranking.candidates] == [
        french_grief_local_roomy.id,
        french_grief_local.id,
        french_grief_far.id,
        french_other_province.id,
        english_same_site.id,
    ]
    assert ranking.candidates[0].reasons[:3] == ("language", "topic:grief", "same-site")
    assert "no-language" in ranking.candidates[-1].reasons


def test_inter_site_prefers_the_same_province_across_organizations() -> None:
    req = request(wants_outside=True)
    other_org_same_province = peer(organization="Interior MSA", site="Kelowna General")
    other_province = peer(province="AB", organization="Fraser Division", site="Foothills")
    ranking = rank(req, [other_province, other_org_same_province])
    assert [c.peer.id for c in ranking.candidates] == [
        other_org_same_province.id,
        other_province.id,
    ]
    assert "other-site" in ranking.candidates[0].reasons


def test_first_contact_is_three_business_days_skipping_weekends_and_holidays() -> None:
    assert add_business_days(date(2026, 11, 26), 3, "BC") == date(2026, 12, 1)  # Thu -> Tue
    # Accepted Wednesday 23 December: Thursday 24 counts; Christmas (Friday 25) and the
    # weekend do not, nor Monday 28 (the holiday observed for Boxing Day, Saturday 26);
    # Tuesday 29 and Wednesday 30 do.
    assert first_contact_due(date(2026, 12, 23), "BC") == date(2026, 12, 30)


def test_overdue_only_past_the_due_date_without_a_first_contact() -> None:
    assert is_overdue("2026-12-01", None, date(2026, 12, 2))
    assert not is_overdue("2026-12-01", None, date(2026, 12, 1))
    assert not is_overdue("2026-12-01", "2026-12-03T10:00:00+00:00", date(2026, 12, 5))
    assert not is_overdue(None, None, date(2026, 12, 5))
