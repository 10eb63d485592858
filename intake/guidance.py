"""Guidance for a caller worried about a colleague (resources/colleague-guidance.toml) or about a
physician in their family (resources/family-guidance.toml), kept as data so an organisation can
use its own approved wording."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from intake.directory.model import Text
from intake.paths import shipped

SHIPPED = shipped("colleague-guidance.toml")
FAMILY = shipped("family-guidance.toml")
REQUIRED_SECTIONS = ("signs", "approach", "offer", "urgent")


class GuidanceError(ValueError):
    pass


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    points: tuple[Text, ...]


def _text(value: object, where: str) -> Text:
    text = Text.from_table(value)
    if text is None:
        raise GuidanceError(f"{where}: needs en and fr text")
    return text


def load_guidance(path: Path = SHIPPED) -> tuple[Section, ...]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise GuidanceError(f"{path}: cannot be read ({exc})") from None
    sections = []
    for index, raw in enumerate(data.get("section", [])):
        where = f"{path}: section {raw.get('id', index + 1)}"
        points = raw.get("points")
        if not isinstance(points, list) or not points:
            raise GuidanceError(f"{where}: needs at least one point")
        sections.append(
            Section(
                str(raw.get("id")),
                _text(raw.get("title"), where),
                tuple(_text(p, f"{where}, point {n + 1}") for n, p in enumerate(points)),
            )
        )
    missing = set(REQUIRED_SECTIONS) - {s.id for s in sections}
    if missing:
        raise GuidanceError(f"{path}: missing sections: {', '.join(sorted(missing))}")
    return tuple(sections)


@cache
def family_guidance() -> tuple[Section, ...]:
    """The shipped guidance for a caller worried about a physician in their family."""
    return load_guidance(FAMILY)
