"""The tiers of docs/routing.md ("The policy", 3) proven from the refusing side: "a program never
jumps a tier because it scores well". Each test is a caller written from that list before it was
routed, whose wish (the kind of help asked for) would pull a later tier's program ahead if the
tiers did not hold; each fails when mutation testing changes a line of `Router._tier` that no
other test noticed (docs/mutation.md). Every test builds its own router.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from intake.directory.load import load_directory
from intake.directory.model import Program
from intake.routing.engine import Request, Router
from intake.timezones import zone

SHIPPED = {p.id: p for p in load_directory()}
TUESDAY_10AM_TORONTO = datetime(2026, 11, 24, 10, 0, tzinfo=zone("America/Toronto"))
TUESDAY_10AM_VANCOUVER = datetime(2026, 11, 24, 10, 0, tzinfo=zone("America/Vancouver"))


def order(programs: list[Program], request: Request) -> list[str]:
    return [r.program.id for r in Router(programs).route(request).recommendations]


def before(ids: list[str], first: str, then: str) -> bool:
    return ids.index(first) < ids.index(then)


def test_a_students_own_national_program_comes_before_those_for_all_physicians() -> None:
    """Tier 4 before tier 5: a medical student in Ontario who asks for counselling is given CFMS
    Safe Spaces (for medical students) before the CMA's lines for every physician, although the
    CMA's Wellness Support Line is a counselling service and CFMS a peer group."""
    request = Request(province="ON", at=TUESDAY_10AM_TORONTO, role="student", need="counselling")
    ids = order(list(SHIPPED.values()), request)
    assert before(ids, "ca-cfms-safe-spaces", "ca-cma-wsl")
    assert before(ids, "ca-cfms-safe-spaces", "ca-cma-wellness-connection")


def test_a_national_program_open_to_anyone_is_not_taken_for_the_callers_own_group() -> None:
    """A national peer group open to anyone (an organisation's directory may list one) is a
    national program (tier 5), not one for the caller's own group (tier 4): the student's own
    group still comes first, although the two are alike in everything else and the other's id
    sorts first."""
    cfms = SHIPPED["ca-cfms-safe-spaces"]
    eligibility = dataclasses.replace(
        cfms.eligibility, value=(cfms.eligibility.value[0], frozenset({"anyone"}))
    )
    open_to_all = dataclasses.replace(cfms, id="ca-aa-open-peers", eligibility=eligibility)
    request = Request(province="ON", at=TUESDAY_10AM_TORONTO, role="student")
    ids = order([*SHIPPED.values(), open_to_all], request)
    assert before(ids, "ca-cfms-safe-spaces", "ca-aa-open-peers")


def test_at_concern_the_crisis_lines_come_before_general_information() -> None:
    """Tier 6 before tier 7: a British Columbia physician at concern who asks for information is
    given the province's 24/7 crisis line before the CMHA's general information (9-8-8 is
    second, right after the first program, whatever they asked for)."""
    request = Request(province="BC", at=TUESDAY_10AM_VANCOUVER, risk="concern", need="information")
    ids = order(list(SHIPPED.values()), request)
    assert ids[1] == "ca-988"
    assert before(ids, "bc-crisis-line", "ca-cmha")
