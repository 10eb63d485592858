"""Time zones from the `tzdata` package, not the operating system.

Several Canadian zones changed in 2026 (BC to UTC-7 all year, Alberta to UTC-6 all year); an
older OS database silently gives wrong opening hours. The pinned `tzdata` package carries the
current rules, so every zone the routing uses is read from it explicitly (no global change to
`zoneinfo`'s search path).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from intake.i18n import N_


@cache
def zone(name: str) -> ZoneInfo:
    """The IANA zone `name` from the packaged tzdata; raises ZoneInfoNotFoundError if unknown."""
    if not name or name.startswith(("/", ".")) or ".." in name:
        raise ZoneInfoNotFoundError(name)
    try:
        with resources.files("tzdata.zoneinfo").joinpath(name).open("rb") as fp:
            return ZoneInfo.from_file(fp, key=name)
    except (OSError, ValueError) as exc:  # not found, a folder, a name too long
        raise ZoneInfoNotFoundError(name) from exc


def tzdata_version() -> str:
    import tzdata  # noqa: PLC0415

    return str(tzdata.IANA_VERSION)


# Places on one offset all year whose usual names would be wrong: Babel (CLDR) still calls
# Alberta and the NWT "Mountain Standard Time" (UTC-7) and BC "Pacific Standard Time" (UTC-8),
# while tzdata (see pyproject.toml) has them on UTC-6 and UTC-7 all year since 2026.
_ALL_YEAR = N_("{place} ({offset}, all year)")
_ALL_YEAR_PLACES = {
    "America/Edmonton": N_("Alberta time"),
    "America/Yellowknife": N_("Northwest Territories time"),
    "America/Inuvik": N_("Northwest Territories time"),
    "America/Vancouver": N_("British Columbia time"),
}


def _utc_offset(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "\u2212" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def all_year_zone(moment: datetime, language: str) -> str | None:
    """The true name of `moment`'s zone where it is on one offset all year; None elsewhere."""
    from intake.i18n import Language, gettext_in  # noqa: PLC0415

    key = getattr(moment.tzinfo, "key", None)
    place = _ALL_YEAR_PLACES.get(key or "")
    if place is None or moment.tzinfo is None:
        return None
    # One offset for the coming year (Alberta changed in 2026: judge from the moment on).
    offsets = {(moment + timedelta(days=61 * k)).utcoffset() for k in range(7)}
    if len(offsets) != 1:
        return None
    lang: Language = "fr" if language == "fr" else "en"
    return gettext_in(lang, _ALL_YEAR).format(
        place=gettext_in(lang, place), offset=_utc_offset(moment)
    )


def zone_label(moment: datetime, language: str) -> str:
    """The name of `moment`'s zone, true for places on one offset all year, in `language`."""
    from babel.dates import format_datetime  # noqa: PLC0415

    from intake.i18n.formatting import BABEL_LOCALES  # noqa: PLC0415

    special = all_year_zone(moment, language)
    if special is not None:
        return special
    locale = BABEL_LOCALES["fr" if language == "fr" else "en"]
    return str(format_datetime(moment, "zzzz", locale=locale))
