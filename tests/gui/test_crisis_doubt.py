"""A crisis line that may no longer answer (Alberta's Mental Health Help Line: the 2025 ministers'
statement no longer names it) says so on the volunteer's crisis route and on the kiosk's crisis
screen, in the reader's language, after 9-8-8 and emergency services; a line nobody doubts says
nothing of the kind. The real widgets, both languages."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from intake.crisis import crisis_plan
from intake.directory.load import load_directory
from intake.i18n import Language, set_language
from intake.routing.engine import Router
from intake.ui.call.crisis import entry_frame
from intake.ui.kiosk.screens import CrisisScreen

ROUTER = Router(load_directory())
AT = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)
AB_LINE = "ab-mental-health-line"


def _texts(widget: QWidget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel)]


def test_the_call_panel_says_a_line_may_no_longer_answer(qtbot: QtBot, lang: Language) -> None:
    set_language(lang)
    plan = crisis_plan(ROUTER, "AB", AT, language=lang, risk="high")
    ids = [entry.program.id for entry in plan.entries]
    assert ids.index("ca-988") < ids.index("ca-911") < ids.index(AB_LINE)
    parent = QWidget()
    qtbot.addWidget(parent)
    frames = {entry.program.id: entry_frame(entry, lang, parent, "t") for entry in plan.entries}
    doubt = ROUTER.get(AB_LINE).doubt  # type: ignore[union-attr]
    assert doubt is not None
    assert doubt.get(lang) in _texts(frames[AB_LINE])
    assert frames[AB_LINE].findChild(QLabel, "t-entry-doubt") is not None
    for calm in ("ca-988", "ca-911"):
        assert frames[calm].findChild(QLabel, "t-entry-doubt") is None


def test_the_kiosk_crisis_screen_says_it_too(qtbot: QtBot, lang: Language) -> None:
    set_language(lang)
    parent = QWidget()
    qtbot.addWidget(parent)
    screen = CrisisScreen(parent)
    screen.show_plan(crisis_plan(ROUTER, "AB", AT, language=lang, risk="high"), lang)
    doubt = ROUTER.get(AB_LINE).doubt  # type: ignore[union-attr]
    assert doubt is not None
    card = screen.findChild(QWidget, f"kiosk-crisis-{AB_LINE}")
    assert card is not None
    assert doubt.get(lang) in _texts(card)
    first = screen.findChild(QWidget, "kiosk-crisis-ca-988")
    assert first is not None
    assert doubt.get(lang) not in _texts(first)
