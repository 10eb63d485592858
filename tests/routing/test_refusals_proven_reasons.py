"""Why each program is offered, as the volunteer reads it beside the card (intake/routing/
reasons.py), proven from the refusing side: each caller is written from docs/routing.md ("Who
may be offered what": a call about a colleague or a family member gets the programs for the
physician they worry about and the ones that help them directly) and from each program's roles,
audiences and topics in the shipped directory, before it was routed. The reasons a volunteer
would say aloud ("it also supports physicians' family members", "it is for Veterans") must be
there, and only where true. Each test fails when mutation testing changes a line of
`Router._split_reasons` that no other test noticed (docs/mutation.md). Every test builds its
own router.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from intake.directory.load import load_directory
from intake.directory.model import Program
from intake.routing.engine import Request, Router
from intake.timezones import zone

TUESDAY_10AM = datetime(2026, 11, 24, 10, 0, tzinfo=zone("America/Toronto"))

# The reasons that depend on who is calling and what about (the rest say what kind of program
# it is, where it serves and when it answers).
WHO = {
    "role-eligible",
    "confirm-eligibility",
    "helps-family",
    "for-the-family-member",
    "helps-worried-others",
    "for-the-colleague",
    "indigenous",
    "veterans",
    "youth",
    "topic",
}


def reasons(request: Request, *extra: Program) -> dict[str, set[str]]:
    route = Router([*load_directory(), *extra]).route(request)
    return {r.program.id: set(r.reasons) & WHO for r in route.recommendations}


def serving(program_id: str, roles: set[str]) -> Program:
    """A provincial program like the OMA's peer support, for these roles (an organisation's
    directory may list programs the shipped one does not have)."""
    base = next(p for p in load_directory() if p.id == "on-oma-peer-support")
    eligibility = dataclasses.replace(
        base.eligibility, value=(base.eligibility.value[0], frozenset(roles))
    )
    return dataclasses.replace(base, id=program_id, eligibility=eligibility)


def test_a_spouse_is_told_which_programs_help_them_and_which_serve_their_partner() -> None:
    """An Ontario spouse worried about their physician partner: the OMA's programme and the
    CMA's line serve family members and physicians alike (both said); the peer programs for
    physicians only are for the partner; a program for anyone helps both. A program for
    families only helps the spouse (it is not for the partner); one for physicians and for people
    worried about one helps both."""
    got = reasons(
        Request(province="ON", at=TUESDAY_10AM, role="family", about_family=True),
        serving("on-families-only", {"family"}),
        serving("on-worried-and-physicians", {"physician", "worried"}),
    )
    assert got["on-families-only"] == {"helps-family"}
    assert got["on-worried-and-physicians"] == {"helps-family", "for-the-family-member"}
    assert got["on-oma-php"] == {"helps-family", "for-the-family-member"}
    assert got["ca-cma-wsl"] == {"helps-family", "for-the-family-member"}
    assert got["on-oma-peer-support"] == {"for-the-family-member"}
    assert got["ca-cma-wellness-connection"] == {"for-the-family-member"}
    assert got["ca-cmha"] == {"helps-family", "for-the-family-member"}


def test_a_physician_worried_about_a_colleague_is_told_which_programs_help_them() -> None:
    """The OMA's programme also helps people worried about a physician (its roles name them);
    the others are for the colleague, to pass on."""
    got = reasons(Request(province="ON", at=TUESDAY_10AM, about_colleague=True))
    assert got["on-oma-php"] == {"helps-worried-others"}
    for program in ("on-oma-peer-support", "ca-cma-wsl", "ca-cma-wellness-connection"):
        assert got[program] == {"for-the-colleague"}


@pytest.mark.parametrize(
    ("caller", "expected"),
    [
        (
            {"indigenous": True},
            {"ca-hope-for-wellness": {"role-eligible", "indigenous"}},
        ),
        (
            {"veteran": True},
            {
                "ca-vac-assistance": {"role-eligible", "veterans"},
                "ca-osiss": {"role-eligible", "veterans"},
            },
        ),
        ({"young": True}, {"ca-kids-help-phone": {"role-eligible", "youth"}}),
        (
            {"topics": frozenset({"complaint"})},
            {"ca-cmpa": {"role-eligible", "topic"}},
        ),
    ],
    ids=["indigenous", "veteran", "young", "complaint"],
)
def test_a_group_or_a_topic_is_named_only_for_the_program_that_is_for_it(
    caller: dict[str, object], expected: dict[str, set[str]]
) -> None:
    """An Ontario physician who asks for Indigenous or Veterans' support, is young, or faces a
    complaint: the program for that group or topic says so; the province's own programme, which
    is not for it, does not."""
    got = reasons(Request(province="ON", at=TUESDAY_10AM, **caller))  # type: ignore[arg-type]
    for program, wanted in expected.items():
        assert got[program] == wanted
    assert got["on-oma-php"] == {"role-eligible"}
    assert got["ca-cma-wsl"] == {"role-eligible"}
