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
from intake.i18n import N_
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
    """A mistake in a safety-screen file, or a question or answer the screen does not have.

    Where it is (`file`, `entry`: ("question", its id or number) or ("rule", its number),
    `field`) and what it is (`problem`: an English sentence marked for translation, with named
    placeholders filled from `values`, quoted from the file as written). `str()` is all of it
    in English (the log); intake.services.data_files.describe_screen says it in the person's
    language (the command line and the window).
    """

    def __init__(
        self,
        problem: str,
        *,
        file: Path | None = None,
        entry: tuple[str, str | int] | None = None,
        field: str | None = None,
        **values: object,
    ) -> None:
        self.problem = problem
        self.file = file
        self.entry = entry
        self.field = field
        self.values = {name: str(value) for name, value in values.items()}
        parts = [] if file is None else [str(file)]
        if entry is not None:
            parts.append(f"{entry[0]} {entry[1]}")
        if field is not None:
            parts.append(f"field {field}")
        parts.append(problem.format(**self.values))
        super().__init__(": ".join(parts))


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
        raise ScreenError(N_("unknown question: {question}"), question=qid)

    @property
    def kiosk_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.kiosk and q.answerable)

    def check_answers(self, answers: Mapping[str, str | None]) -> None:
        known = {q.id: q for q in self.questions if q.answerable}
        unknown = set(answers) - set(known)
        if unknown:
            raise ScreenError(
                N_("unknown question(s): {questions}"), questions=", ".join(sorted(unknown))
            )
        for qid, answer in answers.items():
            if answer is not None and answer not in ANSWERS:
                raise ScreenError(
                    N_("{question}: the answer must be one of {allowed}"),
                    question=qid,
                    allowed=", ".join(ANSWERS),
                )

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


@dataclass(frozen=True)
class _At:
    """Where in the file a value is: for the loader's messages."""

    file: Path
    entry: tuple[str, str | int] | None = None

    def error(self, problem: str, field: str | None = None, **values: object) -> ScreenError:
        return ScreenError(problem, file=self.file, entry=self.entry, field=field, **values)


def _text(value: object, at: _At, field: str) -> Text:
    text = Text.from_table(value)
    if text is None:
        raise at.error(N_("needs en and fr text"), field)
    return text


def _answer_lists(
    raw: object, at: _At, field: str, ids: Mapping[str, Question]
) -> dict[str, frozenset[Answer]]:
    if not isinstance(raw, dict) or not raw:
        raise at.error(N_("must name at least one question"), field)
    result: dict[str, frozenset[Answer]] = {}
    for question, allowed in raw.items():
        if question not in ids:
            raise at.error(N_("no question {question} in this file"), field, question=question)
        if not ids[question].answerable:
            raise at.error(N_("{question} is not a yes-no question"), field, question=question)
        if not isinstance(allowed, list) or not allowed or any(a not in ANSWERS for a in allowed):
            raise at.error(
                N_("the answers for {question} must be among {allowed}"),
                field,
                question=question,
                allowed=", ".join(ANSWERS),
            )
        result[question] = frozenset(allowed)
    return result


def _choices(raw: object, at: _At) -> tuple[Choice, ...]:
    if not isinstance(raw, list) or not raw:
        raise at.error(N_("a choices question needs its choices"), "choices")
    choices: list[Choice] = []
    for number, choice in enumerate(raw, 1):
        cid = choice.get("id") if isinstance(choice, dict) else None
        if not isinstance(cid, str) or not cid or "," in cid:
            raise at.error(
                N_("choice {number} needs an id, without commas"), "choices", number=number
            )
        text = Text.from_table(choice)
        if text is None:
            raise at.error(N_("choice {choice} needs en and fr text"), "choices", choice=cid)
        choices.append(Choice(cid, text))
    if len({c.id for c in choices}) != len(choices):
        raise at.error(N_("the choice ids must be unique"), "choices")
    return tuple(choices)


