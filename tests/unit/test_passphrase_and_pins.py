import pytest

from intake.passphrase import (
    PassphraseProblem,
    PinProblem,
    passphrase_problem,
    pin_problem,
)
from intake.pins import hash_pin, verify_pin


@pytest.mark.parametrize(
    ("passphrase", "confirmation", "expected"),
    [
        ("short", None, PassphraseProblem.TOO_SHORT),
        ("aaaaaaaaaaaaaaa", None, PassphraseProblem.ONE_CHARACTER),
        ("Password1234", None, PassphraseProblem.TOO_COMMON),
        ("qwertyqwerty", None, PassphraseProblem.TOO_WEAK),
        ("Password12345", None, PassphraseProblem.TOO_WEAK),
        ("motdepasse123456", None, PassphraseProblem.TOO_WEAK),
        ("twelve chars\x00", None, PassphraseProblem.CONTROL_CHARACTER),
        ("a good long phrase", "a good long phrasE", PassphraseProblem.MISMATCH),
        ("a good long phrase", "a good long phrase", None),
        ("l'été à Montréal", None, None),
    ],
)
def test_passphrase_rule(
    passphrase: str, confirmation: str | None, expected: PassphraseProblem | None
) -> None:
    assert passphrase_problem(passphrase, confirmation) is expected


def test_a_very_long_passphrase_is_estimated_not_refused() -> None:
    long_one = "une phrase de passe très longue, " * 5
    assert passphrase_problem(long_one, long_one) is None


def test_composed_and_decomposed_accents_are_the_same_passphrase() -> None:
    composed = "répondre à l'appel"
    decomposed = "re\u0301pondre a\u0300 l'appel"
    assert composed != decomposed
    assert passphrase_problem(composed, decomposed) is None


@pytest.mark.parametrize(
    ("pin", "confirmation", "expected"),
    [
        ("12a4", None, PinProblem.NOT_DIGITS),
        ("١٢٣٤", None, PinProblem.NOT_DIGITS),  # non-ASCII digits are refused
        ("123", None, PinProblem.WRONG_LENGTH),
        ("1234567890123", None, PinProblem.WRONG_LENGTH),
        ("1234", "1235", PinProblem.MISMATCH),
        ("0000", "0000", PinProblem.TOO_EASY),
        ("1234", None, PinProblem.TOO_EASY),
        ("98765", None, PinProblem.TOO_EASY),
        ("890123", None, PinProblem.TOO_EASY),
        ("1212", None, PinProblem.TOO_EASY),
        ("123123", None, PinProblem.TOO_EASY),
        ("2580", None, PinProblem.TOO_EASY),
        ("482916", "482916", None),
        ("1357", None, None),
    ],
)
def test_pin_rule(pin: str, confirmation: str | None, expected: PinProblem | None) -> None:
    assert pin_problem(pin, confirmation) is expected


def test_pin_hash_verifies_only_the_right_pin_and_is_salted() -> None:
    first, second = hash_pin("482916"), hash_pin("482916")
    assert first != second
    assert first.startswith("scrypt$16384$8$1$")
    assert verify_pin("482916", first)
    assert verify_pin("482916", second)
    assert not verify_pin("482917", first)


@pytest.mark.parametrize("stored", ["", "plain", "scrypt$x$8$1$00$00", "bcrypt$1$2$3$4$5"])
def test_malformed_hash_never_verifies(stored: str) -> None:
    assert not verify_pin("1234", stored)
