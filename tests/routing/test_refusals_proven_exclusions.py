"""The programs left out, and why, proven from the refusing side when the router has to work a
reason out on the spot. A router works out, with each province's programs, every reason each program could be
left out for (`Router._possible_exclusions`); a reason it did not foresee is made when first
needed. That second way must give the same exclusions: a volunteer asked "why is X not offered?"
reads the same answer either way. Each test builds its own routers; the one that must work
everything out on the spot has its prepared reasons emptied. Fails when mutation testing changes
a line of `Router._eligibility` that no other test noticed (docs/mutation.md).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from intake.directory.load import load_directory
from intake.routing.engine import Request, Router
from intake.timezones import zone

TUESDAY_10AM = datetime(2026, 11, 24, 10, 0, tzinfo=zone("America/Toronto"))

CALLERS = {
    "physician": Request(province="ON", at=TUESDAY_10AM),
    "spouse at concern": Request(
        province="ON", at=TUESDAY_10AM, role="family", about_family=True, risk="concern"
    ),
    "resident, a complaint": Request(
        province="QC", at=TUESDAY_10AM, role="resident", topics=frozenset({"complaint"})
    ),
    "veteran at high risk": Request(province="NS", at=TUESDAY_10AM, veteran=True, risk="high"),
}


@pytest.mark.parametrize("caller", list(CALLERS), ids=list(CALLERS))
def test_exclusions_worked_out_on_the_spot_are_those_prepared(caller: str) -> None:
    request = CALLERS[caller]
    prepared = Router(load_directory()).route(request)
    on_the_spot = Router(load_directory())
    on_the_spot.route(request)  # the province's programs worked out, with their reasons
    on_the_spot._class_exclusions.clear()  # none foreseen now: each made when first needed
    got = on_the_spot.route(request)
    assert prepared.excluded  # the callers above all have programs left out
    assert got.excluded == prepared.excluded
    assert got.recommendations == prepared.recommendations
    # Asked again, the reasons it has just made are used: still the same.
    assert on_the_spot.route(request).excluded == prepared.excluded


REQUESTS = [
    Request(province=province, at=TUESDAY_10AM, role=role, risk=risk, **extra)  # type: ignore[arg-type]
    for province in ("ON", "QC", "NU")
    for role in ("physician", "student", "family", "other")
    for risk in ("none", "concern", "high")
    for extra in (
        {},
        {"about_colleague": True},
        {"about_family": True},
        {"indigenous": True, "veteran": True, "young": True},
        {"topics": frozenset({"complaint"})},
    )
]


def test_every_reason_a_program_is_left_out_for_is_foreseen() -> None:
    """What `_possible_exclusions` promises: every reason `_exclusion` gives for a program,
    whatever the request, is among those worked out in advance for it (so a route never has to
    make one on the spot for the shipped directory), and every kind of reason occurs."""
    shipped = load_directory()
    # An organisation's directory may list a program not yet confirmed to exist.
    hidden = dataclasses.replace(
        shipped[0], id="on-not-yet-verified", listing="hide-until-verified"
    )
    seen: set[str] = set()
    for program in [*shipped, hidden]:
        foreseen = set(Router._possible_exclusions(program))
        for request in REQUESTS:
            reason = Router._exclusion(program, request)
            if reason is not None:
                assert reason in foreseen, (program.id, reason)
                seen.add(reason)
    assert seen >= {
        "unverified-listing",
        "regulatory-not-peer-support",
        "indigenous-specific",
        "veterans-specific",
        "youth-only",
        "emergency-only",
        "crisis-only",
        "topic-not-raised",
        "role-not-served",
    }
