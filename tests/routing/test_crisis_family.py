"""A call about a physician in the caller's family: the crisis panel and the kiosk's crisis
screen name the same 24/7 lines as the recommendations do (a physician's 24/7 line that also
serves families, such as the AMA's Physician and Family Support Program used by NWT members)."""

from __future__ import annotations

from datetime import datetime

import pytest

from intake.crisis import NINE_EIGHT_EIGHT, crisis_plan
from intake.directory.load import load_directory
from intake.provinces import ALL, CODES
from intake.routing.engine import Request, Router
from intake.timezones import zone

ROUTER = Router(load_directory())
SUNDAY_3AM = datetime(2026, 11, 22, 3, 0, tzinfo=zone("America/Toronto"))


def any_hour_lines(province: str, role: str, risk: str) -> list[str]:
    result = ROUTER.route(Request(province, SUNDAY_3AM, role=role, about_family=True, risk=risk))
    return [
        rec.program.id
        for rec in result.recommendations
        if rec.program.hours.always_open
        and ALL not in rec.program.provinces
        and rec.contacts
        and rec.program.kind != "emergency"
        and rec.program.id != NINE_EIGHT_EIGHT
    ]


@pytest.mark.parametrize("risk", ["high", "imminent"])
@pytest.mark.parametrize("role", ["family", "other"])
@pytest.mark.parametrize("province", CODES)
def test_the_crisis_plan_follows_the_recommendations_for_a_family_call(
    province: str, role: str, risk: str
) -> None:
    plan = crisis_plan(ROUTER, province, SUNDAY_3AM, role=role, about_family=True, risk=risk)
    assert [entry.program.id for entry in plan.local_lines] == any_hour_lines(province, role, risk)


def test_an_nwt_family_member_in_crisis_is_given_the_physician_and_family_line() -> None:
    plan = crisis_plan(ROUTER, "NT", SUNDAY_3AM, role="family", about_family=True, risk="high")
    ids = [entry.program.id for entry in plan.entries]
    assert ids[0] == NINE_EIGHT_EIGHT  # safety first, unchanged
    assert "nt-help-line" in ids
    assert "nt-nwtma" in ids
