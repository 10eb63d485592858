"""The French catalog is complete, not fuzzy, placeholder-exact and in sync with the code."""

from babel.messages.catalog import Catalog

from intake.i18n import _, pgettext, set_language, translator_for
from intake.i18n.catalog import _compile_in_memory, po_path
from intake.i18n.tools import check, check_catalog, extract, placeholders


def test_french_catalog_has_no_problem() -> None:
    assert check() == []


def test_the_code_has_translatable_strings() -> None:
    assert len([m for m in extract() if m.id]) > 50


def test_checker_reports_every_kind_of_problem() -> None:
    catalog = Catalog(locale="fr")
    catalog.add("Hello {name}", "Bonjour {nom}")
    catalog.add("Untranslated", "")
    catalog.add("Fuzzy", "Flou", flags=["fuzzy"])
    catalog.add("Stale", "Périmé")
    expected = {(None, "Hello {name}"), (None, "Untranslated"), (None, "Fuzzy"), (None, "Missing")}
    problems = {
        (p.key[1], p.what.split(" in '")[0]) for p in check_catalog("fr", catalog, expected)
    }
    assert problems == {
        ("Hello {name}", "placeholders differ"),
        ("Untranslated", "untranslated"),
        ("Fuzzy", "fuzzy"),
        ("Missing", "missing from catalog"),
        ("Stale", "no longer in the code"),
    }


def test_placeholders() -> None:
    assert placeholders("{count} of {minimum} characters.") == {"count", "minimum"}
    assert placeholders("no fields") == set()


def test_lookup_follows_the_current_language_with_context() -> None:
    set_language("fr")
    assert _("Peer Support Intake") == "Accueil – Soutien par les pairs"
    assert pgettext("button", "Sign in") == "Se connecter"
    assert pgettext("heading", "Sign in") == "Connexion"
    set_language("en")
    assert pgettext("heading", "Sign in") == "Sign in"


def test_in_memory_compile_matches_the_po_file() -> None:
    translations = _compile_in_memory(po_path("fr"))
    assert translations.gettext("Welcome, {name}") == "Bienvenue, {name}"
    assert translator_for("fr").gettext("Welcome, {name}") == "Bienvenue, {name}"
