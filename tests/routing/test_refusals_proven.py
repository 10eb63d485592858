"""Refusals of the routing engine, proven from the refusing side: each test fails when the
line that refuses is changed (emergency services at "concern", the veterans-only exclusion, the
role check on calls about a colleague). Against the shipped directory, as a volunteer sees it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from intake.directory.load import load_directory
from intake.routing.engine import Request, Router

ROUTER = Router(load_directory())
PROGRAMS = load_directory()
AT = datetime(2026, 11, 18, 14, 30, tzinfo=ZoneInfo("America/Toronto"))  # a Wednesday


def here(provinces: frozenset[str]) -> bool:
    return "ON" in provinces or "*" in provinces


def reasons(request: Request) -> dict[str, str]:
    return {e.id: e.reason for e in ROUTER.route(request).excluded}


def offered(request: Request) -> set[str]:
    return {r.program.id for r in ROUTER.route(request).recommendations}


@pytest.mark.parametrize("risk", ["none", "concern"])
def test_emergency_services_are_not_offered_below_high_risk(risk: str) -> None:
    emergency = {p.id for p in PROGRAMS if p.kind == "emergency" and here(p.provinces)}
    assert emergency  # the directory has them: the test looks at something
    request = Request(province="ON", at=AT, risk=risk)
    assert not emergency & offered(request)
    assert {reasons(request)[p] for p in emergency} == {"emergency-only"}


def test_emergency_services_are_offered_at_high_risk() -> None:
    emergency = {p.id for p in PROGRAMS if p.kind == "emergency" and here(p.provinces)}
    assert emergency
    assert emergency <= offered(Request(province="ON", at=AT, risk="high"))


def test_a_veterans_only_program_is_not_offered_to_someone_who_is_not_a_veteran() -> None:
    veterans = [p for p in PROGRAMS if "veterans" in p.audience]
    assert veterans
    for program in veterans:
        province = "ON" if "ON" in program.provinces or "*" in program.provinces else None
        province = province or sorted(program.provinces)[0]
        request = Request(province=province, at=AT, risk="none")
        assert program.id not in offered(request)
        assert reasons(request)[program.id] == "veterans-specific"


def test_a_call_about_a_colleague_is_not_sent_to_a_program_for_other_roles() -> None:
    """A physician worried about a colleague is not referred to a students-only program: the
    program serves neither physicians nor people worried about one."""
    narrow = [
        p
        for p in PROGRAMS
        if p.kind != "emergency"
        and not p.roles & {"anyone", "physician", "worried", "family"}
        and not p.audience
        and not p.topics
        and p.listing != "hide-until-verified"
    ]
    assert narrow
    for program in narrow:
        province = "ON" if "*" in program.provinces else sorted(program.provinces)[0]
        request = Request(province=province, at=AT, role="physician", about_colleague=True)
        assert program.id not in offered(request)
        assert reasons(request)[program.id] == "role-not-served"
