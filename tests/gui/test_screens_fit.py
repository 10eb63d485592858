"""Every screen of both modes fits common laptop screens (1280×720, 1366×768) in both
languages: the window can be that small, no text is cut or elided, no horizontal scroll bar."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from intake.i18n import Language
from intake.settings import SettingsFile
from intake.ui.app import create_qapplication
from tests.gui.conftest import AppFactory, main_window_of, wait_idle
from tests.gui.fit import fit_problems
from tests.gui.kiosk_helpers import PHYSICIAN_ANSWERS, SAFETY_NO, answer, begin, start_kiosk

LAPTOPS = ((1280, 720), (1366, 768))


def check_at_laptop_sizes(window: QWidget, screen: str, problems: list[str]) -> None:
    for width, height in LAPTOPS:
        window.resize(width, height)
        QApplication.processEvents()
        where = f"{screen} at {width}x{height}"
        if (window.width(), window.height()) != (width, height):
            problems.append(f"{where}: the window cannot be smaller than {window.size().toTuple()}")
        problems += [f"{where}: {problem}" for problem in fit_problems(window)]


@pytest.fixture(params=["normal-font", "large-font"])
def system_font(request: pytest.FixtureRequest, qtbot: QtBot) -> Iterator[str]:
    """The system font as set, or enlarged to 16 pt (a person who needs larger text)."""
    before = QApplication.font()
    if request.param == "large-font":
        large = QFont(before)
        large.setPointSizeF(16)
        QApplication.setFont(large)
    yield str(request.param)
    QApplication.setFont(before)
    create_qapplication([])  # the style sheet for the normal size again


def test_every_phone_line_screen_fits(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language, system_font: str
) -> None:
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    window.show()
    problems: list[str] = []
    check_at_laptop_sizes(window, "home", problems)
    window.new_call()
    page = window.call_page
    assert page is not None
    greeting = page.steps["greeting"]
    greeting.consent_yes.click()  # type: ignore[attr-defined]
    check_at_laptop_sizes(window, "greeting", problems)
    page.next_step()
    who = page.steps["who"]
    who.number.setFocus()  # type: ignore[attr-defined]
    qtbot.keyClicks(who.number, "506 555 0142")  # type: ignore[attr-defined]
    assert who.use_suggestion.isVisible()  # type: ignore[attr-defined]
    check_at_laptop_sizes(window, "who, with the province suggestion", problems)
    who.use_suggestion.click()  # type: ignore[attr-defined]
    steps: dict[str, Callable[[], None]] = {
        "safety": page.steps["safety"].questions["thoughts"][1]["unsure"].click,  # type: ignore[attr-defined]
        "needs": page.steps["needs"].needs["peer"][0].click,  # type: ignore[attr-defined]
        "recommendations": lambda: None,
        "wrapup": page.steps["wrapup"].followup.click,  # type: ignore[attr-defined]
    }
    for step, fill in steps.items():
        page.next_step()
        fill()
        check_at_laptop_sizes(window, step, problems)
    page.open_crisis()
    check_at_laptop_sizes(window, "crisis route", problems)
    page.leave_crisis()
    window.show_history()
    wait_idle(qtbot)
    check_at_laptop_sizes(window, "history", problems)
    window.show_directory()
    check_at_laptop_sizes(window, "directory", problems)
    window.lock()
    check_at_laptop_sizes(window, "locked", problems)
    assert problems == []


# A kiosk's own screens too, upright and on its side (the results' French buttons were cut
# on the upright one, which only laptop sizes had been checked at).
@pytest.mark.parametrize(
    "size", [*LAPTOPS, (1080, 1920), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}"
)
def test_every_kiosk_screen_fits(
    qtbot: QtBot,
    make_app: AppFactory,
    settings_file: SettingsFile,
    existing_store: Path,
    lang: Language,
    size: tuple[int, int],
) -> None:
    _app, window = start_kiosk(qtbot, make_app, settings_file, lang, size=size)
    problems: list[str] = []

    def check(screen: str) -> None:
        QApplication.processEvents()
        problems.extend(f"{screen}: {problem}" for problem in fit_problems(window))

    check("welcome")
    session = begin(window, lang)
    for step, value in PHYSICIAN_ANSWERS:
        check(step)
        answer(session, ((step, value),))
    check("results")
    session.results.callback_button.click()
    check("callback")
    session.back()
    session.results.finish_button.click()
    check("feedback")
    window.wipe()
    session = begin(window, lang)
    # Thoughts and a plan (high): the crisis screen comes after the safety questions.
    high = {"safety": "yes", "safety:plan": "yes"}
    answer(session, (("who", "colleague"), ("province", "NB")))
    answer(session, tuple((step, high.get(step, no)) for step, no in SAFETY_NO))
    assert session.current is session.crisis
    check("crisis")
    session.crisis.continue_button.click()
    answer(session, (("need", "peer"), ("format", "either"), ("service_language", "either")))
    check("results for a colleague")
    window.open_staff()
    check("staff")
    assert problems == []


def test_the_checker_sees_cut_text_and_horizontal_scrolling(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea

    root = QWidget()
    qtbot.addWidget(root)
    cut = QLabel("A sentence far too long for the little label it was given", root)
    cut.setObjectName("cut")
    cut.setGeometry(0, 0, 60, 30)
    button = QPushButton("Ask for a callback", root)
    button.setObjectName("squeezed")
    button.setGeometry(0, 40, 40, 30)
    area = QScrollArea(root)
    area.setObjectName("sideways")
    wide = QWidget()
    wide.setMinimumWidth(2000)
    area.setWidget(wide)
    area.setGeometry(0, 80, 200, 100)
    root.resize(300, 200)
    root.show()
    found = " ".join(fit_problems(root))
    assert "cut:" in found
    assert "squeezed:" in found
    assert "sideways: a horizontal scroll bar shows" in found


def test_set_up_unlock_and_sign_in_fit(
    qtbot: QtBot, make_app: AppFactory, store_path: Path, lang: Language
) -> None:
    from tests.conftest import PASSPHRASE, make_store

    problems: list[str] = []
    first = make_app(lang)
    first.gate.setup.passphrase.setText("short one")  # with its hint showing
    check_at_laptop_sizes(first.gate, "set-up", problems)
    first.gate.close()
    make_store(store_path).close()
    app = make_app(lang)
    check_at_laptop_sizes(app.gate, "unlock", problems)
    app.gate.unlock.passphrase.setText(PASSPHRASE)
    app.gate.unlock.unlock_button.click()
    wait_idle(qtbot)
    assert app.gate.pages.currentWidget() is app.gate.signin
    check_at_laptop_sizes(app.gate, "sign-in", problems)
    assert problems == []


def test_the_team_pages_fit(
    qtbot: QtBot, make_app: AppFactory, existing_store: Path, lang: Language
) -> None:
    """The worklist (its "Best time" column scrolled off at 1280 in French: an overdue kiosk
    request in Newfoundland's long zone name), with first contacts owed; matching (a horizontal
    scroll bar at 1280) and reports, filled, as a supervisor who coordinates."""
    import uuid
    from datetime import UTC, datetime

    from intake.services import matching
    from intake.services.kiosk import CallbackRequest, save_visit
    from intake.storage.db import open_store
    from tests.conftest import PASSPHRASE
    from tests.gui.test_worklist import seed
    from tests.gui.test_worklist_first_contact import _accepted
    from tests.matching.helpers import request
    from tests.storage.helpers import contact

    store = open_store(existing_store, PASSPHRASE)
    boss = store.query("SELECT id FROM accounts WHERE role = 'supervisor'")[0][0]
    seed(store, boss)
    visit = contact(
        channel="kiosk",
        province="NL",
        risk="high",
        topics=(),
        outcome="callback-requested",
        crisis_actions=("kiosk-crisis-screen",),
        callback_number="+17095550123",
    )
    callback = CallbackRequest(str(uuid.uuid4()), "+17095550123", "afternoon", "America/St_Johns")
    save_visit(store, visit, callback, None)
    for n in range(3):
        asked = request(wants_outside=bool(n % 2), requester_name=f"Dr Requester {n}")
        matching.add_request(store, asked, boss)
    _accepted(store, boss, None, datetime(2026, 4, 6, 15, tzinfo=UTC))
    _accepted(store, boss, None, datetime.now(UTC))
    store.close()
    app = make_app(lang)
    window = main_window_of(qtbot, app)
    window.show()
    problems: list[str] = []
    window.show_worklist()
    page = window.worklist_page
    assert page is not None
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10_000)
    qtbot.waitUntil(lambda: page.first_table.rowCount() == 2, timeout=10_000)
    check_at_laptop_sizes(window, "worklist", problems)
    window.show_matching()
    wait_idle(qtbot)
    check_at_laptop_sizes(window, "matching", problems)
    window.show_reports()
    wait_idle(qtbot)
    check_at_laptop_sizes(window, "reports", problems)
    assert problems == [], "\n".join(problems)
