"""The routing engine: plain Python, no I/O, deterministic for a given request and directory.

The policy is a volunteer's reasoning, in ordered tiers (docs/routing.md says it in plain words):
1. Eligibility: region, role (unknown eligibility is shown to confirm, never hidden), programs
   for a group the caller did not ask for, topic-only programs, unconfirmed listings and
   regulatory bodies are left out, each with a reason.
2. Safety first: high or imminent risk switches to the crisis route (imminent: emergency
   services first; high: 9-8-8 and the province's crisis lines, then emergency services; then
   the 24/7 lines). At "concern", 9-8-8 is second, or first when the first program is not
   answering now.
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

import gc
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
_QUEBEC_ONLY = frozenset({"QC"})
_LIVE_CONTACTS = frozenset({"voice", "text", "tty", "chat"})
# Roles that are physicians at some stage: a program for physicians may serve them too, which is
# "confirm eligibility", not "no", unless the program lists them.
_PHYSICIAN_STAGES = frozenset({"resident", "student", "retired"})
# Facts whose doubt changes what the volunteer says or does at the point of referral; the rest
# (name, cost, format, languages) stays in the directory browser.
_EVERYWHERE: frozenset[str] = frozenset()

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
# What ranking needs of one program in one province that no request changes, flat (unpacked in
# the hot loop): program, doubt, no verified contact, (English missing, French missing) from a
# verified list of languages, shape number, open at all hours and not in doubt (may be promoted
# to the 24/7 tier), a line open at any hour, its hours' number, (crisis rank at high, at
# imminent), is 9-8-8, its fit by help wanted; then what its recommendation shows: its contacts
# in the province, its warnings ((English, English with "confirm eligibility"), (French, French
# with it)), the date of its oldest checked referral fact (staleness), and the reason put first
# (off the crisis route, on it).
_Member = tuple[
    Program,
    bool,
    bool,
    tuple[bool, bool],
    int,
    bool,
    bool,
    int,
    tuple[int, int],
    bool,
    dict[str, tuple[int, tuple[str, ...]]],
    tuple[Contact, ...],
    tuple[tuple[tuple[str, ...], tuple[str, ...]], tuple[tuple[str, ...], tuple[str, ...]]],
    date,
    tuple[str | None, str | None, str | None],  # first reason: none/concern, high, imminent
]
# Whether one distinct opening hours is open at the request's moment: its reason, open now,
# next opening in the caller's time, closed now (unknown hours: outside office hours).
_HoursState = tuple[str, bool | None, datetime | None, bool]
# A ranked program: packed key, id, member, its class's reasons, eligibility to confirm, its
# format shape's fit (bonus, mismatch, reasons), score, its hours' state, pinned.
_Row = tuple[
    int,
    str,
    _Member,
    tuple[str, ...],
    bool,
    tuple[int, bool, tuple[str, ...]],
    int,
    _HoursState,
    bool,
]
# The sort key of the full route, packed into one integer (the same order as _Key's fields but
# the id; the id breaks ties beside it): crisis rank, tier, doubt, mismatch, no verified
# contact, closed now, to confirm, then the score (0 <= score < _SCORE_SPAN: a fit is at most
# 100 and the format, channel, community and language bonuses 46; a test checks it).
_SCORE_SPAN = 1024


@dataclass(frozen=True, slots=True)
class _Class:
    """Programs of one province that eligibility, tier and the split's reasons cannot tell
    apart: what decides them is read once, from `program`, for all the members."""

    program: Program
    members: tuple[_Member, ...]
    positions: tuple[int, ...]  # each member's place in the directory, for the exclusions' order
    hours: tuple[int, ...]  # the members' distinct hours, open at all hours first


# An eligible class with its tier and reasons for one request.
_Group = tuple[_Class, int, tuple[str, ...]]


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


@dataclass(frozen=True, slots=True)
class Exclusion:
    id: str
    reason: str


@dataclass(frozen=True)
class Result:
    crisis: bool
    risk: str
    recommendations: tuple[Recommendation, ...]
    excluded: tuple[Exclusion, ...]


def _contact_order(contact: Contact) -> tuple[int, int, int]:
    by_type = {"voice": 0, "text": 1, "tty": 2, "chat": 3, "email": 4, "web": 5}
    unverified = contact.provenance.status == "unverified"
    some = "some-callers" in contact.tags  # after every contact for everyone, verified or not
    return (some, unverified, by_type[contact.type] - ("toll-free" in contact.tags))


def _live(contacts: tuple[Contact, ...]) -> bool:
    """A person can be reached now by phone, text or chat (not only an unverified number, or a
    number for some callers only; a web page or an email is not someone who answers)."""
    return any(
        c.type in _LIVE_CONTACTS
        and c.provenance.status != "unverified"
        and "some-callers" not in c.tags
        for c in contacts
    )


def _public_service(program: Program) -> bool:
    """Emergency services and 9-8-8: public facts, never hedged at the point of referral."""
    return program.kind == "emergency" or program.id == NINE_EIGHT_EIGHT


def crisis_rank(program: Program, *, imminent: bool) -> int:
    """A program's place on the crisis route, lower first (the crisis panel sorts by it too)."""
    emergency = program.kind == "emergency"
    is_988 = program.id == NINE_EIGHT_EIGHT
    always = program.hours.always_open and program.kind in _LINE_KINDS
    crisis_line = always and program.kind == "crisis-line"
    if imminent:
        order = (emergency, is_988, crisis_line, always)
    else:
        # High: a warm transfer to 9-8-8 or the province's crisis line (the standard's step 5);
        # emergency services after them, for when the danger becomes immediate. A crisis line
        # that may no longer run does not go ahead of emergency services.
        order = (is_988, crisis_line and program.doubt is None, emergency, always)
    for rank, flag in enumerate(order):
        if flag:
            return rank
    return len(order)


