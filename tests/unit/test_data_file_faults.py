"""A mistake in the directory file, said in the window's language: every problem the loader can
state has its translation, and a real bad file reads in French without English left in it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import intake.directory.load as loader
from intake.directory.load import DirectoryError, load_directory
from intake.i18n import current_language, set_language
from intake.services.data_files import describe, problem_text

SOURCE = Path(loader.__file__).read_text(encoding="utf-8")
# The problem strings the loader states: fail(field, "..."), DirectoryError(..., "..."), and
# the (field, "...") pairs of the crisis-route floor. f-strings get sample values.
CALL = r'(?:fail\(\s*(?:f?"[^"]*"|[^,()]+),\s*|return\s+"[\w.]+",\s*)'
LITERAL = re.compile(CALL + r'(f?)"([^"]+)"(?:\s*\+\s*"[^"]*"\.join\([^)]*\))?', re.S)
LAST = re.compile(r'DirectoryError\([^)]*?(f?)"([^"]+)"\s*,?\s*\)', re.S)
SAMPLES = {"MAX_FILE_BYTES:,": "67,108,864", "SCHEMA_VERSION": "1", "exc.strerror": "denied"}


def _sample(name: str) -> str:
    if name in SAMPLES:
        return SAMPLES[name]
    return "'abc'" if name.endswith("!r") else "abc"


def stated_problems() -> list[str]:
    problems = []
    for is_f, found in LITERAL.findall(SOURCE) + LAST.findall(SOURCE):
        text = re.sub(r"\{([^}]+)\}", lambda m: _sample(m.group(1)), found) if is_f else found
        if text.endswith(": "):  # "must be one of: " + ", ".join(...)
            text += "abc, def"
        problems.append(text)
    return problems


@pytest.fixture
def french() -> Iterator[None]:
    before = current_language()
    set_language("fr")
    yield
    set_language(before)


def test_the_scan_finds_the_loaders_problems() -> None:
    problems = stated_problems()
    assert "is required" in problems
    assert "file not found" in problems
    assert "appears twice in this file" in problems
    assert len(problems) >= 35


def test_every_problem_the_loader_states_has_its_translation(french: None) -> None:
    untranslated = [p for p in stated_problems() if problem_text(p) in (None, p)]
    assert untranslated == []


def test_a_bad_directory_file_is_described_in_french(tmp_path: Path, french: None) -> None:
    bad = tmp_path / "org.toml"
    bad.write_text('schema = 1\n[[program]]\nid = "x"\nkind = "nonsense"\n', encoding="utf-8")
    with pytest.raises(DirectoryError) as info:
        load_directory(bad)
    text = describe(info.value)
    assert str(bad) in text
    assert "« x »" in text or "“x”" in text or "x" in text
    assert info.value.problem not in text  # the English words are not shown
    assert "n’est pas" in text or "doit" in text or "inconnu" in text
