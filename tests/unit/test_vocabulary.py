"""One vocabulary: every coded value has a label, in English and in French."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from intake import vocabulary
from intake.i18n import set_language
from intake.i18n.catalog import po_path
from intake.vocabulary_labels import LABELS, label


def _french() -> dict[tuple[str | None, str], str]:
    with po_path("fr").open("rb") as fp:
        catalog = read_po(fp)
    return {(m.context, str(m.id)): str(m.string) for m in catalog if m.id and not m.fuzzy}


@pytest.mark.parametrize("kind", sorted(LABELS))
def test_every_coded_value_has_a_label_in_both_languages(kind: str) -> None:
    codes, labels = LABELS[kind]
    assert codes, kind
    assert set(labels) == set(codes), f"{kind}: labels and codes differ"
    french = _french()
    for code in codes:
        entry = labels[code]
        context, message = entry if isinstance(entry, tuple) else (None, entry)
        assert message.strip()
        assert french.get((context, message), "").strip(), f"{kind} {code}: no French label"
        for language in ("en", "fr"):
            set_language(language)
            shown = label(kind, code)
            assert shown.strip()
            assert shown != code
            assert not shown.startswith("[")


def test_the_lists_the_store_checks_are_the_labelled_ones() -> None:
    assert set(vocabulary.RISKS) < set(LABELS["risk"][0])
    assert set(vocabulary.KIOSK_OUTCOMES) <= set(LABELS["outcome"][0])
    assert "kiosk-crisis-screen" in LABELS["crisis-action"][1]
    assert "callback-requested" in LABELS["outcome"][1]


def test_an_unknown_code_shows_as_itself_never_blank(lang: str) -> None:
    set_language(lang)
    assert label("outcome", "from-a-later-version") == "[from-a-later-version]"
    assert label("outcome", None) == "—"


def test_the_vocabulary_module_imports_nothing() -> None:
    source = vocabulary.__file__
    assert source is not None
    with open(source, encoding="utf-8") as fp:
        lines = fp.read().splitlines()
    assert not [line for line in lines if line.startswith(("import ", "from "))]
