"""Locale-aware formatting with Babel for the current (or a given) language.

Babel formats a naive datetime as if it were UTC, which silently shifts every time shown to a
caller. Every function here refuses naive values instead.
"""

from __future__ import annotations

import functools
from datetime import datetime, tzinfo

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.dates import format_time as _babel_time
from babel.numbers import format_decimal

from intake.i18n.catalog import Language, current_language

BABEL_LOCALES: dict[Language, str] = {"en": "en_CA", "fr": "fr_CA"}

# French Canadian times are written « 8 h 30 » (OQLF). CLDR's fr_CA pattern pads the hour
# (« 08 h 30 ») and its medium time adds « min » and « s »: every French time uses this one.
# Non-breaking spaces inside, so that « 8 h 30 » never breaks across two lines.
FRENCH_TIME = "H\u00a0'h'\u00a0mm"
# A moment a person reads in a sentence: "Monday, December 7, 8:30 a.m. (Eastern Time)",
# « lundi 7 décembre à 8 h 30 (heure de l’Est) ».
MOMENT_PATTERNS: dict[Language, str] = {
    "en": "EEEE, MMMM d, h:mm a (vvvv)",
    "fr": f"EEEE d MMMM 'à' {FRENCH_TIME} (vvvv)",
}
# A compact date and time for tables (sortable by eye): 2026-12-07 14:30, « 2026-12-07 14 h 30 ».
STAMP_PATTERNS: dict[Language, str] = {
    "en": "yyyy-MM-dd HH:mm",
    "fr": f"yyyy-MM-dd {FRENCH_TIME}",
}
# The same rules for Qt's date-time fields (QDateTimeEdit.setDisplayFormat), kept here so the
# two stay together; plain strings, no Qt import.
QT_DATETIME_FORMATS: dict[Language, str] = {
    "en": "MMMM d, yyyy h:mm AP",
    "fr": "d MMMM yyyy, H\u00a0'h'\u00a0mm",
}


def preload() -> None:
    """Read Babel's data for every interface language now (meant for a worker thread).

    The first date shown in a language reads that language's data (a pickle merged with its
    parents): 30-50 ms, which otherwise fell in the middle of the first language switch.
    Babel caches it behind a lock, so the UI thread later finds it loaded."""
    from babel import localedata  # noqa: PLC0415

    for name in BABEL_LOCALES.values():
        localedata.load(name)


def babel_locale(language: Language | None = None) -> Locale:
    return _locale(BABEL_LOCALES[language or current_language()])


@functools.cache
def _locale(name: str) -> Locale:
    """Parsed once: Locale.parse checks the name and builds a new object every time (3 ms of
    each History page's 300 dates), and a Locale is never changed after it is built."""
    return Locale.parse(name)


def _premier(pattern: str, value: datetime, tz: tzinfo | None, language: Language) -> str:
    """French writes the first of the month « 1er » (« le 1er décembre »), which CLDR does not;
    every other day is plain. The day is the one in the zone shown."""
    if language != "fr" or "d MMMM" not in pattern:
        return pattern
    if value.astimezone(tz or value.tzinfo).day != 1:
        return pattern
    return pattern.replace("d MMMM", "d'er' MMMM")


def _date_pattern(fmt: str, language: Language) -> str:
    """A named CLDR date format (short, medium, long, full) as its pattern; any other is one."""
    if fmt not in ("short", "medium", "long", "full"):
        return fmt
    return str(babel_locale(language).date_formats[fmt].pattern)


def _require_aware(value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("refusing to format a naive datetime: attach a time zone first")


def format_datetime(
    value: datetime,
    *,
    tz: tzinfo | None = None,
    fmt: str = "medium",
    language: Language | None = None,
) -> str:
    """Format an aware datetime, shown in `tz` (default: the value's own zone)."""
    _require_aware(value)
    language = language or current_language()
    fmt = _premier(fmt, value, tz, language)
    return _babel_datetime(value, fmt, tzinfo=tz or value.tzinfo, locale=babel_locale(language))


def format_date(value: datetime, *, fmt: str = "long", language: Language | None = None) -> str:
    _require_aware(value)
    language = language or current_language()
    pattern = _premier(_date_pattern(fmt, language), value, None, language)
    return _babel_date(value, pattern, locale=babel_locale(language))


def format_time(
    value: datetime,
    *,
    tz: tzinfo | None = None,
    fmt: str = "short",
    language: Language | None = None,
) -> str:
    _require_aware(value)
    language = language or current_language()
    if language == "fr" and fmt in ("short", "medium"):
        fmt = FRENCH_TIME
    return _babel_time(value, fmt, tzinfo=tz or value.tzinfo, locale=babel_locale(language))


def format_moment(
    value: datetime,
    *,
    tz: tzinfo | None = None,
    language: Language | None = None,
    zone: str | None = None,
) -> str:
    """A weekday, date, time and zone for a sentence, wholly in one language.

    `zone` replaces CLDR's zone name where that name is wrong (places on one offset all year)."""
    language = language or current_language()
    if zone is None:
        return format_datetime(value, tz=tz, fmt=MOMENT_PATTERNS[language], language=language)
    fmt = MOMENT_PATTERNS[language].removesuffix(" (vvvv)")
    return f"{format_datetime(value, tz=tz, fmt=fmt, language=language)} {zone}"


def format_stamp(value: datetime, *, language: Language | None = None) -> str:
    """A compact date and time for a table column."""
    language = language or current_language()
    return format_datetime(value, fmt=STAMP_PATTERNS[language], language=language)


def format_number(value: float, *, language: Language | None = None) -> str:
    return format_decimal(value, locale=babel_locale(language))
