"""The table of cases written from the standard (tests/routing/safety_cases.py) against the rules."""

from __future__ import annotations

import pytest

from intake.safety import load_screen
from tests.routing.safety_cases import CASES

SCREEN = load_screen()


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert {tier for _a, tier, _w in CASES} == {
        "not-screened",
        "none",
        "concern",
        "high",
        "imminent",
    }


@pytest.mark.parametrize(("answers", "tier", "why"), CASES, ids=[w for _a, _t, w in CASES])
def test_a_supervisor_would_sign_off(answers: dict[str, str], tier: str, why: str) -> None:
    assert SCREEN.tier(answers) == tier, why  # type: ignore[arg-type]
