"""The routing engine: plain Python, no I/O, deterministic for a given request and directory.

The policy is a volunteer's reasoning, in ordered tiers (docs/routing.md says it in plain words):
1. Eligibility: region, role (unknown eligibility is shown to confirm, never hidden), programs
   for a group the caller did not ask for, topic-only programs, unconfirmed listings and
   regulatory bodies are left out, each with a reason.
2. Safety first: high or imminent risk switches to the crisis route (emergency services or
   9-8-8 first, then the 24/7 lines). At "concern", 9-8-8 is second.
3. Otherwise, by tier: programs for a group the caller asked for (Indigenous, Veterans, young
   people); then, when none of the caller's own province's programs is open now, the 24/7 lines
   that serve the caller; the own province's or territory's programs; national programs for the
   caller's group (students...); national programs; crisis-only lines (at concern);
   information. A topic-specific program the topic calls for (a complaint: the CMPA) comes
   right after the first.
4. Within a tier: doubtful programs last, then programs that do not offer the format or channel
   asked for, then those with no verified way to reach them, then those closed now, then those
   whose eligibility is to be confirmed; then how well the kind fits the help wanted.
5. At the point of referral, warnings say only what changes what the volunteer says or does: the
   number, the hours, who is eligible, whether it still runs. Never on 9-1-1 or 9-8-8.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from itertools import islice
from typing import Any, Literal

from intake.directory.model import Contact, Hours, Program, Provenance
from intake.provinces import ALL, CODES, PROVINCES
from intake.routing.holiday_dates import is_holiday
from intake.timezones import zone
from intake.vocabulary import NEEDS, RISKS, TOPICS

Need = Literal["peer", "counselling", "mentorship", "coaching", "information"]
STALE_AFTER = timedelta(days=365)
NINE_EIGHT_EIGHT = "ca-988"

# How well each kind of program fits each kind of help wanted (the program's main kind first,
# then what it also offers at a discount). Used only to order programs within a tier.
_FIT: dict[str, dict[str, int]] = {
    "peer": {
        "peer-support": 100,
        "support-line": 60,
        "health-program": 50,
        "counselling": 40,
        "mentorship": 35,
        "coaching": 30,
        "information": 5,
        "crisis-line": 5,
    },
    "counselling": {
        "counselling": 100,
        "health-program": 90,
        "support-line": 60,
        "peer-support": 40,
        "coaching": 30,
        "mentorship": 20,
        "information": 5,
        "crisis-line": 5,
    },
    "mentorship": {
        "mentorship": 100,
        "peer-support": 50,
        "coaching": 45,
        "health-program": 30,
        "support-line": 25,
        "counselling": 20,
        "information": 5,
        "crisis-line": 5,
    },
    "coaching": {
        "coaching": 100,
        "mentorship": 50,
        "health-program": 45,
        "peer-support": 40,
        "counselling": 30,
        "support-line": 25,
        "information": 5,
        "crisis-line": 5,
    },
    "information": {
        "information": 100,
        "health-program": 60,
        "peer-support": 50,
        "counselling": 40,
        "support-line": 40,
        "mentorship": 30,
        "coaching": 30,
        "crisis-line": 5,
    },
}
_KIND_REASON = {
    "peer-support": "peer-support",
    "support-line": "support-line",
    "counselling": "counselling",
    "mentorship": "mentorship",
    "coaching": "coaching",
    "health-program": "health-program",
    "information": "information",
}
# Kinds that support a person (as opposed to crisis-only lines, emergency and information).
SUPPORT_KINDS = frozenset(
    {"peer-support", "support-line", "counselling", "mentorship", "coaching", "health-program"}
)
_LINE_KINDS = SUPPORT_KINDS | {"crisis-line"}
# Roles that are physicians at some stage: a program for physicians may serve them too, which is
# "confirm eligibility", not "no", unless the program lists them.
_PHYSICIAN_STAGES = frozenset({"resident", "student", "retired"})
# Facts whose doubt changes what the volunteer says or does at the point of referral; the rest
# (name, cost, format, languages) stays in the directory browser.
_REFERRAL_FACTS = ("eligibility", "hours")

# Tiers, in order. Gaps leave room; lower comes first.
TIER_GROUP = 10  # programs for a group the caller asked for (Indigenous, Veterans, young people)
TIER_ANY_HOUR = 15  # 24/7 lines that serve the caller, when nothing of their own is open now
TIER_OWN = 20  # the caller's own province's or territory's programs
TIER_ROLE = 30  # national programs for the caller's group (medical students...)
TIER_NATIONAL = 40  # national programs
TIER_CRISIS = 50  # crisis-only lines, from "concern" on
TIER_INFO = 60  # general information


# An eligible program with what the eligibility split knows: its tier and reasons.
_Entry = tuple[Program, int, tuple[str, ...]]
# The full rows' sort key, flat: crisis rank, tier, doubt, format/channel/language mismatch, no
# verified contact, closed now, eligibility to confirm, -score, id.
_Key = tuple[int, int, bool, bool, bool, bool, bool, int, str]


@dataclass(frozen=True, slots=True)
class _PreparedSplit:
    items: tuple[_Prepared, ...]
    # The unpinned items' key parts, flat: rank, tier, doubt, languages missing, no verified
    # contact, unconfirmed, id, shape, promotable, index in `items`.
    plain: tuple[tuple[Any, ...], ...]
    pinned: tuple[int, ...]  # indexes in `items`
    own_hours: tuple[Hours, ...]  # of the caller's own province's programs


@dataclass(frozen=True, slots=True)
class _Prepared:
    """An eligible program with the parts of its sort key that one eligibility split fixes."""

    entry: _Entry
    rank: int
    tier: int
    doubt: bool
    unconfirmed: bool
    no_verified_contact: bool
    language_missing: tuple[bool, bool]  # a verified list of languages without (en, fr)
    shape: int  # programs with the same format, channels, community and languages share it
    promotable: bool  # to the 24/7 tier when nothing of the caller's own is open
    pinned: bool  # 9-8-8 at "concern", or a program the topic calls for
    any_hour_line: bool


class RoutingInputError(ValueError):
    pass


@dataclass(frozen=True)
class Request:
    province: str
    at: datetime
    role: str = "physician"
    language: str = "en"
    need: Need = "peer"
    modes: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()
    outside_community: bool = False
    indigenous: bool = False
    veteran: bool = False
    about_colleague: bool = False
    risk: str = "none"
    # The call is about a physician in the caller's family.
    about_family: bool = False
    # The caller is young, or is calling about a young person.
    young: bool = False
    topics: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.province not in PROVINCES:
            raise RoutingInputError(f"unknown province or territory: {self.province!r}")
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise RoutingInputError("the time must carry a time zone")
        if self.risk not in RISKS:
            raise RoutingInputError(f"unknown risk tier: {self.risk!r}")
        if self.need not in NEEDS:
            raise RoutingInputError(f"unknown kind of help: {self.need!r}")
        if self.language not in ("en", "fr"):
            raise RoutingInputError(f"unsupported language: {self.language!r}")
        unknown = self.topics - set(TOPICS)
        if unknown:
            raise RoutingInputError(f"unknown topic: {sorted(unknown)[0]!r}")

    @property
    def about_someone(self) -> bool:
        return self.about_colleague or self.about_family


@dataclass(frozen=True)
class Recommendation:
    program: Program
    reasons: tuple[str, ...]
    open_now: bool | None
    next_open: datetime | None  # in the caller's local time
    contacts: tuple[Contact, ...]
    warnings: tuple[str, ...]
    alternative: str | None = None  # a 24/7 option when this one is closed
    score: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Exclusion:
    id: str
    reason: str


@dataclass(frozen=True)
class Result:
    crisis: bool
    risk: str
    recommendations: tuple[Recommendation, ...]
    excluded: tuple[Exclusion, ...]


def _contact_order(contact: Contact) -> tuple[int, int]:
    by_type = {"voice": 0, "text": 1, "tty": 2, "chat": 3, "email": 4, "web": 5}
    unverified = contact.provenance.status == "unverified"
    return (unverified, by_type[contact.type] - ("toll-free" in contact.tags))


def _public_service(program: Program) -> bool:
    """Emergency services and 9-8-8: public facts, never hedged at the point of referral."""
    return program.kind == "emergency" or program.id == NINE_EIGHT_EIGHT


def may_not_run(program: Program) -> bool:
    """Whether the program is shown as one that may no longer run (the "may-not-run" warning),
    in the call and in the directory browser alike: never emergency services or 9-8-8."""
    return program.doubt is not None and not _public_service(program)


def _office_hours(program: Program, local: datetime) -> bool:
    """Whether a program whose hours are unknown may be answering: a working day, 8:00-18:00."""
    return (
        local.weekday() < 5
        and time(8) <= local.time() < time(18)
        and not is_holiday(program.hours.region, local.date())
    )


class Router:
    """Holds the directory with its indexes; `route()` answers one request."""

    # With `limit`, below this many eligible programs the full route cut to `limit` is quicker
    # than ranking on the cheap key (measured: tests/bench/bench_routing.py).
    first_only_above = 150

    def __init__(self, programs: Iterable[Program]) -> None:
        self.programs = tuple(programs)
        self._by_id = {p.id: p for p in self.programs}
        self._serving: dict[str, tuple[Program, ...]] = {}
        self._outside: dict[str, tuple[Exclusion, ...]] = {}
        for code in CODES:
            serving = tuple(p for p in self.programs if code in p.provinces or ALL in p.provinces)
            served = {p.id for p in serving}  # ids: comparing whole programs is quadratic
            self._serving[code] = serving
            self._outside[code] = tuple(
                Exclusion(p.id, "not-available-here" if p.kind == "emergency" else "outside-region")
                for p in self.programs
                if p.id not in served
            )
        self._static_warnings = {p.id: self._fact_warnings(p) for p in self.programs}
        self._oldest_check = {
            p.id: min(
                (prov.checked for _w, _s, prov, _p in self._static_warnings[p.id]),
                default=date.max,
            )
            for p in self.programs
        }
        self._warning_cache: dict[tuple[str, str, str], tuple[str, ...]] = {}
        self._regional_contacts = {
            p.id: any(c.provinces for c in p.contacts) for p in self.programs
        }
        self._splits: dict[
            tuple[object, ...], tuple[tuple[_Entry, ...], tuple[Exclusion, ...]]
        ] = {}
        self._fits = {need: {p.id: self._fit(p, need) for p in self.programs} for need in NEEDS}
        # Emergency cards keep the directory's order: what to dial first is curated there.
        self._contacts = {
            p.id: p.contacts
            if p.kind == "emergency"
            else tuple(sorted(p.contacts, key=_contact_order))
            for p in self.programs
        }
        self._shapes = {
            p.id: (*p.formats.value, p.outside_community, p.languages.value) for p in self.programs
        }
        shape_numbers: dict[tuple[object, ...], int] = {}
        self._shape_ids = {
            pid: shape_numbers.setdefault(shape, len(shape_numbers))
            for pid, shape in self._shapes.items()
        }
        self._shape_programs: dict[int, Program] = {}
        for p in self.programs:
            self._shape_programs.setdefault(self._shape_ids[p.id], p)
        self._prepared_splits: dict[int, tuple[tuple[_Entry, ...], _PreparedSplit]] = {}

    @staticmethod
    def _fact_warnings(
        program: Program,
    ) -> tuple[tuple[str | None, str, Provenance, frozenset[str]], ...]:
        """Per referral-relevant fact: its warning (None when verified), its stale warning, its
        provenance, and the provinces it applies to (empty = all). Built once; route() filters.
        Emergency services and 9-8-8 get none: their name, cost and eligibility are public."""
        if _public_service(program):
            return ()
        found = []
        for name, provenance in program.facts().items():
            label, provinces = name, frozenset[str]()
            if name.startswith("contacts["):
                contact = program.contacts[int(name[9:-1])]
                label, provinces = f"contact={contact.display_en}", contact.provinces
            elif name not in _REFERRAL_FACTS:
                continue
            warning = None if provenance.status == "verified" else f"{provenance.status}:{label}"
            found.append((warning, f"stale:{label}", provenance, provinces))
        return tuple(found)

    def get(self, program_id: str) -> Program | None:
        return self._by_id.get(program_id)

    # -- eligibility ----------------------------------------------------------------------
    @staticmethod
    def _exclusion(program: Program, request: Request) -> str | None:
        if program.listing == "hide-until-verified":
            return "unverified-listing"
        if program.kind == "regulatory":
            return "regulatory-not-peer-support"
        if "indigenous" in program.audience and not request.indigenous:
            return "indigenous-specific"
        if "veterans" in program.audience and not request.veteran:
            return "veterans-specific"
        if "youth" in program.audience and not request.young:
            return "youth-only"
        if request.risk in ("none", "concern") and program.kind == "emergency":
            return "emergency-only"
        if request.risk == "none" and program.kind == "crisis-line":
            return "crisis-only"
        if program.topics and not program.topics & request.topics:
            return "topic-not-raised"
        roles = program.roles
        if "anyone" in roles or request.role in roles:
            return None
        if request.about_someone and roles & {"physician", "worried"}:
            return None  # for the physician the caller worries about, or for worried people
        if request.about_family and "family" in roles:
            return None
        if request.role in _PHYSICIAN_STAGES and "physician" in roles:
            return None  # unknown eligibility is not "no": shown, to confirm
        return "role-not-served"

    @staticmethod
    def _unconfirmed(program: Program, request: Request) -> bool:
        """Shown although the program does not say it serves the caller's role."""
        roles = program.roles
        if "anyone" in roles or request.role in roles or request.about_someone:
            return False
        return request.role in _PHYSICIAN_STAGES

    def _tier(self, program: Program, request: Request) -> int:
        if program.audience and (
            ("indigenous" in program.audience and request.indigenous)
            or ("veterans" in program.audience and request.veteran)
            or ("youth" in program.audience and request.young)
        ):
            return TIER_GROUP
        if program.kind == "crisis-line":
            return TIER_CRISIS
        if program.kind not in SUPPORT_KINDS:
            return TIER_INFO
        if program.scope != "national":
            return TIER_OWN
        if "physician" not in program.roles and "anyone" not in program.roles:
            return TIER_ROLE
        return TIER_NATIONAL

    # -- ranking --------------------------------------------------------------------------
    @staticmethod
    def _fit(program: Program, need: str) -> tuple[int, tuple[str, ...]]:
        """The part of the score that depends only on the program and the help wanted."""
        reasons: list[str] = []
        fit = _FIT[need]
        score = max(
            fit.get(program.kind, 0), max((fit.get(k, 0) - 20 for k in program.also), default=0)
        )
        if program.kind in _KIND_REASON:
            reasons.append(_KIND_REASON[program.kind])
        if "peer-support" in program.also and need == "peer":
            reasons.append("offers-peer-option")
        if ALL in program.provinces:
            reasons.append("national")
        else:
            reasons.append("serves-province")
        return score, tuple(reasons)

    @staticmethod
    def _split_reasons(program: Program, request: Request) -> tuple[str, ...]:
        """Reasons that depend only on the fields the eligibility split is cached by."""
        reasons = []
        roles = program.roles
        if request.about_family:
            if roles & {"family", "worried", "anyone"}:
                reasons.append("helps-family")
            if roles & {"physician", "anyone"}:
                reasons.append("for-the-family-member")
        elif request.about_colleague:
            reasons.append("helps-worried-others" if "worried" in roles else "for-the-colleague")
        elif Router._unconfirmed(program, request):
            reasons.append("confirm-eligibility")
        else:
            reasons.append("role-eligible")
        if request.indigenous and "indigenous" in program.audience:
            reasons.append("indigenous")
        if request.veteran and "veterans" in program.audience:
            reasons.append("veterans")
        if "youth" in program.audience:
            reasons.append("youth")
        if program.topics & request.topics:
            reasons.append("topic")
        return tuple(reasons)

    def _score(
        self, program: Program, request: Request, split_reasons: tuple[str, ...]
    ) -> tuple[int, bool, list[str]]:
        """Score within a tier, whether the format or channel asked for is missing, reasons."""
        score, static = self._fits[request.need][program.id]
        bonus, mismatch, matched = self._shape_fit(program, request)
        return score + bonus, mismatch, [*static, *split_reasons, *matched]

    def _shape_fit(self, program: Program, request: Request) -> tuple[int, bool, tuple[str, ...]]:
        """What the format, channel, community and language asked for add to the score, whether
        the format or channel asked for is missing, and the reasons they give."""
        bonus, mismatch, reasons = 0, False, []
        modes, channels, outside, languages = self._shapes[program.id]
        if request.modes and modes:
            if request.modes & modes:
                reasons.append("format-match")
                bonus += 10
            else:
                mismatch = True
        elif not request.modes and modes == {"group"}:
            mismatch = True  # one-on-one unless a group is asked for
        if request.channels and channels:
            if request.channels & channels:
                reasons.append("channel-match")
                bonus += 8
            else:
                mismatch = True
        if request.outside_community and outside:
            reasons.append("outside-community")
            bonus += 20
        if request.language in languages:
            reasons.append("serves-language")
            bonus += 8
        return bonus, mismatch, tuple(reasons)

    def _crisis_rank(self, program: Program, request: Request) -> int:
        """Lower comes first. Only used on the crisis route."""
        emergency = program.kind == "emergency"
        is_988 = program.id == NINE_EIGHT_EIGHT
        always = program.hours.always_open and program.kind in _LINE_KINDS
        if request.risk == "imminent":
            order = (emergency, is_988, always and program.kind == "crisis-line", always)
        else:
            order = (is_988, emergency, always and program.kind == "crisis-line", always)
        for rank, flag in enumerate(order):
            if flag:
                return rank
        return len(order)

    def _warnings(self, program: Program, request: Request) -> list[str]:
        # Everything but staleness depends only on (program, province, language): computed once.
        warnings = list(self._static_warnings_cached(program, request.province, request.language))
        oldest = request.at.date() - STALE_AFTER
        if self._oldest_check[program.id] < oldest:
            for _warning, stale, provenance, provinces in self._static_warnings[program.id]:
                if provenance.checked < oldest and (not provinces or request.province in provinces):
                    warnings.append(stale)
        return warnings

    def _static_warnings_for(
        self, program: Program, province: str, language: str, contacts: tuple[Contact, ...]
    ) -> tuple[str, ...]:
        if _public_service(program):
            return ()
        warnings = [
            warning
            for warning, _stale, _prov, provinces in self._static_warnings[program.id]
            if warning is not None and (not provinces or province in provinces)
        ]
        if may_not_run(program):
            warnings.insert(0, "may-not-run")
        if language == "fr" and not program.name.fr_official:
            warnings.append("unofficial-french-name")
        if all(c.provenance.status == "unverified" for c in contacts):
            warnings.append("no-verified-contact")
        languages = program.languages
        if (
            languages.value
            and languages.provenance.status == "verified"
            and language not in languages.value
            and "other" not in languages.value
        ):
            warnings.append("language-not-offered")
        return tuple(warnings)

    def _split(self, request: Request) -> tuple[tuple[_Entry, ...], tuple[Exclusion, ...]]:
        """Eligible programs and exclusions; they depend on few fields, so they are cached."""
        key = (
            request.province,
            request.role,
            request.about_colleague,
            request.about_family,
            request.indigenous,
            request.veteran,
            request.young,
            request.risk,
            request.topics,
        )
        cached = self._splits.get(key)
        if cached is None:
            eligible: list[_Entry] = []
            excluded = list(self._outside[request.province])
            for program in self._serving[request.province]:
                reason = self._exclusion(program, request)
                if reason is None:
                    eligible.append(
                        (
                            program,
                            self._tier(program, request),
                            self._split_reasons(program, request),
                        )
                    )
                else:
                    excluded.append(Exclusion(program.id, reason))
            if len(self._splits) >= 512:  # bounded: each entry holds the whole directory
                self._splits.clear()
            cached = self._splits[key] = (tuple(eligible), tuple(excluded))
        return cached

    def _row(
        self,
        entry: _Entry,
        request: Request,
        local_times: dict[str, datetime],
        caller_zone: tzinfo,
    ) -> list[Any]:
        """[crisis rank, tier, key within the tier, program, reasons, open now, next opening,
        contacts, warnings, score] for one eligible program."""
        program, tier, split_reasons = entry
        crisis = request.risk in ("high", "imminent")
        score, mismatch, reasons = self._score(program, request, split_reasons)
        hours = program.hours
        local = local_times.get(hours.tz)
        if local is None:
            local = local_times[hours.tz] = request.at.astimezone(zone(hours.tz))
        open_now = hours.open_at_local(local)
        next_open = None
        if hours.always_open:
            reasons.append("open-24-7")
        elif open_now:
            reasons.append("open-now")
        elif open_now is False:
            reasons.append("closed-now")
            upcoming = hours.next_open_when_closed(local)
            next_open = upcoming.astimezone(caller_zone) if upcoming else None
        else:
            reasons.append("hours-unknown")
        # Unknown hours: assume office hours, so not answering at night or on a holiday.
        closed = open_now is False or (open_now is None and not _office_hours(program, local))
        if program.kind == "emergency":
            reasons.insert(0, "emergency-first")
        elif program.id == NINE_EIGHT_EIGHT:
            reasons.insert(0, "crisis-988")
        elif crisis and hours.always_open and program.kind == "crisis-line":
            reasons.insert(0, "crisis-line-24-7")
        contacts = self._province_contacts(program, request.province)
        warnings = self._warnings(program, request)
        unconfirmed = "confirm-eligibility" in reasons
        if unconfirmed:
            warnings.append("confirm-eligibility")
        key = (
            program.doubt is not None,
            mismatch or "language-not-offered" in warnings,
            "no-verified-contact" in warnings,
            closed,
            unconfirmed,
            -score,
            program.id,
        )
        rank = self._crisis_rank(program, request) if crisis else 0
        return [rank, tier, key, program, reasons, open_now, next_open, contacts, warnings, score]

    def route(self, request: Request, limit: int | None = None) -> Result:
        """Every eligible program in order; with `limit`, only the first `limit` of that same
        order (what a screen shows), built without computing the rest in full."""
        if limit is not None:
            if len(self._split(request)[0]) > self.first_only_above:
                return self._route_first(request, max(limit, 0))
            full = self.route(request)
            return replace(full, recommendations=full.recommendations[: max(limit, 0)])
        crisis = request.risk in ("high", "imminent")
        caller_zone = zone(PROVINCES[request.province].zone)
        eligible, excluded = self._split(request)
        local_times: dict[str, datetime] = {}
        rows = [self._row(entry, request, local_times, caller_zone) for entry in eligible]
        # Is anything of the caller's own province or territory answering now?
        own_open = any(row[1] == TIER_OWN and row[5] for row in rows)
        if not crisis and not own_open:
            # Nothing of the caller's own is answering now: a 24/7 line that serves them first.
            for row in rows:
                program = row[3]
                if (
                    row[1] in (TIER_ROLE, TIER_NATIONAL)
                    and program.hours.always_open
                    and program.doubt is None
                ):
                    row[1] = TIER_ANY_HOUR
        rows.sort(key=lambda row: (row[0], row[1], row[2]))
        if not crisis:
            # Pinned places: 9-8-8 second at "concern"; a program the topic calls for next.
            pinned = [r for r in rows if r[3].id == NINE_EIGHT_EIGHT and request.risk == "concern"]
            pinned += [r for r in rows if r[3].topics & request.topics]
            if pinned and len(rows) > len(pinned):
                pinned_ids = {id(r) for r in pinned}
                rest = [r for r in rows if id(r) not in pinned_ids]
                rows = rest[:1] + pinned + rest[1:]
        alternative = next(
            (row[3].id for row in rows if row[3].hours.always_open and row[3].kind in _LINE_KINDS),
            NINE_EIGHT_EIGHT if NINE_EIGHT_EIGHT in self._by_id else None,
        )
        recommendations = tuple(
            Recommendation(
                program,
                tuple(reasons),
                open_now,
                next_open,
                contacts,
                tuple(warnings),
                alternative if open_now is False and alternative != program.id else None,
                score,
            )
            for _r, _t, _k, program, reasons, open_now, next_open, contacts, warnings, score in rows
        )
        return Result(crisis, request.risk, recommendations, excluded)

    # -- the first few only ------------------------------------------------------------------
    def _prepared(self, request: Request) -> _PreparedSplit:
        """The eligible programs with every part of their sort key that does not depend on the
        time, the help wanted, format, channel or language: cached with the eligibility split."""
        eligible, _excluded = self._split(request)
        cached = self._prepared_splits.get(id(eligible))
        if cached is not None and cached[0] is eligible:
            return cached[1]
        crisis = request.risk in ("high", "imminent")
        concern = request.risk == "concern"
        province = request.province
        items = []
        for entry in eligible:
            program, tier, split_reasons = entry
            hours = program.hours
            public = _public_service(program)
            contacts = self._province_contacts(program, province)
            languages = program.languages
            verified_languages = (
                not public
                and bool(languages.value)
                and languages.provenance.status == "verified"
                and "other" not in languages.value
            )
            items.append(
                _Prepared(
                    entry=entry,
                    rank=self._crisis_rank(program, request) if crisis else 0,
                    tier=tier,
                    doubt=program.doubt is not None,
                    unconfirmed="confirm-eligibility" in split_reasons,
                    no_verified_contact=not public
                    and all(c.provenance.status == "unverified" for c in contacts),
                    language_missing=(
                        verified_languages and "en" not in languages.value,
                        verified_languages and "fr" not in languages.value,
                    ),
                    shape=self._shape_ids[program.id],
                    promotable=tier in (TIER_ROLE, TIER_NATIONAL)
                    and hours.always_open
                    and program.doubt is None,
                    pinned=not crisis
                    and (
                        (concern and program.id == NINE_EIGHT_EIGHT)
                        or bool(program.topics & request.topics)
                    ),
                    any_hour_line=self._any_hour_line(program),
                )
            )
        prepared = _PreparedSplit(
            tuple(items),
            tuple(
                (
                    i.rank,
                    i.tier,
                    i.doubt,
                    i.language_missing,
                    i.no_verified_contact,
                    i.unconfirmed,
                    i.entry[0].id,
                    i.shape,
                    i.promotable,
                    index,
                )
                for index, i in enumerate(items)
                if not i.pinned
            ),
            tuple(index for index, i in enumerate(items) if i.pinned),
            tuple(i.entry[0].hours for i in items if i.tier == TIER_OWN),
        )
        if len(self._prepared_splits) >= 512:
            self._prepared_splits.clear()
        self._prepared_splits[id(eligible)] = (eligible, prepared)
        return prepared

    def _cheap_keys(
        self, split: _PreparedSplit, request: Request, *, promote: bool
    ) -> tuple[list[tuple[_Key, int]], list[tuple[_Key, int]]]:
        """The sort keys without the clock ("closed now" False) of the unpinned and the pinned
        items, each with its index in `split.items`."""
        prepared = split.items
        fits = self._fits[request.need]
        french = request.language == "fr"
        # Format, channel, community and language fit: once per kind of program (few kinds).
        shape_fits = {
            shape: self._shape_fit(program, request)
            for shape, program in self._shape_programs.items()
        }
        keyed: list[tuple[_Key, int]] = [
            (
                (
                    rank,
                    TIER_ANY_HOUR if promotable and promote else tier,
                    doubt,
                    shape_fits[shape][1] or language_missing[french],
                    no_verified_contact,
                    False,  # closed now: assumed open until the program comes up
                    unconfirmed,
                    -(fits[pid][0] + shape_fits[shape][0]),
                    pid,
                ),
                index,
            )
            for (
                rank,
                tier,
                doubt,
                language_missing,
                no_verified_contact,
                unconfirmed,
                pid,
                shape,
                promotable,
                index,
            ) in split.plain
        ]
        pinned: list[tuple[_Key, int]] = []
        for index in split.pinned:
            item = prepared[index]
            program = item.entry[0]
            bonus, mismatch, _reasons = shape_fits[item.shape]
            pinned.append(
                (
                    (
                        item.rank,
                        TIER_ANY_HOUR if item.promotable and promote else item.tier,
                        item.doubt,
                        mismatch or item.language_missing[french],
                        item.no_verified_contact,
                        False,
                        item.unconfirmed,
                        -(fits[program.id][0] + bonus),
                        program.id,
                    ),
                    index,
                )
            )
        return keyed, pinned

    def _route_first(self, request: Request, limit: int) -> Result:
        """As `route()` cut to `limit`. Every eligible program gets the part of its sort key that
        needs no clock (the same order as the full rows' key, with "closed now" assumed False);
        a heap then gives them in that order, and only a program that comes up is asked whether
        it is open: if closed, it goes back with its true key. Only the programs shown get their
        full row (reasons, next opening, contacts, staleness warnings).
        tests/routing/test_route_first.py compares this with the full route."""
        crisis = request.risk in ("high", "imminent")
        caller_zone = zone(PROVINCES[request.province].zone)
        _eligible, excluded = self._split(request)
        split = self._prepared(request)
        prepared = split.items
        local_times: dict[str, datetime] = {}

        def local_time(hours: Any) -> datetime:
            local = local_times.get(hours.tz)
            if local is None:
                local = local_times[hours.tz] = request.at.astimezone(zone(hours.tz))
            return local

        def closed_now(program: Program) -> bool:
            local = local_time(program.hours)
            open_now = program.hours.open_at_local(local)
            return open_now is False or (open_now is None and not _office_hours(program, local))

        # Is anything of the caller's own province or territory answering now?
        own_open = crisis or any(
            hours.open_at_local(local_time(hours)) for hours in split.own_hours
        )
        keyed, pinned = self._cheap_keys(split, request, promote=not own_open)
        # Lines open at any hour are never closed: their keys are already exact.
        lines = [pair for pair in keyed if prepared[pair[1]].any_hour_line]

        def closed_key(key: _Key, index: int) -> _Key:
            if closed_now(prepared[index].entry[0]):
                return (*key[:5], True, *key[6:])
            return key

        def in_order(heap: list[tuple[_Key, int]]) -> Iterator[tuple[_Key, int]]:
            heapq.heapify(heap)
            settled: set[int] = set()
            while heap:
                key, index = heap[0]
                if index in settled or prepared[index].entry[0].hours.always_open:
                    yield heapq.heappop(heap)
                    continue
                settled.add(index)
                true_key = closed_key(key, index)
                if true_key is key:
                    yield heapq.heappop(heap)
                else:
                    heapq.heapreplace(heap, (true_key, index))

        if pinned and keyed:
            # Pinned places: 9-8-8 second at "concern", then the programs the topic calls for.
            pinned = sorted(
                ((closed_key(key, index), index) for key, index in pinned),
                key=lambda pair: (prepared[pair[1]].entry[0].id != NINE_EIGHT_EIGHT, pair[0]),
            )
            rest = in_order(list(keyed))
            head = [next(rest), *pinned]
            order = head + list(islice(rest, max(limit - len(head), 0)))
            head_lines = [pair for pair in head if prepared[pair[1]].any_hour_line]
            alternative_pair = head_lines[0] if head_lines else min(lines, default=None)
        else:
            lines += [pair for pair in pinned if prepared[pair[1]].any_hour_line]
            order = list(islice(in_order(keyed + pinned), limit))
            alternative_pair = min(lines, default=None)
        if alternative_pair is not None:
            alternative: str | None = prepared[alternative_pair[1]].entry[0].id
        else:
            alternative = NINE_EIGHT_EIGHT if NINE_EIGHT_EIGHT in self._by_id else None
        recommendations = self._shown(
            [prepared[index].entry for _key, index in order[:limit]],
            request,
            alternative,
            local_times,
            caller_zone,
        )
        return Result(crisis, request.risk, tuple(recommendations), excluded)

    def _shown(
        self,
        entries: list[_Entry],
        request: Request,
        alternative: str | None,
        local_times: dict[str, datetime],
        caller_zone: tzinfo,
    ) -> list[Recommendation]:
        """The full rows of the programs shown, as in `route()`."""
        recommendations = []
        for entry in entries:
            row = self._row(entry, request, local_times, caller_zone)
            program, reasons, open_now, next_open, contacts, warnings, score = row[3:]
            recommendations.append(
                Recommendation(
                    program,
                    tuple(reasons),
                    open_now,
                    next_open,
                    contacts,
                    tuple(warnings),
                    alternative if open_now is False and alternative != program.id else None,
                    score,
                )
            )
        return recommendations

    @staticmethod
    def _any_hour_line(program: Program) -> bool:
        return program.hours.always_open and program.kind in _LINE_KINDS

    def _province_contacts(self, program: Program, province: str) -> tuple[Contact, ...]:
        contacts = self._contacts[program.id]
        if self._regional_contacts[program.id]:
            contacts = tuple(c for c in contacts if c.offered_in(province))
        return contacts

    def _static_warnings_cached(
        self, program: Program, province: str, language: str
    ) -> tuple[str, ...]:
        """The warnings that depend only on (program, province, language), computed once."""
        key = (program.id, province, language)
        static = self._warning_cache.get(key)
        if static is None:
            static = self._warning_cache[key] = self._static_warnings_for(
                program, province, language, self._province_contacts(program, province)
            )
        return static
