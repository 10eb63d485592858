from collections.abc import Callable
from pathlib import Path

import pytest

from intake.guidance import (
    REQUIRED_SECTIONS,
    GuidanceError,
    Section,
    family_guidance,
    load_guidance,
)


def test_shipped_guidance_covers_what_the_caller_needs_in_both_languages() -> None:
    sections = load_guidance()
    assert set(REQUIRED_SECTIONS) <= {s.id for s in sections}
    assert "yourself" in {s.id for s in sections}  # recognising distress in oneself too
    for section in sections:
        assert section.title.en
        assert section.title.fr
        assert all(p.en and p.fr and p.en != p.fr for p in section.points)
    urgent = next(s for s in sections if s.id == "urgent")
    text = " ".join(p.en for p in urgent.points)
    assert "9-8-8" in text
    assert "local emergency number" in text  # never 9-1-1 as the only option


def test_family_guidance_fits_a_family_member_in_both_languages() -> None:
    sections = family_guidance()
    assert set(REQUIRED_SECTIONS) | {"yourself"} <= {s.id for s in sections}
    for section in sections:
        assert all(p.en and p.fr and p.en != p.fr for p in section.points)
    text = " ".join(p.en for s in sections for p in s.points)
    assert "HELP" in text  # the CMA's approach, in our own words
    assert "colleague" not in sections[0].title.en.lower()  # not workplace guidance
    assert "local emergency number" in text


@pytest.mark.parametrize("guidance", [load_guidance, family_guidance])
def test_no_diagnosis_or_medical_advice_words(guidance: Callable[[], tuple[Section, ...]]) -> None:
    words = " ".join(p.en.lower() for s in guidance() for p in s.points)
    for clinical in ("diagnos", "depression", "disorder", "medication", "prescribe", "treatment"):
        assert clinical not in words


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            '[[section]]\nid = "signs"\ntitle = { en = "T" }\npoints = [ { en = "a", fr = "b" } ]\n',
            "needs en and fr",
        ),
        (
            '[[section]]\nid = "signs"\ntitle = { en = "T", fr = "T" }\npoints = []\n',
            "at least one point",
        ),
        (
            '[[section]]\nid = "signs"\ntitle = { en = "T", fr = "T" }\npoints = [ { en = "a", fr = "b" } ]\n',
            "missing sections",
        ),
        ("[[section]\n", "cannot be read"),
    ],
)
def test_an_organisation_file_with_a_mistake_is_refused(
    tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "guidance.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GuidanceError, match=problem):
        load_guidance(path)
