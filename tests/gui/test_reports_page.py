"""The reports page as a coordinator meets it: opened, it shows this year's report without a
click (worked out off the UI thread), and a period chosen while that first report is being
worked out is the one that stays on screen. Both languages, a real encrypted store."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from intake.i18n import Language
from intake.storage.account_store import list_accounts
from intake.storage.report_data import Period
from intake.ui import ops
from intake.ui.reports import ReportsPage
from tests.conftest import make_store
from tests.gui.conftest import AppFactory, main_window_of
from tests.matching.seed import seed


def _reports(window: QWidget) -> ReportsPage:
    window.reports_action.trigger()  # type: ignore[attr-defined]
    shown = window.pages.currentWidget()  # type: ignore[attr-defined]
    page = shown.widget() if isinstance(shown, QScrollArea) else shown
    assert isinstance(page, ReportsPage)
    return page


def _seeded(path: Path) -> None:
    store = make_store(path)
    seed(store, list_accounts(store)[0].id, contacts=60, requests=10)
    store.close()


def test_the_page_opens_on_this_years_report_without_a_click(
    qtbot: QtBot, make_app: AppFactory, store_path: Path, lang: Language
) -> None:
    _seeded(store_path)
    window = main_window_of(qtbot, make_app(lang))
    page = _reports(window)
    qtbot.waitUntil(lambda: page.report is not None, timeout=15000)
    today = date.today()
    assert page.report is not None
    assert page.report.period.start == date(today.year, 1, 1)
    assert page.report.period.end.month == today.month
    assert page.tables.count() == len(page.report.tables) > 0
    assert page.grid.rowCount() > 0
    # The chart of the table shown, drawn once the report arrived (issue 14: the plotting
    # library is loaded on the worker, not before the page could be shown).
    assert page.canvas is not None
    assert page.canvas.isVisible()
    assert page.figure is not None
    assert page.figure.axes
    qtbot.waitUntil(lambda: not ops.running(), timeout=15000)


def test_the_page_is_shown_before_the_plotting_library_is_loaded() -> None:
    """Importing the Reports screen (on the UI thread, at its first opening) loads no plotting
    library: that cost 350-400 ms before the page could be painted; nor numpy (the small-count
    suppression's linear algebra): 120 ms more. Both load on the worker that works out the
    first report. A new process, since this one's other tests have loaded them."""
    code = (
        "import sys, intake.ui.reports; print(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('matplotlib', 'fontTools', 'numpy')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_a_period_chosen_while_the_first_report_is_worked_out_stays(
    qtbot: QtBot, make_app: AppFactory, store_path: Path, lang: Language
) -> None:
    _seeded(store_path)
    window = main_window_of(qtbot, make_app(lang))
    page = _reports(window)
    page.start.setDate(page.start.date().fromString("2026-03", "yyyy-MM"))
    page.end.setDate(page.end.date().fromString("2026-04", "yyyy-MM"))
    page.show_button.click()
    chosen = Period(date(2026, 3, 1), date(2026, 4, 30))
    # The first report, if still being worked out, is delivered when its worker ends.
    qtbot.waitUntil(lambda: not ops.running(), timeout=15000)
    assert page.report is not None
    assert page.report.period == chosen
