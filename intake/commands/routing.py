"""`intake route` and `intake directory`: the routing engine and the directory from a terminal.

The JSON output of `intake route --json` is a public, stable contract (see docs/routing.md).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from intake.i18n import Language, _, set_language
from intake.provinces import CODES, PROVINCES, ROLES
from intake.vocabulary import CHANNELS, MODES, NEEDS, RISKS, TOPICS

if TYPE_CHECKING:
    from intake.directory.model import Program

# The loader (TOML, phonenumbers) and renderer are imported by the commands that use them:
# building this parser is part of every `intake` start, the GUI's included.


def _province(value: str) -> str:
    code = value.strip().upper()
    if code not in PROVINCES:
        raise argparse.ArgumentTypeError(
            _("{value!r} is not a province or territory code ({codes})").format(
                value=value, codes=" ".join(CODES)
            )
        )
    return code


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{value!r} is not an ISO 8601 date and time, such as 2026-11-22T14:30-05:00").format(
                value=value
            )
        ) from None
    # Far dates overflow when moved between time zones; no opening hours are known there.
    if not 1900 <= moment.year <= 9000:
        raise argparse.ArgumentTypeError(
            _(
                "{value!r} is too far in the past or the future: give a year from 1900 to 9000"
            ).format(value=value)
        )
    return moment


def _directory_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--directory",
        type=Path,
        metavar=_("FILE"),
        help=_(
            "your organisation's directory file, merged over the shipped one "
            "(default: $INTAKE_DIRECTORY)"
        ),
    )


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    route = sub.add_parser(
        "route",
        help=_("recommend programs for a caller"),
        description=_("Recommend programs for a caller, with the reasons."),
    )
    route.add_argument(
        "--province",
        type=_province,
        required=True,
        metavar="XX",
        help=_("two-letter postal code: {codes}").format(codes=" ".join(CODES)),
    )
    route.add_argument("--role", choices=ROLES, default="physician")
    route.add_argument(
        "--language",
        choices=("en", "fr"),
        default=None,
        help=_("the caller's language (default: the terminal's)"),
    )
    route.add_argument("--need", choices=NEEDS, default="peer")
    route.add_argument("--format", choices=MODES, action="append", dest="modes", default=[])
    route.add_argument("--channel", choices=CHANNELS, action="append", dest="channels", default=[])
    route.add_argument("--outside-community", action="store_true")
    route.add_argument("--indigenous", action="store_true")
    route.add_argument("--veteran", action="store_true")
    route.add_argument("--about-colleague", action="store_true")
    route.add_argument(
        "--about-family",
        action="store_true",
        help=_("the call is about a physician in the caller's family"),
    )
    route.add_argument(
        "--young",
        action="store_true",
        help=_("the caller is young, or is calling about a young person"),
    )
    route.add_argument(
        "--topic",
        choices=TOPICS,
        action="append",
        dest="topics",
        default=[],
        help=_("what the call is about (a complaint lifts the CMPA's physician advisors)"),
    )
    route.add_argument("--risk", choices=RISKS, default="none")
    route.add_argument(
        "--at",
        type=_moment,
        metavar="ISO-8601",
        help=_(
            "the time to route for (default: now; without an offset, the province's local time)"
        ),
    )
    route.add_argument("--json", action="store_true", help=_("print JSON instead of text"))
    _directory_option(route)
    route.set_defaults(handler=run_route)

    directory = sub.add_parser("directory", help=_("check or list the program directory"))
    actions = directory.add_subparsers(dest="action", required=True, metavar="{check,list}")
    check = actions.add_parser("check", help=_("validate a directory file"))
    check.add_argument("file", nargs="?", type=Path, metavar=_("FILE"))
    check.set_defaults(handler=run_check)
    listing = actions.add_parser("list", help=_("list the directory's entries"))
    listing.add_argument("--province", type=_province, metavar="XX")
    listing.add_argument("--json", action="store_true", help=_("print JSON instead of text"))
    _directory_option(listing)
    listing.set_defaults(handler=run_list)


def _override(args: argparse.Namespace) -> Path | None:
    if args.directory is not None:
        return Path(args.directory)
    configured = os.environ.get("INTAKE_DIRECTORY")
    return Path(configured) if configured else None


def _fail(message: str) -> int:
    print(_("intake: {message}").format(message=message), file=sys.stderr)
    return 1


def _load(path: Path | None) -> list[Program]:
    # From the compiled copy when nothing changed: no TOML parsing or phone-number checks.
    from intake.directory.cache import load_directory  # noqa: PLC0415

    return load_directory(path)


def _directory_problem(exc: ValueError) -> str | None:
    """The loader's message for a directory mistake; None for any other error."""
    from intake.directory.load import DirectoryError  # noqa: PLC0415 - already imported by then

    return str(exc) if isinstance(exc, DirectoryError) else None


def run_route(args: argparse.Namespace) -> int:
    from intake.routing.engine import Request, Router  # noqa: PLC0415
    from intake.routing.render import result_json, result_text  # noqa: PLC0415

    language: Language = args.language or args.terminal_language
    set_language(language)
    at = args.at or datetime.now(UTC)
    if at.tzinfo is None:
        from intake.timezones import zone  # noqa: PLC0415

        at = at.replace(tzinfo=zone(PROVINCES[args.province].zone))
    try:
        router = Router(_load(_override(args)))
    except ValueError as exc:  # DirectoryError, imported only when the loader ran
        if (problem := _directory_problem(exc)) is None:
            raise
        return _fail(problem)
    request = Request(
        province=args.province,
        at=at,
        role=args.role,
        language=language,
        need=args.need,
        modes=frozenset(args.modes),
        channels=frozenset(args.channels),
        outside_community=args.outside_community,
        indigenous=args.indigenous,
        veteran=args.veteran,
        about_colleague=args.about_colleague,
        about_family=args.about_family,
        young=args.young,
        topics=frozenset(args.topics),
        risk=args.risk,
    )
    result = router.route(request)
    if args.json:
        print(json.dumps(result_json(result, language), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(result_text(result, language, router.get))
    return 0


def run_check(args: argparse.Namespace) -> int:
    from intake.directory.load import DirectoryError, load_directory, read_file  # noqa: PLC0415

    try:
        if args.file is None:
            programs = load_directory()
        else:
            programs, _disabled = read_file(args.file)
            load_directory(args.file)  # also checks that it merges over the shipped directory
    except DirectoryError as exc:
        return _fail(str(exc))
    print(
        _("{file}: {count} entries, no problems found.").format(
            file=args.file or _("shipped directory"), count=len(programs)
        )
    )
    return 0


def run_list(args: argparse.Namespace) -> int:
    try:
        programs = _load(_override(args))
    except ValueError as exc:
        if (problem := _directory_problem(exc)) is None:
            raise
        return _fail(problem)
    if args.province:
        programs = [p for p in programs if args.province in p.provinces or "*" in p.provinces]
    language = args.terminal_language
    if args.json:
        rows = [
            {
                "id": p.id,
                "kind": p.kind,
                "name": p.name.text.get(language),
                "provinces": sorted(p.provinces),
                "listing": p.listing,
                "statuses": {k: v.status for k, v in p.facts().items()},
            }
            for p in programs
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for p in programs:
        where = ",".join(sorted(p.provinces)).replace("*", _("all"))
        hidden = "" if p.listing == "show" else " " + _("(hidden until verified)")
        print(f"{p.id:28} {p.kind:15} {where:10} {p.name.text.get(language)}{hidden}")
    return 0
