"""The call and the kiosk rank programs with the same policy and in the same order: both ask the
router for the first few (route(limit=n)), so for the same caller the call's first five cards
are the kiosk's five. With a large directory the call shows its first CALL_CARDS and says how
many others fit less well (the directory browser lists them), instead of building a card for
every program. Real windows over a real store, in both languages."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFrame, QWidget
from pytestqt.qtbot import QtBot

from intake.directory.load import load_directory
from intake.i18n import Language, ngettext
from intake.routing.engine import Request, Router
from intake.settings import SettingsFile
from intake.ui.call.referral import CALL_CARDS
from intake.ui.kiosk.results import MAX_CARDS
from tests.gui.conftest import AppFactory, wait_idle
from tests.gui.kiosk_helpers import SAFETY_NO, answer, begin, start_kiosk
from tests.gui.test_call import start_call, steps

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
from bench_routing import generated_directory  # type: ignore[import-not-found]


def _kiosk_cards(
    qtbot: QtBot, make_app: AppFactory, settings_file: SettingsFile, lang: Language
) -> list[str]:
    _app, window = start_kiosk(qtbot, make_app, settings_file, lang)
    session = begin(window, lang)
    answer(session, (("who", "resident"), ("province", "ON"), *SAFETY_NO))
    answer(session, (("need", "peer"), ("format", "either"), ("service_language", lang)))
    assert session.current is session.results
    wait_idle(qtbot)
    prefix = "kiosk-card-"
    return [
        w.objectName()[len(prefix) :]
        for w in session.results.cards.findChildren(QWidget)
        if w.objectName().startswith(prefix)
    ]


def _call_cards(qtbot: QtBot, make_app: AppFactory, lang: Language) -> tuple[list[str], str]:
    app, _window, page = start_call(qtbot, make_app, lang)
    greeting, who, safety, needs, recommendations, _wrapup = steps(page)
    greeting.consent_no.click()
    page.next_step()
    who.role.setCurrentIndex(who.role.findData("resident"))
    who.province.setCurrentIndex(who.province.findData("ON"))
    page.next_step()
    for _script, buttons in safety.questions.values():
        buttons["no"].click()
    page.next_step()
    needs.needs["peer"][0].click()
    page.next_step()
    assert page.current_step == "recommendations"
    assert page.call.caller_language == lang
    qtbot.waitUntil(lambda: bool(recommendations.cards.findChildren(QFrame)), timeout=10_000)
    prefix = "card-"
    shown = [
        w.objectName()[len(prefix) :]
        for w in recommendations.cards.findChildren(QFrame)
        if w.objectName().startswith(prefix)
    ]
    more = recommendations.more.text() if recommendations.more.isVisibleTo(page) else ""
    wait_idle(qtbot)
    app.shutdown()  # one signed-in application at a time: the kiosk signs in next
    return shown, more


def test_the_call_shows_the_kiosks_five_first_for_the_same_caller(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
) -> None:
    call, more = _call_cards(qtbot, make_app, lang)
    kiosk = _kiosk_cards(qtbot, make_app, settings_file, lang)
    assert len(kiosk) == MAX_CARDS
    assert call[:MAX_CARDS] == kiosk
    assert 0 < len(call) <= CALL_CARDS
    assert more == ""  # the shipped directory has no more than CALL_CARDS for this caller


def test_a_large_directory_shows_the_first_few_and_says_how_many_others_fit(
    qtbot: QtBot,
    make_app: AppFactory,
    existing_store: Path,
    settings_file: SettingsFile,
    lang: Language,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    directory = tmp_path / "organisation.toml"
    directory.write_text(generated_directory(400), encoding="utf-8")
    monkeypatch.setenv("INTAKE_DIRECTORY", str(directory))
    call, more = _call_cards(qtbot, make_app, lang)
    kiosk = _kiosk_cards(qtbot, make_app, settings_file, lang)
    assert call[:MAX_CARDS] == kiosk
    assert len(call) == CALL_CARDS  # not one card per program that fits
    # How many others: every program is either recommended or excluded.
    router = Router(load_directory(directory))
    request = Request("ON", datetime.now(UTC), role="resident", language=lang)
    eligible = len(router.programs) - len(router.route(request, limit=0).excluded)
    others = eligible - CALL_CARDS
    assert others > 0
    assert more == ngettext(
        "{count} other program fits less well: the directory lists it.",
        "{count} other programs fit less well: the directory lists them.",
        others,
    ).format(count=others)
