"""The safety screen: short, direct, non-clinical questions and the rules that give a risk tier.

Questions and rules are data (resources/safety-screen.toml) so an organisation can substitute
its own approved protocol. The shipped rules follow common crisis-line practice: ask about
suicide directly, then about capability (means, intoxication, a past attempt), intent (a plan,
a time) and whether an attempt is under way, and note what keeps the person safe (buffers).
Rules are checked from the most to the least severe and the first match sets the tier; buffers
are recorded for the conversation but never lower a tier. See docs/safety-screen.md.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from intake.directory.model import Text
from intake.paths import shipped

Tier = Literal["none", "concern", "high", "imminent"]
TIERS: tuple[Tier, ...] = ("none", "concern", "high", "imminent")
Answer = Literal["yes", "no", "unsure"]
ANSWERS: tuple[Answer, ...] = ("yes", "no", "unsure")
SIGNALS = ("desire", "capability", "intent", "buffer")
SHIPPED = shipped("safety-screen.toml")


class ScreenError(ValueError):
    pass


@dataclass(frozen=True)
class Question:
    id: str
    signal: str
    ask: Text  # read aloud to a person about themselves
    ask_about_other: Text  # when the caller is worried about someone else


@dataclass(frozen=True)
class Rule:
    tier: Tier
    when: Mapping[str, frozenset[Answer]]  # every listed question must have one of these answers
    why: Text


@dataclass(frozen=True)
class Screen:
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...]

    def tier(self, answers: Mapping[str, Answer | None]) -> Tier:
        unknown = set(answers) - {q.id for q in self.questions}
        if unknown:
            raise ScreenError(f"unknown question(s): {', '.join(sorted(unknown))}")
        rule = self.matching_rule(answers)
        return rule.tier if rule else "none"

    def matching_rule(self, answers: Mapping[str, Answer | None]) -> Rule | None:
        for rule in self.rules:
            if all(answers.get(q) in allowed for q, allowed in rule.when.items()):
                return rule
        return None


def _text(value: object, where: str) -> Text:
    text = Text.from_table(value)
    if text is None:
        raise ScreenError(f"{where}: needs en and fr text")
    return text


def load_screen(path: Path = SHIPPED) -> Screen:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ScreenError(f"{path}: cannot be read ({exc})") from None
    questions = []
    for index, raw in enumerate(data.get("question", [])):
        where = f"{path}: question {raw.get('id', index + 1)}"
        if raw.get("signal") not in SIGNALS:
            raise ScreenError(f"{where}: signal must be one of {', '.join(SIGNALS)}")
        questions.append(
            Question(
                raw["id"],
                raw["signal"],
                _text(raw.get("ask"), where),
                _text(raw.get("ask_about_other"), where),
            )
        )
    ids = {q.id for q in questions}
    if len(ids) != len(questions) or not questions:
        raise ScreenError(f"{path}: question ids must be present and unique")
    rules = []
    previous = len(TIERS)
    for index, raw in enumerate(data.get("rule", [])):
        where = f"{path}: rule {index + 1}"
        tier = raw.get("tier")
        if tier not in TIERS or tier == "none":
            raise ScreenError(f"{where}: tier must be concern, high or imminent")
        if TIERS.index(tier) > previous:
            raise ScreenError(f"{where}: rules must go from the most to the least severe tier")
        previous = TIERS.index(tier)
        when = raw.get("when")
        if not isinstance(when, dict) or not when:
            raise ScreenError(f"{where}: 'when' must name at least one question")
        for question, allowed in when.items():
            if question not in ids:
                raise ScreenError(f"{where}: no question {question!r}")
            if (
                not isinstance(allowed, list)
                or not allowed
                or any(a not in ANSWERS for a in allowed)
            ):
                raise ScreenError(
                    f"{where}: answers for {question!r} must be among yes, no, unsure"
                )
        rules.append(
            Rule(tier, {q: frozenset(a) for q, a in when.items()}, _text(raw.get("why"), where))
        )
    return Screen(tuple(questions), tuple(rules))
