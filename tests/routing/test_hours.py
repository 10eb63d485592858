"""Open or closed at chosen moments, in the program's own IANA zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

from intake.directory.load import read_file
from intake.directory.model import Hours, Provenance, Session, WeeklySlot
from intake.timezones import tzdata_version, zone
from tests.routing.helpers import entry, write

PROV = Provenance("verified", "test", date(2026, 11, 1))
WEEKDAYS = frozenset(range(5))


def hours(tz: str, weekly=(), sessions=(), always: bool = False) -> Hours:
    return Hours(tz, always, tuple(weekly), tuple(sessions), None, None, PROV)


def at(tz: str, text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone(tz))


def test_newfoundland_half_hour() -> None:
    office = hours("America/St_Johns", [WeeklySlot(WEEKDAYS, time(9), time(17))])
    # 12:00 UTC on a winter Monday is 08:30 in St. John's (UTC-3:30): closed for 30 minutes.
    monday_noon_utc = datetime(2026, 1, 12, 12, 0, tzinfo=UTC)
    assert office.open_at(monday_noon_utc) is False
    opens = office.next_open(monday_noon_utc)
    assert opens is not None
    assert opens.astimezone(UTC) == datetime(2026, 1, 12, 12, 30, tzinfo=UTC)
    assert office.open_at(datetime(2026, 1, 12, 12, 30, tzinfo=UTC)) is True
    # In summer (UTC-2:30) the same UTC instant is 09:30: open.
    assert office.open_at(datetime(2026, 7, 13, 12, 0, tzinfo=UTC)) is True


def test_saskatchewan_has_no_daylight_saving_time() -> None:
    office = hours("America/Regina", [WeeklySlot(WEEKDAYS, time(9), time(17))])
    # 15:30 UTC is 09:30 in Regina all year; Winnipeg (same zone in winter) differs in summer.
    winter, summer = (
        datetime(2026, 1, 12, 15, 30, tzinfo=UTC),
        datetime(2026, 7, 13, 15, 30, tzinfo=UTC),
    )
    assert office.open_at(winter)
    assert office.open_at(summer)
    winnipeg = hours("America/Winnipeg", [WeeklySlot(WEEKDAYS, time(9), time(17))])
    assert winnipeg.open_at(winter) is True
    assert winnipeg.open_at(datetime(2026, 7, 13, 13, 30, tzinfo=UTC)) is False  # 08:30 CDT


def test_a_shift_that_crosses_midnight() -> None:
    night = hours("America/Toronto", [WeeklySlot(frozenset({4}), time(22), time(6))])  # Fri 22-06
    assert night.open_at(at("America/Toronto", "2026-11-20T23:30")) is True  # Friday night
    assert night.open_at(at("America/Toronto", "2026-11-21T05:59")) is True  # Saturday early
    assert night.open_at(at("America/Toronto", "2026-11-21T06:00")) is False
    assert night.open_at(at("America/Toronto", "2026-11-20T21:59")) is False
    upcoming = night.next_open(at("America/Toronto", "2026-11-21T06:00"))
    assert upcoming == at("America/Toronto", "2026-11-27T22:00")


def test_every_second_and_fourth_wednesday() -> None:
    group = hours(
        "America/St_Johns", sessions=[Session(2, frozenset({2, 4}), time(19), time(20, 30))]
    )
    # November 2026: Wednesdays are the 4th, 11th, 18th and 25th.
    assert group.open_at(at("America/St_Johns", "2026-11-11T19:15")) is True  # 2nd
    assert group.open_at(at("America/St_Johns", "2026-11-18T19:15")) is False  # 3rd
    assert group.open_at(at("America/St_Johns", "2026-11-25T19:15")) is True  # 4th
    assert group.next_open(at("America/St_Johns", "2026-11-12T10:00")) == at(
        "America/St_Johns", "2026-11-25T19:00"
    )
    # After the 4th Wednesday of November, the next is the 2nd Wednesday of December (the 9th).
    assert group.next_open(at("America/St_Johns", "2026-11-25T21:00")) == at(
        "America/St_Johns", "2026-12-09T19:00"
    )


def test_unknown_hours_are_neither_open_nor_closed() -> None:
    unknown = hours("America/Halifax")
    assert unknown.open_at(datetime(2026, 11, 22, tzinfo=UTC)) is None
    assert unknown.next_open(datetime(2026, 11, 22, tzinfo=UTC)) is None


def test_the_2026_zone_changes_come_from_the_packaged_tzdata() -> None:
    november = datetime(2026, 11, 22, 12, tzinfo=UTC)
    assert tzdata_version() >= "2026f"
    assert november.astimezone(zone("America/Vancouver")).utcoffset().total_seconds() == -7 * 3600
    assert november.astimezone(zone("America/Edmonton")).utcoffset().total_seconds() == -6 * 3600


def test_weekly_hours_and_sessions_load_from_a_file(tmp_path: Path) -> None:
    schedule = (
        '{ tz = "America/St_Johns", weekly = [ { days = ["fri"], open = "22:00", close = "06:00" } ], '
        'sessions = [ { weekday = "wed", nth = [2, 4], start = "19:00", end = "20:30" } ], '
        'after_hours = { en = "Leave a message.", fr = "Laissez un message.", callback_within_hours = 24 }, '
        'status = "verified" }'
    )
    [program], _ = read_file(
        write(tmp_path, entry(id="nl-night", provinces='["NL"]', hours=schedule))
    )
    assert program.hours.weekly[0].crosses_midnight
    assert program.hours.sessions[0].nth == {2, 4}
    assert program.hours.callback_within_hours == 24
    assert program.hours.open_at(at("America/St_Johns", "2026-11-25T19:30")) is True