def _french_unconfirmed(program: Program, verified: bool) -> bool:
    """For a French-speaking caller: no source confirms service in French, and none says it is
    not offered (that is "language-not-offered"). Outside Québec this changes what a volunteer
    says ("I cannot confirm they serve in French"); a Québec-only program is left unflagged."""
    languages = program.languages
    confirmed = languages.provenance.status == "verified" and "fr" in languages.value
    return not confirmed and not verified and program.provinces != _QUEBEC_ONLY


def may_not_run(program: Program) -> bool:
    """Whether the program is shown as one that may no longer run (the "may-not-run" warning),
    in the call and in the directory browser alike: never emergency services or 9-8-8."""
    return program.doubt is not None and not _public_service(program)


def _office_hours(program: Program, local: datetime) -> bool:
    """Whether a program whose hours are unknown may be answering: a working day, 8:00-18:00."""
    return _office_hours_in(program.hours.region, local)


def _office_hours_in(region: str, local: datetime) -> bool:
    return (
        local.weekday() < 5
        and time(8) <= local.time() < time(18)
        and not is_holiday(region, local.date())
    )


def _class_signature(program: Program) -> tuple[object, ...]:
    """Everything eligibility, the tier and the split's reasons read of a program."""
    return (
        program.listing,
        program.kind,
        program.audience,
        program.topics,
        program.roles,
        program.confirm_roles,
        program.scope,
    )


class _Clock:
    """Whether each distinct opening hours is open, or closed to a caller, at one moment: asked
    once per hours, however many programs share them."""

    def __init__(self, at: datetime, hours: list[Hours], local_times: dict[str, datetime]) -> None:
        self.at, self.hours, self.local_times = at, hours, local_times
        self._open: dict[int, bool | None] = {}
        self._closed: dict[int, bool] = {}

    def local_time(self, hours: Hours) -> datetime:
        local = self.local_times.get(hours.tz)
        if local is None:
            local = self.local_times[hours.tz] = self.at.astimezone(zone(hours.tz))
        return local

    def opened(self, number: int) -> bool | None:
        if number not in self._open:
            hours = self.hours[number]
            self._open[number] = hours.open_at_local(self.local_time(hours))
        return self._open[number]

    def closed(self, number: int) -> bool:
        """Closed now; unknown hours are assumed to be office hours."""
        found = self._closed.get(number)
        if found is None:
            state = self.opened(number)
            hours = self.hours[number]
            found = self._closed[number] = state is False or (
                state is None and not _office_hours_in(hours.region, self.local_time(hours))
            )
        return found


