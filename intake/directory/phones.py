"""Phone numbers in the directory, parsed and validated with phonenumbers.

Short codes (988, 911, 811, 211) are validated as Canadian short numbers; a text short code such
as 686868 (not in phonenumbers' short-number data) is accepted for text contacts only. A number
tagged toll-free must really be toll-free, and one tagged local must not be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType, shortnumberinfo

REGION = "CA"
_SMS_SHORT_CODE = re.compile(r"^\d{5,6}$")


class PhoneProblem(ValueError):
    pass


@dataclass(frozen=True)
class Phone:
    dial: str
    display_en: str
    display_fr: str


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def parse_phone(value: str, contact_type: str, tags: frozenset[str]) -> Phone:
    digits = _digits(value)
    if len(digits) <= 6 and not re.search(r"[A-Za-z]", value):
        return _short(value, digits, contact_type)
    try:
        number = phonenumbers.parse(value, REGION)
    except phonenumbers.NumberParseException as exc:
        raise PhoneProblem(f"not a phone number ({exc})") from exc
    if not phonenumbers.is_valid_number(number):
        raise PhoneProblem("not a valid North American number")
    kind = phonenumbers.number_type(number)
    if "toll-free" in tags and kind != PhoneNumberType.TOLL_FREE:
        raise PhoneProblem("tagged toll-free, but the number is not toll-free")
    if "local" in tags and kind == PhoneNumberType.TOLL_FREE:
        raise PhoneProblem("tagged local, but the number is toll-free")
    national = phonenumbers.national_significant_number(number)
    area, exchange, line = national[:3], national[3:6], national[6:]
    dial = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if "international" in tags:
        return Phone(dial, f"+1 {area}-{exchange}-{line}", f"+1 {area} {exchange}-{line}")
    if kind == PhoneNumberType.TOLL_FREE:
        return Phone(dial, f"1-{area}-{exchange}-{line}", f"1 {area} {exchange}-{line}")
    return Phone(dial, f"{area}-{exchange}-{line}", f"{area} {exchange}-{line}")


def _short(value: str, digits: str, contact_type: str) -> Phone:
    number = phonenumbers.parse(digits, REGION)
    if shortnumberinfo.is_valid_short_number_for_region(number, REGION):
        return Phone(digits, digits, digits)
    if contact_type == "text" and _SMS_SHORT_CODE.match(digits):
        return Phone(digits, digits, digits)
    raise PhoneProblem(f"{value!r} is not a valid short number in Canada")
