"""Directory entries as immutable values. Loading and validation live in `load.py`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Generic, Literal, TypeVar

from intake.routing.holiday_dates import is_holiday
from intake.timezones import zone

T = TypeVar("T")
Status = Literal["verified", "third-party", "unverified"]
STATUSES: tuple[Status, ...] = ("verified", "third-party", "unverified")
KINDS = (
    "peer-support",
    "counselling",
    "mentorship",
    "coaching",
    "health-program",
    # A 24/7 line that supports a group (residents, Indigenous people, young people): support
    # first, offered without any risk whenever it serves the caller.
    "support-line",
    # A crisis-only line: offered from "concern" on.
    "crisis-line",
    "emergency",
    "information",
    "regulatory",
)
CONTACT_TYPES = ("voice", "text", "tty", "email", "web", "chat")
# "some-callers": a contact for some callers only (its note says whom), given after the
# program's general contacts (BC's IMPACT voicemail, for rural physicians after an incident).
CONTACT_TAGS = ("toll-free", "local", "international", "after-hours", "collect", "some-callers")
AUDIENCES = ("indigenous", "veterans", "youth")
COSTS = ("free", "free-for-members", "fee", "unknown")
SCOPES = ("national", "provincial", "local")
LISTINGS = ("show", "hide-until-verified")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Provenance:
    status: Status
    source: str
    checked: date
    source_date: date | None = None


@dataclass(frozen=True)
class Text:
    en: str
    fr: str

    def get(self, language: str) -> str:
        return self.fr if language == "fr" else self.en

    @classmethod
    def from_table(cls, value: object) -> Text | None:
        """{en = "...", fr = "..."} with both non-blank, or None (the caller says what is wrong)."""
        if not isinstance(value, dict):
            return None
        en, fr = value.get("en"), value.get("fr")
        if not (isinstance(en, str) and en.strip() and isinstance(fr, str) and fr.strip()):
            return None
        return cls(en.strip(), fr.strip())


@dataclass(frozen=True)
class Name:
    text: Text
    provenance: Provenance
    # False when no official French name is known and `text.fr` is our own description.
    fr_official: bool


@dataclass(frozen=True)
class Fact(Generic[T]):
    value: T
    provenance: Provenance


@dataclass(frozen=True)
class Contact:
    type: str
    value: str  # as written in the directory
    dial: str  # E.164 for phone numbers, the short code for short numbers, else the value
    display_en: str
    display_fr: str
    tags: frozenset[str]
    provenance: Provenance
    keyword: str | None = None  # what to text, for text short codes
    note: Text | None = None
    provinces: frozenset[str] = frozenset()  # empty: wherever the program is offered

    def offered_in(self, province: str) -> bool:
        return not self.provinces or province in self.provinces

    def display(self, language: str) -> str:
        return self.display_fr if language == "fr" else self.display_en


@dataclass(frozen=True)
class WeeklySlot:
    days: frozenset[int]  # 0 = Monday
    open: time
    close: time  # a close at or before the open means the shift crosses midnight

    @property
    def crosses_midnight(self) -> bool:
        return self.close <= self.open


@dataclass(frozen=True)
class Session:
    """A recurring session such as "every 2nd and 4th Wednesday, 19:00-20:30"."""

    weekday: int
    nth: frozenset[int]  # 1..5; 5 means the fifth occurrence, when the month has one
    start: time
    end: time


def _nth_of_month(day: date) -> int:
    return (day.day - 1) // 7 + 1


@dataclass(frozen=True)
class Hours:
    tz: str
    always_open: bool
    weekly: tuple[WeeklySlot, ...]
    sessions: tuple[Session, ...]
    after_hours: Text | None
    callback_within_hours: int | None
    provenance: Provenance
    region: str = "CA"  # whose holidays close it: a province code, or CA for national ones
    open_on_holidays: bool = False

    @property
    def known(self) -> bool:
        return self.always_open or bool(self.weekly or self.sessions)

    def open_at(self, moment: datetime) -> bool | None:
        """True/False, or None when the schedule is not known."""
        return self.open_at_local(moment.astimezone(zone(self.tz)))

    def open_at_local(self, local: datetime) -> bool | None:
        """As `open_at`, for a moment already expressed in this program's zone."""
        if self.always_open:
            return True
        if not self.known:
            return None
        if not self.open_on_holidays and is_holiday(self.region, local.date()):
            return False
        return self._scheduled(local)

    def _scheduled(self, local: datetime) -> bool:
        """Open by the weekly schedule and sessions alone, holidays aside."""
        today, now = local.weekday(), local.time()
        for slot in self.weekly:
            if slot.crosses_midnight:
                if (today in slot.days and now >= slot.open) or (
                    (today - 1) % 7 in slot.days and now < slot.close
                ):
                    return True
            elif today in slot.days and slot.open <= now < slot.close:
                return True
        for session in self.sessions:
            if (
                today == session.weekday
                and _nth_of_month(local.date()) in session.nth
                and session.start <= now < session.end
            ):
                return True
        return False

    def next_open(self, moment: datetime) -> datetime | None:
        """When it next opens after `moment`, in the program's own zone (None if open or unknown)."""
        return self.next_open_local(moment.astimezone(zone(self.tz)))

    def next_open_local(self, local: datetime) -> datetime | None:
        if self.open_at_local(local) is not False:
            return None
        return self.next_open_when_closed(local)

    def next_open_when_closed(self, local: datetime) -> datetime | None:
        """As `next_open_local`, for a moment already known to be closed."""
        best = self._next_scheduled(local)
        # A holiday closes the day: look again from the next morning (a year at most).
        for _day in range(366):
            if best is None or self.open_on_holidays or not is_holiday(self.region, best.date()):
                return best
            midnight = datetime.combine(best.date() + timedelta(days=1), time(0), best.tzinfo)
            if self._scheduled(midnight) and not is_holiday(self.region, midnight.date()):
                return midnight
            best = self._next_scheduled(midnight)
        return None

    def _next_scheduled(self, local: datetime) -> datetime | None:
        """When the schedule next opens strictly after `local`, holidays aside."""
        tz = zone(self.tz)
        today, weekday, now = local.date(), local.weekday(), local.time()
        best: datetime | None = None
        # Jump straight to candidate days: a weekly slot opens within 7 days, a monthly session
        # within 6 weeks (routing a 10,000-program directory calls this for every closed one).
        for slot in self.weekly:
            for offset in range(8):
                if (weekday + offset) % 7 in slot.days and (offset or slot.open > now):
                    candidate = datetime.combine(today + timedelta(days=offset), slot.open, tz)
                    best = candidate if best is None or candidate < best else best
                    break
        for session in self.sessions:
            offset = (session.weekday - weekday) % 7
            for _week in range(7):
                day = today + timedelta(days=offset)
                if _nth_of_month(day) in session.nth and (offset or session.start > now):
                    candidate = datetime.combine(day, session.start, tz)
                    best = candidate if best is None or candidate < best else best
                    break
                offset += 7
        return best


