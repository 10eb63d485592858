"""The kiosk's questions and what the answers become, without a window."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from intake.kiosk import STEPS, KioskAnswers, kiosk_tier, next_safety_question
from intake.safety import load_screen

AT = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
SCREEN = load_screen()


def complete(**changes: str) -> KioskAnswers:
    answers = KioskAnswers("fr")
    for step, value in {
        "who": "resident",
        "province": "ON",
        "safety": "none",
        "need": "mentorship",
        "format": "group",
        "service_language": "en",
        **changes,
    }.items():
        answers = answers.answer(step, value)
    return answers


def test_questions_come_in_order_and_safety_comes_early() -> None:
    answers = KioskAnswers("en")
    seen = []
    while (step := answers.next_step()) is not None:
        seen.append(step)
        answers = answers.answer(step, "none" if step == "safety" else "x")
    assert tuple(seen) == STEPS
    assert STEPS.index("safety") <= 2


def test_unknown_step_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown step"):
        KioskAnswers("en").answer("notes", "anything")


def walk(replies: dict[str, str]) -> tuple[list[str], str]:
    """Answer the kiosk's safety questions as a visitor would: the order asked, and the tier."""
    asked: list[str] = []
    answers: dict[str, str] = {}
    while (qid := next_safety_question(SCREEN, answers)) is not None:
        asked.append(qid)
        answers[qid] = replies.get(qid, "no")
    return asked, kiosk_tier(SCREEN, answers)


@pytest.mark.parametrize(
    ("replies", "tier"),
    [
        ({}, "none"),
        ({"thoughts": "yes"}, "concern"),
        ({"thoughts": "unsure"}, "concern"),
        ({"thoughts": "declined"}, "concern"),
        ({"thoughts": "no", "plan": "yes"}, "high"),
        ({"thoughts": "yes", "means": "yes"}, "high"),
        ({"timing": "declined", "means": "yes"}, "imminent"),
        ({"in_progress": "unsure"}, "imminent"),
    ],
)
def test_the_kiosk_gives_the_phone_lines_tiers(replies: dict[str, str], tier: str) -> None:
    asked, got = walk(replies)
    assert got == tier
    phone = SCREEN.tier({q: replies.get(q, "no") for q in asked})
    assert got == phone  # the same rules as the phone line, on the questions asked
    answers = complete(safety=got)
    assert answers.in_danger is (tier in ("high", "imminent"))
    assert answers.request(AT).risk == tier


def test_the_kiosk_asks_capability_and_intent_whatever_the_thoughts() -> None:
    asked, _tier = walk({"thoughts": "no"})
    assert asked == ["thoughts", "in_progress", "plan", "timing", "means"]


def test_an_attempt_in_progress_stops_the_questions_at_once() -> None:
    asked, tier = walk({"in_progress": "yes"})
    assert asked == ["thoughts", "in_progress"]
    assert tier == "imminent"


def test_a_visitor_who_never_reached_the_screen_is_not_screened() -> None:
    answers = KioskAnswers("en").answer("who", "physician").answer("province", "ON")
    assert answers.risk == "not-screened"
    record = answers.record("c3", AT, "en", (), outcome="crisis-screen", crisis_shown=True)
    assert record.risk == "none"  # the only value the column allows...
    assert "safety-not-screened" in record.crisis_actions  # ...and this says why


def test_request_carries_the_answers() -> None:
    request = complete().request(AT)
    assert (request.province, request.role, request.need, request.language) == (
        "ON",
        "resident",
        "mentorship",
        "en",
    )
    assert request.modes == frozenset({"group"})


def test_either_means_no_preference() -> None:
    request = complete(format="either", service_language="either").request(AT)
    assert request.modes == frozenset()
    assert request.language == "fr"  # the language the person is reading in


def test_worried_about_a_colleague_routes_for_the_colleague() -> None:
    answers = complete(who="colleague")
    assert answers.about_colleague
    request = answers.request(AT)
    assert request.about_colleague
    assert request.role == "other"


def test_no_route_before_the_province_is_known() -> None:
    with pytest.raises(ValueError, match="province"):
        KioskAnswers("en").answer("who", "physician").request(AT)


def test_the_record_is_coded_and_holds_a_number_only_with_consent() -> None:
    answers = complete()
    plain = answers.record("c1", AT, "fr", ("on-paro",), outcome="referred")
    assert (plain.channel, plain.consent_notes, plain.callback_number) == ("kiosk", False, None)
    assert plain.referrals == ({"program": "on-paro", "offered": True},)
    assert plain.caller_name is None
    with_number = answers.record(
        "c1", AT, "fr", (), outcome="callback-requested", callback_number="+16135550142"
    )
    assert with_number.consent_notes is True
    crisis = complete(safety="high").record(
        "c2", AT, "fr", (), outcome="crisis-screen", crisis_shown=True, staff_alerted=True
    )
    assert crisis.risk == "high"
    assert crisis.crisis_actions == ("kiosk-crisis-screen", "kiosk-staff-alerted")
