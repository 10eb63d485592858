"""Catalog maintenance: extract marked strings, update the French catalog, compile, check.

Run as `python -m intake.i18n {extract,update,compile,check}`; `make i18n` runs `update`.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from intake import __version__
from intake.i18n.catalog import DOMAIN, Language, mo_path, po_path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
POT_PATH = Path(__file__).parent / f"{DOMAIN}.pot"
TRANSLATED: tuple[Language, ...] = ("fr",)
METHOD_MAP = [("**.py", "python")]
Key = tuple[str | None, str]


def extract() -> Catalog:
    """Collect every marked string under `intake/`, with TRANSLATORS: comments."""
    template = Catalog(project="peer-support-intake", version=__version__, charset="utf-8")
    found = extract_from_dir(
        PACKAGE_DIR,
        METHOD_MAP,
        keywords={**DEFAULT_KEYWORDS, "NP_": ((1, "c"), 2)},
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        template.add(
            message,
            None,
            [(f"intake/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return template


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fp:
        return read_po(fp, locale=locale)


def _write_po(path: Path, catalog: Catalog) -> None:
    with path.open("wb") as fp:
        write_po(fp, catalog, width=100, sort_output=True, omit_header=False, no_location=True)


def update() -> list[str]:
    """Refresh the template and merge it into each translated catalog; return what needs work."""
    template = extract()
    _write_po(POT_PATH, template)
    for language in TRANSLATED:
        path = po_path(language)
        catalog = _read(path, language) if path.exists() else Catalog(locale=language)
        # No fuzzy matching: a guessed translation for a new string is worse than an honest gap.
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        _write_po(path, catalog)
    return check()


def compile_all() -> None:
    for language in TRANSLATED:
        catalog = _read(po_path(language), language)
        with mo_path(language).open("wb") as fp:
            write_mo(fp, catalog)


def placeholders(text: str) -> set[str]:
    """Named `{field}` placeholders in a str.format template."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


@dataclass(frozen=True)
class Problem:
    language: str
    key: Key
    what: str

    def __str__(self) -> str:
        context, msgid = self.key
        where = f"[{context}] " if context else ""
        return f"{self.language}: {where}{msgid!r}: {self.what}"


def _messages(catalog: Catalog) -> Iterator[Message]:
    return (m for m in catalog if m.id)


def _key(message: Message) -> Key:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return (message.context, msgid)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(v) for v in value]
    return []


def check_catalog(language: str, catalog: Catalog, expected: set[Key]) -> list[Problem]:
    problems: list[Problem] = []
    present: set[Key] = set()
    for message in _messages(catalog):
        key = _key(message)
        present.add(key)
        sources = _strings(message.id)
        translations = _strings(message.string)
        if message.fuzzy:
            problems.append(Problem(language, key, "fuzzy"))
        if not translations or not all(t.strip() for t in translations):
            problems.append(Problem(language, key, "untranslated"))
            continue
        wanted = set().union(*(placeholders(s) for s in sources))
        for translation in translations:
            if placeholders(translation) != wanted:
                problems.append(Problem(language, key, f"placeholders differ in {translation!r}"))
    problems += [
        Problem(language, k, "missing from catalog") for k in sorted(expected - present, key=str)
    ]
    problems += [
        Problem(language, k, "no longer in the code") for k in sorted(present - expected, key=str)
    ]
    return problems


def check() -> list[str]:
    expected = {_key(m) for m in _messages(extract())}
    problems: list[Problem] = []
    for language in TRANSLATED:
        problems += check_catalog(language, _read(po_path(language), language), expected)
    return [str(p) for p in problems]
