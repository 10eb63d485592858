"""Holidays close business-hours programs and the next opening skips them; zone names are true
for places on one offset all year, in both languages."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from intake.directory.load import load_directory
from intake.routing.engine import Request, Router
from intake.routing.holiday_dates import LAST_YEAR, compute, is_holiday
from intake.timezones import zone, zone_label

ROUTER = Router(load_directory())


def php(at: datetime) -> tuple[bool | None, datetime | None]:
    rec = next(
        r for r in ROUTER.route(Request("ON", at)).recommendations if r.program.id == "on-oma-php"
    )
    return rec.open_now, rec.next_open


def test_christmas_closes_a_business_hours_program_and_the_next_opening_skips_boxing_day() -> None:
    open_now, next_open = php(datetime(2026, 12, 25, 11, tzinfo=zone("America/Toronto")))
    assert open_now is False
    # Saturday 26, Sunday 27, Monday 28 (Boxing Day observed): Tuesday the 29th at 8:45.
    assert next_open == datetime(2026, 12, 29, 8, 45, tzinfo=zone("America/Toronto"))


def test_a_working_day_is_open() -> None:
    assert php(datetime(2026, 12, 30, 11, tzinfo=zone("America/Toronto")))[0] is True


@pytest.mark.parametrize(
    ("region", "day", "holiday"),
    [
        ("ON", date(2027, 8, 2), True),  # Civic Holiday
        ("ON", date(2027, 11, 11), False),  # Remembrance Day is not a holiday in Ontario
        ("QC", date(2027, 6, 24), True),  # Fête nationale
        ("ON", date(2027, 6, 24), False),
        ("NU", date(2027, 7, 9), True),  # Nunavut Day
        ("CA", date(2027, 7, 1), True),
    ],
)
def test_holidays_by_province(region: str, day: date, holiday: bool) -> None:
    assert is_holiday(region, day) is holiday


def test_the_precomputed_table_matches_the_package() -> None:
    for region in ("ON", "QC", "NT", "CA"):
        for day in compute(region, 2027):
            assert is_holiday(region, day)
    # Beyond the table, the package answers (imported then).
    assert is_holiday("ON", date(LAST_YEAR + 1, 12, 25))


@pytest.mark.parametrize(
    ("tz", "en", "fr"),
    [
        (
            "America/Edmonton",
            "Alberta time (UTC−6, all year)",
            "heure de l’Alberta (UTC−6, toute l’année)",
        ),
        (
            "America/Yellowknife",
            "Northwest Territories time (UTC−6, all year)",
            "heure des Territoires du Nord-Ouest (UTC−6, toute l’année)",
        ),
        (
            "America/Vancouver",
            "British Columbia time (UTC−7, all year)",
            "heure de la Colombie-Britannique (UTC−7, toute l’année)",
        ),
        ("America/Toronto", "Eastern Standard Time", "heure normale de l’Est"),
        ("America/Regina", "Central Standard Time", "heure normale du Centre"),
    ],
)
def test_zone_names_are_true(tz: str, en: str, fr: str) -> None:
    moment = datetime(2027, 1, 15, 9, tzinfo=zone(tz))
    assert zone_label(moment, "en") == en
    assert zone_label(moment, "fr") == fr
    assert "Mountain Standard" not in zone_label(moment, "en")
