"""The store passphrase rule and PIN rule, as plain checks the UI explains in either language."""

from __future__ import annotations

import unicodedata
from enum import Enum

from intake.i18n import N_, _

MIN_PASSPHRASE_LENGTH = 12
PIN_LENGTHS = range(4, 13)

# Passphrases that meet the length rule but are guessed first by any attacker.
_COMMON = frozenset(
    {
        "123456789012",
        "1234567890123",
        "qwertyuiopas",
        "passwordpassword",
        "password1234",
        "motdepasse123",
        "motdepassemotdepasse",
        "azertyuiopqs",
        "iloveyou1234",
        "administrator",
        "peersupport1",
        "soutienpairs",
    }
)


class PassphraseProblem(Enum):
    TOO_SHORT = "too_short"
    ONE_CHARACTER = "one_character"
    TOO_COMMON = "too_common"
    CONTROL_CHARACTER = "control_character"
    MISMATCH = "mismatch"


class PinProblem(Enum):
    NOT_DIGITS = "not_digits"
    WRONG_LENGTH = "wrong_length"
    MISMATCH = "mismatch"


def normalize(passphrase: str) -> str:
    """NFC, so an accented letter typed composed or decomposed opens the same store."""
    return unicodedata.normalize("NFC", passphrase)


def passphrase_problem(
    passphrase: str, confirmation: str | None = None
) -> PassphraseProblem | None:
    text = normalize(passphrase)
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        return PassphraseProblem.CONTROL_CHARACTER
    if len(text) < MIN_PASSPHRASE_LENGTH:
        return PassphraseProblem.TOO_SHORT
    if len(set(text)) == 1:
        return PassphraseProblem.ONE_CHARACTER
    if text.casefold() in _COMMON:
        return PassphraseProblem.TOO_COMMON
    if confirmation is not None and normalize(confirmation) != text:
        return PassphraseProblem.MISMATCH
    return None


def pin_problem(pin: str, confirmation: str | None = None) -> PinProblem | None:
    if not pin.isascii() or not pin.isdigit():
        return PinProblem.NOT_DIGITS
    if len(pin) not in PIN_LENGTHS:
        return PinProblem.WRONG_LENGTH
    if confirmation is not None and confirmation != pin:
        return PinProblem.MISMATCH
    return None


PASSPHRASE_PROBLEMS = {
    PassphraseProblem.TOO_SHORT: N_("The passphrase needs at least {minimum} characters."),
    PassphraseProblem.ONE_CHARACTER: N_("The passphrase cannot be one character repeated."),
    PassphraseProblem.TOO_COMMON: N_("That passphrase is too common. Choose another."),
    PassphraseProblem.CONTROL_CHARACTER: N_(
        "The passphrase contains a character that cannot be typed."
    ),
    PassphraseProblem.MISMATCH: N_("The two passphrases are not the same."),
}
PIN_PROBLEMS = {
    PinProblem.NOT_DIGITS: N_("The PIN can contain digits only."),
    PinProblem.WRONG_LENGTH: N_("The PIN needs {low} to {high} digits."),
    PinProblem.MISMATCH: N_("The two PINs are not the same."),
}


def explain_passphrase(problem: PassphraseProblem) -> str:
    return _(PASSPHRASE_PROBLEMS[problem]).format(minimum=MIN_PASSPHRASE_LENGTH)


def explain_pin(problem: PinProblem) -> str:
    return _(PIN_PROBLEMS[problem]).format(low=PIN_LENGTHS.start, high=PIN_LENGTHS.stop - 1)
