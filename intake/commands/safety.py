"""`intake safety check FILE` and `intake safety tier`: test a safety-screen protocol from a
terminal before using it. Every mistake is a message and exit status 2, never a traceback."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from intake.i18n import _, pgettext

EXIT_BAD_INPUT = 2


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    safety = sub.add_parser(
        "safety",
        help=_("check a safety-screen file, or try answers against it"),
        description=_("Check a safety-screen protocol, or see the tier a set of answers gives."),
    )
    commands = safety.add_subparsers(dest="safety_command", metavar="{check,tier}")
    safety.set_defaults(handler=_usage(safety))
    check = commands.add_parser(
        "check",
        help=_("validate a safety-screen file"),
        description=_("Validate a safety-screen file (same format as the shipped one)."),
    )
    check.add_argument("file", type=Path, metavar=_("FILE"))
    check.set_defaults(handler=run_check)
    tier = commands.add_parser(
        "tier",
        help=_("print the tier a set of answers gives, and why"),
        description=_(
            "Print the risk tier a set of answers gives, and why. Questions not named were not "
            "asked; with no answer at all the screen is not screened."
        ),
    )
    tier.add_argument(
        "--answer",
        action="append",
        default=[],
        metavar="ID=yes|no|unsure|declined",
        help=_("one answer; repeat for each question answered"),
    )
    tier.add_argument(
        "--kiosk",
        action="store_true",
        help=_("only the questions a kiosk asks"),
    )
    tier.add_argument(
        "--screen",
        type=Path,
        metavar=_("FILE"),
        help=_("a safety-screen file (default: the shipped one)"),
    )
    tier.add_argument("--json", action="store_true", help=_("machine-readable output"))
    tier.set_defaults(handler=run_tier)


def _usage(parser: argparse.ArgumentParser) -> Any:
    def show(_args: argparse.Namespace) -> int:
        parser.print_usage(sys.stderr)
        return _fail(_("choose check or tier"))

    return show


def _fail(message: str) -> int:
    print(_("intake: {message}").format(message=message), file=sys.stderr)
    return EXIT_BAD_INPUT


def run_check(args: argparse.Namespace) -> int:
    from intake.safety import ScreenError, load_screen  # noqa: PLC0415
    from intake.services.data_files import describe_screen  # noqa: PLC0415

    try:
        screen = load_screen(args.file)
    except ScreenError as exc:
        return _fail(describe_screen(exc))
    print(
        _(
            "{file}: {questions} questions ({kiosk} at a kiosk), {rules} rules, no problems found."
        ).format(
            file=args.file,
            questions=len(screen.questions),
            kiosk=len(screen.kiosk_questions),
            rules=len(screen.rules),
        )
    )
    return 0


def _parse_answers(
    raw_answers: list[str], allowed: list[str], *, kiosk: bool
) -> dict[str, str] | str:
    """The answers by question id, or what is wrong with them (a message)."""
    from intake.safety import ANSWERS  # noqa: PLC0415

    answers: dict[str, str] = {}
    for raw in raw_answers:
        qid, sep, value = raw.partition("=")
        qid, value = qid.strip(), value.strip().lower()
        if not sep or not qid:
            return _("{answer!r}: write an answer as ID=VALUE").format(answer=raw)
        if value not in ANSWERS:
            return _("{answer!r}: the answer must be one of {answers}").format(
                answer=raw, answers=", ".join(ANSWERS)
            )
        if qid not in allowed:
            where = _("at a kiosk") if kiosk else _("in this screen")
            return _("{question!r} is not a yes-no question {where}; the questions: {ids}").format(
                question=qid, where=where, ids=", ".join(allowed)
            )
        if answers.get(qid, value) != value:
            return _("{question!r} is answered twice").format(question=qid)
        answers[qid] = value
    return answers


def run_tier(args: argparse.Namespace) -> int:
    from intake.safety import SHIPPED, ScreenError, load_screen  # noqa: PLC0415
    from intake.services.data_files import describe_screen  # noqa: PLC0415

    try:
        screen = load_screen(args.screen or SHIPPED)
    except ScreenError as exc:
        return _fail(describe_screen(exc))
    asked = screen.kiosk_questions if args.kiosk else screen.questions
    allowed = [q.id for q in asked if q.answerable]
    answers = _parse_answers(args.answer, allowed, kiosk=args.kiosk)
    if isinstance(answers, str):
        return _fail(answers)
    result = screen.assess(answers, asked=allowed)
    language = args.terminal_language
    if args.json:
        data = {
            "tier": result.tier,
            "channel": "kiosk" if args.kiosk else "phone",
            "reasons": [rule.why.get(language) for rule in result.reasons],
            "ask_again": list(result.ask_again),
            "declined": list(result.declined),
            "not_asked": list(result.not_asked),
            "opens_crisis": result.opens_crisis,
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    names = {
        "not-screened": pgettext("risk tier", "Not screened"),
        "none": pgettext("risk tier", "No risk identified"),
        "concern": pgettext("risk tier", "Concern"),
        "high": pgettext("risk tier", "High risk"),
        "imminent": pgettext("risk tier", "Imminent risk"),
    }
    print(_("Tier: {tier}").format(tier=names[result.tier]))
    for rule in result.reasons:
        print(f"  - {rule.why.get(language)}")
    if result.ask_again:
        print(_("Ask again: {ids}").format(ids=", ".join(result.ask_again)))
    if result.declined:
        print(_("Would rather not say: {ids}").format(ids=", ".join(result.declined)))
    if result.not_asked:
        print(_("Not asked: {ids}").format(ids=", ".join(result.not_asked)))
    return 0
