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
from operator import itemgetter
from typing import NamedTuple

from intake.i18n import N_
from intake.routing.holiday_dates import REGIONS, is_holiday
from intake.storage import feedback as _feedback
from intake.storage import roster as _roster
from intake.storage.account_store import list_accounts
from intake.storage.db import Store
from intake.storage.errors import MAX_NAME_LENGTH, NameTooLong, StoreError
from intake.storage.interface import RecordStore
from intake.storage.roster import (
    Conflict,
    CoordinatorOnly,
    MatchNotOpen,
    MatchRecord,
    NoConsent,
    OwnMatch,
    PeerRecord,
    PeersOnly,
    RequestRecord,
    RequestRow,
    answer,
    candidates_pool,
    excluded_for,
)

# The matching window reaches the store only through this module (import-linter): the records
# it shows and the refusals it explains are re-exported here.
__all__ = [
    "AnyStore",
    "Conflict",
    "CoordinatorOnly",
    "MatchNotOpen",
    "MatchRecord",
    "NoConsent",
    "OwnMatch",
    "PeerAsk",
    "PeerRecord",
    "PeersOnly",
    "ProvinceMissing",
    "RequestRecord",
    "RequestRow",
    "SiteMissing",
    "Store",
    "StoreError",
]

# What the matching windows hold and hand back: the file, or the shared server.
AnyStore = Store | RecordStore

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
    """Candidates best first, and every peer left out with the reason why.

    The same rules as `_Asked.exclusion` and `_Asked.candidate` (which the property tests call
    one peer at a time), in one loop with the request's values held in locals: this runs over
    the whole roster each time a request is opened (2,000 peers: goal 50 ms)."""
    key = _key
    province = request.province
    site = key(request.site)
    department = key(request.department)
    organization = key(request.organization)
    outside = request.wants_outside
    language = request.language
    topics = request.topics
    topic_reasons = {t: f"topic:{t}" for t in topics}
    fmt = request.format
    scored: list[tuple[int, str, PeerRecord, tuple[str, ...], tuple[int, ...]]] = []
    excluded: list[Excluded] = []
    for peer in peers:
        same = peer.province == province and key(peer.site) == site
        if outside and same:
            excluded.append(Excluded(peer.id, SAME_SITE))
            continue
        if (department and same and key(peer.department) == department) or (
            peer.conflicts and _declared(peer.conflicts, site, department)
        ):
            excluded.append(Excluded(peer.id, CONFLICT))
            continue
        if peer.id in asked:
            excluded.append(Excluded(peer.id, ALREADY_ASKED))
            continue
        spare = peer.capacity - peer.active
        if not peer.available or spare <= 0:
            excluded.append(Excluded(peer.id, FULL))
            continue
        speaks = language in peer.languages
        shared = [topic_reasons[t] for t in topics if t in peer.topics] if topics else []
        locality, where = _closeness(peer, same, outside, province, organization)
        fits = bool(fmt) and fmt in peer.formats
        reasons = (
            "language" if speaks else "no-language",
            *shared,
            where,
            *(("format",) if fits else ()),
            f"spare:{spare}",
        )
        score = (int(speaks), len(shared), locality, int(fits), spare)
        # The score as one integer for sorting (each part is small and bounded): comparing
        # tuples per pair was a fifth of the ranking's time.
        packed = (((score[0] * 64 + score[1]) * 8 + locality) * 2 + score[3]) * 4096 + min(
            spare, 4095
        )
        scored.append((packed, peer.id, peer, reasons, score))
    # Best score first; ties in id order (stable sorts, C-level keys).
    scored.sort(key=_ID)
    scored.sort(key=_PACKED, reverse=True)
    make = tuple.__new__  # what NamedTuple._make does, without its Python-level call
    candidates = tuple(
        make(Candidate, (peer, reasons, score)) for _p, _id, peer, reasons, score in scored
    )
    return Ranking(candidates, tuple(excluded))


def _declared(conflicts: tuple[Conflict, ...], site: str, department: str) -> bool:
    """A declared conflict with this department (or the whole site) at the requester's site."""
    for declared in conflicts:
        if _key(declared.site) == site and (
            not declared.department or _key(declared.department) == department
        ):
            return True
    return False


def _closeness(
    peer: PeerRecord, same: bool, outside: bool, province: str, organization: str
) -> tuple[int, str]:
    """How close the peer is, as a score part and its reason code."""
    if outside:
        return (2, "other-site") if peer.province == province else (0, "other-province")
    if same:
        return 3, "same-site"
    if organization and _key(peer.organization) == organization:
        return 2, "same-organization"
    if peer.province == province:
        return 1, "same-province"
    return 0, "other-province"


_PACKED = itemgetter(0)
_ID = itemgetter(1)


def rank_for(store: Store | RecordStore, request: RequestRecord) -> Ranking:
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


def accept(
    store: Store | RecordStore, match_id: str, province: str, actor: str | None, when: datetime
) -> date:
    """Record the peer's acceptance; returns the first-contact due date."""
    due = first_contact_due(when.date(), province)
    answer(store, match_id, "accepted", actor, when=when, first_contact_due=due)
    return due


def decline(
    store: Store | RecordStore,
    match_id: str,
    actor: str | None,
    when: datetime,
    *,
    conflict: bool = False,
) -> None:
    answer(
        store,
        match_id,
        "conflict" if conflict else "declined",
        actor,
        when=when,
        first_contact_due=None,
    )


# --- what the windows call (one transaction each, audited in the store) ------------------------


def request_list(store: Store | RecordStore, actor: str | None) -> list[RequestRow]:
    return _roster.request_list(store, actor)


