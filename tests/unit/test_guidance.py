from pathlib import Path

import pytest

from intake.guidance import REQUIRED_SECTIONS, GuidanceError, load_guidance


def test_shipped_guidance_covers_what_the_caller_needs_in_both_languages() -> None:
    sections = load_guidance()
    assert [s.id for s in sections] == list(REQUIRED_SECTIONS)
    for section in sections:
        assert section.title.en
        assert section.title.fr
        assert all(p.en and p.fr and p.en != p.fr for p in section.points)
    urgent = next(s for s in sections if s.id == "urgent")
    text = " ".join(p.en for p in urgent.points)
    assert "9-8-8" in text
    assert "local emergency number" in text  # never 9-1-1 as the only option


def test_no_diagnosis_or_medical_advice_words() -> None:
    words = " ".join(p.en.lower() for s in load_guidance() for p in s.points)
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
