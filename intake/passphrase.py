"""The store passphrase rule and PIN rule, as plain checks the UI explains in either language."""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Callable
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


# zxcvbn's scores run 0 (guessed at once) to 4; 3 is "safely unguessable" for an offline attack
# slowed by a key derivation, which is what a stolen store file faces.
MIN_STRENGTH = 3
_ESTIMATED_LENGTH = 72  # zxcvbn refuses longer input; a longer passphrase is no weaker
# Words an attacker tries first against this application's stores.
_CONTEXT_WORDS = ("intake", "peer", "support", "soutien", "pairs", "physician", "médecin")

# PINs guessed first (beyond repeats and runs, refused by rule): years, keypad lines, pairs.
_COMMON_PINS = frozenset(
    {"1004", "2000", "2580", "0852", "1122", "1313", "6969", "1010", "7777", "147258", "159753"}
)


class PassphraseProblem(Enum):
    TOO_SHORT = "too_short"
    ONE_CHARACTER = "one_character"
    TOO_COMMON = "too_common"
    TOO_WEAK = "too_weak"
    CONTROL_CHARACTER = "control_character"
    MISMATCH = "mismatch"


class PinProblem(Enum):
    NOT_DIGITS = "not_digits"
    WRONG_LENGTH = "wrong_length"
    MISMATCH = "mismatch"
    TOO_EASY = "too_easy"


def normalize(passphrase: str) -> str:
    """NFC, so an accented letter typed composed or decomposed opens the same store."""
    return unicodedata.normalize("NFC", passphrase)


def passphrase_problem(
    passphrase: str, confirmation: str | None = None
) -> PassphraseProblem | None:
    text = normalize(passphrase)
    rules: tuple[tuple[PassphraseProblem, Callable[[], bool]], ...] = (
        (
            PassphraseProblem.CONTROL_CHARACTER,
            lambda: any(unicodedata.category(ch) == "Cc" for ch in text),
        ),
        (PassphraseProblem.TOO_SHORT, lambda: len(text) < MIN_PASSPHRASE_LENGTH),
        (PassphraseProblem.ONE_CHARACTER, lambda: len(set(text)) == 1),
        (PassphraseProblem.TOO_COMMON, lambda: text.casefold() in _COMMON),
        (PassphraseProblem.TOO_WEAK, lambda: strength(text) < MIN_STRENGTH),
    )
    for problem, applies in rules:
        if applies():
            return problem
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
    if pin_is_trivial(pin):
        return PinProblem.TOO_EASY
    return None


def strength(passphrase: str) -> int:
    """zxcvbn's estimate, 0 (guessed at once) to 4; dictionaries, keyboard walks, dates, l33t."""
    from zxcvbn import zxcvbn  # noqa: PLC0415 - its dictionaries load only when set-up asks

    return int(zxcvbn(passphrase[:_ESTIMATED_LENGTH], user_inputs=list(_CONTEXT_WORDS))["score"])


def pin_is_trivial(pin: str) -> bool:
    """A PIN guessed in the first tries: a repeated pattern (0000, 1212, 123123), a run up or
    down (1234, 98765, 8901), or a well-known one."""
    if pin in _COMMON_PINS:
        return True
    for size in range(1, len(pin) // 2 + 1):
        if len(pin) % size == 0 and pin == pin[:size] * (len(pin) // size):
            return True
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
    return steps in ({1}, {9})


PASSPHRASE_PROBLEMS = {
    PassphraseProblem.TOO_SHORT: N_("The passphrase needs at least {minimum} characters."),
    PassphraseProblem.ONE_CHARACTER: N_("The passphrase cannot be one character repeated."),
    PassphraseProblem.TOO_COMMON: N_("That passphrase is too common. Choose another."),
    PassphraseProblem.TOO_WEAK: N_(
        "That passphrase would be easy to guess. Add a few unexpected words, or make it longer."
    ),
    PassphraseProblem.CONTROL_CHARACTER: N_(
        "The passphrase contains a character that cannot be typed."
    ),
    PassphraseProblem.MISMATCH: N_("The two passphrases are not the same."),
}
PIN_PROBLEMS = {
    PinProblem.NOT_DIGITS: N_("The PIN can contain digits only."),
    PinProblem.WRONG_LENGTH: N_("The PIN needs {low} to {high} digits."),
    PinProblem.MISMATCH: N_("The two PINs are not the same."),
    PinProblem.TOO_EASY: N_(
        "That PIN would be guessed first (a repeat, a run such as 1234, or a common one). "
        "Choose another."
    ),
}


def explain_passphrase(problem: PassphraseProblem) -> str:
    return _(PASSPHRASE_PROBLEMS[problem]).format(minimum=MIN_PASSPHRASE_LENGTH)


def explain_pin(problem: PinProblem) -> str:
    return _(PIN_PROBLEMS[problem]).format(low=PIN_LENGTHS.start, high=PIN_LENGTHS.stop - 1)
