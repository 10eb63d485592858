"""The crisis panel and the recommendations agree on the order for the tier: emergency services
first at imminent risk, 9-8-8 first at high risk (a warm transfer), in every province."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from intake.crisis import crisis_plan
from intake.directory.load import load_directory
from intake.provinces import CODES
from intake.routing.engine import Request, Router

AT = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
ROUTER = Router(load_directory())


@pytest.mark.parametrize("province", CODES)
@pytest.mark.parametrize("risk", ["high", "imminent"])
def test_the_panel_lists_in_the_recommendations_order(province: str, risk: str) -> None:
    plan = crisis_plan(ROUTER, province, AT, risk=risk)
    shown = [entry.program.id for entry in plan.entries]
    routed = [
        rec.program.id
        for rec in ROUTER.route(Request(province, AT, risk=risk)).recommendations
        if rec.program.id in shown
    ]
    assert shown[:2] == routed[:2]
    assert (plan.entries[0].program.kind == "emergency") is (risk == "imminent")


@pytest.mark.parametrize("risk", ["not-screened", "none"])
def test_a_route_opened_before_any_tier_puts_emergency_first(risk: str) -> None:
    plan = crisis_plan(ROUTER, "ON", AT, risk=risk)
    assert plan.entries[0].program.kind == "emergency"


def test_concern_puts_988_first() -> None:
    assert crisis_plan(ROUTER, "QC", AT, risk="concern").entries[0].program.id == "ca-988"
    assert crisis_plan(ROUTER, None, AT, risk="concern").entries[0].program.id == "ca-988"
