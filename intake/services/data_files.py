"""A mistake in a data file (the directory), said in the person's language.

The directory loader locates a mistake precisely (file, entry, field) and states the problem
in English, for the command line and the log. A window shows the same facts in its own
language: the location is rebuilt from the structured fields, and each problem the loader can
state is translated here (tests/unit/test_data_file_faults.py checks none is missing). A value
quoted from the file (an id, a time zone) is shown as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from intake.directory.load import DirectoryError
from intake.i18n import N_, _
from intake.safety import ScreenError

# (pattern of the loader's English problem, translatable text with the pattern's named groups)
_PROBLEMS: tuple[tuple[str, str], ...] = (
    (r"file not found", N_("the file was not found")),
    (r"is a folder, not a file", N_("is a folder, not a file")),
    (r"is not a regular file", N_("is not an ordinary file (a device or a pipe, for instance)")),
    (r"cannot be read \((?P<why>.*)\)", N_("cannot be read ({why})")),
    (r"is larger than (?P<size>[\d,]+) bytes", N_("is larger than {size} bytes")),
    (r"is not UTF-8 text", N_("is not UTF-8 text")),
    (r"is nested too deeply", N_("is nested too deeply")),
    (r"is not valid TOML \((?P<detail>.*)\)", N_("is not valid TOML ({detail})")),
    (r"must be (?P<version>\d+)", N_("must be {version}")),
    (r"is not a known top-level key", N_("is not a known top-level key")),
    (r"is not a known field", N_("is not a known field")),
    (r"must be a list of entry ids", N_("must be a list of entry ids")),
    (r"must be a list of \[\[program\]\] tables", N_("must be a list of [[program]] tables")),
    (r"appears twice in this file", N_("appears twice in this file")),
    (r"no entry has this id", N_("no entry has this id")),
    (r"is required", N_("is required")),
    (r"is required in both languages", N_("is required in both languages")),
    (r"must have en and fr", N_("must have en and fr")),
    (r"must be a table", N_("must be a table")),
    (r"must be a list of words", N_("must be a list of words")),
    (r"must be a (?P<names>[\w ,]+), not (?P<got>\w+)", N_("must be a {names}, not {got}")),
    (r"(?P<value>.+) is not one of: (?P<allowed>.+)", N_("{value} is not one of: {allowed}")),
    (r"unknown keys: (?P<keys>.+)", N_("has unknown keys: {keys}")),
    (
        r"is required unless the fact is unverified",
        N_("is required unless the fact is marked unverified"),
    ),
    (r"must be a date \(YYYY-MM-DD\)", N_("must be a date (YYYY-MM-DD)")),
    (r"must be a 24-hour time such as 08:45", N_("must be a 24-hour time such as 08:45")),
    (
        r"(?P<value>.+) is not an IANA time zone",
        N_("{value} is not a known time zone (such as America/Toronto)"),
    ),
    (
        r"must be a table with days, open and close",
        N_("must be a table with days, open and close"),
    ),
    (
        r"must list which occurrences in the month, 1 to 5",
        N_("must list which occurrences in the month, 1 to 5"),
    ),
    (r"must be after the start", N_("must be after the start")),
    (r"must be one of: (?P<allowed>.+)", N_("must be one of: {allowed}")),
    (
        r"must be an IANA zone such as America/Regina, never a fixed offset",
        N_("must be a named time zone such as America/Regina, never a fixed offset"),
    ),
    (
        r"must have en, fr and optionally callback_within_hours",
        N_("must have en, fr and, if wanted, callback_within_hours"),
    ),
    (r"must be a positive number of hours", N_("must be a positive number of hours")),
    (
        r"must look like ab-pfsp \(prefix, dash, lower-case words\)",
        N_("must look like ab-pfsp (a prefix, a dash, then lower-case words)"),
    ),
    (
        r"cannot be combined with weekly hours or sessions",
        N_("cannot be combined with weekly hours or sessions"),
    ),
    (r"must name at least one province, or \*", N_("must name at least one province, or *")),
    (r"must name at least one role", N_("must name at least one role")),
    (
        r"(?P<value>.+) is not a valid (?P<kind>\w+) address",
        N_("{value} is not a valid {kind} address"),
    ),
    (
        r"has an entry of an unexpected shape \((?P<kind>\w+)\)",
        N_("has an entry of an unexpected shape ({kind})"),
    ),
    (
        r"cannot be disabled: emergency services and 9-8-8 stay in every crisis route",
        N_("cannot be disabled: emergency services and 9-8-8 stay in every crisis route"),
    ),
    (
        r"must stay (?P<value>.+): this entry is part of the crisis route",
        N_("must stay {value}: this entry is part of the crisis route"),
    ),
    (
        r"must stay shown: this entry is part of the crisis route",
        N_("must stay shown: this entry is part of the crisis route"),
    ),
    (
        r"cannot serve fewer provinces or roles than the shipped entry",
        N_("cannot serve fewer provinces or roles than the shipped entry"),
    ),
    (
        r"must keep every number of the shipped entry",
        N_("must keep every number of the shipped entry"),
    ),
    (
        r"must stay open at all hours, like the shipped entry",
        N_("must stay open at all hours, like the shipped entry"),
    ),
)
_COMPILED = tuple((re.compile(pattern), text) for pattern, text in _PROBLEMS)


def problem_text(problem: str) -> str | None:
    """The loader's problem in the current language; None if it is not one we know."""
    for pattern, text in _COMPILED:
        if found := pattern.fullmatch(problem):
            return _(text).format(**found.groupdict())
    return None


def describe(exc: DirectoryError) -> str:
    """Where the mistake is and what it is, in the current language (call at display time)."""
    where = _("File: {file}").format(file=exc.file)
    if exc.entry is not None:
        where += " · " + _("entry “{entry}”").format(entry=exc.entry)
    if exc.field is not None:
        where += " · " + _("field “{field}”").format(field=exc.field)
    problem = problem_text(exc.problem)
    if problem is None:  # a problem added to the loader and not yet here: said as written
        problem = _("{problem} (in English: the loader's own words)").format(problem=exc.problem)
    return _("{where}: {problem}").format(where=where, problem=problem)


def describe_screen(exc: ScreenError) -> str:
    """A mistake in a safety-screen file, in the current language: the file, the question
    (by its id, or its number when it has none) or the rule (by its number), the field, and
    the problem. Ids and values quoted from the file are shown as written."""
    parts = [] if exc.file is None else [_("File: {file}").format(file=exc.file)]
    if exc.entry is not None:
        kind, name = exc.entry
        if kind == "rule":
            parts.append(_("rule {number}").format(number=name))
        elif isinstance(name, int):
            parts.append(_("question {number}").format(number=name))
        else:
            parts.append(_("question “{question}”").format(question=name))
    if exc.field is not None:
        parts.append(_("field “{field}”").format(field=exc.field))
    # The problems are marked for translation where the loader states them (intake/safety.py).
    problem = _(exc.problem).format(**exc.values)
    if not parts:
        return problem
    return _("{where}: {problem}").format(where=" · ".join(parts), problem=problem)


def describer(exc: BaseException) -> Callable[[], str] | None:
    """For a window's message: a function giving the description at display time (so a
    language switch while the message is shown changes it too)."""
    if isinstance(exc, DirectoryError):
        return lambda: describe(exc)
    if isinstance(exc, ScreenError):
        return lambda: describe_screen(exc)
    return None
