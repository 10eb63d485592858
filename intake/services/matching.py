"""Matching a physician who asks for support with a trained peer supporter.

What an experienced coordinator expects (from the BC initiative's description of local and
inter-site matching, not from this code):
- Someone who asked for a peer from outside their own site is never offered one from it: they
  asked because they are not comfortable being supported inside their own site or community.
  Inter-site matches may cross organizations within the province.
- A peer who declared a conflict (same department, a supervising relationship) with the
  requester's department is never offered, nor a peer who already declined or named a conflict
  for this request, nor one whose caseload is full or who is unavailable.
- Among the rest: someone who speaks the requester's language first, then who is comfortable
  with what the request is about, then closeness (same site or organization when local support
  is fine; same province when outside was asked), then spare capacity.
- The first contact is due three business days after the peer accepts (weekends and the
  requester's provincial holidays do not count); past that date it is overdue.

Ranking is a pure function of immutable values: the window and the property tests call the same
code; the store is read once per request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from intake.routing.holiday_dates import REGIONS, is_holiday
from intake.storage.db import Store
from intake.storage.roster import (
    PeerRecord,
    RequestRecord,
    answer,
    candidates_pool,
    excluded_for,
)

FIRST_CONTACT_BUSINESS_DAYS = 3

# Exclusion codes (the window translates them).
SAME_SITE = "same-site"
CONFLICT = "conflict"
ALREADY_ASKED = "already-asked"
FULL = "full"


@lru_cache(maxsize=8192)
def _key(text: str) -> str:
    """Site, department and organization names compared as typed, ignoring case and spacing
    (cached: a roster names a few hundred sites, compared thousands of times per ranking)."""
    return " ".join(text.casefold().split())


def same_site(peer: PeerRecord, request: RequestRecord) -> bool:
    return peer.province == request.province and _key(peer.site) == _key(request.site)


def has_conflict(peer: PeerRecord, request: RequestRecord) -> bool:
    """A declared conflict with the requester's department at their site (an empty declared
    department covers the whole site); and a peer is always in conflict with their own
    department at their own site."""
    return _Asked(request).conflict(peer)


class Candidate(NamedTuple):
    peer: PeerRecord
    reasons: tuple[str, ...]  # codes, best first: language, topic:<code>, same-site...
    score: tuple[int, ...]


@dataclass(frozen=True)
class Excluded:
    peer_id: str
    reason: str


@dataclass(frozen=True)
class Ranking:
    candidates: tuple[Candidate, ...]
    excluded: tuple[Excluded, ...]


class _Asked:
    """The request with its text keys normalised once (ranking compares them per peer)."""

    def __init__(self, request: RequestRecord) -> None:
        self.request = request
        self.site = _key(request.site)
        self.department = _key(request.department)
        self.organization = _key(request.organization)

    def same_site(self, peer: PeerRecord) -> bool:
        return peer.province == self.request.province and _key(peer.site) == self.site

    def conflict(self, peer: PeerRecord) -> bool:
        if self.department and self.same_site(peer) and _key(peer.department) == self.department:
            return True
        for conflict in peer.conflicts:
            if _key(conflict.site) != self.site:
                continue
            if not conflict.department or _key(conflict.department) == self.department:
                return True
        return False

    def exclusion(self, peer: PeerRecord, asked: frozenset[str]) -> str | None:
        if self.request.wants_outside and self.same_site(peer):
            return SAME_SITE
        if self.conflict(peer):
            return CONFLICT
        if peer.id in asked:
            return ALREADY_ASKED
        if not peer.available or peer.active >= peer.capacity:
            return FULL
        return None

    def candidate(self, peer: PeerRecord) -> Candidate:
        request = self.request
        speaks = request.language in peer.languages
        reasons = ["language" if speaks else "no-language"]
        shared = [t for t in request.topics if t in peer.topics]
        reasons.extend(f"topic:{t}" for t in shared)
        if request.wants_outside:
            locality = 2 if peer.province == request.province else 0
            reasons.append("other-site" if locality else "other-province")
        elif self.same_site(peer):
            locality = 3
            reasons.append("same-site")
        elif self.organization and _key(peer.organization) == self.organization:
            locality = 2
            reasons.append("same-organization")
        elif peer.province == request.province:
            locality = 1
            reasons.append("same-province")
        else:
            locality = 0
            reasons.append("other-province")
        fits_format = bool(request.format) and request.format in peer.formats
        if fits_format:
            reasons.append("format")
        spare = peer.capacity - peer.active
        reasons.append(f"spare:{spare}")
        return Candidate(
            peer, tuple(reasons), (int(speaks), len(shared), locality, int(fits_format), spare)
        )


def rank(
    request: RequestRecord, peers: Iterable[PeerRecord], asked: frozenset[str] = frozenset()
) -> Ranking:
    """Candidates best first, and every peer left out with the reason why."""
    wanted = _Asked(request)
    candidates: list[Candidate] = []
    excluded: list[Excluded] = []
    for peer in peers:
        reason = wanted.exclusion(peer, asked)
        if reason is None:
            candidates.append(wanted.candidate(peer))
        else:
            excluded.append(Excluded(peer.id, reason))
    candidates.sort(key=lambda c: c.peer.id)
    candidates.sort(key=lambda c: c.score, reverse=True)  # stable: ties stay in id order
    return Ranking(tuple(candidates), tuple(excluded))


def rank_for(store: Store, request: RequestRecord) -> Ranking:
    """Rank the current roster for a stored request."""
    return rank(request, candidates_pool(store), excluded_for(store, request.id))


def add_business_days(start: date, days: int, province: str) -> date:
    """`days` business days after `start`: weekends and the province's holidays skipped."""
    region = province if province in REGIONS else "CA"
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and not is_holiday(region, day):
            left -= 1
    return day


def first_contact_due(accepted: date, province: str) -> date:
    return add_business_days(accepted, FIRST_CONTACT_BUSINESS_DAYS, province)


def is_overdue(due: str | None, first_contact_at: str | None, today: date) -> bool:
    return due is not None and first_contact_at is None and date.fromisoformat(due) < today


def accept(store: Store, match_id: str, province: str, actor: str | None, when: datetime) -> date:
    """Record the peer's acceptance; returns the first-contact due date."""
    due = first_contact_due(when.date(), province)
    answer(store, match_id, "accepted", actor, when=when, first_contact_due=due)
    return due


def decline(
    store: Store, match_id: str, actor: str | None, when: datetime, *, conflict: bool = False
) -> None:
    answer(
        store,
        match_id,
        "conflict" if conflict else "declined",
        actor,
        when=when,
        first_contact_due=None,
    )