class Router:
    """Holds the directory with its indexes; `route()` answers one request."""

    # With `limit`, below this many eligible programs the full route cut to `limit` is quicker
    # than ranking on the cheap key (measured: tests/bench/bench_routing.py).
    first_only_above = 150

    def __init__(self, programs: Iterable[Program]) -> None:
        """Only what every request needs is built here, in single passes; what depends on a
        province (its classes) or is needed only for the programs shown (warnings, sorted
        contacts) is built on first use. At 10,000 programs the index took seconds when it
        built per-province exclusion lists and every program's warnings up front."""
        self.programs = tuple(programs)
        self._by_id = {p.id: p for p in self.programs}
        self._position = {p.id: i for i, p in enumerate(self.programs)}
        serving: dict[str, list[Program]] = {code: [] for code in CODES}
        outside: dict[str, list[Exclusion]] = {code: [] for code in CODES}
        for p in self.programs:
            provinces = p.provinces
            if ALL in provinces:
                for code in CODES:
                    serving[code].append(p)
                continue
            # One exclusion per program, shared by every province it does not serve.
            far = Exclusion(
                p.id, "not-available-here" if p.kind == "emergency" else "outside-region"
            )
            for code in CODES:
                if code in provinces:
                    serving[code].append(p)
                else:
                    outside[code].append(far)
        self._serving = {code: tuple(found) for code, found in serving.items()}
        self._outside = {code: tuple(found) for code, found in outside.items()}
        self._static_warnings: dict[
            str, tuple[tuple[str | None, str, Provenance, frozenset[str]], ...]
        ] = {}
        self._oldest_check: dict[str, date] = {}
        self._contacts: dict[str, tuple[tuple[Contact, ...], bool]] = {}
        # The fit depends on the kind, what it also offers and whether it is national: shared.
        fits: dict[tuple[object, ...], dict[str, tuple[int, tuple[str, ...]]]] = {}
        self._fit_of = {
            p.id: fits.get(signature)
            or fits.setdefault(signature, {need: self._fit(p, need) for need in NEEDS})
            for p in self.programs
            for signature in ((p.kind, p.also, ALL in p.provinces),)
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
        self._provinces: dict[str, tuple[_Class, ...]] = {}
        self._hours_numbers: dict[tuple[object, ...], int] = {}
        self._hours: list[Hours] = []
        # Each class's exclusions for one reason, with each member's place in the directory.
        self._class_exclusions: dict[tuple[int, str], tuple[tuple[int, Exclusion], ...]] = {}
        # Built now rather than on first use, so that a process that keeps the router for its
        # lifetime can move all of it out of the collector's way at once (gc.freeze).
        self._program_parts: dict[str, tuple[Any, ...]] = {}
        self._shared_warnings: dict[tuple[str, ...], tuple[str, ...]] = {}
        for code in CODES:
            self._province(code)
        self._program_parts.clear()

    @staticmethod
    def _fact_warnings(
        program: Program,
    ) -> tuple[tuple[str | None, str, Provenance, frozenset[str]], ...]:
        """Per referral-relevant fact (eligibility, hours, each contact, in that order): its
        warning (None when verified), its stale warning, its provenance, and the provinces it
        applies to (empty = all). Built once; route() filters. Emergency services and 9-8-8 get
        none: their name, cost and eligibility are public."""
        if _public_service(program):
            return ()
        found: list[tuple[str | None, str, Provenance, frozenset[str]]] = [
            (
                None if provenance.status == "verified" else f"{provenance.status}:{label}",
                f"stale:{label}",
                provenance,
                _EVERYWHERE,
            )
            for label, provenance in (
                ("eligibility", program.eligibility.provenance),
                ("hours", program.hours.provenance),
            )
        ]
        for contact in program.contacts:
            label, provenance = f"contact={contact.display_en}", contact.provenance
            warning = None if provenance.status == "verified" else f"{provenance.status}:{label}"
            found.append((warning, f"stale:{label}", provenance, contact.provinces))
        return tuple(found)

    def _facts_of(
        self, program: Program
    ) -> tuple[tuple[str | None, str, Provenance, frozenset[str]], ...]:
        found = self._static_warnings.get(program.id)
        if found is None:
            found = self._static_warnings[program.id] = self._fact_warnings(program)
            self._oldest_check[program.id] = min(
                (prov.checked for _w, _s, prov, _p in found), default=date.max
            )
        return found

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
        return None if Router._role_fit(program, request) else "role-not-served"

    @staticmethod
    def _role_fit(program: Program, request: Request) -> str | None:
        """Whether the program serves the caller's role: "serves", "confirm" (unknown
        eligibility is not "no": shown, to confirm) or None (left out)."""
        roles = program.roles
        if "anyone" in roles or request.role in roles:
            return "serves"
        if request.about_someone and roles & {"physician", "worried"}:
            return "serves"  # for the physician the caller worries about, or for worried people
        if request.about_family and "family" in roles:
            return "serves"
        if request.role in _PHYSICIAN_STAGES and "physician" in roles:
            return "confirm"
        if request.role in program.confirm_roles and not request.about_colleague:
            return "confirm"  # where the directory says so (PARO: residents' families)
        return None

    @staticmethod
    def _possible_exclusions(program: Program) -> tuple[str, ...]:
        """Every reason `_exclusion` can give for this program, whatever the request (more is
        harmless: a reason missing here is made when first needed)."""
        if program.listing == "hide-until-verified":
            return ("unverified-listing",)
        if program.kind == "regulatory":
            return ("regulatory-not-peer-support",)
        audience = program.audience
        return tuple(
            reason
            for reason, possible in (
                ("indigenous-specific", "indigenous" in audience),
                ("veterans-specific", "veterans" in audience),
                ("youth-only", "youth" in audience),
                ("emergency-only", program.kind == "emergency"),
                ("crisis-only", program.kind == "crisis-line"),
                ("topic-not-raised", bool(program.topics)),
                ("role-not-served", "anyone" not in program.roles),
            )
            if possible
        )

    @staticmethod
    def _unconfirmed(program: Program, request: Request) -> bool:
        """Shown although the program does not say it serves the caller's role."""
        return Router._role_fit(program, request) == "confirm"

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
            if Router._unconfirmed(program, request):
                reasons.append("confirm-eligibility")
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
        return crisis_rank(program, imminent=request.risk == "imminent")

    def _warnings_by_language(
        self, program: Program, province: str, contacts: tuple[Contact, ...]
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The warnings that depend only on (program, province), in English and in French; equal
        tuples are kept once."""
        if _public_service(program):
            return (), ()
        warnings = [
            warning
            for warning, _stale, _prov, provinces in self._facts_of(program)
            if warning is not None and (not provinces or province in provinces)
        ]
        if may_not_run(program):
            warnings.insert(0, "may-not-run")
        french = [*warnings, "unofficial-french-name"] if not program.name.fr_official else None
        tail = []
        if all(c.provenance.status == "unverified" for c in contacts):
            tail.append("no-verified-contact")
        languages = program.languages
        verified = (
            bool(languages.value)
            and languages.provenance.status == "verified"
            and "other" not in languages.value
        )
        shared = self._shared_warnings
        english = (
            *warnings,
            *tail,
            *(("language-not-offered",) if verified and "en" not in languages.value else ()),
        )
        in_french = (
            *(warnings if french is None else french),
            *tail,
            *(("language-not-offered",) if verified and "fr" not in languages.value else ()),
            *(("french-not-confirmed",) if _french_unconfirmed(program, verified) else ()),
        )
        return shared.setdefault(english, english), shared.setdefault(in_french, in_french)

    def _province(self, province: str) -> tuple[_Class, ...]:
        """The programs serving `province`, in classes, with what ranking needs of each that no
        request changes."""
        found = self._provinces.get(province)
        if found is not None:
            return found
        position = self._position
        classes: dict[tuple[object, ...], list[tuple[int, _Member]]] = {}
        representative: dict[tuple[object, ...], Program] = {}
        for program in self._serving[province]:
            signature = _class_signature(program)
            representative.setdefault(signature, program)
            classes.setdefault(signature, []).append(
                (position[program.id], self._member(program, province))
            )
        built = []
        for signature, members in classes.items():
            hours: dict[int, bool] = {}
            for _position, member in members:
                hours[member[7]] = member[0].hours.always_open
            built.append(
                _Class(
                    representative[signature],
                    tuple(member for _position, member in members),
                    tuple(number for number, _member in members),
                    tuple(sorted(hours, key=lambda number: not hours[number])),
                )
            )
        found = self._provinces[province] = tuple(built)
        # Each class's exclusions for every reason it can be left out for, made now: made on
        # first need, they grew the heap that full collections walk (14,000 at 10,000 programs).
        for cls in found:
            for reason in self._possible_exclusions(cls.program):
                self._class_exclusions[id(cls), reason] = self._excluded_pairs(cls, reason)
        return found

    def _member(self, program: Program, province: str) -> _Member:
        parts = self._program_parts.get(program.id)
        if parts is None:
            parts = self._program_parts[program.id] = self._parts(program)
        public, doubt, language_missing, shape, promotable, line, hours, ranks, is_988, fits = parts
        contacts = self._province_contacts(program, province)
        no_verified_contact = not public and all(
            c.provenance.status == "unverified" for c in contacts
        )
        shared = self._shared_warnings
        warnings = tuple(
            (static, shared.setdefault(confirm, confirm))
            for static in self._warnings_by_language(program, province, contacts)
            for confirm in ((*static, "confirm-eligibility"),)
        )
        self._facts_of(program)
        prefix = (
            "emergency-first" if program.kind == "emergency" else "crisis-988" if is_988 else None
        )
        crisis_prefix = prefix or (
            "crisis-line-24-7"
            if program.hours.always_open and program.kind == "crisis-line"
            else None
        )
        # Emergency services at high risk come after the warm-transfer lines: "if the danger
        # becomes immediate", not "come first".
        high_prefix = "emergency-if-immediate" if program.kind == "emergency" else crisis_prefix
        return (
            program,
            doubt,
            no_verified_contact,
            language_missing,
            shape,
            promotable,
            line,
            hours,
            ranks,
            is_988,
            fits,
            contacts,
            (warnings[0], warnings[1]),
            self._oldest_check[program.id],
            (prefix, high_prefix, crisis_prefix),  # by tier: none/concern, high, imminent
        )

    def _parts(self, program: Program) -> tuple[Any, ...]:
        """What a member is that does not depend on the province."""
        hours = program.hours
        public = _public_service(program)
        languages = program.languages
        verified_languages = (
            not public
            and bool(languages.value)
            and languages.provenance.status == "verified"
            and "other" not in languages.value
        )
        # Numbered by what decides whether and when it opens: programs whose hours differ only
        # in their provenance or after-hours text are asked once.
        schedule = (
            hours.tz,
            hours.always_open,
            hours.weekly,
            hours.sessions,
            hours.region,
            hours.open_on_holidays,
        )
        hours_number = self._hours_numbers.get(schedule)
        if hours_number is None:
            hours_number = self._hours_numbers[schedule] = len(self._hours)
            self._hours.append(hours)
        return (
            public,
            program.doubt is not None,
            (
                verified_languages and "en" not in languages.value,
                verified_languages and "fr" not in languages.value,
            ),
            self._shape_ids[program.id],
            hours.always_open and program.doubt is None,
            self._any_hour_line(program),
            hours_number,
            (
                crisis_rank(program, imminent=False),
                crisis_rank(program, imminent=True),
            ),
            program.id == NINE_EIGHT_EIGHT,
            self._fit_of[program.id],
        )

    def _eligibility(self, request: Request) -> tuple[list[_Group], tuple[Exclusion, ...]]:
        """The eligible classes with their tier and reasons, and every exclusion (outside the
        province first, then the others in the directory's order). Decided once per class, not
        per program: no per-request cache of the whole directory to grow and collect."""
        groups: list[_Group] = []
        inside: list[tuple[int, Exclusion]] = []
        for cls in self._province(request.province):
            program = cls.program
            reason = self._exclusion(program, request)
            if reason is None:
                groups.append(
                    (cls, self._tier(program, request), self._split_reasons(program, request))
                )
                continue
            key = (id(cls), reason)
            pairs = self._class_exclusions.get(key)
            if pairs is None:
                pairs = self._class_exclusions[key] = self._excluded_pairs(cls, reason)
            inside += pairs
        inside.sort()  # runs already in order, places unique: the exclusions are never compared
        return groups, self._outside[request.province] + tuple(
            exclusion for _number, exclusion in inside
        )

    @staticmethod
    def _excluded_pairs(group: _Class, reason: str) -> tuple[tuple[int, Exclusion], ...]:
        return tuple(
            (number, Exclusion(member[0].id, reason))
            for number, member in zip(group.positions, group.members, strict=True)
        )

    def route(self, request: Request, limit: int | None = None) -> Result:
        """Every eligible program in order; with `limit`, only the first `limit` of that same
        order (what a screen shows), built without computing the rest in full.

        The cycle collector waits while a route runs: a route makes thousands of short-lived
        objects and no cycles, and collections started in its middle promoted them and so set
        off full collections, each walking the whole index (at 10,000 programs: 18 full
        collections per 3,000 full routes, each 75 ms of CPU or more). Reference counting still
        frees what is dropped; the collector resumes as it was."""
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._route(request, limit)
        finally:
            if enabled:
                gc.enable()

    def _route(self, request: Request, limit: int | None) -> Result:
        groups, excluded = self._eligibility(request)
        if limit is not None:
            if sum(len(cls.members) for cls, _tier, _reasons in groups) > self.first_only_above:
                return self._route_first(request, max(limit, 0), groups, excluded)
            full = self._route_all(request, groups, excluded)
            return replace(full, recommendations=full.recommendations[: max(limit, 0)])
        return self._route_all(request, groups, excluded)

    def _route_all(
        self, request: Request, groups: list[_Group], excluded: tuple[Exclusion, ...]
    ) -> Result:
        """Every eligible program in order. A program's sort key is one integer made from what
        its class (tier, reasons) and its member (doubt, contact, languages, fit) already hold;
        "closed now", the hours' reason and the next opening are asked once per distinct hours;
        the recommendations share their reasons and warnings. At 10,000 programs the rows
        computed program by program (tests/routing/reference_route.py, the oracle this must
        equal) took 25 ms of CPU per request."""
        crisis = request.risk in ("high", "imminent")
        imminent = request.risk == "imminent"
        concern = request.risk == "concern"
        french = request.language == "fr"
        need = request.need
        caller_zone = zone(PROVINCES[request.province].zone)
        clock = _Clock(request.at, self._hours, {})
        states: dict[int, _HoursState] = {}

        def state_of(number: int) -> _HoursState:
            found = states[number] = self._hours_state(number, clock, caller_zone)
            return found

        # Is anything of the caller's own province or territory answering now?
        own_open = crisis or any(
            clock.opened(number)
            for cls, tier, _reasons in groups
            if tier == TIER_OWN
            for number in cls.hours
        )
        shape_fits: dict[int, tuple[int, bool, tuple[str, ...]]] = {}
        span = _SCORE_SPAN
        rows: list[_Row] = []
        append = rows.append
        for cls, tier, reasons in groups:
            unconfirmed = "confirm-eligibility" in reasons
            topic = not crisis and bool(cls.program.topics & request.topics)
            promote = not own_open and tier in (TIER_ROLE, TIER_NATIONAL)
            for member in cls.members:
                shape_fit = shape_fits.get(member[4])
                if shape_fit is None:
                    shape_fit = shape_fits[member[4]] = self._shape_fit(
                        self._shape_programs[member[4]], request
                    )
                state = states.get(member[7]) or state_of(member[7])
                score = member[10][need][0] + shape_fit[0]
                key = (
                    (
                        (
                            (
                                (
                                    (
                                        (member[8][imminent] if crisis else 0) * 128
                                        + (TIER_ANY_HOUR if promote and member[5] else tier)
                                    )
                                    * 2
                                    + member[1]
                                )
                                * 2
                                + (shape_fit[1] or member[3][french])
                            )
                            * 2
                            + member[2]
                        )
                        * 2
                        + state[3]
                    )
                    * 2
                    + unconfirmed
                ) * span + (span - 1 - score)
                append(
                    (
                        key,
                        member[0].id,
                        member,
                        reasons,
                        unconfirmed,
                        shape_fit,
                        score,
                        state,
                        topic or (concern and member[9]),
                    )
                )
        rows.sort()  # the ids are unique: the members are never compared
        if not crisis:
            # Pinned places: 9-8-8 second at "concern" (first when the first program is not
            # answering now); a program the topic calls for next.
            pinned = [row for row in rows if row[8]]
            if pinned and len(rows) > len(pinned):
                pinned.sort(key=lambda row: not row[2][9])  # stable: 9-8-8 first
                rest = [row for row in rows if not row[8]]
                first = rest[0]
                answering = not (first[2][1] or first[7][3]) and _live(first[2][11])
                if pinned[0][2][9] and not answering:
                    rows = pinned[:1] + rest[:1] + pinned[1:] + rest[1:]
                else:
                    rows = rest[:1] + pinned + rest[1:]
        alternative = next(
            (row[1] for row in rows if row[2][6]),
            NINE_EIGHT_EIGHT if NINE_EIGHT_EIGHT in self._by_id else None,
        )
        recommendations = self._assemble(rows, request, alternative)
        return Result(crisis, request.risk, recommendations, excluded)

    def _hours_state(self, number: int, clock: _Clock, caller_zone: tzinfo) -> _HoursState:
        """One distinct opening hours at the request's moment (see _HoursState)."""
        hours = self._hours[number]
        open_now = clock.opened(number)
        next_open = None
        if hours.always_open:
            reason = "open-24-7"
        elif open_now:
            reason = "open-now"
        elif open_now is False:
            reason = "closed-now"
            upcoming = hours.next_open_when_closed(clock.local_time(hours))
            next_open = upcoming.astimezone(caller_zone) if upcoming else None
        else:
            reason = "hours-unknown"
        return reason, open_now, next_open, clock.closed(number)

    def _assemble(
        self, rows: Iterable[_Row], request: Request, alternative: str | None
    ) -> tuple[Recommendation, ...]:
        """The recommendations of ranked rows. Reasons are made once per combination of what
        they are made of (kind, class, format shape, hours, first reason); warnings are the
        member's own unless a fact is stale."""
        crisis = request.risk in ("high", "imminent")
        tier = crisis + (request.risk == "imminent")
        french = request.language == "fr"
        need = request.need
        stale_before = request.at.date() - STALE_AFTER
        made: dict[tuple[int, int, int, str, str | None], tuple[str, ...]] = {}
        recommendations: list[Recommendation] = []
        append, new, set_fields = recommendations.append, object.__new__, object.__setattr__
        for _key, program_id, member, reasons, unconfirmed, shape_fit, score, state, _p in rows:
            prefix = member[14][tier]
            parts = (id(member[10]), id(reasons), member[4], state[0], prefix)
            full_reasons = made.get(parts)
            if full_reasons is None:
                full_reasons = made[parts] = (
                    *((prefix,) if prefix else ()),
                    *member[10][need][1],
                    *reasons,
                    *shape_fit[2],
                    state[0],
                )
            warnings = member[12][french][unconfirmed]
            if member[13] < stale_before:
                warnings = self._with_stale(member, request, stale_before, unconfirmed)
            open_now = state[1]
            # What Recommendation(...) makes, field for field, without its frozen __init__'s
            # eight object.__setattr__ calls (a third of this loop's time at 10,000 programs).
            recommendation = new(Recommendation)
            set_fields(
                recommendation,
                "__dict__",
                {
                    "program": member[0],
                    "reasons": full_reasons,
                    "open_now": open_now,
                    "next_open": state[2],
                    "contacts": member[11],
                    "warnings": warnings,
                    "alternative": (
                        alternative if open_now is False and alternative != program_id else None
                    ),
                    "score": score,
                },
            )
            append(recommendation)
        return tuple(recommendations)

    def _with_stale(
        self, member: _Member, request: Request, stale_before: date, unconfirmed: bool
    ) -> tuple[str, ...]:
        """The member's warnings with those of its facts last checked before `stale_before`."""
        province = request.province
        stale = [
            warning
            for _warning, warning, provenance, provinces in self._facts_of(member[0])
            if provenance.checked < stale_before and (not provinces or province in provinces)
        ]
        static = member[12][request.language == "fr"][False]
        return (*static, *stale, *(("confirm-eligibility",) if unconfirmed else ()))

    # -- the first few only ------------------------------------------------------------------
    def _route_first(
        self,
        request: Request,
        limit: int,
        groups: list[_Group],
        excluded: tuple[Exclusion, ...],
    ) -> Result:
        """As `route()` cut to `limit`. Every eligible program gets the part of its sort key that
        needs no clock (the same order as the full rows' key, with "closed now" assumed False);
        a heap then gives them in that order, and only a program that comes up is asked whether
        it is open (once per distinct opening hours): if closed, it goes back with its true key.
        Only the programs shown get their full row (reasons, next opening, contacts, warnings).
        tests/routing/test_route_first.py compares this with the full route."""
        crisis = request.risk in ("high", "imminent")
        caller_zone = zone(PROVINCES[request.province].zone)
        local_times: dict[str, datetime] = {}

        clock = _Clock(request.at, self._hours, local_times)
        opened, closed = clock.opened, clock.closed

        # Is anything of the caller's own province or territory answering now?
        own_open = crisis or any(
            opened(number)
            for cls, tier, _reasons in groups
            if tier == TIER_OWN
            for number in cls.hours
        )
        items, entries, keyed, pinned, lines = self._cheap_keys(request, groups, own_open=own_open)

        def closed_key(key: _Key, index: int) -> _Key:
            if closed(items[index][7]):
                return (*key[:5], True, *key[6:])
            return key

        def in_order(heap: list[tuple[_Key, int]]) -> Iterator[tuple[_Key, int]]:
            heapq.heapify(heap)
            settled: set[int] = set()
            while heap:
                key, index = heap[0]
                if index in settled or items[index][0].hours.always_open:
                    yield heapq.heappop(heap)
                    continue
                settled.add(index)
                true_key = closed_key(key, index)
                if true_key is key:
                    yield heapq.heappop(heap)
                else:
                    heapq.heapreplace(heap, (true_key, index))

        if pinned and keyed:
            # Pinned places: 9-8-8 second at "concern" (first when the first program is not
            # answering now), then the programs the topic calls for.
            pinned = sorted(
                ((closed_key(key, index), index) for key, index in pinned),
                key=lambda pair: (not items[pair[1]][9], pair[0]),
            )
            rest = in_order(keyed)
            first = next(rest)
            # doubt, no verified contact, closed now (the key's fields): not answering now
            answering = not (first[0][2] or first[0][5]) and _live(items[first[1]][11])
            if items[pinned[0][1]][9] and not answering:
                head = [pinned[0], first, *pinned[1:]]
            else:
                head = [first, *pinned]
            order = head + list(islice(rest, max(limit - len(head), 0)))
            head_lines = [pair for pair in head if items[pair[1]][6]]
            alternative_pair = head_lines[0] if head_lines else min(lines, default=None)
        else:
            lines += [pair for pair in pinned if items[pair[1]][6]]
            order = list(islice(in_order(keyed + pinned), limit))
            alternative_pair = min(lines, default=None)
        if alternative_pair is not None:
            alternative: str | None = items[alternative_pair[1]][0].id
        else:
            alternative = NINE_EIGHT_EIGHT if NINE_EIGHT_EIGHT in self._by_id else None
        rows: list[_Row] = [
            (
                0,
                items[index][0].id,
                items[index],
                entries[index][2],
                key[6],
                self._shape_fit(self._shape_programs[items[index][4]], request),
                -key[7],
                self._hours_state(items[index][7], clock, caller_zone),
                False,
            )
            for key, index in order[:limit]
        ]
        return Result(crisis, request.risk, self._assemble(rows, request, alternative), excluded)

    def _cheap_keys(
        self, request: Request, groups: list[_Group], *, own_open: bool
    ) -> tuple[
        list[_Member],
        list[_Entry],
        list[tuple[_Key, int]],
        list[tuple[_Key, int]],
        list[tuple[_Key, int]],
    ]:
        """Every eligible program's sort key without the clock ("closed now" False), each with
        its index in the returned members and entries: the unpinned, the pinned, and the
        unpinned lines open at any hour (their keys are exact)."""
        crisis = request.risk in ("high", "imminent")
        imminent = request.risk == "imminent"
        concern = request.risk == "concern"
        french = request.language == "fr"
        need = request.need
        shape_fits: dict[int, tuple[int, bool, tuple[str, ...]]] = {}
        items: list[_Member] = []
        entries: list[_Entry] = []
        keyed: list[tuple[_Key, int]] = []
        pinned: list[tuple[_Key, int]] = []
        lines: list[tuple[_Key, int]] = []
        for cls, tier, reasons in groups:
            unconfirmed = "confirm-eligibility" in reasons
            topic = not crisis and bool(cls.program.topics & request.topics)
            promote = not own_open and tier in (TIER_ROLE, TIER_NATIONAL)
            for member in cls.members:
                (
                    program,
                    doubt,
                    no_verified_contact,
                    language_missing,
                    shape,
                    promotable,
                    any_hour_line,
                    _hours,
                    ranks,
                    is_988,
                    fits,
                    *_shown,
                ) = member
                shape_fit = shape_fits.get(shape)
                if shape_fit is None:
                    shape_fit = shape_fits[shape] = self._shape_fit(
                        self._shape_programs[shape], request
                    )
                pair = (
                    (
                        ranks[imminent] if crisis else 0,
                        TIER_ANY_HOUR if promote and promotable else tier,
                        doubt,
                        shape_fit[1] or language_missing[french],
                        no_verified_contact,
                        False,  # closed now: assumed open until the program comes up
                        unconfirmed,
                        -(fits[need][0] + shape_fit[0]),
                        program.id,
                    ),
                    len(items),
                )
                items.append(member)
                entries.append((program, tier, reasons))
                if topic or (concern and is_988):
                    pinned.append(pair)
                else:
                    keyed.append(pair)
                    if any_hour_line:  # never closed: its key is already exact
                        lines.append(pair)

        return items, entries, keyed, pinned, lines

    @staticmethod
    def _any_hour_line(program: Program) -> bool:
        return program.hours.always_open and program.kind in _LINE_KINDS

    def _province_contacts(self, program: Program, province: str) -> tuple[Contact, ...]:
        found = self._contacts.get(program.id)
        if found is None:
            # Emergency cards keep the directory's order: what to dial first is curated there.
            ordered = (
                program.contacts
                if program.kind == "emergency"
                else tuple(sorted(program.contacts, key=_contact_order))
            )
            found = self._contacts[program.id] = (ordered, any(c.provinces for c in ordered))
        contacts, regional = found
        if regional:
            contacts = tuple(c for c in contacts if c.offered_in(province))
        return contacts