def _question(raw: object, index: int, path: Path, ids: dict[str, Question]) -> Question:
    if not isinstance(raw, dict):
        raise _At(path, ("question", index + 1)).error(N_("must be a table"))
    qid = raw.get("id")
    at = _At(path, ("question", qid if isinstance(qid, str) and qid else index + 1))
    if not isinstance(qid, str) or not qid:
        raise at.error(N_("needs an id"), "id")
    if qid in ids:
        raise at.error(N_("this id is used twice"), "id")
    if raw.get("signal") not in SIGNALS:
        raise at.error(N_("must be one of {allowed}"), "signal", allowed=", ".join(SIGNALS))
    kind = raw.get("kind", "yes-no")
    if kind not in KINDS:
        raise at.error(N_("must be one of {allowed}"), "kind", allowed=", ".join(KINDS))
    kiosk = raw.get("kiosk", False)
    if not isinstance(kiosk, bool) or (kiosk and kind != "yes-no"):
        raise at.error(N_("must be true or false, and true only on a yes-no question"), "kiosk")
    if raw["signal"] == "buffer" and kind == "yes-no":
        raise at.error(
            N_("a buffer is answered in the person's own terms: its kind must be choices"), "kind"
        )
    choices = _choices(raw.get("choices"), at) if kind == "choices" else ()
    ask_if = _answer_lists(raw["ask_if"], at, "ask_if", ids) if "ask_if" in raw else {}
    return Question(
        qid,
        raw["signal"],
        _text(raw.get("ask"), at, "ask"),
        _text(raw.get("ask_about_other"), at, "ask_about_other"),
        kind,
        kiosk,
        ask_if,
        choices,
    )


def parse_screen(text: str, path: Path) -> Screen:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _At(path).error(N_("is not valid TOML ({detail})"), detail=exc) from None
    ids: dict[str, Question] = {}
    raw_questions = data.get("question", [])
    if not isinstance(raw_questions, list) or not raw_questions:
        raise _At(path).error(N_("needs at least one [[question]]"))
    for index, raw in enumerate(raw_questions):
        question = _question(raw, index, path, ids)
        ids[question.id] = question
    if not any(q.answerable for q in ids.values()):
        raise _At(path).error(N_("needs at least one yes-no question"))
    rules = []
    previous = len(SEVERITY)
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list):
        raise _At(path).error(N_("the rules must be [[rule]] tables"))
    if not raw_rules:
        # Without a rule no answer could ever raise the tier: every call would read "none".
        raise _At(path).error(
            N_("needs at least one [[rule]]: without one, no answer raises the tier")
        )
    for index, raw in enumerate(raw_rules):
        at = _At(path, ("rule", index + 1))
        if not isinstance(raw, dict):
            raise at.error(N_("must be a table"))
        tier = raw.get("tier")
        if tier not in SEVERITY or tier == "none":
            raise at.error(N_("must be concern, high or imminent"), "tier")
        if SEVERITY.index(tier) > previous:
            raise at.error(N_("the rules must go from the most to the least severe tier"), "tier")
        previous = SEVERITY.index(tier)
        # A rule names only yes-no questions, and a buffer is never one (its kind must be
        # choices, checked above): so a buffer never sets, nor lowers, a tier.
        when = _answer_lists(raw.get("when"), at, "when", ids)
        rules.append(Rule(tier, when, _text(raw.get("why"), at, "why")))
    return Screen(tuple(ids.values()), tuple(rules))


def load_screen(path: Path = SHIPPED) -> Screen:
    at = _At(path)
    try:
        if path.exists() and not path.is_dir() and not path.is_file():
            # A pipe would wait for ever, a device never end.
            raise at.error(N_("is not an ordinary file (a device or a pipe, for instance)"))
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise at.error(N_("the file was not found")) from None
    except IsADirectoryError:
        raise at.error(N_("is a folder, not a file")) from None
    except UnicodeDecodeError:
        raise at.error(N_("is not UTF-8 text")) from None
    except OSError as exc:
        raise at.error(N_("cannot be read ({why})"), why=exc.strerror or exc) from None
    return parse_screen(text, path)
