"""French typography and word choices, checked over every French text a person can read: the
catalog and the French values in resources/*.toml (see docs on the French review).

The rules, picked once:
- a non-breaking space (U+00A0) before ":" and inside « »; no space before ; ? !
- times written « 8 h 30 » (non-breaking spaces): never "08:30", "8:30 a.m." or « 08 h 30 »
- gender doublets in one order, the feminine first (« une ou un », « la ou le », « d’une ou
  d’un »), so that an adjective after them agrees with the nearer, masculine form
- « counseling », « milieu », « type d’aide », and none of the calques the review found
- the typographic apostrophe (« l’Est », « n’a »), as everywhere else in the catalog
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po

from intake.i18n.catalog import po_path
from intake.i18n.formatting import format_moment, format_stamp, format_time

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
NBSP = "\u00a0"

# Text that is not French prose: placeholders, addresses, code in straight quotes, ISO 8601.
_NOT_PROSE = re.compile(r"\{[^}]*\}|https?://\S+|\"[^\"]*\":?|\d{4}-\d\d-\d\dT[\d:+-]+")
_DOUBLETS_WRONG_ORDER = re.compile(
    r"\b(un ou une|le ou la|d[’']un ou d[’']une|du ou de la|au ou à la|"
    r"inquiet ou inquiète|seul ou seule)\b",
    re.IGNORECASE,
)
_BANNED = {
    "consultation psychologique": "« counseling »",
    "counselling": "« counseling » (one l in French)",
    "genre d’aide": "« type d’aide »",
    "fellows": "« moniteurs cliniques »",
    "déchiquet": "« effacer de façon irréversible »",
    "apprenants": "a French term (« personnes en formation »)",
    "appels rappelés": "« rappels »",
    "met pas l’idée en tête": "« ne donne pas l’idée du suicide »",
}


def french_texts() -> Iterator[tuple[str, str]]:
    """(where, text) for every French string: catalog entries, then resource files."""
    with po_path("fr").open("rb") as fp:
        catalog = read_po(fp, locale="fr")
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        strings = [message.string] if isinstance(message.string, str) else message.string
        for text in strings:
            yield f"intake.po {msgid!r}", text
    for path in sorted(RESOURCES.glob("*.toml")):
        yield from _toml_french(path.name, tomllib.loads(path.read_text(encoding="utf-8")))


def _toml_french(where: str, value: object) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "fr" and isinstance(item, str):
                yield where, item
            else:
                yield from _toml_french(f"{where} {key}", item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _toml_french(f"{where}[{index}]", item)


def typography_problems(text: str) -> list[str]:
    prose = _NOT_PROSE.sub("x", text)
    problems = []
    if re.search(rf"(?<!{NBSP}):", prose):
        problems.append('":" without a non-breaking space before it')
    if re.search(rf"«(?!{NBSP})|(?<!{NBSP})»", prose):
        problems.append("« » without non-breaking spaces inside")
    if re.search(r"\s[;?!]", prose):
        problems.append("a space before ; ? or !")
    if re.search(r"\b\d{1,2}:\d\d\b|\b\d{1,2}(:\d\d)?\s?[ap]\.?m\b|\b0\d\sh\b", prose, re.I):
        problems.append("a time not written « 8 h 30 »")
    if re.search(r"(?<=\w)'(?=\w)", prose):
        problems.append("a straight apostrophe: write ’")
    if re.search(r"\d h\b", prose):
        problems.append("an ordinary space in « 8 h 30 » (it may break across lines)")
    for found in _DOUBLETS_WRONG_ORDER.findall(prose):
        problems.append(f"doublet « {found} »: the feminine comes first")
    lowered = prose.lower()
    problems += [
        f"« {word} »: write {better}" for word, better in _BANNED.items() if word in lowered
    ]
    return problems


def test_there_are_french_texts_from_the_catalog_and_every_resource_file() -> None:
    wheres = {where.split()[0] for where, _text in french_texts()}
    assert {
        "intake.po",
        "directory.toml",
        "safety-screen.toml",
        "colleague-guidance.toml",
    } <= wheres


def test_every_french_text_follows_the_rules() -> None:
    problems = [
        f"{where}: {problem}: {text!r}"
        for where, text in french_texts()
        for problem in typography_problems(text)
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Numéro : 9-8-8", '":" without'),
        ("Touchez « J’accepte » ici", "« »"),
        ("Êtes-vous là ?", "a space before"),
        ("ouvre à 08:30", "a time"),
        ("ouvre à 08\u00a0h\u00a030", "a time"),
        ("ouvert 24 h sur 24", "an ordinary space"),
        ("opens 10:00 a.m.", "a time"),
        ("pour un ou une médecin", "doublet"),
        ("informez le ou la responsable", "doublet"),
        ("Consultation psychologique", "counseling"),
        ("Genre d’aide souhaitée", "type d’aide"),
        ("Rien n'a été changé", "apostrophe"),
    ],
)
def test_the_checker_catches_each_kind_of_mistake(text: str, problem: str) -> None:
    assert any(problem in found for found in typography_problems(text))


@pytest.mark.parametrize(
    "text",
    [
        f"Numéro{NBSP}: 9-8-8",
        f"Touchez «{NBSP}J’accepte{NBSP}» ici",
        "Êtes-vous là?",
        "ouvre à 8\u00a0h\u00a030",
        "pour une ou un médecin formé",
        'mettez "kiosk": true dans le fichier',
        "par exemple 2026-11-22T14:30-05:00",
        "Voir https://example.org/aide pour {name}",
    ],
)
def test_the_checker_accepts_correct_french(text: str) -> None:
    assert typography_problems(text) == []


MORNING = datetime(2026, 12, 7, 8, 30, tzinfo=ZoneInfo("America/Toronto"))


def test_french_times_are_written_8_h_30() -> None:
    assert format_time(MORNING, language="fr") == "8\u00a0h\u00a030"
    assert format_time(MORNING, fmt="medium", language="fr") == "8\u00a0h\u00a030"
    assert format_time(MORNING, language="en") == "8:30\u202fa.m."


def test_a_moment_in_a_sentence_is_wholly_in_one_language() -> None:
    assert (
        format_moment(MORNING, language="fr")
        == "lundi 7 décembre à 8\u00a0h\u00a030 (heure de l’Est)"
    )
    assert format_moment(MORNING, language="en") == "Monday, December 7, 8:30 a.m. (Eastern Time)"
    assert format_stamp(MORNING, language="fr") == "2026-12-07 8\u00a0h\u00a030"
    assert typography_problems(format_moment(MORNING, language="fr")) == []
