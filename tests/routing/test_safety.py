"""The safety screen: every tier, and the rules that keep it safe."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake.safety import ScreenError, load_screen

SCREEN = load_screen()


@pytest.mark.parametrize(
    ("answers", "tier"),
    [
        ({}, "none"),
        ({"thoughts": "no"}, "none"),
        ({"thoughts": "no", "buffers": "yes"}, "none"),
        ({"thoughts": "yes"}, "concern"),
        ({"thoughts": "unsure"}, "concern"),
        ({"thoughts": "no", "past_attempt": "yes"}, "concern"),
        ({"thoughts": "yes", "plan": "yes"}, "high"),
        ({"thoughts": "yes", "means": "yes"}, "high"),
        ({"thoughts": "yes", "intoxicated": "yes"}, "high"),
        ({"thoughts": "yes", "past_attempt": "yes"}, "high"),
        ({"thoughts": "yes", "timing": "yes"}, "high"),
        ({"thoughts": "unsure", "plan": "yes"}, "high"),
        ({"thoughts": "yes", "timing": "yes", "means": "yes"}, "imminent"),
        ({"thoughts": "yes", "timing": "yes", "intoxicated": "yes"}, "imminent"),
        ({"in_progress": "yes"}, "imminent"),
        ({"thoughts": "no", "in_progress": "yes"}, "imminent"),
    ],
)
def test_tiers(answers: dict[str, str], tier: str) -> None:
    assert SCREEN.tier(answers) == tier  # type: ignore[arg-type]


def test_buffers_never_lower_a_tier() -> None:
    for answers in (
        {"thoughts": "yes"},
        {"thoughts": "yes", "plan": "yes"},
        {"in_progress": "yes"},
    ):
        assert SCREEN.tier({**answers, "buffers": "yes"}) == SCREEN.tier(answers)  # type: ignore[arg-type]


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
    ],
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