def open_request(store: Store | RecordStore, request_id: str, actor: str | None) -> RequestRecord:
    return _roster.open_request(store, request_id, actor)


def live_match(store: Store | RecordStore, request_id: str) -> MatchRecord | None:
    """The request's current match: proposed and unanswered, or accepted."""
    live = [m for m in _roster.matches_for(store, request_id) if m.answer in (None, "accepted")]
    return live[-1] if live else None


def roster_names(store: Store | RecordStore, actor: str | None) -> dict[str, str | None]:
    """The roster's names by peer id (coordinators only; the roster's view is audited)."""
    return {p.id: p.name for p in _roster.roster(store, actor)}


def roster(store: Store | RecordStore, actor: str | None) -> list[PeerRecord]:
    return _roster.roster(store, actor)


def save_peer(store: Store | RecordStore, peer: PeerRecord, actor: str | None) -> str:
    return _roster.save_peer(store, peer, actor)


def peer_accounts(store: Store | RecordStore) -> list[tuple[str, str]]:
    """(display name, account id) of the peer-supporter accounts a roster entry may be linked
    to, so that the peer sees their own matches."""
    accounts = list_accounts(store) if isinstance(store, Store) else store.list_accounts()
    return [(a.display_name, a.id) for a in accounts if a.role.value == "peer-supporter"]


def add_request(store: Store | RecordStore, request: RequestRecord, actor: str | None) -> str:
    return _roster.add_request(store, request, actor)


def propose(
    store: Store | RecordStore,
    match_id: str,
    request_id: str,
    peer_id: str,
    actor: str | None,
    *,
    when: datetime,
) -> str:
    return _roster.propose(store, match_id, request_id, peer_id, actor, when=when)


def record_first_contact(
    store: Store | RecordStore, match_id: str, actor: str | None, when: datetime
) -> None:
    """The coordinator or the matched peer records that the peer reached the requester."""
    _roster.first_contact(store, match_id, actor, when)


def close(
    store: Store | RecordStore, request_id: str, outcome: str, actor: str | None, when: datetime
) -> None:
    """Close a request with a coded outcome (a coordinator, or the peer who accepted it)."""
    _roster.close_request(store, request_id, outcome, actor, when)


def save_closure_survey(
    store: Store | RecordStore,
    answer_id: str,
    *,
    day: date,
    language: str,
    helpful: int | None,
    recommend: bool | None,
) -> str:
    return _feedback.save_survey(
        store,
        answer_id,
        day=day,
        channel="closure",
        language=language,
        helpful=helpful,
        recommend=recommend,
    )


def own_matches(store: Store | RecordStore, actor: str | None) -> list[OwnMatch]:
    """A peer supporter's own matches with the requester's identity (each one audited)."""
    return _roster.own_matches(store, actor)


# --- a request from a call or a kiosk visit ----------------------------------------------------


class SiteMissing(StoreError):
    title = N_("The site is missing")
    advice = N_("Type the requester's site or community: the coordinator matches from it.")


class ProvinceMissing(StoreError):
    title = N_("The province or territory is missing")
    advice = N_("Choose where the requester practises: matching starts from it.")


@dataclass(frozen=True)
class PeerAsk:
    """What a person asked for at the end of a call or a kiosk visit: a trained peer supporter.

    `consent` is their explicit yes to the request being passed to the program's coordinator
    (default no: nothing is saved without it). `name` and `reach` are how the coordinator and
    the matched peer can reach them; at the kiosk they stay empty unless the visitor gives them.
    """

    consent: bool = False
    site: str = ""
    wants_outside: bool = False
    language: str = "en"
    format: str | None = None
    topics: tuple[str, ...] = ()
    name: str | None = None
    reach: str | None = None


def peer_request(
    request_id: str,
    source: str,
    ask: PeerAsk,
    *,
    province: str | None,
    role: str | None,
    contact_id: str | None,
    when: datetime,
) -> RequestRecord:
    """The match request a call or a kiosk visit gives rise to, checked before anything is
    written: refused without the person's consent (NoConsent), a province (ProvinceMissing)
    or a site (SiteMissing), or a name or way to reach over its limit (NameTooLong)."""
    if source not in ("phone", "kiosk"):
        raise ValueError(f"a request from a call or the kiosk, not {source!r}")
    if not ask.consent:
        raise NoConsent()
    if not province:
        raise ProvinceMissing()
    if not ask.site.strip():
        raise SiteMissing()
    for text in (ask.name, ask.reach):  # as the request's own write checks them, but first
        if text is not None and len(text) > MAX_NAME_LENGTH:
            raise NameTooLong()
    return RequestRecord(
        id=request_id,
        source=source,
        province=province,
        site=ask.site.strip(),
        language=ask.language if ask.language in ("en", "fr") else "en",
        consent=True,
        wants_outside=ask.wants_outside,
        role=role,
        format=ask.format or None,
        topics=ask.topics,
        contact_id=contact_id,
        requester_name=(ask.name or "").strip() or None,
        requester_reach=(ask.reach or "").strip() or None,
        created_at=when.isoformat(timespec="seconds"),
    )


def request_peer(
    store: Store | RecordStore,
    request_id: str,
    source: str,
    ask: PeerAsk,
    *,
    province: str | None,
    role: str | None,
    contact_id: str | None,
    actor: str | None,
    when: datetime,
) -> str:
    """Save the match request a call or a kiosk visit gave rise to; "created" or "unchanged"
    (the id derives from the contact's, so a retried save adds nothing). Refused without the
    person's consent (NoConsent) or without a site (SiteMissing): nothing is saved then."""
    record = peer_request(
        request_id, source, ask, province=province, role=role, contact_id=contact_id, when=when
    )
    return _roster.add_request(store, record, actor)
