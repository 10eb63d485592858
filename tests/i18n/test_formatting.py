from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from intake.i18n import set_language
from intake.i18n.formatting import format_date, format_datetime, format_number, format_time

# 14:30 UTC on a winter day.
MOMENT = datetime(2026, 1, 15, 14, 30, tzinfo=UTC)


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2026, 1, 15, 14, 30)
    for formatter in (format_datetime, format_date, format_time):
        with pytest.raises(ValueError, match="naive"):
            formatter(naive)


def test_time_is_shown_in_the_requested_zone_and_language() -> None:
    st_johns = ZoneInfo("America/St_Johns")  # UTC-3:30 in winter
    assert format_time(MOMENT, tz=st_johns, language="en") == "11:00\u202fa.m."
    assert format_time(MOMENT, tz=st_johns, language="fr") == "11\u00a0h\u00a000"
    regina = ZoneInfo("America/Regina")  # no daylight saving time
    summer = datetime(2026, 7, 15, 14, 30, tzinfo=UTC)
    assert format_time(summer, tz=regina, language="en") == "8:30\u202fa.m."


def test_dates_follow_the_current_language() -> None:
    set_language("fr")
    assert format_date(MOMENT) == "15 janvier 2026"
    assert format_number(1234.5) == "1\u00a0234,5"
    set_language("en")
    assert format_date(MOMENT) == "January 15, 2026"
    assert format_number(1234.5) == "1,234.5"


def test_the_first_of_the_month_is_premier_in_french() -> None:
    """« le 1er décembre », never « le 1 décembre » (the first day only; other days plain)."""
    from intake.i18n.formatting import format_moment

    first = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    toronto = ZoneInfo("America/Toronto")
    assert format_date(first, language="fr") == "1er décembre 2026"
    assert format_date(first, fmt="full", language="fr") == "mardi 1er décembre 2026"
    assert format_moment(first, tz=toronto, language="fr").startswith("mardi 1er décembre à 10")
    assert format_date(first, language="en") == "December 1, 2026"
    assert format_date(MOMENT, language="fr") == "15 janvier 2026"
    # The day in the zone shown: 1 December 03:00 UTC is still 30 November in Toronto.
    late = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    assert format_moment(late, tz=toronto, language="fr").startswith("lundi 30 novembre")
