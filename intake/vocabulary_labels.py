"""The label of every coded value in `intake.vocabulary`, marked for translation with a context
(translate them where they are shown: `label(kind, code)` or `translate(LABELS[kind][code])`).

Apart from the call's own lists (kept where the call's screens read them), this is the one place a
coded value gets its words; History, the worklist and the console read them from here.
"""

from __future__ import annotations

from intake import vocabulary as v
from intake.i18n import N_, NP_, translate

Label = str | tuple[str, str]

RISK_TIERS: dict[str, Label] = {
    "not-screened": NP_("risk tier", "Not screened"),
    "none": NP_("risk tier", "No risk identified"),
    "concern": NP_("risk tier", "Concern"),
    "high": NP_("risk tier", "High risk"),
    "imminent": NP_("risk tier", "Imminent risk"),
}
ROLES: dict[str, Label] = {
    "physician": N_("Physician"),
    "resident": N_("Resident"),
    "student": N_("Medical student"),
    "retired": N_("Retired physician"),
    "family": N_("Family member"),
    "other": N_("Someone else"),
}
CONTACT_CHANNELS: dict[str, Label] = {
    "phone": NP_("channel", "Phone"),
    "kiosk": NP_("channel", "Kiosk"),
}
NEEDS: dict[str, Label] = {
    "peer": NP_("kind of help", "Peer support"),
    "counselling": NP_("kind of help", "Counselling"),
    "mentorship": NP_("kind of help", "Mentorship"),
    "coaching": NP_("kind of help", "Coaching"),
    "information": NP_("kind of help", "Information"),
}
FORMATS: dict[str, Label] = {
    "one-on-one": NP_("format", "One-on-one"),
    "group": NP_("format", "Group"),
    "phone": NP_("format", "By phone"),
    "virtual": NP_("format", "Video"),
    "in-person": NP_("format", "In person"),
    "text": NP_("format", "By text"),
}
TOPICS: dict[str, Label] = {
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
OUTCOMES: dict[str, Label] = {
    "referred": NP_("outcome", "Referred to a program"),
    "information": NP_("outcome", "Information given"),
    "crisis-connected": NP_("outcome", "Connected to crisis help"),
    "callback": NP_("outcome", "Callback arranged"),
    "declined": NP_("outcome", "Caller declined help"),
    "disconnected": NP_("outcome", "Call disconnected"),
    "abandoned": NP_("outcome", "Call abandoned (started by mistake)"),
    "callback-requested": NP_("outcome", "Kiosk: callback requested"),
    "crisis-screen": NP_("outcome", "Kiosk: left from the crisis screen"),
}
ABANDON_REASONS: dict[str, Label] = {
    "started-by-mistake": NP_("abandon reason", "Started by mistake"),
    "test-call": NP_("abandon reason", "A test, not a real call"),
    "duplicate": NP_("abandon reason", "Already being recorded elsewhere"),
    "caller-hung-up-at-once": NP_("abandon reason", "The caller hung up before saying anything"),
}
CRISIS_ACTIONS: dict[str, Label] = {
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
    "kiosk-crisis-screen": NP_("crisis action", "Kiosk crisis screen shown"),
    "kiosk-staff-alerted": NP_("crisis action", "Kiosk staff alerted"),
}
ACCOUNT_ROLES: dict[str, Label] = {
    "volunteer": NP_("account role", "Volunteer"),
    "supervisor": NP_("account role", "Supervisor"),
    "coordinator": NP_("account role", "Coordinator"),
    "peer-supporter": NP_("account role", "Peer supporter"),
    "kiosk": NP_("account role", "Kiosk"),
}
WORK_KINDS: dict[str, Label] = {
    "followup": NP_("worklist item", "Follow-up call"),
    "callback": NP_("worklist item", "Kiosk callback request"),
    "first-contact": NP_("worklist item", "First contact with a matched physician"),
}
WORK_STATUSES: dict[str, Label] = {
    "open": NP_("worklist status", "Open"),
    "done": NP_("worklist status", "Closed"),
    "cancelled": NP_("worklist status", "Cancelled"),
}
ATTEMPT_RESULTS: dict[str, Label] = {
    "reached": NP_("call attempt", "Reached"),
    "no-answer": NP_("call attempt", "No answer"),
    "message-left": NP_("call attempt", "Message left"),
}
WORK_OUTCOMES: dict[str, Label] = {
    "helped": NP_("worklist outcome", "Spoke with the person"),
    "referred": NP_("worklist outcome", "Referred to a program"),
    "declined": NP_("worklist outcome", "The person declined"),
    "unreachable": NP_("worklist outcome", "Could not be reached"),
    "no-longer-needed": NP_("worklist outcome", "No longer needed"),
}
BEST_TIMES: dict[str, Label] = {
    "morning": N_("Morning (8 a.m. to noon)"),
    "afternoon": N_("Afternoon (noon to 5 p.m.)"),
    "evening": N_("Evening (5 p.m. to 9 p.m.)"),
}
REPORT_CHANNELS: dict[str, Label] = {
    "phone": NP_("report channel", "Phone line"),
    "kiosk": NP_("report channel", "Kiosk"),
    "coordinator": NP_("report channel", "Coordinator"),
    "closure": NP_("report channel", "At closure"),
}
MATCH_KINDS: dict[str, Label] = {
    "local": NP_("match kind", "Local"),
    "inter-site": NP_("match kind", "Inter-site"),
}
MATCH_OUTCOMES: dict[str, Label] = {
    "supported": NP_("match outcome", "Supported by the peer"),
    "referred-on": NP_("match outcome", "Referred on to other help"),
    "no-contact": NP_("match outcome", "Could not be reached"),
    "withdrawn": NP_("match outcome", "Withdrew the request"),
}

# Each list of coded values in the vocabulary, with its labels: the completeness test walks it.
LABELS: dict[str, tuple[tuple[str, ...], dict[str, Label]]] = {
    "risk": (v.RISK_TIERS, RISK_TIERS),
    "role": (v.ROLES, ROLES),
    "channel": (v.CONTACT_CHANNELS, CONTACT_CHANNELS),
    "need": (v.NEEDS, NEEDS),
    "format": (v.FORMATS, FORMATS),
    "topic": (v.TOPICS, TOPICS),
    "outcome": (v.OUTCOMES, OUTCOMES),
    "abandon-reason": (v.ABANDON_REASONS, ABANDON_REASONS),
    "crisis-action": (v.CRISIS_ACTIONS, CRISIS_ACTIONS),
    "account-role": (v.ACCOUNT_ROLES, ACCOUNT_ROLES),
    "work-kind": (v.WORK_KINDS, WORK_KINDS),
    "work-status": (v.WORK_STATUSES, WORK_STATUSES),
    "attempt": (v.ATTEMPT_RESULTS, ATTEMPT_RESULTS),
    "work-outcome": (v.WORK_OUTCOMES, WORK_OUTCOMES),
    "best-time": (v.BEST_TIMES, BEST_TIMES),
    "report-channel": (v.REPORT_CHANNELS, REPORT_CHANNELS),
    "match-kind": (v.MATCH_KINDS, MATCH_KINDS),
    "match-outcome": (v.MATCH_OUTCOMES, MATCH_OUTCOMES),
}


def label(kind: str, code: str | None) -> str:
    """The label of `code` in the interface language; "—" for none. A code the vocabulary does
    not know (a store written by a later version) shows as itself in brackets, never blank."""
    if code is None or code == "":
        return "—"
    labels = LABELS[kind][1]
    if code in labels:
        return translate(labels[code])
    return f"[{code}]"
