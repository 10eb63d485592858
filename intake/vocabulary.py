"""The coded values: one vocabulary for the directory, the routing, the command line, the call,
the kiosk, the store and History.

Kept in a module with no imports so that building the command-line parser (part of every start,
the GUI's included) costs nothing. Each coded value's translatable label lives beside it in
`intake.vocabulary_labels`; the store's constraints on coded columns are generated from the
tuples below (migration 6), and a test checks every value has a label in both languages.
"""

MODES = ("one-on-one", "group")
CHANNELS = ("phone", "virtual", "in-person", "text")
NEEDS = ("peer", "counselling", "mentorship", "coaching", "information")
RISKS = ("none", "concern", "high", "imminent")
# What the call is about (the call records them; routing uses them for topic-specific programs).
TOPICS = (
    "burnout",
    "complaint",
    "adverse-outcome",
    "relationships",
    "grief",
    "substance-use",
    "mental-health",
    "career",
    "harassment",
)

# The risk tiers a screen can give; "not-screened" is shown, never stored as a risk (the record
# keeps "none" with the crisis mark "safety-not-screened").
RISK_TIERS = ("not-screened", *RISKS)
# Who the caller or visitor is (a kiosk visitor worried about a colleague is "other").
ROLES = ("physician", "resident", "student", "retired", "family", "other")
# How a contact reached the line.
CONTACT_CHANNELS = ("phone", "kiosk")
# The formats a contact asked for: modes and channels together.
FORMATS = (*MODES, *CHANNELS)
# How a phone call ended (chosen at wrap-up), and "abandoned" for a call started by mistake.
CALL_OUTCOMES = (
    "referred",
    "information",
    "crisis-connected",
    "callback",
    "declined",
    "disconnected",
    "abandoned",
)
# How a kiosk visit ended: programs shown, a callback asked for, or left from the crisis screen.
KIOSK_OUTCOMES = ("callback-requested", "crisis-screen")
OUTCOMES = (*CALL_OUTCOMES, *KIOSK_OUTCOMES)  # "referred" serves both
# Why a call was abandoned (short codes only: nothing else of the call is kept).
ABANDON_REASONS = ("started-by-mistake", "test-call", "duplicate", "caller-hung-up-at-once")
# What was done on the crisis route, with the documented reasons for what could not be done.
CRISIS_ACTIONS = (
    "crisis-route-opened",
    "emergency-called",
    "988-offered",
    "warm-transfer",
    "connection-confirmed",
    "supervisor-informed",
    "no-connection:declined-with-plan",
    "no-connection:disconnected",
    "no-connection:already-with-help",
    "supervisor-not-informed:not-reachable",
    "supervisor-not-informed:none-on-call",
    "safety-not-screened",
    "kiosk-crisis-screen",
    "kiosk-staff-alerted",
)
# Accounts: who signs in. Coordinators and peer supporters join volunteers and supervisors.
ACCOUNT_ROLES = ("volunteer", "supervisor", "coordinator", "peer-supporter", "kiosk")

# The worklist. Kinds are open to extension: add a code here and its label, and a migration that
# regenerates the store's checks (as version 13 did for "first-contact": the first contact a
# matched peer supporter owes the physician, due three business days after accepting).
WORK_KINDS = ("followup", "callback", "first-contact")
WORK_STATUSES = ("open", "done", "cancelled")
ATTEMPT_RESULTS = ("reached", "no-answer", "message-left")
WORK_OUTCOMES = ("helped", "referred", "declined", "unreachable", "no-longer-needed")
# The kiosk's best-time choices for a callback (times of day in the person's own zone).
BEST_TIMES = ("morning", "afternoon", "evening")

# Matching and the sponsors' reports (issue 17). Where a match request or a survey answer came
# from (the survey is also offered at a request's closure), the kind of match asked for, and how
# a closed request ended.
REPORT_CHANNELS = ("phone", "kiosk", "coordinator", "closure")
MATCH_KINDS = ("local", "inter-site")
MATCH_OUTCOMES = ("supported", "referred-on", "no-contact", "withdrawn")
