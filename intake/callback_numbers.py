"""A caller's callback number: validated and formatted with phonenumbers, with a helpful message
when it is mistyped, and the provinces or territories its area code suggests.

The suggestion is only a suggestion: area codes follow people who move, and several are shared
(902 covers Nova Scotia and Prince Edward Island; 867 the three territories). The volunteer
always confirms.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

from intake.i18n import N_, _

DEFAULT_REGION = "CA"

# Canadian area codes (NPAs) by province or territory.
_AREA_CODES: dict[str, tuple[str, ...]] = {
    "AB": ("368", "403", "587", "780", "825"),
    "BC": ("236", "250", "257", "604", "672", "778"),
    "MB": ("204", "431", "584"),
    "NB": ("428", "506"),
    "NL": ("709", "879"),
    "NS": ("782", "902"),
    "PE": ("782", "902"),
    "ON": (
        "226",
        "249",
        "289",
        "343",
        "365",
        "382",
        "416",
        "437",
        "519",
        "548",
        "613",
        "647",
        "683",
        "705",
        "742",
        "753",
        "807",
        "905",
        "942",
    ),
    "QC": ("263", "354", "367", "418", "438", "450", "468", "514", "579", "581", "819", "873"),
    "SK": ("306", "474", "639"),
    "NT": ("867",),
    "NU": ("867",),
    "YT": ("867",),
}
PROVINCES_BY_AREA_CODE: dict[str, tuple[str, ...]] = {}
for _province, _codes in _AREA_CODES.items():
    for _code in _codes:
        PROVINCES_BY_AREA_CODE[_code] = (*PROVINCES_BY_AREA_CODE.get(_code, ()), _province)


class NumberProblem(Enum):
    EMPTY = "empty"
    NOT_A_NUMBER = "not_a_number"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    UNKNOWN_COUNTRY = "unknown_country"
    INVALID = "invalid"


_EXPLANATIONS = {
    NumberProblem.EMPTY: N_("Enter a phone number."),
    NumberProblem.NOT_A_NUMBER: N_(
        "That does not look like a phone number. Use digits, for example 514 555 0199."
    ),
    NumberProblem.TOO_SHORT: N_(
        "That number is too short: a Canadian number has 10 digits, area code first (for example 514 555 0199)."
    ),
    NumberProblem.TOO_LONG: N_(
        "That number has too many digits. Check it, or start with + and the country code for a number outside North America."
    ),
    NumberProblem.UNKNOWN_COUNTRY: N_(
        "That country code does not exist. A number outside North America starts with + and the country code."
    ),
    NumberProblem.INVALID: N_(
        "That number does not exist as written. Check the area code and the digits."
    ),
}


def explain(problem: NumberProblem) -> str:
    return _(_EXPLANATIONS[problem])


@dataclass(frozen=True)
class CallbackNumber:
    e164: str
    display_en: str
    display_fr: str
    provinces: tuple[str, ...]  # suggested by the area code; empty outside Canada

    def display(self, language: str) -> str:
        return self.display_fr if language == "fr" else self.display_en


_PARSE_ERRORS = {
    NumberParseException.INVALID_COUNTRY_CODE: NumberProblem.UNKNOWN_COUNTRY,
    NumberParseException.TOO_SHORT_NSN: NumberProblem.TOO_SHORT,
    NumberParseException.TOO_SHORT_AFTER_IDD: NumberProblem.TOO_SHORT,
    NumberParseException.TOO_LONG: NumberProblem.TOO_LONG,
}
_REASONS = {
    ValidationResult.TOO_SHORT: NumberProblem.TOO_SHORT,
    ValidationResult.TOO_LONG: NumberProblem.TOO_LONG,
    ValidationResult.INVALID_COUNTRY_CODE: NumberProblem.UNKNOWN_COUNTRY,
    ValidationResult.INVALID_LENGTH: NumberProblem.INVALID,
}


def parse_callback(text: str) -> CallbackNumber | NumberProblem:
    """The number, or the problem with it (never an exception)."""
    if not text.strip():
        return NumberProblem.EMPTY
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except NumberParseException as exc:
        return _PARSE_ERRORS.get(exc.error_type, NumberProblem.NOT_A_NUMBER)
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason in _REASONS:
        return _REASONS[reason]
    if not phonenumbers.is_valid_number(number):
        return NumberProblem.INVALID
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if number.country_code != 1:
        international = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
        return CallbackNumber(e164, international, international, ())
    national = phonenumbers.national_significant_number(number)
    area, exchange, line = national[:3], national[3:6], national[6:]
    return CallbackNumber(
        e164,
        f"{area}-{exchange}-{line}",
        f"{area} {exchange}-{line}",  # Canadian French usage: spaces, one hyphen
        PROVINCES_BY_AREA_CODE.get(area, ()),
    )
