"""The crisis plan every screen shows: emergency services (or the local alternative), 9-8-8,
then the 24/7 lines of the province or territory."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from intake.crisis import crisis_plan
from intake.directory.load import load_directory
from intake.provinces import CODES, PROVINCES
from intake.routing.engine import Router

AT = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)  # 3 a.m. in Toronto: the hour that matters
ROUTER = Router(load_directory())


@pytest.mark.parametrize("province", CODES)
def test_every_province_and_territory_gets_emergency_then_988(province: str) -> None:
    plan = crisis_plan(ROUTER, province, AT)
    assert plan.emergency is not None
    assert plan.line_988 is not None
    assert [e.program.id for e in plan.entries][:2] == [plan.emergency.program.id, "ca-988"]
    assert {c.type for c in plan.line_988.contacts} >= {"voice", "text"}
    if PROVINCES[province].has_911:
        assert plan.emergency.program.id == "ca-911"
        assert any(c.dial == "911" for c in plan.emergency.contacts)
    else:
        assert plan.emergency.program.id != "ca-911"
        dials = [c.dial for e in plan.entries for c in e.contacts]
        assert "911" not in dials


@pytest.mark.parametrize("province", CODES)
def test_local_lines_are_open_24_7_and_serve_the_province(province: str) -> None:
    for entry in crisis_plan(ROUTER, province, AT).local_lines:
        assert entry.program.hours.always_open
        assert province in entry.program.provinces
        assert entry.contacts


def test_the_role_decides_which_local_lines_apply() -> None:
    for_residents = crisis_plan(ROUTER, "ON", AT, role="resident")
    for_physicians = crisis_plan(ROUTER, "ON", AT, role="physician")
    assert "on-paro" in [e.program.id for e in for_residents.local_lines]
    assert "on-paro" not in [e.program.id for e in for_physicians.local_lines]


def test_without_a_province_the_national_numbers_are_given() -> None:
    plan = crisis_plan(ROUTER, None, AT)
    assert [e.program.id for e in plan.entries] == ["ca-911", "ca-988"]
    assert plan.local_lines == ()


# The provincial or territorial 24/7 crisis line each crisis route names (crisis-lines.md).
# Ontario has no province-wide crisis line (ConnexOntario is referral, not crisis) and Yukon's
# support line has unknown hours: 9-8-8 covers both.
PROVINCIAL_LINES = {
    "AB": "ab-mental-health-line",
    "BC": "bc-crisis-line",
    "MB": "mb-crisis-line",
    "NB": "nb-amh-helpline",
    "NL": "nl-crisis-line",
    "NS": "ns-crisis-line",
    "NT": "nt-help-line",
    "NU": "nu-kamatsiaqtut",
    "PE": "pe-access-line",
    "QC": "qc-appelle",
    "SK": "sk-healthline-811",
}


@pytest.mark.parametrize("province", CODES)
def test_the_crisis_route_names_the_provincial_line_right_after_988(province: str) -> None:
    plan = crisis_plan(ROUTER, province, AT)
    local = [e.program.id for e in plan.local_lines]
    if province in PROVINCIAL_LINES:
        assert local[0] == PROVINCIAL_LINES[province]
        entry = plan.local_lines[0]
        assert entry.program.kind == "crisis-line"
        assert entry.program.hours.provenance.source  # with its source
    else:
        assert not any(e.program.kind == "crisis-line" for e in plan.local_lines)


def test_no_outdated_line_is_shipped() -> None:
    dials = {c.dial for p in ROUTER.programs for c in p.contacts}
    assert "+18002182885" not in dials  # PEI's Island Helpline, moved in January 2023
    assert "+18445333030" not in dials  # Yukon's support line: hours unknown, once cut off
    assert "+18664564566" not in dials  # Talk Suicide Canada, replaced by 9-8-8


def test_nunavut_never_shows_an_empty_card_first() -> None:
    plan = crisis_plan(ROUTER, "NU", AT)
    assert plan.emergency is not None
    first = plan.emergency
    assert first.program.id == "nu-local-emergency"
    dials = [c.dial for c in first.contacts]
    assert dials[0] == "988"  # something to dial now
    assert "+18679758600" in dials  # Iqaluit's hospital emergency department, 24/7
    assert "community" in first.program.referral.en
    assert first.warnings == ()


def test_emergency_and_988_carry_no_warnings() -> None:
    for province in CODES:
        plan = crisis_plan(ROUTER, province, AT)
        assert plan.line_988 is not None
        assert plan.line_988.warnings == ()
        assert plan.emergency is not None
        assert plan.emergency.warnings == ()
