import pytest

from intake.callback_numbers import (
    PROVINCES_BY_AREA_CODE,
    CallbackNumber,
    NumberProblem,
    explain,
    parse_callback,
)
from intake.i18n import set_language


@pytest.mark.parametrize(
    ("typed", "e164", "english", "french", "provinces"),
    [
        ("514 555 0199", "+15145550199", "514-555-0199", "514 555-0199", ("QC",)),
        ("(902) 555-0100", "+19025550100", "902-555-0100", "902 555-0100", ("NS", "PE")),
        ("1-867-979-5000", "+18679795000", "867-979-5000", "867 979-5000", ("NT", "NU", "YT")),
        ("+1 709 555 0100", "+17095550100", "709-555-0100", "709 555-0100", ("NL",)),
        ("306.555.0100", "+13065550100", "306-555-0100", "306 555-0100", ("SK",)),
        ("1-800-663-6729", "+18006636729", "800-663-6729", "800 663-6729", ()),
        ("+33 1 23 45 67 89", "+33123456789", "+33 1 23 45 67 89", "+33 1 23 45 67 89", ()),
    ],
)
def test_valid_numbers_are_formatted_and_suggest_a_province(
    typed: str, e164: str, english: str, french: str, provinces: tuple[str, ...]
) -> None:
    number = parse_callback(typed)
    assert number == CallbackNumber(e164, english, french, provinces)
    assert number.display("fr") == french


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", NumberProblem.EMPTY),
        ("   ", NumberProblem.EMPTY),
        ("call me", NumberProblem.NOT_A_NUMBER),
        ("514 555 019", NumberProblem.TOO_SHORT),
        ("5", NumberProblem.NOT_A_NUMBER),
        ("514 555 01999 9", NumberProblem.TOO_LONG),
        ("+999 123 456 789", NumberProblem.UNKNOWN_COUNTRY),
        ("555 555 0199", NumberProblem.INVALID),
    ],
)
def test_mistakes_get_a_helpful_message_in_both_languages(
    typed: str, problem: NumberProblem
) -> None:
    assert parse_callback(typed) is problem
    english = explain(problem)
    set_language("fr")
    french = explain(problem)
    set_language("en")
    assert english
    assert french
    assert english != french


def test_every_province_and_territory_has_area_codes() -> None:
    provinces = {p for codes in PROVINCES_BY_AREA_CODE.values() for p in codes}
    assert provinces == {
        "AB",
        "BC",
        "MB",
        "NB",
        "NL",
        "NS",
        "NT",
        "NU",
        "ON",
        "PE",
        "QC",
        "SK",
        "YT",
    }
