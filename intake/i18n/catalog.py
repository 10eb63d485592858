"""The gettext catalogs and the current interface language."""

from __future__ import annotations

import io
import weakref
from collections.abc import Callable
from functools import cache

# The standard library's gettext does the runtime lookups (pgettext included); Babel is only
# imported to compile a catalog in memory, which keeps it off the start-up path.
from gettext import GNUTranslations, NullTranslations
from pathlib import Path
from typing import Literal

Language = Literal["en", "fr"]
LANGUAGES: tuple[Language, ...] = ("en", "fr")
DOMAIN = "intake"
LOCALE_DIR = Path(__file__).parent / "locale"

_current: Language = "en"
_listeners: list[weakref.ReferenceType[Callable[[Language], None]]] = []


def po_path(language: Language) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: Language) -> Path:
    return po_path(language).with_suffix(".mo")


def _compile_in_memory(po: Path) -> GNUTranslations:
    from babel.messages.mofile import write_mo  # noqa: PLC0415 - rare path, heavy import
    from babel.messages.pofile import read_po  # noqa: PLC0415

    with po.open("rb") as fp:
        catalog = read_po(fp, locale=po.parent.parent.name)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return GNUTranslations(buf)


@cache
def translator_for(language: Language) -> NullTranslations:
    """Return the catalog for `language` (English is the source language).

    A compiled `.mo` is used when it is at least as new as its `.po`; otherwise the `.po` is
    compiled in memory, so a fresh clone or a stale build still shows every translation.
    """
    if language == "en":
        return NullTranslations()
    po, mo = po_path(language), mo_path(language)
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as fp:
            return GNUTranslations(fp)
    return _compile_in_memory(po)


def current_language() -> Language:
    return _current


def set_language(language: str) -> None:
    """Make `language` the interface language and tell every live listener."""
    global _current
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language: {language!r}")
    _current = language
    for ref in list(_listeners):
        listener = ref()
        if listener is None:
            _listeners.remove(ref)
        else:
            listener(_current)


def add_listener(listener: Callable[[Language], None]) -> None:
    """Call `listener(language)` after each switch; held weakly so it never outlives its owner."""
    ref: weakref.ReferenceType[Callable[[Language], None]] = (
        weakref.WeakMethod(listener) if hasattr(listener, "__self__") else weakref.ref(listener)
    )
    _listeners.append(ref)


def remove_listener(listener: Callable[[Language], None]) -> None:
    _listeners[:] = [r for r in _listeners if r() is not None and r() != listener]


def _(message: str) -> str:
    return translator_for(_current).gettext(message)


def pgettext(context: str, message: str) -> str:
    return translator_for(_current).pgettext(context, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translator_for(_current).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a constant for extraction; translate it with `_()` where it is shown."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:
    """Mark a short constant with its context; translate it with `translate()` where shown."""
    return context, message


def translate(label: str | tuple[str, str]) -> str:
    """A label marked with `N_` (a string) or `NP_` (context and string), in the current language."""
    if isinstance(label, tuple):
        return pgettext(*label)
    return _(label)


def gettext_in(language: Language, message: str) -> str:
    """`message` in a given language, whatever the interface language (the caller's words)."""
    return translator_for(language).gettext(message)


_LANGUAGE_NAMES = {"en": NP_("language name", "English"), "fr": NP_("language name", "French")}


def language_name(code: str) -> str:
    """A language's name in the interface language ("French", « anglais »); other codes as is.

    Not the endonym on the language switch, which names each language in itself.
    """
    label = _LANGUAGE_NAMES.get(code)
    return pgettext(*label) if label else code
