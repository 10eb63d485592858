"""A phone-line call in progress: everything the volunteer has entered, as one plain value.

Qt-free so the rules can be tested alone: what a call becomes in the store (a coded record, a
note, a follow-up), what its autosaved draft may contain (nothing free-text when the caller
declined note-keeping), and the routing request built from it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any

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
TOPICS = {
    "burnout": NP_("topic", "Workload and burnout"),
    "complaint": NP_("topic", "A complaint or litigation"),
    "adverse-outcome": NP_("topic", "An adverse outcome"),
    "relationships": NP_("topic", "Relationships"),
    "grief": NP_("topic", "Grief"),
    "substance-use": NP_("topic", "Substance use"),
    "mental-health": NP_("topic", "Mental health"),
    "career": NP_("topic", "Career transition"),
    "harassment": NP_("topic", "Harassment"),
}
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
OUTCOMES = {
    "referred": NP_("outcome", "Referred to a program"),
    "information": NP_("outcome", "Information given"),
    "crisis-connected": NP_("outcome", "Connected to crisis help"),
    "callback": NP_("outcome", "Callback arranged"),
    "declined": NP_("outcome", "Caller declined help"),
    "disconnected": NP_("outcome", "Call disconnected"),
}
CRISIS_ACTIONS = {
    "crisis-route-opened": NP_("crisis action", "Crisis route opened"),
    "emergency-called": NP_("crisis action", "Emergency services called"),
    "988-offered": NP_("crisis action", "9-8-8 offered"),
    "warm-transfer": NP_("crisis action", "Warm transfer started"),
    "connection-confirmed": NP_("crisis action", "Connection confirmed"),
    "supervisor-informed": NP_("crisis action", "On-call supervisor informed"),
    # A documented reason when the connection could not be confirmed, or the supervisor not
    # informed (codes from intake.safety; a high or imminent call needs one or the other).
    "no-connection:declined-with-plan": NP_(
        "crisis action", "No connection: the caller declined and agreed to a safety plan"
    ),
    "no-connection:disconnected": NP_(
        "crisis action", "No connection: the call dropped before it could be confirmed"
    ),
    "no-connection:already-with-help": NP_(
        "crisis action", "No connection: already with emergency services or a clinician"
    ),
    "supervisor-not-informed:not-reachable": NP_(
        "crisis action", "Supervisor not informed: could not be reached"
    ),
    "supervisor-not-informed:none-on-call": NP_(
        "crisis action", "Supervisor not informed: nobody on call"
    ),
    # Not an action: the safety screen was never answered (the risk column then says "none",
    # the only value the stored schema allows; this mark says it was not screened).
    "safety-not-screened": NP_("crisis action", "Safety screen not done"),
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
    outcome: str | None = None
    crisis_actions: list[str] = field(default_factory=list)
    step: str = "greeting"

    @property
    def keeps_text(self) -> bool:
        return bool(self.consent_notes)

    def payload(self) -> dict[str, Any]:
        """The draft to autosave: identifiers and free text only with the caller's consent."""
        data = asdict(self)
        if not self.keeps_text:
            for name in _PRIVATE:
                data[name] = ""
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
