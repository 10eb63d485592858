"""The safety screen: short, direct, non-clinical questions and the rules that give a risk tier.

Questions and rules are data (resources/safety-screen.toml) so an organisation can substitute
its own approved protocol. The shipped rules follow the crisis-line standard (Joiner et al.
2007; the Lifeline imminent-risk policy): ask about suicide directly, then, whatever the answer,
about capability (means, intoxication, a past attempt and when) and intent (a plan, a time, an
attempt in progress); note what keeps the person safe (buffers), which never lowers a tier.

Answers are yes, no, unsure (asked again; not taken as no meanwhile) and declined (would rather
not say: its own answer). The tier is the most severe rule that matches; a screen with no answer
at all is "not-screened", never "none". See docs/safety-screen.md.

Also here, because it is the same policy: when the crisis route should open by itself, and what
a high or imminent call needs before it can be saved (`rescue_problems`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from intake.directory.model import Text
from intake.paths import shipped

Tier = Literal["not-screened", "none", "concern", "high", "imminent"]
# From the least to the most severe; "not-screened" is not a level of risk: it is the absence of
# an answer, and it is never shown or stored as "none".
SEVERITY: tuple[Tier, ...] = ("none", "concern", "high", "imminent")
TIERS: tuple[Tier, ...] = ("not-screened", *SEVERITY)
Answer = Literal["yes", "no", "unsure", "declined"]
ANSWERS: tuple[Answer, ...] = ("yes", "no", "unsure", "declined")
SIGNALS = ("desire", "capability", "intent", "buffer", "situation", "context")
KINDS = ("yes-no", "choices", "prompt")
SHIPPED = shipped("safety-screen.toml")

# Coded reasons a high or imminent call may be saved without a confirmed connection, or without
# the on-call supervisor informed. Codes, not free text: the record keeps no words of the call.
NO_CONNECTION_REASONS = ("declined-with-plan", "disconnected", "already-with-help")
NO_SUPERVISOR_REASONS = ("not-reachable", "none-on-call")
NO_CONNECTION = "no-connection:"
NO_SUPERVISOR = "supervisor-not-informed:"


class ScreenError(ValueError):
    pass


class RescueMissing(ValueError):
    """A high or imminent call saved without a confirmed connection or the supervisor informed
    (or a coded reason for each): `problems` names what is missing."""

    def __init__(self, problems: tuple[str, ...]) -> None:
        super().__init__(f"the crisis route is not finished: {', '.join(problems)}")
        self.problems = problems


@dataclass(frozen=True)
class Choice:
    id: str
    text: Text


@dataclass(frozen=True)
class Question:
    id: str
    signal: str
    ask: Text  # read aloud to a person about themselves
    ask_about_other: Text  # when the caller is worried about someone else
    kind: str = "yes-no"
    kiosk: bool = False
    ask_if: Mapping[str, frozenset[str]] = field(default_factory=dict)
    choices: tuple[Choice, ...] = ()

    @property
    def answerable(self) -> bool:
        return self.kind == "yes-no"

    def applies(self, answers: Mapping[str, str | None]) -> bool:
        """Asked at all: a follow-up only after one of the answers it follows."""
        return all(answers.get(q) in allowed for q, allowed in self.ask_if.items())


@dataclass(frozen=True)
class Rule:
    tier: Tier
    when: Mapping[str, frozenset[Answer]]  # every listed question must have one of these answers
    why: Text

    def matches(self, answers: Mapping[str, str | None]) -> bool:
        return all(answers.get(q) in allowed for q, allowed in self.when.items())


@dataclass(frozen=True)
class Assessment:
    """The tier, why, and what is still open: what to ask again and what was not asked."""

    tier: Tier
    reasons: tuple[Rule, ...]  # every rule at the tier that matched
    ask_again: tuple[str, ...]  # answered "unsure"
    declined: tuple[str, ...]
    not_asked: tuple[str, ...]  # yes-no questions that apply and have no answer
    capability_asked: bool  # every intent and capability question has an answer
    in_progress: bool  # an attempt may be in progress (the crisis route opens at once)

    @property
    def opens_crisis(self) -> bool:
        """The crisis route takes over by itself: high or imminent, once the capability and
        intent questions are all answered, or at once if an attempt may be in progress."""
        return self.tier in ("high", "imminent") and (self.capability_asked or self.in_progress)


@dataclass(frozen=True)
class Screen:
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...]

    def question(self, qid: str) -> Question:
        for question in self.questions:
            if question.id == qid:
                return question
        raise ScreenError(f"unknown question: {qid}")

    @property
    def kiosk_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.kiosk and q.answerable)

    def check_answers(self, answers: Mapping[str, str | None]) -> None:
        known = {q.id: q for q in self.questions if q.answerable}
        unknown = set(answers) - set(known)
        if unknown:
            raise ScreenError(f"unknown question(s): {', '.join(sorted(unknown))}")
        for qid, answer in answers.items():
            if answer is not None and answer not in ANSWERS:
                raise ScreenError(f"{qid}: the answer must be one of {', '.join(ANSWERS)}")

    def tier(self, answers: Mapping[str, str | None]) -> Tier:
        return self.assess(answers).tier

    def matching_rule(self, answers: Mapping[str, str | None]) -> Rule | None:
        reasons = self.assess(answers).reasons
        return reasons[0] if reasons else None

    def assess(
        self, answers: Mapping[str, str | None], *, asked: Iterable[str] | None = None
    ) -> Assessment:
        """`asked`: the questions this channel asks (the kiosk asks fewer); default all."""
        self.check_answers(answers)
        given = {q: a for q, a in answers.items() if a is not None}
        scope = set(asked) if asked is not None else {q.id for q in self.questions}
        applicable = [
            q for q in self.questions if q.answerable and q.id in scope and q.applies(given)
        ]
        if not given:
            return Assessment(
                "not-screened",
                (),
                (),
                (),
                tuple(q.id for q in applicable),
                False,
                False,
            )
        matched = [rule for rule in self.rules if rule.matches(given)]
        tier: Tier = "none"
        for rule in matched:
            if SEVERITY.index(rule.tier) > SEVERITY.index(tier):
                tier = rule.tier
        at_tier = tuple(rule for rule in matched if rule.tier == tier)
        capability = [q for q in applicable if q.signal in ("capability", "intent")]
        return Assessment(
            tier,
            at_tier,
            tuple(q for q, a in given.items() if a == "unsure"),
            tuple(q for q, a in given.items() if a == "declined"),
            tuple(q.id for q in applicable if q.id not in given),
            all(q.id in given for q in capability),
            given.get("in_progress") in ("yes", "unsure", "declined"),
        )


def rescue_problems(
    risk: str, crisis_actions: Iterable[str], outcome: str | None
) -> tuple[str, ...]:
    """What a high or imminent call still needs before it can be saved (empty: nothing).

    - "connection": a confirmed connection with 9-8-8, a crisis line or emergency services, or a
      coded reason it could not be confirmed;
    - "supervisor": the on-call supervisor informed, or a coded reason why not;
    - "outcome": "connected to crisis help" chosen without a confirmed connection.
    Lower tiers, and a call not screened, need none of these.
    """
    actions = set(crisis_actions)
    problems: list[str] = []
    if risk in ("high", "imminent"):
        if "connection-confirmed" not in actions and not any(
            a.startswith(NO_CONNECTION) for a in actions
        ):
            problems.append("connection")
        if "supervisor-informed" not in actions and not any(
            a.startswith(NO_SUPERVISOR) for a in actions
        ):
            problems.append("supervisor")
    if outcome == "crisis-connected" and "connection-confirmed" not in actions:
        problems.append("outcome")
    return tuple(problems)


def _text(value: object, where: str) -> Text:
    text = Text.from_table(value)
    if text is None:
        raise ScreenError(f"{where}: needs en and fr text")
    return text


def _answer_lists(
    raw: object, where: str, what: str, ids: Mapping[str, Question]
) -> dict[str, frozenset[Answer]]:
    if not isinstance(raw, dict) or not raw:
        raise ScreenError(f"{where}: '{what}' must name at least one question")
    result: dict[str, frozenset[Answer]] = {}
    for question, allowed in raw.items():
        if question not in ids:
            raise ScreenError(f"{where}: no question {question!r}")
        if not ids[question].answerable:
            raise ScreenError(f"{where}: {question!r} is not a yes-no question")
        if not isinstance(allowed, list) or not allowed or any(a not in ANSWERS for a in allowed):
            raise ScreenError(
                f"{where}: answers for {question!r} must be among {', '.join(ANSWERS)}"
            )
        result[question] = frozenset(allowed)
    return result


def _question(raw: object, index: int, path: Path, ids: dict[str, Question]) -> Question:
    if not isinstance(raw, dict):
        raise ScreenError(f"{path}: question {index + 1} must be a table")
    qid = raw.get("id")
    where = f"{path}: question {qid or index + 1}"
    if not isinstance(qid, str) or not qid:
        raise ScreenError(f"{where}: needs an id")
    if qid in ids:
        raise ScreenError(f"{where}: the id is used twice")
    if raw.get("signal") not in SIGNALS:
        raise ScreenError(f"{where}: signal must be one of {', '.join(SIGNALS)}")
    kind = raw.get("kind", "yes-no")
    if kind not in KINDS:
        raise ScreenError(f"{where}: kind must be one of {', '.join(KINDS)}")
    kiosk = raw.get("kiosk", False)
    if not isinstance(kiosk, bool) or (kiosk and kind != "yes-no"):
        raise ScreenError(f"{where}: kiosk must be true or false, and only on a yes-no question")
    if raw["signal"] == "buffer" and kind == "yes-no":
        raise ScreenError(f"{where}: buffers are answered in the person's own terms (choices)")
    choices: list[Choice] = []
    if kind == "choices":
        raw_choices = raw.get("choices")
        if not isinstance(raw_choices, list) or not raw_choices:
            raise ScreenError(f"{where}: a choices question needs its choices")
        for number, choice in enumerate(raw_choices, 1):
            cid = choice.get("id") if isinstance(choice, dict) else None
            if not isinstance(cid, str) or not cid or "," in cid:
                raise ScreenError(f"{where}: choice {number} needs an id (no commas)")
            choices.append(Choice(cid, _text(choice, f"{where}: choice {cid}")))
        if len({c.id for c in choices}) != len(choices):
            raise ScreenError(f"{where}: choice ids must be unique")
    ask_if = _answer_lists(raw["ask_if"], where, "ask_if", ids) if "ask_if" in raw else {}
    return Question(
        qid,
        raw["signal"],
        _text(raw.get("ask"), where),
        _text(raw.get("ask_about_other"), where),
        kind,
        kiosk,
        ask_if,
        tuple(choices),
    )


def parse_screen(text: str, path: Path) -> Screen:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScreenError(f"{path}: not valid TOML ({exc})") from None
    ids: dict[str, Question] = {}
    raw_questions = data.get("question", [])
    if not isinstance(raw_questions, list) or not raw_questions:
        raise ScreenError(f"{path}: needs at least one [[question]]")
    for index, raw in enumerate(raw_questions):
        question = _question(raw, index, path, ids)
        ids[question.id] = question
    if not any(q.answerable for q in ids.values()):
        raise ScreenError(f"{path}: needs at least one yes-no question")
    rules = []
    previous = len(SEVERITY)
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list):
        raise ScreenError(f"{path}: rules must be [[rule]] tables")
    for index, raw in enumerate(raw_rules):
        where = f"{path}: rule {index + 1}"
        if not isinstance(raw, dict):
            raise ScreenError(f"{where}: must be a table")
        tier = raw.get("tier")
        if tier not in SEVERITY or tier == "none":
            raise ScreenError(f"{where}: tier must be concern, high or imminent")
        if SEVERITY.index(tier) > previous:
            raise ScreenError(f"{where}: rules must go from the most to the least severe tier")
        previous = SEVERITY.index(tier)
        when = _answer_lists(raw.get("when"), where, "when", ids)
        if any(ids[q].signal == "buffer" for q in when):
            raise ScreenError(f"{where}: buffers never set a tier")
        rules.append(Rule(tier, when, _text(raw.get("why"), where)))
    return Screen(tuple(ids.values()), tuple(rules))


def load_screen(path: Path = SHIPPED) -> Screen:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScreenError(f"{path}: cannot be read ({exc})") from None
    return parse_screen(text, path)
