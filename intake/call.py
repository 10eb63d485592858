"""A phone-line call in progress: everything the volunteer has entered, as one plain value.

Qt-free so the rules can be tested alone: what a call becomes in the store (a coded record, a
note, a follow-up), what its autosaved draft may contain (nothing free-text when the caller
declined note-keeping), and the routing request built from it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any

from intake import vocabulary_labels
from intake.i18n import N_, NP_, Language
from intake.routing.engine import Need, Request
from intake.safety import SEVERITY
from intake.storage.records import ContactRecord

STEPS = ("greeting", "who", "safety", "needs", "recommendations", "wrapup")
STEP_NAMES = {
    "greeting": NP_("call step", "Greeting and consent"),
    "who": NP_("call step", "Who is calling"),
    "safety": NP_("call step", "Safety"),
    "needs": NP_("call step", "What is going on"),
    "recommendations": NP_("call step", "Recommendations"),
    "wrapup": NP_("call step", "Wrap-up"),
}
# The labels are the one vocabulary's (intake.vocabulary_labels), shared with History.
TOPICS = vocabulary_labels.TOPICS
# What each kind of help is, in one line the volunteer can read aloud (in the caller's language).
NEED_SCRIPTS = {
    "peer": N_(
        "Peer support: a trained physician who has been there listens in confidence; no treatment."
    ),
    "counselling": N_("Counselling: sessions with a professional counsellor or therapist."),
    "mentorship": N_("Mentorship: an experienced colleague guides you over time, in your career."),
    "coaching": N_("Coaching: a trained coach helps you set goals and work toward them."),
    "information": N_("Information: where to find resources and programs near you."),
}
# How a call can end at wrap-up: not "abandoned" (its own action) nor the kiosk's outcomes.
OUTCOMES = {
    code: vocabulary_labels.OUTCOMES[code]
    for code in (
        "referred",
        "information",
        "crisis-connected",
        "callback",
        "declined",
        "disconnected",
    )
}
# What the call's crisis route records; the kiosk's marks are the kiosk's own.
CRISIS_ACTIONS = {
    code: label
    for code, label in vocabulary_labels.CRISIS_ACTIONS.items()
    if not code.startswith("kiosk-")
}
# The marks the volunteer ticks in the crisis panel (the reasons are chosen from lists there).
TICKED_ACTIONS = (
    "emergency-called",
    "988-offered",
    "warm-transfer",
    "connection-confirmed",
    "supervisor-informed",
)
# Free text and identifiers: never stored, not even in a draft, when the caller declined notes.
_PRIVATE = ("caller_name", "callback_number", "notes", "followup_number")


@dataclass
class Call:
    contact_id: str
    started_at: str  # ISO 8601 with offset
    caller_language: Language = "en"
    consent_notes: bool | None = None  # None: not asked yet
    anonymous: bool = True
    caller_name: str = ""
    role: str | None = None
    province: str | None = None
    about_colleague: bool = False
    about_family: bool = False  # about a physician in the caller's family
    callback_number: str = ""
    safety: dict[str, str] = field(default_factory=dict)
    risk: str = "not-screened"  # a tier from intake.safety; "not-screened" until answered
    topics: list[str] = field(default_factory=list)
    need: str | None = None
    modes: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    outside_community: bool = False
    offered: list[str] = field(default_factory=list)
    chosen: str | None = None
    notes: str = ""
    followup: bool = False
    followup_number: str = ""
    followup_due: str = ""  # ISO 8601 with the caller's offset
    # The caller agreed that a message may be left at the follow-up number (default: not).
    followup_messages_ok: bool = False
    outcome: str | None = None
    crisis_actions: list[str] = field(default_factory=list)
    step: str = "greeting"
    # A trained peer supporter asked for at the wrap-up (issue 17): saved as a match request for
    # the coordinator only with the caller's explicit yes (default no). Whether they want
    # someone from outside their site is `outside_community`; what about is `topics`.
    peer_consent: bool = False
    peer_site: str = ""
    peer_language: str = ""  # empty: the caller's language
    peer_format: str = ""
    peer_name: str = ""  # how the coordinator and the matched peer reach them
    peer_reach: str = ""

    @property
    def keeps_text(self) -> bool:
        return bool(self.consent_notes)

    def payload(self) -> dict[str, Any]:
        """The draft to autosave: identifiers and free text only with the caller's consent."""
        data = asdict(self)
        if not self.keeps_text:
            for name in _PRIVATE:
                data[name] = ""
        if not self.peer_consent:  # the request's identifiers only once the caller said yes
            data["peer_name"] = data["peer_reach"] = ""
        return data

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> Call:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def add_crisis_action(self, action: str) -> None:
        if action not in CRISIS_ACTIONS:
            raise ValueError(f"unknown crisis action: {action!r}")
        if action not in self.crisis_actions:
            self.crisis_actions.append(action)

    def set_reason(self, prefix: str, code: str | None) -> None:
        """Replace the coded reason under `prefix` (no-connection: or supervisor-not-informed:)."""
        self.crisis_actions = [a for a in self.crisis_actions if not a.startswith(prefix)]
        if code is not None:
            self.add_crisis_action(prefix + code)

    def reason(self, prefix: str) -> str | None:
        return next((a[len(prefix) :] for a in self.crisis_actions if a.startswith(prefix)), None)

    @property
    def routing_risk(self) -> str:
        """Not screened is routed like concern: 9-8-8 stays among the recommendations."""
        return "concern" if self.risk == "not-screened" else self.risk

    def request(self, at: datetime) -> Request:
        if self.province is None:
            raise ValueError("the province or territory is not known yet")
        need: Need = self.need if self.need in NEED_SCRIPTS else "peer"  # type: ignore[assignment]
        return Request(
            province=self.province,
            at=at,
            role=self.role or "physician",
            language=self.caller_language,
            need=need,
            modes=frozenset(self.modes),
            channels=frozenset(self.channels),
            outside_community=self.outside_community,
            about_colleague=self.about_colleague,
            about_family=self.about_family,
            topics=frozenset(t for t in self.topics if t in TOPICS),
            risk=self.routing_risk,
        )

    def record(self, ui_language: Language, ended_at: str | None) -> ContactRecord:
        """The coded record; the name and number only with consent (the store checks again)."""
        keep = self.keeps_text
        return ContactRecord(
            id=self.contact_id,
            channel="phone",
            started_at=self.started_at,
            ended_at=ended_at,
            ui_language=ui_language,
            caller_language=self.caller_language,
            role=self.role,
            province=self.province,
            about_colleague=self.about_colleague,
            about_family=self.about_family,
            topics=tuple(self.topics),
            need=self.need,
            formats=tuple(self.modes + self.channels),
            risk=self.risk if self.risk in SEVERITY else "none",
            referrals=tuple(
                {"program": p, "offered": True, "chosen": p == self.chosen} for p in self.offered
            ),
            crisis_actions=tuple(self.crisis_actions)
            + (("safety-not-screened",) if self.risk not in SEVERITY else ()),
            outcome=self.outcome,
            consent_notes=keep,
            caller_name=(self.caller_name.strip() or None) if keep and not self.anonymous else None,
            callback_number=(self.callback_number or None) if keep else None,
        )

    def forget_private_text(self) -> None:
        """Drop every identifier and free text (the caller declined or withdrew consent)."""
        for name in _PRIVATE:
            setattr(self, name, "")
        self.followup = False
        self.followup_messages_ok = False
