"""The safety screen: the whole answer space against the standard's properties, and the rules
that keep an organisation's own protocol safe to load."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from intake.safety import SEVERITY, ScreenError, load_screen, rescue_problems

SCREEN = load_screen()
CORE = ("thoughts", "in_progress", "plan", "timing", "means", "intoxicated", "past_attempt")
STATES: tuple[str | None, ...] = (None, "no", "unsure", "declined", "yes")
RANK = {tier: index for index, tier in enumerate(SEVERITY)}
KEY = ("in_progress", "plan", "timing", "means")
Space = dict[tuple[str | None, ...], str]


@pytest.fixture(scope="module")
def space() -> Space:
    """Every combination of the core questions: 5**7 = 78,125 answer sets."""
    tiers = {}
    for combo in itertools.product(STATES, repeat=len(CORE)):
        answers = {q: a for q, a in zip(CORE, combo, strict=True) if a is not None}
        tiers[combo] = SCREEN.tier(answers)
    return tiers


def _with(combo: tuple[str | None, ...], index: int, answer: str) -> tuple[str | None, ...]:
    return (*combo[:index], answer, *combo[index + 1 :])


def test_only_an_empty_screen_is_not_screened(space: Space) -> None:
    assert len(space) == 5 ** len(CORE)
    for combo, tier in space.items():
        assert (tier == "not-screened") == all(a is None for a in combo), combo


def test_answering_yes_never_lowers_the_tier(space: Space) -> None:
    for combo, tier in space.items():
        for index, answer in enumerate(combo):
            if answer != "yes" and tier != "not-screened":
                raised = space[_with(combo, index, "yes")]
                assert RANK[raised] >= RANK[tier], (combo, CORE[index])


def test_unsure_is_never_taken_as_no(space: Space) -> None:
    for combo, tier in space.items():
        for index, answer in enumerate(combo):
            if answer == "no":
                assert RANK[space[_with(combo, index, "unsure")]] >= RANK[tier], combo


def test_declined_on_a_key_item_counts_as_yes(space: Space) -> None:
    for combo, tier in space.items():
        for index, answer in enumerate(combo):
            if CORE[index] in KEY and answer == "declined":
                assert space[_with(combo, index, "yes")] == tier, combo


def test_capability_and_intent_raise_the_tier_whatever_the_thoughts(space: Space) -> None:
    for combo, tier in space.items():
        answers = dict(zip(CORE, combo, strict=True))
        attempt = answers["in_progress"] in ("yes", "unsure", "declined")
        soon = answers["timing"] == "yes" and "yes" in (answers["means"], answers["intoxicated"])
        if attempt or soon:
            assert tier == "imminent", combo
        elif "yes" in (answers["plan"], answers["timing"]):
            assert RANK[tier] >= RANK["high"], combo
        elif "yes" in (answers["means"], answers["intoxicated"]):
            assert RANK[tier] >= RANK["concern"], combo
        intent = "yes" in (answers["plan"], answers["timing"], answers["in_progress"])
        if intent and answers["thoughts"] in ("yes", "unsure", "declined"):
            # With thoughts denied: still high or imminent when intent alone carries it.
            assert RANK[space[_with(combo, 0, "no")]] >= RANK["high"], combo


def test_a_past_attempt_counts_by_how_recent_it_was() -> None:
    base = {"thoughts": "yes", "past_attempt": "yes"}
    assert SCREEN.tier({**base, "attempt_recent": "yes"}) == "high"
    assert SCREEN.tier({**base, "attempt_recent": "declined"}) == "high"
    assert SCREEN.tier({**base, "attempt_recent": "no"}) == "concern"
    assert SCREEN.question("attempt_recent").applies({"past_attempt": "yes"})
    assert not SCREEN.question("attempt_recent").applies({"past_attempt": "no"})


def test_over_triage_is_gone() -> None:
    # Any alcohol today, an attempt long ago, or usual medication no longer make a caller "high".
    assert SCREEN.tier({"thoughts": "yes", "intoxicated": "no"}) == "concern"
    assert SCREEN.tier({"thoughts": "yes", "past_attempt": "yes", "attempt_recent": "no"}) == (
        "concern"
    )
    in_progress = SCREEN.question("in_progress").ask.en
    assert "more" in in_progress
    assert "harm yourself" in in_progress
    assert "right now" in SCREEN.question("intoxicated").ask.en.lower()


def test_buffers_never_lower_a_tier_and_are_not_yes_or_no() -> None:
    buffers = SCREEN.question("buffers")
    assert buffers.kind == "choices"
    assert len(buffers.choices) >= 4
    assert all("buffers" not in rule.when for rule in SCREEN.rules)
    with pytest.raises(ScreenError, match="unknown question"):
        SCREEN.tier({"buffers": "yes"})


def test_the_questions_a_responder_expects_are_asked() -> None:
    ids = {q.id for q in SCREEN.questions}
    expected = {"harm_others", "location", "alone", "unsafe_now", "means_away"}
    assert expected | {"medication_access", "hopeless", "stressor"} <= ids
    assert SCREEN.tier({"harm_others": "yes"}) == "high"
    assert SCREEN.tier({"thoughts": "yes", "hopeless": "yes", "stressor": "yes"}) == "high"


def test_the_assessment_says_what_to_ask_again_and_what_is_open() -> None:
    result = SCREEN.assess({"thoughts": "unsure", "plan": "declined"})
    assert result.tier == "high"
    assert result.ask_again == ("thoughts",)
    assert result.declined == ("plan",)
    assert "means" in result.not_asked
    assert "attempt_recent" not in result.not_asked
    assert not result.capability_asked  # means not asked yet
    assert not result.opens_crisis
    assert SCREEN.assess({"in_progress": "yes"}).opens_crisis  # at once


def test_the_crisis_route_waits_for_the_capability_questions() -> None:
    answers = {"thoughts": "yes", "plan": "yes"}
    assert SCREEN.tier(answers) == "high"
    assert not SCREEN.assess(answers).opens_crisis
    rest = {
        q.id: "no"
        for q in SCREEN.questions
        if q.answerable and q.signal in ("capability", "intent") and q.id not in answers
    }
    rest.pop("attempt_recent")  # follows a past attempt only
    assert SCREEN.assess({**answers, **rest}).opens_crisis


def test_the_kiosk_asks_the_key_items() -> None:
    ids = [q.id for q in SCREEN.kiosk_questions]
    assert ids[0] == "thoughts"
    assert set(KEY) <= set(ids)


@pytest.mark.parametrize("risk", ["high", "imminent"])
def test_a_high_or_imminent_call_needs_rescue_before_saving(risk: str) -> None:
    assert rescue_problems(risk, [], "information") == ("connection", "supervisor")
    assert rescue_problems(risk, ["connection-confirmed"], "crisis-connected") == ("supervisor",)
    done = ["connection-confirmed", "supervisor-informed"]
    assert rescue_problems(risk, done, "crisis-connected") == ()
    reasons = ["no-connection:disconnected", "supervisor-not-informed:not-reachable"]
    assert rescue_problems(risk, reasons, "disconnected") == ()
    assert rescue_problems(risk, reasons, "crisis-connected") == ("outcome",)


@pytest.mark.parametrize("risk", ["not-screened", "none", "concern"])
def test_lower_tiers_save_without_rescue(risk: str) -> None:
    assert rescue_problems(risk, [], "information") == ()


def test_every_question_reads_aloud_in_both_languages_both_ways() -> None:
    assert SCREEN.questions[0].id == "thoughts"  # the direct question comes first
    for question in SCREEN.questions:
        for text in (question.ask, question.ask_about_other):
            assert text.en.endswith("?")
            assert text.fr.endswith("?")
    for rule in SCREEN.rules:
        assert rule.why.en
        assert rule.why.fr


def test_unknown_question_is_refused() -> None:
    with pytest.raises(ScreenError, match="unknown question"):
        SCREEN.tier({"mood": "yes"})  # type: ignore[dict-item]


def test_an_organisation_can_substitute_its_protocol(tmp_path: Path) -> None:
    path = tmp_path / "screen.toml"
    path.write_text(
        '[[question]]\nid = "danger"\nsignal = "intent"\n'
        'ask = { en = "Are you safe?", fr = "Êtes-vous en sécurité?" }\n'
        'ask_about_other = { en = "Are they safe?", fr = "Cette personne est-elle en sécurité?" }\n'
        '[[rule]]\ntier = "imminent"\nwhen = { danger = ["no"] }\n'
        'why = { en = "Not safe.", fr = "Pas en sécurité." }\n',
        encoding="utf-8",
    )
    screen = load_screen(path)
    assert screen.tier({"danger": "no"}) == "imminent"
    assert screen.tier({"danger": "yes"}) == "none"


@pytest.mark.parametrize(
    ("rules", "problem"),
    [
        (
            '[[rule]]\ntier = "concern"\nwhen = { q = ["yes"] }\nwhy = { en = "a", fr = "b" }\n'
            '[[rule]]\ntier = "imminent"\nwhen = { q = ["yes"] }\nwhy = { en = "a", fr = "b" }\n',
            "most to the least",
        ),
        (
            '[[rule]]\ntier = "high"\nwhen = { other = ["yes"] }\nwhy = { en = "a", fr = "b" }\n',
            "no question",
        ),
        (
            '[[rule]]\ntier = "high"\nwhen = { q = ["maybe"] }\nwhy = { en = "a", fr = "b" }\n',
            "among yes",
        ),
        (
            '[[rule]]\ntier = "high"\nwhen = { q = ["yes"] }\nwhy = { en = "a" }\n',
            "needs en and fr",
        ),
        # A rule "setting" the lowest tier would be a rule that lowers nothing and hides a
        # mistake (a tier typed wrong); the loader says so.
        (
            '[[rule]]\ntier = "none"\nwhen = { q = ["yes"] }\nwhy = { en = "a", fr = "b" }\n',
            "rule 1: field tier: must be concern, high or imminent",
        ),
    ],
    # Plain ids: mutation testing selects a test by its id (a newline in one hides it).
    ids=["order", "no-question", "answers", "text", "tier-none"],
)
def test_a_protocol_with_a_mistake_is_refused(tmp_path: Path, rules: str, problem: str) -> None:
    path = tmp_path / "screen.toml"
    path.write_text(
        '[[question]]\nid = "q"\nsignal = "desire"\nask = { en = "Q?", fr = "Q?" }\n'
        'ask_about_other = { en = "Q?", fr = "Q?" }\n' + rules,
        encoding="utf-8",
    )
    with pytest.raises(ScreenError, match=problem):
        load_screen(path)


@pytest.mark.parametrize("answer", ["yes", "unsure", "declined"])
def test_an_attempt_that_may_be_under_way_is_imminent_whatever_the_doubt(answer: str) -> None:
    """ "Unsure" and "would rather not say" about something already done or taken are not
    "no": the volunteer acts as if it were yes (Lifeline imminent-risk policy)."""
    assert SCREEN.tier({"thoughts": "yes", "in_progress": answer}) == "imminent"


@pytest.mark.parametrize(("unsafe", "means"), [("yes", "unsure"), ("unsure", "yes")])
def test_not_sure_of_staying_safe_with_the_means_at_hand_is_imminent(
    unsafe: str, means: str
) -> None:
    assert SCREEN.tier({"thoughts": "yes", "unsafe_now": unsafe, "means": means}) == "imminent"


def test_asking_for_a_question_the_screen_does_not_have_names_it() -> None:
    with pytest.raises(ScreenError, match="unknown question: no_such_question"):
        SCREEN.question("no_such_question")
    assert SCREEN.question("in_progress").id == "in_progress"
