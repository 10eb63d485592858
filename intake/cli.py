"""The `intake` command: starts the application; later issues add admin and routing commands.

Kept free of Qt: the window toolkit is imported only when the application is started.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from intake import __version__
from intake.i18n import N_, Language, _, gettext_in, set_language

if TYPE_CHECKING:
    from intake.display import DisplayProblem


def _terminal_language() -> Language:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        if value := os.environ.get(name):
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


SUBCOMMANDS = {
    "route": N_("recommend programs for a caller"),
    "directory": N_("check or list the program directory"),
    "db": N_("create, check, back up, restore, re-key or purge the store"),
    "safety": N_("check a safety-screen file, or try answers against it"),
    "report": N_("write the de-identified program report as CSV or PDF"),
}


def build_parser(*, full: bool = True, command: str | None = None) -> argparse.ArgumentParser:
    """The whole parser; with `command`, only that sub-command's parser is built in full."""
    parser = argparse.ArgumentParser(
        prog="intake",
        description=_("Confidential, bilingual intake and referral for physician peer support."),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--store",
        type=Path,
        metavar=_("PATH"),
        help=_("the encrypted store file (default: $INTAKE_STORE, else the per-user data folder)"),
    )
    parser.add_argument(
        "--server",
        metavar="URL",
        help=_(
            "the shared store's PostgreSQL address, in place of --store (default: "
            "$INTAKE_SERVER); used by the db commands"
        ),
    )
    parser.add_argument(
        "--kiosk",
        action="store_true",
        help=_(
            "start in kiosk mode: full screen, self-service, leaving it needs a supervisor PIN "
            '(or set "kiosk": true in the settings file)'
        ),
    )
    commands = parser.add_subparsers(dest="command", metavar="{" + ",".join(SUBCOMMANDS) + "}")
    if not full:
        # Starting the window needs only the names (for --help): the sub-commands' own parsers
        # import the directory, routing and storage modules, a cost every start would pay.
        for name, summary in SUBCOMMANDS.items():
            commands.add_parser(name, help=_(summary))
        return parser
    # Each sub-command's parser imports its own modules (storage for `db`; the directory's
    # vocabulary for `route`): a command builds only its own, and only names for the others.
    if command in (None, "route", "directory"):
        from intake.commands import routing  # noqa: PLC0415

        routing.add_parsers(commands)
    if command in (None, "db"):
        from intake.commands import db  # noqa: PLC0415

        db.add_parsers(commands)
    if command in (None, "safety"):
        from intake.commands import safety  # noqa: PLC0415

        safety.add_parsers(commands)
    if command in (None, "report"):
        from intake.commands import report  # noqa: PLC0415

        report.add_parsers(commands)
    for name, summary in SUBCOMMANDS.items():
        if name not in commands.choices:
            commands.add_parser(name, help=_(summary))
    return parser


NO_DISPLAY = N_(
    "{app} cannot open its window: no graphical display could be reached (DISPLAY or "
    "WAYLAND_DISPLAY is not set, or nothing answers there). Start it from a desktop session. "
    "Without a screen, the command line still works: intake route, intake directory and "
    "intake db (intake --help lists them)."
)
MISSING_LIBRARIES = N_(
    "{app} cannot open its window: this computer lacks system libraries that Qt needs to show "
    "windows ({libraries}). On Debian or Ubuntu, install them with:\n"
    "    sudo apt-get install {packages}\n"
    "On other systems, install your distribution's packages that provide the same libraries. "
    "The command line works without them: intake route, intake directory and intake db."
)


def explain_display(problem: DisplayProblem, language: Language) -> str:
    """Why the window cannot start, and what to install, in the person's language."""
    message = MISSING_LIBRARIES if problem.kind == "missing-libraries" else NO_DISPLAY
    return gettext_in(language, message).format(
        app=gettext_in(language, "Peer Support Intake"),
        libraries=", ".join(problem.libraries),
        packages=" ".join(problem.packages),
    )


def store_from(args: argparse.Namespace) -> Path | None:
    if args.store is not None:
        return Path(args.store)
    configured = os.environ.get("INTAKE_STORE")
    return Path(configured) if configured else None


def main(argv: list[str] | None = None) -> int:
    terminal = _terminal_language()
    set_language(terminal)
    words = sys.argv[1:] if argv is None else argv
    named = {word for word in words if word in SUBCOMMANDS}
    command = next(iter(named)) if len(named) == 1 else None  # ambiguous: build them all
    args = build_parser(full=command is not None, command=command).parse_args(argv)
    args.terminal_language = terminal
    if getattr(args, "handler", None) is not None:
        return int(args.handler(args))
    server = args.server or os.environ.get("INTAKE_SERVER") or None
    if server is not None and args.store is not None:
        # Never both: the line's records would split in two without anyone noticing.
        print(_("intake: use --store or --server, not both."), file=sys.stderr)
        return 2
    if server is not None:
        from intake.services.shared import address_problem  # noqa: PLC0415

        if (wrong := address_problem(server)) is not None:
            print(f"intake: {wrong[0]}. {wrong[1]}", file=sys.stderr)
            return 2
    from intake.display import display_problem  # noqa: PLC0415 - the window's path only

    if (problem := display_problem()) is not None:
        # Qt would abort (exit 134) with a line of its own; say what is wrong, in both
        # languages (the person's first): whoever reads it may not have chosen this terminal.
        other: Language = "fr" if terminal == "en" else "en"
        print(explain_display(problem, terminal), file=sys.stderr)
        print(file=sys.stderr)
        print(explain_display(problem, other), file=sys.stderr)
        return 1
    from intake.ui.app import run  # noqa: PLC0415 - only the GUI pays for importing Qt

    return run(store_from(args), kiosk=args.kiosk, server=server)