@dataclass(frozen=True)
class Program:
    id: str
    kind: str
    also: frozenset[str]
    scope: str
    listing: str
    outside_community: bool
    audience: frozenset[str]
    name: Name
    description: Text
    serves: Text
    referral: Text
    eligibility: Fact[tuple[frozenset[str], frozenset[str]]]  # (provinces, roles)
    languages: Fact[frozenset[str]]  # empty when not known
    formats: Fact[tuple[frozenset[str], frozenset[str]]]  # (modes, channels)
    cost: Fact[str]
    hours: Hours
    contacts: tuple[Contact, ...]
    origin: str = field(default="", compare=False)  # the file it came from
    # Set when the program may no longer run: it comes last in its tier and says why.
    doubt: Text | None = None
    # Offered only when the call is about one of these topics (a complaint: the CMPA).
    topics: frozenset[str] = frozenset()
    # Roles the program may serve though no source confirms it for every such caller (PARO:
    # the families of residents and students, when the call does not say the physician is one):
    # shown to them with "confirm eligibility", never left out.
    confirm_roles: frozenset[str] = frozenset()

    @property
    def provinces(self) -> frozenset[str]:
        return self.eligibility.value[0]

    @property
    def roles(self) -> frozenset[str]:
        return self.eligibility.value[1]

    @property
    def kinds(self) -> frozenset[str]:
        return self.also | {self.kind}

    def facts(self) -> dict[str, Provenance]:
        """Every referral-relevant fact and its provenance, by field name."""
        found = {
            "name": self.name.provenance,
            "eligibility": self.eligibility.provenance,
            "languages": self.languages.provenance,
            "format": self.formats.provenance,
            "cost": self.cost.provenance,
            "hours": self.hours.provenance,
        }
        for index, contact in enumerate(self.contacts):
            found[f"contacts[{index}]"] = contact.provenance
        return found
