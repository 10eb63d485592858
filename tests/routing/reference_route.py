"""The full route as it was computed before it was ranked on packed keys: one row per eligible
program, every field computed from the program itself, then one sort on the whole row key.

Kept as the oracle the engine's faster full route must equal, field for field
(tests/routing/test_route_equivalence.py). It reads the router's index only for what the
router decides once (eligibility classes, the fit, the format shape, the static warnings).
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from intake.directory.model import Contact, Program, Provenance
from intake.provinces import PROVINCES
from intake.routing.engine import (
    _LINE_KINDS,
    NINE_EIGHT_EIGHT,
    STALE_AFTER,
    TIER_ANY_HOUR,
    TIER_NATIONAL,
    TIER_OWN,
    TIER_ROLE,
    Recommendation,
    Request,
    Result,
    Router,
    _office_hours,
    may_not_run,
)
from intake.timezones import zone


def _fact_warnings(
    program: Program,
) -> tuple[tuple[str | None, str, Provenance, frozenset[str]], ...]:
    if program.kind == "emergency" or program.id == NINE_EIGHT_EIGHT:
        return ()
    found = []
    for name, provenance in program.facts().items():
        label, provinces = name, frozenset[str]()
        if name.startswith("contacts["):
            contact = program.contacts[int(name[9:-1])]
            label, provinces = f"contact={contact.display_en}", contact.provinces
        elif name not in ("eligibility", "hours"):
            continue
        warning = None if provenance.status == "verified" else f"{provenance.status}:{label}"
        found.append((warning, f"stale:{label}", provenance, provinces))
    return tuple(found)


def _static_warnings(
    program: Program, province: str, language: str, contacts: tuple[Contact, ...]
) -> list[str]:
    if program.kind == "emergency" or program.id == NINE_EIGHT_EIGHT:
        return []
    warnings = [
        warning
        for warning, _stale, _prov, provinces in _fact_warnings(program)
        if warning is not None and (not provinces or province in provinces)
    ]
    if may_not_run(program):
        warnings.insert(0, "may-not-run")
    if language == "fr" and not program.name.fr_official:
        warnings.append("unofficial-french-name")
    if all(c.provenance.status == "unverified" for c in contacts):
        warnings.append("no-verified-contact")
    languages = program.languages
    if (
        languages.value
        and languages.provenance.status == "verified"
        and language not in languages.value
        and "other" not in languages.value
    ):
        warnings.append("language-not-offered")
    elif (
        language == "fr"
        and not (languages.provenance.status == "verified" and "fr" in languages.value)
        and program.provinces != {"QC"}
    ):
        warnings.append("french-not-confirmed")
    return warnings


def _warnings(router: Router, program: Program, request: Request) -> list[str]:
    contacts = router._province_contacts(program, request.province)
    warnings = _static_warnings(program, request.province, request.language, contacts)
    oldest = request.at.date() - STALE_AFTER
    for _warning, stale, provenance, provinces in _fact_warnings(program):
        if provenance.checked < oldest and (not provinces or request.province in provinces):
            warnings.append(stale)
    return warnings


def _row(
    router: Router,
    entry: tuple[Program, int, tuple[str, ...]],
    request: Request,
    caller_zone: tzinfo,
) -> list[Any]:
    program, tier, split_reasons = entry
    crisis = request.risk in ("high", "imminent")
    fit_score, fit_reasons = router._fit(program, request.need)
    bonus, mismatch, matched = router._shape_fit(program, request)
    score = fit_score + bonus
    reasons = [*fit_reasons, *split_reasons, *matched]
    hours = program.hours
    local: datetime = request.at.astimezone(zone(hours.tz))
    open_now = hours.open_at_local(local)
    next_open = None
    if hours.always_open:
        reasons.append("open-24-7")
    elif open_now:
        reasons.append("open-now")
    elif open_now is False:
        reasons.append("closed-now")
        upcoming = hours.next_open_when_closed(local)
        next_open = upcoming.astimezone(caller_zone) if upcoming else None
    else:
        reasons.append("hours-unknown")
    closed = open_now is False or (open_now is None and not _office_hours(program, local))
    if program.kind == "emergency":
        # At high risk emergency services follow the warm-transfer lines.
        reasons.insert(0, "emergency-if-immediate" if request.risk == "high" else "emergency-first")
    elif program.id == NINE_EIGHT_EIGHT:
        reasons.insert(0, "crisis-988")
    elif crisis and hours.always_open and program.kind == "crisis-line":
        reasons.insert(0, "crisis-line-24-7")
    contacts = router._province_contacts(program, request.province)
    warnings = _warnings(router, program, request)
    unconfirmed = "confirm-eligibility" in reasons
    if unconfirmed:
        warnings.append("confirm-eligibility")
    key = (
        program.doubt is not None,
        mismatch or "language-not-offered" in warnings,
        "no-verified-contact" in warnings,
        closed,
        unconfirmed,
        -score,
        program.id,
    )
    rank = router._crisis_rank(program, request) if crisis else 0
    return [rank, tier, key, program, reasons, open_now, next_open, contacts, warnings, score]


def route_by_rows(router: Router, request: Request) -> Result:
    groups, excluded = router._eligibility(request)
    crisis = request.risk in ("high", "imminent")
    caller_zone = zone(PROVINCES[request.province].zone)
    rows = [
        _row(router, (member[0], tier, reasons), request, caller_zone)
        for cls, tier, reasons in groups
        for member in cls.members
    ]
    own_open = any(row[1] == TIER_OWN and row[5] for row in rows)
    if not crisis and not own_open:
        for row in rows:
            program = row[3]
            if (
                row[1] in (TIER_ROLE, TIER_NATIONAL)
                and program.hours.always_open
                and program.doubt is None
            ):
                row[1] = TIER_ANY_HOUR
    rows.sort(key=lambda row: (row[0], row[1], row[2]))
    if not crisis:
        pinned = [r for r in rows if r[3].id == NINE_EIGHT_EIGHT and request.risk == "concern"]
        pinned += [r for r in rows if r[3].topics & request.topics]
        if pinned and len(rows) > len(pinned):
            pinned_ids = {id(r) for r in pinned}
            rest = [r for r in rows if id(r) not in pinned_ids]
            # At concern, 9-8-8 goes first when the first program is not answering now: in
            # doubt, closed (key: doubt, ..., closed), or with no phone, text or chat that is
            # not unverified (a web page or an email is nobody who answers now).
            first_key = rest[0][2]
            live = any(
                c.type in ("voice", "text", "tty", "chat")
                and c.provenance.status != "unverified"
                and "some-callers" not in c.tags
                for c in rest[0][7]
            )
            answering = not (first_key[0] or first_key[3]) and live
            if pinned[0][3].id == NINE_EIGHT_EIGHT and not answering:
                rows = pinned[:1] + rest[:1] + pinned[1:] + rest[1:]
            else:
                rows = rest[:1] + pinned + rest[1:]
    alternative = next(
        (row[3].id for row in rows if row[3].hours.always_open and row[3].kind in _LINE_KINDS),
        NINE_EIGHT_EIGHT if router.get(NINE_EIGHT_EIGHT) is not None else None,
    )
    recommendations = tuple(
        Recommendation(
            program,
            tuple(reasons),
            open_now,
            next_open,
            contacts,
            tuple(warnings),
            alternative if open_now is False and alternative != program.id else None,
            score,
        )
        for _r, _t, _k, program, reasons, open_now, next_open, contacts, warnings, score in rows
    )
    return Result(crisis, request.risk, recommendations, excluded)
