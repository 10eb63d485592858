"""A program's status line is wholly in one language: the sentence, the date and the time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from intake.directory.load import load_directory
from intake.i18n import Language, set_language
from intake.routing.engine import Request, Router
from intake.routing.render import status_line

# Sunday 3 a.m. in Toronto: office-hours programs (the OMA's) are closed and say when they open.
NIGHT = datetime(2026, 12, 6, 3, 0, tzinfo=ZoneInfo("America/Toronto"))


@pytest.mark.parametrize("interface", ["en", "fr"])
def test_a_closed_program_says_when_it_opens_in_one_language(
    lang: Language, interface: Language
) -> None:
    set_language(interface)  # the interface language must not leak into the line
    result = Router(load_directory()).route(Request(province="ON", at=NIGHT, language=lang))
    lines = [
        status_line(rec, lang)
        for rec in result.recommendations
        if rec.open_now is False and rec.next_open
    ]
    assert lines, "expected at least one closed program at 3 a.m. on a Sunday"
    for line in lines:
        if lang == "fr":
            assert line.startswith("Fermé en ce moment; ouvre le lundi 7 décembre à ")
            assert "\u00a0h\u00a0" in line
            assert "Closed" not in line
            assert ":" not in line.split(" — ")[0]
        else:
            assert line.startswith("Closed now; opens Monday, December 7, ")
            assert "lundi" not in line
