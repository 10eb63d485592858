"""Kiosk self-intake: the questions, their order, and what the answers become.

Qt-free so the flow can be tested without a window. One question per screen; the safety screen
comes third (after who and where, because the crisis screen needs the province or territory).
It asks the screen's kiosk questions (resources/safety-screen.toml, `kiosk = true`) one per
screen and gives the same tiers as the phone line, from the same rules: high or imminent turns
to the crisis screen and alerts the staff; an attempt that may be in progress does so at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from intake.i18n import N_, NP_, Language
from intake.routing.engine import Need, Request
from intake.safety import SEVERITY, Screen
from intake.storage.records import ContactRecord

# The steps, in order. Each answers one field of `KioskAnswers`.
STEPS = ("who", "province", "safety", "need", "format", "service_language")

# Short labels carry a context (NP_) so that a translator knows where they appear.
Label = str | tuple[str, str]
WHO: dict[str, Label] = {
    "physician": N_("A physician"),
    "resident": N_("A resident"),
    "student": N_("A medical student"),
    "family": N_("Family of a physician"),
    "colleague": N_("Worried about a colleague"),
}
NEEDS: dict[str, tuple[Label, str]] = {
    "peer": (
        NP_("kind of help", "Peer support"),
        N_("Talk in confidence with a trained physician who has been there. No treatment."),
    ),
    "counselling": (
        NP_("kind of help", "Counselling"),
        N_("Sessions with a professional counsellor or therapist."),
    ),
    "mentorship": (
        NP_("kind of help", "Mentorship"),
        N_("An experienced colleague who guides you over time, in your career."),
    ),
    "coaching": (
        NP_("kind of help", "Coaching"),
        N_("A trained coach helps you set goals and work toward them."),
    ),
}
FORMATS: dict[str, Label] = {
    "one-on-one": NP_("format", "One-on-one"),
    "group": NP_("format", "In a group"),
    "either": NP_("format", "Either is fine"),
}
SAFETY: dict[str, Label] = {
    "yes": NP_("answer", "Yes"),
    "no": NP_("answer", "No"),
    "unsure": NP_("answer", "I'm not sure"),
    "declined": NP_("answer", "I'd rather not say"),
}
# What the record says happened at the end (the truth, whatever screen the person left from).
OUTCOME_REFERRED = "referred"
OUTCOME_CALLBACK = "callback-requested"
OUTCOME_CRISIS = "crisis-screen"  # left from the crisis screen, staff alerted


def next_safety_question(screen: Screen, answers: Mapping[str, str]) -> str | None:
    """The next kiosk question to ask, or None when the screen is done (all asked, or an attempt
    may be in progress: then the crisis screen comes at once)."""
    asked = [q.id for q in screen.kiosk_questions]
    if screen.assess(answers, asked=asked).in_progress:
        return None
    for question in screen.kiosk_questions:
        if question.id not in answers and question.applies(answers):
            return question.id
    return None


def kiosk_tier(screen: Screen, answers: Mapping[str, str]) -> str:
    return screen.assess(answers, asked=[q.id for q in screen.kiosk_questions]).tier


SERVICE_LANGUAGES: dict[str, Label] = {
    "en": NP_("service language", "In English"),
    "fr": NP_("service language", "In French"),
    "either": NP_("service language", "Either is fine"),
}
BEST_TIMES: dict[str, Label] = {
    "morning": N_("Morning (8 a.m. to noon)"),
    "afternoon": N_("Afternoon (noon to 5 p.m.)"),
    "evening": N_("Evening (5 p.m. to 9 p.m.)"),
}


@dataclass(frozen=True)
class KioskAnswers:
    language: Language
    who: str | None = None
    province: str | None = None
    safety: str | None = None  # the tier, once the safety screen is done
    need: str | None = None
    format: str | None = None
    service_language: str | None = None

    def answer(self, step: str, value: str) -> KioskAnswers:
        if step not in STEPS:
            raise ValueError(f"unknown step: {step!r}")
        return replace(self, **{step: value})  # type: ignore[arg-type]

    @property
    def about_colleague(self) -> bool:
        return self.who == "colleague"

    @property
    def role(self) -> str | None:
        # The person worried about a colleague is helped as "someone else"; routing serves the
        # colleague (a physician) through `about_colleague`.
        return "other" if self.who == "colleague" else self.who

    @property
    def risk(self) -> str:
        """The tier from the safety screen; "not-screened" until it is done."""
        return self.safety if self.safety in SEVERITY else "not-screened"

    @property
    def in_danger(self) -> bool:
        return self.risk in ("high", "imminent")

    def next_step(self) -> str | None:
        """The first question not answered yet, or None when all are."""
        for step in STEPS:
            if getattr(self, step) is None:
                return step
        return None

    def request(self, at: datetime) -> Request:
        if self.province is None:
            raise ValueError("the province or territory is not known yet")
        need: Need = self.need if self.need in NEEDS else "peer"  # type: ignore[assignment]
        service = self.service_language if self.service_language in ("en", "fr") else None
        return Request(
            province=self.province,
            at=at,
            role=self.role or "physician",
            language=service or self.language,
            need=need,
            modes=frozenset({self.format})
            if self.format in ("one-on-one", "group")
            else frozenset(),
            about_colleague=self.about_colleague,
            # A family member at the kiosk is there about the physician in their family.
            about_family=self.who == "family",
            risk="concern" if self.risk == "not-screened" else self.risk,
        )

    def record(
        self,
        contact_id: str,
        started_at: datetime,
        ui_language: Language,
        referrals: tuple[str, ...],
        *,
        outcome: str,
        callback_number: str | None = None,
        crisis_shown: bool = False,
        staff_alerted: bool = False,
    ) -> ContactRecord:
        """Coded, de-identified answers; a callback number only with the person's consent."""
        return ContactRecord(
            id=contact_id,
            channel="kiosk",
            started_at=started_at.astimezone(UTC).isoformat(timespec="seconds"),
            ended_at=None,
            ui_language=ui_language,
            caller_language=self.language,
            role=self.role,
            province=self.province,
            about_colleague=self.about_colleague,
            about_family=self.who == "family",
            need=self.need,
            formats=(self.format,) if self.format in ("one-on-one", "group") else (),
            risk=self.risk if self.risk in SEVERITY else "none",
            referrals=tuple({"program": p, "offered": True} for p in referrals),
            crisis_actions=(("kiosk-crisis-screen",) if crisis_shown else ())
            + (("kiosk-staff-alerted",) if staff_alerted else ())
            + (("safety-not-screened",) if self.risk not in SEVERITY else ()),
            outcome=outcome,
            consent_notes=callback_number is not None,
            callback_number=callback_number,
        )
