"""A routing request refuses a value it does not know, and says which (docs/mutation.md): the
message names the field and the value exactly as given, so whoever wrote the request (the call,
the kiosk, the command line) can find it. Through the public `Request` only: the router's
insides are being reworked for speed, its behaviour is not."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest

from intake.routing.engine import Request, RoutingInputError

AT = datetime(2026, 11, 18, 14, 30, tzinfo=ZoneInfo("America/Toronto"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"province": "XX"}, "unknown province or territory: 'XX'"),
        ({"province": "on"}, "unknown province or territory: 'on'"),
        ({"at": datetime(2026, 11, 18, 14, 30)}, "the time must carry a time zone"),
        ({"risk": "moderate"}, "unknown risk tier: 'moderate'"),
        ({"need": "therapy"}, "unknown kind of help: 'therapy'"),
        ({"language": "de"}, "unsupported language: 'de'"),
        ({"topics": frozenset({"zodiac", "astrology", "burnout"})}, "unknown topic: 'astrology'"),
    ],
    ids=["province", "province-case", "naive-time", "risk", "need", "language", "topic"],
)
def test_an_unknown_value_is_refused_with_its_exact_name(
    change: dict[str, object], message: str
) -> None:
    fields: dict[str, object] = {"province": "ON", "at": AT, **change}
    with pytest.raises(RoutingInputError) as info:
        Request(**fields)  # type: ignore[arg-type]
    assert str(info.value) == message


class _NoOffset(tzinfo):
    """A time zone that cannot say its offset: as good as none."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None


def test_a_time_zone_without_an_offset_is_refused() -> None:
    with pytest.raises(RoutingInputError) as info:
        Request("ON", datetime(2026, 11, 18, 14, 30, tzinfo=_NoOffset()))
    assert str(info.value) == "the time must carry a time zone"


def test_every_known_value_is_accepted() -> None:
    for risk in ("none", "concern", "high", "imminent"):
        assert Request("ON", AT, risk=risk).risk == risk
    for language in ("en", "fr"):
        assert Request("QC", AT, language=language).language == language
    fixed = datetime(2026, 11, 18, 14, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert Request("NU", fixed, topics=frozenset({"burnout"})).at == fixed


def test_a_call_is_about_someone_when_it_is_about_a_colleague_or_family() -> None:
    assert not Request("ON", AT).about_someone
    assert Request("ON", AT, about_colleague=True).about_someone
    assert Request("ON", AT, about_family=True).about_someone
    assert Request("ON", AT, about_colleague=True, about_family=True).about_someone
