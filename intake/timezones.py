"""Time zones from the `tzdata` package, not the operating system.

Several Canadian zones changed in 2026 (BC to UTC-7 all year, Alberta to UTC-6 all year); an
older OS database silently gives wrong opening hours. The pinned `tzdata` package carries the
current rules, so every zone the routing uses is read from it explicitly (no global change to
`zoneinfo`'s search path).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


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
