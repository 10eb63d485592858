"""Locale-aware formatting with Babel for the current (or a given) language.

Babel formats a naive datetime as if it were UTC, which silently shifts every time shown to a
caller. Every function here refuses naive values instead.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.dates import format_time as _babel_time
from babel.numbers import format_decimal

from intake.i18n.catalog import Language, current_language

BABEL_LOCALES: dict[Language, str] = {"en": "en_CA", "fr": "fr_CA"}


def babel_locale(language: Language | None = None) -> Locale:
    return Locale.parse(BABEL_LOCALES[language or current_language()])


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
    return _babel_datetime(value, fmt, tzinfo=tz or value.tzinfo, locale=babel_locale(language))


def format_date(value: datetime, *, fmt: str = "long", language: Language | None = None) -> str:
    _require_aware(value)
    return _babel_date(value, fmt, locale=babel_locale(language))


def format_time(
    value: datetime,
    *,
    tz: tzinfo | None = None,
    fmt: str = "short",
    language: Language | None = None,
) -> str:
    _require_aware(value)
    return _babel_time(value, fmt, tzinfo=tz or value.tzinfo, locale=babel_locale(language))


def format_number(value: float, *, language: Language | None = None) -> str:
    return format_decimal(value, locale=babel_locale(language))
