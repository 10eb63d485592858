"""The crisis panel and the recommendations agree on the order for the tier: emergency services
first at imminent risk, 9-8-8 first at high risk (a warm transfer), in every province."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from intake.crisis import crisis_plan
from intake.directory.load import load_directory
from intake.directory.model import Text
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


@pytest.mark.parametrize("province", ["BC", "MB", "NS", "QC"])
def test_at_high_risk_the_provinces_crisis_line_comes_before_emergency_services(
    province: str,
) -> None:
    """The standard's step 5: a warm transfer to 9-8-8 or the provincial crisis line; emergency
    services are for immediate danger. The panel (F12) and the recommendations agree."""
    plan = crisis_plan(ROUTER, province, AT, risk="high")
    kinds = [entry.program.kind for entry in plan.entries]
    assert plan.entries[0].program.id == "ca-988"
    assert kinds[1] == "crisis-line"
    assert kinds.index("crisis-line") < kinds.index("emergency")
    emergency = next(
        rec
        for rec in ROUTER.route(Request(province, AT, risk="high")).recommendations
        if rec.program.kind == "emergency"
    )
    assert emergency.reasons[0] == "emergency-if-immediate"


def test_a_crisis_line_that_may_no_longer_run_does_not_go_ahead_of_emergency_services() -> None:
    programs = load_directory()
    line = next(p for p in programs if p.id == "bc-crisis-line")
    doubtful = replace(line, doubt=Text("May have closed.", "A peut-être fermé."))
    router = Router([doubtful if p is line else p for p in programs])
    ids = [r.program.id for r in router.route(Request("BC", AT, risk="high")).recommendations]
    assert ids.index("ca-911") < ids.index("bc-crisis-line")
    plan = crisis_plan(router, "BC", AT, risk="high")
    shown = [entry.program.id for entry in plan.entries]
    assert shown.index("ca-911") < shown.index("bc-crisis-line")
