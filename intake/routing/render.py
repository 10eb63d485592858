"""Routing results as JSON (the stable contract) and as text for a person, in either language."""

from __future__ import annotations

from typing import Any

from intake.directory.model import Contact, Program
from intake.i18n import N_, Language, _, gettext_in, ngettext, pgettext
from intake.routing.engine import Recommendation, Result
from intake.routing.reasons import exclusion_text, reason_text, warning_text
from intake.timezones import all_year_zone


def contact_json(contact: Contact, language: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": contact.type,
        "value": contact.display(language),
        "status": contact.provenance.status,
    }
    if contact.tags:
        data["tags"] = sorted(contact.tags)
    if contact.keyword:
        data["keyword"] = contact.keyword
    if contact.note:
        data["note"] = contact.note.get(language)
    return data


def result_json(result: Result, language: str) -> dict[str, Any]:
    return {
        "crisis": result.crisis,
        "risk": result.risk,
        "recommendations": [
            {
                "id": rec.program.id,
                "name": rec.program.name.text.get(language),
                "kind": rec.program.kind,
                "open_now": rec.open_now,
                "next_open": rec.next_open.isoformat() if rec.next_open else None,
                "alternative": rec.alternative,
                "contacts": [contact_json(c, language) for c in rec.contacts],
                "reasons": list(rec.reasons),
                "warnings": list(rec.warnings),
                "referral": rec.program.referral.get(language),
            }
            for rec in result.recommendations
        ],
        "excluded": [{"id": e.id, "reason": e.reason} for e in result.excluded],
    }


def contact_line(
    contact: Contact, language: str, *, with_note: bool = True, with_status: bool = True
) -> str:
    labels = {
        "voice": pgettext("contact type", "Call"),
        "text": pgettext("contact type", "Text"),
        "tty": pgettext("contact type", "TTY"),
        "email": pgettext("contact type", "Email"),
        "web": pgettext("contact type", "Web"),
        "chat": pgettext("contact type", "Chat"),
    }
    line = f"{labels[contact.type]} {contact.display(language)}"
    if contact.keyword:
        line = _("{contact} (send {keyword})").format(contact=line, keyword=contact.keyword)
    status = contact.provenance.status if with_status else "verified"
    if status == "unverified":
        line = _("{contact} [not verified]").format(contact=line)
    elif status == "third-party":
        line = _("{contact} [third-party source only]").format(contact=line)
    if contact.note and with_note:
        line += f" — {contact.note.get(language)}"
    return line


def status_line(rec: Recommendation, language: Language) -> str:
    """Whether a program is open, wholly in `language` (the sentence, the date and the note)."""

    def say(message: str) -> str:
        return gettext_in(language, message)

    if rec.program.hours.always_open:
        return say(N_("Open 24/7"))
    if rec.open_now:
        return say(N_("Open now"))
    if rec.open_now is None:
        line = say(N_("Hours not confirmed"))
    elif rec.next_open is not None:
        # Babel's date formatting is imported here, not above: `intake route --json` never
        # needs it, and it is a large part of that command's start-up.
        from intake.i18n.formatting import format_moment  # noqa: PLC0415

        line = say(N_("Closed now; opens {when}")).format(
            when=format_moment(
                rec.next_open,
                language=language,
                zone=all_year_zone(rec.next_open, language),
            )
        )
    else:
        line = say(N_("Closed now"))
    after = rec.program.hours.after_hours
    if after is not None:
        line += f" — {after.get(language)}"
    return line


def describe_program(program: Program, language: str) -> str:
    return f"{program.name.text.get(language)} [{program.id}]"


def result_text(result: Result, language: Language, get_program: Any) -> str:
    lines: list[str] = []
    if result.crisis:
        lines.append(
            _("CRISIS ROUTE: risk is {risk}. Stay with the caller; connect them now.").format(
                risk=_risk_name(result.risk)
            )
        )
        lines.append("")
    for number, rec in enumerate(result.recommendations, 1):
        lines.append(f"{number}. {describe_program(rec.program, language)}")
        lines.append(f"   {status_line(rec, language)}")
        if rec.alternative and (alt := get_program(rec.alternative)) is not None:
            lines.append("   " + _("At any hour: {name}").format(name=alt.name.text.get(language)))
        for contact in rec.contacts:
            lines.append(f"   {contact_line(contact, language)}")
        lines.append(
            "   "
            + _("Why: {reasons}").format(
                reasons=" ".join(reason_text(code) for code in rec.reasons)
            )
        )
        lines.append("   " + _("Say: {script}").format(script=rec.program.referral.get(language)))
        for code in rec.warnings:
            lines.append("   ! " + warning_text(code))
        lines.append("")
    if result.excluded:
        lines.append(_("Left out:"))
        for exclusion in result.excluded:
            if exclusion.reason != "outside-region":
                lines.append(f"   - {exclusion.id}: {exclusion_text(exclusion.reason)}")
        hidden = sum(e.reason == "outside-region" for e in result.excluded)
        if hidden:
            lines.append(
                "   "
                + ngettext(
                    "and {count} program for another province or territory.",
                    "and {count} programs for other provinces and territories.",
                    hidden,
                ).format(count=hidden)
            )
    return "\n".join(lines).rstrip() + "\n"


def _risk_name(risk: str) -> str:
    names = {
        "none": pgettext("risk", "none"),
        "concern": pgettext("risk", "concern"),
        "high": pgettext("risk", "high"),
        "imminent": pgettext("risk", "imminent"),
    }
    return names[risk]
