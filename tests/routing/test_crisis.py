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
