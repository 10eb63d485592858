"""The routing engine: plain Python, no I/O, deterministic for a given request and directory.

Rules (docs/routing.md explains why):
1. Eligibility is never violated: region, role, audience-specific programs, unconfirmed listings
   and regulatory bodies are excluded, each with a reason.
2. High or imminent risk switches to the crisis route. Imminent: emergency services first (the
   local alternative where 911 does not exist), then 9-8-8, then the 24/7 lines. High: 9-8-8
   first, then emergency services, then the 24/7 lines. The other programs follow.
3. Otherwise programs are ranked by how well their kind fits the help wanted, then by format and
   channel, language, region (provincial before national, unless support outside one's own
   community is wanted) and whether they are open now. A closed program is never hidden: it
   carries its next opening and a 24/7 alternative.
4. Every unverified or third-party fact, and every fact checked more than 12 months ago, is a
   warning on the recommendation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from intake.directory.model import Contact, Program
from intake.provinces import ALL, CODES, PROVINCES
from intake.timezones import zone
from intake.vocabulary import NEEDS, RISKS

Need = Literal["peer", "counselling", "mentorship", "coaching", "information"]
STALE_AFTER = timedelta(days=365)

# How well each kind of program fits each kind of help wanted (the program's main kind first,
# then what it also offers at a discount).
_FIT: dict[str, dict[str, int]] = {
    "peer": {
        "peer-support": 100,
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
        "information": 5,
        "crisis-line": 5,
    },
    "information": {
        "information": 100,
        "health-program": 60,
        "peer-support": 50,
        "counselling": 40,
        "mentorship": 30,
        "coaching": 30,
        "crisis-line": 5,
    },
}
_KIND_REASON = {
    "peer-support": "peer-support",
    "counselling": "counselling",
    "mentorship": "mentorship",
    "coaching": "coaching",
    "health-program": "health-program",
    "information": "information",
}


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


class Router:
    """Holds the directory with its indexes; `route()` answers one request."""

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
            p.id: min(prov.checked for prov in p.facts().values()) for p in self.programs
        }
        self._warning_cache: dict[tuple[str, str, str], tuple[str, ...]] = {}
        self._regional_contacts = {
            p.id: any(c.provinces for c in p.contacts) for p in self.programs
        }
        self._splits: dict[
            tuple[object, ...], tuple[tuple[Program, ...], tuple[Exclusion, ...]]
        ] = {}
        self._fits = {need: {p.id: self._fit(p, need) for p in self.programs} for need in NEEDS}
        self._contacts = {
            p.id: tuple(sorted(p.contacts, key=_contact_order)) for p in self.programs
        }

    @staticmethod
    def _fact_warnings(
        program: Program,
    ) -> tuple[tuple[str | None, str, date, frozenset[str]], ...]:
        """Per fact: its warning (None when verified), its stale warning, when it was checked,
        and the provinces it applies to (empty = all). Built once; route() only filters."""
        found = []
        for name, provenance in program.facts().items():
            label, provinces = name, frozenset[str]()
            if name.startswith("contacts["):
                contact = program.contacts[int(name[9:-1])]
                label, provinces = f"contact={contact.display_en}", contact.provinces
            warning = None if provenance.status == "verified" else f"{provenance.status}:{label}"
            found.append((warning, f"stale:{label}", provenance.checked, provinces))
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
        if "youth" in program.audience and request.role != "family":
            return "youth-only"
        if request.risk in ("none", "concern") and program.kind == "emergency":
            return "emergency-only"
        if request.risk == "none" and program.kind == "crisis-line":
            return "crisis-only"
        roles = program.roles
        if "anyone" in roles:
            return None
        if request.about_colleague:
            # The caller passes on programs for the colleague (a physician), or is helped directly.
            if roles & {"physician", "worried"}:
                return None
            return "role-not-served"
        return None if request.role in roles else "role-not-served"

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
            score += 15
        return score, tuple(reasons)

    def _score(self, program: Program, request: Request) -> tuple[int, tuple[str, ...]]:
        score, static = self._fits[request.need][program.id]
        reasons = list(static)
        if request.outside_community and ALL in program.provinces:
            score += 10
        if request.about_colleague:
            reasons.append(
                "helps-worried-others" if "worried" in program.roles else "for-the-colleague"
            )
        else:
            reasons.append("role-eligible")
        modes, channels = program.formats.value
        if request.modes and modes:
            if request.modes & modes:
                reasons.append("format-match")
                score += 10
            else:
                score -= 20
        if request.channels and channels:
            if request.channels & channels:
                reasons.append("channel-match")
                score += 8
            else:
                score -= 15
        if request.outside_community and program.outside_community:
            reasons.append("outside-community")
            score += 20
        if request.language in program.languages.value:
            reasons.append("serves-language")
            score += 8
        if request.indigenous and "indigenous" in program.audience:
            reasons.append("indigenous")
            score += 25
        if request.veteran and "veterans" in program.audience:
            reasons.append("veterans")
            score += 25
        if "youth" in program.audience:
            reasons.append("youth")
        return score, tuple(reasons)

    def _crisis_rank(self, program: Program, request: Request) -> int:
        """Lower comes first. Only used on the crisis route."""
        emergency = program.kind == "emergency"
        is_988 = program.id == "ca-988"
        always = program.hours.always_open and program.kind in (
            "crisis-line",
            "counselling",
            "health-program",
            "peer-support",
        )
        if request.risk == "imminent":
            order = (emergency, is_988, always and program.kind == "crisis-line", always)
        else:
            order = (is_988, emergency, always and program.kind == "crisis-line", always)
        for rank, flag in enumerate(order):
            if flag:
                return rank
        return len(order)

    def _warnings(
        self, program: Program, request: Request, contacts: tuple[Contact, ...]
    ) -> list[str]:
        # Everything but staleness depends only on (program, province, language): computed once.
        key = (program.id, request.province, request.language)
        static = self._warning_cache.get(key)
        if static is None:
            static = self._warning_cache[key] = self._static_warnings_for(
                program, request.province, request.language, contacts
            )
        warnings = list(static)
        oldest = request.at.date() - STALE_AFTER
        if self._oldest_check[program.id] < oldest:
            for _warning, stale, checked, provinces in self._static_warnings[program.id]:
                if checked < oldest and (not provinces or request.province in provinces):
                    warnings.append(stale)
        return warnings

    def _static_warnings_for(
        self, program: Program, province: str, language: str, contacts: tuple[Contact, ...]
    ) -> tuple[str, ...]:
        warnings = [
            warning
            for warning, _stale, _checked, provinces in self._static_warnings[program.id]
            if warning is not None and (not provinces or province in provinces)
        ]
        if language == "fr" and not program.name.fr_official:
            warnings.append("unofficial-french-name")
        if program.kind != "emergency" and all(
            c.provenance.status == "unverified" for c in contacts
        ):
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

    def _split(self, request: Request) -> tuple[tuple[Program, ...], tuple[Exclusion, ...]]:
        """Eligible programs and exclusions; they depend on few fields, so they are cached."""
        key = (
            request.province,
            request.role,
            request.about_colleague,
            request.indigenous,
            request.veteran,
            request.risk,
        )
        cached = self._splits.get(key)
        if cached is None:
            eligible: list[Program] = []
            excluded = list(self._outside[request.province])
            for program in self._serving[request.province]:
                reason = self._exclusion(program, request)
                if reason is None:
                    eligible.append(program)
                else:
                    excluded.append(Exclusion(program.id, reason))
            if len(self._splits) >= 512:  # bounded: each entry holds the whole directory
                self._splits.clear()
            cached = self._splits[key] = (tuple(eligible), tuple(excluded))
        return cached

    def route(self, request: Request) -> Result:
        crisis = request.risk in ("high", "imminent")
        caller_zone = zone(PROVINCES[request.province].zone)
        eligible, excluded = self._split(request)
        local_times: dict[str, datetime] = {}
        rows = []
        for program in eligible:
            score, static_reasons = self._score(program, request)
            reasons = list(static_reasons)
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
                score += 5
            elif open_now is False:
                reasons.append("closed-now")
                score -= 10
                upcoming = hours.next_open_local(local)
                next_open = upcoming.astimezone(caller_zone) if upcoming else None
            else:
                reasons.append("hours-unknown")
            if program.kind == "emergency":
                reasons.insert(0, "emergency-first")
            elif program.id == "ca-988":
                reasons.insert(0, "crisis-988")
            elif crisis and hours.always_open and program.kind == "crisis-line":
                reasons.insert(0, "crisis-line-24-7")
            contacts = self._contacts[program.id]
            if self._regional_contacts[program.id]:
                contacts = tuple(c for c in contacts if c.offered_in(request.province))
            warnings = self._warnings(program, request, contacts)
            if "language-not-offered" in warnings:
                score -= 30
            if "no-verified-contact" in warnings:
                score -= 15
            rank = self._crisis_rank(program, request) if crisis else 0
            if request.risk == "concern" and program.kind == "crisis-line":
                rank = 1  # a safety net after the programs that fit: 9-8-8 is offered on concern
            rows.append(
                (
                    rank,
                    -score,
                    program.id,
                    program,
                    reasons,
                    open_now,
                    next_open,
                    contacts,
                    warnings,
                    score,
                )
            )
        rows.sort(key=lambda row: row[:3])
        alternative = next(
            (
                row[2]
                for row in rows
                if row[3].hours.always_open and row[3].kind not in ("emergency", "information")
            ),
            "ca-988" if "ca-988" in self._by_id else None,
        )
        recommendations = tuple(
            Recommendation(
                program,
                tuple(reasons),
                open_now,
                next_open,
                contacts,
                tuple(warnings),
                alternative if open_now is False and alternative != program_id else None,
                score,
            )
            for _r, _s, program_id, program, reasons, open_now, next_open, contacts, warnings, score in rows
        )
        return Result(crisis, request.risk, recommendations, excluded)
