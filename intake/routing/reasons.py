"""Reason, exclusion and warning codes, and their wording in both languages.

Codes are the stable contract (JSON output, stored records); wording is translated at display.
"""

from __future__ import annotations

from intake.i18n import N_, _

REASONS: dict[str, str] = {
    "emergency-first": N_("Immediate danger: emergency services come first."),
    "emergency-if-immediate": N_(
        "If the danger becomes immediate, or an attempt is under way: emergency services."
    ),
    "crisis-988": N_("9-8-8 answers by call or text, 24/7, in English or French."),
    "crisis-line-24-7": N_("A 24/7 line for the crisis route."),
    "serves-province": N_("In the caller's own province or territory."),
    "national": N_("Available across Canada."),
    "role-eligible": N_("Eligible for the caller's role."),
    "helps-worried-others": N_("Also helps people worried about a physician."),
    "for-the-colleague": N_("For the colleague the caller is worried about."),
    "helps-family": N_("Also supports physicians' family members."),
    "for-the-family-member": N_("For the physician in the caller's family."),
    "confirm-eligibility": N_("May serve the caller's role: confirm eligibility."),
    "support-line": N_("A 24/7 support line for the caller's group."),
    "topic": N_("Fits what the call is about."),
    "peer-support": N_("Peer support: a trained physician peer listens, without treatment."),
    "offers-peer-option": N_("Also offers peer-to-peer support."),
    "counselling": N_("Counselling with a professional."),
    "mentorship": N_("Mentorship."),
    "coaching": N_("Coaching."),
    "health-program": N_("Physician health program: assessment, referral and follow-up."),
    "information": N_("Information for this region."),
    "format-match": N_("Offers the format asked for."),
    "channel-match": N_("Can be reached the way the caller prefers."),
    "outside-community": N_("Can connect the caller with support outside their own community."),
    "serves-language": N_("Serves callers in their language."),
    "indigenous": N_("Culturally grounded support for Indigenous people."),
    "veterans": N_("For Veterans, RCMP and their families."),
    "youth": N_("For young people."),
    "open-24-7": N_("Open 24/7."),
    "open-now": N_("Open now."),
    "closed-now": N_("Closed now: see when it opens, and the 24/7 alternative."),
    "hours-unknown": N_("Hours not confirmed."),
}

EXCLUSIONS: dict[str, str] = {
    "outside-region": N_("Does not serve this province or territory."),
    "not-available-here": N_("Not available in this province or territory."),
    "role-not-served": N_("Does not serve the caller's role."),
    "regulatory-not-peer-support": N_("A regulatory body, not peer support."),
    "unverified-listing": N_("Not confirmed yet: not shown until someone verifies it."),
    "indigenous-specific": N_("For Indigenous people; not asked for."),
    "veterans-specific": N_("For Veterans and their families; not asked for."),
    "youth-only": N_("For young people only."),
    "emergency-only": N_("For emergencies only."),
    "crisis-only": N_("A crisis line: offered when risk appears."),
    "topic-not-raised": N_("Only for a specific topic, not raised in this call."),
}

WARNINGS: dict[str, str] = {
    "unverified": N_("Not verified: {field}. Do not present it as fact."),
    "third-party": N_("Only from a third-party source: {field}."),
    "stale": N_("Checked more than 12 months ago: {field}."),
    "unofficial-french-name": N_(
        "No official French name is known; the French name is a description."
    ),
    "no-verified-contact": N_("No verified way to reach it."),
    "language-not-offered": N_("Service is not offered in the caller's language."),
    "french-not-confirmed": N_("Service in French is not confirmed: ask the program."),
    "may-not-run": N_("This program may no longer run: check before offering it."),
    "confirm-eligibility": N_("Eligibility for the caller's role is not stated: ask the program."),
}

FIELDS: dict[str, str] = {
    "name": N_("name"),
    "eligibility": N_("who is eligible"),
    "languages": N_("service languages"),
    "format": N_("format"),
    "cost": N_("cost"),
    "hours": N_("hours"),
    "contact": N_("contact"),
}


# Where the volunteer's wording speaks of "the caller", a person reading alone at the kiosk is
# addressed directly.
SELF_REASONS: dict[str, str] = {
    "role-eligible": N_("You are eligible."),
    "for-the-colleague": N_("For your colleague."),
    "channel-match": N_("Can be reached the way you prefer."),
    "outside-community": N_("Can connect you with support outside your own community."),
    "serves-language": N_("Serves you in the language you chose."),
}


def reason_text(code: str) -> str:
    return _(REASONS[code])


def self_reason_text(code: str) -> str:
    """The reason addressed to the person themselves (the kiosk)."""
    return _(SELF_REASONS.get(code, REASONS[code]))


def exclusion_text(code: str) -> str:
    return _(EXCLUSIONS[code])


def warning_text(code: str) -> str:
    """`unverified:hours` -> "Not verified: hours. …" in the current language."""
    kind, _sep, field = code.partition(":")
    label = _(FIELDS["contact" if field.startswith("contact") else field]) if field else ""
    if field.startswith("contact") and "=" in field:
        label = f"{label} {field.partition('=')[2]}"
    return _(WARNINGS[kind]).format(field=label)


def plain_cautions(codes: tuple[str, ...] | list[str]) -> list[str]:
    """The warnings in plain words for someone reading alone (the kiosk): one line for every
    unconfirmed detail together, then the others as they are."""
    fields: list[str] = []
    lines: list[str] = []
    for code in codes:
        kind, _sep, field = code.partition(":")
        if kind in ("unverified", "third-party", "stale"):
            label = _(FIELDS["contact" if field.startswith("contact") else field])
            if label not in fields:
                fields.append(label)
        elif kind == "no-verified-contact":
            lines.append(
                _("We have no confirmed way to reach it yet: the staff at the desk can help.")
            )
        else:
            lines.append(warning_text(code))
    if fields:
        lines.insert(
            0,
            _("Not confirmed yet: {details}. Please check them when you get in touch.").format(
                details=", ".join(fields)
            ),
        )
    return lines
