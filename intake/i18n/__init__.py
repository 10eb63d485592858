"""Translation and locale formatting, free of Qt.

Strings are looked up in the *current* catalog at call time, so a language switch takes effect
the next time a widget asks for its text. Module-level constants are marked with `N_` and
translated where they are shown.
"""

from intake.i18n.catalog import (
    LANGUAGES,
    N_,
    NP_,
    Language,
    _,
    add_listener,
    current_language,
    gettext_in,
    language_name,
    ngettext,
    pgettext,
    remove_listener,
    set_language,
    translate,
    translator_for,
)

__all__ = [
    "LANGUAGES",
    "NP_",
    "N_",
    "Language",
    "_",
    "add_listener",
    "current_language",
    "gettext_in",
    "language_name",
    "ngettext",
    "pgettext",
    "remove_listener",
    "set_language",
    "translate",
    "translator_for",
]
