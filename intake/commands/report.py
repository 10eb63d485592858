"""`intake report --from DATE --to DATE (--csv FILE | --pdf FILE) [--language fr]`: the
sponsors' de-identified report, for scheduled exports, from the store file (`--store`) or the
line's shared store (`--server URL` or INTAKE_SERVER, as the `intake db` commands). The
passphrase is read like theirs: at a prompt on a terminal, otherwise one line on standard input.

Periods are whole months (see docs/reports.md: overlapping periods can reveal a suppressed
count by difference, so a period cannot start or end inside a month), and every export is
recorded in the audit log with its period and format.
"""

from __future__ import annotations

import argparse
import calendar
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from intake.commands.db import (
    InputProblem,
    _check_path,
    _guarded,
    _server,
    _store,
    read_secret,
)
from intake.i18n import _, set_language

if TYPE_CHECKING:
    from intake.services.reports import AnyStore


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputProblem(
            _("{value} is not a date: write it as YYYY-MM-DD.").format(value=text)
        ) from None


def period_of(start_text: str, end_text: str) -> tuple[date, date]:
    start, end = _day(start_text), _day(end_text)
    if start.day != 1:
        raise InputProblem(_("A report starts on the first day of a month."))
    if end.day != calendar.monthrange(end.year, end.month)[1]:
        raise InputProblem(_("A report ends on the last day of a month."))
    if end < start:
        raise InputProblem(_("The end of the period is before its start."))
    if (end.year - start.year) * 12 + end.month - start.month >= 36:
        raise InputProblem(_("A report covers at most 36 months."))
    return start, end


def run_report(args: argparse.Namespace) -> int:
    from intake.services.reports import audit_export, make_report, write_csv  # noqa: PLC0415
    from intake.storage.db import open_store  # noqa: PLC0415
    from intake.storage.report_data import Period  # noqa: PLC0415

    if args.language:
        set_language(args.language)
    start, end = period_of(args.start, args.end)
    target = _check_path(Path(args.csv or args.pdf), must_exist=False)
    store: AnyStore
    if (server := _server(args)) is not None:
        from intake.storage.pg.store import open_shared_store  # noqa: PLC0415

        store = open_shared_store(server, read_secret(_("Line passphrase (shared store): ")))
    else:
        store = open_store(_store(args), read_secret(_("Store passphrase: ")))
    try:
        now = datetime.now(UTC)
        report = make_report(store, Period(start, end), now)
        if args.csv:
            write_csv(report, target)
            what = "csv"
        else:
            from intake.services.report_pdf import write_pdf  # noqa: PLC0415

            write_pdf(report, target, now)
            what = "pdf"
        audit_export(store, report, None, what)
    finally:
        store.close()
    print(_("Report written to {path}").format(path=target), file=sys.stderr)
    return 0


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "report", help=_("write the de-identified program report as CSV or PDF")
    )
    parser.add_argument(
        "--store",
        dest="db_store",
        type=Path,
        metavar=_("PATH"),
        help=_("the store file (default: $INTAKE_STORE, else the per-user data folder)"),
    )
    parser.add_argument(
        "--server",
        dest="db_server",
        metavar="URL",
        help=_(
            "the shared store's PostgreSQL address, in place of --store (default: $INTAKE_SERVER)"
        ),
    )
    parser.add_argument(
        "--from",
        dest="start",
        required=True,
        metavar=_("DATE"),
        help=_("first day of the period, the first of a month (YYYY-MM-DD)"),
    )
    parser.add_argument(
        "--to",
        dest="end",
        required=True,
        metavar=_("DATE"),
        help=_("last day of the period, the last of a month (YYYY-MM-DD)"),
    )
    out = parser.add_mutually_exclusive_group(required=True)
    out.add_argument("--csv", metavar=_("FILE"), help=_("write the tables as CSV"))
    out.add_argument("--pdf", metavar=_("FILE"), help=_("write the report as PDF"))
    parser.add_argument(
        "--language",
        choices=("en", "fr"),
        help=_("the report's language (default: the terminal's)"),
    )
    parser.set_defaults(handler=_guarded(run_report))
