"""The kiosk's questions and what the answers become, without a window."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from intake.kiosk import STEPS, KioskAnswers

AT = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def complete(**changes: str) -> KioskAnswers:
    answers = KioskAnswers("fr")
    for step, value in {
        "who": "resident",
        "province": "ON",
        "safety": "no",
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
        answers = answers.answer(step, "no" if step == "safety" else "x")
    assert tuple(seen) == STEPS
    assert STEPS.index("safety") <= 2


def test_unknown_step_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown step"):
        KioskAnswers("en").answer("notes", "anything")


@pytest.mark.parametrize(("reply", "danger"), [("yes", True), ("unsure", True), ("no", False)])
def test_any_answer_but_no_is_a_sign_of_danger(reply: str, danger: bool) -> None:
    answers = complete(safety=reply)
    assert answers.in_danger is danger
    assert answers.request(AT).risk == ("high" if danger else "none")


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
    crisis = complete(safety="yes").record(
        "c2", AT, "fr", (), outcome="referred", crisis_shown=True
    )
    assert crisis.risk == "high"
    assert crisis.crisis_actions == ("kiosk-crisis-screen",)
