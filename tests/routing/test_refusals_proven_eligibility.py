"""Who is offered which program, proven from the refusing side (docs/mutation.md): one program
of the shipped directory, changed one fact at a time, and the caller who must be refused it
beside the caller who must be offered it. Each test fails when mutation testing changes the
line of `Router._exclusion` (or the request's own checks) that decides it.

What a volunteer expects (docs/routing.md, the directory's own eligibility lines): a program for
a group (Indigenous, veterans, youth) only for someone in it; emergency services only at high or
imminent risk, crisis lines from "concern" up; a program about one topic (a complaint) only when
that topic was raised; a listing waiting for verification never; a regulator never as peer
support; a program that does not say it serves the caller's role not offered, except a physician
in training or retired to a program for physicians (shown, to confirm), and a call about a
colleague or a family member to a program for physicians or for worried people."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from intake.directory.load import load_directory
from intake.directory.model import Program
from intake.routing.engine import Request, Router, RoutingInputError, may_not_run

AT = datetime(2026, 11, 18, 14, 30, tzinfo=ZoneInfo("America/Toronto"))  # a Wednesday
PROGRAMS = {p.id: p for p in load_directory()}
# A national peer-support program for physicians, residents, students, retired physicians and
# families, with no audience or topic of its own: each test changes one of its facts.
BASE = next(
    p
    for p in PROGRAMS.values()
    if p.kind == "peer-support" and not p.audience and not p.topics and p.listing == "show"
)


def program(
    *,
    roles: frozenset[str] | None = None,
    **changes: object,
) -> Program:
    changed = dataclasses.replace(BASE, **changes)  # type: ignore[arg-type]
    if roles is not None:
        fact = dataclasses.replace(BASE.eligibility, value=(BASE.provinces, roles))
        changed = dataclasses.replace(changed, eligibility=fact)
    return changed


def reason(prog: Program, **request: object) -> str | None:
    return Router._exclusion(prog, Request(province="ON", at=AT, **request))  # type: ignore[arg-type]


def test_the_base_program_is_offered_to_a_physician() -> None:
    assert reason(program(roles=frozenset({"physician"}))) is None


def test_a_listing_waiting_for_verification_is_never_offered() -> None:
    hidden = program(listing="hide-until-verified", roles=frozenset({"anyone"}))
    for risk in ("none", "imminent"):
        assert reason(hidden, risk=risk) == "unverified-listing"


def test_a_regulator_is_never_offered_as_peer_support() -> None:
    college = program(kind="regulatory", roles=frozenset({"anyone"}))
    assert reason(college, risk="high") == "regulatory-not-peer-support"


@pytest.mark.parametrize(
    ("audience", "member", "why"),
    [
        ("indigenous", "indigenous", "indigenous-specific"),
        ("veterans", "veteran", "veterans-specific"),
        ("youth", "young", "youth-only"),
    ],
)
def test_a_program_for_a_group_is_offered_only_to_someone_in_it(
    audience: str, member: str, why: str
) -> None:
    group = program(audience=frozenset({audience}), roles=frozenset({"anyone"}))
    assert reason(group) == why
    assert reason(group, **{member: True}) is None
    others = {"indigenous", "veteran", "young"} - {member}
    assert reason(group, **dict.fromkeys(others, True)) == why  # another group is not this one


@pytest.mark.parametrize(
    ("risk", "why"), [("none", "emergency-only"), ("concern", "emergency-only")]
)
def test_emergency_services_are_refused_below_high_risk(risk: str, why: str) -> None:
    emergency = program(kind="emergency", roles=frozenset({"anyone"}))
    assert reason(emergency, risk=risk) == why
    for risk_at_or_above in ("high", "imminent"):
        assert reason(emergency, risk=risk_at_or_above) is None


def test_a_crisis_line_is_refused_only_when_no_risk_was_raised() -> None:
    line = program(kind="crisis-line", roles=frozenset({"anyone"}))
    assert reason(line, risk="none") == "crisis-only"
    for risk in ("concern", "high", "imminent"):
        assert reason(line, risk=risk) is None


def test_a_program_about_one_topic_is_offered_only_when_that_topic_was_raised() -> None:
    complaint = program(topics=frozenset({"complaint"}), roles=frozenset({"anyone"}))
    assert reason(complaint) == "topic-not-raised"
    assert reason(complaint, topics=frozenset({"burnout"})) == "topic-not-raised"
    assert reason(complaint, topics=frozenset({"burnout", "complaint"})) is None


def test_a_program_for_other_roles_is_refused() -> None:
    students = program(roles=frozenset({"student"}))
    assert reason(students, role="student") is None
    for role in ("physician", "family", "other"):
        assert reason(students, role=role) == "role-not-served"
    # A call about a colleague or a family member does not open a program for students.
    assert reason(students, about_colleague=True) == "role-not-served"
    assert reason(students, role="family", about_family=True) == "role-not-served"


def test_a_program_for_physicians_is_shown_to_physicians_in_training_or_retired() -> None:
    physicians = program(roles=frozenset({"physician"}))
    for role in ("resident", "student", "retired"):
        assert reason(physicians, role=role) is None
    for role in ("family", "other"):
        assert reason(physicians, role=role) == "role-not-served"


def test_a_call_about_someone_is_offered_programs_for_physicians_or_for_worried_people() -> None:
    for roles in ({"physician"}, {"worried"}):
        serving = program(roles=frozenset(roles))
        assert reason(serving, role="other", about_colleague=True) is None
        assert reason(serving, role="family", about_family=True) is None
        assert reason(serving, role="other") == "role-not-served"


def test_a_family_members_call_is_offered_programs_for_families_only_when_about_family() -> None:
    families = program(roles=frozenset({"family"}))
    assert reason(families, role="other", about_family=True) is None
    assert reason(families, role="other") == "role-not-served"
    assert reason(families, role="other", about_colleague=True) == "role-not-served"


def test_a_program_for_anyone_is_offered_to_every_role() -> None:
    anyone = program(roles=frozenset({"anyone"}))
    for role in ("physician", "resident", "student", "retired", "family", "other"):
        assert reason(anyone, role=role) is None


def test_shown_to_confirm_only_when_the_role_is_not_listed() -> None:
    physicians = program(roles=frozenset({"physician"}))
    request = Request(province="ON", at=AT, role="resident")
    assert Router._unconfirmed(physicians, request) is True
    listed = program(roles=frozenset({"physician", "resident"}))
    assert Router._unconfirmed(listed, request) is False
    assert Router._unconfirmed(program(roles=frozenset({"anyone"})), request) is False
    about = Request(province="ON", at=AT, role="resident", about_colleague=True)
    assert Router._unconfirmed(physicians, about) is False
    assert Router._unconfirmed(physicians, Request(province="ON", at=AT, role="other")) is False


def test_emergency_services_and_988_are_never_shown_as_programs_that_may_not_run() -> None:
    doubt = BASE.description  # any text: why the program may no longer run
    assert may_not_run(program(doubt=doubt)) is True
    assert may_not_run(program(doubt=None)) is False
    assert may_not_run(program(kind="emergency", doubt=doubt)) is False
    assert may_not_run(program(id="ca-988", kind="crisis-line", doubt=doubt)) is False


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"province": "XX"}, "unknown province"),
        ({"at": datetime(2026, 11, 18, 14, 30)}, "time zone"),
        ({"risk": "moderate"}, "unknown risk"),
        ({"need": "therapy"}, "unknown kind of help"),
        ({"language": "de"}, "unsupported language"),
        ({"topics": frozenset({"burnout", "astrology"})}, "'astrology'"),
    ],
)
def test_a_request_with_an_unknown_value_is_refused_naming_it(
    change: dict[str, object], message: str
) -> None:
    fields: dict[str, object] = {"province": "ON", "at": AT, **change}
    with pytest.raises(RoutingInputError, match=message):
        Request(**fields)  # type: ignore[arg-type]


def test_the_exclusions_reach_the_route_a_volunteer_sees() -> None:
    """A fresh router (not one shared with other tests, whose splits are cached)."""
    veterans = program(id="test-veterans", audience=frozenset({"veterans"}))
    router = Router([*PROGRAMS.values(), veterans])
    result = router.route(Request(province="ON", at=AT))
    assert {e.id: e.reason for e in result.excluded}["test-veterans"] == "veterans-specific"
    assert "test-veterans" not in {r.program.id for r in result.recommendations}
    again = router.route(Request(province="ON", at=AT, veteran=True))
    assert "test-veterans" in {r.program.id for r in again.recommendations}
